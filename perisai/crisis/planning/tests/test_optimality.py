"""Optimality claims against brute-force enumeration on small random instances (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perisai.crisis.planning import Problem, plan_evacuation

from ._helpers import brute_force, check_plan, objective, problem

GRID = st.integers(0, 8).map(lambda k: round(0.01 * k, 2))  # ~1.1 km steps: no near-ties


@st.composite
def instances(draw: Any) -> Any:
    n_points = draw(st.integers(1, 3))
    points = [(f"A{j}", draw(GRID), draw(GRID), draw(st.integers(0, 7))) for j in range(n_points)]
    legs = [
        (
            f"L{k}",
            f"A{draw(st.integers(0, n_points - 1))}",
            draw(st.integers(0, 6)),
            60 * draw(st.integers(0, 2)),
        )
        for k in range(draw(st.integers(1, 3)))
    ]
    people = []
    for h in range(draw(st.integers(1, 5))):
        lat, lon = draw(GRID), draw(GRID)
        for m in range(draw(st.integers(1, 3))):
            people.append((f"P{h}.{m}", f"H{h}", lat, lon if m == 0 else draw(GRID), draw(st.integers(0, 4))))
    return problem(people, points, legs, max_km=draw(st.sampled_from([3.0, 6.0, 20.0])))


TOL_KM = 0.002  # integer costs are rounded to 0.1 m per person


def best(all_plans: list[Any]) -> Any:
    cover = max(c for c, _, _ in all_plans)
    dist = min(d for c, d, _ in all_plans if c == cover)
    dep = min(p for c, d, p in all_plans if c == cover and d <= dist + TOL_KM)
    return cover, dist, dep


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_plan_is_lexicographically_optimal(pb: Problem) -> None:
    plan = plan_evacuation(pb)
    check_plan(pb, plan)
    cover, dist, dep = objective(pb, plan)
    b_cover, b_dist, b_dep = best(brute_force(pb))
    assert cover == b_cover
    assert dist <= b_dist + TOL_KM
    assert dep == b_dep
    assert plan.explanation.status == "optimal"
    assert plan.bound is not None and plan.bound <= b_dist + 1e-9


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_decomposition_claims_hold(pb: Problem) -> None:
    """Without the full model: always feasible, the bounds are valid, "optimal" is never a lie."""
    plan = plan_evacuation(pb, exact_max_vars=0)
    check_plan(pb, plan)
    cover, dist, dep = objective(pb, plan)
    plans = brute_force(pb)
    b_cover, b_dist, b_dep = best(plans)
    ex = plan.explanation
    assert ex.moved_bound_by_priority is not None
    moved_bound = tuple(ex.moved_bound_by_priority[k] for k in (4, 3, 2, 1, 0))
    assert moved_bound >= b_cover >= cover  # lexicographic: the relaxation bounds every plan
    same = min(d for c, d, _ in plans if c == cover)  # best distance for the plan's numbers
    assert plan.bound is not None and plan.bound <= same + 1e-9
    assert dist + 1e-9 >= plan.bound
    if ex.status == "optimal":
        assert (cover, dep) == (b_cover, b_dep) and dist <= b_dist + TOL_KM
