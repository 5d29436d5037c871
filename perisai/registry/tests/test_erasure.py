"""Erasure (UU 27/2022): after "delete my data" none of her personal data is left in any table; tombstones,
rows without personal data and counts remain; erasing twice is harmless."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.core import crypto
from perisai.core.models import AuditEvent, OutboxMessage, User
from perisai.core.roles import Role
from perisai.crisis.models import (
    Alert,
    AlertRecipient,
    CheckIn,
    Crisis,
    FamilyEnquiry,
    PersonNote,
    RosterEntry,
)
from perisai.registry.actions import do_erase_person
from perisai.registry.models import Person, PersonStatus

from .test_citizen import _register

pytestmark = pytest.mark.usefixtures("reference")

NAME = "Sri Wahyuni"
CHILD = "Putri Anggraini"
PHONE = "+60123456789"
NIK = "3507014509950001"
PASSPORT = "C1234567"
EMAIL = "sri.wahyuni@example.com"
MESSAGE = "Di asrama dekat Taman Molek, air sudah setinggi lutut"
NOTE = "Ditelepon pukul 09.00, anaknya demam"
REPORTER = "Keluarga Tan (majikan)"
REPORTER_CONTACT = "+60 12-999 8888"
CHAT = "Halo, paspor saya ditahan majikan"
MONEY_NOTE = "Kiriman untuk Ibu Sumiati"
WALLET = "Dompet gaji Sri"
CHECKIN_AT = (1.551234, 103.798765)


def _rows_of_every_table() -> Iterator[tuple[str, tuple[Any, ...]]]:
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the db)
            for row in cursor.fetchall():
                yield table, row


def _find_anywhere(needles: list[str], coordinates: tuple[float, float]) -> list[str]:
    """Every (table, needle) where a needle (text, or one of the coordinates) is still found."""
    found = []
    lowered = [n.lower() for n in needles if n]
    for table, row in _rows_of_every_table():
        for value in row:
            if isinstance(value, float):
                if any(abs(value - c) < 1e-9 for c in coordinates):
                    found.append(f"{table}: coordinate {value}")
                continue
            text = (value.decode(errors="ignore") if isinstance(value, bytes) else str(value)).lower()
            found.extend(f"{table}: {n}" for n in lowered if n in text)
    return found


@pytest.fixture
def sri(
    make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> tuple[Client, Person, dict[str, Any]]:
    """Sri, registered with a child, after a sign-in code, a passport reminder, an alert she answered by
    check-in, an officer's note, a family enquiry, a help-desk chat and some money entries."""
    from perisai.crisis.actions import do_add_note, do_record_checkin, do_start_family_enquiry
    from perisai.crisis.fanout import queue_round
    from perisai.finance.actions import EntryItem, do_create_wallet, do_sync_entries
    from perisai.helpdesk.actions import do_receive_message
    from perisai.registry.tasks import send_passport_reminders

    client = Client()
    soon = (timezone.localdate() + dt.timedelta(days=150)).isoformat()
    response = _register(
        client,
        full_name=NAME,
        passport_number=PASSPORT,
        passport_expiry=soon,
        email=EMAIL,
        **{"members-0-member_name": CHILD},
    )
    assert response.status_code == 302
    person = Person.objects.get(full_name=NAME)
    child = Person.objects.get(full_name=CHILD)
    # A sign-in code, and the passport reminder (both still in the outbox).
    Client().post(reverse("registry:sign_in"), {"identifier": PHONE})
    assert send_passport_reminders.call() == 1
    # An alert to her and her child; she answers through her link, her employer reports too.
    officer = make_user(Role.MISSION_OFFICER, username="officer-jb")
    head = make_user(Role.SUPERVISOR, username="head-jb")
    crisis = Crisis.objects.create(
        title="Banjir Johor", type="flood", country_id="MY", status="active", declared_at=timezone.now()
    )
    alert = Alert.objects.create(
        crisis=crisis,
        body_id="Banjir di Johor. Kabari kami: {link}",
        body_en="Flood in Johor. Tell us: {link}",
        drafted_by=officer,
        approved_by=head,
        status=Alert.Status.SENDING,
    )
    assert queue_round(alert, [(person.pk, 0, None), (child.pk, 0, None)]).queued == 2
    do_record_checkin(
        crisis=crisis, person_id=person.pk, status="safe", source="link", message=MESSAGE,
        lat=CHECKIN_AT[0], lon=CHECKIN_AT[1],
    )  # fmt: skip
    do_record_checkin(
        crisis=crisis, person_id=person.pk, status="safe", source="employer", reporter_name=REPORTER,
        reporter_contact=REPORTER_CONTACT,
    )  # fmt: skip
    do_add_note(crisis=crisis, person=person, actor=officer, text=NOTE)
    do_start_family_enquiry(kind="nik", identifier=NIK, relative_phone="+62 811-1111-2222", ip_address=None)
    # A help-desk conversation from her WhatsApp number (the bot's answer is queued to that number).
    received = do_receive_message(channel="whatsapp", sender=PHONE, text=CHAT)
    assert received.conversation is not None
    # Her money diary.
    user = person.user
    assert user is not None
    wallet = do_create_wallet(owner=user, name=WALLET, kind="cash", currency_code="MYR")
    do_sync_entries(
        owner=user,
        items=[
            EntryItem(
                id=uuid.uuid4(), wallet=wallet.public_id, category="food", amount="12", occurred_on="2025-03-01",
                note=MONEY_NOTE,
            )
        ],
    )  # fmt: skip
    from perisai.helpdesk.models import Contact

    contact = Contact.objects.get(channel="whatsapp")
    secrets_before = {
        "nik_index": person.nik_index,
        "passport_index": person.passport_index,
        "nik_encrypted": person.nik_encrypted,
        "passport_encrypted": person.passport_encrypted,
        "phone_index": crypto.blind_index("phone", PHONE),
        "contact_index": contact.address_index,
        "contact_encrypted": contact.address_encrypted,
        "sign_in_body": OutboxMessage.objects.get(purpose="sign_in").body,  # with the code
        "reminder_body": OutboxMessage.objects.get(purpose="reminder").body,
        "alert_body": OutboxMessage.objects.get(
            idempotency_key=f"alert:{alert.pk}:{person.pk}:0"
        ).body,  # her link
    }
    return client, person, secrets_before


def _needles(secrets_before: dict[str, str]) -> list[str]:
    return [
        NAME, "Wahyuni", CHILD, "Anggraini", PHONE, PHONE.lstrip("+"), "+6281234567890", NIK, PASSPORT, EMAIL,
        MESSAGE, "Taman Molek", NOTE, REPORTER, "+60129998888", REPORTER_CONTACT, CHAT, MONEY_NOTE, WALLET,
        "Keluarga Tan", "Ibu Sumiati", *secrets_before.values(),
    ]  # fmt: skip


def test_her_data_is_found_before_erasure(sri: tuple[Client, Person, dict[str, Any]]) -> None:
    """The search below can see each kind of data it looks for (else the next test would prove nothing)."""
    _client, _person, secrets_before = sri
    found = "\n".join(_find_anywhere(_needles(secrets_before), CHECKIN_AT))
    for where in (
        "registry_person: sri wahyuni",
        "registry_person: putri anggraini",
        f"core_outboxmessage: {PHONE}",
        f"crisis_alertrecipient: {PHONE}",
        f"crisis_checkin: {MESSAGE.lower()}",
        "crisis_checkin: coordinate",
        f"crisis_checkin: {REPORTER.lower()}",
        f"crisis_personnote: {NOTE.lower()}",
        f"crisis_familyenquiry: {secrets_before['nik_index']}",
        f"helpdesk_contact: {secrets_before['contact_index']}",
        f"finance_entry: {MONEY_NOTE.lower()}",
        f"finance_wallet: {WALLET.lower()}",
    ):
        assert where in found, where
    assert f"core_outboxmessage: {secrets_before['sign_in_body'].lower()}" in found
    assert f"core_outboxmessage: {secrets_before['reminder_body'].lower()}" in found
    assert f"core_outboxmessage: {secrets_before['alert_body'].lower()}" in found


def test_erasure_leaves_none_of_her_data_anywhere_and_keeps_the_counts(
    sri: tuple[Client, Person, dict[str, Any]],
) -> None:
    client, person, secrets_before = sri
    child = Person.objects.get(full_name=CHILD)
    outbox_before = OutboxMessage.objects.count()
    response = client.post(reverse("registry:my_erase"), {"confirm": "yes"})
    assert response.status_code == 302

    assert _find_anywhere(_needles(secrets_before), CHECKIN_AT) == []
    # Tombstones: her record and her child's, with the country and the mission, nothing else.
    person.refresh_from_db()
    child.refresh_from_db()
    for p in (person, child):
        assert p.status == PersonStatus.ERASED and p.full_name == "—"
        assert p.country_id == "MY" and p.mission is not None
        assert p.phone == p.email == p.nik_index == p.passport_index == "" and p.birth_date is None
        assert p.household_id is None and p.registered_by_id is None and p.user_id is None
    # Rows without personal data keep the counts: reports, statuses, recipients, messages, the conversation.
    assert CheckIn.objects.filter(person=person, status="safe").count() == 2
    assert RosterEntry.objects.get(person=person).status == "safe"
    assert AlertRecipient.objects.filter(person__in=[person, child], address="").count() == 2
    assert PersonNote.objects.filter(person=person, text="").count() == 1
    assert FamilyEnquiry.objects.filter(identifier_index="").count() == 1
    assert OutboxMessage.objects.count() == outbox_before
    assert not OutboxMessage.objects.filter(status="queued").exists()  # nothing still goes out to her
    from perisai.finance.models import Entry, Wallet
    from perisai.helpdesk.models import Contact, Conversation, Message

    assert Conversation.objects.filter(status="closed").count() == 1 and not Message.objects.exists()
    assert Contact.objects.get().address_encrypted == ""
    assert not Entry.objects.exists() and not Wallet.objects.exists()
    # Her account is closed and nameless; signing in with her number finds nobody.
    user = User.objects.get(username=f"erased-{person.public_id}")
    assert not user.is_active and not user.has_usable_password() and user.display_name == ""
    Client().post(reverse("registry:sign_in"), {"identifier": PHONE})
    assert OutboxMessage.objects.count() == outbox_before
    # One audit event, with counts only.
    event = AuditEvent.objects.get(action="person.erase", object_id=str(person.pk))
    assert event.details["members"] == 1 and event.details["checkins"] == 2
    assert event.details["helpdesk_conversations"] == 1 and event.details["finance_entry"] == 1
    assert event.details["alert_recipients"] == 2 and event.details["outbox_messages"] >= 4
    assert all(isinstance(v, int) for v in event.details.values())
    assert AuditEvent.objects.filter(action="finance.erase").count() == 1


def test_erasing_twice_is_harmless(sri: tuple[Client, Person, dict[str, Any]]) -> None:
    _client, person, secrets_before = sri
    do_erase_person(person=person, actor=None)
    snapshot = sorted(map(repr, _rows_of_every_table()))
    events = AuditEvent.objects.count()
    again = do_erase_person(person=person, actor=None)
    assert again.status == PersonStatus.ERASED
    assert sorted(map(repr, _rows_of_every_table())) == snapshot  # nothing changed
    assert AuditEvent.objects.count() == events  # and nothing was recorded
    assert _find_anywhere(_needles(secrets_before), CHECKIN_AT) == []


def test_a_phone_shared_with_someone_not_erased_stays_theirs() -> None:
    """Her husband registered himself with the same phone: his messages and chats are his, not erased."""
    from perisai.helpdesk.actions import do_receive_message
    from perisai.helpdesk.models import Contact, Message

    client = Client()
    _register(client)
    _register(Client(), full_name="Budi Santoso", nik="3507010101900001", **{"members-0-member_name": ""})
    do_receive_message(channel="whatsapp", sender=PHONE, text="Halo")
    sri = Person.objects.get(full_name="Sri Wahyuni")
    do_erase_person(person=sri, actor=None)
    budi = Person.objects.get(full_name="Budi Santoso")
    assert budi.phone == PHONE and budi.status == PersonStatus.ACTIVE
    assert Message.objects.exists() and Contact.objects.get().address_encrypted != ""


def test_check_ins_and_notes_stay_append_only_except_for_erasure(
    sri: tuple[Client, Person, dict[str, Any]],
) -> None:
    _client, person, _secrets = sri
    checkin = CheckIn.objects.filter(person=person).exclude(message="").get()
    for change in (
        {"message": "changed"},  # rewriting
        {"message": "", "lat": None, "lon": None, "reporter_name": "", "status": "need_help"},  # and more
        {"status": "need_help"},
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            CheckIn.objects.filter(pk=checkin.pk).update(**change)
    with pytest.raises(DatabaseError), transaction.atomic():
        CheckIn.objects.filter(pk=checkin.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonNote.objects.filter(person=person).update(text="something else")
    checkin.refresh_from_db()
    assert checkin.message == MESSAGE and checkin.status == "safe"
    # The one UPDATE that is let through only takes personal data away.
    CheckIn.objects.filter(pk=checkin.pk).update(message="", lat=None, lon=None)
    checkin.refresh_from_db()
    assert checkin.message == "" and checkin.lat is None and checkin.status == "safe"


def test_the_erasure_path_names_every_column() -> None:
    """Each column of an erasable table is either emptied or kept unchanged: a new column must be placed."""
    from perisai.crisis.db import ERASABLE, KEPT

    for model in (CheckIn, PersonNote):
        table = model._meta.db_table
        columns = {f.column for f in model._meta.concrete_fields}
        assert columns == set(ERASABLE[table]) | set(KEPT[table]), table


def test_the_erase_page_says_what_goes_and_what_stays() -> None:
    client = Client(headers={"accept-language": "en"})
    _register(client, preferred_language="en")
    page = client.get(reverse("registry:my_erase")).content.decode()
    assert "help-desk chats" in page and "Law No. 18 of 2017" in page
    assert Person.objects.get(full_name="Sri Wahyuni").status == PersonStatus.ACTIVE  # a GET erases nothing
