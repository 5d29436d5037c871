"""Normalise informal chat text before classification.

Migrant workers write in informal Indonesian, Malay, Javanese and English, with chat abbreviations
("sy gk tau"), stretched letters ("tolongggg"), letters written as digits ("t0l0ng", "b4") and
Indonesian reduplication written with a 2 ("anak2"). `normalise` maps all of that onto one plain,
lower-case spelling so that the classifier sees "saya tidak tahu" however it was typed.

Pure Python, no Django. The mapping is deliberately a table (ABBREVIATIONS) so that reviewers who know
the languages can extend it without touching code.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["ABBREVIATIONS", "clauses", "normalise", "tokens", "words"]


def words(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated text (easier to read and extend than a list)."""
    return frozenset(text.split())


# informal / regional spelling -> the spelling used in training. One word (or short phrase) per key.
ABBREVIATIONS: Final[dict[str, str]] = {
    # pronouns and people
    "sy": "saya",
    "sya": "saya",
    "aq": "aku",
    "ak": "aku",
    "gw": "saya",
    "gue": "saya",
    "gua": "saya",
    "kulo": "saya",
    "kula": "saya",
    "ane": "saya",
    "sye": "saya",
    "km": "kamu",
    "kmu": "kamu",
    "lu": "kamu",
    "lo": "kamu",
    "awak": "kamu",
    "kowe": "kamu",
    "org": "orang",
    "ortu": "orang tua",
    "tmn": "teman",
    "temen": "teman",
    "kk": "kakak",
    "kak": "kakak",
    "mbak": "kakak",
    "mba": "kakak",
    "bpk": "bapak",
    "pak": "bapak",
    "ibu2": "ibu",
    "bu": "ibu",
    "bojo": "suami",
    "bojoku": "suami saya",
    "laki": "suami",
    "misua": "suami",
    "majikanku": "majikan saya",
    "bos": "majikan",
    "boss": "majikan",
    "madam": "majikan",
    "mam": "majikan",
    "maam": "majikan",
    "amah": "pembantu",
    "anakku": "anak saya",
    # negation
    "gk": "tidak",
    "ga": "tidak",
    "gak": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "ngak": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "ndak": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "ora": "tidak",
    "ra": "tidak",
    "dak": "tidak",
    "g": "tidak",
    "kagak": "tidak",
    "gag": "tidak",
    "bkn": "bukan",
    "ndk": "tidak",
    "gx": "tidak",
    # aspect / time
    "udh": "sudah",
    "udah": "sudah",
    "sdh": "sudah",
    "dah": "sudah",
    "wis": "sudah",
    "wes": "sudah",
    "uwis": "sudah",
    "sampun": "sudah",
    "blm": "belum",
    "blom": "belum",
    "belom": "belum",
    "durung": "belum",
    "dereng": "belum",
    "lg": "lagi",
    "lgi": "lagi",
    "sdg": "sedang",
    "lagi2": "lagi",
    "skrg": "sekarang",
    "skrng": "sekarang",
    "skg": "sekarang",
    "skr": "sekarang",
    "saiki": "sekarang",
    "kmrn": "kemarin",
    "kemaren": "kemarin",
    "wingi": "kemarin",
    "bsk": "besok",
    "sesok": "besok",
    "dl": "dulu",
    "dlu": "dulu",
    "dulu2": "dulu",
    "bln": "bulan",
    "thn": "tahun",
    "th": "tahun",
    "wulan": "bulan",
    "sasi": "bulan",
    "taun": "tahun",
    "hr": "hari",
    "mgg": "minggu",
    "mg": "minggu",
    "jam2": "jam",
    # verbs and function words
    "tlg": "tolong",
    "tolongin": "tolong",
    "tulung": "tolong",
    "toling": "tolong",
    "tlong": "tolong",
    "yg": "yang",
    "sing": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "sm": "sama",
    "ama": "sama",
    "karo": "sama",
    "aja": "saja",
    "aj": "saja",
    "ajah": "saja",
    "doang": "saja",
    "je": "saja",
    "wae": "saja",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "gmna": "bagaimana",
    "gmana": "bagaimana",
    "piye": "bagaimana",
    "pripun": "bagaimana",
    "camne": "bagaimana",
    "knp": "kenapa",
    "knapa": "kenapa",
    "ngapa": "kenapa",
    "trs": "terus",
    "trus": "terus",
    "bs": "bisa",
    "bisa2": "bisa",
    "iso": "bisa",
    "isa": "bisa",
    "saged": "bisa",
    "jg": "juga",
    "jga": "juga",
    "krn": "karena",
    "karna": "karena",
    "krna": "karena",
    "soale": "karena",
    "kerana": "karena",
    "klo": "kalau",
    "kalo": "kalau",
    "kl": "kalau",
    "nek": "kalau",
    "dr": "dari",
    "dri": "dari",
    "utk": "untuk",
    "tuk": "untuk",
    "tp": "tapi",
    "tpi": "tapi",
    "hrs": "harus",
    "kudu": "harus",
    "mo": "mau",
    "arep": "mau",
    "nak": "mau",
    "pengen": "ingin",
    "pingin": "ingin",
    "pgn": "ingin",
    "kepengen": "ingin",
    "jd": "jadi",
    "jdi": "jadi",
    "dadi": "jadi",
    "dpt": "dapat",
    "dapet": "dapat",
    "sampe": "sampai",
    "ampe": "sampai",
    "emg": "memang",
    "emang": "memang",
    "bnyk": "banyak",
    "byk": "banyak",
    "bgt": "banget",
    "bngt": "banget",
    "bener": "benar",
    "bnr": "benar",
    "sgt": "sangat",
    "mksh": "terima kasih",
    "makasih": "terima kasih",
    "trims": "terima kasih",
    "tq": "terima kasih",
    "tks": "terima kasih",
    "suwun": "terima kasih",
    "nyuwun": "minta",
    "njaluk": "minta",
    "gaes": "teman",
    "min": "admin",
    "mimin": "admin",
    "ni": "ini",
    "iki": "ini",
    "tu": "itu",
    "kuwi": "itu",
    "kui": "itu",
    "nang": "di",
    "neng": "di",
    "ning": "di",
    "kat": "di",
    "ngendi": "mana",
    "endi": "mana",
    "opo": "apa",
    "ap": "apa",
    "apaan": "apa",
    "mulih": "pulang",
    "muleh": "pulang",
    "duwit": "uang",
    "duit": "uang",
    "wang": "uang",
    "fulus": "uang",
    "dhuwit": "uang",
    "hp": "handphone",
    "hape": "handphone",
    "pasport": "paspor",
    "passpor": "paspor",
    "paspot": "paspor",
    "pspr": "paspor",
    "psprt": "paspor",
    "pejabat": "kantor",
    "polis": "polisi",
    "kedutaan": "kedutaan",
    "kbri": "kedutaan",
    "kjri": "kedutaan",
    "embassy": "kedutaan",
    "tki": "pekerja migran",
    "tkw": "pekerja migran",
    "pmi": "pekerja migran",
    "bmi": "pekerja migran",
    "gajih": "gaji",
    "gajiku": "gaji saya",
    "bayaran": "gaji",
    "salary": "gaji",
    "wages": "gaji",
    "cepet": "cepat",
    "cpt": "cepat",
    "cepetan": "cepat",
    "mkn": "makan",
    "mkan": "makan",
    "mam2": "makan",
    "jwbn": "jawaban",
    "jwb": "jawab",
    "ngerti": "tahu",
    "ngerti2": "tahu",
    "tau": "tahu",
    "tw": "tahu",
    "taw": "tahu",
    # English chat
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "plis": "please",
    "pliss": "please",
    "tolongg": "tolong",
    "im": "i am",
    "dont": "do not",
    "cant": "cannot",
    "wont": "will not",
    "didnt": "did not",
    "doesnt": "does not",
    "isnt": "is not",
    "idk": "i do not know",
    "thx": "thanks",
    "ty": "thanks",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "abt": "about",
    "asap": "as soon as possible",
    "msg": "message",
    "r": "are",
    "n": "and",
    "w": "with",
    "wanna": "want to",
    "gonna": "going to",
    "hv": "have",
    "pple": "people",
}

# tokens made of letters and digits that are not leetspeak
_DIGIT_WORDS: Final[dict[str, str]] = {
    "b4": "before",
    "2day": "today",
    "2nite": "tonight",
    "2morrow": "tomorrow",
    "gr8": "great",
    "l8r": "later",
    "w8": "wait",
    "4u": "for you",
    "4get": "forget",
    "some1": "someone",
    "any1": "anyone",
    "no1": "no one",
    "sm4": "sama",
    "s4ya": "saya",
    "2x": "dua kali",
    "3x": "tiga kali",
}

# a number glued to a unit: "3bln", "5jt", "2thn"
_UNITS: Final[dict[str, str]] = {
    "bln": "bulan",
    "bulan": "bulan",
    "thn": "tahun",
    "tahun": "tahun",
    "th": "tahun",
    "hr": "hari",
    "hari": "hari",
    "jt": "juta",
    "juta": "juta",
    "rb": "ribu",
    "ribu": "ribu",
    "k": "ribu",
    "x": "kali",
    "kali": "kali",
    "mgg": "minggu",
    "minggu": "minggu",
    "jam": "jam",
    "rm": "ringgit",
    "hkd": "dollar",
    "ntd": "dollar",
    "sgd": "dollar",
    "sar": "riyal",
    "months": "months",
    "month": "month",
    "years": "years",
    "year": "year",
    "days": "days",
    "day": "day",
}

_LEET: Final[dict[str, str]] = {"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "9": "g"}

_RUN = re.compile(r"(.)\1{2,}")
_PUNCT_RUN = re.compile(r"([!?])[!?1]*")
_NUM_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)([a-z]+)$")
_REDUP = re.compile(r"^([a-z]{2,})2$")
_TOKEN = re.compile(r"[^\W_]+|[!?]", re.UNICODE)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    # strip accents from Latin letters only (keep Arabic, Chinese ... as they are)
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.category(ch) == "Mn" and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _fix_token(tok: str) -> str:
    if tok in ("!", "?"):
        return tok
    tok = _RUN.sub(r"\1", tok)
    if tok in _DIGIT_WORDS:
        return _DIGIT_WORDS[tok]
    if any(ch.isdigit() for ch in tok):
        if tok.isdigit():
            return tok
        m = _REDUP.match(tok)
        if m:  # anak2 -> anak anak
            base = ABBREVIATIONS.get(m.group(1), m.group(1))
            return f"{base} {base}"
        m = _NUM_UNIT.match(tok)
        if m and m.group(2) in _UNITS:  # 3bln -> 3 bulan
            return f"{m.group(1)} {_UNITS[m.group(2)]}"
        if any(ch.isalpha() for ch in tok):  # t0l0ng -> tolong
            tok = "".join(_LEET.get(ch, ch) for ch in tok)
            tok = _RUN.sub(r"\1", tok)
    return ABBREVIATIONS.get(tok, tok)


def tokens(text: str) -> list[str]:
    """Lower-cased raw word tokens (no normalisation of spelling); '!' and '?' kept as tokens."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _PUNCT_RUN.sub(r" \1 ", text)
    return _TOKEN.findall(text.replace("'", "").replace("\u2019", ""))


def normalise(text: str) -> str:
    """Return `text` lower-cased with informal spelling mapped to one standard form.

    >>> normalise("Tolonggg sy gk bs keluar!!!")
    'tolong saya tidak bisa keluar !'
    """
    out: list[str] = []
    for tok in tokens(_fold(text)):
        out.append(_fix_token(tok))
    return " ".join(out)


_CLAUSE_SPLIT = re.compile(
    r"[.,;:!?\n\u3002\uff0c]+|\b(?:tapi|tetapi|tp|tpi|namun|but|however|sedangkan|sementara|whereas)\b",
    re.IGNORECASE,
)


def clauses(text: str) -> list[str]:
    """Split `text` at punctuation and contrastive conjunctions, then normalise each piece.

    The safety net judges tense and negation per clause: "dulu pernah dipukul, sekarang dia mau bunuh
    saya" has a past clause and a present one.
    """
    parts = (normalise(part) for part in _CLAUSE_SPLIT.split(text))
    return [part for part in parts if part]
