"""`perisai worker --batch`: runs what is queued on the real task queue, then gives the process back as it was."""

from __future__ import annotations

import signal
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_a_batch_worker_gives_back_the_callers_signal_handlers() -> None:
    """db_worker sets graceful-stop handlers; left behind, they would also be inherited by processes forked
    later (the demo generator's pool), which then could not be stopped the default way."""
    seen: list[int] = []

    def mine(signum: int, frame: Any) -> None:
        seen.append(signum)

    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        for sig in before:
            signal.signal(sig, mine)
        call_command("worker", batch=True, queues="*", no_scheduler=True)
        for sig in before:
            assert signal.getsignal(sig) is mine, signal.strsignal(sig)
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
