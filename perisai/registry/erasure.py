"""Erasure of a citizen's personal data (UU 27/2022 on personal data protection), everywhere it went.

Lapor diri is where her data comes in, but it travels: messages sent to her (sign-in codes, passport
reminders, alerts, chat replies), crisis alert recipients, check-ins and officers' notes, evacuation lists,
family enquiries about her, help-desk conversations from her phone, the money diary of her account, and the
family members she registered herself. `erase_person` removes all of it in one transaction and keeps only
what is needed: a tombstone per record (an id, the country, the mission, dates, a status), rows without
personal data (so that counts stay consistent), and one audit event with counts.

Not erased: protection case files (perisai.cases), held under the protection mandate of Law 18/2017 on the
protection of Indonesian migrant workers, and the messages sent for them. Decisions: docs/adr/0007-erasure.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from perisai.core import audit, crypto
from perisai.core.models import InboxMessage, OutboxMessage, User

from .actions import ERASED_NAME
from .models import Consent, Household, Person, PersonStatus, SignInCode
from .selectors import list_own_household_members

# What a tombstone keeps: enough to count people per country and mission, and to show an erasure happened.
TOMBSTONE_FIELDS = frozenset(
    {"id", "public_id", "country", "status", "source", "created_at", "updated_at", "mission"}
)


# An evacuee's copy of the person: identity, travel document and position (the path and the counts stay).
EVACUEE_ERASED: dict[str, Any] = {
    "full_name": "",
    "sex": "",
    "birth_date": None,
    "lat": None,
    "lon": None,
    "document_encrypted": "",
    "document_index": "",
}


@dataclass
class ErasureReport:
    """How many records of each kind were erased or emptied (never what they held)."""

    person: Person
    members: int = 0  # household members she registered (without an account of their own)
    merged: int = 0  # duplicates merged into her record
    consents: int = 0
    sign_in_codes: int = 0
    outbox_messages: int = 0
    inbox_messages: int = 0
    alert_recipients: int = 0
    checkins: int = 0
    notes: int = 0
    evacuees: int = 0
    family_enquiries: int = 0
    helpdesk_conversations: int = 0
    households: int = 0
    finance: dict[str, int] = field(default_factory=dict)
    account: bool = False

    def counts(self) -> dict[str, int]:
        counts = {
            f.name: int(getattr(self, f.name)) for f in fields(self) if f.name not in ("person", "finance")
        }
        counts.update({f"finance_{name}": n for name, n in self.finance.items()})
        return counts

    def anything(self) -> bool:
        return any(self.counts().values())


@transaction.atomic
def erase_person(*, person: Person, actor: User | None) -> ErasureReport:
    """Erase one citizen's personal data everywhere. Safe to run again (a second run finds nothing left to
    erase and records nothing); data arriving between two runs is erased by the second."""
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one erasure at a time
    person.refresh_from_db()
    first_time = person.status != PersonStatus.ERASED
    report = ErasureReport(person=person)
    members = list(list_own_household_members(person=person))
    merged = list(Person.objects.filter(merged_into=person).exclude(pk=person.pk))
    people = [person, *members, *merged]
    ids = [p.pk for p in people]
    user = person.user or User.objects.filter(username=_erased_username(person)).first()
    households = {p.household_id for p in people if p.household_id is not None}

    addresses = _addresses(people, user=user)
    report.helpdesk_conversations = _erase_helpdesk(addresses, actor=actor)
    enquiries = _family_enquiries(people)
    report.outbox_messages = _empty_outbox(ids, addresses=addresses, enquiry_ids=enquiries)
    report.family_enquiries = _empty_family_enquiries(enquiries)
    report.alert_recipients, report.checkins, report.notes, report.evacuees = _empty_crisis_records(ids)
    report.consents = Consent.objects.filter(person_id__in=ids).delete()[0]
    report.sign_in_codes = SignInCode.objects.filter(person_id__in=ids).delete()[0]
    for other in [*members, *merged]:
        _scrub(other)
    report.members, report.merged = len(members), len(merged)
    if first_time:
        _scrub(person)
    report.households = _remove_empty_households(households)
    if user is not None:
        report.inbox_messages = InboxMessage.objects.filter(user=user).delete()[0]
        report.account = _close_account(user, person=person)
        report.finance = {k: n for k, n in _erase_finances(user).items() if n}
    if first_time or report.anything():
        audit.record(actor=actor, action="person.erase", target=person, details=report.counts())
    return report


def _erased_username(person: Person) -> str:
    return f"erased-{person.public_id}"


def _scrub(person: Person) -> None:
    """Turn the record into a tombstone: every personal field emptied, status "erased"."""
    for f in Person._meta.concrete_fields:
        if f.name in TOMBSTONE_FIELDS or f.primary_key:
            continue
        if f.null:
            setattr(person, f.attname, None)
        elif f.get_internal_type() in ("CharField", "TextField", "EmailField"):
            setattr(person, f.attname, "")
        elif f.has_default():
            setattr(person, f.attname, f.get_default())
    person.full_name = ERASED_NAME
    person.status = PersonStatus.ERASED
    person.updated_at = timezone.now()
    person.save()


def _addresses(people: list[Person], *, user: User | None) -> set[str]:
    """Where messages to these people went: their phones, e-mail, Telegram, the addresses alerts used and
    her platform inbox. An address that another (not erased) person also gives is left out: a household
    member registered with her phone must not erase her, nor she her independently registered spouse."""
    from perisai.core.messaging.types.platform.type import platform_address
    from perisai.crisis.models import AlertRecipient

    found: set[str] = set()
    for p in people:
        found.update(a for a in (p.phone, p.whatsapp, p.email, p.telegram) if a)
    found.update(
        AlertRecipient.objects.filter(person__in=people).exclude(address="").values_list("address", flat=True)
    )
    shared = (
        Person.objects.exclude(pk__in=[p.pk for p in people])
        .exclude(status=PersonStatus.ERASED)
        .filter(Q(phone__in=found) | Q(whatsapp__in=found) | Q(email__in=found) | Q(telegram__in=found))
        .values_list("phone", "whatsapp", "email", "telegram")
    )
    for row in shared:
        found.difference_update(row)
    if user is not None:
        found.add(platform_address(user.pk))
    return found


def _erase_helpdesk(addresses: set[str], *, actor: User | None) -> int:
    """Help-desk conversations from her phone numbers, on every channel: each is erased by the help desk's
    own HAPUS action; then the contact forgets the address (sealed copy and keyed index)."""
    from perisai.helpdesk.actions import _address_index, do_erase_conversation
    from perisai.helpdesk.models import Contact

    phones = [a for a in addresses if a.startswith("+")]
    if not phones:
        return 0
    channels = list(Contact.objects.values_list("channel", flat=True).distinct())
    wanted = Q(pk__in=[])
    for channel in channels:
        wanted |= Q(channel=channel, address_index__in=[_address_index(channel, a) for a in phones])
    erased = 0
    for contact in Contact.objects.select_for_update().filter(wanted):
        for conversation in contact.conversations.all():
            do_erase_conversation(conversation=conversation, actor=actor)
            erased += 1
        if contact.address_encrypted:
            addresses.add(crypto.decrypt(contact.address_encrypted))
        Contact.objects.filter(pk=contact.pk).update(
            address_encrypted="", address_index=f"erased:{contact.pk}"
        )
    return erased


def _family_enquiries(people: list[Person]) -> list[int]:
    """Relatives' enquiries about her: matched to her record, or asked with her NIK, passport or phone."""
    from perisai.crisis.models import FamilyEnquiry

    indexes = {p.nik_index for p in people} | {p.passport_index for p in people}
    for p in people:
        indexes.update(crypto.blind_index("phone", a) for a in (p.phone, p.whatsapp) if a)
    indexes.discard("")
    return list(
        FamilyEnquiry.objects.filter(
            Q(person__in=people) | Q(identifier_index__in=indexes) if indexes else Q(person__in=people)
        ).values_list("pk", flat=True)
    )


def _empty_family_enquiries(enquiry_ids: list[int]) -> int:
    from perisai.crisis.models import FamilyEnquiry

    return (
        FamilyEnquiry.objects.filter(pk__in=enquiry_ids)
        .exclude(identifier_index="", code_hash="", person=None)
        .update(identifier_index="", code_hash="", person=None)
    )


def _empty_outbox(ids: list[int], *, addresses: set[str], enquiry_ids: list[int]) -> int:
    """Messages sent (or about to be sent) to her lose their address and text; a queued one is not sent.
    Messages of a protection case stay with the case (Law 18/2017)."""
    from perisai.crisis.models import AlertRecipient

    alert_keys = [
        AlertRecipient.message_key(alert_id, person_id, round_)
        for alert_id, person_id, round_ in AlertRecipient.objects.filter(person_id__in=ids).values_list(
            "alert_id", "person_id", "round"
        )
    ]
    linked = (
        Q(object_type=Person._meta.label_lower, object_id__in=[str(i) for i in ids])
        | Q(idempotency_key__in=alert_keys)
        | Q(recipient__in=addresses)
        | Q(object_type="crisis.familyenquiry", object_id__in=[str(i) for i in enquiry_ids])
    )
    messages = (
        OutboxMessage.objects.filter(linked)
        .exclude(object_type__startswith="cases.")
        .exclude(recipient="", subject="", body="")
    )
    messages.filter(status=OutboxMessage.Status.QUEUED).update(
        status=OutboxMessage.Status.FAILED, last_error="erased"
    )
    return messages.update(recipient="", subject="", body="")


def _empty_crisis_records(ids: list[int]) -> tuple[int, int, int, int]:
    """Alert recipients lose the address; check-ins and notes their text, reporter and coordinates (the one
    UPDATE their append-only triggers allow, perisai.crisis.db.ERASABLE); evacuation records the copied
    identity, document and position. Statuses, times and rows stay: the crisis' counts do not change."""
    from perisai.crisis.db import ERASABLE
    from perisai.crisis.evacuation.models import Evacuee
    from perisai.crisis.models import AlertRecipient, CheckIn, PersonNote

    recipients = AlertRecipient.objects.filter(person_id__in=ids).exclude(address="").update(address="")
    emptied: dict[str, Any] = {
        column: None if value == "NULL" else "" for column, value in ERASABLE["crisis_checkin"].items()
    }
    checkins = CheckIn.objects.filter(person_id__in=ids).exclude(Q(**emptied)).update(**emptied)
    notes = PersonNote.objects.filter(person_id__in=ids).exclude(text="").update(text="")
    evacuees = Evacuee.objects.filter(person_id__in=ids).exclude(Q(**EVACUEE_ERASED)).update(**EVACUEE_ERASED)
    return recipients, checkins, notes, evacuees


def _remove_empty_households(household_ids: set[int]) -> int:
    empty = Household.objects.filter(pk__in=household_ids).exclude(
        pk__in=Person.objects.filter(household_id__isnull=False).values("household_id")
    )
    return empty.delete()[0]


def _close_account(user: User, *, person: Person) -> bool:
    """Her sign-in account is kept, nameless and closed (audit events point at it)."""
    username = _erased_username(person)
    if not user.is_active and user.username == username:
        return False
    user.is_active = False
    user.username = username
    user.email = user.first_name = user.last_name = user.display_name = ""
    user.set_unusable_password()
    user.save(
        update_fields=[
            "is_active",
            "username",
            "email",
            "first_name",
            "last_name",
            "display_name",
            "password",
        ]
    )
    return True


def _erase_finances(user: User) -> dict[str, int]:
    """The money diary's own erasure (it audits itself), when there is anything to erase."""
    from perisai.finance.actions import do_erase_finances
    from perisai.finance.models import Budget, Debt, Entry, Goal, Recurrence, Wallet

    kept = (Entry, Recurrence, Budget, Goal, Debt, Wallet)
    if not any(model.objects.filter(owner=user).exists() for model in kept):  # type: ignore[attr-defined]
        return {}
    return do_erase_finances(owner=user)
