"""The `perisai crisis` commands keep their contracts when run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from perisai.conftest import shared_data

ROOT = Path(__file__).resolve().parents[3]
CONTRACT_KEYS = {"source", "event_id", "kind", "title", "severity", "sent", "countries", "area", "magnitude"}


def _perisai(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="perisai.settings.test")
    return subprocess.run(
        [sys.executable, "-m", "perisai", "crisis", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_parse_feed_prints_contract_json_lines() -> None:
    result = _perisai("parse-feed", str(shared_data("feeds", "usgs", "significant_month_2023-10.geojson")))
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(events) == 18
    assert all(set(e) == CONTRACT_KEYS for e in events)
    assert events[0]["event_id"] == "us6000len8" and events[0]["countries"] == ["AF"]
    assert events[0]["sent"].endswith("Z")


def test_parse_feed_malformed_input_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    result = _perisai("parse-feed", str(shared_data("feeds", "cap", "invalid.cap")))
    assert result.returncode != 0
    assert "missing required element <scope>" in result.stderr
    assert "Traceback" not in result.stderr
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        "<alert>&lol2;</alert>"
    )
    result = _perisai("parse-feed", str(bomb))
    assert result.returncode != 0 and "Traceback" not in result.stderr and result.stderr.startswith("error:")
    missing = _perisai("parse-feed", str(tmp_path / "nope.xml"))
    assert missing.returncode != 0 and "not found" in missing.stderr


def test_plan_evacuation_prints_the_contract_and_refuses_bad_input(tmp_path: Path) -> None:
    problem: dict[str, Any] = {
        "people": [
            {"id": "a1", "household": "h1", "lat": 50.45, "lon": 30.52, "priority": 4},
            {"id": "a2", "household": "h1", "lat": 50.45, "lon": 30.52, "priority": 0},
            {"id": "b1", "household": "h2", "lat": 50.46, "lon": 30.50, "priority": 0},
        ],
        "assembly_points": [{"id": "kbri", "lat": 50.44, "lon": 30.53, "capacity": 2}],
        "transports": [
            {"id": "bus-1", "assembly_point": "kbri", "seats": 2, "departs": "2022-02-26T08:00:00Z"}
        ],
        "max_distance_km": 30,
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(problem))
    result = _perisai("plan-evacuation", str(path))
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert {"assignments", "unassigned", "total_distance_km", "bound", "solve_seconds"} <= set(plan)
    # The household of the most vulnerable person gets the two seats; the other household is explained.
    assert {a["person"] for a in plan["assignments"]} == {"a1", "a2"}
    assert [u["person"] for u in plan["unassigned"]] == ["b1"]
    problem["transports"][0]["assembly_point"] = "nowhere"
    path.write_text(json.dumps(problem))
    bad = _perisai("plan-evacuation", str(path))
    assert bad.returncode != 0 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
