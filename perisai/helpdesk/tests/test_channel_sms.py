"""SMS through the generic HTTP gateway (contract: channels/types/sms_http/README.md)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from perisai.core.messaging.base import DeliveryError, Outgoing
from perisai.core.models import OutboxMessage
from perisai.helpdesk.channels.types.sms_http import SmsHttpType
from perisai.helpdesk.channels.types.sms_http.type import sign
from perisai.helpdesk.models import Conversation, InboundReceipt, Message

from .conftest import deliver_outbox

pytestmark = pytest.mark.usefixtures("places")

FIXTURES = Path(__file__).parent / "fixtures" / "sms_http"
URL = "/api/v1/helpdesk/channels/sms/webhook"


def payload(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def post(body: bytes, *, secret: str = "sms-secret", timestamp: int | None = None) -> Any:  # noqa: S107
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return Client().post(
        URL,
        body,
        content_type="application/json",
        HTTP_X_PERISAI_TIMESTAMP=stamp,
        HTTP_X_PERISAI_SIGNATURE=sign(secret, stamp, body),
    )


def test_an_sms_is_answered_through_the_gateway(
    channels: Any, django_capture_on_commit_callbacks: Any
) -> None:
    channels.responder = lambda method, path, headers, body: (202, {"id": "gw-1234", "status": "accepted"})
    with django_capture_on_commit_callbacks(execute=True):
        assert post(payload("inbound_message.json")).status_code == 200
    conversation = Conversation.objects.get(channel="sms")
    # Not sure enough: the bot first checks its best guess with her.
    assert conversation.fallback_stage == 1 and conversation.guess_topic == "trafficking"
    deliver_outbox()
    sent = channels.requests[-1]
    assert sent.path == "/v1/messages"
    assert sent.headers["authorization"] == "Bearer sms-token"
    assert sent.headers["idempotency-key"] == sent.body["reference"]
    assert sent.body["to"] == "+85291234567" and "perdagangan orang" in sent.body["text"]
    outbox = OutboxMessage.objects.get(channel="sms")
    assert outbox.status == "sent" and outbox.provider_message_id == "gw-1234"
    # The gateway's receipts.
    assert post(payload("status_events.json")).status_code == 200
    outbox.refresh_from_db()
    assert outbox.status == "delivered"


def test_replays_and_bad_signatures_are_refused(channels: Any) -> None:
    assert post(payload("inbound_message.json"), secret="wrong").status_code == 403
    assert post(payload("inbound_message.json"), timestamp=int(time.time()) - 3600).status_code == 403
    unsigned = Client().post(URL, payload("inbound_message.json"), content_type="application/json")
    assert unsigned.status_code == 403
    assert not InboundReceipt.objects.exists() and not Message.objects.exists()


def test_the_same_inbound_id_twice_is_one_message(channels: Any) -> None:
    post(payload("inbound_message.json"))
    post(payload("inbound_message.json"))
    assert Message.objects.filter(direction="in").count() == 1


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        json.dumps({"type": "message", "id": "x", "from": "0812345", "text": "hi"}).encode(),
        json.dumps({"type": "status", "id": "x", "status": "lost"}).encode(),
        json.dumps({"type": "message", "from": "+6012345678", "text": "no id"}).encode(),
    ],
)
def test_malformed_events_are_a_bad_request_and_store_nothing(channels: Any, body: bytes) -> None:
    assert post(body).status_code == 400
    assert not InboundReceipt.objects.exists()


def test_gateway_errors_are_permanent_or_retried(channels: Any) -> None:
    channel = SmsHttpType(url=channels.url + "/v1/messages", token="sms-token")
    channels.responder = lambda method, path, headers, body: (422, {"error": "invalid number"})
    with pytest.raises(DeliveryError) as bad:
        channel.send(Outgoing("+85291234567", "halo", "k1"))
    assert bad.value.permanent
    channels.responder = lambda method, path, headers, body: (503, {"error": "busy"})
    with pytest.raises(DeliveryError) as busy:
        channel.send(Outgoing("+85291234567", "halo", "k2"))
    assert not busy.value.permanent
    with pytest.raises(DeliveryError) as not_e164:
        channel.send(Outgoing("0812345", "halo", "k3"))
    assert not_e164.value.permanent


def test_an_unreachable_gateway_is_retried_by_the_outbox(
    channels: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PERISAI_CHANNELS = {
        **settings.PERISAI_CHANNELS,
        "sms": {**settings.PERISAI_CHANNELS["sms"], "URL": "http://127.0.0.1:9/v1"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        post(payload("inbound_message.json"))
    deliver_outbox()
    outbox = OutboxMessage.objects.get(channel="sms")
    assert outbox.status == "queued" and outbox.attempts == 1 and "connection" in outbox.last_error


def test_a_channel_without_its_secret_fails_the_system_check(settings: Any) -> None:
    from perisai.helpdesk.checks import check_channels

    settings.PERISAI_CHANNELS = {"sms": {"TYPE": "sms_http", "URL": "https://gw.example/v1", "TOKEN": "t"}}
    problems = check_channels(None)
    assert [p.id for p in problems] == ["perisai.helpdesk.E001"] and "SECRET" in problems[0].msg
    settings.PERISAI_CHANNELS = {"sms": {"TYPE": "sms_http", "URL": "u", "TOKEN": "t", "SECRET": "s"}}
    assert check_channels(None) == []
