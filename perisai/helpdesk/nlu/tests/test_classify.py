"""The public API: classify, classify_many, classify_jsonl, and the model cache."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pytest

from perisai.helpdesk.nlu import INTENTS, Classification, classify, classify_jsonl, classify_many
from perisai.helpdesk.nlu import model as model_module

from ._cache import nlu_cache  # noqa: F401

pytestmark = pytest.mark.usefixtures("nlu_cache")


def test_intents_are_the_fixed_fourteen_in_order() -> None:
    assert INTENTS == (
        "emergency",
        "abuse",
        "trafficking",
        "wages",
        "scam",
        "documents",
        "health",
        "crisis",
        "go_home",
        "contact_mission",
        "money",
        "rights_info",
        "greeting",
        "other",
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("tolong majikan lagi pukul saya sekarang", "emergency"),
        ("dulu pernah dipukul majikan, mau lapor", "abuse"),
        ("paspor saya ditahan majikan", "trafficking"),
        ("paspor saya hilang di pasar", "documents"),
        ("gaji saya belum dibayar 3 bulan", "wages"),
        ("mau kirim uang ke kampung yang murah", "money"),
        ("nomor telepon kbri kuala lumpur berapa", "contact_mission"),
        ("halo kak, selamat pagi", "greeting"),
    ],
)
def test_hard_pairs(text: str, intent: str) -> None:
    assert classify(text).intent == intent


def test_classification_fields() -> None:
    result = classify("sy mau bunuh diri, gk kuat lg")
    assert isinstance(result, Classification)
    assert result.intent == "emergency"
    assert result.emergency is True
    assert "suicide" in result.safety_signals
    assert 0.0 <= result.confidence <= 1.0
    assert result.language == "id"


def test_safety_net_raises_the_flag_even_when_the_intent_is_not_emergency() -> None:
    # a soft signal ("tolong cepat") flags the message without forcing the intent
    result = classify("tolong cepat, paspor saya ditahan agen")
    assert result.emergency is True
    assert "urgent_help" in result.safety_signals


def test_classify_many_matches_classify() -> None:
    texts = ["gaji belum dibayar", "hello", "i lost my passport"]
    assert classify_many(texts) == [classify(text) for text in texts]
    assert classify_many([]) == []


def test_classify_jsonl_contract() -> None:
    lines = [
        json.dumps({"text": "gaji saya belum dibayar"}),
        "this is not json",
        json.dumps({"message": "no text key"}),
        json.dumps({"text": 42}),
        json.dumps(["text"]),
        "",
        json.dumps({"text": "dia mau bunuh saya", "id": 7}),
    ]
    out = io.StringIO()
    errors = classify_jsonl(io.StringIO("\n".join(lines) + "\n"), out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert errors == 5
    assert len(results) == len(lines)  # one output line per input line, in order
    assert results[0]["intent"] == "wages" and results[0]["emergency"] is False
    assert set(results[0]) == {"intent", "confidence", "language", "emergency"}
    for number in (2, 3, 4, 5, 6):
        assert f"line {number}" in results[number - 1]["error"]
    assert "not valid JSON" in results[1]["error"]
    assert '"text"' in results[2]["error"]
    assert results[6]["intent"] == "emergency" and results[6]["emergency"] is True


def test_second_load_uses_the_disk_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERISAI_CACHE_DIR", str(tmp_path))
    model_module.clear_memory_cache()
    before = len(model_module.TRAININGS)
    first = model_module.get_model()
    assert len(model_module.TRAININGS) == before + 1
    cached = list(tmp_path.glob("nlu-*.pkl"))
    assert len(cached) == 1 and first.key in cached[0].name

    model_module.clear_memory_cache()  # as a new process would start
    second = model_module.get_model()
    assert len(model_module.TRAININGS) == before + 1  # loaded, not retrained
    assert second.key == first.key
    assert second.labels == first.labels


def test_corrupt_cache_file_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERISAI_CACHE_DIR", str(tmp_path))
    model_module.clear_memory_cache()
    key = model_module.get_model().key
    path = next(tmp_path.glob("nlu-*.pkl"))
    path.write_bytes(b"garbage")
    model_module.clear_memory_cache()
    before = len(model_module.TRAININGS)
    assert model_module.get_model().key == key
    assert len(model_module.TRAININGS) == before + 1
    assert path.read_bytes() != b"garbage"
    assert not list(tmp_path.glob("*.tmp"))  # no temp file left behind


def test_concurrent_first_use_trains_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERISAI_CACHE_DIR", str(tmp_path))
    model_module.clear_memory_cache()
    before = len(model_module.TRAININGS)
    keys: list[str] = []
    threads = [threading.Thread(target=lambda: keys.append(model_module.get_model().key)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and len(keys) == 4
    assert len(model_module.TRAININGS) == before + 1


def test_cache_key_changes_with_the_training_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERISAI_CACHE_DIR", str(tmp_path))
    data = tmp_path / "train.jsonl"
    rows = [{"text": f"gaji belum dibayar {i}", "intent": "wages"} for i in range(6)]
    rows += [{"text": f"halo kak {i}", "intent": "greeting"} for i in range(6)]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    first = model_module.get_model("logreg", data)
    data.write_text(
        data.read_text(encoding="utf-8") + json.dumps({"text": "hai", "intent": "greeting"}) + "\n"
    )
    second = model_module.get_model("logreg", data)
    assert first.key != second.key
    assert len(list(tmp_path.glob("nlu-logreg-*.pkl"))) == 2


@pytest.mark.parametrize("text", ["", "   ", "!!!", "🙏🙏"])
def test_empty_or_symbol_only_messages_are_other(text: str) -> None:
    result = classify(text)
    assert result.intent == "other"
    assert result.emergency is False


@pytest.mark.parametrize("text", ["halo??", "pagi kak", "ok makasih", "assalamualaikum", "thanks!"])
def test_greeting_only_messages_are_greetings(text: str) -> None:
    assert classify(text).intent == "greeting"


def test_greeting_words_do_not_hide_a_danger() -> None:
    result = classify("halo kak tolong cepat")
    assert result.emergency is True and result.intent != "greeting"


def test_very_long_message_is_bounded() -> None:
    text = "gaji saya belum dibayar " * 500 + " dia mau bunuh saya"
    result = classify(text)
    # the model reads the first MAX_CHARS characters, the safety net reads everything
    assert result.emergency is True and "threat_to_kill" in result.safety_signals
