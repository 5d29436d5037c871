"""What every help-bot channel type has: parsed inbound messages and receipts, and a signature check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from django.http import HttpRequest, HttpResponse

from perisai.core.messaging.base import ChannelType


@dataclass(frozen=True)
class InboundMessage:
    """One message from a person, in the platform's terms. `sender` is E.164, "telegram:<chat id>"..."""

    provider_id: str
    sender: str
    text: str = ""
    location: tuple[float, float] | None = None
    language: str = ""


@dataclass(frozen=True)
class StatusUpdate:
    """A delivery receipt for a message we sent: status is sent, delivered, read or failed."""

    provider_id: str
    status: str
    error: str = ""


@dataclass
class Webhook:
    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)


class BadPayload(ValueError):
    """The body is not the provider's format (answered 400; nothing is stored)."""


class BotChannelType(ChannelType):
    """A channel type the bot also receives from."""

    max_text: ClassVar[int] = 4000  # longer messages are sent in parts, cut at paragraph or line ends

    def verify(self, request: HttpRequest) -> bool:
        """True when the request really comes from the provider (secret token or signature)."""
        raise NotImplementedError

    def parse(self, body: bytes) -> Webhook:
        """The provider's payload as messages and receipts. Raises BadPayload."""
        raise NotImplementedError

    def challenge(self, request: HttpRequest) -> HttpResponse:
        """A GET on the webhook (WhatsApp's subscription check); others answer that it is alive."""
        return HttpResponse("ok", content_type="text/plain")

    def acknowledge(self) -> HttpResponse:
        return HttpResponse("ok", content_type="text/plain")


def split_text(text: str, limit: int) -> list[str]:
    """Cut a long message into parts of at most `limit` characters, at a paragraph, line or word end."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut <= limit // 2:
            cut = limit
        parts.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        parts.append(rest)
    return parts or [""]
