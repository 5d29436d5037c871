"""Contract 1: `perisai.cases.intake.open_case`, as the help bot, crisis check-ins and arrival lists call it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from perisai.core import crypto
from perisai.core.models import AuditEvent, OutboxMessage
from perisai.core.roles import Role

from ..intake import CaseInputError, case_url, open_case
from ..models import Case, CaseNote, DutyShift, Status, Vulnerability
from .conftest import CaseWorld
from .factories import case as new_case
from .factories import person as new_person


def test_open_case_gives_a_code_and_is_audited(cw: CaseWorld) -> None:
    case = open_case(
        source="helpdesk",
        case_type="violence",
        urgency="high",
        summary="Dipukul majikan, butuh bantuan",
        subject_name="  Dewi   Lestari ",
        contact="telegram:12345",
        mission=cw.kl,
        region_code="35.07.01.2001",
        details={"conversation": 42, "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
        link_type="helpdesk.conversation",
        link_id="42",
    )
    assert re.fullmatch(rf"C-{timezone.now().year}-\d{{6}}", case.code)
    assert case.public_id and case.status == Status.OPEN
    assert case.subject_name == "Dewi Lestari" and case.mission == cw.kl
    assert case.home_province == "35" and case.home_regency == "35.07"
    assert case.intake_details == {"conversation": 42, "at": "2026-01-01 00:00:00+00:00"}
    assert case.contact_due_at - case.opened_at == dt.timedelta(hours=24)
    event = AuditEvent.objects.get(action="case.open", object_id=str(case.pk))
    assert event.details["source"] == "helpdesk"
    assert "Dewi" not in str(event.details)  # never personal data in the audit details
    second = new_case()
    assert int(second.code[-6:]) == int(case.code[-6:]) + 1
    # Absolute (it goes out in messages), never with personal data in it.
    assert case_url(case) == f"{settings.PERISAI_PUBLIC_URL}/cases/{case.public_id}/"


def test_same_link_returns_the_same_open_case_with_a_note(cw: CaseWorld) -> None:
    first = new_case(source="crisis_checkin", link_type="crisis.checkin", link_id="c-1", mission=cw.kl)
    again = new_case(
        source="crisis_checkin",
        link_type="crisis.checkin",
        link_id="c-1",
        urgency="high",
        summary="Masih butuh bantuan",
    )
    assert again.pk == first.pk and Case.objects.count() == 1
    again.refresh_from_db()
    assert again.urgency == "high" and again.priority == 1  # raised, never lowered
    notes = [crypto.decrypt(n.body_encrypted) for n in CaseNote.objects.filter(case=first)]
    assert notes == ["Masih butuh bantuan"]
    assert AuditEvent.objects.filter(action="case.link_again", object_id=str(first.pk)).count() == 1
    # Another link type with the same id is another case.
    other = new_case(source="helpdesk", link_type="helpdesk.conversation", link_id="c-1")
    assert other.pk != first.pk
    # Once closed, the same link opens a new case.
    Case.objects.filter(pk=first.pk).update(status=Status.CLOSED, is_open=False)
    fresh = new_case(source="crisis_checkin", link_type="crisis.checkin", link_id="c-1")
    assert fresh.pk not in (first.pk, other.pk)


def test_emergency_pages_the_officer_on_duty(cw: CaseWorld, django_capture_on_commit_callbacks: Any) -> None:
    now = timezone.now()
    shift = DutyShift.objects.create(
        user=cw.officer,
        mission=cw.kl,
        phone="+60123456780",
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=6),
    )
    DutyShift.objects.create(  # a shift that has ended pages nobody
        user=cw.supervisor,
        mission=cw.kl,
        starts_at=now - dt.timedelta(days=1),
        ends_at=now - dt.timedelta(hours=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(
            source="helpdesk",
            case_type="violence",
            urgency="emergency",
            summary="Terkunci di rumah majikan",
            subject_name="Rina",
            mission=cw.kl,
        )
    case.refresh_from_db()
    assert case.assigned_to == cw.officer
    assert case.contact_due_at - case.opened_at == dt.timedelta(hours=1)
    messages = OutboxMessage.objects.filter(object_type="cases.case", object_id=str(case.pk))
    assert {(m.channel, m.recipient) for m in messages} == {
        ("platform", f"user:{cw.officer.pk}"),
        ("sms", shift.phone),
    }
    body = messages.first().body  # type: ignore[union-attr]
    assert case.code in body and "Rina" not in body  # no name in a message to a phone
    assert all(m.status == "queued" for m in messages)  # delivery is scheduled on commit


def test_emergency_without_a_shift_pages_the_missions_officers(cw: CaseWorld) -> None:
    case = open_case(
        source="helpdesk", case_type="detention", urgency="emergency", summary="Ditahan polisi", mission=cw.kl
    )
    recipients = set(
        OutboxMessage.objects.filter(object_id=str(case.pk), channel="platform").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {f"user:{cw.officer.pk}", f"user:{cw.supervisor.pk}"}
    assert OutboxMessage.objects.filter(object_id=str(case.pk)).exclude(channel="platform").count() == 0


def test_a_registered_person_brings_mission_home_region_and_vulnerabilities(cw: CaseWorld) -> None:
    from perisai.registry.models import Vulnerability as PersonVulnerability

    siti = new_person(sex="F", vulnerabilities=int(PersonVulnerability.PREGNANT))
    case = new_case(person=siti)
    assert case.person == siti and case.subject_name == ""
    assert case.mission == siti.mission and case.region_code == "35.07.01.2001"
    assert case.sex == "F" and case.vulnerabilities & Vulnerability.PREGNANT
    assert case.display_name == "Siti Aminah"


def test_transcript_is_kept_only_with_consent_and_encrypted(cw: CaseWorld) -> None:
    kept = new_case(transcript="Saya tidak digaji", transcript_consented=True)
    dropped = new_case(transcript="Saya tidak digaji", transcript_consented=False)
    assert kept.transcript_encrypted and "digaji" not in kept.transcript_encrypted
    assert crypto.decrypt(kept.transcript_encrypted) == "Saya tidak digaji"
    assert dropped.transcript_encrypted == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "fax"}, "source"),
        ({"case_type": "theft"}, "case_type"),
        ({"urgency": "urgent"}, "urgency"),
        ({"summary": "x" * 5000}, "summary"),
        ({"region_code": "Malang"}, "region_code"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(
    cw: CaseWorld, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(CaseInputError) as error:
        new_case(**changes)
    assert field in error.value.errors
    assert isinstance(error.value, ValueError)
    assert Case.objects.count() == 0 and AuditEvent.objects.filter(action="case.open").count() == 0


def test_a_walk_in_is_given_to_the_worker_who_takes_it(cw: CaseWorld) -> None:
    case = new_case(source="walk_in", actor=cw.worker, region_code="35.07")
    assert case.assigned_to == cw.worker and case.organisation == cw.bp3mi and case.opened_by == cw.worker
    assert cw.worker.role == Role.CASE_WORKER
