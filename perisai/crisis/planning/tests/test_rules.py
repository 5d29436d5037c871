"""Each planning rule on a small hand-made instance (``exact_max_vars=0`` exercises the
decomposition alone; the default may also run the full model)."""

from __future__ import annotations

import pytest

from perisai.crisis.planning import Plan, plan_evacuation
from perisai.crisis.planning.model import Id

from ._helpers import check_plan, km, objective, problem

BOTH = pytest.mark.parametrize("exact_max_vars", [0, 5000], ids=["decomposition", "with-full-model"])


def legs_of(plan: Plan) -> dict[Id, Id]:  # person -> transport
    return {a.person: a.transport for a in plan.assignments}


@BOTH
def test_household_split_by_the_flow_is_kept_together(exact_max_vars: int) -> None:
    # The relaxation sends 2 of household A to X and 1 to Y (shortest); whole, A must go to X.
    pb = problem(
        people=[
            ("a1", "A", 0.0, 0.05, 1),
            ("a2", "A", 0.0, 0.05, 1),
            ("a3", "A", 0.0, 0.05, 1),
            ("b1", "B", 0.0, -0.01, 1),
            ("b2", "B", 0.0, -0.01, 1),
        ],
        points=[("X", 0.0, 0.0, 10), ("Y", 0.0, 0.06, 10)],
        legs=[("x1", "X", 3, 0), ("y1", "Y", 2, 0)],
    )
    plan = plan_evacuation(pb, exact_max_vars=exact_max_vars)
    check_plan(pb, plan)
    where = legs_of(plan)
    assert len(where) == 5
    assert where["a1"] == where["a2"] == where["a3"] == "x1" and where["b1"] == where["b2"] == "y1"
    assert plan.explanation.status == "optimal"


@BOTH
def test_household_too_large_for_any_leg_stays_whole_and_unassigned(exact_max_vars: int) -> None:
    pb = problem(
        people=[("a1", "A", 0, 0, 4), ("a2", "A", 0, 0, 0), ("a3", "A", 0, 0, 0), ("s", None, 0, 0, 0)],
        points=[("X", 0.0, 0.01, 10)],
        legs=[("x1", "X", 2, 0), ("x2", "X", 2, 60)],
    )
    plan = plan_evacuation(pb, exact_max_vars=exact_max_vars)
    check_plan(pb, plan)
    assert set(legs_of(plan)) == {"s"}
    reasons = {u.person: u.reason for u in plan.unassigned}
    assert reasons == dict.fromkeys(["a1", "a2", "a3"], "household_too_large_for_any_leg")


@BOTH
def test_priority_4_is_never_displaced_by_priority_0(exact_max_vars: int) -> None:
    # Two seats. The priority-0 couple is nearest; the unaccompanied child is farther but in reach.
    pb = problem(
        people=[
            ("c1", "C", 0.0, 0.001, 0),
            ("c2", "C", 0.0, 0.001, 0),
            ("kid", None, 0.0, 0.2, 4),
            ("s0", None, 0.0, 0.1, 0),
        ],
        points=[("X", 0.0, 0.0, 100)],
        legs=[("x1", "X", 2, 0)],
    )
    plan = plan_evacuation(pb, exact_max_vars=exact_max_vars)
    check_plan(pb, plan)
    assert set(legs_of(plan)) == {"kid", "s0"}  # the child, then the one seat left to a single
    reasons = {u.person: u.reason for u in plan.unassigned}
    assert reasons == {"c1": "lower_priority_displaced", "c2": "lower_priority_displaced"}


@BOTH
def test_lexicographic_not_weighted_one_child_beats_a_priority_3_couple(exact_max_vars: int) -> None:
    # With per-person weights (priority + 1) the couple (2 x 4) would beat the child (5).
    pb = problem(
        people=[
            ("kid", None, 0.0, 0.0, 4),
            ("p1", "P", 0.0, 0.0, 3),
            ("p2", "P", 0.0, 0.0, 0),
            ("s0", None, 0.0, 0.0, 0),
        ],
        points=[("X", 0.0, 0.0, 100)],
        legs=[("x1", "X", 2, 0)],
    )
    plan = plan_evacuation(pb, exact_max_vars=exact_max_vars)
    check_plan(pb, plan)
    assert set(legs_of(plan)) == {"kid", "s0"}
    assert {u.person: u.reason for u in plan.unassigned} == dict.fromkeys(
        ["p1", "p2"], "lower_priority_displaced"
    )


@BOTH
def test_earliest_departures_go_to_the_highest_priority(exact_max_vars: int) -> None:
    # The late leg is listed first and the priority-0 household is listed first: order must not matter.
    pb = problem(
        people=[
            ("z1", "Z", 0.0, 0.0, 0),
            ("z2", "Z", 0.0, 0.0, 0),
            ("e1", "E", 0.0, 0.0, 1),
            ("m1", "M", 0.0, 0.0, 2),
            ("m2", "M", 0.0, 0.0, 0),
            ("k", None, 0.0, 0.0, 4),
        ],
        points=[("X", 0.0, 0.0, 100)],
        legs=[("late", "X", 3, 600), ("early", "X", 3, 0)],
    )
    plan = plan_evacuation(pb, exact_max_vars=exact_max_vars)
    check_plan(pb, plan)
    where = legs_of(plan)
    assert where["k"] == where["m1"] == where["m2"] == "early"
    assert where["z1"] == where["z2"] == where["e1"] == "late"


def test_departure_order_needs_the_exact_model_when_sizes_do_not_fit_greedily() -> None:
    # Early leg 4 seats; priority-4 households of 3, 2 and 2. Largest-first greedy puts the 3 early
    # (3 early, 4 late); the optimum puts both couples early (4 early, 3 late).
    pb = problem(
        people=[
            ("a1", "A", 0, 0, 4),
            ("a2", "A", 0, 0, 4),
            ("a3", "A", 0, 0, 4),
            ("b1", "B", 0, 0, 4),
            ("b2", "B", 0, 0, 4),
            ("c1", "C", 0, 0, 4),
            ("c2", "C", 0, 0, 4),
            ("s", None, 0, 0, 0),
        ],
        points=[("X", 0.0, 0.0, 100)],
        legs=[("early", "X", 4, 0), ("late", "X", 10, 60)],
    )
    plan = plan_evacuation(pb, exact_max_vars=0)
    check_plan(pb, plan)
    where = legs_of(plan)
    # 4 of the 7 priority-4 people can leave early only as two couples (2 + 2), not as 3 + single
    assert sum(1 for p in ("a1", "a2", "a3", "b1", "b2", "c1", "c2") if where[p] == "early") == 4
    assert where["s"] == "late"
    assert plan.explanation.status == "optimal"


@BOTH
def test_total_distance_is_minimised_among_plans_moving_the_same_people(exact_max_vars: int) -> None:
    # Two points, room for exactly everyone; the crossing assignment would be longer.
    pb = problem(
        people=[
            ("w1", "W", 0.0, -0.1, 0),
            ("w2", "W", 0.0, -0.1, 0),
            ("e1", None, 0.0, 0.1, 0),
            ("e2", None, 0.0, 0.12, 0),
        ],
        points=[("WEST", 0.0, -0.09, 2), ("EAST", 0.0, 0.09, 2)],
        legs=[("w", "WEST", 5, 0), ("e", "EAST", 5, 0)],
    )
    plan = plan_evacuation(pb, exact_max_vars=exact_max_vars)
    check_plan(pb, plan)
    where = legs_of(plan)
    assert where == {"w1": "w", "w2": "w", "e1": "e", "e2": "e"}
    expected = 2 * km(0, -0.1, 0, -0.09) + km(0, 0.1, 0, 0.09) + km(0, 0.12, 0, 0.09)
    assert plan.total_distance_km == pytest.approx(expected, rel=1e-9)
    assert plan.bound is not None and expected - 0.001 <= plan.bound <= plan.total_distance_km


@BOTH
def test_nobody_goes_beyond_max_distance_and_capacity_caps_the_point(exact_max_vars: int) -> None:
    pb = problem(
        people=[(f"p{i}", None, 0.0, 0.01 * i, 0) for i in range(6)] + [("far", None, 1.0, 1.0, 4)],
        points=[("X", 0.0, 0.0, 3)],
        legs=[("x1", "X", 10, 0)],
        max_km=5.0,
    )
    plan = plan_evacuation(pb, exact_max_vars=exact_max_vars)
    check_plan(pb, plan)
    assert set(legs_of(plan)) == {"p0", "p1", "p2"}  # capacity 3 < 10 seats; nearest first
    reasons = {u.person: u.reason for u in plan.unassigned}
    assert reasons["far"] == "no_assembly_point_within_reach"
    assert reasons["p3"] == "no_capacity_within_reach"


def test_points_without_legs_give_their_own_reason() -> None:
    pb = problem(
        people=[("p", None, 0.0, 0.0, 1)],
        points=[("X", 0.0, 0.0, 3), ("Y", 5.0, 5.0, 3)],
        legs=[("y1", "Y", 10, 0)],
    )
    plan = plan_evacuation(pb)
    assert plan.unassigned[0].reason == "no_leg_within_reach"


def test_confirmed_assignments_are_kept_and_use_capacity() -> None:
    # c is confirmed on the far point's leg; the optimum would move them, re-planning must not.
    pb = problem(
        people=[
            ("c", "C", 0.0, 0.0, 0),
            ("c_kid", "C", 0.0, 0.0, 4),
            ("x", None, 0.0, 0.0, 0),
            ("y", None, 0.0, 0.0, 0),
            ("d", None, 0.0, 0.0, 4),
        ],
        points=[("NEAR", 0.0, 0.0, 10), ("FAR", 0.0, 0.2, 10)],
        legs=[("n1", "NEAR", 2, 0), ("f1", "FAR", 2, 0)],
        confirmed=[{"person": "c", "assembly_point": "FAR", "transport": "f1"}],
        declined=["d"],
    )
    plan = plan_evacuation(pb)
    check_plan(pb, plan)
    where = legs_of(plan)
    assert where["c"] == "f1" and where["c_kid"] == "f1"  # household joins the confirmed leg
    assert where["x"] == where["y"] == "n1"
    assert {u.person: u.reason for u in plan.unassigned} == {"d": "declined"}


def test_confirmed_leg_full_leaves_the_rest_of_the_household_unassigned_together() -> None:
    pb = problem(
        people=[
            ("c", "C", 0.0, 0.0, 0),
            ("c2", "C", 0.0, 0.0, 0),
            ("c3", "C", 0.0, 0.0, 0),
            ("o", None, 0.0, 0.0, 0),
        ],
        points=[("X", 0.0, 0.0, 10)],
        legs=[("x1", "X", 2, 0), ("x2", "X", 5, 60)],
        confirmed=[{"person": "c", "assembly_point": "X", "transport": "x1"}],
    )
    plan = plan_evacuation(pb)
    check_plan(pb, plan)
    assert legs_of(plan) == {"c": "x1", "o": "x1"}  # c2, c3 need 2 seats on x1, only 1 left
    assert {u.person: u.reason for u in plan.unassigned} == dict.fromkeys(["c2", "c3"], "confirmed_leg_full")


def test_replanning_with_the_previous_plan_confirmed_changes_nothing() -> None:
    people = [(f"p{i}", f"H{i // 3}", 0.01 * (i % 7), 0.013 * (i % 5), i % 5) for i in range(40)]
    points = [("A", 0.0, 0.0, 15), ("B", 0.05, 0.05, 12), ("C", 0.02, 0.06, 9)]
    legs = [("a1", "A", 8, 0), ("a2", "A", 8, 90), ("b1", "B", 12, 30), ("c1", "C", 6, 10)]
    first = plan_evacuation(problem(people, points, legs))
    confirmed = [
        {"person": a.person, "assembly_point": a.assembly_point, "transport": a.transport}
        for a in first.assignments
    ]
    again = plan_evacuation(problem(people, points, legs, confirmed=confirmed))
    assert sorted(map(repr, again.assignments)) == sorted(map(repr, first.assignments))
    assert (
        objective(problem(people, points, legs), again)[0]
        == objective(problem(people, points, legs), first)[0]
    )


def test_declining_frees_a_seat_for_the_next_in_line() -> None:
    people = [("a", None, 0.0, 0.0, 4), ("b", None, 0.0, 0.0, 2), ("c", None, 0.0, 0.0, 0)]
    points = [("X", 0.0, 0.0, 10)]
    legs = [("x1", "X", 2, 0)]
    before = plan_evacuation(problem(people, points, legs))
    assert set(legs_of(before)) == {"a", "b"}
    after = plan_evacuation(problem(people, points, legs, declined=["b"]))
    assert set(legs_of(after)) == {"a", "c"}


def test_ids_keep_their_type() -> None:
    pb = problem(
        people=[(1, 7, 0.0, 0.0, 0), ("1", 7, 0.0, 0.0, 0), (2, None, 0.0, 0.0, 0)],
        points=[(10, 0.0, 0.0, 5)],
        legs=[("10", 10, 5, 0)],
    )
    plan = plan_evacuation(pb)
    check_plan(pb, plan)
    assert {(type(a.person), type(a.assembly_point), type(a.transport)) for a in plan.assignments} == {
        (int, int, str),
        (str, int, str),
    }
