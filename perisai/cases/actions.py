"""Writes of cases. Keyword-only, typed, atomic, audited (identifiers and field names only, never values);
messages go through the outbox, whose delivery is scheduled on commit.

`do_*` functions trust that the caller opened the case through `selectors.access_case_by_id` and checked the
capability; the few rules that are part of the domain (consent before referral, four eyes on approvals,
who may override consent) are enforced here so that pages, API and code cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from perisai.core import audit, crypto
from perisai.core.messaging.actions import do_queue_message
from perisai.core.models import Organisation, OutboxMessage, User
from perisai.core.roles import Cap
from perisai.places.models import Mission

from .models import (
    CONTACT_WITHIN_MINUTES,
    OPEN_STATUSES,
    URGENCY_PRIORITY,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Assessment,
    Case,
    CaseConsent,
    CaseDocument,
    CaseMember,
    CaseNote,
    CaseSequence,
    CaseTask,
    CaseType,
    ConsentGiver,
    ConsentPurpose,
    DutyShift,
    NoteKind,
    Outcome,
    PlanStatus,
    Referral,
    ReferralStatus,
    RiskLevel,
    Service,
    ServiceProvider,
    Source,
    Status,
    SyncConflict,
    Transfer,
    TransferStatus,
    Urgency,
    Vulnerability,
)
from .signals import case_closed

MAX_TEXT = 4000
MIN_OVERRIDE_REASON = 20
REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


class CaseInputError(ValueError):
    """Every problem of one input at once: field -> list of translated messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _fail(field: str, message: str) -> CaseInputError:
    return CaseInputError({field: [message]})


def _check_text(errors: dict[str, list[str]], field: str, value: str, limit: int = MAX_TEXT) -> None:
    if len(value) > limit:
        errors.setdefault(field, []).append(
            _("This is too long (%(n)d characters; at most %(max)d).") % {"n": len(value), "max": limit}
        )


def region_parts(code: str) -> tuple[str, str, str]:
    """(region code, province, regency) from a Kemendagri code of any level; blanks where absent."""
    code = code.strip()
    if not code:
        return "", "", ""
    return code, code[:2], code[:5] if len(code) >= 5 else ""


def case_url(case: Case) -> str:
    """The page of the case for staff (absolute when PERISAI_BASE_URL is set)."""
    path = reverse("cases:detail", kwargs={"public_id": case.public_id})
    base = str(getattr(settings, "PERISAI_BASE_URL", "") or "").rstrip("/")
    return base + path


# ---- case numbers -----------------------------------------------------------------------------------------


def reserve_codes(*, year: int, count: int = 1) -> list[str]:
    """Reserve `count` consecutive case numbers of the year (a row lock until the transaction ends)."""
    for _attempt in range(3):
        updated = CaseSequence.objects.filter(year=year).update(last=F("last") + count)
        if updated:
            break
        try:
            with transaction.atomic():
                CaseSequence.objects.create(year=year, last=count)
            break
        except IntegrityError:
            continue
    last = CaseSequence.objects.get(year=year).last
    return [f"C-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


# ---- intake ---------------------------------------------------------------------------------------------


def _person_vulnerabilities(person: Any) -> int:
    from perisai.registry.models import Vulnerability as PersonVulnerability

    mask = int(person.vulnerabilities or 0)
    out = 0
    for theirs, ours in (
        (PersonVulnerability.PREGNANT, Vulnerability.PREGNANT),
        (PersonVulnerability.DISABILITY, Vulnerability.DISABILITY),
        (PersonVulnerability.CHRONIC_ILLNESS, Vulnerability.SICK),
        (PersonVulnerability.ELDERLY, Vulnerability.ELDERLY),
        (PersonVulnerability.UNACCOMPANIED_CHILD, Vulnerability.UNACCOMPANIED_CHILD),
    ):
        if mask & int(theirs):
            out |= int(ours)
    return out


def check_intake(
    *,
    source: str,
    case_type: str,
    urgency: str,
    summary: str,
    subject_name: str = "",
    contact: str = "",
    region_code: str = "",
    link_type: str = "",
    link_id: str = "",
) -> None:
    errors: dict[str, list[str]] = {}
    if source not in Source.values:
        errors.setdefault("source", []).append(_("Unknown source of the case."))
    if case_type not in CaseType.values:
        errors.setdefault("case_type", []).append(_("Choose the type of case."))
    if urgency not in Urgency.values:
        errors.setdefault("urgency", []).append(_("Choose the urgency."))
    _check_text(errors, "summary", summary)
    _check_text(errors, "subject_name", subject_name, 200)
    _check_text(errors, "contact", contact, 200)
    _check_text(errors, "link_type", link_type, 32)
    _check_text(errors, "link_id", link_id, 100)
    if region_code.strip() and not REGION_CODE.match(region_code.strip()):
        errors.setdefault("region_code", []).append(
            _("This is not a Kemendagri region code (e.g. 35.07 or 35.07.01.2001).")
        )
    if errors:
        raise CaseInputError(errors)


@transaction.atomic
def do_open_case(
    *,
    source: str,
    case_type: str,
    urgency: str,
    summary: str,
    person: Any = None,
    subject_name: str = "",
    contact: str = "",
    mission: Mission | None = None,
    region_code: str = "",
    details: dict[str, object] | None = None,
    transcript: str = "",
    transcript_consented: bool = False,
    link_type: str = "",
    link_id: str = "",
    link_checked: bool = False,
    actor: User | None = None,
    organisation: Organisation | None = None,
    owner_from_actor: bool = True,
    sex: str = "",
    birth_year: int | None = None,
    vulnerabilities: int = 0,
    violence_details: str = "",
    immigration_status: str = "",
    client_uuid: uuid.UUID | None = None,
    code: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Open a case (see intake.open_case for the contract). With a link id, the open case of that link is
    returned instead of a second one, with a note attached (and its urgency raised if the new one is higher)."""
    summary, subject_name, contact = summary.strip(), " ".join(subject_name.split()), contact.strip()
    link_type, link_id = link_type.strip(), str(link_id or "").strip()
    check_intake(
        source=source,
        case_type=case_type,
        urgency=urgency,
        summary=summary,
        subject_name=subject_name,
        contact=contact,
        region_code=region_code,
        link_type=link_type,
        link_id=link_id,
    )
    if link_id and not link_checked:  # (an importer that looked up its links in bulk says so)
        existing = _open_case_for_link(link_type, link_id)
        if existing is not None:
            return _link_again(existing, urgency=urgency, summary=summary, actor=actor)
    now = now or timezone.now()
    if person is not None:
        if mission is None and person.status == "active":
            mission = person.mission
        region_code = region_code or (person.home_village_id or person.home_regency or "")
        sex = sex or person.sex
        birth_year = birth_year or (person.birth_date.year if person.birth_date else None)
        vulnerabilities |= _person_vulnerabilities(person)
    if organisation is None and owner_from_actor and actor is not None and mission is None:
        organisation = actor.organisation
    region, province, regency = region_parts(region_code)
    case = Case(
        code=code or reserve_codes(year=now.year)[0],
        case_type=case_type,
        source=source,
        urgency=urgency,
        priority=URGENCY_PRIORITY[urgency],
        summary=summary,
        person=person,
        subject_name="" if person is not None else subject_name,
        contact=contact,
        sex=sex if sex in ("F", "M") else "",
        birth_year=birth_year,
        mission=mission,
        organisation=organisation,
        region_code=region,
        home_province=province,
        home_regency=regency,
        opened_by=actor if actor is not None and actor.is_authenticated else None,
        opened_at=now,
        contact_due_at=now + dt.timedelta(minutes=CONTACT_WITHIN_MINUTES[urgency]),
        vulnerabilities=vulnerabilities,
        intake_details=json.loads(json.dumps(details or {}, default=str)),
        transcript_encrypted=crypto.encrypt(transcript.strip())
        if transcript_consented and transcript
        else "",
        violence_details_encrypted=crypto.encrypt(violence_details.strip()),
        immigration_status_encrypted=crypto.encrypt(immigration_status.strip()),
        link_type=link_type if link_id else "",
        link_id=link_id,
        client_uuid=client_uuid,
        updated_at=now,
    )
    case.is_returnee = case.returnee()
    if source == Source.WALK_IN and actor is not None and case.assigned_to_id is None:
        case.assigned_to = actor if actor.can(Cap.CASE_EDIT) else None
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        if link_id:  # another request opened the same link a moment ago
            existing = _open_case_for_link(link_type, link_id)
            if existing is not None:
                return _link_again(existing, urgency=urgency, summary=summary, actor=actor)
        raise
    audit.record(
        actor=actor,
        action="case.open",
        target=case,
        details={"source": source, "case_type": case_type, "urgency": urgency, "code": case.code},
    )
    if urgency == Urgency.EMERGENCY:
        page_on_duty(case=case, actor=actor)
    return case


def _open_case_for_link(link_type: str, link_id: str) -> Case | None:
    found = list(
        Case.objects.select_for_update().filter(
            link_type=link_type, link_id=link_id, status__in=OPEN_STATUSES
        )[:1]
    )
    return found[0] if found else None


def _link_again(case: Case, *, urgency: str, summary: str, actor: User | None) -> Case:
    _add_note(case, kind=NoteKind.INTAKE, body=summary or _("The same request came in again."), author=actor)
    raised = URGENCY_PRIORITY[urgency] < case.priority
    if raised:
        case.urgency, case.priority = urgency, URGENCY_PRIORITY[urgency]
        due = timezone.now() + dt.timedelta(minutes=CONTACT_WITHIN_MINUTES[urgency])
        if case.first_contact_at is None and due < case.contact_due_at:
            case.contact_due_at = due
    case.updated_at = timezone.now()
    case.save(update_fields=["urgency", "priority", "contact_due_at", "updated_at"])
    audit.record(actor=actor, action="case.link_again", target=case, details={"urgency_raised": raised})
    if raised and urgency == Urgency.EMERGENCY:
        page_on_duty(case=case, actor=actor)
    return case


def page_on_duty(*, case: Case, actor: User | None) -> list[User]:
    """Page whoever is on duty for the case (platform message, and the duty phone by SMS), and give them
    the case if nobody has it yet. Without a shift, the mission's officers (or the region's workers)."""
    from .selectors import fallback_responders, on_duty

    shifts = on_duty(mission_id=case.mission_id, region_code=case.region_code)
    users: list[User] = []
    for shift in shifts:
        if shift.user not in users:
            users.append(shift.user)
    if not users:
        users = fallback_responders(mission_id=case.mission_id, region_code=case.region_code)
    if users and case.assigned_to_id is None:
        case.assigned_to = users[0]
        case.save(update_fields=["assigned_to"])
    url = case_url(case)
    for user in users:
        with override(user.preferred_language or "id"):
            body = _(
                "Perisai EMERGENCY: case %(code)s (%(type)s) must be contacted within one hour. Open: %(url)s"
            ) % {"code": case.code, "type": CaseType(case.case_type).label, "url": url}
        do_queue_message(
            channel="platform",
            recipient=f"user:{user.pk}",
            body=body,
            purpose=OutboxMessage.Purpose.ALERT,
            idempotency_key=f"case-page:{case.pk}:{case.reopened_count}:{case.priority}:user:{user.pk}",
            object_type="cases.case",
            object_id=str(case.pk),
        )
    for shift in shifts:
        if shift.phone:
            with override(shift.user.preferred_language or "id"):
                body = _(
                    "Perisai EMERGENCY: case %(code)s (%(type)s) must be contacted within one hour. Open: %(url)s"
                ) % {"code": case.code, "type": CaseType(case.case_type).label, "url": url}
            do_queue_message(
                channel="sms",
                recipient=shift.phone,
                body=body,
                purpose=OutboxMessage.Purpose.ALERT,
                idempotency_key=f"case-page:{case.pk}:{case.reopened_count}:{case.priority}:shift:{shift.pk}",
                object_type="cases.case",
                object_id=str(case.pk),
            )
    audit.record(
        actor=actor,
        action="case.page_on_duty",
        target=case,
        details={"users": [u.pk for u in users], "shifts": [s.pk for s in shifts]},
    )
    return users


# ---- contact, notes, assignment, intake edits ------------------------------------------------------------


def _add_note(case: Case, *, kind: str, body: str, author: User | None, sensitive: bool = False) -> CaseNote:
    return CaseNote.objects.create(
        case=case,
        kind=kind,
        body_encrypted=crypto.encrypt(body),
        sensitive=sensitive,
        author=author if author is not None and author.is_authenticated else None,
    )


@transaction.atomic
def do_add_note(
    *, case: Case, actor: User, body: str, kind: str = NoteKind.NOTE, sensitive: bool = False
) -> CaseNote:
    body = body.strip()
    if not body:
        raise _fail("body", _("Write the note."))
    errors: dict[str, list[str]] = {}
    _check_text(errors, "body", body, 10_000)
    if errors:
        raise CaseInputError(errors)
    if kind not in (NoteKind.NOTE, NoteKind.CONTACT):
        kind = NoteKind.NOTE
    note = _add_note(case, kind=kind, body=body, author=actor, sensitive=sensitive)
    if kind == NoteKind.CONTACT:
        _mark_contacted(case)
    _touch(case)
    audit.record(actor=actor, action="case.note", target=case, details={"note": note.pk, "kind": kind})
    return note


def _mark_contacted(case: Case, at: dt.datetime | None = None) -> None:
    if case.first_contact_at is not None:
        return
    at = at or timezone.now()
    case.first_contact_at = at
    case.first_contact_minutes = max(0, int((at - case.opened_at).total_seconds() // 60))
    case.save(update_fields=["first_contact_at", "first_contact_minutes"])


@transaction.atomic
def do_record_contact(*, case: Case, actor: User, note: str = "") -> Case:
    """The person was reached: the first time stops the contact clock (time to first contact)."""
    first = case.first_contact_at is None
    _add_note(case, kind=NoteKind.CONTACT, body=note.strip() or _("Contacted the person."), author=actor)
    _mark_contacted(case)
    if case.assigned_to_id is None:
        case.assigned_to = actor
        case.save(update_fields=["assigned_to"])
    _touch(case)
    audit.record(actor=actor, action="case.contact", target=case, details={"first": first})
    return case


@transaction.atomic
def do_assign_case(*, case: Case, actor: User, assignee: User | None) -> Case:
    if assignee is not None and not assignee.can(Cap.CASE_EDIT):
        raise _fail("assignee", _("This user cannot work on cases."))
    previous = case.assigned_to_id
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to"])
    _touch(case)
    audit.record(
        actor=actor,
        action="case.assign",
        target=case,
        details={"from": previous, "to": assignee.pk if assignee else None},
    )
    return case


def _touch(case: Case) -> None:
    case.updated_at = timezone.now()
    case.version += 1
    Case.objects.filter(pk=case.pk).update(updated_at=case.updated_at, version=F("version") + 1)


EDITABLE_INTAKE_FIELDS = (
    "case_type",
    "urgency",
    "subject_name",
    "contact",
    "sex",
    "birth_year",
    "region_code",
    "summary",
)


def check_intake_values(values: dict[str, Any]) -> dict[str, Any]:
    """Clean values of the editable intake fields (only those given); raises CaseInputError."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in values.items():
        if name not in EDITABLE_INTAKE_FIELDS:
            continue
        if name == "birth_year":
            if raw in (None, ""):
                clean[name] = None
                continue
            try:
                year = int(raw)
            except (TypeError, ValueError):
                errors.setdefault(name, []).append(_("Write the year of birth with four digits."))
                continue
            if not 1900 <= year <= timezone.now().year:
                errors.setdefault(name, []).append(_("Write the year of birth with four digits."))
                continue
            clean[name] = year
            continue
        text = " ".join(str(raw or "").split()) if name != "summary" else str(raw or "").strip()
        if name == "case_type" and text not in CaseType.values:
            errors.setdefault(name, []).append(_("Choose the type of case."))
        elif name == "urgency" and text not in Urgency.values:
            errors.setdefault(name, []).append(_("Choose the urgency."))
        elif name == "sex" and text not in ("", "F", "M"):
            errors.setdefault(name, []).append(_("Choose the sex."))
        elif name == "region_code" and text and not REGION_CODE.match(text):
            errors.setdefault(name, []).append(
                _("This is not a Kemendagri region code (e.g. 35.07 or 35.07.01.2001).")
            )
        else:
            _check_text(errors, name, text, MAX_TEXT if name == "summary" else 200)
            clean[name] = text
    if errors:
        raise CaseInputError(errors)
    return clean


def apply_intake_values(case: Case, clean: dict[str, Any]) -> list[str]:
    """Set intake fields on the case (not saved); returns the names of the fields that changed."""
    changed = []
    for name, value in clean.items():
        current = (
            case.person.full_name
            if name == "subject_name" and case.person_id and case.person
            else getattr(case, name)
        )
        if name == "subject_name" and case.person_id:
            continue  # a registered person's name is edited in the registry
        if current != value:
            setattr(case, name, value)
            changed.append(name)
    if "urgency" in changed:
        case.priority = URGENCY_PRIORITY[case.urgency]
        if case.first_contact_at is None:
            due = case.opened_at + dt.timedelta(minutes=CONTACT_WITHIN_MINUTES[case.urgency])
            case.contact_due_at = due
    if "region_code" in changed:
        case.region_code, case.home_province, case.home_regency = region_parts(case.region_code)
    case.is_returnee = case.returnee()
    return changed


@transaction.atomic
def do_update_intake(*, case: Case, actor: User, values: dict[str, Any]) -> list[str]:
    clean = check_intake_values(values)
    was_emergency = case.urgency == Urgency.EMERGENCY
    changed = apply_intake_values(case, clean)
    if changed:
        case.updated_at = timezone.now()
        case.version += 1
        case.save()
        audit.record(actor=actor, action="case.edit", target=case, details={"fields": sorted(changed)})
        if case.urgency == Urgency.EMERGENCY and not was_emergency:
            page_on_duty(case=case, actor=actor)
    return changed


@transaction.atomic
def do_add_member(
    *, case: Case, actor: User, name: str, relation: str = "", birth_year: int | None = None
) -> CaseMember:
    name = " ".join(name.split())
    if not name:
        raise _fail("name", _("Write the name."))
    errors: dict[str, list[str]] = {}
    _check_text(errors, "name", name, 200)
    _check_text(errors, "relation", relation, 40)
    if errors:
        raise CaseInputError(errors)
    member = CaseMember.objects.create(case=case, name=name, relation=relation.strip(), birth_year=birth_year)
    _touch(case)
    audit.record(actor=actor, action="case.member_add", target=case, details={"member": member.pk})
    return member


# ---- sensitive sections ------------------------------------------------------------------------------------


@transaction.atomic
def do_set_sensitive(
    *, case: Case, actor: User, violence_details: str | None = None, immigration_status: str | None = None
) -> list[str]:
    changed = []
    errors: dict[str, list[str]] = {}
    for name, value in (("violence_details", violence_details), ("immigration_status", immigration_status)):
        if value is not None:
            _check_text(errors, name, value, 10_000)
    if errors:
        raise CaseInputError(errors)
    for name, value in (("violence_details", violence_details), ("immigration_status", immigration_status)):
        if value is None:
            continue
        attr = f"{name}_encrypted"
        current = crypto.decrypt(getattr(case, attr)) if getattr(case, attr) else ""
        if value.strip() != current:
            setattr(case, attr, crypto.encrypt(value.strip()))
            changed.append(name)
    if changed:
        case.save(update_fields=[f"{n}_encrypted" for n in changed])
        _touch(case)
        audit.record(
            actor=actor,
            action="case.sensitive_edit",
            target=case,
            sensitive=True,
            details={"fields": changed},
        )
    return changed


def reveal_sensitive(*, case: Case, actor: User) -> dict[str, str]:
    """The sensitive sections in clear, for a user allowed to read them; the showing is audited."""
    from .selectors import can_see_sensitive

    if not can_see_sensitive(actor):
        raise PermissionDenied
    audit.record(actor=actor, action="case.reveal_sensitive", target=case, sensitive=True)
    return {
        "violence_details": crypto.decrypt(case.violence_details_encrypted)
        if case.violence_details_encrypted
        else "",
        "immigration_status": (
            crypto.decrypt(case.immigration_status_encrypted) if case.immigration_status_encrypted else ""
        ),
        "transcript": crypto.decrypt(case.transcript_encrypted) if case.transcript_encrypted else "",
    }


def reveal_name(*, case: Case, actor: User) -> str:
    """The name of a violence or trafficking case's subject, shown on demand; audited."""
    audit.record(actor=actor, action="case.reveal_name", target=case, sensitive=True)
    return case.display_name


# ---- assessment -----------------------------------------------------------------------------------------


@transaction.atomic
def do_record_assessment(
    *,
    case: Case,
    actor: User,
    vulnerabilities: int,
    ilo_indicators: int,
    risk_level: str,
    needs: int,
    notes: str = "",
) -> Assessment:
    errors: dict[str, list[str]] = {}
    if risk_level not in RiskLevel.values or not risk_level:
        errors.setdefault("risk_level", []).append(_("Choose the risk level."))
    _check_text(errors, "notes", notes, 10_000)
    if errors:
        raise CaseInputError(errors)
    if ilo_indicators:
        vulnerabilities |= int(Vulnerability.TRAFFICKING_INDICATORS)
    assessment = Assessment.objects.create(
        case=case,
        vulnerabilities=vulnerabilities,
        ilo_indicators=ilo_indicators,
        risk_level=risk_level,
        needs=needs,
        notes_encrypted=crypto.encrypt(notes.strip()),
        assessed_by=actor,
    )
    case.vulnerabilities, case.ilo_indicators = vulnerabilities, ilo_indicators
    case.risk_level, case.needs = risk_level, needs
    case.save(update_fields=["vulnerabilities", "ilo_indicators", "risk_level", "needs"])
    _touch(case)
    audit.record(
        actor=actor,
        action="case.assess",
        target=case,
        details={"assessment": assessment.pk, "risk_level": risk_level},
    )
    return assessment


# ---- consent -----------------------------------------------------------------------------------------------


@transaction.atomic
def do_set_consent(
    *,
    case: Case,
    actor: User | None,
    purpose: str,
    granted: bool,
    given_by: str = ConsentGiver.PERSON,
    giver_name: str = "",
) -> CaseConsent:
    """Record (or withdraw) consent for one purpose, with who gave it; the "reporting" consent is mirrored on
    the case so that aggregate reports can count only consenting cases."""
    errors: dict[str, list[str]] = {}
    if purpose not in ConsentPurpose.values:
        errors.setdefault("purpose", []).append(_("Unknown purpose of consent."))
    if given_by not in ConsentGiver.values:
        errors.setdefault("given_by", []).append(_("Say who gave the consent."))
    giver_name = " ".join(giver_name.split())
    if given_by == ConsentGiver.CAREGIVER and not giver_name and granted:
        errors.setdefault("giver_name", []).append(_("Write the caregiver's name."))
    _check_text(errors, "giver_name", giver_name, 200)
    if errors:
        raise CaseInputError(errors)
    now = timezone.now()
    recorder = actor if actor is not None and actor.is_authenticated else None
    consent = CaseConsent.objects.filter(case=case, purpose=purpose).first()
    if consent is None:
        consent = CaseConsent(case=case, purpose=purpose)
    if (
        consent.pk is not None
        and consent.granted == granted
        and consent.given_by == given_by
        and consent.giver_name == giver_name
    ):
        return consent
    consent.granted, consent.given_by, consent.giver_name = granted, given_by, giver_name
    consent.recorded_by, consent.recorded_at = recorder, now
    consent.revoked_at = None if granted else now
    consent.save()
    if purpose == ConsentPurpose.REPORTING and case.reporting_consent != granted:
        case.reporting_consent = granted
        case.save(update_fields=["reporting_consent"])
    _touch(case)
    audit.record(
        actor=actor,
        action="case.consent",
        target=case,
        details={"purpose": purpose, "granted": granted, "given_by": given_by},
    )
    return consent


def has_consent(case: Case, purpose: str) -> bool:
    return CaseConsent.objects.filter(case=case, purpose=purpose, granted=True).exists()


def _check_consent_or_override(
    case: Case,
    actor: User,
    override_reason: str,
    *,
    what: str,
    purposes: tuple[str, ...] = (ConsentPurpose.REFERRAL,),
) -> str:
    """Referral and transfer need the referral consent (a family-tracing referral the tracing consent too),
    unless a supervisor overrides it with a reason."""
    missing = [p for p in purposes if not has_consent(case, p)]
    if not missing:
        return ""
    reason = override_reason.strip()
    if not reason:
        if missing == [ConsentPurpose.REFERRAL]:
            message = _(
                "The person has not consented to referral or transfer. Record the consent first; only a"
                " supervisor may override it, with a written reason."
            )
        else:
            message = _(
                "The person has not consented to: %(purposes)s. Record the consent first; only a supervisor"
                " may override it, with a written reason."
            ) % {"purposes": ", ".join(str(ConsentPurpose(p).label) for p in missing)}
        raise _fail("consent", message)
    if not actor.can(Cap.CASE_SUPERVISE):
        raise PermissionDenied
    if len(reason) < MIN_OVERRIDE_REASON:
        raise _fail(
            "override_reason",
            _("Explain the override in at least %(n)d characters.") % {"n": MIN_OVERRIDE_REASON},
        )
    audit.record(
        actor=actor, action="case.consent_override", target=case, sensitive=True, details={"for": what}
    )
    return reason


# ---- plan, tasks, approvals, closure ----------------------------------------------------------------------


@transaction.atomic
def do_add_task(
    *,
    case: Case,
    actor: User,
    title: str,
    due_at: dt.datetime,
    service: str = "",
    assigned_to: User | None = None,
) -> CaseTask:
    title = " ".join(title.split())
    errors: dict[str, list[str]] = {}
    if not title:
        errors.setdefault("title", []).append(_("Write what must be done."))
    _check_text(errors, "title", title, 200)
    if service and service not in Service.values:
        errors.setdefault("service", []).append(_("Choose a service from the list."))
    if errors:
        raise CaseInputError(errors)
    task = CaseTask.objects.create(
        case=case,
        title=title,
        service=service,
        due_at=due_at,
        assigned_to=assigned_to or case.assigned_to or actor,
        created_by=actor,
    )
    if case.plan_status in (PlanStatus.NONE, PlanStatus.APPROVED):
        case.plan_status = PlanStatus.DRAFT  # a changed plan goes back to the supervisor
        case.save(update_fields=["plan_status"])
    _touch(case)
    audit.record(actor=actor, action="case.task_add", target=case, details={"task": task.pk})
    return task


@transaction.atomic
def do_complete_task(*, task: CaseTask, actor: User) -> CaseTask:
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        _touch(task.case)
        audit.record(actor=actor, action="case.task_done", target=task.case, details={"task": task.pk})
    return task


@transaction.atomic
def do_submit_plan(*, case: Case, actor: User) -> Approval:
    if not case.tasks.exists():
        raise _fail("plan", _("Add at least one task to the plan before sending it for approval."))
    if case.plan_status == PlanStatus.SUBMITTED:
        raise _fail("plan", _("The plan is already waiting for approval."))
    approval = Approval.objects.create(case=case, kind=ApprovalKind.PLAN, requested_by=actor)
    case.plan_status = PlanStatus.SUBMITTED
    case.save(update_fields=["plan_status"])
    _touch(case)
    audit.record(actor=actor, action="case.plan_submit", target=case, details={"approval": approval.pk})
    return approval


@transaction.atomic
def do_request_closure(*, case: Case, actor: User, outcome: str, reason: str) -> Approval:
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        errors.setdefault("outcome", []).append(_("Choose the outcome."))
    if not reason.strip():
        errors.setdefault("reason", []).append(_("Write why the case can be closed."))
    _check_text(errors, "reason", reason)
    if case.status != Status.OPEN:
        errors.setdefault("status", []).append(_("Only an open case can be closed."))
    if errors:
        raise CaseInputError(errors)
    approval = Approval.objects.create(
        case=case, kind=ApprovalKind.CLOSURE, requested_by=actor, outcome=outcome, reason=reason.strip()
    )
    case.status = Status.CLOSURE_REQUESTED
    case.save(update_fields=["status"])
    _touch(case)
    audit.record(
        actor=actor,
        action="case.closure_request",
        target=case,
        details={"approval": approval.pk, "outcome": outcome},
    )
    return approval


@transaction.atomic
def do_decide_approval(*, approval: Approval, actor: User, approve: bool, comment: str = "") -> Approval:
    """A supervisor signs off a plan or a closure (never their own request)."""
    if not actor.can(Cap.CASE_SUPERVISE):
        raise PermissionDenied
    if approval.status != ApprovalStatus.PENDING:
        raise _fail("approval", _("This was already decided."))
    if approval.requested_by_id == actor.pk:
        raise _fail("approval", _("Someone else must approve your own request."))
    if not approve and not comment.strip():
        raise _fail("comment", _("Say why you send it back."))
    errors: dict[str, list[str]] = {}
    _check_text(errors, "comment", comment)
    if errors:
        raise CaseInputError(errors)
    now = timezone.now()
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by, approval.decided_at, approval.comment = actor, now, comment.strip()
    approval.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    case = Case.objects.select_for_update().get(pk=approval.case_id)
    if approval.kind == ApprovalKind.PLAN:
        case.plan_status = PlanStatus.APPROVED if approve else PlanStatus.DRAFT
        case.save(update_fields=["plan_status"])
    elif approve:
        case.status, case.is_open = Status.CLOSED, False
        case.closed_at = now
        case.closure_outcome = approval.outcome
        case.closure_reason = approval.reason
        case.closure_days = (now - case.opened_at).days
        case.save(
            update_fields=[
                "status",
                "is_open",
                "closed_at",
                "closure_outcome",
                "closure_reason",
                "closure_days",
            ]
        )
        case_closed.send(sender=Case, case=case)
    else:
        case.status = Status.OPEN
        case.save(update_fields=["status"])
    _touch(case)
    audit.record(
        actor=actor,
        action=f"case.{approval.kind}_{'approve' if approve else 'reject'}",
        target=case,
        details={"approval": approval.pk},
    )
    return approval


@transaction.atomic
def do_reopen_case(*, case: Case, actor: User, reason: str) -> Case:
    if case.status != Status.CLOSED:
        raise _fail("status", _("Only a closed case can be reopened."))
    if not reason.strip():
        raise _fail("reason", _("Write why the case is reopened."))
    errors: dict[str, list[str]] = {}
    _check_text(errors, "reason", reason)
    if errors:
        raise CaseInputError(errors)
    if (
        case.link_id
        and Case.objects.filter(link_type=case.link_type, link_id=case.link_id, status__in=OPEN_STATUSES)
        .exclude(pk=case.pk)
        .exists()
    ):
        raise _fail("status", _("A newer open case exists for the same request: continue there."))
    case.status, case.is_open = Status.OPEN, True
    case.closed_at = None
    case.closure_days = None
    case.reopened_count += 1
    case.save(update_fields=["status", "is_open", "closed_at", "closure_days", "reopened_count"])
    _add_note(
        case, kind=NoteKind.SYSTEM, body=_("Reopened: %(reason)s") % {"reason": reason.strip()}, author=actor
    )
    _touch(case)
    audit.record(actor=actor, action="case.reopen", target=case, details={"count": case.reopened_count})
    return case


# ---- documents ----------------------------------------------------------------------------------------------

#: Accepted uploads, recognised by their first bytes (never by the name or the browser's word).
DOCUMENT_TYPES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"%PDF-", 0, "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"WEBP", 8, "image/webp", ".webp"),
)
DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def max_document_bytes() -> int:
    return int(getattr(settings, "PERISAI_CASE_DOCUMENT_MAX_BYTES", DEFAULT_MAX_DOCUMENT_BYTES))


def sniff_document(head: bytes) -> tuple[str, str] | None:
    for magic, offset, content_type, extension in DOCUMENT_TYPES:
        if head[offset : offset + len(magic)] == magic and (magic != b"WEBP" or head[:4] == b"RIFF"):
            return content_type, extension
    return None


def documents_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "cases"


def document_path(document: CaseDocument) -> Path:
    return documents_dir() / document.stored_name[:2] / document.stored_name


@transaction.atomic
def do_add_document(
    *, case: Case, actor: User, title: str, chunks: Iterable[bytes], size: int
) -> CaseDocument:
    """Store an upload under MEDIA_ROOT with a random name, if its content is a PDF, JPEG, PNG or WebP image
    no larger than the limit. The name given by the user is never used on disk."""
    title = " ".join(title.split())
    limit = max_document_bytes()
    errors: dict[str, list[str]] = {}
    if not title:
        errors.setdefault("title", []).append(_("Give the document a title (e.g. passport copy)."))
    _check_text(errors, "title", title, 200)
    if size > limit:
        errors.setdefault("file", []).append(
            _("The file is too large (%(size)s MB; at most %(max)s MB).")
            % {"size": f"{size / 1048576:.1f}", "max": f"{limit / 1048576:.0f}"}
        )
    if errors:
        raise CaseInputError(errors)
    stored_name = secrets.token_hex(16)
    path = documents_dir() / stored_name[:2] / stored_name
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    written = 0
    head = b""
    detected: tuple[str, str] | None = None
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                    if len(head) >= 12 and detected is None:
                        detected = sniff_document(head)
                        if detected is None:
                            raise _fail("file", _("Only PDF, JPEG, PNG or WebP files can be added."))
                written += len(chunk)
                if written > limit:
                    raise _fail(
                        "file",
                        _("The file is too large (%(size)s MB; at most %(max)s MB).")
                        % {"size": f"{written / 1048576:.1f}", "max": f"{limit / 1048576:.0f}"},
                    )
                digest.update(chunk)
                handle.write(chunk)
        if detected is None:
            detected = sniff_document(head)
        if detected is None or written == 0:
            raise _fail("file", _("Only PDF, JPEG, PNG or WebP files can be added."))
        document = CaseDocument.objects.create(
            case=case,
            title=title,
            stored_name=stored_name,
            content_type=detected[0],
            extension=detected[1],
            size=written,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _touch(case)
    audit.record(
        actor=actor,
        action="case.document_add",
        target=case,
        details={"document": document.pk, "type": detected[0], "size": written},
    )
    return document


# ---- referrals ---------------------------------------------------------------------------------------------


@transaction.atomic
def do_refer(
    *,
    case: Case,
    actor: User,
    provider: ServiceProvider,
    service: str,
    note: str = "",
    override_reason: str = "",
) -> Referral:
    errors: dict[str, list[str]] = {}
    if service not in Service.values or service not in (provider.services or []):
        errors.setdefault("service", []).append(_("This provider does not offer that service."))
    if not provider.active:
        errors.setdefault("provider", []).append(_("This provider is no longer active."))
    if not case.is_open:
        errors.setdefault("status", []).append(_("Only an open case can be referred."))
    _check_text(errors, "note", note)
    if errors:
        raise CaseInputError(errors)
    purposes: tuple[str, ...] = (ConsentPurpose.REFERRAL,)
    if service == Service.FAMILY_TRACING:
        purposes = (ConsentPurpose.REFERRAL, ConsentPurpose.TRACING)
    reason = _check_consent_or_override(case, actor, override_reason, what="referral", purposes=purposes)
    referral = Referral.objects.create(
        case=case,
        provider=provider,
        service=service,
        note=note.strip(),
        consent_override_reason=reason,
        referred_by=actor,
    )
    _touch(case)
    audit.record(
        actor=actor,
        action="case.refer",
        target=case,
        details={
            "referral": referral.pk,
            "provider": provider.pk,
            "service": service,
            "override": bool(reason),
        },
    )
    _notify_organisation(
        organisation_id=provider.organisation_id,
        key=f"referral:{referral.pk}",
        text=lambda: (
            _("Perisai: a new referral (%(service)s) for case %(code)s is waiting for your answer.")
            % {"service": Service(service).label, "code": case.code}
        ),
    )
    return referral


def _notify_organisation(*, organisation_id: int | None, key: str, text: Any) -> None:
    if organisation_id is None:
        return
    for user in User.objects.filter(organisation_id=organisation_id, is_active=True).order_by("pk")[:20]:
        if not user.can(Cap.CASE_EDIT):
            continue
        with override(user.preferred_language or "id"):
            body = text()
        do_queue_message(
            channel="platform",
            recipient=f"user:{user.pk}",
            body=body,
            purpose=OutboxMessage.Purpose.ALERT,
            idempotency_key=f"case-{key}:user:{user.pk}",
            object_type="cases.case",
        )


@transaction.atomic
def do_respond_referral(*, referral: Referral, actor: User, accept: bool, reason: str = "") -> Referral:
    if referral.status != ReferralStatus.PENDING:
        raise _fail("status", _("This referral was already answered."))
    if not accept and not reason.strip():
        raise _fail("reason", _("Say why you decline, so that the case worker can find another provider."))
    errors: dict[str, list[str]] = {}
    _check_text(errors, "reason", reason)
    if errors:
        raise CaseInputError(errors)
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.response_reason = reason.strip()
    referral.responded_by, referral.responded_at = actor, timezone.now()
    referral.save(update_fields=["status", "response_reason", "responded_by", "responded_at"])
    _touch(referral.case)
    audit.record(
        actor=actor,
        action=f"case.referral_{'accept' if accept else 'decline'}",
        target=referral.case,
        details={"referral": referral.pk},
    )
    return referral


@transaction.atomic
def do_complete_referral(*, referral: Referral, actor: User) -> Referral:
    if referral.status != ReferralStatus.ACCEPTED:
        raise _fail("status", _("Only an accepted referral can be marked done."))
    referral.status = ReferralStatus.DONE
    referral.done_at = timezone.now()
    referral.save(update_fields=["status", "done_at"])
    _touch(referral.case)
    audit.record(
        actor=actor, action="case.referral_done", target=referral.case, details={"referral": referral.pk}
    )
    return referral


# ---- transfers ---------------------------------------------------------------------------------------------


@transaction.atomic
def do_request_transfer(
    *,
    case: Case,
    actor: User,
    to_mission: Mission | None = None,
    to_organisation: Organisation | None = None,
    reason: str,
    override_reason: str = "",
) -> Transfer:
    errors: dict[str, list[str]] = {}
    if (to_mission is None) == (to_organisation is None):
        errors.setdefault("to", []).append(_("Choose one mission or one organisation to transfer to."))
    if to_mission is not None and to_mission.pk == case.mission_id:
        errors.setdefault("to", []).append(_("The case is already with this mission."))
    if to_organisation is not None and to_organisation.pk == case.organisation_id:
        errors.setdefault("to", []).append(_("The case is already with this organisation."))
    if not reason.strip():
        errors.setdefault("reason", []).append(_("Write why the case is transferred."))
    _check_text(errors, "reason", reason)
    if not case.is_open:
        errors.setdefault("status", []).append(_("Only an open case can be transferred."))
    if case.transfers.filter(status=TransferStatus.PENDING).exists():
        errors.setdefault("status", []).append(_("A transfer of this case is already waiting for an answer."))
    if errors:
        raise CaseInputError(errors)
    override_used = _check_consent_or_override(case, actor, override_reason, what="transfer")
    transfer = Transfer.objects.create(
        case=case,
        to_mission=to_mission,
        to_organisation=to_organisation,
        from_mission_id=case.mission_id,
        from_organisation_id=case.organisation_id,
        reason=reason.strip(),
        consent_override_reason=override_used,
        requested_by=actor,
    )
    _touch(case)
    audit.record(
        actor=actor,
        action="case.transfer_request",
        target=case,
        details={
            "transfer": transfer.pk,
            "to_mission": to_mission.pk if to_mission else None,
            "to_organisation": to_organisation.pk if to_organisation else None,
            "override": bool(override_used),
        },
    )
    if to_organisation is not None:
        _notify_organisation(
            organisation_id=to_organisation.pk,
            key=f"transfer:{transfer.pk}",
            text=lambda: _("Perisai: case %(code)s is offered to you in transfer.") % {"code": case.code},
        )
    return transfer


@transaction.atomic
def do_respond_transfer(*, transfer: Transfer, actor: User, accept: bool, reason: str = "") -> Transfer:
    """The receiver accepts (the case, and its ownership, move to them) or declines with a reason."""
    if transfer.status != TransferStatus.PENDING:
        raise _fail("status", _("This transfer was already answered."))
    if not accept and not reason.strip():
        raise _fail("reason", _("Say why you decline the transfer."))
    errors: dict[str, list[str]] = {}
    _check_text(errors, "reason", reason)
    if errors:
        raise CaseInputError(errors)
    now = timezone.now()
    transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
    transfer.response_reason = reason.strip()
    transfer.responded_by, transfer.responded_at = actor, now
    transfer.save(update_fields=["status", "response_reason", "responded_by", "responded_at"])
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    if accept:
        if transfer.to_mission_id is not None:
            case.mission_id = transfer.to_mission_id
        if transfer.to_organisation_id is not None:
            case.organisation_id = transfer.to_organisation_id
            case.mission = None if transfer.to_mission_id is None else case.mission
        case.assigned_to = actor
        case.save(update_fields=["mission", "organisation", "assigned_to"])
    _touch(case)
    audit.record(
        actor=actor,
        action=f"case.transfer_{'accept' if accept else 'decline'}",
        target=case,
        details={"transfer": transfer.pk},
    )
    return transfer


# ---- directory and duty roster ---------------------------------------------------------------------------


@transaction.atomic
def do_save_provider(
    *,
    actor: User,
    name: str,
    services: list[str],
    region_code: str = "",
    organisation: Organisation | None = None,
    phone: str = "",
    email: str = "",
    address: str = "",
    provider: ServiceProvider | None = None,
    active: bool = True,
) -> ServiceProvider:
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name:
        errors.setdefault("name", []).append(_("Write the provider's name."))
    _check_text(errors, "name", name, 200)
    services = [s for s in services if s]
    if not services or any(s not in Service.values for s in services):
        errors.setdefault("services", []).append(_("Choose at least one service."))
    if region_code.strip() and not REGION_CODE.match(region_code.strip()):
        errors.setdefault("region_code", []).append(
            _("This is not a Kemendagri region code (e.g. 35.07 or 35.07.01.2001).")
        )
    if errors:
        raise CaseInputError(errors)
    provider = provider or ServiceProvider()
    provider.name, provider.services, provider.region_code = name, sorted(set(services)), region_code.strip()
    provider.organisation, provider.phone, provider.email = organisation, phone.strip(), email.strip()
    provider.address, provider.active = address.strip(), active
    created = provider.pk is None
    provider.save()
    audit.record(
        actor=actor, action="case.provider_create" if created else "case.provider_edit", target=provider
    )
    return provider


@transaction.atomic
def do_add_duty_shift(
    *,
    actor: User,
    user: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    mission: Mission | None = None,
    organisation: Organisation | None = None,
    phone: str = "",
) -> DutyShift:
    from perisai.registry.validation import FieldError, check_phone

    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The end of the shift is before its start."))
    if mission is None and organisation is None:
        errors.setdefault("mission", []).append(_("Choose the mission or the organisation of the shift."))
    if not user.can(Cap.CASE_EDIT):
        errors.setdefault("user", []).append(_("This user cannot work on cases."))
    try:
        phone = check_phone(phone, field="phone")
    except FieldError as exc:
        errors.setdefault("phone", []).append(exc.message)
    if errors:
        raise CaseInputError(errors)
    shift = DutyShift.objects.create(
        user=user,
        mission=mission,
        organisation=organisation,
        phone=phone,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    audit.record(actor=actor, action="case.duty_shift", target=shift, details={"user": user.pk})
    return shift


# ---- offline sync conflicts ----------------------------------------------------------------------------------


@transaction.atomic
def do_resolve_conflict(*, conflict: SyncConflict, actor: User, keep: str) -> SyncConflict:
    """Keep the device's value (applied now) or the server's (left as is); either way the conflict is closed."""
    if conflict.resolved_at is not None:
        return conflict
    if keep not in ("device", "server"):
        raise _fail("keep", _("Choose which value to keep."))
    case = Case.objects.select_for_update().get(pk=conflict.case_id)
    if keep == "device":
        from .fieldsync import decode_value

        do_update_intake(
            case=case,
            actor=actor,
            values={conflict.field: decode_value(conflict.field, conflict.device_value)},
        )
    conflict.resolved_at, conflict.resolved_by, conflict.resolution = timezone.now(), actor, keep
    conflict.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit.record(
        actor=actor,
        action="case.conflict_resolve",
        target=case,
        details={"field": conflict.field, "keep": keep},
    )
    return conflict
