"""SMS through a generic HTTP gateway: the JSON contract is in README.md beside this file.

Options (PERISAI_CHANNELS["sms"]): URL (the gateway's send endpoint), TOKEN (Bearer token for it),
SECRET (shared secret of the inbound signature), TIMEOUT, MAX_SKEW (seconds, default 300).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any, ClassVar

from django.http import HttpRequest

from perisai.core.messaging.base import DeliveryError, Outgoing

from ...base import BadPayload, BotChannelType, InboundMessage, StatusUpdate, Webhook
from ...http import post_json, retryable_http

SIGNATURE_HEADER = "HTTP_X_PERISAI_SIGNATURE"
TIMESTAMP_HEADER = "HTTP_X_PERISAI_TIMESTAMP"
STATUSES = {
    "accepted": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "failed": "failed",
    "expired": "failed",
}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a gateway puts in X-Perisai-Signature."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class SmsHttpType(BotChannelType):
    code = "sms_http"
    name = "SMS (HTTP gateway)"
    max_text: ClassVar[int] = 1600  # about ten concatenated SMS; the gateway splits

    def send(self, message: Outgoing) -> str:
        url = str(self.options.get("url") or "")
        if not url:
            raise DeliveryError("sms: no URL configured")
        if not message.recipient.startswith("+") or not message.recipient[1:].isdigit():
            raise DeliveryError("sms: the recipient is not an E.164 number", permanent=True)
        status, data = post_json(
            url,
            {
                "to": message.recipient,
                "text": message.body[: self.max_text],
                "reference": message.idempotency_key,
            },
            headers={
                "Authorization": f"Bearer {self.options.get('token', '')}",
                "Idempotency-Key": message.idempotency_key,
            },
            timeout=float(self.options.get("timeout", 15)),
        )
        if status in (200, 201, 202) and isinstance(data, dict) and data.get("id"):
            return str(data["id"])
        error = str((data or {}).get("error", "")) if isinstance(data, dict) else ""
        raise DeliveryError(
            f"sms: {status} {error[:120]}", permanent=not retryable_http(status) and status != 200
        )

    def verify(self, request: HttpRequest) -> bool:
        secret = str(self.options.get("secret") or "")
        timestamp = request.META.get(TIMESTAMP_HEADER, "")
        given = request.META.get(SIGNATURE_HEADER, "")
        if not secret or not timestamp.isdigit() or not given:
            return False
        if abs(time.time() - int(timestamp)) > int(self.options.get("max_skew", 300)):
            return False  # a replayed old request
        return hmac.compare_digest(given.encode(), sign(secret, timestamp, request.body).encode())

    def parse(self, body: bytes) -> Webhook:
        try:
            payload: Any = json.loads(body)
        except ValueError as exc:
            raise BadPayload("not JSON") from exc
        events = payload.get("events") if isinstance(payload, dict) and "events" in payload else [payload]
        if not isinstance(events, list):
            raise BadPayload("events must be a list")
        hook = Webhook()
        for event in events:
            if not isinstance(event, dict) or not event.get("id"):
                raise BadPayload("every event needs an id")
            kind = event.get("type")
            if kind == "message":
                sender = str(event.get("from", ""))
                if not sender.startswith("+") or not sender[1:].isdigit():
                    raise BadPayload("from must be an E.164 number")
                hook.messages.append(
                    InboundMessage(
                        provider_id=str(event["id"]), sender=sender, text=str(event.get("text", ""))
                    )
                )
            elif kind == "status":
                status = STATUSES.get(str(event.get("status", "")))
                if status is None:
                    raise BadPayload("unknown status")
                hook.statuses.append(
                    StatusUpdate(str(event["id"]), status, str(event.get("error", ""))[:200])
                )
            else:
                raise BadPayload("type must be message or status")
        return hook
