"""Builders and an independent checker of every hard rule (shared by the planning tests)."""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from perisai.crisis.planning import Plan, Problem, parse_problem

T0 = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine written out again, so the checker does not trust the module under test."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def doc(
    people: list[tuple[Any, Any, float, float, int]],
    points: list[tuple[Any, float, float, int]],
    legs: list[tuple[Any, Any, int, int]],
    max_km: float = 50.0,
    **extra: Any,
) -> dict[str, Any]:
    """people (id, household, lat, lon, priority); points (id, lat, lon, capacity);
    legs (id, point, seats, minutes after T0)."""
    return {
        "people": [
            {"id": i, "household": h, "lat": la, "lon": lo, "priority": p} for i, h, la, lo, p in people
        ],
        "assembly_points": [{"id": i, "lat": la, "lon": lo, "capacity": c} for i, la, lo, c in points],
        "transports": [
            {"id": i, "assembly_point": a, "seats": s, "departs": (T0 + timedelta(minutes=m)).isoformat()}
            for i, a, s, m in legs
        ],
        "max_distance_km": max_km,
        **extra,
    }


def problem(*args: Any, **kwargs: Any) -> Problem:
    return parse_problem(doc(*args, **kwargs))


def households(pb: Problem) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = defaultdict(list)
    for p in pb.people:
        groups[("h", p.household) if p.household is not None else ("p", p.id)].append(p.id)
    return groups


def check_plan(pb: Problem, plan: Plan) -> None:
    """Assert every hard rule of the plan, from the problem alone."""
    people = {p.id: p for p in pb.people}
    points = {a.id: a for a in pb.assembly_points}
    legs = {t.id: t for t in pb.transports}
    confirmed = {c.person: c for c in pb.confirmed}
    declined = set(pb.declined)
    where = {a.person: a for a in plan.assignments}
    listed = [a.person for a in plan.assignments] + [u.person for u in plan.unassigned]
    assert Counter(listed) == Counter(list(people)), "each person exactly once, assigned or not"
    for a in plan.assignments:
        assert legs[a.transport].assembly_point == a.assembly_point, "a leg leaves from its own point"
        assert a.person not in declined
        if a.person in confirmed:
            c = confirmed[a.person]
            assert (a.assembly_point, a.transport) == (c.assembly_point, c.transport), "confirmed kept"
        else:
            p, ap = people[a.person], points[a.assembly_point]
            assert km(p.lat, p.lon, ap.lat, ap.lon) <= pb.max_distance_km + 1e-9, "within reach"
    for c in pb.confirmed:
        assert c.person in where, "confirmed people stay assigned"
    seats = Counter(a.transport for a in plan.assignments)
    cap = Counter(a.assembly_point for a in plan.assignments)
    n_confirmed_leg = Counter(c.transport for c in pb.confirmed)
    n_confirmed_ap = Counter(c.assembly_point for c in pb.confirmed)
    for t, n in seats.items():
        assert n <= max(legs[t].seats, n_confirmed_leg[t]), f"seats of {t!r}"
    for ap_id, n in cap.items():
        assert n <= max(points[ap_id].capacity, n_confirmed_ap[ap_id]), f"capacity of {ap_id!r}"
    for members in households(pb).values():
        travelling = [m for m in members if m not in declined]
        legs_used = {where[m].transport if m in where else None for m in travelling if m not in confirmed}
        legs_conf = {confirmed[m].transport for m in travelling if m in confirmed}
        if legs_conf:  # the rest of a confirmed person's household: on that leg, or not at all
            assert legs_used <= legs_conf | {None} and len(legs_used) <= 1
        else:
            assert len(legs_used) <= 1, f"household split: {members}"
    for u in plan.unassigned:
        assert u.reason and u.detail


def ranks(pb: Problem) -> dict[Any, int]:
    by_ap: dict[Any, list[Any]] = defaultdict(list)
    for t in pb.transports:
        by_ap[t.assembly_point].append(t)
    out = {}
    for legs in by_ap.values():
        times = sorted({t.departs for t in legs if t.seats > 0})
        for t in legs:
            out[t.id] = times.index(t.departs) if t.seats > 0 else 0
    return out


def objective(pb: Problem, plan: Plan) -> tuple[tuple[int, ...], float, tuple[int, ...]]:
    """(people moved per household priority 4..0, total km, people x departure rank per priority)."""
    people = {p.id: p for p in pb.people}
    points = {a.id: a for a in pb.assembly_points}
    rank = ranks(pb)
    prio: dict[Any, int] = {}
    for members in households(pb).values():
        top = max((people[m].priority for m in members if m not in set(pb.declined)), default=0)
        for m in members:
            prio[m] = top
    cover = [0] * 5
    dep = [0] * 5
    dist = 0.0
    for a in plan.assignments:
        p, ap = people[a.person], points[a.assembly_point]
        cover[prio[a.person]] += 1
        dep[prio[a.person]] += rank[a.transport]
        dist += km(p.lat, p.lon, ap.lat, ap.lon)
    return tuple(cover[::-1]), dist, tuple(dep[::-1])


def brute_force(pb: Problem) -> list[tuple[tuple[int, ...], float, tuple[int, ...]]]:
    """Every feasible plan's objective, by enumeration (no confirmed/declined)."""
    assert not pb.confirmed and not pb.declined
    people = {p.id: p for p in pb.people}
    points = {a.id: a for a in pb.assembly_points}
    rank = ranks(pb)
    hhs = list(households(pb).values())
    options = []
    for members in hhs:
        opts: list[Any] = [None]
        for t in pb.transports:
            ap = points[t.assembly_point]
            if all(km(people[m].lat, people[m].lon, ap.lat, ap.lon) <= pb.max_distance_km for m in members):
                opts.append(t)
        options.append(opts)
    out = []
    for choice in itertools.product(*options):
        seats: Counter[Any] = Counter()
        cap: Counter[Any] = Counter()
        cover = [0] * 5
        dep = [0] * 5
        dist = 0.0
        for members, t in zip(hhs, choice, strict=True):
            if t is None:
                continue
            seats[t.id] += len(members)
            cap[t.assembly_point] += len(members)
            prio = max(people[m].priority for m in members)
            cover[prio] += len(members)
            dep[prio] += len(members) * rank[t.id]
            ap = points[t.assembly_point]
            dist += sum(km(people[m].lat, people[m].lon, ap.lat, ap.lon) for m in members)
        legs = {t.id: t for t in pb.transports}
        if all(n <= legs[t].seats for t, n in seats.items()) and all(
            n <= points[a].capacity for a, n in cap.items()
        ):
            out.append((tuple(cover[::-1]), dist, tuple(dep[::-1])))
    return out
