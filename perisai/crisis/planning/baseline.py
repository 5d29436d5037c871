"""The baseline a desk would do by hand: first come, nearest assembly point with room, earliest leg."""

from __future__ import annotations

import time

import numpy as np

from .explain import outcome, shortfalls
from .instance import prepare
from .model import Explanation, Plan, Problem


def greedy_baseline(problem: Problem) -> Plan:
    """Households in input order each take the nearest assembly point within reach that still has
    room for all of them on one leg (earliest such leg). Ignores priority; proves nothing (bound None).
    """
    start = time.perf_counter()
    inst = prepare(problem)
    cap = inst.ap_cap.copy()
    seats = inst.tr_seats.copy()
    hh_tr = np.full(inst.n_households, -1, dtype=np.int64)
    first = [min(m) for m in inst.hh_members]
    for h in sorted(range(inst.n_households), key=first.__getitem__):
        lo, hi = int(inst.arc_start[h]), int(inst.arc_start[h + 1])
        s = int(inst.hh_size[h])
        for e in (lo + np.argsort(inst.arc_m[lo:hi], kind="stable")).tolist():
            a = int(inst.arc_a[e])
            if cap[a] < s:
                continue
            t = next((t for t in inst.ap_trs[a] if seats[t] >= s), -1)
            if t >= 0:
                hh_tr[h] = t
                seats[t] -= s
                cap[a] -= s
                break
    out = outcome(inst, hh_tr)
    short, legs = shortfalls(inst, hh_tr, out)
    return Plan(
        assignments=out.assignments,
        unassigned=out.unassigned,
        total_distance_km=out.total_km,
        bound=None,
        solve_seconds=time.perf_counter() - start,
        explanation=Explanation(
            status="feasible",
            method="greedy baseline: first come, nearest assembly point with room",
            moved_by_priority=out.moved_by_priority,
            moved_bound_by_priority=None,
            distance_gap=None,
            shortfalls=short,
            one_more_leg=legs,
            notes=tuple(inst.notes),
        ),
    )
