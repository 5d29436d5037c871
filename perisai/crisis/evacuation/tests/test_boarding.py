"""Manifests, boarding (idempotent sync from an offline phone, conflicts), arrival, hand-over and the
reintegration case (contract 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.core.models import AuditEvent
from perisai.core.roles import Role
from perisai.crisis.actions import do_refresh_roster
from perisai.crisis.evacuation import actions
from perisai.crisis.evacuation.models import (
    BoardingScan,
    Evacuee,
    EvacueeEvent,
    Leg,
    Manifest,
    Operation,
    PlanRun,
)
from perisai.crisis.evacuation.pdf import build_manifest
from perisai.crisis.evacuation.selectors import manifest_rows
from perisai.crisis.evacuation.tokens import boarding_token, read_boarding_token
from perisai.places.models import Mission

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(staff: Callable[..., Client], kyiv: Mission) -> dict[str, Any]:
    """An evacuation planned with two buses of 8 seats (11 people, so two legs are in use)."""
    client = staff()
    user = client.user  # type: ignore[attr-defined]
    plan = factories.plan(user, kyiv, seats=8)
    version = actions.do_publish_plan(plan=plan, actor=user)
    people = factories.population(kyiv)
    crisis = factories.crisis(user, kyiv)
    do_refresh_roster(crisis=crisis)
    operation = actions.do_start_operation(crisis=crisis, mission=kyiv, actor=user, plan_version=version)
    first = Leg.objects.get(operation=operation)
    second = actions.do_add_leg(
        operation=operation,
        actor=user,
        site=first.site,
        mode="bus",
        label="Bus 2",
        seats=8,
        departs_at=first.departs_at,
        destination="Rzeszów",
    )
    run = actions.do_request_plan_run(operation=operation, actor=user, time_limit_s=5)
    assert actions.execute_plan_run(run_id=run.pk).startswith("assigned 11")
    return {
        "client": client,
        "operation": operation,
        "people": people,
        "legs": (first, second),
        "crisis": crisis,
    }


def _evacuee(planned: dict[str, Any], name: str) -> Evacuee:
    return Evacuee.objects.get(operation=planned["operation"], person=planned["people"][name])


def _sync(client: Client, leg: Leg, scans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = client.post(
        reverse("evacuation:leg_board_sync", args=[leg.public_id]),
        json.dumps({"scans": scans}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()["results"]  # type: ignore[no-any-return]


def test_manifest_issues_pdf_and_csv_are_bilingual_with_a_qr_per_entry(planned: dict[str, Any]) -> None:
    client = planned["client"]
    sari = _evacuee(planned, "Sari")
    leg = sari.assigned_leg
    assert leg is not None
    response = client.post(reverse("evacuation:leg_issue_manifest", args=[leg.public_id]))
    assert response.status_code == 302
    manifest = Manifest.objects.get(leg=leg)
    assert manifest.number == 1 and sari.pk in manifest.evacuee_ids and manifest.added == manifest.count
    pdf = client.get(reverse("evacuation:leg_manifest_pdf", args=[leg.public_id, 1]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    doc = build_manifest(leg=leg, manifest=manifest, rows=manifest_rows(manifest=manifest), exercise=False)
    assert "Sari" in doc.texts and "C1234567" in " ".join(doc.texts)
    response = client.get(reverse("evacuation:leg_manifest_csv", args=[leg.public_id, 1]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    from django.utils.translation import gettext, override

    with override("id"):
        name_id = gettext("Name")
    assert rows[0][1] in ("Name", f"{name_id} / Name")
    assert len(rows) == 1 + manifest.count
    token = next(r[-1] for r in rows if r[1] == "Sari")
    assert read_boarding_token(token) == sari.pk
    assert AuditEvent.objects.filter(action="evacuation.manifest_export").count() == 2
    # Someone stays: the next issue says one was removed.
    actions.do_record_stay(evacuee=_evacuee(planned, "Putri"), actor=client.user, reason="chose")  # type: ignore[attr-defined]
    client.post(reverse("evacuation:leg_issue_manifest", args=[leg.public_id]))
    second = Manifest.objects.get(leg=leg, number=2)
    assert second.removed == 1 and second.count == manifest.count - 1


def test_tokens_are_signed() -> None:
    token = boarding_token(123)
    assert read_boarding_token(token) == 123
    assert read_boarding_token(token[:-2] + "xx") is None
    assert read_boarding_token("E3f.") is None and read_boarding_token("nonsense") is None


def test_offline_queue_synced_twice_boards_each_person_once(planned: dict[str, Any]) -> None:
    client = planned["client"]
    sari = _evacuee(planned, "Sari")
    leg = sari.assigned_leg
    assert leg is not None
    actions.do_issue_manifest(leg=leg, actor=client.user)  # type: ignore[attr-defined]
    offline_at = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)  # scanned offline an hour ago
    queue: list[dict[str, Any]] = [
        {
            "client_uuid": str(uuid.uuid4()),
            "step": "board",
            "token": boarding_token(sari.pk),
            "scanned_at": offline_at.isoformat(),
            "consent": True,
        },
        {"client_uuid": str(uuid.uuid4()), "step": "board", "document": "c 123-4567", "consent": True},
        {"client_uuid": str(uuid.uuid4()), "step": "board", "document": "X0000000"},
    ]
    first = _sync(client, leg, queue)
    assert [r["outcome"] for r in first] == ["boarded", "already", "unknown"]
    assert first[0]["name"] == "Sari"
    sari.refresh_from_db()
    boarded_at = sari.boarded_at
    assert sari.boarded_leg_id == leg.pk and sari.consent == "given" and sari.at_assembly_at is not None
    assert boarded_at == offline_at
    again = _sync(client, leg, queue)  # the phone lost the answer and sends the same queue again
    assert again == first
    sari.refresh_from_db()
    assert sari.boarded_at == boarded_at
    assert BoardingScan.objects.count() == 3
    assert EvacueeEvent.objects.filter(evacuee=sari, kind="boarded").count() == 1


def test_conflicts_are_shown_and_can_be_resolved(planned: dict[str, Any]) -> None:
    client = planned["client"]
    first, second = planned["legs"]
    eko = _evacuee(planned, "Eko")
    other = second if eko.assigned_leg_id == first.pk else first
    [result] = _sync(client, other, [{"client_uuid": str(uuid.uuid4()), "document": "B7654321"}])
    assert result["outcome"] == "conflict" and result["reason"] == "other_leg" and not result["ok"]
    eko.refresh_from_db()
    assert eko.boarded_at is None
    page = client.get(reverse("evacuation:leg_detail", args=[other.public_id])).content.decode()
    assert "Has a place on another leg" in page and "Eko" in page
    scan = BoardingScan.objects.get(outcome="conflict")
    response = client.post(reverse("evacuation:leg_scan_resolve", args=[other.public_id, scan.pk]))
    assert response.status_code == 302
    eko.refresh_from_db()
    assert eko.boarded_leg_id == other.pk and eko.assigned_leg_id == other.pk
    # A person who refused cannot be boarded by a scan.
    wati = _evacuee(planned, "Wati")
    actions.do_update_evacuee(evacuee=wati, actor=client.user, consent="refused")  # type: ignore[attr-defined]
    assert wati.assigned_leg is not None
    [refused] = _sync(
        client, wati.assigned_leg, [{"client_uuid": str(uuid.uuid4()), "token": boarding_token(wati.pk)}]
    )
    assert refused["reason"] == "consent_refused"


def test_boarding_without_javascript_posts_the_form(planned: dict[str, Any]) -> None:
    client = planned["client"]
    eko = _evacuee(planned, "Eko")
    leg = eko.assigned_leg
    assert leg is not None
    page = client.get(reverse("evacuation:leg_board", args=[leg.public_id]))
    assert page.status_code == 200 and 'name="client_uuid"' in page.content.decode()
    assert "people-data" in page.content.decode() and "B7654321" not in page.content.decode()
    response = client.post(
        reverse("evacuation:leg_board_sync", args=[leg.public_id]),
        {"client_uuid": str(uuid.uuid4()), "step": "board", "document": "B7654321", "consent": "on"},
        follow=True,
    )
    assert "Eko: Boarded" in response.content.decode()
    eko.refresh_from_db()
    assert eko.boarded_leg_id == leg.pk


def test_arrival_hand_over_and_reintegration_case(
    planned: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from perisai.cases.models import Case

    client = planned["client"]
    eko = _evacuee(planned, "Eko")
    leg = eko.assigned_leg
    assert leg is not None
    _sync(client, leg, [{"client_uuid": str(uuid.uuid4()), "token": boarding_token(eko.pk), "consent": True}])
    client.post(reverse("evacuation:leg_status", args=[leg.public_id]), {"status": "departed"})
    client.post(
        reverse("evacuation:leg_status", args=[leg.public_id]),
        {"status": "arrived", "where": "Jakarta (CGK)"},
    )
    eko.refresh_from_db()
    assert eko.arrived_at is not None and eko.arrived_where == "Jakarta (CGK)"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evacuation:leg_hand_over", args=[leg.public_id]),
            {"evacuee": [str(eko.public_id)], "case": [str(eko.public_id)]},
        )
    assert response.status_code == 302
    call_command("worker", batch=True, queues="*", no_scheduler=True)
    eko.refresh_from_db()
    assert eko.handed_over_region == "35.07" and eko.case_code
    case = Case.objects.get(public_id=eko.case_public_id)
    assert case.source == "arrival_list" and case.case_type == "reintegration"
    # The same hand-over again opens no second case.
    actions.do_open_reintegration_case(evacuee_id=eko.pk)
    assert Case.objects.filter(person=eko.person).count() == 1
    page = client.get(reverse("evacuation:evacuee_detail", args=[eko.public_id])).content.decode()
    assert eko.case_code in page and "Handed over to the home region" in page


def test_in_an_exercise_no_real_case_is_opened(
    staff: Callable[..., Client], kyiv: Mission, django_capture_on_commit_callbacks: Any
) -> None:
    from perisai.cases.models import Case

    client = staff()
    user = client.user  # type: ignore[attr-defined]
    factories.population(kyiv)
    crisis = factories.crisis(user, kyiv, exercise=True)
    do_refresh_roster(crisis=crisis)
    plan = factories.plan(user, kyiv, seats=20)
    operation = actions.do_start_operation(
        crisis=crisis, mission=kyiv, actor=user, plan_version=actions.do_publish_plan(plan=plan, actor=user)
    )
    assert operation.exercise
    run = actions.do_request_plan_run(operation=operation, actor=user, time_limit_s=5)
    actions.execute_plan_run(run_id=run.pk)
    evacuee = Evacuee.objects.filter(operation=operation).exclude(assigned_leg=None).first()
    assert evacuee is not None and evacuee.assigned_leg is not None
    leg = evacuee.assigned_leg
    actions.do_record_scan(
        leg=leg, actor=user, client_uuid=str(uuid.uuid4()), token=boarding_token(evacuee.pk)
    )
    actions.do_set_leg_status(leg=leg, actor=user, status="arrived")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_hand_over(evacuees=[evacuee], actor=user, open_reintegration_case=[evacuee.pk])
    call_command("worker", batch=True, queues="*", no_scheduler=True)
    assert not Case.objects.exists()
    assert EvacueeEvent.objects.filter(evacuee=evacuee, kind="case", details__exercise=True).exists()


def test_boarding_is_refused_to_other_roles_and_missions_and_changes_nothing(
    planned: dict[str, Any], staff: Callable[..., Client]
) -> None:
    sari = _evacuee(planned, "Sari")
    leg = sari.assigned_leg
    assert leg is not None
    scan = [{"client_uuid": str(uuid.uuid4()), "token": boarding_token(sari.pk)}]
    url = reverse("evacuation:leg_board_sync", args=[leg.public_id])
    case_worker = staff(Role.CASE_WORKER)
    assert (
        case_worker.post(url, json.dumps({"scans": scan}), content_type="application/json").status_code == 403
    )
    outsider = staff(missions=[Mission.objects.get(code="kbri-kuala-lumpur")])
    assert outsider.post(url, json.dumps({"scans": scan}), content_type="application/json").status_code == 404
    api = outsider.post(
        f"/api/v1/evacuation/legs/{leg.public_id}/scans",
        json.dumps({"scans": scan}),
        content_type="application/json",
    )
    assert api.status_code == 404
    sari.refresh_from_db()
    assert sari.boarded_at is None and not BoardingScan.objects.exists()
    assert Operation.objects.count() == 1 and PlanRun.objects.count() == 1
