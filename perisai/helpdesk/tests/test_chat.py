"""The web chat through HTTP: without JavaScript (whole page) and with it (JSON), safety by design."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from perisai.core.models import AuditEvent, OutboxMessage
from perisai.helpdesk.conf import MAX_TEXT
from perisai.helpdesk.models import Contact, Conversation, Message

pytestmark = pytest.mark.usefixtures("places")
CHAT = "/helpdesk/chat/"
STATIC = Path(__file__).resolve().parents[1] / "static" / "helpdesk"


def token_of(response: Any) -> str:
    found = re.search(r'name="token" id="chat-token" value="([^"]*)"', response.content.decode())
    assert found is not None
    return found.group(1)


def send(client: Client, text: str = "", token: str = "", **extra: Any) -> dict[str, Any]:
    response = client.post(CHAT, {"text": text, "token": token, **extra}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def bot_says(data: dict[str, Any]) -> str:
    return "\n".join(i["text"] for i in data["items"] if i["who"] != "me")


def test_the_page_warns_offers_a_quick_exit_and_keeps_nothing_in_the_browser() -> None:
    client = Client()
    page = client.get(CHAT)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="quick-exit"' in body and 'href="/helpdesk/resep/"' in body
    assert "chat-warning" in body and "DARURAT" in body
    assert 'autocomplete="off"' in body  # the browser does not remember what she typed
    assert page["Cache-Control"] == "no-store" and page["X-Frame-Options"] == "DENY"
    response = client.post(CHAT, {"text": "halo"})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies  # no session: the token travels in the form only
    assert "token=" not in response.get("Location", "")
    assert len(page.content) < 20_000 and (STATIC / "chat.js").stat().st_size < 10_000


def test_without_javascript_a_wage_problem_goes_to_a_human() -> None:
    client = Client()
    first = client.post(CHAT, {"text": "gaji saya sudah 3 bulan belum dibayar majikan"})
    token = token_of(first)
    body = first.content.decode()
    assert "Gaji yang tidak dibayar" in body
    assert 'name="option" value="1"' in body  # the options are buttons of the form
    second = client.post(CHAT, {"option": "1", "token": token})
    assert "Bolehkah petugas membaca percakapan ini" in second.content.decode()
    assert "gaji saya sudah 3 bulan" in second.content.decode()  # the page shows the conversation again
    client.post(CHAT, {"option": "1", "token": token})
    final = client.post(CHAT, {"option": "4", "token": token})
    assert "Petugas akan membalas" in final.content.decode()
    conversation = Conversation.objects.get()
    assert conversation.status == "handoff" and conversation.topic == "wages"
    assert conversation.transcript_consent is True and conversation.followup == ""


def test_with_javascript_an_emergency_gets_numbers_a_location_and_an_urgent_case() -> None:
    client = Client()
    data = send(client, "tolong saya dipukul majikan sekarang, saya takut")
    token = data["token"]
    assert "Di negara atau kota mana" in bot_says(data)
    conversation = Conversation.objects.get()
    assert conversation.status == "handoff" and conversation.urgency == "emergency"
    data = send(client, "Kuala Lumpur", token)
    said = bot_says(data)
    assert "999" in said and "KBRI Kuala Lumpur" in said
    assert data["items"][-1]["ask_location"] is True
    data = send(client, token=token, lat="3.1579", lon="101.7116")
    assert "Lokasi Anda sudah diteruskan" in bot_says(data)
    conversation.refresh_from_db()
    assert conversation.location_encrypted and conversation.mission is not None
    cases = pytest.importorskip("perisai.cases.models")
    case = cases.Case.objects.get(link_type="helpdesk.conversation", link_id=str(conversation.public_id))
    assert case.urgency == "emergency" and conversation.case_code == case.code
    # The case was opened (and the duty officer paged) before she said where she is: what she told later
    # reaches the case as notes (contract 1 attaches a note on the same link).
    from perisai.core import crypto

    notes = " ".join(crypto.decrypt(n.body_encrypted) for n in case.notes.all())
    assert "KBRI Kuala Lumpur" in notes and "3.15790" in notes


def test_hapus_erases_the_conversation_at_once() -> None:
    client = Client()
    data = send(client, "majikan saya sering memukul saya")
    token = data["token"]
    send(client, "1", token)
    conversation = Conversation.objects.get()
    assert Message.objects.filter(conversation=conversation).exists()
    data = send(client, "HAPUS", token)
    assert data["erased"] is True and data["token"] == ""
    assert "sudah dihapus" in bot_says(data)
    conversation.refresh_from_db()
    assert not Message.objects.filter(conversation=conversation).exists()
    assert (
        conversation.status == "closed" and conversation.vars == {} and conversation.location_encrypted == ""
    )
    event = AuditEvent.objects.get(action="helpdesk.conversation_erased")
    assert event.object_id == str(conversation.pk) and "memukul" not in str(event.details)
    # Her next message starts afresh.
    assert "Perisai untuk warga" in bot_says(send(client, "halo", token))


def test_a_staff_answer_reaches_the_page(client_for: Any) -> None:
    client = Client()
    data = send(client, "ORANG")
    token = data["token"]
    send(client, "2", token)
    send(client, "4", token)
    conversation = Conversation.objects.get()
    staff = client_for("admin")
    staff.post(
        f"/helpdesk/percakapan/{conversation.public_id}/balas/", {"text": "Halo, saya Rina dari KBRI."}
    )
    polled = client.post("/helpdesk/chat/poll/", {"token": token, "after": 0}).json()
    assert [i["text"] for i in polled["items"]] == ["Halo, saya Rina dari KBRI."]
    assert (
        client.post("/helpdesk/chat/poll/", {"token": token, "after": polled["after"]}).json()["items"] == []
    )
    assert client.post("/helpdesk/chat/poll/", {"token": "x" * 30, "after": 0}).json()["items"] == []
    assert not OutboxMessage.objects.exists()  # the web chat needs no provider


def test_a_very_long_message_is_read_in_part_and_she_is_told() -> None:
    data = send(Client(), "gaji saya belum dibayar. " + "x" * (MAX_TEXT + 500))
    assert data["truncated"] is True
    page = Client().post(CHAT, {"text": "y" * (MAX_TEXT * 10 + 5)})
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert "y" * 100 in page.content.decode()  # what she typed is still in the box
    assert not Contact.objects.filter(channel="webchat").count() > 1


def test_the_embed_can_be_framed_and_the_neutral_page_says_nothing_about_help() -> None:
    client = Client()
    embed = client.get("/helpdesk/chat/embed/?lang=en")
    assert embed.status_code == 200 and "X-Frame-Options" not in embed
    assert 'id="quick-exit"' in embed.content.decode()
    neutral = client.get("/helpdesk/resep/").content.decode().lower()
    assert "perisai" not in neutral and "help" not in neutral and "bantuan" not in neutral


def test_she_is_answered_in_the_language_she_writes() -> None:
    data = send(Client(), "hello, my employer has not paid my salary for two months")
    assert "Wages that are not paid" in bot_says(data)
    data = send(Client(), "majikan belum bayar gaji saya dua bulan", lang="en")
    assert "Gaji yang tidak dibayar" in bot_says(data)


def test_nothing_she_types_goes_into_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    marker = "Zubaidah-rahasia-0817"
    caplog.set_level(logging.DEBUG)
    client = Client()
    data = send(client, f"tolong {marker} saya dikunci di kamar")
    send(client, marker, data["token"])
    send(client, f"{marker} HAPUS", data["token"])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert marker not in logged
    assert not AuditEvent.objects.filter(details__icontains=marker).exists()


def test_a_failing_case_intake_does_not_cost_her_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    from perisai.helpdesk import casebridge

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("intake down")

    monkeypatch.setattr(casebridge, "open_case_for", broken)
    data = send(Client(), "DARURAT")
    assert "Di negara atau kota mana" in bot_says(data)
    conversation = Conversation.objects.get()
    assert conversation.status == "handoff" and conversation.urgency == "emergency"
