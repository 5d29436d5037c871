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


class ChannelType:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    max_attempts: ClassVar[int] = 5

    def __init__(self, **options: Any) -> None:
        self.options = options

    def send(self, message: Outgoing) -> str:
        """Deliver one message; return the provider's message id. Raise DeliveryError on failure."""
        raise NotImplementedError
