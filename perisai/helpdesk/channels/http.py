"""A small JSON-over-HTTP client for providers: no proxies from the environment, a timeout, errors typed."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from perisai.core.messaging.base import DeliveryError

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post_json(
    url: str, payload: dict[str, Any], *, headers: dict[str, str] | None = None, timeout: float = 15.0
) -> tuple[int, Any]:
    """POST a JSON body; return (HTTP status, decoded JSON or None). Connection problems raise a temporary
    DeliveryError. Bodies and addresses never go into error texts."""
    if not url.startswith(("https://", "http://")):
        raise DeliveryError("provider URL must be http(s)", permanent=True)
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", **(headers or {})},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, _decode(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, _decode(exc.read())
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"connection to the provider failed ({type(exc).__name__})") from exc


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return None


def retryable_http(status: int) -> bool:
    return status in (401, 403, 408, 409, 425, 429) or status >= 500
