"""What other modules may listen to. Sent inside the case's transaction: a listener's writes commit with it."""

from __future__ import annotations

from django.dispatch import Signal

# Sent when a supervisor approves a case's closure. Arguments: case (the closed Case).
case_closed = Signal()
