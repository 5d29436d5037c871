"""The quality targets, asserted on the held-out messages (never used for training)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from perisai.helpdesk.nlu import INTENTS, LANGUAGES, evaluate
from perisai.helpdesk.nlu.evaluation import HELDOUT_PATH
from perisai.helpdesk.nlu.model import TRAIN_PATH

from ._cache import nlu_cache  # noqa: F401


@pytest.fixture(scope="module")
def report(nlu_cache: object) -> dict[str, Any]:  # noqa: F811
    return evaluate(HELDOUT_PATH)


def test_macro_f1_on_heldout(report: dict[str, Any]) -> None:
    assert report["macro_f1"] >= 0.85, report["confusion_pairs"]


def test_emergency_recall_on_heldout(report: dict[str, Any]) -> None:
    # the final decision: intent "emergency" or the safety net fired
    assert report["emergency_recall"] >= 0.97, report["emergency_missed"]


def test_every_intent_is_measured(report: dict[str, Any]) -> None:
    per_intent = report["per_intent"]
    assert isinstance(per_intent, dict)
    assert set(per_intent) == set(INTENTS)
    assert all(m["support"] >= 30 for m in per_intent.values())


def _rows(path: object) -> list[dict[str, str]]:
    with open(str(path), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_data_files_follow_the_contract() -> None:
    train, heldout = _rows(TRAIN_PATH), _rows(HELDOUT_PATH)
    for row in train + heldout:
        assert set(row) == {"text", "intent", "lang"}
        assert row["intent"] in INTENTS
        assert row["lang"] in LANGUAGES
    counts = Counter(row["intent"] for row in train + heldout)
    assert min(counts.values()) >= 150
    assert 0.20 <= len(heldout) / (len(train) + len(heldout)) <= 0.26
    # no held-out message (or its lower-cased twin) appears in training
    assert not {r["text"].lower() for r in train} & {r["text"].lower() for r in heldout}
    assert {row["lang"] for row in heldout} == set(LANGUAGES)
