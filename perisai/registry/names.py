"""Name keys for people: tolerant of spelling variants and transliteration (pure, no Django).

Indonesian names are written many ways: old and new spelling (Soekarno/Sukarno, Djoko/Joko, Tjahjo/Cahyo),
Arabic transliterations (Muhammad/Mohammad/Muhamad/Mochamad, Nur/Noor, Siti/Sitti), doubled letters and
silent h. `name_key` folds a name to a comparison form; `token_keys` gives one key per name part.
"""

from __future__ import annotations

import re
import unicodedata

_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"oe", "u"),
        (r"dj", "j"),
        (r"tj", "c"),
        (r"sj", "sy"),
        (r"nj", "ny"),
        (r"ch", "h"),
        (r"kh", "h"),
        (r"q", "k"),
        (r"ph", "f"),
        (r"v", "f"),
        (r"ie$", "i"),
        (r"j", "y"),
        (r"ee", "i"),
        (r"oo", "u"),
        (r"o", "u"),
        (r"e", "a"),
        (r"y", "i"),
        (r"w", "u"),
        (r"(?<=[aiu])h(?=[^aiu]|$)", ""),  # silent h after a vowel: Muhammad/Muhamad, Fatimah/Fatima
        (r"(?<=[^aiu])h", ""),  # h after a consonant: Achmad/Akmad, Mochamad/Mucamad
        (r"(.)\1+", r"\1"),  # doubled letters
    ]
]
_NON_LETTER = re.compile(r"[^a-z ]+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_NON_LETTER.sub(" ", ascii_text).split())


def token_key(token: str) -> str:
    key = token
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    return key


def token_keys(name: str) -> list[str]:
    return [token_key(t) for t in fold(name).split() if t]


def name_key(name: str) -> str:
    """The comparison form of a full name: folded, each part spelling-normalised, in order."""
    return " ".join(token_keys(name))
