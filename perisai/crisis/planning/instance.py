"""The problem in array form: fixed seats taken out, households grouped, reachable arcs computed.

Shared by the optimizer, the greedy baseline and the explanation. Internal to the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .geo import FloatArray, IntArray, haversine_km, pairs_within
from .model import (
    CONFIRMED_LEG_FULL,
    DECLINED,
    NO_ASSEMBLY_POINT_WITHIN_REACH,
    Id,
    Problem,
)
from .parsing import validate_problem


@dataclass
class Instance:
    problem: Problem
    max_km: float
    plat: FloatArray
    plon: FloatArray
    pprio: IntArray
    ap_lat: FloatArray
    ap_lon: FloatArray
    ap_cap0: IntArray  # as given
    ap_cap: IntArray  # what is left after confirmed people and their households
    tr_ap: IntArray
    tr_seats0: IntArray
    tr_seats: IntArray  # what is left after confirmed people and their households
    tr_rank: IntArray  # dense rank of the departure among the legs with seats at its point (0 = first)
    ap_trs: list[list[int]]  # legs of each assembly point, earliest first
    person_tr: IntArray  # fixed leg (confirmed, or the household of a confirmed person), -1 if none
    confirmed: set[int]
    pre_unassigned: dict[int, tuple[str, str]]
    # households to plan ("free" households): members, size, priority (highest member's)
    hh_members: list[list[int]]
    hh_label: list[Id | None]
    hh_size: IntArray
    hh_prio: IntArray
    # arcs household -> assembly point: every member within reach and the household fits a leg there;
    # sorted by household then assembly point; arc_m = sum of the members' distances in metres
    arc_h: IntArray
    arc_a: IntArray
    arc_m: FloatArray
    arc_start: IntArray  # arcs of household h are arc_start[h]:arc_start[h + 1]
    # every assembly point within reach of all members (whether or not the household fits there)
    reach_h: IntArray
    reach_a: IntArray
    notes: list[str] = field(default_factory=list)

    @property
    def n_households(self) -> int:
        return len(self.hh_size)


def _household_word(label: Id | None) -> str:
    return "this person" if label is None else f"household {label!r}"


def prepare(problem: Problem) -> Instance:
    validate_problem(problem)
    people = problem.people
    n = len(people)
    pidx = {p.id: i for i, p in enumerate(people)}
    aidx = {a.id: j for j, a in enumerate(problem.assembly_points)}
    tidx = {t.id: k for k, t in enumerate(problem.transports)}
    plat = np.array([p.lat for p in people], dtype=np.float64)
    plon = np.array([p.lon for p in people], dtype=np.float64)
    pprio = np.array([p.priority for p in people], dtype=np.int64)
    pts = problem.assembly_points
    n_ap = len(pts)
    ap_lat = np.array([a.lat for a in pts], dtype=np.float64)
    ap_lon = np.array([a.lon for a in pts], dtype=np.float64)
    ap_cap0 = np.array([a.capacity for a in pts], dtype=np.int64)
    trs = problem.transports
    tr_ap = np.array([aidx[t.assembly_point] for t in trs], dtype=np.int64)
    tr_seats0 = np.array([t.seats for t in trs], dtype=np.int64)
    ap_trs: list[list[int]] = [[] for _ in range(n_ap)]
    for k in sorted(range(len(trs)), key=lambda k: (trs[k].departs, k)):
        ap_trs[int(tr_ap[k])].append(k)
    tr_rank = np.zeros(len(trs), dtype=np.int64)
    for legs in ap_trs:
        rank = -1
        last = None
        for k in legs:
            if trs[k].seats == 0:
                continue  # no one rides it: it does not push the others' rank
            if last is None or trs[k].departs != last:
                rank += 1
                last = trs[k].departs
            tr_rank[k] = rank

    notes: list[str] = []
    ap_cap = ap_cap0.copy()
    tr_seats = tr_seats0.copy()
    person_tr = np.full(n, -1, dtype=np.int64)
    confirmed: set[int] = set()
    for c in problem.confirmed:
        i, k = pidx[c.person], tidx[c.transport]
        person_tr[i] = k
        confirmed.add(i)
        tr_seats[k] -= 1
        ap_cap[tr_ap[k]] -= 1
    for over in np.nonzero(tr_seats < 0)[0].tolist():
        notes.append(f"transport {trs[over].id!r} has {-tr_seats[over]} more confirmed people than seats")
    for over in np.nonzero(ap_cap < 0)[0].tolist():
        notes.append(
            f"assembly point {pts[over].id!r} has {-ap_cap[over]} more confirmed people than capacity"
        )
    np.maximum(tr_seats, 0, out=tr_seats)
    np.maximum(ap_cap, 0, out=ap_cap)

    declined = {pidx[d] for d in problem.declined}
    pre: dict[int, tuple[str, str]] = {i: (DECLINED, "Declined evacuation; not assigned.") for i in declined}
    groups: dict[tuple[int, Id], list[int]] = {}
    for i, p in enumerate(people):
        key: tuple[int, Id] = (1, p.id) if p.household is None else (0, p.household)
        groups.setdefault(key, []).append(i)

    hh_members: list[list[int]] = []
    hh_label: list[Id | None] = []
    pinned: list[tuple[list[int], int, Id | None]] = []
    for (kind, label), group in groups.items():
        members = [i for i in group if i not in declined and person_tr[i] < 0]
        if not members:
            continue
        anchors = [i for i in group if person_tr[i] >= 0]
        name = None if kind == 1 else label
        if anchors:
            pinned.append((members, int(person_tr[anchors[0]]), name))
        else:
            hh_members.append(members)
            hh_label.append(name)

    # Members of a household with a confirmed member travel on that member's leg, or not at all.
    pinned.sort(key=lambda x: (-max(int(pprio[i]) for i in x[0]), x[0][0]))
    for members, k, name in pinned:
        a = int(tr_ap[k])
        size = len(members)
        d = haversine_km(plat[members], plon[members], ap_lat[a], ap_lon[a])
        if float(d.max()) > problem.max_distance_km:
            why = (
                NO_ASSEMBLY_POINT_WITHIN_REACH,
                f"The confirmed assembly point {pts[a].id!r} of {_household_word(name)} is farther than "
                f"{problem.max_distance_km:g} km.",
            )
        elif tr_seats[k] >= size and ap_cap[a] >= size:
            person_tr[members] = k
            tr_seats[k] -= size
            ap_cap[a] -= size
            continue
        else:
            why = (
                CONFIRMED_LEG_FULL,
                f"Others of {_household_word(name)} are confirmed on transport {trs[k].id!r}, which has no "
                f"room left for {size} more.",
            )
        for i in members:
            pre[i] = why

    n_hh = len(hh_members)
    hh_size = np.array([len(m) for m in hh_members], dtype=np.int64)
    hh_prio = np.array([max(int(pprio[i]) for i in m) for m in hh_members], dtype=np.int64)
    flat = np.array([i for m in hh_members for i in m], dtype=np.int64)
    hh_of = np.repeat(np.arange(n_hh, dtype=np.int64), hh_size)
    pi, aj, dkm = pairs_within(plat[flat], plon[flat], ap_lat, ap_lon, problem.max_distance_km)
    pair = hh_of[pi] * max(n_ap, 1) + aj
    order = np.argsort(pair, kind="stable")
    uniq, first, counts = np.unique(pair[order], return_index=True, return_counts=True)
    sums = np.add.reduceat(dkm[order], first) * 1000.0 if len(first) else np.zeros(0)
    uh = uniq // max(n_ap, 1)
    ua = uniq % max(n_ap, 1)
    whole = counts == hh_size[uh]
    reach_h, reach_a, reach_m = uh[whole], ua[whole], sums[whole]

    max_seat = np.zeros(n_ap, dtype=np.int64)
    if len(trs):
        np.maximum.at(max_seat, tr_ap, tr_seats)
    size = hh_size[reach_h]
    fits = (size <= max_seat[reach_a]) & (size <= ap_cap[reach_a])
    arc_h, arc_a, arc_m = reach_h[fits], reach_a[fits], reach_m[fits]
    arc_start = np.searchsorted(arc_h, np.arange(n_hh + 1)).astype(np.int64)
    return Instance(
        problem=problem,
        max_km=problem.max_distance_km,
        plat=plat,
        plon=plon,
        pprio=pprio,
        ap_lat=ap_lat,
        ap_lon=ap_lon,
        ap_cap0=ap_cap0,
        ap_cap=ap_cap,
        tr_ap=tr_ap,
        tr_seats0=tr_seats0,
        tr_seats=tr_seats,
        tr_rank=tr_rank,
        ap_trs=ap_trs,
        person_tr=person_tr,
        confirmed=confirmed,
        pre_unassigned=pre,
        hh_members=hh_members,
        hh_label=hh_label,
        hh_size=hh_size,
        hh_prio=hh_prio,
        arc_h=arc_h.astype(np.int64),
        arc_a=arc_a.astype(np.int64),
        arc_m=arc_m.astype(np.float64),
        arc_start=arc_start,
        reach_h=reach_h.astype(np.int64),
        reach_a=reach_a.astype(np.int64),
        notes=notes,
    )
