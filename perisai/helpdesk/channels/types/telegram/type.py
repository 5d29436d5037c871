"""Telegram Bot API (https://core.telegram.org/bots/api).

Inbound: Telegram POSTs an Update to the webhook set with setWebhook; the header
X-Telegram-Bot-Api-Secret-Token carries the secret_token given there. Only private chats are read.
Outbound: POST {base_url}/bot{token}/sendMessage {"chat_id", "text"} -> {"ok": true, "result": {"message_id"}}.
Telegram sends no delivery receipts: a message stays "sent".

Options (PERISAI_CHANNELS["telegram"]): BOT_TOKEN, SECRET_TOKEN, BASE_URL (default https://api.telegram.org),
TIMEOUT.
"""

from __future__ import annotations

import hmac
import json
from typing import Any, ClassVar

from django.http import HttpRequest

from perisai.core.messaging.base import DeliveryError, Outgoing

from ...base import BadPayload, BotChannelType, InboundMessage, Webhook, split_text
from ...http import post_json

SECRET_HEADER = "HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN"  # noqa: S105 (a header name)


class TelegramType(BotChannelType):
    code = "telegram"
    name = "Telegram"
    max_text: ClassVar[int] = 4000  # Telegram's limit is 4096 characters

    @property
    def base_url(self) -> str:
        return str(self.options.get("base_url") or "https://api.telegram.org").rstrip("/")

    def _method_url(self, method: str) -> str:
        token = str(self.options.get("bot_token") or "")
        if not token:
            raise DeliveryError("telegram: no BOT_TOKEN configured")
        return f"{self.base_url}/bot{token}/{method}"

    # ---- outbound ----

    def send(self, message: Outgoing) -> str:
        chat_id = message.recipient.removeprefix("telegram:")
        if not chat_id.lstrip("-").isdigit():
            raise DeliveryError("telegram: the recipient is not a chat id", permanent=True)
        ids = []
        for part in split_text(message.body, self.max_text):
            status, data = post_json(
                self._method_url("sendMessage"),
                {"chat_id": int(chat_id), "text": part, "disable_web_page_preview": True},
                timeout=float(self.options.get("timeout", 15)),
            )
            if status == 200 and isinstance(data, dict) and data.get("ok"):
                ids.append(str(data["result"]["message_id"]))
                continue
            description = str((data or {}).get("description", "")) if isinstance(data, dict) else ""
            # 400: no such chat; 403: she blocked the bot. A bad token (401) is fixed by the operator: retry.
            permanent = status in (400, 403)
            raise DeliveryError(f"telegram: {status} {description[:120]}", permanent=permanent)
        return ids[0]

    def set_webhook(self, url: str) -> dict[str, Any]:
        """Register the webhook with Telegram, with the secret token it must echo back."""
        secret = str(self.options.get("secret_token") or "")
        if not secret:
            raise DeliveryError("telegram: no SECRET_TOKEN configured", permanent=True)
        status, data = post_json(
            self._method_url("setWebhook"),
            {"url": url, "secret_token": secret, "allowed_updates": ["message"]},
        )
        if status != 200 or not isinstance(data, dict) or not data.get("ok"):
            raise DeliveryError(f"telegram: setWebhook failed ({status})")
        return data

    # ---- inbound ----

    def verify(self, request: HttpRequest) -> bool:
        secret = str(self.options.get("secret_token") or "")
        given = request.META.get(SECRET_HEADER, "")
        return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())

    def parse(self, body: bytes) -> Webhook:
        try:
            update = json.loads(body)
        except ValueError as exc:
            raise BadPayload("not JSON") from exc
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise BadPayload("not a Telegram update")
        hook = Webhook()
        message = update.get("message")
        if not isinstance(message, dict):
            return hook  # edited messages, channel posts, callbacks...: nothing for the bot
        chat = message.get("chat") or {}
        if chat.get("type") != "private" or not isinstance(chat.get("id"), int):
            return hook  # groups are never read: a help line is one to one
        location = message.get("location")
        point = None
        if isinstance(location, dict):
            try:
                point = (float(location["latitude"]), float(location["longitude"]))
            except (KeyError, TypeError, ValueError):
                point = None
        text = message.get("text") or message.get("caption") or ""
        sender = message.get("from") or {}
        language = str(sender.get("language_code") or "")[:2]
        hook.messages.append(
            InboundMessage(
                provider_id=f"update:{update['update_id']}",
                sender=f"telegram:{chat['id']}",
                text=str(text),
                location=point,
                language="en" if language == "en" else ("id" if language in ("id", "ms", "jv") else ""),
            )
        )
        return hook
