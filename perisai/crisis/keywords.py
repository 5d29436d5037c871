"""Check-in reply keywords (SMS, WhatsApp, Telegram), in Indonesian and English. Pure Python.

    parse_reply("aman, saya di asrama")  -> Reply(status="safe", message="saya di asrama")
    parse_reply("TOLONG air naik")       -> Reply(status="need_help", message="air naik")
    parse_reply("tidak di sana")         -> Reply(status="not_there", message="")
    parse_reply("halo, paspor saya...")  -> None   (not a check-in: the help bot answers it)

The keyword must open the message and be a whole word ("AMANDA" is not "AMAN"). "TIDAK AMAN" / "NOT SAFE"
mean the person is not safe: they count as a call for help, never as "safe".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SAFE = "safe"
NEED_HELP = "need_help"
NOT_THERE = "not_there"

MAX_MESSAGE = 500

# Longest phrases first: "TIDAK DI SANA" before "TIDAK AMAN" before "AMAN".
_PHRASES: tuple[tuple[str, str], ...] = (
    ("TIDAK DI SANA", NOT_THERE),
    ("TIDAK DISANA", NOT_THERE),
    ("TDK DI SANA", NOT_THERE),
    ("TDK DISANA", NOT_THERE),
    ("BUKAN DI SANA", NOT_THERE),
    ("NOT THERE", NOT_THERE),
    ("NOT IN THE AREA", NOT_THERE),
    ("TIDAK AMAN", NEED_HELP),
    ("TDK AMAN", NEED_HELP),
    ("NOT SAFE", NEED_HELP),
    ("UNSAFE", NEED_HELP),
    ("BANTU", NEED_HELP),
    ("BANTUAN", NEED_HELP),
    ("TOLONG", NEED_HELP),
    ("HELP", NEED_HELP),
    ("SOS", NEED_HELP),
    ("AMAN", SAFE),
    ("SAFE", SAFE),
    ("SELAMAT", SAFE),
)
_PATTERNS = tuple(
    (re.compile(r"^" + r"\s+".join(map(re.escape, phrase.split())) + r"(?![A-Z0-9])"), status)
    for phrase, status in sorted(_PHRASES, key=lambda p: -len(p[0]))
)
_LEAD = re.compile(r"^[\s\W_]+")
_SEPARATORS = re.compile("^[\\s.,;:!\\-\u2013\u2014/]+")  # en and em dashes too


@dataclass(frozen=True)
class Reply:
    status: str
    message: str


def parse_reply(text: str) -> Reply | None:
    """The check-in status and the short message after the keyword, or None if the text is not a check-in."""
    if not isinstance(text, str):
        return None
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if len(cleaned.upper()) != len(cleaned):  # e.g. "ß" -> "SS": keep offsets aligned
        cleaned = cleaned.upper()
    upper = _LEAD.sub("", cleaned.upper())
    offset = len(cleaned) - len(upper)
    for pattern, status in _PATTERNS:
        match = pattern.match(upper)
        if match is None:
            continue
        rest = cleaned[offset + match.end() :]
        message = _SEPARATORS.sub("", rest).strip()
        return Reply(status=status, message=" ".join(message.split())[:MAX_MESSAGE])
    return None
