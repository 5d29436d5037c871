"""The optimizer: a min-cost-flow relaxation, a MIP repair of split households, exact leg ordering.

Objective, lexicographic (each level only breaks ties of the ones above):

1. people moved by household priority, 4 first, then 3, ... then 0;
2. total great-circle distance from each moved person to their assembly point (minimised);
3. departure order: at each assembly point, people x departure rank of their leg, priority 4 first.

Steps (``plan_evacuation``):

* relaxation: a min-cost flow households -> assembly points -> sink, each assembly point capped by
  min(capacity, seats of its legs), plus a "not moved" arc per household costing (priority + 1) x M,
  with M above any possible total distance. The people a flow can move per household form a
  polymatroid (one sink), so any strictly ordered per-tier rewards give the same per-tier maximum as
  the lexicographic one, and M keeps distance from ever buying a person (Megiddo's lexicographically
  optimal flows). Its value bounds the real problem: per tier it moves at least as many people as any
  plan, and for those numbers no plan has a shorter total distance. Households may split in it.
* packing: households the flow keeps whole are packed into the legs of their assembly point;
* repair: the split households join assembly points into small connected groups; per group, one
  CP-SAT model over the split (and unpacked) households, a few lowest-priority households of each
  leg there (which may be moved or evicted), a few waiting households that could fill gaps, and
  all the other households of those points, which may change leg there (counted by size). The
  relaxation restricted to a group is optimal for it, so its per-priority numbers bound the group:
  the model first asks for exactly those numbers while minimising distance (reaching them is a
  proof), then for any plan at those numbers, and falls back to a level-by-level lexicographic
  solve. A group that misses its numbers gets a second model over a wider neighbourhood, whose
  bound is the relaxation minus what stays outside (lexicographic order is translation-invariant);
* departure order: at each assembly point the people are re-seated on its legs, higher priority on
  earlier legs; a greedy fill is kept when it meets the fractional lower bound, else a CP-SAT model;
* small instances (full model up to ``exact_max_vars`` variables) that the steps above cannot prove
  optimal are solved by the full CP-SAT model, warm-started from the plan above.

CP-SAT runs with deterministic work limits (same plan on every run and machine with one worker)
under the wall-clock ``time_limit_s``; the flows always run to optimality. Status "optimal" is
claimed only with a proof: the plan meets the relaxation in people per priority and in distance
(rounded to 0.1 m per person) and every leg ordering is proven, or the full model proved it.

The reported ``bound`` (km) is the least total distance of any plan, households split or not, that
moves as many people per priority as this plan: the relaxation's value when the numbers match it,
else a second flow with those numbers fixed; less the rounding of the integer costs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from .explain import outcome, shortfalls
from .geo import IntArray
from .instance import Instance, prepare
from .model import PRIORITIES, Explanation, Plan, Problem

# distance unit of the integer costs, in metres; made coarser if the flow's costs would overflow
_UNITS_M = (0.1, 1.0, 10.0, 100.0, 1000.0)
_COMBINE_LIMIT = 1 << 50  # largest span of a weighted sum of lexicographic levels given to CP-SAT
_SPLIT_NEAREST = 3  # extra assembly points (nearest) offered to a split household in the repair
_EVICTABLE_PER_LEG = 3
_FILLERS_PER_POINT = 4
_FILLER_SINGLES_PER_POINT = 2
_OPTIONS_PER_CANDIDATE = 3
# the repair's distance level may stop this close to its own bound: the plan's optimality is judged
# against the relaxation, never from the repair, and the global gap is reported
_REPAIR_DISTANCE_GAP = 1e-4
_WIDER_NEIGHBOURS = 12  # second try for a group that missed its numbers: points near its households
_WIDER_EVICTABLE_PER_LEG = 16
_WIDER_WORK = 0.5  # share of the repair's work units for each second try
_REPAIR_WORK_PER_SECOND = 0.3  # deterministic work units for the repair, per second of time limit
_FEASIBILITY_WORK = 0.5  # work units to look for any plan at the relaxation's numbers
_ORDER_WORK = 0.5  # deterministic work units for re-seating one assembly point
_EXACT_WORK = 5.0  # deterministic work units for the full model on a small instance


class SolverError(RuntimeError):
    pass


@dataclass
class _Relaxation:
    unit_m: float
    c_unit: IntArray  # per arc: rounded distance per person, in units
    arc_f: IntArray
    moved_h: IntArray  # people of each household moved by the flow
    cover: IntArray  # people moved per priority (index = priority)
    cost: int  # distance part of the optimum, in units


def _ap_room(inst: Instance) -> IntArray:
    n_ap = len(inst.ap_lat)
    seats = np.zeros(n_ap, dtype=np.int64)
    np.add.at(seats, inst.tr_ap, inst.tr_seats)
    out: IntArray = np.minimum(inst.ap_cap, seats)
    return out


def _solve_flow(
    n_nodes: int,
    tails: IntArray,
    heads: IntArray,
    caps: IntArray,
    costs: IntArray,
    supplies: IntArray,
) -> tuple[IntArray, int] | None:
    smcf = min_cost_flow.SimpleMinCostFlow()
    arcs = smcf.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), costs.astype(np.int64)
    )
    nodes = np.nonzero(supplies)[0]
    if len(nodes):
        smcf.set_nodes_supplies(nodes.astype(np.int32), supplies[nodes].astype(np.int64))
    status = smcf.solve()
    if status == smcf.BAD_COST_RANGE:
        return None
    if status != smcf.OPTIMAL:
        raise SolverError(f"min-cost flow failed: {status}")
    flows = np.asarray(smcf.flows(np.asarray(arcs, dtype=np.int32)), dtype=np.int64)
    return flows, int(smcf.optimal_cost())


def _relax(inst: Instance) -> _Relaxation:
    n_hh, n_ap = inst.n_households, len(inst.ap_lat)
    size = inst.hh_size
    has_arc = np.diff(inst.arc_start) > 0
    hs = np.nonzero(has_arc)[0]
    sink = n_hh + n_ap
    room = _ap_room(inst)
    per_person = inst.arc_m / size[inst.arc_h]
    for unit in _UNITS_M:
        c_unit = np.rint(per_person / unit).astype(np.int64)
        worst = np.zeros(n_hh, dtype=np.int64)
        np.maximum.at(worst, inst.arc_h, c_unit)
        big_m = int((worst * size).sum()) + 1
        tails = np.concatenate([inst.arc_h, n_hh + np.arange(n_ap), hs])
        heads = np.concatenate([n_hh + inst.arc_a, np.full(n_ap, sink), np.full(len(hs), sink)])
        caps = np.concatenate([size[inst.arc_h], room, size[hs]])
        costs = np.concatenate([c_unit, np.zeros(n_ap, dtype=np.int64), (inst.hh_prio[hs] + 1) * big_m])
        supplies = np.zeros(sink + 1, dtype=np.int64)
        supplies[hs] = size[hs]
        supplies[sink] = -int(size[hs].sum())
        if (5 * big_m) * (sink + 2) > (1 << 62):
            continue
        res = _solve_flow(sink + 1, tails, heads, caps, costs, supplies)
        if res is None:
            continue
        flows, _ = res
        arc_f = flows[: len(inst.arc_h)]
        not_moved = np.zeros(n_hh, dtype=np.int64)
        not_moved[hs] = flows[len(inst.arc_h) + n_ap :]
        moved_h = np.where(has_arc, size - not_moved, 0)
        cover = np.bincount(inst.hh_prio, weights=moved_h, minlength=5).astype(np.int64)
        return _Relaxation(unit, c_unit, arc_f, moved_h, cover, int((arc_f * c_unit).sum()))
    raise SolverError("distances too large for integer costs")


def _bound_for_cover(inst: Instance, relax: _Relaxation, cover: IntArray) -> int | None:
    """Least distance (units) of any flow moving exactly ``cover[k]`` people of each priority k."""
    n_hh, n_ap = inst.n_households, len(inst.ap_lat)
    has_arc = np.nonzero(np.diff(inst.arc_start) > 0)[0]
    sink = n_hh + n_ap
    tier0 = sink + 1
    tails = np.concatenate([tier0 + inst.hh_prio[has_arc], inst.arc_h, n_hh + np.arange(n_ap)])
    heads = np.concatenate([has_arc, n_hh + inst.arc_a, np.full(n_ap, sink)])
    caps = np.concatenate([inst.hh_size[has_arc], inst.hh_size[inst.arc_h], _ap_room(inst)])
    costs = np.concatenate(
        [np.zeros(len(has_arc), dtype=np.int64), relax.c_unit, np.zeros(n_ap, dtype=np.int64)]
    )
    supplies = np.zeros(tier0 + 5, dtype=np.int64)
    supplies[tier0 : tier0 + 5] = cover
    supplies[sink] = -int(cover.sum())
    try:
        res = _solve_flow(tier0 + 5, tails, heads, caps, costs, supplies)
    except SolverError:
        return None
    return None if res is None else res[1]


# ----------------------------------------------------------------------------------------------
# CP-SAT models


@dataclass
class _Level:
    """Minimise sum(coef * x[idx]); ``span`` caps its variation; ``target`` is a lower bound that is
    valid when every level before it reaches its own target."""

    idx: IntArray
    coef: IntArray
    span: int | None = None
    target: int | None = None

    def value(self, sol: IntArray) -> int:
        return int(self.coef @ sol[self.idx])


def _groups(levels: Sequence[_Level]) -> list[list[tuple[_Level, int]]]:
    """Merge consecutive levels into weighted sums while the span stays below ``_COMBINE_LIMIT``."""
    groups: list[list[tuple[_Level, int]]] = []
    span = 0
    for level in levels:
        rng = int(np.abs(level.coef).sum())
        if level.span is not None:
            rng = min(rng, level.span)
        if rng == 0:
            continue
        new_span = span * (rng + 1) + rng
        if groups and new_span <= _COMBINE_LIMIT:
            groups[-1] = [(lv, w * (rng + 1)) for lv, w in groups[-1]]
            groups[-1].append((level, 1))
            span = new_span
        else:
            groups.append([(level, 1)])
            span = rng
    return groups


@dataclass
class _Lex:
    """Minimise levels lexicographically with CP-SAT (``n_vars``: all the model's variables).

    If the leading levels have targets (bounds from the relaxation), first try them as equalities and
    optimise the rest: success proves those levels optimal with no big weights. Otherwise (or if that
    is infeasible) the levels are merged into weighted groups (``_groups``), each solved then fixed
    (== if proven, <= if stopped early) before the next; a group whose targets are all valid goes in
    as a constraint, so reaching it is a proof. Limits are deterministic work units (reproducible
    with one worker) under a wall-clock deadline. Never returns worse than the (feasible) hint.
    """

    model: cp_model.CpModel
    n_vars: int
    workers: int

    def _solve_once(
        self, model: cp_model.CpModel, deadline: float, work: float, gap: float
    ) -> tuple[cp_model.CpSolverStatus, IntArray | None, float]:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = self.workers
        solver.parameters.max_time_in_seconds = max(0.02, deadline - time.perf_counter())
        solver.parameters.max_deterministic_time = max(0.01, work)
        solver.parameters.linearization_level = 2  # the LP of these assignment models is strong
        if gap:
            solver.parameters.relative_gap_limit = gap
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status, None, solver.deterministic_time
        sol = solver.response_proto.solution
        values = np.fromiter((sol[i] for i in range(self.n_vars)), dtype=np.int64, count=self.n_vars)
        return status, values, solver.deterministic_time

    def _run(
        self,
        model: cp_model.CpModel,
        levels: Sequence[_Level],
        hint: IntArray | None,
        deadline: float,
        work: float,
        last_gap: float,
    ) -> tuple[IntArray | None, bool]:
        """Levels in weighted groups, each solved then fixed; ``hint`` must be feasible (None: no hint,
        and None is returned if the first group finds no solution)."""
        xs = [model.get_int_var_from_proto_index(i) for i in range(self.n_vars)]
        current = hint
        proven = True
        met = True  # every level so far reached its target, so the next targets are valid bounds
        groups = _groups(levels)
        if not groups:
            status, values, _ = self._solve_once(model, deadline, work, 0.0)
            return (values, status == cp_model.OPTIMAL) if values is not None else (hint, False)
        for g, group in enumerate(groups):
            total = np.zeros(self.n_vars, dtype=np.int64)
            for lv, weight in group:
                np.add.at(total, lv.idx, lv.coef * weight)
            nz = np.nonzero(total)[0]
            expr = cp_model.LinearExpr.weighted_sum([xs[i] for i in nz], total[nz].tolist())
            if met and all(lv.target is not None for lv, _ in group):
                model.add(expr >= sum(int(lv.target or 0) * w for lv, w in group))
            model.minimize(expr)
            model.clear_hints()  # type: ignore[no-untyped-call]
            if current is not None:
                for x, v in zip(xs, current.tolist(), strict=True):
                    model.add_hint(x, v)
            status, values, used = self._solve_once(
                model, deadline, work / (len(groups) - g), last_gap if g == len(groups) - 1 else 0.0
            )
            work = max(0.0, work - used)
            if values is not None:
                current = values
            if current is None:
                return None, False
            value = int(total[nz] @ current[nz])
            if status == cp_model.OPTIMAL:
                model.add(expr == value)
            else:
                proven = False
                model.add(expr <= value)
            met = met and all(lv.target is not None and lv.value(current) == lv.target for lv, _ in group)
        return current, proven

    def solve(
        self,
        levels: Sequence[_Level],
        hint: Sequence[int],
        deadline: float,
        work: float,
        last_gap: float = 0.0,
    ) -> tuple[list[int], bool]:
        """``work``: deterministic work units, for the attempt at the targets and again for the
        fallback if that attempt fails. ``last_gap``: relative gap accepted on the last group (only
        where no proof is claimed)."""
        start = np.asarray(hint, dtype=np.int64)
        lead = 0
        while lead < len(levels) and levels[lead].target is not None:
            lead += 1
        best: IntArray | None = None
        proven = False
        if lead:
            # the relaxation's numbers as equalities, the rest optimised from scratch (no hint: the
            # LP finds better plans than a hint that is infeasible here); success proves those levels
            trial = self.model.clone()
            xs = [trial.get_int_var_from_proto_index(i) for i in range(self.n_vars)]
            for lv in levels[:lead]:
                expr = cp_model.LinearExpr.weighted_sum([xs[i] for i in lv.idx], lv.coef.tolist())
                trial.add(expr == int(lv.target or 0))
            best, proven = self._run(trial, levels[lead:], None, deadline, work, last_gap)
            if best is None:  # no plan found while optimising: look for any plan at the targets
                trial.clear_objective()  # type: ignore[no-untyped-call]
                _, found, _ = self._solve_once(trial, deadline, max(work, _FEASIBILITY_WORK), 0.0)
                if found is not None:
                    best, proven = self._run(trial, levels[lead:], found, deadline, work, last_gap)
        if best is None:
            best, proven = self._run(self.model, levels, start, deadline, work, last_gap)
        if best is None or [lv.value(start) for lv in levels] < [lv.value(best) for lv in levels]:
            return start.tolist(), False
        return best.tolist(), proven


Flex = dict[int, dict[int, list[int]]]  # assembly point -> household size -> households kept there


def _assignment_model(
    inst: Instance,
    relax: _Relaxation,
    options: dict[int, list[int]],
    seats: IntArray,
    cap: IntArray,
    hint_tr: dict[int, int],
    *,
    must_assign: bool,
    levels: tuple[str, ...],
    deadline: float,
    workers: int,
    work: float,
    cover_target: IntArray | None = None,
    last_gap: float = 0.0,
    flex: Flex | None = None,
) -> tuple[dict[int, int], bool]:
    """Households -> legs. ``options[h]`` lists arc indexes (assembly points) h may use.

    ``seats``/``cap``: room per leg / per assembly point for these households. ``levels`` among
    "cover", "distance", "departure"; ``cover_target[k]``: no solution moves more people of priority k
    unless it moves fewer of a higher one (from the relaxation). ``flex``: households that stay at
    their assembly point but may change leg there (counted by size, their seats included in
    ``seats``); they are re-seated in ``hint_tr``'s dict too. Returns the leg per household (-1: none).
    """
    model = cp_model.CpModel()
    xs: list[cp_model.IntVar] = []
    var_h: list[int] = []
    var_t: list[int] = []
    var_e: list[int] = []
    for h, arcs in options.items():
        s = int(inst.hh_size[h])
        for e in arcs:
            a = int(inst.arc_a[e])
            if cap[a] < s:
                continue
            for t in inst.ap_trs[a]:
                if seats[t] >= s:
                    xs.append(model.new_bool_var(""))
                    var_h.append(h)
                    var_t.append(t)
                    var_e.append(e)
    vh = np.asarray(var_h, dtype=np.int64)
    vt = np.asarray(var_t, dtype=np.int64)
    ve = np.asarray(var_e, dtype=np.int64)
    size = inst.hh_size[vh] if len(vh) else np.zeros(0, dtype=np.int64)
    pos = np.arange(len(xs), dtype=np.int64)

    # kept households re-seated among the legs of their own point: how many of each size per leg
    leg_terms: dict[int, list[tuple[cp_model.IntVar, int]]] = {}
    flex_vars: list[tuple[int, int, int, cp_model.IntVar]] = []  # (point, size, leg, count)
    flex_hint: list[int] = []
    for a, by_size in (flex or {}).items():
        for s, hs in by_size.items():
            legs = [t for t in inst.ap_trs[a] if seats[t] >= s]
            if not legs:
                raise SolverError("a kept household no longer fits its point")
            counts = [model.new_int_var(0, len(hs), "") for _ in legs]
            model.add(sum(counts) == len(hs))
            for t, m in zip(legs, counts, strict=True):
                leg_terms.setdefault(t, []).append((m, s))
                flex_vars.append((a, s, t, m))
                flex_hint.append(sum(1 for h in hs if hint_tr.get(h) == t))

    def grouped(keys: IntArray) -> list[IntArray]:
        if len(keys) == 0:
            return []
        order = np.argsort(keys, kind="stable")
        cuts = np.nonzero(np.diff(keys[order]))[0] + 1
        return np.split(order, cuts)

    by_h = {int(vh[g[0]]): g for g in grouped(vh)}
    for h in options:
        g = by_h.get(h)
        lits = [] if g is None else [xs[i] for i in g]
        if must_assign:
            if not lits:
                raise SolverError("a household cannot keep a seat")
            model.add_exactly_one(lits)
        elif len(lits) > 1:
            model.add_at_most_one(lits)
    for g in grouped(vt):
        t = int(vt[g[0]])
        leg_terms.setdefault(t, []).extend((xs[i], int(size[i])) for i in g)
    for t, terms in leg_terms.items():
        expr = cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [c for _, c in terms])
        model.add(expr <= int(seats[t]))
    va = inst.tr_ap[vt] if len(vt) else vt
    for g in grouped(va):
        a = int(va[g[0]])
        if int(size[g].sum()) > cap[a]:
            model.add(cp_model.LinearExpr.weighted_sum([xs[i] for i in g], size[g].tolist()) <= int(cap[a]))

    prio = inst.hh_prio[vh] if len(vh) else vh
    legs_used = np.unique(vt)
    room = int(min(seats[legs_used].sum(), cap[np.unique(inst.tr_ap[legs_used])].sum())) if len(vt) else 0
    level_list: list[_Level] = []
    for name in levels:
        if name == "cover":
            for k in PRIORITIES:
                target = None if cover_target is None else -int(cover_target[k])
                level_list.append(_Level(pos[prio == k], -size[prio == k], room, target))
        elif name == "distance":
            level_list.append(_Level(pos, size * relax.c_unit[ve]))
        elif name == "departure":
            rank = inst.tr_rank[vt]
            level_list += [_Level(pos[prio == k], (size * rank)[prio == k]) for k in PRIORITIES]
    hint = [1 if hint_tr.get(h, -1) == t else 0 for h, t in zip(var_h, var_t, strict=True)] + flex_hint
    values, proven = _Lex(model, len(hint), workers).solve(level_list, hint, deadline, work, last_gap)
    chosen = dict.fromkeys(options, -1)
    for i in np.nonzero(np.asarray(values[: len(xs)], dtype=np.int64))[0]:
        chosen[var_h[i]] = var_t[i]
    # hand the kept households out to the legs in the counts found
    share: dict[tuple[int, int], list[int]] = {}
    for (a, s, t, _), n in zip(flex_vars, values[len(xs) :], strict=True):
        share.setdefault((a, s), []).extend([t] * int(n))
    for a, by_size in (flex or {}).items():
        for s, hs in by_size.items():
            legs_for = sorted(share.get((a, s), []))
            staying = sorted(hs, key=lambda h: hint_tr.get(h, -1))
            for h, t in zip(staying, legs_for, strict=True):
                chosen[h] = t
    return chosen, proven


# ----------------------------------------------------------------------------------------------
# steps


def _nearest_arcs(inst: Instance, relax: _Relaxation, h: int, k: int) -> list[int]:
    lo, hi = int(inst.arc_start[h]), int(inst.arc_start[h + 1])
    order = np.argsort(relax.c_unit[lo:hi], kind="stable")[:k]
    return [lo + int(i) for i in order]


def _pack(inst: Instance, hh_ap: IntArray, seats: IntArray) -> tuple[IntArray, list[int]]:
    """First-fit decreasing of households into the legs of their assembly point (earliest first)."""
    hh_tr = np.full(inst.n_households, -1, dtype=np.int64)
    left: list[int] = []
    hs = np.nonzero(hh_ap >= 0)[0]
    order = hs[np.lexsort((-inst.hh_size[hs], hh_ap[hs]))]
    for h in order.tolist():
        s = int(inst.hh_size[h])
        for t in inst.ap_trs[int(hh_ap[h])]:
            if seats[t] >= s:
                seats[t] -= s
                hh_tr[h] = t
                break
        else:
            left.append(h)
    return hh_tr, left


def _repair(
    inst: Instance, relax: _Relaxation, deadline: float, work: float, workers: int
) -> tuple[IntArray, bool]:
    """Make the relaxation unsplittable: pack whole households, then one small CP-SAT model per
    connected group of assembly points that split households join."""
    n_hh, n_ap = inst.n_households, len(inst.ap_lat)
    size = inst.hh_size
    whole_arc = relax.arc_f == size[inst.arc_h]
    hh_ap = np.full(n_hh, -1, dtype=np.int64)
    hh_ap[inst.arc_h[whole_arc]] = inst.arc_a[whole_arc]
    hh_tr, unpacked = _pack(inst, hh_ap, inst.tr_seats.copy())
    split = np.nonzero((relax.moved_h > 0) & (hh_ap < 0))[0].tolist()
    if not split and not unpacked:
        return hh_tr, True

    # split households may use the points their flow went to; unpacked ones their own (or nearby)
    options: dict[int, list[int]] = {}
    for h in split:
        lo, hi = int(inst.arc_start[h]), int(inst.arc_start[h + 1])
        options[h] = [e for e in range(lo, hi) if relax.arc_f[e] > 0]
    for h in unpacked:
        own = _arc_of(inst, h, int(hh_ap[h]))
        options[h] = sorted({own, *_nearest_arcs(inst, relax, h, _SPLIT_NEAREST)})
    parent = list(range(n_ap))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for arcs in options.values():
        roots = [find(int(inst.arc_a[e])) for e in arcs]
        for r in roots[1:]:
            parent[find(r)] = find(roots[0])
    comp_of_ap = np.array([find(a) for a in range(n_ap)], dtype=np.int64)
    touched = sorted({int(inst.arc_a[e]) for arcs in options.values() for e in arcs})
    members: dict[int, list[int]] = {}
    for a in touched:
        members.setdefault(int(comp_of_ap[a]), []).append(a)
    comp_of_h: dict[int, int] = {h: int(comp_of_ap[inst.arc_a[arcs[0]]]) for h, arcs in options.items()}

    def arcs_in(h: int, comp: int, k: int) -> list[int]:
        lo, hi = int(inst.arc_start[h]), int(inst.arc_start[h + 1])
        arcs = np.arange(lo, hi)
        arcs = arcs[comp_of_ap[inst.arc_a[arcs]] == comp]
        arcs = arcs[np.isin(inst.arc_a[arcs], members[comp])]
        return [int(e) for e in arcs[np.argsort(relax.c_unit[arcs], kind="stable")][:k]]

    # evictable: the lowest-priority (then smallest) households on each leg of a touched point
    placed = np.nonzero((hh_tr >= 0) & ~np.isin(np.arange(n_hh), list(options)))[0]
    on_touched = placed[np.isin(inst.tr_ap[hh_tr[placed]], touched)]
    order = on_touched[np.lexsort((size[on_touched], inst.hh_prio[on_touched], hh_tr[on_touched]))]
    taken: dict[int, int] = {}
    for h in order.tolist():
        t = int(hh_tr[h])
        if taken.get(t, 0) >= _EVICTABLE_PER_LEG:
            continue
        taken[t] = taken.get(t, 0) + 1
        comp = int(comp_of_ap[inst.tr_ap[t]])
        own = _arc_of(inst, h, int(inst.tr_ap[t]))
        options[h] = sorted({own, *arcs_in(h, comp, _OPTIONS_PER_CANDIDATE)})
        comp_of_h[h] = comp

    # fillers: households the flow left out, best first (priority, size, distance), per touched point
    wa = np.nonzero((relax.moved_h[inst.arc_h] == 0) & np.isin(inst.arc_a, touched))[0]
    wh = inst.arc_h[wa]
    wa = wa[np.lexsort((relax.c_unit[wa], size[wh], -inst.hh_prio[wh], inst.arc_a[wa]))]
    count: dict[int, int] = {}
    singles: dict[int, int] = {}
    for e in wa.tolist():
        h, a = int(inst.arc_h[e]), int(inst.arc_a[e])
        if h in options:
            continue
        if count.get(a, 0) < _FILLERS_PER_POINT:
            count[a] = count.get(a, 0) + 1
        elif size[h] == 1 and singles.get(a, 0) < _FILLER_SINGLES_PER_POINT:
            singles[a] = singles.get(a, 0) + 1
        else:
            continue
        comp = int(comp_of_ap[a])
        options[h] = sorted({e, *arcs_in(h, comp, _OPTIONS_PER_CANDIDATE)})
        comp_of_h[h] = comp

    cands = np.array(sorted(options), dtype=np.int64)
    kept = (hh_tr >= 0) & ~np.isin(np.arange(n_hh), cands)
    seats_left = inst.tr_seats.copy()
    np.subtract.at(seats_left, hh_tr[kept], size[kept])
    cap_left = inst.ap_cap.copy()
    np.subtract.at(cap_left, inst.tr_ap[hh_tr[kept]], size[kept])
    by_comp: dict[int, list[int]] = {}
    for h in cands.tolist():
        by_comp.setdefault(comp_of_h[h], []).append(h)
    split_or_unpacked = set(split) | set(unpacked)
    missed: list[int] = []
    kept_at: dict[int, list[int]] = {}
    for h in np.nonzero(kept)[0].tolist():
        kept_at.setdefault(int(inst.tr_ap[hh_tr[h]]), []).append(h)
    proven = True
    total = sum(len(v) for v in by_comp.values())
    for comp, hs in sorted(by_comp.items(), key=lambda kv: -len(kv[1])):
        # the relaxation restricted to this group is optimal for it: its per-priority numbers bound it
        target = np.zeros(5, dtype=np.int64)
        for h in hs:
            target[inst.hh_prio[h]] += relax.moved_h[h]
        hint = {h: int(hh_tr[h]) for h in hs if hh_tr[h] >= 0}
        # the households kept at these points may change leg (same point, same distance)
        flex: Flex = {}
        seats_comp = seats_left.copy()
        for a in members[comp]:
            for h in kept_at.get(a, []):
                flex.setdefault(a, {}).setdefault(int(size[h]), []).append(h)
                seats_comp[hh_tr[h]] += size[h]
                hint[h] = int(hh_tr[h])
        chosen, ok = _assignment_model(
            inst,
            relax,
            {h: options[h] for h in hs},
            seats_comp,
            cap_left,
            hint,
            must_assign=False,
            levels=("cover", "distance"),
            deadline=deadline,
            work=work * len(hs) / total,
            workers=workers,
            cover_target=target,
            last_gap=_REPAIR_DISTANCE_GAP,
            flex=flex,
        )
        proven = proven and ok
        for h, t in chosen.items():
            hh_tr[h] = t
        got = np.zeros(5, dtype=np.int64)
        for h in hs:
            if hh_tr[h] >= 0:
                got[inst.hh_prio[h]] += size[h]
        if not np.array_equal(got, target):
            missed.append(comp)

    # a group that missed its numbers gets a second, wider try: its points and their neighbours
    for comp in missed:
        core = [h for h in by_comp[comp] if h in split_or_unpacked]
        region = set(members[comp])
        for h in core:
            region.update(int(inst.arc_a[e]) for e in _nearest_arcs(inst, relax, h, _WIDER_NEIGHBOURS))
        _region_solve(inst, relax, hh_tr, sorted(region), core, deadline, work * _WIDER_WORK, workers)
    return hh_tr, proven


def _region_solve(
    inst: Instance,
    relax: _Relaxation,
    hh_tr: IntArray,
    region: list[int],
    core: list[int],
    deadline: float,
    work: float,
    workers: int,
) -> None:
    """Re-plan the households around ``region`` (assembly points) in place; everything else stays.

    The target is the relaxation minus what stays outside: a valid bound whatever happened before,
    since the lexicographic order does not change when the same vector is added to both sides.
    """
    n_hh = inst.n_households
    size = inst.hh_size
    inside = np.zeros(len(inst.ap_lat), dtype=bool)
    inside[region] = True

    def arcs_into(h: int, k: int) -> list[int]:
        lo, hi = int(inst.arc_start[h]), int(inst.arc_start[h + 1])
        arcs = np.arange(lo, hi)
        arcs = arcs[inside[inst.arc_a[arcs]]]
        return [int(e) for e in arcs[np.argsort(relax.c_unit[arcs], kind="stable")][:k]]

    options: dict[int, list[int]] = {h: arcs_into(h, len(region)) for h in core}
    placed = np.nonzero(hh_tr >= 0)[0]
    here = placed[inside[inst.tr_ap[hh_tr[placed]]]]
    here = here[~np.isin(here, core)]
    order = here[np.lexsort((size[here], inst.hh_prio[here], hh_tr[here]))]
    taken: dict[int, int] = {}
    for h in order.tolist():
        t = int(hh_tr[h])
        if taken.get(t, 0) < _WIDER_EVICTABLE_PER_LEG:
            taken[t] = taken.get(t, 0) + 1
            options[h] = sorted({_arc_of(inst, h, int(inst.tr_ap[t])), *arcs_into(h, _OPTIONS_PER_CANDIDATE)})
    waiting = np.nonzero((hh_tr < 0) & (np.diff(inst.arc_start) > 0))[0]
    wa = np.nonzero(np.isin(inst.arc_h, waiting) & inside[inst.arc_a])[0]
    wh = inst.arc_h[wa]
    wa = wa[np.lexsort((relax.c_unit[wa], size[wh], -inst.hh_prio[wh], inst.arc_a[wa]))]
    count: dict[int, int] = {}
    for e in wa.tolist():
        h, a = int(inst.arc_h[e]), int(inst.arc_a[e])
        if h not in options and count.get(a, 0) < 2 * _FILLERS_PER_POINT:
            count[a] = count.get(a, 0) + 1
            options[h] = sorted({e, *arcs_into(h, _OPTIONS_PER_CANDIDATE)})
    cands = np.zeros(n_hh, dtype=bool)
    cands[list(options)] = True
    stay = (hh_tr >= 0) & ~cands
    seats = inst.tr_seats.copy()
    np.subtract.at(seats, hh_tr[stay], size[stay])
    cap = inst.ap_cap.copy()
    np.subtract.at(cap, inst.tr_ap[hh_tr[stay]], size[stay])
    outside = np.bincount(inst.hh_prio[stay], weights=size[stay], minlength=5).astype(np.int64)
    hint = {h: int(hh_tr[h]) for h in options if hh_tr[h] >= 0}
    flex: Flex = {}
    for h in np.nonzero(stay & (hh_tr >= 0))[0].tolist():
        a = int(inst.tr_ap[hh_tr[h]])
        if inside[a]:
            flex.setdefault(a, {}).setdefault(int(size[h]), []).append(h)
            seats[hh_tr[h]] += size[h]
            hint[h] = int(hh_tr[h])
    chosen, _ = _assignment_model(
        inst,
        relax,
        options,
        seats,
        cap,
        hint,
        must_assign=False,
        levels=("cover", "distance"),
        deadline=deadline,
        work=work,
        workers=workers,
        cover_target=relax.cover - outside,
        last_gap=_REPAIR_DISTANCE_GAP,
        flex=flex,
    )
    for h, t in chosen.items():
        hh_tr[h] = t


def _fill_lower_bound(groups: list[int], n: int) -> int:
    """Least sum of rank x people for n people filling rank groups (seats per rank) in order."""
    total = 0
    for rank, room in enumerate(groups):
        take = min(room, n)
        total += rank * take
        n -= take
        if n == 0:
            break
    return total


def _order_departures(
    inst: Instance, relax: _Relaxation, hh_tr: IntArray, deadline: float, workers: int
) -> bool:
    """Re-seat households on the legs of their assembly point: higher priority on earlier legs."""
    exact = True
    placed = np.nonzero(hh_tr >= 0)[0]
    by_ap: dict[int, list[int]] = {}
    for h in placed.tolist():
        by_ap.setdefault(int(inst.tr_ap[hh_tr[h]]), []).append(h)
    for a, hs in by_ap.items():
        legs = inst.ap_trs[a]
        if len({int(inst.tr_rank[t]) for t in legs}) < 2:
            continue
        seats = {t: int(inst.tr_seats[t]) for t in legs}
        n_ranks = max(int(inst.tr_rank[t]) for t in legs) + 1
        rank_room = [0] * n_ranks
        for t in legs:
            rank_room[int(inst.tr_rank[t])] += seats[t]
        greedy: dict[int, int] = {}
        tight = True
        for k in PRIORITIES:
            tier = sorted((h for h in hs if inst.hh_prio[h] == k), key=lambda h: (-inst.hh_size[h], h))
            if not tier:
                continue
            people = sum(int(inst.hh_size[h]) for h in tier)
            lower = _fill_lower_bound(rank_room, people)
            cost = 0
            for h in tier:
                s = int(inst.hh_size[h])
                t = next((t for t in legs if seats[t] >= s), -1)
                if t < 0:
                    tight = False
                    break
                seats[t] -= s
                rank_room[int(inst.tr_rank[t])] -= s
                greedy[h] = t
                cost += s * int(inst.tr_rank[t])
            if not tight or cost != lower:
                tight = False
                break
        if tight:
            for h, t in greedy.items():
                hh_tr[h] = t
            continue
        options = {h: [_arc_of(inst, h, a)] for h in hs}
        cap = np.full(len(inst.ap_lat), np.iinfo(np.int64).max // 4, dtype=np.int64)
        chosen, proven = _assignment_model(
            inst,
            relax,
            options,
            inst.tr_seats,
            cap,
            {h: int(hh_tr[h]) for h in hs},
            must_assign=True,
            levels=("departure",),
            deadline=min(deadline, time.perf_counter() + 1.0),
            work=_ORDER_WORK,
            workers=workers,
        )
        exact = exact and proven
        for h, t in chosen.items():
            hh_tr[h] = t
    return exact


def _arc_of(inst: Instance, h: int, a: int) -> int:
    lo, hi = int(inst.arc_start[h]), int(inst.arc_start[h + 1])
    e = lo + int(np.searchsorted(inst.arc_a[lo:hi], a))
    if e >= hi or inst.arc_a[e] != a:
        raise SolverError("assembly point not reachable")
    return e


def _exact(
    inst: Instance, relax: _Relaxation, hh_tr: IntArray, deadline: float, workers: int
) -> tuple[IntArray, bool]:
    options = {
        h: list(range(int(inst.arc_start[h]), int(inst.arc_start[h + 1])))
        for h in range(inst.n_households)
        if inst.arc_start[h + 1] > inst.arc_start[h]
    }
    chosen, proven = _assignment_model(
        inst,
        relax,
        options,
        inst.tr_seats,
        inst.ap_cap,
        {h: int(hh_tr[h]) for h in options},
        must_assign=False,
        levels=("cover", "distance", "departure"),
        deadline=deadline,
        work=max(0.1, min(deadline - time.perf_counter(), _EXACT_WORK)),
        workers=workers,
        cover_target=relax.cover,
    )
    out = hh_tr.copy()
    for h, t in chosen.items():
        out[h] = t
    return out, proven


def _distance_ties(inst: Instance, relax: _Relaxation) -> bool:
    """Whether some household has two assembly points at the same (rounded) distance."""
    order = np.lexsort((relax.c_unit, inst.arc_h))
    h, c = inst.arc_h[order], relax.c_unit[order]
    return bool(np.any((h[1:] == h[:-1]) & (c[1:] == c[:-1])))


def _exact_size(inst: Instance) -> int:
    n_legs = np.array([len(legs) for legs in inst.ap_trs], dtype=np.int64)
    return int(n_legs[inst.arc_a].sum()) if len(inst.arc_a) else 0


def _units(inst: Instance, relax: _Relaxation, hh_tr: IntArray) -> int:
    placed = np.nonzero(hh_tr >= 0)[0]
    arcs = [_arc_of(inst, int(h), int(inst.tr_ap[hh_tr[h]])) for h in placed]
    return int((inst.hh_size[placed] * relax.c_unit[np.asarray(arcs, dtype=np.int64)]).sum()) if arcs else 0


def _cover(inst: Instance, hh_tr: IntArray) -> IntArray:
    placed = hh_tr >= 0
    out = np.bincount(inst.hh_prio[placed], weights=inst.hh_size[placed], minlength=5)
    return out.astype(np.int64)


def plan_evacuation(
    problem: Problem, *, time_limit_s: float = 10.0, workers: int = 1, exact_max_vars: int = 5000
) -> Plan:
    """Plan who goes to which assembly point and leg (see the module docstring for the method).

    ``time_limit_s`` caps the MIP steps (the flows always run to optimality); ``workers`` is the
    number of CP-SAT threads; instances whose full model has at most ``exact_max_vars`` variables
    are solved by the full model too when the decomposition cannot prove optimality.
    Raises ``PlanningInputError`` for an invalid problem.
    """
    start = time.perf_counter()
    deadline = start + time_limit_s
    inst = prepare(problem)
    relax = _relax(inst)
    hh_tr, repair_proven = _repair(
        inst, relax, start + 0.6 * time_limit_s, _REPAIR_WORK_PER_SECOND * time_limit_s, workers
    )
    order_exact = _order_departures(inst, relax, hh_tr, start + 0.8 * time_limit_s, workers)
    cover = _cover(inst, hh_tr)
    units = _units(inst, relax, hh_tr)
    notes = list(inst.notes)
    proven = bool(np.array_equal(cover, relax.cover)) and units == relax.cost and order_exact
    if proven and _distance_ties(inst, relax):
        proven = False  # equal-distance points were not compared on departure order
        notes.append(
            "people moved per priority and total distance match the bound; some households have "
            "assembly points at equal distance, which were not compared on departure order"
        )
    method = "min-cost flow relaxation + CP-SAT repair + exact leg ordering"
    if not proven and _exact_size(inst) <= exact_max_vars:
        hh_tr, proven = _exact(inst, relax, hh_tr, deadline, workers)
        cover = _cover(inst, hh_tr)
        units = _units(inst, relax, hh_tr)
        method += " + full CP-SAT model"
        if proven:
            notes = list(inst.notes)
    del repair_proven  # the proof is the comparison with the relaxation (or the full model)

    out = outcome(inst, hh_tr)
    if np.array_equal(cover, relax.cover):
        bound_units: int | None = relax.cost
    else:
        bound_units = _bound_for_cover(inst, relax, cover)
    moved_free = int(cover.sum())
    bound_km = None
    if bound_units is not None:
        bound_km = max(0.0, (bound_units - 0.5 * moved_free) * relax.unit_m / 1000.0) + out.fixed_km
        bound_km = min(bound_km, out.total_km)
    gap = None
    if bound_km is not None:
        gap = 0.0 if out.total_km <= bound_km else (out.total_km - bound_km) / max(bound_km, 1e-9)
    short, legs = shortfalls(inst, hh_tr, out)
    moved_bound = {k: int(relax.cover[k]) + out.fixed_by_priority[k] for k in PRIORITIES}
    explanation = Explanation(
        status="optimal" if proven else "feasible",
        method=method,
        moved_by_priority=out.moved_by_priority,
        moved_bound_by_priority=moved_bound,
        distance_gap=gap,
        shortfalls=short,
        one_more_leg=legs,
        notes=tuple(notes),
    )
    return Plan(
        assignments=out.assignments,
        unassigned=out.unassigned,
        total_distance_km=out.total_km,
        bound=bound_km,
        solve_seconds=time.perf_counter() - start,
        explanation=explanation,
    )
