"""Field encryption at rest and keyed blind indexes for exact search on encrypted values.

Values are sealed with AES-256-GCM. PERISAI_FIELD_KEYS lists keys newest first: new values are sealed with
the first; any listed key opens old ones (the token names its key by a short id), so keys can be rotated
(docs/deploy.md, "Key rotation"). Any secret string works as a key; it is stretched with SHA-256.
Token format: ``g1.<key id>.<base64url(nonce || ciphertext+tag)>``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "g1"


@lru_cache(maxsize=4)
def _ring(keys: tuple[str, ...]) -> tuple[tuple[str, AESGCM], ...]:
    ring = []
    for raw in keys:
        material = hashlib.sha256(("perisai-field-key:" + raw).encode()).digest()
        key_id = hashlib.sha256(material).hexdigest()[:8]
        ring.append((key_id, AESGCM(material)))
    return tuple(ring)


def _keys() -> tuple[tuple[str, AESGCM], ...]:
    return _ring(tuple(settings.PERISAI_FIELD_KEYS))


def encrypt(value: str) -> str:
    if value == "":
        return ""
    key_id, cipher = _keys()[0]
    nonce = os.urandom(12)
    sealed = cipher.encrypt(nonce, value.encode(), key_id.encode())
    return f"{PREFIX}.{key_id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    if token == "":
        return ""
    try:
        prefix, key_id, body = token.split(".", 2)
    except ValueError as exc:
        raise ValueError("Not an encrypted value") from exc
    if prefix != PREFIX:
        raise ValueError("Unknown encryption format")
    for candidate_id, cipher in _keys():
        if candidate_id == key_id:
            blob = base64.urlsafe_b64decode(body.encode())
            try:
                return cipher.decrypt(blob[:12], blob[12:], key_id.encode()).decode()
            except InvalidTag as exc:
                raise ValueError("Encrypted value failed its integrity check") from exc
    raise ValueError("Encrypted value was sealed with a key that is no longer configured")


def needs_rotation(token: str) -> bool:
    return bool(token) and not token.startswith(f"{PREFIX}.{_keys()[0][0]}.")


def rotate(token: str) -> str:
    """Re-seal a value under the newest key (used by `perisai rotate-keys`)."""
    return encrypt(decrypt(token)) if needs_rotation(token) else token


_NORMALISE = re.compile(r"[\s\-./]")


def normalise_identifier(value: str) -> str:
    return _NORMALISE.sub("", value).upper()


@lru_cache(maxsize=4)
def _index_key(raw: str) -> bytes:
    return hashlib.sha256(("perisai-blind-index:" + raw).encode()).digest()


def blind_index(kind: str, value: str) -> str:
    """A keyed HMAC of the normalised value: equal inputs give equal indexes, nothing can be read back."""
    if not value:
        return ""
    key = _index_key(settings.PERISAI_BLIND_INDEX_KEY)
    msg = f"{kind}:{normalise_identifier(value)}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()[:40]
