from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


class DeliveryError(Exception):
    """A send failed. `permanent` failures are not retried (e.g. an invalid number)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    recipient: str
    body: str
    idempotency_key: str
    subject: str = ""  # used by channels that have one (e-mail, the in-platform inbox); others ignore it

    def title(self, max_length: int = 120) -> str:
        return title_of(self.subject, self.body, max_length=max_length)


def title_of(subject: str, body: str, *, max_length: int = 120) -> str:
    """The subject, or else the body's first line: one line, shortened to `max_length` characters."""
    text = subject.strip() or next((line for line in body.splitlines() if line.strip()), "")
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


class ChannelType:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    max_attempts: ClassVar[int] = 5

    def __init__(self, **options: Any) -> None:
        self.options = options

    def send(self, message: Outgoing) -> str:
        """Deliver one message; return the provider's message id. Raise DeliveryError on failure."""
        raise NotImplementedError
