"""The `perisai crisis` commands keep their contracts when run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
