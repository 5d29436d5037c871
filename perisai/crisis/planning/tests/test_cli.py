"""The CLI contract: output keys, exit codes, clear errors for bad input (never a traceback)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from perisai.crisis.planning import main

from ._helpers import doc

GOOD = doc(
    people=[
        (1, "A", 0.0, 0.0, 4),
        (2, "A", 0.0, 0.001, 0),
        ("p3", None, 0.01, 0.0, 0),
        (4, None, 3.0, 3.0, 1),
    ],
    points=[("X", 0.0, 0.0, 10), (7, 0.02, 0.0, 10)],
    legs=[("bus", "X", 2, 0), (99, 7, 5, 30)],
    max_km=25,
)


def run(tmp_path: Path, payload: Any, *extra: str) -> tuple[int, str, str]:
    path = tmp_path / "in.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    out, err = io.StringIO(), io.StringIO()
    code = main([str(path), *extra], out, err)
    return code, out.getvalue(), err.getvalue()


def test_output_has_exactly_the_contract_keys(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, GOOD)
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {
        "assignments",
        "unassigned",
        "total_distance_km",
        "bound",
        "solve_seconds",
        "explanation",
    }
    assert all(set(a) == {"person", "assembly_point", "transport"} for a in result["assignments"])
    assert all(set(u) == {"person", "reason", "detail"} for u in result["unassigned"])
    assert set(result["explanation"]) == {
        "status",
        "method",
        "units",
        "moved_by_priority",
        "moved_bound_by_priority",
        "distance_gap",
        "shortfalls",
        "one_more_leg",
        "notes",
    }
    assert isinstance(result["total_distance_km"], float) and isinstance(result["bound"], float)
    assert result["bound"] <= result["total_distance_km"]
    # ids come back exactly as given (integers stay integers)
    assert {a["person"] for a in result["assignments"]} == {1, 2, "p3"}
    assert {(a["assembly_point"], a["transport"]) for a in result["assignments"]} <= {("X", "bus"), (7, 99)}
    assert result["unassigned"] == [
        {
            "person": 4,
            "reason": "no_assembly_point_within_reach",
            "detail": "This person: no assembly point within 25 km of every member.",
        }
    ]


def test_standard_input_and_baseline(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["-", "--baseline"], out, err, stdin=io.StringIO(json.dumps(GOOD))) == 0, err.getvalue()
    result = json.loads(out.getvalue())
    assert result["bound"] is None and len(result["assignments"]) == 3


def test_help_goes_to_stdout(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["--help"], out, err) == 0
    assert "plan-evacuation" in out.getvalue()


def with_(path: str, value: Any) -> dict[str, Any]:
    """GOOD with one value replaced; path like 'people.0.priority' (value DELETE removes the key)."""
    data: dict[str, Any] = json.loads(json.dumps(GOOD))
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is DELETE:
        del node[key]
    else:
        node[key] = value
    return data


DELETE = object()

BAD = {
    "not JSON": ("{people: [", "not valid JSON"),
    "not an object": ([1, 2], "must be a JSON object"),
    "missing people": (with_("people", DELETE), "missing top-level key 'people'"),
    "missing max distance": (with_("max_distance_km", DELETE), "max_distance_km"),
    "unknown top-level key": ({**GOOD, "declned": [1]}, "unknown top-level key(s): declned"),
    "missing person key": (with_("people.0.lat", DELETE), "people[0]: missing key 'lat'"),
    "missing household key": (with_("people.0.household", DELETE), "missing key 'household'"),
    "duplicate person": (with_("people.1.id", 1), "duplicate person id 1"),
    "duplicate point": (with_("assembly_points.1.id", "X"), "duplicate assembly point id 'X'"),
    "duplicate transport": (with_("transports.1.id", "bus"), "duplicate transport id 'bus'"),
    "boolean id": (with_("people.0.id", True), "people[0].id"),
    "negative capacity": (with_("assembly_points.0.capacity", -1), "must not be negative"),
    "negative seats": (with_("transports.0.seats", -5), "must not be negative"),
    "fractional seats": (with_("transports.0.seats", 2.5), "whole number"),
    "priority 5": (with_("people.0.priority", 5), "priority: must be an integer 0..4"),
    "priority -1": (with_("people.0.priority", -1), "0..4"),
    "priority as text": (with_("people.0.priority", "4"), "0..4"),
    "latitude 91": (with_("people.0.lat", 91), "latitude 91.0 is outside -90..90"),
    "longitude -181": (with_("assembly_points.0.lon", -181), "longitude -181.0 is outside -180..180"),
    "latitude text": (with_("people.0.lat", "north"), "must be a finite number"),
    "unknown point of a leg": (
        with_("transports.0.assembly_point", "Q"),
        "assembly point 'Q' does not exist",
    ),
    "bad date": (with_("transports.0.departs", "tomorrow 8am"), "not an ISO 8601 date-time"),
    "date not text": (with_("transports.0.departs", 1700000000), "ISO 8601"),
    "mixed offsets": (with_("transports.0.departs", "2025-03-01T06:00:00"), "mix with and without"),
    "max distance zero": (with_("max_distance_km", 0), "max_distance_km: must be > 0"),
    "max distance negative": (with_("max_distance_km", -3), "must be > 0"),
    "max distance NaN": (
        '{"people": [], "assembly_points": [], "transports": [], "max_distance_km": NaN}',
        "finite number",
    ),
    "people not a list": (with_("people", {"a": 1}), "people: must be a list"),
    "confirmed unknown person": (
        {**GOOD, "confirmed": [{"person": 42, "assembly_point": "X", "transport": "bus"}]},
        "unknown person 42",
    ),
    "confirmed leg elsewhere": (
        {**GOOD, "confirmed": [{"person": 1, "assembly_point": "X", "transport": 99}]},
        "leaves from 7",
    ),
    "confirmed twice": (
        {**GOOD, "confirmed": [{"person": 1, "assembly_point": "X", "transport": "bus"}] * 2},
        "duplicate",
    ),
    "declined unknown": ({**GOOD, "declined": ["nobody"]}, "declined: unknown person 'nobody'"),
    "declined and confirmed": (
        {**GOOD, "declined": [1], "confirmed": [{"person": 1, "assembly_point": "X", "transport": "bus"}]},
        "both confirmed and declined",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_exits_2_with_a_clear_error(tmp_path: Path, case: str) -> None:
    payload, message = BAD[case]
    code, out, err = run(tmp_path, payload)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and message in err, err
    assert "Traceback" not in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main([], out, err) == 2 and err.getvalue().startswith("error: ")
    assert main([str(tmp_path / "missing.json")], out, err) == 2 and "cannot read" in err.getvalue()
    assert main([str(tmp_path), "--time-limit", "0"], io.StringIO(), err) == 2
