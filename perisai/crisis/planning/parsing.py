"""JSON in (``parse_problem``), checks (``validate_problem``) and JSON out (``plan_to_json``)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from .model import (
    AssemblyPoint,
    Confirmation,
    Id,
    Person,
    Plan,
    PlanningInputError,
    Problem,
    Transport,
)

TOP_LEVEL_KEYS = frozenset(
    {"people", "assembly_points", "transports", "max_distance_km", "confirmed", "declined"}
)


def _id(value: object, where: str) -> Id:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PlanningInputError(f"{where}: an id must be a string or an integer, got {value!r}")
    if isinstance(value, str) and not value:
        raise PlanningInputError(f"{where}: an id must not be empty")
    return value


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PlanningInputError(f"{where}: must be a finite number, got {value!r}")
    return float(value)


def _count(value: object, where: str) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanningInputError(f"{where}: must be a whole number, got {value!r}")
    if value < 0:
        raise PlanningInputError(f"{where}: must not be negative, got {value}")
    return value


def _records(obj: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = obj[key]
    if not isinstance(value, list):
        raise PlanningInputError(f"{key}: must be a list")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise PlanningInputError(f"{key}[{i}]: must be an object")
    return value


def _field(record: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in record:
        raise PlanningInputError(f"{where}: missing key {key!r}")
    return record[key]


def _datetime(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise PlanningInputError(f"{where}: must be an ISO 8601 date-time string, got {value!r}")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise PlanningInputError(f"{where}: not an ISO 8601 date-time: {value!r}") from None


def parse_problem(obj: object) -> Problem:
    """Build a ``Problem`` from decoded JSON; raise ``PlanningInputError`` on anything wrong."""
    if not isinstance(obj, dict):
        raise PlanningInputError("the input must be a JSON object")
    unknown = sorted(str(k) for k in obj if k not in TOP_LEVEL_KEYS)
    if unknown:
        raise PlanningInputError(f"unknown top-level key(s): {', '.join(unknown)}")
    for key in ("people", "assembly_points", "transports", "max_distance_km"):
        if key not in obj:
            raise PlanningInputError(f"missing top-level key {key!r}")

    people = []
    for i, rec in enumerate(_records(obj, "people")):
        where = f"people[{i}]"
        household = _field(rec, "household", where)
        priority = _field(rec, "priority", where)
        if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= 4:
            raise PlanningInputError(f"{where}.priority: must be an integer 0..4, got {priority!r}")
        people.append(
            Person(
                id=_id(_field(rec, "id", where), f"{where}.id"),
                household=None if household is None else _id(household, f"{where}.household"),
                lat=_number(_field(rec, "lat", where), f"{where}.lat"),
                lon=_number(_field(rec, "lon", where), f"{where}.lon"),
                priority=priority,
            )
        )
    points = []
    for i, rec in enumerate(_records(obj, "assembly_points")):
        where = f"assembly_points[{i}]"
        points.append(
            AssemblyPoint(
                id=_id(_field(rec, "id", where), f"{where}.id"),
                lat=_number(_field(rec, "lat", where), f"{where}.lat"),
                lon=_number(_field(rec, "lon", where), f"{where}.lon"),
                capacity=_count(_field(rec, "capacity", where), f"{where}.capacity"),
            )
        )
    transports = []
    for i, rec in enumerate(_records(obj, "transports")):
        where = f"transports[{i}]"
        transports.append(
            Transport(
                id=_id(_field(rec, "id", where), f"{where}.id"),
                assembly_point=_id(_field(rec, "assembly_point", where), f"{where}.assembly_point"),
                seats=_count(_field(rec, "seats", where), f"{where}.seats"),
                departs=_datetime(_field(rec, "departs", where), f"{where}.departs"),
            )
        )
    confirmed = []
    if obj.get("confirmed") is not None:
        for i, rec in enumerate(_records(obj, "confirmed")):
            where = f"confirmed[{i}]"
            confirmed.append(
                Confirmation(
                    person=_id(_field(rec, "person", where), f"{where}.person"),
                    assembly_point=_id(_field(rec, "assembly_point", where), f"{where}.assembly_point"),
                    transport=_id(_field(rec, "transport", where), f"{where}.transport"),
                )
            )
    declined: list[Id] = []
    if obj.get("declined") is not None:
        if not isinstance(obj["declined"], list):
            raise PlanningInputError("declined: must be a list of person ids")
        declined = [_id(v, f"declined[{i}]") for i, v in enumerate(obj["declined"])]

    problem = Problem(
        people=tuple(people),
        assembly_points=tuple(points),
        transports=tuple(transports),
        max_distance_km=_number(obj["max_distance_km"], "max_distance_km"),
        confirmed=tuple(confirmed),
        declined=tuple(declined),
    )
    validate_problem(problem)
    return problem


def _unique(ids: Iterable[Id], what: str) -> set[Id]:
    seen: set[Id] = set()
    for value in ids:
        if value in seen:
            raise PlanningInputError(f"duplicate {what} id {value!r}")
        seen.add(value)
    return seen


def validate_problem(problem: Problem) -> None:
    """Semantic checks shared by the JSON path and callers who build a ``Problem`` in code."""
    if not (math.isfinite(problem.max_distance_km) and problem.max_distance_km > 0):
        raise PlanningInputError(f"max_distance_km: must be > 0, got {problem.max_distance_km!r}")
    person_ids = _unique((p.id for p in problem.people), "person")
    point_ids = _unique((a.id for a in problem.assembly_points), "assembly point")
    _unique((t.id for t in problem.transports), "transport")
    for p in problem.people:
        if isinstance(p.priority, bool) or not isinstance(p.priority, int) or not 0 <= p.priority <= 4:
            raise PlanningInputError(f"person {p.id!r}: priority must be an integer 0..4, got {p.priority!r}")
    for kind, items in (("person", problem.people), ("assembly point", problem.assembly_points)):
        for item in items:
            if not -90.0 <= item.lat <= 90.0:
                raise PlanningInputError(f"{kind} {item.id!r}: latitude {item.lat} is outside -90..90")
            if not -180.0 <= item.lon <= 180.0:
                raise PlanningInputError(f"{kind} {item.id!r}: longitude {item.lon} is outside -180..180")
    for a in problem.assembly_points:
        if a.capacity < 0:
            raise PlanningInputError(f"assembly point {a.id!r}: negative capacity {a.capacity}")
    transport_point: dict[Id, Id] = {}
    aware: set[bool] = set()
    for t in problem.transports:
        if t.seats < 0:
            raise PlanningInputError(f"transport {t.id!r}: negative seats {t.seats}")
        if t.assembly_point not in point_ids:
            raise PlanningInputError(
                f"transport {t.id!r}: assembly point {t.assembly_point!r} does not exist"
            )
        transport_point[t.id] = t.assembly_point
        aware.add(t.departs.utcoffset() is not None)
    if len(aware) > 1:
        raise PlanningInputError("transports: departure times mix with and without a UTC offset")
    confirmed_people = _unique((c.person for c in problem.confirmed), "confirmed person")
    for c in problem.confirmed:
        if c.person not in person_ids:
            raise PlanningInputError(f"confirmed: unknown person {c.person!r}")
        if c.assembly_point not in point_ids:
            raise PlanningInputError(f"confirmed: unknown assembly point {c.assembly_point!r}")
        if c.transport not in transport_point:
            raise PlanningInputError(f"confirmed: unknown transport {c.transport!r}")
        if transport_point[c.transport] != c.assembly_point:
            raise PlanningInputError(
                f"confirmed: transport {c.transport!r} leaves from {transport_point[c.transport]!r}, "
                f"not {c.assembly_point!r}"
            )
    for person in _unique(problem.declined, "declined person"):
        if person not in person_ids:
            raise PlanningInputError(f"declined: unknown person {person!r}")
        if person in confirmed_people:
            raise PlanningInputError(f"person {person!r} is both confirmed and declined")


def _tiers(counts: Mapping[int, int]) -> dict[str, int]:
    return {str(k): int(counts.get(k, 0)) for k in (4, 3, 2, 1, 0)}


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The CLI's output document (see the package docstring for the contract)."""
    ex = plan.explanation
    return {
        "assignments": [
            {"person": a.person, "assembly_point": a.assembly_point, "transport": a.transport}
            for a in plan.assignments
        ],
        "unassigned": [{"person": u.person, "reason": u.reason, "detail": u.detail} for u in plan.unassigned],
        "total_distance_km": round(plan.total_distance_km, 3),
        "bound": None if plan.bound is None else math.floor(plan.bound * 1000.0) / 1000.0,
        "solve_seconds": round(plan.solve_seconds, 3),
        "explanation": {
            "status": ex.status,
            "method": ex.method,
            "units": "total_distance_km and bound: great-circle km from each assigned person to their "
            "assembly point; bound is a lower bound on that total for any plan moving as many people "
            "per priority",
            "moved_by_priority": _tiers(ex.moved_by_priority),
            "moved_bound_by_priority": None
            if ex.moved_bound_by_priority is None
            else _tiers(ex.moved_bound_by_priority),
            "distance_gap": None if ex.distance_gap is None else round(ex.distance_gap, 6),
            "shortfalls": [
                {
                    "assembly_point": s.assembly_point,
                    "limited_by": s.limited_by,
                    "capacity": s.capacity,
                    "seats": s.seats,
                    "assigned": s.assigned,
                    "unplaced_within_reach": s.unplaced_within_reach,
                    "unplaced_by_priority": _tiers(s.unplaced_by_priority),
                }
                for s in ex.shortfalls
            ],
            "one_more_leg": [
                {
                    "assembly_point": e.assembly_point,
                    "seats": e.seats,
                    "would_move": e.would_move,
                    "by_priority": _tiers(e.by_priority),
                    "note": e.note,
                }
                for e in ex.one_more_leg
            ],
            "notes": list(ex.notes),
        },
    }
