"""Alerts: draft, two-person approval, fan-out through the outbox (consent only, personal links, idempotent),
throttled leased batches, a crashed worker's batch retried without duplicates, re-asks of non-responders."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from perisai.core.models import AuditEvent, OutboxMessage
from perisai.crisis import fanout
from perisai.crisis.models import Alert, AlertRecipient, Crisis, CrisisArea, DeliveryBatch, RosterEntry
from perisai.crisis.outbox import plan_batches, resume_stalled_batches, run_batch
from perisai.crisis.tokens import read_checkin_token

from .conftest import JB, KL, World, circle


def _crisis(world: World, *, exercise: bool = False) -> Crisis:
    crisis = Crisis.objects.create(
        title="Banjir KL", type="flood", country_id="MY", status="active", exercise=exercise,
        declared_at=timezone.now(),
    )  # fmt: skip
    crisis.missions.add(world.kl)
    CrisisArea.objects.create(crisis=crisis, name="Kuala Lumpur", level=1, geometry=circle(*KL, 30))
    return crisis


def _draft(world: World, crisis: Crisis, **changes: Any) -> Alert:
    client = world.client(world.officer)
    data = {
        "template": "checkin",
        "body_id": "[KBRI] Banjir: apakah Anda aman? Balas AMAN, BANTU atau TIDAK DI SANA, atau buka {link}",
        "body_en": "[KBRI] Flood: are you safe? Reply SAFE, HELP or NOT THERE, or open {link}",
        "target": "areas",
        "save": "1",
        **changes,
    }
    response = client.post(reverse("crisis:alert_new", kwargs={"public_id": crisis.public_id}), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return Alert.objects.latest("drafted_at")


def test_the_form_shows_the_sms_length_and_parts(world: World) -> None:
    crisis = _crisis(world)
    client = world.client(world.officer)
    url = reverse("crisis:alert_new", kwargs={"public_id": crisis.public_id})
    page = client.get(url)
    assert page.status_code == 200
    lengths = page.context["lengths"]
    assert lengths["id"].encoding == "GSM-7" and lengths["id"].parts >= 1
    long_unicode = "Banjir 🌊 " * 12 + "{link}"
    preview = client.post(
        url, {"body_id": long_unicode, "body_en": "Flood {link}", "target": "areas", "preview": "1"}
    )
    id_length = preview.context["lengths"]["id"]
    assert id_length.encoding == "UCS-2" and id_length.parts >= 3 and "🌊" in id_length.non_gsm
    assert preview.context["estimate"] == 0  # nobody registered yet
    filled = client.post(
        url, {"template": "evacuate", "fill": "1", "target": "areas", "body_id": "", "body_en": ""}
    )
    assert (
        "SIAGA 1" in filled.context["form"].data["body_en"]
        and "+60 12-345 0000" in filled.context["form"].data["body_en"]
    )


def test_two_person_rule(world: World) -> None:
    crisis = _crisis(world)
    alert = _draft(world, crisis)
    approve = reverse("crisis:alert_approve", kwargs={"public_id": alert.public_id})
    # A mission officer cannot approve at all; a supervisor cannot approve her own draft.
    assert world.client(world.officer).post(approve).status_code == 403
    head = world.client(world.head)
    own = _draft_by(world, world.head, crisis)
    before = AuditEvent.objects.count()
    head.post(reverse("crisis:alert_approve", kwargs={"public_id": own.public_id}))
    own.refresh_from_db()
    assert own.status == Alert.Status.DRAFT and AuditEvent.objects.count() == before
    # Someone else approves: sending starts.
    response = head.post(approve)
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == Alert.Status.SENDING and alert.approved_by == world.head


def test_the_database_holds_the_two_person_rule_too(world: World) -> None:
    from django.db import IntegrityError, transaction

    alert = _draft(world, _crisis(world))
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.filter(pk=alert.pk).update(approved_by=world.officer)


def _draft_by(world: World, user: Any, crisis: Crisis) -> Alert:
    client = world.client(user)
    client.post(
        reverse("crisis:alert_new", kwargs={"public_id": crisis.public_id}),
        {
            "body_id": "Apakah Anda aman? {link}",
            "body_en": "Are you safe? {link}",
            "target": "areas",
            "save": "1",
        },
    )
    return Alert.objects.filter(drafted_by=user).latest("drafted_at")


def test_approval_fans_out_to_consenting_people_with_personal_links(
    world: World, django_capture_on_commit_callbacks: Any, drain: Any
) -> None:
    crisis = _crisis(world)
    sri = world.make_person(*KL, name="Sri", phone="+60123450001", language="id")
    john = world.make_person(
        KL[0] + 0.05,
        KL[1],
        name="Budi",
        phone="+60123450002",
        language="en",
        channel="whatsapp",
        whatsapp="+60123450009",
    )
    world.make_person(*KL, name="Tanpa Izin", consent=False)  # no crisis_contact consent: never messaged
    world.make_person(*JB, name="Jauh")  # outside the area
    alert = _draft(world, crisis)
    with django_capture_on_commit_callbacks(execute=True):
        world.client(world.head).post(reverse("crisis:alert_approve", kwargs={"public_id": alert.public_id}))
    printed = drain()
    messages = {m.recipient: m for m in OutboxMessage.objects.filter(object_type="crisis.alert")}
    assert set(messages) == {"+60123450001", "+60123450009"}
    assert messages["+60123450009"].channel == "whatsapp" and messages["+60123450001"].channel == "sms"
    assert all(m.status == OutboxMessage.Status.SENT for m in messages.values())
    assert (
        "apakah Anda aman" in messages["+60123450001"].body
        and "are you safe" in messages["+60123450009"].body
    )
    token = re.search(r"/crisis/k/([^/\s]+)/", messages["+60123450001"].body)
    assert token is not None and read_checkin_token(token.group(1)) == (crisis.pk, sri.pk)
    assert "+60123450001" in printed  # the console channel delivered it
    alert.refresh_from_db()
    assert alert.status == Alert.Status.SENT and alert.recipients_count == 2
    roster = {e.person_id: e for e in RosterEntry.objects.filter(crisis=crisis)}
    assert roster[sri.pk].asked_count == 1 and roster[john.pk].asked_count == 1
    # Running the fan-out again queues nothing new (idempotency key per alert and person).
    Alert.objects.filter(pk=alert.pk).update(status=Alert.Status.SENDING, fanout_done_at=None)
    fanout.fan_out(alert.pk)
    assert OutboxMessage.objects.filter(object_type="crisis.alert").count() == 2
    assert AlertRecipient.objects.filter(alert=alert).count() == 2


def test_exercise_messages_are_marked(
    world: World, django_capture_on_commit_callbacks: Any, drain: Any
) -> None:
    crisis = _crisis(world, exercise=True)
    world.make_person(*KL, phone="+60123450001")
    alert = _draft(world, crisis)
    with django_capture_on_commit_callbacks(execute=True):
        world.client(world.head).post(reverse("crisis:alert_approve", kwargs={"public_id": alert.public_id}))
    drain()
    body = OutboxMessage.objects.get(object_type="crisis.alert").body
    assert body.startswith(("LATIHAN: ", "EXERCISE: "))


def test_targets_and_filters(world: World) -> None:
    crisis = _crisis(world)
    frail = world.make_person(*KL, vulnerabilities=8)
    world.make_person(*KL)
    far = world.make_person(*JB, mission=world.jb)
    alert = Alert(crisis=crisis, target=Alert.Target.AREAS, filters={"vulnerable_only": True})
    assert fanout.select_recipients(alert).person_ids == [frail.pk]
    country = Alert(crisis=crisis, target=Alert.Target.COUNTRY, filters={})
    assert far.pk in fanout.select_recipients(country).person_ids


@override_settings(PERISAI_CHANNEL_RATES={"sms": 10.0})
def test_batches_are_spaced_by_the_channel_rate(world: World) -> None:
    start = timezone.now()
    rows = [(i, "sms", f"k{i}") for i in range(1, 1201)]
    batches = plan_batches(rows, alert_id=None, start=start)
    assert [len(b.message_ids) for b in batches] == [500, 500, 200]
    gaps = [(b.run_after - start).total_seconds() for b in batches]
    assert gaps == [0.0, 50.0, 100.0]  # 500 messages at 10 a second
    later = plan_batches([(5000, "sms", "k5000")], alert_id=None, start=start)
    assert (later[0].run_after - start).total_seconds() == pytest.approx(120.0)  # after what is planned


def test_a_crashed_workers_batch_is_retried_without_duplicates(
    world: World, django_capture_on_commit_callbacks: Any, drain: Any
) -> None:
    crisis = _crisis(world)
    for i in range(5):
        world.make_person(KL[0], KL[1] + i * 0.001, phone=f"+6012345100{i}")
    alert = _draft(world, crisis)
    with django_capture_on_commit_callbacks(execute=True):
        world.client(world.head).post(reverse("crisis:alert_approve", kwargs={"public_id": alert.public_id}))
    # Fan out, but do not deliver: then play a worker that sent two messages and died.
    fanout.fan_out(alert.pk)
    batch = DeliveryBatch.objects.get(alert=alert)
    from perisai.core.messaging.tasks import deliver_message

    for message_id in batch.message_ids[:2]:
        deliver_message.call(message_id)
    DeliveryBatch.objects.filter(pk=batch.pk).update(leased_until=timezone.now() + dt.timedelta(minutes=5))
    assert run_batch(batch.pk) == "skipped"  # the (dead) worker's lease still holds
    DeliveryBatch.objects.filter(pk=batch.pk).update(leased_until=timezone.now() - dt.timedelta(seconds=1))
    assert run_batch(batch.pk) == "done"  # the lease ran out: another worker takes the batch
    sent = list(OutboxMessage.objects.filter(pk__in=batch.message_ids).values_list("status", "attempts"))
    assert sent == [(OutboxMessage.Status.SENT, 1)] * 5  # every message once, the first two not again


def test_the_sweeper_enqueues_stalled_batches_again(
    world: World, django_capture_on_commit_callbacks: Any, drain: Any
) -> None:
    batch = DeliveryBatch.objects.create(
        channel="sms", message_ids=[], run_after=timezone.now() - dt.timedelta(hours=1),
        leased_until=timezone.now() - dt.timedelta(minutes=1),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stalled_batches() == 1
    drain()
    batch.refresh_from_db()
    assert batch.done_at is not None


def test_non_responders_are_asked_again(
    world: World, django_capture_on_commit_callbacks: Any, drain: Any
) -> None:
    crisis = _crisis(world)
    Crisis.objects.filter(pk=crisis.pk).update(reask_after_minutes=60, reask_max=1)
    silent = world.make_person(*KL, phone="+60123450001")
    answered = world.make_person(*KL, phone="+60123450002")
    alert = _draft(world, crisis)
    with django_capture_on_commit_callbacks(execute=True):
        world.client(world.head).post(reverse("crisis:alert_approve", kwargs={"public_id": alert.public_id}))
    drain()
    from perisai.crisis.inbound import handle_checkin_reply

    assert handle_checkin_reply(channel="sms", sender="+60123450002", text="AMAN") is not None
    assert fanout.reask_non_responders() == 0  # not yet: the hour has not passed
    later = timezone.now() + dt.timedelta(minutes=61)
    assert fanout.reask_non_responders(now=later) == 1
    reminder = OutboxMessage.objects.get(idempotency_key=f"alert:{alert.pk}:{silent.pk}:1")
    assert reminder.body.startswith(("PENGINGAT: ", "REMINDER: "))
    assert not OutboxMessage.objects.filter(idempotency_key=f"alert:{alert.pk}:{answered.pk}:1").exists()
    # reask_max is 1: no third message.
    assert fanout.reask_non_responders(now=later + dt.timedelta(hours=2)) == 0
