"""WhatsApp Business Cloud API (Meta Graph API).

Inbound: GET with hub.mode=subscribe, hub.verify_token and hub.challenge when the webhook is registered
(answer the challenge as plain text if the token matches); POSTs signed with X-Hub-Signature-256
("sha256=" + HMAC-SHA256 of the raw body with the app secret) carrying `messages` and `statuses`.
Outbound: POST {base_url}/{api_version}/{phone_number_id}/messages with a Bearer token.
Free-form messages are allowed only within 24 hours of her last message: the platform checks that before
queueing (perisai.helpdesk.actions.message_block); Meta's error 131047 says the same, permanently.

Options (PERISAI_CHANNELS["whatsapp"]): ACCESS_TOKEN, PHONE_NUMBER_ID, APP_SECRET, VERIFY_TOKEN,
BASE_URL (default https://graph.facebook.com), API_VERSION (default v21.0), TIMEOUT.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse

from perisai.core.messaging.base import DeliveryError, Outgoing

from ...base import BadPayload, BotChannelType, InboundMessage, StatusUpdate, Webhook, split_text
from ...http import post_json

SIGNATURE_HEADER = "HTTP_X_HUB_SIGNATURE_256"
# Errors that retrying cannot fix (Cloud API error codes).
PERMANENT_CODES = frozenset(
    {
        100,
        131008,
        131009,
        131021,
        131026,
        131030,
        131045,
        131047,
        131051,
        131052,
        131053,
        133010,
        132000,
        132001,
    }
)


class WhatsAppType(BotChannelType):
    code = "whatsapp"
    name = "WhatsApp"
    max_text: ClassVar[int] = 4000  # the Cloud API's limit for a text body is 4096

    def _messages_url(self) -> str:
        base = str(self.options.get("base_url") or "https://graph.facebook.com").rstrip("/")
        version = str(self.options.get("api_version") or "v21.0")
        number_id = str(self.options.get("phone_number_id") or "")
        if not number_id:
            raise DeliveryError("whatsapp: no PHONE_NUMBER_ID configured")
        return f"{base}/{version}/{number_id}/messages"

    # ---- outbound ----

    def send(self, message: Outgoing) -> str:
        to = message.recipient.lstrip("+")
        if not to.isdigit():
            raise DeliveryError("whatsapp: the recipient is not a phone number", permanent=True)
        ids = []
        for part in split_text(message.body, self.max_text):
            status, data = post_json(
                self._messages_url(),
                {
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": to,
                    "type": "text",
                    "text": {"preview_url": False, "body": part},
                },
                headers={"Authorization": f"Bearer {self.options.get('access_token', '')}"},
                timeout=float(self.options.get("timeout", 15)),
            )
            if status == 200 and isinstance(data, dict) and data.get("messages"):
                ids.append(str(data["messages"][0]["id"]))
                continue
            error = (data or {}).get("error", {}) if isinstance(data, dict) else {}
            code = error.get("code") if isinstance(error, dict) else None
            title = str(error.get("message", "")) if isinstance(error, dict) else ""
            raise DeliveryError(
                f"whatsapp: {status} error {code} {title[:120]}",
                permanent=isinstance(code, int) and code in PERMANENT_CODES,
            )
        return ids[0]

    # ---- inbound ----

    def challenge(self, request: HttpRequest) -> HttpResponse:
        mode = request.GET.get("hub.mode", "")
        token = request.GET.get("hub.verify_token", "")
        expected = str(self.options.get("verify_token") or "")
        if mode == "subscribe" and expected and hmac.compare_digest(token.encode(), expected.encode()):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse("forbidden", status=403, content_type="text/plain")

    def verify(self, request: HttpRequest) -> bool:
        secret = str(self.options.get("app_secret") or "")
        given = request.META.get(SIGNATURE_HEADER, "")
        if not secret or not given.startswith("sha256="):
            return False
        expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(given.removeprefix("sha256=").lower().encode(), expected.encode())

    def parse(self, body: bytes) -> Webhook:
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise BadPayload("not JSON") from exc
        if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
            raise BadPayload("not a WhatsApp Business Account notification")
        hook = Webhook()
        ours = str(self.options.get("phone_number_id") or "")
        for entry in payload.get("entry") or []:
            for change in (entry or {}).get("changes") or []:
                if not isinstance(change, dict) or change.get("field") != "messages":
                    continue
                value = change.get("value") or {}
                number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
                if ours and number_id and number_id != ours:
                    continue  # another number of the same business account
                for item in value.get("messages") or []:
                    parsed = _message(item)
                    if parsed is not None:
                        hook.messages.append(parsed)
                for item in value.get("statuses") or []:
                    if isinstance(item, dict) and item.get("id") and item.get("status"):
                        errors = item.get("errors") or []
                        error = ""
                        if errors and isinstance(errors[0], dict):
                            error = f"{errors[0].get('code', '')} {errors[0].get('title', '')}".strip()
                        hook.statuses.append(StatusUpdate(str(item["id"]), str(item["status"]), error[:200]))
        return hook


def _message(item: Any) -> InboundMessage | None:
    if not isinstance(item, dict) or not item.get("id") or not str(item.get("from", "")).isdigit():
        return None
    kind = item.get("type")
    text = ""
    point = None
    if kind == "text":
        text = str((item.get("text") or {}).get("body", ""))
    elif kind == "location":
        location = item.get("location") or {}
        try:
            point = (float(location["latitude"]), float(location["longitude"]))
        except (KeyError, TypeError, ValueError):
            point = None
    elif kind == "interactive":
        interactive = item.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        text = str(reply.get("id") or reply.get("title") or "")
    elif kind == "button":
        text = str((item.get("button") or {}).get("text", ""))
    elif kind in ("image", "video", "document"):
        text = str((item.get(kind) or {}).get("caption", ""))
    return InboundMessage(
        provider_id=str(item["id"]), sender="+" + str(item["from"]), text=text, location=point
    )
