from __future__ import annotations

import sys

from ..base import ChannelType, Outgoing


class ConsoleType(ChannelType):
    """Demo and development only: prints the message to the worker's console (a system check forbids it in
    production)."""

    code = "console"
    name = "Console (demo)"

    def send(self, message: Outgoing) -> str:
        stream = self.options.get("stream") or sys.stdout
        stream.write(f"[perisai outbox] to {message.recipient}: {message.body}\n")
        stream.flush()
        return f"console-{message.idempotency_key}"
