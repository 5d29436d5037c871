"""Measure the classifier on a labelled JSONL file and print a per-intent table.

python -m perisai.helpdesk.nlu.evaluate [path/to/file.jsonl]   # default: data/heldout.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .classifier import INTENTS, Classification, _classify_with
from .model import DATA_DIR, DEFAULT_KIND, IntentModel, get_model

__all__ = ["HELDOUT_PATH", "evaluate", "format_report", "main", "score"]

HELDOUT_PATH = DATA_DIR / "heldout.jsonl"
_DESCRIPTION = "Evaluate the help-bot classifier on a labelled JSONL file (default: the held-out set)."


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _safe_div(a: float, b: float) -> float:
    return a / b if b else 0.0


def score(rows: Sequence[dict[str, str]], results: Sequence[Classification]) -> dict[str, Any]:
    """The report for labelled `rows` and their `results` (same order)."""
    truth = [row["intent"] for row in rows]
    pred = [result.intent for result in results]
    per_intent: dict[str, dict[str, float]] = {}
    for intent in INTENTS:
        tp = sum(1 for t, p in zip(truth, pred, strict=True) if t == p == intent)
        n_pred = sum(1 for p in pred if p == intent)
        n_true = sum(1 for t in truth if t == intent)
        precision, recall = _safe_div(tp, n_pred), _safe_div(tp, n_true)
        per_intent[intent] = {
            "precision": precision,
            "recall": recall,
            "f1": _safe_div(2 * precision * recall, precision + recall),
            "support": n_true,
        }
    present = [intent for intent in INTENTS if per_intent[intent]["support"]]
    true_emergency = [i for i, t in enumerate(truth) if t == "emergency"]
    flagged = [i for i, result in enumerate(results) if result.emergency]
    caught = sum(1 for i in true_emergency if results[i].emergency)
    by_model = sum(1 for i in true_emergency if pred[i] == "emergency")
    confusions = Counter((t, p) for t, p in zip(truth, pred, strict=True) if t != p)
    lang_rows = [
        (row["lang"], result.language) for row, result in zip(rows, results, strict=True) if "lang" in row
    ]
    lang_confusions = Counter((t, p) for t, p in lang_rows if t != p)
    lang_per = {
        lang: _safe_div(
            sum(1 for t, p in lang_rows if t == p == lang), sum(1 for t, _ in lang_rows if t == lang)
        )
        for lang in sorted({t for t, _ in lang_rows})
    }
    return {
        "n": len(rows),
        "accuracy": _safe_div(sum(1 for t, p in zip(truth, pred, strict=True) if t == p), len(rows)),
        "macro_f1": _safe_div(sum(per_intent[i]["f1"] for i in present), len(present)),
        "per_intent": per_intent,
        "emergency_recall": _safe_div(caught, len(true_emergency)),
        "emergency_recall_intent_only": _safe_div(by_model, len(true_emergency)),
        "emergency_flag_precision": _safe_div(
            sum(1 for i in flagged if truth[i] == "emergency"), len(flagged)
        ),
        "emergency_missed": [rows[i]["text"] for i in true_emergency if not results[i].emergency],
        "confusion_pairs": [(t, p, n) for (t, p), n in confusions.most_common()],
        "language_accuracy": _safe_div(sum(1 for t, p in lang_rows if t == p), len(lang_rows)),
        "language_recall": lang_per,
        "language_confusion_pairs": [(t, p, n) for (t, p), n in lang_confusions.most_common()],
    }


def evaluate(path: str | Path = HELDOUT_PATH, model: IntentModel | None = None) -> dict[str, Any]:
    """Classify every row of a labelled JSONL file (`{"text", "intent", "lang"?}`) and score it.

    Report keys: n, accuracy, macro_f1, per_intent {intent: precision, recall, f1, support},
    emergency_recall (final decision: model + safety net), emergency_recall_intent_only,
    emergency_flag_precision, emergency_missed, confusion_pairs [(true, predicted, count)],
    language_accuracy, language_recall, language_confusion_pairs.
    """
    rows = _read(Path(path))
    results = _classify_with(model or get_model(DEFAULT_KIND), [row["text"] for row in rows])
    return score(rows, results)


def format_report(report: dict[str, Any], title: str = "") -> str:
    lines = [f"### {title}" if title else "", ""]
    lines.append("| intent | precision | recall | F1 | support |")
    lines.append("|---|---:|---:|---:|---:|")
    for intent, m in report["per_intent"].items():
        lines.append(
            f"| {intent} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {int(m['support'])} |"
        )
    lines += [
        "",
        f"- messages: {report['n']}; accuracy {report['accuracy']:.3f}; "
        f"**macro-F1 {report['macro_f1']:.3f}**",
        f"- **emergency recall (model + safety net) {report['emergency_recall']:.3f}**; "
        f"intent alone {report['emergency_recall_intent_only']:.3f}; "
        f"precision of the emergency flag {report['emergency_flag_precision']:.3f}",
        f"- language detection accuracy {report['language_accuracy']:.3f} "
        + "("
        + ", ".join(f"{k} {v:.2f}" for k, v in report["language_recall"].items())
        + ")",
        "- most frequent confusions (true -> predicted): "
        + ", ".join(f"{t}->{p} {n}" for t, p, n in report["confusion_pairs"][:8]),
    ]
    if report["emergency_missed"]:
        lines.append("- emergencies missed: " + "; ".join(repr(t) for t in report["emergency_missed"]))
    return "\n".join(lines).strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m perisai.helpdesk.nlu.evaluate", description=_DESCRIPTION)
    parser.add_argument("path", nargs="?", default=str(HELDOUT_PATH))
    parser.add_argument("--json", action="store_true", help="print the raw report as JSON")
    args = parser.parse_args(argv)
    report = evaluate(args.path)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(format_report(report, title=f"NLU evaluation on {Path(args.path).name}"))
    return 0
