"""Contract 2 through the real webhooks: a person who received a crisis alert answers it on WhatsApp or
Telegram ("TOLONG...", "SAFE..."); the help desk hands the answer to the crisis module, which records the
check-in on the crisis roster (and, for a call for help, opens one urgent case)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from perisai.core.models import OutboxMessage, User
from perisai.core.roles import Role
from perisai.crisis import actions as crisis_actions
from perisai.crisis.models import Alert, CheckIn, Crisis, CrisisArea, RosterEntry
from perisai.helpdesk.models import Conversation, InboundReceipt
from perisai.places.models import Mission
from perisai.registry.models import Consent, Person

pytestmark = pytest.mark.usefixtures("places")

FIXTURES = Path(__file__).parent / "fixtures"
KL = (3.139, 101.687)


def payload(channel: str, name: str) -> bytes:
    return (FIXTURES / channel / name).read_bytes()


def post_whatsapp(body: bytes) -> Any:
    signature = "sha256=" + hmac.new(b"wa-app-secret", body, hashlib.sha256).hexdigest()
    return Client().post(
        "/api/v1/helpdesk/channels/whatsapp/webhook",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signature},
    )


def post_telegram(body: bytes) -> Any:
    return Client().post(
        "/api/v1/helpdesk/channels/telegram/webhook",
        body,
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": "tg-secret-0123456789"},
    )


def _provider_answers(method: str, path: str, headers: Any, body: Any) -> tuple[int, Any]:
    """The fake provider accepts every send, in each provider's own format."""
    if "/sendMessage" in path:
        return 200, json.loads(payload("telegram", "send_ok.json"))
    return 200, json.loads(payload("whatsapp", "send_ok.json"))


@pytest.fixture(autouse=True)
def _fresh_crisis_caches() -> Iterator[None]:
    """The crisis module keeps per-process caches keyed by primary keys, which a rolled-back test reuses."""
    from perisai.crisis import views_public
    from perisai.crisis.population import INDEX

    INDEX.clear()
    views_public._crises.clear()
    yield
    INDEX.clear()
    views_public._crises.clear()


@dataclass
class Alerted:
    crisis: Crisis
    lina: Person  # asked on WhatsApp, in Indonesian
    budi: Person  # asked on Telegram, in English
    drain: Callable[[], None]
    on_commit: Any  # django_capture_on_commit_callbacks: what a webhook schedules on commit, run

    def post(self, channel: str, body: bytes) -> Any:
        with self.on_commit(execute=True):
            return post_whatsapp(body) if channel == "whatsapp" else post_telegram(body)


@pytest.fixture
def alerted(
    channels: Any, make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> Alerted:
    """A flood in Kuala Lumpur: an officer drafts the alert, the head of mission approves it, the workers
    send it through the (fake) WhatsApp and Telegram APIs."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    def drain() -> None:
        for _round in range(8):
            with django_capture_on_commit_callbacks(execute=True):
                call_command("worker", batch=True, queues="*", no_scheduler=True)
            if not DBTaskResult.objects.ready().exists():
                return

    channels.responder = _provider_answers
    kl = Mission.objects.get(code="kbri-kuala-lumpur")
    officer = make_user(Role.MISSION_OFFICER, username="officer-kl", missions=[kl])
    head = make_user(Role.SUPERVISOR, username="head-kl", missions=[kl])

    def person(name: str, **extra: Any) -> Person:
        found = Person.objects.create(
            full_name=name, name_key=name.lower(), country_id="MY", mission=kl, lat=KL[0], lon=KL[1], **extra
        )
        Consent.objects.create(person=found, purpose=Consent.Purpose.CRISIS_CONTACT, granted=True)
        return found

    lina = person(
        "Lina", phone="+60123450008", whatsapp="+60123450009", preferred_channel="whatsapp",
        preferred_language="id",
    )  # fmt: skip
    budi = person("Budi", telegram="5012345679", preferred_channel="telegram", preferred_language="en")
    crisis = Crisis.objects.create(
        title="Banjir Kuala Lumpur",
        type="flood",
        country_id="MY",
        status="active",
        declared_at=timezone.now(),
    )
    crisis.missions.add(kl)
    CrisisArea.objects.create(
        crisis=crisis, name="Kuala Lumpur", level=1,
        geometry={"type": "Circle", "coordinates": [KL[1], KL[0]], "radius_km": 20},
    )  # fmt: skip
    crisis_actions.do_refresh_roster(crisis=crisis)
    alert = crisis_actions.do_draft_alert(
        crisis=crisis, actor=officer, body_id="Banjir. Apakah Anda aman? {link}",
        body_en="Flood. Are you safe? {link}", target=Alert.Target.AREAS,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        crisis_actions.do_approve_alert(alert=alert, actor=head)
    drain()
    sent = {m.recipient: m for m in OutboxMessage.objects.filter(object_type="crisis.alert")}
    assert sent["+60123450009"].channel == "whatsapp" and sent["+60123450009"].status == "sent"
    assert sent["5012345679"].channel == "telegram" and sent["5012345679"].status == "sent"
    assert RosterEntry.objects.filter(crisis=crisis, status="unknown").count() == 2
    channels.requests.clear()
    return Alerted(
        crisis=crisis, lina=lina, budi=budi, drain=drain, on_commit=django_capture_on_commit_callbacks
    )


def test_a_whatsapp_call_for_help_is_a_check_in_and_one_urgent_case(alerted: Alerted, channels: Any) -> None:
    crisis, lina = alerted.crisis, alerted.lina
    assert alerted.post("whatsapp", payload("whatsapp", "crisis_reply_help.json")).status_code == 200
    checkin = CheckIn.objects.get(crisis=crisis, person=lina)
    assert checkin.status == "need_help" and checkin.source == "whatsapp" and checkin.first_hand
    assert checkin.message == "air sudah sampai lantai dua, kami di atap"
    entry = RosterEntry.objects.get(crisis=crisis, person=lina)
    assert entry.status == "need_help" and entry.status_first_hand and entry.first_accounted_at is not None
    assert RosterEntry.objects.get(crisis=crisis, person=alerted.budi).status == "unknown"
    # The crisis module answered, not the help bot: no bot conversation was opened.
    assert not Conversation.objects.exists()
    alerted.drain()
    answer = channels.requests[-1]
    assert answer.path == "/v21.0/106540352242922/messages" and answer.body["to"] == "60123450009"
    assert "KBRI Kuala Lumpur" in answer.body["text"]["body"]
    cases = pytest.importorskip("perisai.cases.models")
    case = cases.Case.objects.get(person=lina)
    assert case.urgency == "emergency" and case.case_type == "crisis_followup"
    assert case.source == "crisis_checkin"
    entry.refresh_from_db()
    assert entry.case_code == case.code
    # WhatsApp delivers the same message again: nothing new is recorded or sent.
    before = len(channels.requests)
    assert alerted.post("whatsapp", payload("whatsapp", "crisis_reply_help.json")).status_code == 200
    alerted.drain()
    assert CheckIn.objects.filter(person=lina).count() == 1 and len(channels.requests) == before
    # She asks again: a second check-in, the same case.
    assert alerted.post("whatsapp", payload("whatsapp", "crisis_reply_help_again.json")).status_code == 200
    alerted.drain()
    assert CheckIn.objects.filter(person=lina).count() == 2
    assert cases.Case.objects.filter(person=lina).count() == 1
    assert InboundReceipt.objects.filter(channel="whatsapp").count() == 2


def test_a_telegram_safe_reply_is_a_check_in_answered_in_her_language(
    alerted: Alerted, channels: Any
) -> None:
    crisis, budi = alerted.crisis, alerted.budi
    assert alerted.post("telegram", payload("telegram", "crisis_reply_safe.json")).status_code == 200
    checkin = CheckIn.objects.get(crisis=crisis, person=budi)
    assert checkin.status == "safe" and checkin.source == "telegram"
    assert checkin.message == "at the dormitory with my friends"
    assert RosterEntry.objects.get(crisis=crisis, person=budi).status == "safe"
    assert not Conversation.objects.exists()
    alerted.drain()
    answer = channels.requests[-1]
    assert answer.path == "/bot123456:TEST-token/sendMessage" and answer.body["chat_id"] == 5012345679
    assert "SAFE" in answer.body["text"]
    cases = pytest.importorskip("perisai.cases.models")
    assert not cases.Case.objects.filter(person=budi).exists()


def test_a_sender_nobody_alerted_gets_the_help_bot(alerted: Alerted) -> None:
    """A "TOLONG" from a number that was sent no alert is not a check-in: the help bot takes it."""
    body = payload("whatsapp", "crisis_reply_help.json").replace(b"60123450009", b"60123450077")
    assert alerted.post("whatsapp", body).status_code == 200
    assert not CheckIn.objects.exists()
    assert Conversation.objects.filter(channel="whatsapp").exists()
