"""classify(): the model's intent, the language, and the safety net's verdict for one message."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, TextIO

from .language import detect_language
from .model import DEFAULT_KIND, IntentModel, get_model
from .normalise import normalise, words
from .safety import SafetyResult, scan

__all__ = ["INTENTS", "Classification", "classify", "classify_jsonl", "classify_many", "decide"]

INTENTS: Final[tuple[str, ...]] = (
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

# where two intents fit, the one whose escalation matters most for safety wins
_PRIORITY: Final[tuple[str, ...]] = ("emergency", "trafficking", "abuse")
# a safety-first intent wins over the top intent when its probability is at least this share of the top's
_PRIORITY_RATIO: Final[float] = 0.75


# A message made only of these words is a greeting, whatever the model says ("pagi kak", "ok makasih").
GREETING_WORDS: Final[frozenset[str]] = words(
    """
    halo hallo helo hello hai hi hey hei hay p pagi siang sore malam petang selamat met good morning
    afternoon evening night assalamualaikum asalamualaikum assalamu alaikum waalaikumsalam wr wb
    salam kenal sejahtera kakak admin bapak ibu semua semuanya all everyone there sugeng enjing
    siang sonten dalu rawuh terima kasih thanks thank you so much banyak ya yaa ok oke okay okey
    siap baik noted got it sip mantap matur nuwun suwun sanget sampai jumpa bye see later dadah tes
    test cek ping apa kabar how are nuwun sewu permisi punten excuse me ada orang anyone is kah ! ?
    """
)


def _is_greeting(text: str) -> bool:
    found = [word for word in normalise(text).split() if word not in ("!", "?")]
    return bool(found) and all(word in GREETING_WORDS for word in found)


@dataclass(frozen=True)
class Classification:
    """The result for one message.

    `emergency` is True when the intent is "emergency" OR the safety net fired; `safety_signals` names
    the danger signals that fired (e.g. "suicide", "locked_in"), empty when none did.
    """

    intent: str
    confidence: float
    language: str
    emergency: bool
    safety_signals: tuple[str, ...]


def decide(probabilities: dict[str, float], safety: SafetyResult) -> tuple[str, float]:
    """Pick the intent from the model's probabilities and the safety net's result.

    A hard safety signal makes the intent "emergency". Otherwise the most probable intent wins, except
    that a safety-first intent (emergency > trafficking > abuse) close behind it takes its place.
    """
    top = max(probabilities, key=lambda label: probabilities[label])
    if safety.overrides:
        return "emergency", max(probabilities.get("emergency", 0.0), 0.9)
    for label in _PRIORITY:
        if label == top:
            break
        if probabilities.get(label, 0.0) >= _PRIORITY_RATIO * probabilities[top]:
            return label, probabilities[label]
    return top, probabilities[top]


def _classify_with(model: IntentModel, texts: Sequence[str]) -> list[Classification]:
    if not texts:
        return []
    rows = model.predict_proba(texts)
    results: list[Classification] = []
    for text, row in zip(texts, rows, strict=True):
        probabilities = {label: float(p) for label, p in zip(model.labels, row, strict=True)}
        safety = scan(text)
        if not normalise(text).strip("!? "):  # empty, or only emoji / punctuation
            intent, confidence = "other", max(probabilities.get("other", 0.0), 0.5)
        elif not safety.fired and _is_greeting(text):
            intent, confidence = "greeting", max(probabilities.get("greeting", 0.0), 0.9)
        else:
            intent, confidence = decide(probabilities, safety)
        results.append(
            Classification(
                intent=intent,
                confidence=round(min(max(confidence, 0.0), 1.0), 4),
                language=detect_language(text),
                emergency=intent == "emergency" or safety.fired,
                safety_signals=safety.signals,
            )
        )
    return results


def classify_many(texts: Sequence[str]) -> list[Classification]:
    """Classify several messages at once (one vectorisation pass; faster per message)."""
    return _classify_with(get_model(DEFAULT_KIND), list(texts))


def classify(text: str) -> Classification:
    """Classify one chat message into one of INTENTS, with language and safety verdict."""
    return classify_many([text])[0]


def classify_jsonl(infile: TextIO, outfile: TextIO) -> int:
    """Read JSON lines `{"text": ...}` from `infile`; write one result line per input line, in order.

    A result is `{"intent", "confidence", "language", "emergency"}`. A line that is not JSON, or has no
    string "text", gets `{"error": "..."}` naming the problem and the line number, and the run goes on.
    Blank lines are errors too (so output line N always answers input line N). Returns the error count.
    """
    errors = 0
    for number, line in enumerate(infile, start=1):
        problem: str | None = None
        text: str | None = None
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = f"line {number}: not valid JSON ({exc.msg})"
        else:
            if not isinstance(row, dict):
                problem = f'line {number}: expected a JSON object with a "text" string'
            elif not isinstance(row.get("text"), str):
                problem = f'line {number}: missing "text" string'
            else:
                text = row["text"]
        if problem is not None or text is None:
            errors += 1
            out: dict[str, object] = {"error": problem}
        else:
            result = classify(text)
            out = {
                "intent": result.intent,
                "confidence": result.confidence,
                "language": result.language,
                "emergency": result.emergency,
            }
        outfile.write(json.dumps(out, ensure_ascii=False) + "\n")
    return errors
