"""WhatsApp Cloud API: verification, X-Hub-Signature-256, messages and statuses, sending, the 24-hour window."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from perisai.core.messaging.base import DeliveryError, Outgoing
from perisai.core.models import OutboxMessage
from perisai.helpdesk.channels.types.whatsapp import WhatsAppType
from perisai.helpdesk.models import Contact, Conversation, InboundReceipt, Message

from .conftest import deliver_outbox

pytestmark = pytest.mark.usefixtures("places")

FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"
URL = "/api/v1/helpdesk/channels/whatsapp/webhook"
APP_SECRET = "wa-app-secret"


def payload(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def answer(name: str) -> Any:
    return json.loads(payload(name))


def signed(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(body: bytes, signature: str | None = None) -> Any:
    headers = {"X-Hub-Signature-256": signature if signature is not None else signed(body)}
    return Client().post(URL, body, content_type="application/json", headers=headers)


def test_verification_answers_the_challenge_only_with_the_right_token(channels: Any) -> None:
    client = Client()
    ok = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "wa-verify-token", "hub.challenge": "1158201444"}
    )
    assert (
        ok.status_code == 200 and ok.content == b"1158201444" and ok["Content-Type"].startswith("text/plain")
    )
    bad = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"}
    )
    assert bad.status_code == 403 and b"1158201444" not in bad.content


def test_an_emergency_is_answered_with_numbers_and_a_case(
    channels: Any, django_capture_on_commit_callbacks: Any
) -> None:
    channels.responder = lambda method, path, headers, body: (200, answer("send_ok.json"))
    with django_capture_on_commit_callbacks(execute=True):
        assert post(payload("text_message.json")).status_code == 200
    conversation = Conversation.objects.get(channel="whatsapp")
    # Her number is Saudi: the Saudi emergency numbers and the mission covering Riyadh's country, at once.
    assert conversation.urgency == "emergency" and conversation.status == "handoff"
    assert conversation.country == "SA" and conversation.mission is not None
    deliver_outbox()
    sent = channels.requests[-1]
    assert sent.path == "/v21.0/106540352242922/messages"
    assert sent.headers["authorization"] == "Bearer EAAtesttoken"
    assert sent.body["to"] == "966501234567" and sent.body["type"] == "text"
    assert "999" in sent.body["text"]["body"] and "Polisi" in sent.body["text"]["body"]
    # Her location (Jeddah) moves the conversation to the consulate that serves it.
    with django_capture_on_commit_callbacks(execute=True):
        assert post(payload("location_message.json")).status_code == 200
    conversation.refresh_from_db()
    assert conversation.mission is not None and conversation.mission.code == "kjri-jeddah"
    cases = pytest.importorskip("perisai.cases.models")
    case = cases.Case.objects.get(link_type="helpdesk.conversation", link_id=str(conversation.public_id))
    assert case.urgency == "emergency" and case.source == "helpdesk"
    assert case.contact == "+966501234567"


def test_receipts_move_the_outbox_to_delivered_or_failed(
    channels: Any, django_capture_on_commit_callbacks: Any
) -> None:
    channels.responder = lambda method, path, headers, body: (200, answer("send_ok.json"))
    with django_capture_on_commit_callbacks(execute=True):
        post(payload("text_message.json"))
    deliver_outbox()
    outbox = OutboxMessage.objects.get(channel="whatsapp")
    assert outbox.status == "sent" and outbox.provider_message_id.startswith("wamid.")
    assert post(payload("status_delivered.json")).status_code == 200
    outbox.refresh_from_db()
    assert outbox.status == "delivered" and outbox.delivered_at is not None
    # A late "failed" does not undo a delivery; on a message not yet delivered it fails it, with the code.
    post(payload("status_failed.json"))
    outbox.refresh_from_db()
    assert outbox.status == "delivered"
    OutboxMessage.objects.filter(pk=outbox.pk).update(status="sent", delivered_at=None)
    post(payload("status_failed.json"))
    outbox.refresh_from_db()
    assert outbox.status == "failed" and outbox.last_error.startswith("131047")


@pytest.mark.parametrize("signature", ["", "sha256=00", "sha1=abc", signed(b"other body")])
def test_a_bad_signature_is_refused_and_nothing_is_stored(channels: Any, signature: str) -> None:
    response = post(payload("text_message.json"), signature=signature)
    assert response.status_code == 403
    assert (
        not Contact.objects.exists() and not InboundReceipt.objects.exists() and not Message.objects.exists()
    )


def test_a_repeated_delivery_is_one_message(channels: Any) -> None:
    post(payload("text_message.json"))
    post(payload("text_message.json"))
    assert Message.objects.filter(direction="in").count() == 1


def test_button_replies_are_read_as_the_option(channels: Any) -> None:
    post(payload("text_message.json"))
    conversation = Conversation.objects.get()
    Conversation.objects.filter(pk=conversation.pk).update(node="emergency_consent")
    post(payload("interactive_reply.json"))
    conversation.refresh_from_db()
    assert conversation.transcript_consent is True


def test_sending_errors_are_permanent_or_retried_as_meta_says(channels: Any) -> None:
    channel = WhatsAppType(access_token="t", phone_number_id="106540352242922", base_url=channels.url)
    channels.responder = lambda method, path, headers, body: (400, answer("send_not_allowed.json"))
    with pytest.raises(DeliveryError) as refused:
        channel.send(Outgoing("+966501234567", "halo", "k1"))
    assert refused.value.permanent and "131030" in str(refused.value)
    channels.responder = lambda method, path, headers, body: (429, answer("send_rate_limited.json"))
    with pytest.raises(DeliveryError) as limited:
        channel.send(Outgoing("+966501234567", "halo", "k2"))
    assert not limited.value.permanent


def test_no_free_form_message_after_the_24_hour_window(channels: Any, client_for: Any) -> None:
    post(payload("text_message.json"))
    conversation = Conversation.objects.get()
    Contact.objects.update(last_inbound_at=timezone.now() - dt.timedelta(hours=25))
    officer = client_for("admin")
    before = OutboxMessage.objects.count()
    response = officer.post(
        f"/helpdesk/percakapan/{conversation.public_id}/balas/", {"text": "Apakah Anda aman sekarang?"}
    )
    assert response.status_code == 200
    assert "24" in response.content.decode() and "Apakah Anda aman sekarang?" in response.content.decode()
    assert OutboxMessage.objects.count() == before
    assert not Message.objects.filter(author="staff").exists()
