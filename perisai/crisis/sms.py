"""How many SMS parts a text takes (3GPP TS 23.038 / 23.040). Pure Python.

A text that fits the GSM 7-bit default alphabet (with its extension table, whose characters take two septets)
goes as GSM-7: 160 septets in one part, 153 per part when split (the rest is the concatenation header).
Anything else goes as UCS-2: 70 UTF-16 code units in one part, 67 per part. A part never splits an extension
character's escape pair, nor a surrogate pair (an emoji takes two code units).
"""

from __future__ import annotations

from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"
SINGLE = {GSM7: 160, UCS2: 70}
MULTI = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    parts: int
    per_part: int
    remaining: int  # units left in the last part
    non_gsm: tuple[str, ...]  # the characters that forced UCS-2 (to help shorten the text)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def _unit_sizes(text: str, encoding: str) -> list[int]:
    if encoding == GSM7:
        return [2 if ch in GSM_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def sms_length(text: str) -> SmsLength:
    encoding = GSM7 if is_gsm7(text) else UCS2
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    if units <= SINGLE[encoding]:
        return SmsLength(
            encoding, units, 1 if units else 0, SINGLE[encoding], SINGLE[encoding] - units, _non_gsm(text)
        )
    per_part = MULTI[encoding]
    parts, used = 1, 0
    for size in sizes:  # greedy packing: an escape or surrogate pair never straddles two parts
        if used + size > per_part:
            parts += 1
            used = 0
        used += size
    return SmsLength(encoding, units, parts, per_part, per_part - used, _non_gsm(text))


def _non_gsm(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ch for ch in text if ch not in GSM_BASIC and ch not in GSM_EXTENSION))
