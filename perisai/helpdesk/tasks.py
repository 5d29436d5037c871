"""Periodic work of the help desk (PERISAI_PERIODIC_TASKS): retention and follow-ups."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from .actions import do_purge_expired, do_send_followup
from .models import Conversation


@task()
def purge_expired_transcripts() -> dict[str, int]:
    """Delete messages past their keeping time (24 hours, or the transcript period with consent)."""
    return do_purge_expired()


@task()
def send_due_followups(now: str = "") -> int:
    """Ask how she is, where she agreed and at the hours she chose. Returns how many were sent."""
    moment = dt.datetime.fromisoformat(now) if now else timezone.now()
    due = (
        Conversation.objects.filter(followup_due_at__lte=moment, followup_sent_at=None, test_mode=False)
        .exclude(followup="")
        .order_by("followup_due_at")
    )
    sent = 0
    for conversation in due.iterator(chunk_size=500):
        if do_send_followup(conversation=conversation, now=moment) == "sent":
            sent += 1
    return sent
