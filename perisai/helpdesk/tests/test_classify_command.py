"""`perisai helpdesk classify` keeps its contract: one JSON line out per JSON line in, in order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from perisai.helpdesk.nlu import INTENTS

ROOT = Path(__file__).resolve().parents[3]


def test_classify_reads_json_lines_and_writes_one_result_each_in_order() -> None:
    lines = [
        {"text": "tolong saya dipukul majikan sekarang, saya dikunci di kamar"},
        {"text": "gaji saya sudah 3 bulan belum dibayar"},
        {"text": "halo selamat pagi"},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\nnot json\n"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="perisai.settings.test")
    result = subprocess.run(
        [sys.executable, "-m", "perisai", "helpdesk", "classify"],
        input=stdin,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    for item in out[:3]:
        assert set(item) == {"intent", "confidence", "language", "emergency"}
        assert item["intent"] in INTENTS and 0.0 <= item["confidence"] <= 1.0
    assert out[0]["intent"] == "emergency" and out[0]["emergency"] is True
    assert out[1]["intent"] == "wages" and out[1]["emergency"] is False
    assert out[2]["intent"] == "greeting"
    assert "error" in out[3] and "line 4" in out[3]["error"]
