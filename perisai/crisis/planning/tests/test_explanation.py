"""Shortfall numbers and "one more leg" on a constructed instance."""

from __future__ import annotations

from perisai.crisis.planning import plan_evacuation, plan_to_json

from ._helpers import check_plan, problem


def test_shortfalls_and_one_more_leg() -> None:
    # X: capacity 100 but one 10-seat bus; 15 singles in reach (3 of priority 1) -> 5 left, seats short.
    # Y (far from X): a 20-seat bus but capacity 5; 8 singles in reach -> 3 left, capacity short.
    near_x = [(f"x{i}", None, 0.0, 0.001 * i, 1 if i < 3 else 0) for i in range(15)]
    near_y = [(f"y{i}", None, 1.0, 1.0 + 0.001 * i, 0) for i in range(8)]
    pb = problem(
        people=near_x + near_y,
        points=[("X", 0.0, 0.0, 100), ("Y", 1.0, 1.0, 5)],
        legs=[("bx", "X", 10, 0), ("by", "Y", 20, 0)],
        max_km=10.0,
    )
    plan = plan_evacuation(pb)
    check_plan(pb, plan)
    short = {s.assembly_point: s for s in plan.explanation.shortfalls}
    assert [s.assembly_point for s in plan.explanation.shortfalls] == ["X", "Y"]  # most unplaced first
    x, y = short["X"], short["Y"]
    assert (x.limited_by, x.capacity, x.seats, x.assigned, x.unplaced_within_reach) == (
        "seats",
        100,
        10,
        10,
        5,
    )
    assert x.unplaced_by_priority == {4: 0, 3: 0, 2: 0, 1: 0, 0: 5}
    assert (y.limited_by, y.capacity, y.seats, y.assigned, y.unplaced_within_reach) == (
        "capacity",
        5,
        20,
        5,
        3,
    )
    # typical leg: median of 10 and 20 seats = 15
    extra = {e.assembly_point: e for e in plan.explanation.one_more_leg}
    assert (extra["X"].seats, extra["X"].would_move) == (15, 5)
    assert extra["X"].by_priority[0] == 5
    assert (extra["Y"].would_move, "more space" in extra["Y"].note) == (0, True)
    reasons = {u.person: u.reason for u in plan.unassigned}
    assert {reasons[f"x{i}"] for i in range(10, 15)} == {"lower_priority_displaced"}  # X carries priority 1
    assert {reasons[f"y{i}"] for i in range(5, 8)} == {"no_capacity_within_reach"}
    assert plan_to_json(plan)["explanation"]["shortfalls"][0]["unplaced_by_priority"]["0"] == 5


def test_one_more_leg_takes_whole_households_most_vulnerable_first() -> None:
    # 4 seats taken; waiting: a priority-2 family of 3, a priority-0 family of 2, two priority-0 singles.
    # A 4-seat extra leg (typical) moves the family of 3 and one single: 3 at priority 2, 1 at 0.
    pb = problem(
        people=[
            ("t1", None, 0, 0, 4),
            ("t2", None, 0, 0, 4),
            ("t3", None, 0, 0, 4),
            ("t4", None, 0, 0, 4),
            ("f1", "F", 0, 0, 2),
            ("f2", "F", 0, 0, 0),
            ("f3", "F", 0, 0, 0),
            ("g1", "G", 0, 0, 0),
            ("g2", "G", 0, 0, 0),
            ("s1", None, 0, 0, 0),
            ("s2", None, 0, 0, 0),
        ],
        points=[("X", 0.0, 0.0, 50)],
        legs=[("b", "X", 4, 0)],
    )
    plan = plan_evacuation(pb)
    (extra,) = plan.explanation.one_more_leg
    assert extra.seats == 4 and extra.would_move == 4
    assert extra.by_priority == {4: 0, 3: 0, 2: 3, 1: 0, 0: 1}
