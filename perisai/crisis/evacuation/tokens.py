"""The signed token in each manifest entry's QR code: ``E<evacuee id in base 36>.<signature>``.

About 20 characters (a small, robust QR code). The signature is a 96-bit HMAC-SHA256 keyed from SECRET_KEY
(SECRET_KEY_FALLBACKS still read codes printed before a rotation); nothing is stored. The token names no
person: a phone that scans it learns only an opaque number until the server (or the leg's cached list)
says who it is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

PREFIX = "E"
SIGNATURE_BYTES = 12
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def b36(number: int) -> str:
    if number < 0:
        raise ValueError("negative id")
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = _DIGITS[rest] + out
        if number == 0:
            return out


@lru_cache(maxsize=8)
def _key(secret: str) -> bytes:
    return hashlib.sha256(f"perisai-evacuation-boarding:{secret}".encode()).digest()


def _signature(secret: str, evacuee_id: int) -> str:
    mac = hmac.new(_key(secret), str(evacuee_id).encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def boarding_token(evacuee_id: int) -> str:
    return f"{PREFIX}{b36(evacuee_id)}.{_signature(settings.SECRET_KEY, evacuee_id)}"


def token_code(token: str) -> str:
    """The part before the signature (``E1z``), which a leg's offline list uses to show a name."""
    return token.split(".", 1)[0]


def read_boarding_token(token: str) -> int | None:
    """The evacuee id, or None when the token was not made here (or is damaged)."""
    if not isinstance(token, str) or len(token) > 64 or not token.startswith(PREFIX):
        return None
    try:
        code, signature = token[len(PREFIX) :].strip().split(".")
    except ValueError:
        return None
    if not code or len(code) > 12 or any(c not in _DIGITS for c in code):
        return None
    evacuee_id = int(code, 36)
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if hmac.compare_digest(signature, _signature(secret, evacuee_id)):
            return evacuee_id
    return None
