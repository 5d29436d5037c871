"""Benchmark the help-bot classifier: quality, training time, per-message latency.

    python bench/bench_nlu.py            # from the repo root; about 15 s on one core

Compares, in one run and on the same held-out file, the model options (KINDS) and a naive keyword-only
classifier, and prints a Markdown table for docs/benchmarks-nlu.md. Pinned to one thread.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import functools  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from perisai.helpdesk.nlu import model as model_module  # noqa: E402
from perisai.helpdesk.nlu.classifier import Classification, _classify_with  # noqa: E402
from perisai.helpdesk.nlu.evaluation import HELDOUT_PATH, score  # noqa: E402
from perisai.helpdesk.nlu.language import detect_language  # noqa: E402
from perisai.helpdesk.nlu.model import KINDS, TRAIN_PATH, IntentModel, load_jsonl, train_model  # noqa: E402
from perisai.helpdesk.nlu.normalise import normalise  # noqa: E402
from perisai.helpdesk.nlu.safety import scan  # noqa: E402

# The naive baseline: first intent whose keyword appears in the normalised text wins (safety order).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "emergency": (
        "tolong cepat",
        "bunuh",
        "perkosa",
        "kill",
        "rape",
        "pingsan",
        "dikunci",
        "locked",
        "darurat",
    ),
    "trafficking": (
        "paspor ditahan",
        "ditahan majikan",
        "tidak boleh keluar",
        "dijual",
        "scam compound",
        "hutang",
        "debt",
        "passport",
    ),
    "abuse": ("pukul", "tampar", "hina", "marah", "hit", "slap", "kasar", "abuse", "leceh"),
    "wages": ("gaji", "salary", "lembur", "overtime", "upah", "wage"),
    "scam": ("tipu", "scam", "penipuan", "calo", "pinjol", "fee", "biaya", "loan"),
    "documents": ("paspor", "visa", "permit", "overstay", "akta", "izin", "ijin", "dokumen"),
    "health": ("sakit", "dokter", "klinik", "hamil", "obat", "sick", "doctor", "clinic", "pregnant", "stres"),
    "crisis": ("perang", "gempa", "banjir", "kerusuhan", "wabah", "war", "earthquake", "flood", "riot"),
    "go_home": ("pulang", "mulih", "deport", "jenazah", "go home", "stranded", "terlantar", "balik"),
    "contact_mission": ("kbri", "kedutaan", "konsulat", "embassy", "consulate", "kjri", "alamat"),
    "money": ("kirim uang", "tabung", "nabung", "kurs", "transfer", "remit", "send money", "save"),
    "rights_info": ("hak", "berhak", "rights", "entitled", "aturan", "hukum", "legal", "boleh"),
    "greeting": ("halo", "hai", "hello", "hi", "selamat", "assalamualaikum", "terima kasih", "thanks"),
}


def keyword_classify(texts: Sequence[str]) -> list[Classification]:
    out = []
    for text in texts:
        norm = f" {normalise(text)} "
        intent = next((i for i, kws in KEYWORDS.items() if any(f" {k}" in norm for k in kws)), "other")
        safety = scan(text)
        out.append(
            Classification(
                intent, 1.0, detect_language(text), intent == "emergency" or safety.fired, safety.signals
            )
        )
    return out


def _one(model: IntentModel, text: str) -> Classification:
    return _classify_with(model, [text])[0]


def _latency(fn: Callable[[str], object], texts: Sequence[str], repeat: int = 3) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            fn(text)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.99 * (len(samples) - 1))]


def main() -> None:
    with HELDOUT_PATH.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    texts = [row["text"] for row in rows]
    train_x, train_y = load_jsonl(TRAIN_PATH)

    table: list[tuple[str, float, dict[str, Any], float, float]] = []
    models: dict[str, IntentModel] = {}
    for kind in KINDS:
        start = time.perf_counter()
        model = train_model(train_x, train_y, kind=kind)
        fit_s = time.perf_counter() - start
        models[kind] = model
        report = score(rows, _classify_with(model, texts))
        p50, p99 = _latency(functools.partial(_one, model), texts)
        table.append((kind, fit_s, report, p50, p99))
    report = score(rows, keyword_classify(texts))
    p50, p99 = _latency(lambda t: keyword_classify([t]), texts)
    table.append(("keyword baseline", 0.0, report, p50, p99))

    start = time.perf_counter()
    _classify_with(models[KINDS[0]], texts)
    batch_ms = (time.perf_counter() - start) * 1000 / len(texts)

    # model lifecycle: first use in a fresh cache dir (read data, train, write cache), then a new
    # process's first use (read the cache)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PERISAI_CACHE_DIR"] = tmp
        model_module.clear_memory_cache()
        start = time.perf_counter()
        model_module.get_model()
        cold_ms = (time.perf_counter() - start) * 1000
        model_module.clear_memory_cache()
        start = time.perf_counter()
        model_module.get_model()
        warm_ms = (time.perf_counter() - start) * 1000
        size_kb = sum(p.stat().st_size for p in Path(tmp).glob("nlu-*.pkl")) / 1024

    base_p50 = table[-1][3]
    print(f"held-out: {len(rows)} messages; training: {len(train_x)} messages; one thread\n")
    print(
        "| classifier | train s | macro-F1 | accuracy | emergency recall | emergency flag precision "
        "| p50 ms | p99 ms | p50 vs keyword |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, fit_s, rep, p50, p99 in table:
        print(
            f"| {name} | {fit_s:.2f} | {rep['macro_f1']:.3f} | {rep['accuracy']:.3f} | "
            f"{rep['emergency_recall']:.3f} | {rep['emergency_flag_precision']:.3f} | "
            f"{p50:.2f} | {p99:.2f} | "
            f"{p50 / base_p50:.1f}x |"
        )
    print(f"\nbatch classify_many over the held-out file: {batch_ms:.3f} ms per message")
    print(
        f"first use, no cache (train + write): {cold_ms:.0f} ms; "
        f"next process (load cache): {warm_ms:.0f} ms; "
        f"cache file {size_kb:.0f} KiB"
    )


if __name__ == "__main__":
    main()
