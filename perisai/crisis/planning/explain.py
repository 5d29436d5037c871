"""Turn a household -> leg choice into the plan: assignments, reasons, shortfalls, "one more leg"."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geo import IntArray, haversine_km
from .instance import Instance
from .model import (
    HOUSEHOLD_TOO_LARGE_FOR_ANY_LEG,
    LOWER_PRIORITY_DISPLACED,
    NO_ASSEMBLY_POINT_WITHIN_REACH,
    NO_CAPACITY_WITHIN_REACH,
    NO_LEG_WITHIN_REACH,
    PRIORITIES,
    Assignment,
    ExtraLeg,
    Shortfall,
    Unassigned,
)

CAPACITY_REASONS = frozenset({NO_CAPACITY_WITHIN_REACH, LOWER_PRIORITY_DISPLACED})
TOP_SHORTFALLS_FOR_EXTRA_LEG = 3


@dataclass
class Outcome:
    assignments: tuple[Assignment, ...]
    unassigned: tuple[Unassigned, ...]
    hh_reason: list[str | None]
    total_km: float
    fixed_km: float  # confirmed people and their households
    moved_by_priority: dict[int, int]  # by household priority (people of a household share it)
    fixed_by_priority: dict[int, int]
    ap_assigned: IntArray


def _who(inst: Instance, h: int) -> str:
    label = inst.hh_label[h]
    size = int(inst.hh_size[h])
    if label is None:
        return "This person"
    return f"Household {label!r} ({size} {'person' if size == 1 else 'people'})"


def household_reasons(inst: Instance, hh_tr: IntArray) -> list[tuple[str, str] | None]:
    """Why each unassigned household is unassigned (None for assigned households)."""
    n_ap = len(inst.ap_lat)
    n_hh = inst.n_households
    ap_seats = (
        np.bincount(inst.tr_ap, weights=inst.tr_seats0, minlength=n_ap)
        if len(inst.tr_ap)
        else (np.zeros(n_ap))
    )
    max_seat0 = np.zeros(n_ap, dtype=np.int64)
    if len(inst.tr_ap):
        np.maximum.at(max_seat0, inst.tr_ap, inst.tr_seats0)
    n_reach = np.bincount(inst.reach_h, minlength=n_hh)
    with_leg = ap_seats[inst.reach_a] > 0
    n_leg = np.bincount(inst.reach_h[with_leg], minlength=n_hh)
    size = inst.hh_size[inst.reach_h]
    fit0 = with_leg & (size <= max_seat0[inst.reach_a]) & (size <= inst.ap_cap0[inst.reach_a])
    n_fit = np.bincount(inst.reach_h[fit0], minlength=n_hh)
    # highest priority among people assigned at each assembly point (confirmed ones included)
    ap_top = np.full(n_ap, -1, dtype=np.int64)
    placed = np.nonzero(hh_tr >= 0)[0]
    if len(placed):
        np.maximum.at(ap_top, inst.tr_ap[hh_tr[placed]], inst.hh_prio[placed])
    fixed = np.nonzero(inst.person_tr >= 0)[0]
    if len(fixed):
        np.maximum.at(ap_top, inst.tr_ap[inst.person_tr[fixed]], inst.pprio[fixed])
    reach_top = np.full(n_hh, -1, dtype=np.int64)
    if len(inst.reach_h):
        np.maximum.at(reach_top, inst.reach_h[fit0], ap_top[inst.reach_a[fit0]])

    km = f"{inst.max_km:g} km"
    out: list[tuple[str, str] | None] = [None] * n_hh
    for h in np.nonzero(hh_tr < 0)[0]:
        who = _who(inst, int(h))
        if n_reach[h] == 0:
            out[h] = (
                NO_ASSEMBLY_POINT_WITHIN_REACH,
                f"{who}: no assembly point within {km} of every member.",
            )
        elif n_leg[h] == 0:
            out[h] = (
                NO_LEG_WITHIN_REACH,
                f"{who}: no transport with seats leaves from the assembly points within {km}.",
            )
        elif n_fit[h] == 0:
            out[h] = (
                HOUSEHOLD_TOO_LARGE_FOR_ANY_LEG,
                f"{who}: larger than every leg (or assembly point) within {km}; households travel together.",
            )
        elif reach_top[h] > inst.hh_prio[h]:
            out[h] = (
                LOWER_PRIORITY_DISPLACED,
                f"{who}: the places within {km} went to people of higher priority.",
            )
        else:
            out[h] = (
                NO_CAPACITY_WITHIN_REACH,
                f"{who}: the assembly points and legs within {km} are full.",
            )
    return out


def outcome(inst: Instance, hh_tr: IntArray) -> Outcome:
    """Per-person assignments and reasons, in input order, and the totals."""
    problem = inst.problem
    n = len(problem.people)
    person_tr = inst.person_tr.copy()
    fixed_mask = person_tr >= 0
    tiers = np.full(n, -1, dtype=np.int64)
    tiers[fixed_mask] = inst.pprio[fixed_mask]
    for h in np.nonzero(hh_tr >= 0)[0].tolist():
        members = inst.hh_members[h]
        person_tr[members] = hh_tr[h]
        tiers[members] = inst.hh_prio[h]
    reasons = household_reasons(inst, hh_tr)
    why: dict[int, tuple[str, str]] = dict(inst.pre_unassigned)
    for h, r in enumerate(reasons):
        if r is not None:
            for i in inst.hh_members[h]:
                why[i] = r
    assigned = np.nonzero(person_tr >= 0)[0]
    ap_of = inst.tr_ap[person_tr[assigned]]
    dist = haversine_km(inst.plat[assigned], inst.plon[assigned], inst.ap_lat[ap_of], inst.ap_lon[ap_of])
    fixed_sel = fixed_mask[assigned]
    people, points, legs = problem.people, problem.assembly_points, problem.transports
    assignments = tuple(
        Assignment(person=people[i].id, assembly_point=points[a].id, transport=legs[person_tr[i]].id)
        for i, a in zip(assigned.tolist(), ap_of.tolist(), strict=True)
    )
    unassigned = tuple(
        Unassigned(person=people[i].id, reason=why[i][0], detail=why[i][1])
        for i in range(n)
        if person_tr[i] < 0
    )
    moved = np.bincount(tiers[assigned], minlength=5)
    fixed = np.bincount(tiers[assigned[fixed_sel]], minlength=5)
    return Outcome(
        assignments=assignments,
        unassigned=unassigned,
        hh_reason=[None if r is None else r[0] for r in reasons],
        total_km=float(dist.sum()),
        fixed_km=float(dist[fixed_sel].sum()),
        moved_by_priority={k: int(moved[k]) for k in PRIORITIES},
        fixed_by_priority={k: int(fixed[k]) for k in PRIORITIES},
        ap_assigned=np.bincount(ap_of, minlength=len(inst.ap_lat)).astype(np.int64),
    )


def _lex_knapsack(items: list[tuple[int, int]], room: int) -> list[int]:
    """Exact 0/1 knapsack maximising people moved per priority lexicographically (4 first).

    items: (size, priority); returns the chosen item indexes. Dynamic programme over seats.
    """
    Value = tuple[int, int, int, int, int]
    zero: Value = (0, 0, 0, 0, 0)
    best: list[tuple[Value, tuple[int, ...]]] = [(zero, ())] * (room + 1)
    for idx, (size, prio) in enumerate(items):
        gain = [0, 0, 0, 0, 0]
        gain[4 - prio] = size
        for cap in range(room, size - 1, -1):
            value, chosen = best[cap - size]
            cand: Value = (
                value[0] + gain[0],
                value[1] + gain[1],
                value[2] + gain[2],
                value[3] + gain[3],
                value[4] + gain[4],
            )
            if cand > best[cap][0]:
                best[cap] = (cand, (*chosen, idx))
    return list(best[room][1])


def shortfalls(
    inst: Instance, hh_tr: IntArray, out: Outcome
) -> tuple[tuple[Shortfall, ...], tuple[ExtraLeg, ...]]:
    """Assembly points that people within reach could not get into, and what one more leg would do."""
    n_ap = len(inst.ap_lat)
    problem = inst.problem
    ap_seats0 = (
        np.bincount(inst.tr_ap, weights=inst.tr_seats0, minlength=n_ap).astype(np.int64)
        if len(inst.tr_ap)
        else np.zeros(n_ap, dtype=np.int64)
    )
    unplaced = np.array([r in CAPACITY_REASONS for r in out.hh_reason] if out.hh_reason else [], dtype=bool)
    sel = unplaced[inst.reach_h] if len(inst.reach_h) else np.zeros(0, dtype=bool)
    rh, ra = inst.reach_h[sel], inst.reach_a[sel]
    per_ap = np.zeros((n_ap, 5), dtype=np.int64)
    np.add.at(per_ap, (ra, inst.hh_prio[rh]), inst.hh_size[rh])
    totals = per_ap.sum(axis=1)
    order = sorted(np.nonzero(totals > 0)[0].tolist(), key=lambda a: (-int(totals[a]), a))
    short = tuple(
        Shortfall(
            assembly_point=problem.assembly_points[a].id,
            limited_by="capacity" if inst.ap_cap0[a] < ap_seats0[a] else "seats",
            capacity=int(inst.ap_cap0[a]),
            seats=int(ap_seats0[a]),
            assigned=int(out.ap_assigned[a]),
            unplaced_within_reach=int(totals[a]),
            unplaced_by_priority={k: int(per_ap[a, k]) for k in PRIORITIES},
        )
        for a in order
    )
    if len(inst.tr_seats0) == 0:
        return short, ()
    typical = round(float(np.median(inst.tr_seats0)))
    # households a new leg could take: unplaced for lack of room, or for lack of a leg big enough
    extra_ok = {
        NO_CAPACITY_WITHIN_REACH,
        LOWER_PRIORITY_DISPLACED,
        HOUSEHOLD_TOO_LARGE_FOR_ANY_LEG,
        NO_LEG_WITHIN_REACH,
    }
    waiting = np.array([r in extra_ok for r in out.hh_reason] if out.hh_reason else [], dtype=bool)
    legs = []
    for a in order[:TOP_SHORTFALLS_FOR_EXTRA_LEG]:
        room = min(typical, int(inst.ap_cap0[a] - out.ap_assigned[a]))
        name = problem.assembly_points[a].id
        if room <= 0:
            legs.append(
                ExtraLeg(
                    assembly_point=name,
                    seats=typical,
                    would_move=0,
                    by_priority={k: 0 for k in PRIORITIES},
                    note="The assembly point itself is full: it needs more space, not another leg.",
                )
            )
            continue
        cand = [
            int(h)
            for h in inst.reach_h[(inst.reach_a == a) & waiting[inst.reach_h]]
            if inst.hh_size[h] <= room
        ]
        chosen = _lex_knapsack([(int(inst.hh_size[h]), int(inst.hh_prio[h])) for h in cand], room)
        by = dict.fromkeys(PRIORITIES, 0)
        for c in chosen:
            by[int(inst.hh_prio[cand[c]])] += int(inst.hh_size[cand[c]])
        limit = " (the assembly point's remaining space)" if room < typical else ""
        legs.append(
            ExtraLeg(
                assembly_point=name,
                seats=typical,
                would_move=sum(by.values()),
                by_priority=by,
                note=f"Direct effect of one more {typical}-seat leg with {room} usable seats{limit}: "
                "people now unplaced within reach, whole households, most vulnerable first. "
                "Re-planning could move more by shifting others.",
            )
        )
    return short, tuple(legs)
