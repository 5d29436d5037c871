"""Short signed tokens for links sent by SMS: a person's check-in link, a warden's call-down list.

``k<crisis>.<person>.<signature>`` (numbers in base 36, a 96-bit HMAC-SHA256 in base64url): about 25
characters, so a link fits an SMS with room for the message. Nothing is stored: the signature proves the
link was made here. Keys derive from SECRET_KEY; SECRET_KEY_FALLBACKS still open links made before a
rotation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from django.conf import settings

SIGNATURE_BYTES = 12
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _b36(number: int) -> str:
    if number < 0:
        raise ValueError("negative id")
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = _DIGITS[rest] + out
        if number == 0:
            return out


def _from_b36(text: str) -> int:
    if not text or len(text) > 12 or any(c not in _DIGITS for c in text):
        raise ValueError("not a base-36 number")
    return int(text, 36)


@lru_cache(maxsize=8)
def _key(secret: str, purpose: str) -> bytes:
    return hashlib.sha256(f"perisai-crisis-{purpose}:{secret}".encode()).digest()


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _signature(secret: str, purpose: str, a: int, b: int) -> str:
    mac = hmac.new(_key(secret, purpose), f"{a}:{b}".encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def _make(prefix: str, purpose: str, a: int, b: int) -> str:
    return f"{prefix}{_b36(a)}.{_b36(b)}.{_signature(settings.SECRET_KEY, purpose, a, b)}"


def _read(prefix: str, purpose: str, token: str) -> tuple[int, int] | None:
    if not isinstance(token, str) or len(token) > 64 or not token.startswith(prefix):
        return None
    try:
        first, second, signature = token[len(prefix) :].split(".")
        a, b = _from_b36(first), _from_b36(second)
    except ValueError:
        return None
    for secret in _secrets():
        if hmac.compare_digest(signature, _signature(secret, purpose, a, b)):
            return a, b
    return None


def checkin_token(crisis_id: int, person_id: int) -> str:
    return _make("k", "checkin", crisis_id, person_id)


def read_checkin_token(token: str) -> tuple[int, int] | None:
    """(crisis id, person id), or None when the token was not made here."""
    return _read("k", "checkin", token)


def warden_token(crisis_id: int, warden_id: int) -> str:
    return _make("w", "warden", crisis_id, warden_id)


def read_warden_token(token: str) -> tuple[int, int] | None:
    return _read("w", "warden", token)


def checkin_token_factory(crisis_id: int) -> tuple[str, Any]:
    """For fan-out loops: the token prefix and a keyed HMAC to copy, so each token costs one hash."""
    return f"k{_b36(crisis_id)}.", hmac.new(_key(settings.SECRET_KEY, "checkin"), digestmod=hashlib.sha256)


def fast_checkin_token(prefix: str, keyed: Any, crisis_id: int, person_id: int) -> str:
    """The same token as :func:`checkin_token`, from :func:`checkin_token_factory`'s values."""
    mac = keyed.copy()
    mac.update(f"{crisis_id}:{person_id}".encode())
    signature = base64.urlsafe_b64encode(mac.digest()[:SIGNATURE_BYTES]).decode()  # 12 bytes: no padding
    return f"{prefix}{_b36(person_id)}.{signature}"
