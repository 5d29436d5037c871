"""Build train.jsonl and heldout.jsonl from the authored sources in this folder.

    python perisai/helpdesk/nlu/data/make_data.py

Deterministic (fixed seed): running it again rewrites the same files byte for byte. The JSONL files are
what the classifier reads; this script and the *_source.py files are how they were written.

train.jsonl  = train_source.HAND, HAND_MORE, HAND_EXTRA (as written, plus one chat-noised copy of each)
               + TEMPLATES filled with
               slot values and chat noise, up to PER_INTENT rows per intent.
heldout.jsonl = heldout_source.HELDOUT, HELDOUT_MORE, HELDOUT_BLIND as written (no templates, no noise).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from heldout_source import HELDOUT, HELDOUT_BLIND, HELDOUT_MORE  # noqa: E402
from train_source import HAND, HAND_EXTRA, HAND_MORE, TEMPLATES  # noqa: E402

PER_INTENT = 175
SEED = 20240611

WHO = {
    "id": [
        "majikan",
        "majikan saya",
        "madam",
        "bos",
        "bapak majikan",
        "ibu majikan",
        "anak majikan",
        "suami majikan",
        "agen",
        "agen saya",
        "sponsor",
        "tauke",
        "mandor",
        "nyonya",
    ],
    "en": [
        "my employer",
        "my boss",
        "the agent",
        "madam",
        "my employer's son",
        "my sponsor",
        "sir",
        "my employer's husband",
        "the recruiter",
    ],
    "ms": ["majikan", "majikan saya", "ejen", "tauke", "bos", "anak majikan", "suami majikan"],
    "jv": ["majikanku", "majikan", "bose", "agen", "anake majikan", "bojone majikan"],
    "mixed": ["madam", "my boss", "majikan", "agency", "employer", "sir", "boss saya"],
}
CTRY = {
    "id": [
        "malaysia",
        "hong kong",
        "taiwan",
        "singapura",
        "arab saudi",
        "uni emirat arab",
        "qatar",
        "kuwait",
        "brunei",
        "korea selatan",
        "jepang",
        "oman",
        "yordania",
        "turki",
        "polandia",
        "kamboja",
    ],
    "en": [
        "malaysia",
        "hong kong",
        "taiwan",
        "singapore",
        "saudi arabia",
        "the uae",
        "qatar",
        "kuwait",
        "brunei",
        "korea",
        "japan",
        "jordan",
        "poland",
        "cambodia",
    ],
}
CITY = [
    "kuala lumpur",
    "johor bahru",
    "penang",
    "kota kinabalu",
    "tawau",
    "kowloon",
    "taipei",
    "taichung",
    "kaohsiung",
    "riyadh",
    "jeddah",
    "dubai",
    "abu dhabi",
    "doha",
    "kuwait city",
    "seoul",
    "busan",
    "osaka",
    "amman",
    "muscat",
    "shah alam",
    "tuen mun",
    "mecca",
    "madinah",
]
FAM = {
    "id": ["ibu", "bapak", "suami", "kakak", "adik", "anak", "istri", "keluarga", "orang tua"],
    "en": ["mother", "father", "husband", "sister", "brother", "son", "wife", "family"],
}
PREFIX = {
    "id": [
        "",
        "",
        "",
        "tolong ",
        "kak ",
        "min ",
        "permisi, ",
        "maaf ganggu, ",
        "halo, ",
        "pak ",
        "bu ",
        "assalamualaikum, ",
        "mau tanya, ",
    ],
    "en": ["", "", "", "hi, ", "hello, ", "sorry, ", "please, ", "excuse me, "],
    "ms": ["", "", "cik, ", "tumpang tanya, ", "assalamualaikum, ", "hai, "],
    "jv": ["", "", "mbak, ", "nuwun sewu, ", "mas, ", "lik, "],
}
SUFFIX = {
    "id": [
        "",
        "",
        "",
        " kak",
        " min",
        " mohon bantuannya",
        " gimana ini",
        " saya harus bagaimana",
        "!!",
        "?",
        " 🙏",
        " makasih",
    ],
    "en": ["", "", "", " please", " what should i do", "?", "!!", " thanks"],
    "ms": ["", "", " tolong", " macam mana ni", "?", " terima kasih"],
    "jv": ["", "", " piye iki", " tulung", "?", " suwun"],
}
# standard word -> chat spellings (the inverse of normalise.ABBREVIATIONS, for noise)
CHAT = {
    "saya": ["sy", "sya", "aku"],
    "tidak": ["gk", "ga", "gak", "nggak", "tdk", "ngga"],
    "sudah": ["udh", "udah", "sdh", "dah"],
    "belum": ["blm", "belom"],
    "tolong": ["tlg", "tolongin"],
    "yang": ["yg"],
    "dengan": ["dgn"],
    "bagaimana": ["gmn", "gimana"],
    "karena": ["krn", "karna"],
    "juga": ["jg"],
    "lagi": ["lg"],
    "orang": ["org"],
    "bisa": ["bs"],
    "sekarang": ["skrg", "skrng"],
    "kalau": ["kalo", "klo"],
    "dari": ["dr"],
    "untuk": ["utk"],
    "tapi": ["tp"],
    "harus": ["hrs"],
    "sama": ["sm"],
    "saja": ["aja"],
    "bulan": ["bln"],
    "tahun": ["thn"],
    "kenapa": ["knp"],
    "terima kasih": ["makasih", "mksh"],
    "paspor": ["pasport", "passport"],
    "uang": ["duit"],
    "you": ["u"],
    "please": ["pls", "plz"],
    "because": ["bc", "coz"],
    "i am": ["im"],
    "sangat": ["bgt"],
}


def _noise(text: str, lang: str, rng: random.Random, plain: bool = False) -> str:
    words = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        if pair in CHAT and rng.random() < 0.5:
            out.append(rng.choice(CHAT[pair]))
            i += 2
            continue
        word = words[i]
        if word in CHAT and rng.random() < 0.55:
            word = rng.choice(CHAT[word])
        elif len(word) > 3 and word.isalpha() and rng.random() < 0.04:  # adjacent-letter typo
            j = rng.randrange(len(word) - 1)
            word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        out.append(word)
        i += 1
    if out and rng.random() < 0.15:  # stretched last letter: "tolonggg"
        k = rng.randrange(len(out))
        if out[k].isalpha():
            out[k] += out[k][-1] * rng.randint(2, 4)
    text = " ".join(out)
    base = "id" if lang == "mixed" else lang
    if not plain:
        text = rng.choice(PREFIX[base]) + text + rng.choice(SUFFIX[base])
    if rng.random() < 0.25:
        text = text[:1].upper() + text[1:]
    elif rng.random() < 0.03:
        text = text.upper()
    return text


def _fill(template: str, lang: str, rng: random.Random) -> str:
    base = "en" if lang == "en" else "id"
    values = {
        "who": rng.choice(WHO[lang]),
        "ctry": rng.choice(CTRY[base]).title() if rng.random() < 0.3 else rng.choice(CTRY[base]),
        "city": rng.choice(CITY),
        "n": str(rng.randint(2, 8)),
        "fam": rng.choice(FAM[base]),
    }
    return template.format(**values)


def _lines(block: str) -> list[tuple[str, str]]:
    rows = []
    for line in block.strip().splitlines() if block.strip() else []:
        lang, _, text = line.partition("|")
        rows.append((lang.strip(), text.strip()))
    return rows


def build() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    rng = random.Random(SEED)  # noqa: S311 - data generation, not security
    train: list[dict[str, str]] = []
    heldout_texts: set[str] = set()
    heldout: list[dict[str, str]] = []
    for intent, block in HELDOUT.items():
        for lang, text in _lines(block) + _lines(HELDOUT_MORE[intent]) + _lines(HELDOUT_BLIND[intent]):
            heldout.append({"text": text, "intent": intent, "lang": lang})
            heldout_texts.add(text.lower())
    for intent, block in HAND.items():
        seen: set[str] = set()
        rows: list[dict[str, str]] = []

        def add(
            text: str,
            lang: str,
            seen: set[str] = seen,
            rows: list[dict[str, str]] = rows,
            intent: str = intent,
        ) -> None:
            key = text.lower()
            if key not in seen and key not in heldout_texts:
                seen.add(key)
                rows.append({"text": text, "intent": intent, "lang": lang})

        hand = _lines(block) + _lines(HAND_MORE[intent]) + _lines(HAND_EXTRA.get(intent, ""))
        for lang, text in hand:
            add(text, lang)
        for lang, text in hand:
            add(_noise(text, lang, rng, plain=intent == "greeting"), lang)
        templates = _lines(TEMPLATES[intent])
        attempts = 0
        while len(rows) < PER_INTENT and attempts < 20 * PER_INTENT:
            attempts += 1
            lang, template = templates[attempts % len(templates)]
            add(_noise(_fill(template, lang, rng), lang, rng, plain=intent == "greeting"), lang)
        train.extend(rows)
    rng.shuffle(train)
    return train, heldout


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    train, heldout = build()
    _write(HERE / "train.jsonl", train)
    _write(HERE / "heldout.jsonl", heldout)
    total = len(train) + len(heldout)
    print(f"train {len(train)}  heldout {len(heldout)}  held-out share {len(heldout) / total:.1%}")


if __name__ == "__main__":
    main()
