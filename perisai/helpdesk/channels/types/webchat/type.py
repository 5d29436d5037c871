"""The web chat on this site (and embedded in others). The page talks to the bot directly
(perisai.helpdesk.views_chat); `send` lets other modules write into an open web-chat conversation
through the outbox ("webchat:<conversation public id>"), shown at the page's next refresh."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from perisai.core import crypto
from perisai.core.messaging.base import DeliveryError, Outgoing

from ...base import BadPayload, BotChannelType, Webhook


class WebchatType(BotChannelType):
    code = "webchat"
    name = "Web chat"

    def send(self, message: Outgoing) -> str:
        from perisai.helpdesk.models import Conversation, Message
        from perisai.helpdesk.runtime import message_purge_after

        public_id = message.recipient.removeprefix("webchat:")
        try:
            conversation = Conversation.objects.exclude(status=Conversation.Status.CLOSED).get(
                public_id=public_id
            )
        except (Conversation.DoesNotExist, ValueError) as exc:
            raise DeliveryError("webchat: no open conversation", permanent=True) from exc
        now = timezone.now()
        row = Message.objects.create(
            conversation=conversation,
            direction=Message.Direction.OUT,
            author=Message.Author.STAFF,
            text_encrypted=crypto.encrypt(message.body),
            created_at=now,
            purge_after=message_purge_after(conversation, now),
        )
        return f"webchat:{row.pk}"

    def verify(self, request: HttpRequest) -> bool:
        return False  # the web chat has its own page; there is no provider webhook

    def parse(self, body: bytes) -> Webhook:
        raise BadPayload("the web chat has no webhook")
