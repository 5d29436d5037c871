"""The case lifecycle through HTTP: intake, contact, assessment, consent, plan, notes, closure, reopening."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from perisai.core import crypto
from perisai.core.models import AuditEvent, OutboxMessage

from ..models import Approval, Case, CaseConsent, CaseNote, CaseTask, Status, Vulnerability
from .conftest import CaseWorld
from .factories import case as new_case

INTAKE: dict[str, Any] = {
    "source": "walk_in",
    "case_type": "violence",
    "urgency": "high",
    "subject_name": "Wulan Sari",
    "contact": "+62 812 0000 1111",
    "sex": "F",
    "birth_year": "1994",
    "region_code": "35.07.01.2001",
    "summary": "Dipukul majikan di Johor, kabur ke shelter.",
    "violence_details": "Luka memar di lengan.",
    "immigration_status": "Overstay",
    "consents": ["services", "reporting"],
    "given_by": "person",
}


def url(name: str, case: Case, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"public_id": case.public_id, **kwargs})


def test_walk_in_intake_opens_an_assigned_case_with_consents_and_encrypted_sensitive_sections(
    cw: CaseWorld,
) -> None:
    client = cw.client(cw.worker)
    response = client.post(reverse("cases:new"), INTAKE)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == url("detail", case)
    assert case.assigned_to == cw.worker and case.organisation == cw.bp3mi and case.source == "walk_in"
    assert case.home_regency == "35.07" and case.birth_year == 1994 and case.reporting_consent
    assert {c.purpose for c in CaseConsent.objects.filter(case=case, granted=True)} == {
        "services",
        "reporting",
    }
    assert "Luka" not in case.violence_details_encrypted and crypto.decrypt(case.violence_details_encrypted)
    assert "Wulan" not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_bad_intake_keeps_everything_typed_and_explains(cw: CaseWorld) -> None:
    client = cw.client(cw.worker)
    response = client.post(
        reverse("cases:new"), {**INTAKE, "region_code": "Malang", "summary": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.content.decode()
    assert response.status_code == 200 and Case.objects.count() == 0
    assert "This field is required" in body
    assert 'value="Wulan Sari"' in body and 'value="+62 812 0000 1111"' in body
    wrong_region = client.post(
        reverse("cases:new"), {**INTAKE, "region_code": "Malang"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (
        "This is not a Kemendagri region code" in wrong_region.content.decode() and Case.objects.count() == 0
    )


def test_village_search_works_without_javascript(cw: CaseWorld) -> None:
    client = cw.client(cw.worker)
    response = client.post(
        reverse("cases:new"), {**INTAKE, "village_query": "Tulungrejo", "search_village": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and Case.objects.count() == 0
    assert 'value="35.07.01.2001"' in body and "Tulungrejo" in body


def test_emergency_intake_pages_and_tops_the_queue(cw: CaseWorld) -> None:
    normal = new_case(mission=cw.kl)
    client = cw.client(cw.officer)
    client.post(reverse("cases:new"), {**INTAKE, "urgency": "emergency", "mission": cw.kl.pk})
    emergency = Case.objects.get(urgency="emergency")
    assert OutboxMessage.objects.filter(object_id=str(emergency.pk), purpose="alert").exists()
    body = client.get(reverse("cases:queue")).content.decode()
    assert body.index(emergency.code) < body.index(normal.code)
    assert (
        "Emergencies waiting for first contact"
        in client.get(reverse("cases:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_names_of_violence_cases_are_hidden_until_shown_and_the_showing_is_audited(cw: CaseWorld) -> None:
    case = new_case(mission=cw.kl, case_type="violence", subject_name="Rini Astuti")
    wages = new_case(mission=cw.kl, case_type="wages", subject_name="Tuti Handayani")
    client = cw.client(cw.officer)
    assert "Rini Astuti" not in client.get(url("detail", case)).content.decode()
    assert "Tuti Handayani" in client.get(url("detail", wages)).content.decode()
    queue = client.get(reverse("cases:queue")).content.decode()
    assert "Rini Astuti" not in queue and "Tuti Handayani" in queue
    shown = client.post(url("reveal_name", case))
    assert "Rini Astuti" in shown.content.decode()
    event = AuditEvent.objects.get(action="case.reveal_name", object_id=str(case.pk))
    assert event.actor == cw.officer and event.sensitive
    partial = client.post(url("reveal_name", case), HTTP_HX_REQUEST="true")
    assert partial.content.decode().strip().startswith('<span id="case-name">Rini Astuti')


def test_sensitive_sections_only_for_roles_granted_them(cw: CaseWorld) -> None:
    client = cw.client(cw.worker)
    client.post(reverse("cases:new"), INTAKE)
    case = Case.objects.get()
    page = client.get(url("detail", case)).content.decode()
    assert "Luka memar" not in page and "Overstay" not in page
    assert client.post(url("reveal_sensitive", case)).status_code == 403
    assert not AuditEvent.objects.filter(action="case.reveal_sensitive").exists()
    supervisor = cw.client(cw.supervisor)
    assert "Luka memar" not in supervisor.get(url("detail", case)).content.decode()  # shown on demand only
    shown = supervisor.post(url("reveal_sensitive", case)).content.decode()
    assert "Luka memar" in shown and "Overstay" in shown
    assert (
        AuditEvent.objects.filter(action="case.reveal_sensitive", actor=cw.supervisor, sensitive=True).count()
        == 1
    )
    supervisor.post(
        url("sensitive_edit", case),
        {"violence_details": "Luka memar dan patah jari.", "immigration_status": "Overstay"},
    )
    case.refresh_from_db()
    assert crypto.decrypt(case.violence_details_encrypted) == "Luka memar dan patah jari."


def test_contact_stops_the_clock_and_notes_are_append_only(cw: CaseWorld) -> None:
    case = new_case(region_code="35.07", source="arrival_list", case_type="reintegration")
    client = cw.client(cw.worker)
    client.post(url("contact", case), {"note": "Ditelepon, sehat."})
    client.post(url("note", case), {"body": "Butuh tempat tinggal sementara."})
    client.post(url("note", case), {"body": "Cerita tentang kekerasan.", "sensitive": "on"})
    case.refresh_from_db()
    assert case.first_contact_at is not None and case.first_contact_minutes == 0
    assert case.assigned_to == cw.worker
    assert CaseNote.objects.filter(case=case).count() == 3
    page = client.get(url("detail", case)).content.decode()
    assert "Butuh tempat tinggal sementara." in page and "Cerita tentang kekerasan." not in page
    assert "Cerita tentang kekerasan." in cw.client(cw.supervisor).get(url("detail", case)).content.decode()
    note = CaseNote.objects.filter(case=case).first()
    assert note is not None
    with pytest.raises(ValueError, match="append-only"):
        note.save()
    empty = client.post(url("note", case), {"body": "   "})
    assert empty.status_code == 302 and CaseNote.objects.filter(case=case).count() == 3


def test_assessment_sets_flags_risk_and_needs(cw: CaseWorld) -> None:
    case = new_case(region_code="35.07", source="arrival_list", case_type="reintegration")
    client = cw.client(cw.worker)
    response = client.post(
        url("assessment", case),
        {
            "vulnerabilities": [str(int(Vulnerability.PREGNANT))],
            "ilo_indicators": ["128", "64"],  # withholding of wages, retention of documents
            "risk_level": "high",
            "needs": ["shelter", "health"],
            "notes": "Hamil 5 bulan.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.risk_level == "high" and case.ilo_indicators == 192 and case.needs == 0b11
    assert (
        case.vulnerabilities & Vulnerability.PREGNANT
        and case.vulnerabilities & Vulnerability.TRAFFICKING_INDICATORS
    )
    page = client.get(url("detail", case), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Withholding of wages" in page and "Shelter" in page
    bad = client.post(url("assessment", case), {"risk_level": "extreme"})
    assert bad.status_code == 200 and case.assessments.count() == 1


def test_plan_is_approved_by_a_supervisor_and_tasks_are_reminded(cw: CaseWorld) -> None:
    from perisai.cases.tasks import send_case_reminders

    case = new_case(region_code="35.07", source="arrival_list", case_type="reintegration", actor=cw.worker)
    client = cw.client(cw.worker)
    assert client.post(url("plan_submit", case)).status_code == 302  # refused: no task yet
    assert not Approval.objects.exists()
    tomorrow = timezone.localdate().isoformat()  # due today at 17:00: within the 24-hour reminder window
    client.post(
        url("task_add", case), {"title": "Antar ke puskesmas", "service": "health", "due_date": tomorrow}
    )
    client.post(url("plan_submit", case))
    approval = Approval.objects.get(kind="plan")
    case.refresh_from_db()
    assert case.plan_status == "submitted"
    cw.client(cw.supervisor).post(
        reverse("cases:approval_decide", kwargs={"approval_id": approval.pk}), {"decision": "approve"}
    )
    case.refresh_from_db()
    assert case.plan_status == "approved"
    result = send_case_reminders.call()
    assert result["reminders"] == 1
    reminder = OutboxMessage.objects.get(purpose="reminder")
    assert reminder.recipient == f"user:{cw.worker.pk}" and case.code in reminder.body
    assert send_case_reminders.call()["reminders"] == 0  # once
    task = CaseTask.objects.get()
    client.post(url("task_done", case, task_id=task.pk))
    task.refresh_from_db()
    assert task.done_at is not None


def test_closure_needs_another_persons_sign_off_and_can_be_reopened(cw: CaseWorld) -> None:
    case = new_case(mission=cw.kl)
    officer = cw.client(cw.officer)
    officer.post(url("closure_request", case), {"outcome": "safe", "reason": "Sudah pulang dan aman."})
    case.refresh_from_db()
    assert case.status == Status.CLOSURE_REQUESTED
    approval = Approval.objects.get(kind="closure")
    decide = reverse("cases:approval_decide", kwargs={"approval_id": approval.pk})
    assert officer.post(decide, {"decision": "approve"}).status_code == 403  # officers do not sign off
    supervisor = cw.client(cw.supervisor)
    supervisor.post(decide, {"decision": "reject"})  # sending back needs a comment
    approval.refresh_from_db()
    assert approval.status == "pending"
    supervisor.post(decide, {"decision": "approve"})
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closure_outcome == "safe" and case.closure_days == 0
    assert AuditEvent.objects.filter(action="case.closure_approve", actor=cw.supervisor).exists()
    officer.post(url("reopen", case), {"reason": "Dihubungi lagi: majikan mengancam."})
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.reopened_count == 1 and case.closed_at is None


def test_a_supervisor_cannot_approve_their_own_closure(cw: CaseWorld) -> None:
    case = new_case(mission=cw.kl)
    supervisor = cw.client(cw.supervisor)
    supervisor.post(url("closure_request", case), {"outcome": "safe", "reason": "Selesai."})
    approval = Approval.objects.get()
    supervisor.post(
        reverse("cases:approval_decide", kwargs={"approval_id": approval.pk}), {"decision": "approve"}
    )
    approval.refresh_from_db()
    case.refresh_from_db()
    assert approval.status == "pending" and case.status == Status.CLOSURE_REQUESTED


def test_supervision_shows_overdue_work(cw: CaseWorld) -> None:
    late = new_case(region_code="35.07", source="arrival_list", case_type="reintegration", urgency="high")
    Case.objects.filter(pk=late.pk).update(contact_due_at=timezone.now() - dt.timedelta(hours=3))
    on_time = new_case(region_code="35.07", source="arrival_list", case_type="reintegration")
    CaseTask.objects.create(
        case=on_time, title="Kunjungan rumah", due_at=timezone.now() - dt.timedelta(days=2)
    )
    page = cw.client(cw.supervisor).get(reverse("cases:supervision")).content.decode()
    assert late.code in page and on_time.code in page and "Kunjungan rumah" in page
    assert cw.client(cw.worker).get(reverse("cases:supervision")).status_code == 403


def test_unanswered_emergency_is_escalated_to_the_supervisors_once(cw: CaseWorld) -> None:
    from perisai.cases.tasks import send_case_reminders

    case = new_case(mission=cw.kl, urgency="emergency")
    Case.objects.filter(pk=case.pk).update(contact_due_at=timezone.now() - dt.timedelta(minutes=5))
    assert send_case_reminders.call()["escalations"] == 1
    assert OutboxMessage.objects.filter(
        idempotency_key__startswith=f"case-escalation:{case.pk}:", recipient=f"user:{cw.supervisor.pk}"
    ).exists()
    assert send_case_reminders.call()["escalations"] == 0


def test_edit_intake_and_family_members(cw: CaseWorld) -> None:
    case = new_case(mission=cw.kl, subject_name="Ani")
    client = cw.client(cw.officer)
    client.post(
        url("edit", case),
        {
            "case_type": "wages",
            "urgency": "emergency",
            "subject_name": "Ani Suryani",
            "summary": "Gaji 8 bulan.",
        },
    )
    case.refresh_from_db()
    assert case.subject_name == "Ani Suryani" and case.priority == 0 and case.version > 1
    assert OutboxMessage.objects.filter(
        object_id=str(case.pk), purpose="alert"
    ).exists()  # raised to emergency
    client.post(url("member_add", case), {"name": "Putri", "relation": "anak", "birth_year": "2019"})
    assert case.members.get().name == "Putri"
