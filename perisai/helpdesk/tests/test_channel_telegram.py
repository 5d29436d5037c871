"""Telegram Bot API: the webhook with its secret token, and sendMessage against a local fake API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from perisai.core.models import OutboxMessage
from perisai.helpdesk.channels.types.telegram import TelegramType
from perisai.helpdesk.models import Contact, Conversation, InboundReceipt, Message

from .conftest import deliver_outbox

pytestmark = pytest.mark.usefixtures("places")

FIXTURES = Path(__file__).parent / "fixtures" / "telegram"
URL = "/api/v1/helpdesk/channels/telegram/webhook"
SECRET = "tg-secret-0123456789"


def payload(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def answer(name: str) -> Any:
    return json.loads(payload(name))


def post(body: bytes, secret: str | None = SECRET) -> Any:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return Client().post(URL, body, content_type="application/json", headers=headers)


def test_a_message_is_answered_through_send_message(
    channels: Any, django_capture_on_commit_callbacks: Any
) -> None:
    channels.responder = lambda method, path, headers, body: (200, answer("send_ok.json"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(payload("text_message.json"))
    assert response.status_code == 200
    conversation = Conversation.objects.get(channel="telegram")
    assert conversation.topic == "wages"
    deliver_outbox()
    sent = channels.requests[-1]
    assert sent.path == "/bot123456:TEST-token/sendMessage"
    assert sent.body["chat_id"] == 5012345678
    assert "Gaji yang tidak dibayar" in sent.body["text"]
    outbox = OutboxMessage.objects.get(channel="telegram")
    assert outbox.status == OutboxMessage.Status.SENT and outbox.provider_message_id == "416"
    assert outbox.recipient == "telegram:5012345678"


def test_a_repeated_update_is_one_message(channels: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert post(payload("text_message.json")).status_code == 200
        assert post(payload("text_message.json")).status_code == 200
    assert Message.objects.filter(direction="in").count() == 1
    assert OutboxMessage.objects.count() == 1
    assert InboundReceipt.objects.get().provider_id == "update:846191827"


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_a_bad_secret_is_refused_and_nothing_is_stored(channels: Any, secret: str | None) -> None:
    response = post(payload("text_message.json"), secret=secret)
    assert response.status_code == 403
    assert not Contact.objects.exists() and not InboundReceipt.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_groups_and_edits_are_not_read(channels: Any) -> None:
    assert post(payload("group_message.json")).status_code == 200
    assert post(payload("edited_message.json")).status_code == 200
    assert not Conversation.objects.exists()


def test_a_body_that_is_not_an_update_is_a_bad_request(channels: Any) -> None:
    assert post(b'{"hello": 1}').status_code == 400
    assert post(b"not json").status_code == 400
    assert not InboundReceipt.objects.exists()


def test_a_shared_location_reaches_the_mission(channels: Any) -> None:
    post(
        json.dumps(
            {
                **answer("text_message.json"),
                "update_id": 1,
                "message": {**answer("text_message.json")["message"], "text": "DARURAT"},
            }
        ).encode()
    )
    post(payload("location_message.json"))
    conversation = Conversation.objects.get(channel="telegram")
    assert conversation.urgency == "emergency" and conversation.country == "HK"
    assert conversation.mission is not None and conversation.mission.code == "kjri-hong-kong"
    assert conversation.location_encrypted and "22.31" not in conversation.location_encrypted


def test_blocked_by_the_user_fails_for_good_and_throttling_is_retried(channels: Any) -> None:
    channel = TelegramType(bot_token="123456:TEST-token", base_url=channels.url)
    from perisai.core.messaging.base import DeliveryError, Outgoing

    channels.responder = lambda method, path, headers, body: (403, answer("send_blocked.json"))
    with pytest.raises(DeliveryError) as blocked:
        channel.send(Outgoing("telegram:5012345678", "halo", "k1"))
    assert blocked.value.permanent and "blocked" in str(blocked.value)
    channels.responder = lambda method, path, headers, body: (429, answer("send_throttled.json"))
    with pytest.raises(DeliveryError) as throttled:
        channel.send(Outgoing("telegram:5012345678", "halo", "k2"))
    assert not throttled.value.permanent


def test_a_long_answer_is_sent_in_parts(channels: Any) -> None:
    channels.responder = lambda method, path, headers, body: (200, answer("send_ok.json"))
    channel = TelegramType(bot_token="123456:TEST-token", base_url=channels.url)
    from perisai.core.messaging.base import Outgoing

    channel.send(Outgoing("telegram:5012345678", ("kalimat panjang. " * 300).strip(), "k3"))
    parts = [r.body["text"] for r in channels.requests]
    assert len(parts) == 2 and all(len(p) <= 4000 for p in parts)


def test_set_webhook_registers_the_secret(channels: Any) -> None:
    channels.responder = lambda method, path, headers, body: (
        200,
        {"ok": True, "result": True, "description": "Webhook was set"},
    )
    TelegramType(bot_token="123456:TEST-token", secret_token=SECRET, base_url=channels.url).set_webhook(
        "https://perisai.example/api/v1/helpdesk/channels/telegram/webhook"
    )
    request = channels.requests[-1]
    assert request.path == "/bot123456:TEST-token/setWebhook"
    assert request.body["secret_token"] == SECRET and request.body["allowed_updates"] == ["message"]
