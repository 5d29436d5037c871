"""What is kept and for how long: 24 hours without consent, the transcript period with it, HAPUS at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from perisai.core.models import AuditEvent, OutboxMessage
from perisai.helpdesk.actions import do_purge_expired
from perisai.helpdesk.models import Conversation, InboundReceipt, Message
from perisai.helpdesk.tasks import purge_expired_transcripts

pytestmark = pytest.mark.usefixtures("places")


def test_messages_without_consent_go_after_a_day_and_with_consent_after_the_period(
    say: Any, settings: Any
) -> None:
    settings.PERISAI_HELPDESK_TRANSCRIPT_DAYS = 30
    say("majikan saya memukul saya minggu lalu", sender="+60100000011")
    kept = say("majikan saya memukul saya minggu lalu", sender="+60100000012")
    for text in ("1", "1", "1"):  # talk to staff, may read it, follow-up at any time
        kept = say(text, sender="+60100000012")
    assert kept.conversation.transcript_consent is True
    now = timezone.now()
    assert do_purge_expired(now=now + dt.timedelta(hours=1))["messages"] == 0
    after_a_day = do_purge_expired(now=now + dt.timedelta(hours=25))
    assert after_a_day["messages"] == 2  # the conversation without consent
    assert Message.objects.filter(conversation=kept.conversation).count() == 8
    assert do_purge_expired(now=now + dt.timedelta(days=31))["messages"] == 8
    assert AuditEvent.objects.filter(action="helpdesk.purged").exists()


def test_quiet_bot_conversations_close_and_locations_are_forgotten(say: Any) -> None:
    say("DARURAT", sender="+60100000013")
    say("", location=(3.15, 101.7), sender="+60100000013")
    conversation = Conversation.objects.get()
    Conversation.objects.filter(pk=conversation.pk).update(status="bot")
    later = timezone.now() + dt.timedelta(days=2)
    counts = do_purge_expired(now=later)
    conversation.refresh_from_db()
    assert counts["closed"] == 1 and conversation.status == "closed" and conversation.vars == {}
    assert conversation.location_encrypted == ""


def test_an_open_hand_off_keeps_its_location_for_the_officer(say: Any) -> None:
    say("DARURAT", sender="+60100000014")
    say("", location=(3.15, 101.7), sender="+60100000014")
    do_purge_expired(now=timezone.now() + dt.timedelta(days=2))
    assert Conversation.objects.get().location_encrypted != ""


def test_hapus_also_wipes_what_was_sent_to_her(say: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        say("majikan tidak bayar gaji saya", sender="+60100000015")
    earlier = OutboxMessage.objects.get()
    assert "Gaji" in earlier.body
    say("HAPUS", sender="+60100000015")
    earlier.refresh_from_db()
    assert earlier.body == "" and earlier.status == "failed"
    confirmation = OutboxMessage.objects.exclude(pk=earlier.pk).get()
    assert "dihapus" in confirmation.body and confirmation.recipient == "+60100000015"
    assert not Message.objects.exists()


def test_the_purge_runs_as_a_task(say: Any) -> None:
    say("halo", sender="+60100000016")
    Message.objects.update(purge_after=timezone.now() - dt.timedelta(minutes=1))
    InboundReceipt.objects.create(
        channel="sms", provider_id="old", received_at=timezone.now() - dt.timedelta(days=40)
    )
    result = purge_expired_transcripts.call()
    assert result["messages"] == 2 and result["receipts"] == 1
    assert not Message.objects.exists()
