"""An evacuation through HTTP: from the crisis's affected population to an explained plan, re-planning."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from perisai.core.models import AuditEvent
from perisai.crisis.actions import do_record_checkin, do_refresh_roster
from perisai.crisis.evacuation import actions
from perisai.crisis.evacuation.models import Evacuee, Leg, Operation, PlanRun, Site
from perisai.crisis.evacuation.problem import build_problem
from perisai.places.models import Mission

from . import factories

pytestmark = pytest.mark.django_db


def _worker() -> None:
    call_command("worker", batch=True, queues="*", no_scheduler=True)


@pytest.fixture
def situation(staff: Callable[..., Client], kyiv: Mission) -> dict[str, Any]:
    client = staff()
    plan = factories.plan(client.user, kyiv, seats=8)  # type: ignore[attr-defined]
    version = actions.do_publish_plan(plan=plan, actor=client.user)  # type: ignore[attr-defined]
    people = factories.population(kyiv)
    crisis = factories.crisis(client.user, kyiv)  # type: ignore[attr-defined]
    do_refresh_roster(crisis=crisis)
    return {"client": client, "plan": plan, "version": version, "people": people, "crisis": crisis}


def _start(situation: dict[str, Any]) -> Operation:
    client, crisis, version = situation["client"], situation["crisis"], situation["version"]
    response = client.post(
        reverse("evacuation:operation_start"),
        {
            "crisis": str(crisis.public_id),
            "mission": str(version.plan.mission_id),
            "plan_version": str(version.pk),
        },
    )
    operation = Operation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "evacuation:operation_detail", args=[operation.public_id]
    )
    return operation


def _plan(client: Client, operation: Operation, capture: Any) -> PlanRun:
    with capture(execute=True):
        response = client.post(
            reverse("evacuation:operation_plan", args=[operation.public_id]),
            {"levels": ["1"], "time_limit": "5"},
        )
    assert response.status_code == 302
    _worker()
    run = PlanRun.objects.filter(operation=operation).latest("requested_at")
    assert run.status == "done", run.error
    return run


def test_affected_people_and_households_become_the_optimizer_input(situation: dict[str, Any]) -> None:
    operation = _start(situation)
    assert Site.objects.filter(operation=operation).count() == 2
    leg = Leg.objects.get(operation=operation)
    assert leg.seats == 8 and leg.site.name == "Sekolah KBRI"
    # Someone outside the area asked for help: they come too, with their household.
    do_record_checkin(
        crisis=situation["crisis"], person_id=situation["people"]["Far"].pk, status="need_help", source="sms"
    )
    result = actions.do_sync_evacuees(operation=operation, actor=None)
    assert result.added == 12
    evacuees = {e.name: e for e in Evacuee.objects.filter(operation=operation).select_related("person")}
    assert evacuees["Ayu"].priority == 4  # a child alone
    assert evacuees["Sari"].priority == 2 and evacuees["Putri"].priority == 0
    assert evacuees["Joko"].priority == 1
    assert evacuees["Far"].source == "asked" and evacuees["Sari"].source == "affected"
    assert evacuees["Sari"].household == evacuees["Bagus"].household != evacuees["Joko"].household
    assert evacuees["Sari"].document_type == "passport" and evacuees["Sari"].document_index
    built = build_problem(operation)
    assert len(built.problem.people) == 12 and built.counts["households"] == 6
    assert {t.seats for t in built.problem.transports} == {8}
    # Syncing again adds nobody.
    assert actions.do_sync_evacuees(operation=operation, actor=None).added == 0


def test_plan_with_a_shortage_is_explained_and_one_more_bus_fixes_it(
    situation: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = situation["client"]
    operation = _start(situation)
    run = _plan(client, operation, django_capture_on_commit_callbacks)
    assert run.result is not None and run.bound_km is not None and run.total_distance_km is not None
    assert run.bound_km <= run.total_distance_km + 1e-6
    assert run.result["assigned"] == 8 and sum(run.result["unassigned_by_reason"].values()) == 3
    evacuees = {e.name: e for e in Evacuee.objects.filter(operation=operation).select_related("person")}
    # The most vulnerable first: the child alone, the pregnant mother's family, the elderly father's family.
    assert all(
        evacuees[n].assigned_leg_id for n in ("Ayu", "Sari", "Andi", "Putri", "Bagus", "Joko", "Wati", "Rudi")
    )
    assert not any(evacuees[n].assigned_leg_id for n in ("Dedi", "Nur", "Eko"))
    page = client.get(reverse("evacuation:operation_plan", args=[operation.public_id])).content.decode()
    assert "Where capacity is short" in page and "Sekolah KBRI" in page
    assert "What one more bus or flight would change" in page and "would move 3 more people" in page
    assert 'id="bound"' in page and "km" in page

    # The officer adds the bus the explanation asked for, and plans again.
    site = Site.objects.get(operation=operation, kind="assembly")
    response = client.post(
        reverse("evacuation:operation_add_leg", args=[operation.public_id]),
        {
            "site": str(site.public_id),
            "mode": "bus",
            "label": "Bus 2",
            "seats": "8",
            "departs_at": "2026-12-01T10:00",
            "destination": "Rzeszów",
        },
    )
    assert response.status_code == 302
    run = _plan(client, operation, django_capture_on_commit_callbacks)
    assert run.result is not None and run.result["assigned"] == 11
    assert not Evacuee.objects.filter(operation=operation, assigned_leg=None).exists()


def test_replanning_keeps_confirmed_places_and_frees_those_who_stay(
    situation: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = situation["client"]
    operation = _start(situation)
    _plan(client, operation, django_capture_on_commit_callbacks)
    sari = Evacuee.objects.get(operation=operation, person=situation["people"]["Sari"])
    first_leg = sari.assigned_leg_id
    assert first_leg is not None
    assert client.post(reverse("evacuation:evacuee_confirm", args=[sari.public_id])).status_code == 302
    # A bus that leaves earlier appears; Sari's confirmed place is kept all the same.
    site = Site.objects.get(operation=operation, kind="assembly")
    actions.do_add_leg(
        operation=operation,
        actor=client.user,  # type: ignore[attr-defined]
        site=site,
        mode="bus",
        label="Bus 0",
        seats=20,
        departs_at=Leg.objects.get(pk=first_leg).departs_at.replace(year=2020),
        destination="Lviv",
    )
    # Joko's family stays: their places go to the next.
    joko = Evacuee.objects.get(operation=operation, person=situation["people"]["Joko"])
    for member in Evacuee.objects.filter(household=joko.household):
        response = client.post(
            reverse("evacuation:evacuee_stay", args=[member.public_id]), {"reason": "family"}
        )
        assert response.status_code == 302
    _plan(client, operation, django_capture_on_commit_callbacks)
    sari.refresh_from_db()
    joko.refresh_from_db()
    assert sari.assigned_leg_id == first_leg and sari.confirmed_at is not None
    assert joko.assigned_leg_id is None and joko.stay_reason == "family"
    assert Evacuee.objects.filter(operation=operation, stayed_at=None, assigned_leg=None).count() == 0
    page = client.get(reverse("evacuation:evacuee_detail", args=[joko.public_id])).content.decode()
    assert "Family ties" in page
    assert AuditEvent.objects.filter(
        action="view", object_type="evacuation.evacuee", object_id=str(joko.pk), sensitive=True
    ).exists()


def test_unfit_and_unlocated_people_are_explained_not_planned(
    situation: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = situation["client"]
    operation = _start(situation)
    actions.do_sync_evacuees(operation=operation, actor=None)
    eko = Evacuee.objects.get(operation=operation, person=situation["people"]["Eko"])
    response = client.post(
        reverse("evacuation:evacuee_update", args=[eko.public_id]),
        {"consent": "given", "health": "unfit", "document_type": "passport", "document_number": ""},
    )
    assert response.status_code == 302
    eko.refresh_from_db()
    assert eko.health == "unfit" and eko.priority == 3 and eko.consent == "given"
    _plan(client, operation, django_capture_on_commit_callbacks)
    eko.refresh_from_db()
    assert eko.assigned_leg_id is None and eko.unassigned_reason == "unfit_to_travel"
    page = client.get(reverse("evacuation:operation_plan", args=[operation.public_id])).content.decode()
    assert "Not fit to travel" in page


def test_foreign_nationals_spouse_travels_with_the_household_and_are_listed_per_country(
    situation: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = situation["client"]
    operation = _start(situation)
    actions.do_sync_evacuees(operation=operation, actor=None)
    dedi = Evacuee.objects.get(operation=operation, person=situation["people"]["Dedi"])
    response = client.post(
        reverse("evacuation:evacuee_family", args=[dedi.public_id]),
        {
            "full_name": "Olena Kovalenko",
            "nationality": "UA",
            "eligibility": "spouse",
            "document_type": "foreign_passport",
            "document_number": "FA 123456",
        },
    )
    assert response.status_code == 302
    olena = Evacuee.objects.get(full_name="Olena Kovalenko")
    assert olena.household == dedi.household and olena.eligibility == "spouse" and olena.lat == dedi.lat
    site = Site.objects.get(operation=operation, kind="assembly")
    for name in ("Ahmad bin Ali", "Siti binti Omar"):
        response = client.post(
            reverse("evacuation:operation_add_foreign", args=[operation.public_id]),
            {
                "full_name": name,
                "nationality": "MY",
                "eligibility": "foreign",
                "document_type": "foreign_passport",
                "document_number": "A1234567",
                "site": str(site.public_id),
            },
        )
        assert response.status_code == 302
    bad = client.post(
        reverse("evacuation:operation_add_foreign", args=[operation.public_id]),
        {
            "full_name": "",
            "nationality": "MY",
            "eligibility": "foreign",
            "document_type": "foreign_passport",
            "document_number": "",
            "site": str(site.public_id),
        },
    )
    assert bad.status_code == 200 and "This field is required." in bad.content.decode()
    assert Evacuee.objects.filter(nationality_id="MY").count() == 2
    page = client.get(reverse("evacuation:operation_foreign", args=[operation.public_id])).content.decode()
    assert "Malaysia" in page and "Ahmad bin Ali" in page and "Ukraine" in page
    csv = client.get(reverse("evacuation:operation_foreign", args=[operation.public_id]) + "?country=MY")
    text = csv.content.decode("utf-8-sig")
    assert "Ahmad bin Ali" in text and "Olena" not in text
    api = client.get(f"/api/v1/evacuation/operations/{operation.public_id}/foreign-nationals").json()
    assert {row["country"]: row["people"] for row in api} == {"MY": 2, "UA": 1}
