"""Dataclasses in and out of the evacuation optimizer (no Django, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeAlias

Id: TypeAlias = str | int
"""Ids are kept exactly as given (a string or an integer; ``1`` and ``"1"`` are different ids)."""

PRIORITIES = (4, 3, 2, 1, 0)
"""Priority tiers, most vulnerable first: 4 unaccompanied children, 3 sick or injured, 2 pregnant,
1 elderly or disabled, 0 everyone else."""


class PlanningInputError(ValueError):
    """The problem is malformed; the message says what and where, for a person to fix."""


# Stable reason codes for people left without a place (``Unassigned.reason``).
DECLINED = "declined"
NO_ASSEMBLY_POINT_WITHIN_REACH = "no_assembly_point_within_reach"
NO_LEG_WITHIN_REACH = "no_leg_within_reach"
HOUSEHOLD_TOO_LARGE_FOR_ANY_LEG = "household_too_large_for_any_leg"
LOWER_PRIORITY_DISPLACED = "lower_priority_displaced"
NO_CAPACITY_WITHIN_REACH = "no_capacity_within_reach"
CONFIRMED_LEG_FULL = "confirmed_leg_full"
REASONS = (
    DECLINED,
    NO_ASSEMBLY_POINT_WITHIN_REACH,
    NO_LEG_WITHIN_REACH,
    HOUSEHOLD_TOO_LARGE_FOR_ANY_LEG,
    LOWER_PRIORITY_DISPLACED,
    NO_CAPACITY_WITHIN_REACH,
    CONFIRMED_LEG_FULL,
)


@dataclass(frozen=True, slots=True)
class Person:
    id: Id
    household: Id | None  # None: the person travels alone
    lat: float
    lon: float
    priority: int  # 0..4


@dataclass(frozen=True, slots=True)
class AssemblyPoint:
    id: Id
    lat: float
    lon: float
    capacity: int


@dataclass(frozen=True, slots=True)
class Transport:
    id: Id
    assembly_point: Id
    seats: int
    departs: datetime


@dataclass(frozen=True, slots=True)
class Confirmation:
    """An assignment already confirmed to the person; re-planning keeps it as it is."""

    person: Id
    assembly_point: Id
    transport: Id


@dataclass(frozen=True, slots=True)
class Problem:
    people: tuple[Person, ...]
    assembly_points: tuple[AssemblyPoint, ...]
    transports: tuple[Transport, ...]
    max_distance_km: float
    confirmed: tuple[Confirmation, ...] = ()
    declined: tuple[Id, ...] = ()


@dataclass(frozen=True, slots=True)
class Assignment:
    person: Id
    assembly_point: Id
    transport: Id


@dataclass(frozen=True, slots=True)
class Unassigned:
    person: Id
    reason: str  # one of REASONS
    detail: str  # a sentence for people


@dataclass(frozen=True, slots=True)
class Shortfall:
    """An assembly point that people within reach could not get into."""

    assembly_point: Id
    limited_by: str  # "capacity" (of the point) or "seats" (of its legs)
    capacity: int
    seats: int
    assigned: int
    unplaced_within_reach: int
    unplaced_by_priority: dict[int, int]


@dataclass(frozen=True, slots=True)
class ExtraLeg:
    """What one more leg of the typical size at an assembly point would move (direct effect)."""

    assembly_point: Id
    seats: int
    would_move: int
    by_priority: dict[int, int]
    note: str


@dataclass(frozen=True, slots=True)
class Explanation:
    status: str  # "optimal" (proven) or "feasible" (gap below)
    method: str
    moved_by_priority: dict[int, int]
    moved_bound_by_priority: dict[int, int] | None
    distance_gap: float | None  # (total_distance_km - bound) / bound
    shortfalls: tuple[Shortfall, ...] = ()
    one_more_leg: tuple[ExtraLeg, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    assignments: tuple[Assignment, ...]
    unassigned: tuple[Unassigned, ...]
    total_distance_km: float
    bound: float | None  # km; None for the greedy baseline, which proves nothing
    solve_seconds: float
    explanation: Explanation = field(
        default_factory=lambda: Explanation(
            status="feasible",
            method="",
            moved_by_priority={},
            moved_bound_by_priority=None,
            distance_gap=None,
        )
    )
