"""Evacuation planning: who goes to which assembly point and on which leg (bus, flight, ship).

Pure Python (numpy + OR-Tools), no Django. ``perisai crisis plan-evacuation INPUT.json`` calls
``main``; code calls ``parse_problem`` then ``plan_evacuation`` then ``plan_to_json``.

Rules every plan keeps
    * a household (people sharing a ``household`` id; ``null`` = travels alone) gets one assembly point
      and one leg, or none of it is assigned; its priority is its highest member's (declined members
      do not count, they stay);
    * nobody is assigned to an assembly point farther than ``max_distance_km`` (great circle);
    * people at an assembly point <= its capacity; riders of a leg <= its seats; a leg leaves from one
      assembly point;
    * confirmed assignments are kept as given and use capacity; the other members of a confirmed
      person's household go on the same leg or not at all (``confirmed_leg_full``); declined people are
      never assigned.

Objective, lexicographic: (1) people moved per household priority, 4 first (4 unaccompanied children,
3 sick or injured, 2 pregnant, 1 elderly or disabled, 0 everyone else), so no lower-priority household
takes a place a higher one could use; (2) least total distance, person to assembly point; (3) at each
assembly point, higher priorities on earlier legs (people x departure rank, priority 4 first).
The method and the bound are described in ``solver.py``.

Input (JSON object; ids are strings or integers and come back exactly as given; other keys inside
the records are ignored, unknown top-level keys are an error)::

    {"people": [{"id", "household", "lat", "lon", "priority": 0-4}],
     "assembly_points": [{"id", "lat", "lon", "capacity"}],
     "transports": [{"id", "assembly_point", "seats", "departs": ISO 8601}],
     "max_distance_km": > 0,
     "confirmed": [{"person", "assembly_point", "transport"}],   (optional)
     "declined": [person id, ...]}                                (optional)

Output::

    {"assignments": [{"person", "assembly_point", "transport"}],        people in input order
     "unassigned": [{"person", "reason", "detail"}],                    people in input order
     "total_distance_km": float,        sum over assigned people, great-circle km
     "bound": float,                    km; no plan moving as many people per priority is shorter
     "solve_seconds": float,
     "explanation": {"status": "optimal" | "feasible", "method", "units",
                     "moved_by_priority": {"4": n, ..., "0": n},
                     "moved_bound_by_priority": {...},   no plan moves more (priority 4 first)
                     "distance_gap": (total_distance_km - bound) / bound,
                     "shortfalls": [{"assembly_point", "limited_by": "capacity" | "seats", "capacity",
                                     "seats", "assigned", "unplaced_within_reach",
                                     "unplaced_by_priority"}],       most unplaced first
                     "one_more_leg": [{"assembly_point", "seats", "would_move", "by_priority",
                                       "note"}],                     for the top 3 shortfalls
                     "notes": [str]}}

``reason`` is a stable code, ``detail`` a sentence for people. Codes, checked in this order:
``declined``; ``confirmed_leg_full`` (household of a confirmed person, no room on that leg);
``no_assembly_point_within_reach`` (no point within max_distance_km of every member);
``no_leg_within_reach`` (points in reach have no transport); ``household_too_large_for_any_leg``
(bigger than every leg or point in reach); ``lower_priority_displaced`` (the places in reach went,
at least in part, to people of higher priority); ``no_capacity_within_reach`` (full with people of the
same or lower priority, or the leftover seats are too few for the whole household).

Bad input: ``main`` prints ``error: <what and where>`` on stderr and returns 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from .baseline import greedy_baseline
from .model import (
    AssemblyPoint,
    Assignment,
    Confirmation,
    Explanation,
    ExtraLeg,
    Person,
    Plan,
    PlanningInputError,
    Problem,
    Shortfall,
    Transport,
    Unassigned,
)
from .parsing import parse_problem, plan_to_json, validate_problem
from .solver import plan_evacuation

__all__ = [
    "AssemblyPoint",
    "Assignment",
    "Confirmation",
    "Explanation",
    "ExtraLeg",
    "Person",
    "Plan",
    "PlanningInputError",
    "Problem",
    "Shortfall",
    "Transport",
    "Unassigned",
    "greedy_baseline",
    "main",
    "parse_problem",
    "plan_evacuation",
    "plan_to_json",
    "validate_problem",
]


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would exit the process
        raise _UsageError(message)


def _parser() -> _Parser:
    p = _Parser(
        prog="perisai crisis plan-evacuation",
        description="Plan an evacuation from a JSON problem; prints the plan as JSON.",
        add_help=False,
    )
    p.add_argument("input", help="problem JSON file, or - for standard input")
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds for the MIP steps (default 10)")
    p.add_argument("--workers", type=int, default=1, help="solver threads (default 1)")
    p.add_argument("--baseline", action="store_true", help="the greedy nearest-point plan instead")
    p.add_argument("-h", "--help", action="store_true", help="show this help")
    return p


def main(argv: list[str], stdout: TextIO, stderr: TextIO, stdin: TextIO | None = None) -> int:
    """CLI entry: ``argv`` are the arguments after ``plan-evacuation``. Returns the exit code
    (0 plan printed, 2 bad usage or bad input)."""
    parser = _parser()
    if "-h" in argv or "--help" in argv:
        stdout.write(parser.format_help())
        return 0
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        stderr.write(f"error: {exc}\n{parser.format_usage()}")
        return 2
    if not args.time_limit > 0 or args.workers < 1:
        stderr.write("error: --time-limit must be > 0 and --workers >= 1\n")
        return 2
    try:
        if args.input == "-":
            if stdin is None:
                import sys

                stdin = sys.stdin
            text = stdin.read()
        else:
            with open(args.input, encoding="utf-8") as fh:
                text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        stderr.write(f"error: cannot read {args.input}: {exc}\n")
        return 2
    try:
        obj = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        stderr.write(f"error: not valid JSON: {exc}\n")
        return 2
    try:
        problem = parse_problem(obj)
        if args.baseline:
            plan = greedy_baseline(problem)
        else:
            plan = plan_evacuation(problem, time_limit_s=args.time_limit, workers=args.workers)
    except PlanningInputError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    json.dump(plan_to_json(plan), stdout, ensure_ascii=False, indent=1)
    stdout.write("\n")
    return 0
