"""Contingency plans through HTTP: create, fill, readiness, publish versions, read old versions, print."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from perisai.core.models import AuditEvent
from perisai.core.roles import Role
from perisai.crisis.evacuation.models import ContingencyPlan, PlanVersion, Zone
from perisai.crisis.evacuation.pdf import FONT_NAME, build_plan
from perisai.crisis.evacuation.sections import plan_content
from perisai.crisis.models import Warden
from perisai.places.models import Mission

from . import factories

pytestmark = pytest.mark.django_db


def test_officer_creates_a_plan_fills_it_and_sees_what_is_missing(
    staff: Callable[..., Client], kyiv: Mission
) -> None:
    client = staff()
    response = client.post(
        reverse("evacuation:plan_create"),
        {
            "mission": kyiv.pk,
            "scenario": "conflict",
            "title": "Rencana konflik",
            "assumptions": "",
            "max_distance_km": "12",
        },
    )
    plan = ContingencyPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "evacuation:plan_detail", args=[plan.public_id]
    )
    assert plan.max_distance_km == 12 and plan.mission == kyiv
    page = client.get(response["Location"]).content.decode()
    assert (
        "The plan has never been published." in page and "No warden" in page and "No assembly point." in page
    )

    add_zone = reverse("evacuation:plan_item_add", args=[plan.public_id, "zones"])
    response = client.post(add_zone, {"name": "Kyiv", "lat": "50.45", "lon": "30.52", "radius_km": "15"})
    assert response.status_code == 302
    zone = Zone.objects.get(plan=plan)
    response = client.post(
        reverse("evacuation:plan_item_add", args=[plan.public_id, "wardens"]),
        {"name": "Pak Budi", "phone": "+380501234567", "zone": zone.pk, "capacity": "30"},
    )
    assert response.status_code == 302
    page = client.get(reverse("evacuation:plan_detail", args=[plan.public_id])).content.decode()
    assert "Every zone has a warden." in page and "Pak Budi" in page
    assert AuditEvent.objects.filter(action="evacuation.plan_item_add", object_id=str(plan.pk)).count() == 2


def test_bad_item_gets_a_clear_message_and_keeps_what_was_typed(
    staff: Callable[..., Client], kyiv: Mission
) -> None:
    client = staff()
    plan = factories.plan(client.user, kyiv)  # type: ignore[attr-defined]
    before = plan.sites.count()
    response = client.post(
        reverse("evacuation:plan_item_add", args=[plan.public_id, "sites"]),
        {"kind": "assembly", "name": "Stadion Olimpiyskiy", "lat": "95", "lon": "30.5", "capacity": "-3"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 90" in body or "latitude" in body
    assert 'value="Stadion Olimpiyskiy"' in body
    assert plan.sites.count() == before
    other = client.post(
        reverse("evacuation:plan_item_add", args=[plan.public_id, "transport"]),
        {
            "mode": "bus",
            "provider": "X",
            "seats": "40",
            "trips": "1",
            "lead_time_hours": "2",
            "departs_from": plan.sites.get(kind="safe_haven").pk,
            "destination": "Y",
        },
    )
    assert (
        other.status_code == 200 and "Select a valid choice" in other.content.decode()
    )  # not an assembly point


def test_publishing_makes_versions_and_old_versions_stay_readable(
    staff: Callable[..., Client], kyiv: Mission
) -> None:
    client = staff()
    plan = factories.plan(client.user, kyiv)  # type: ignore[attr-defined]
    response = client.post(reverse("evacuation:plan_publish", args=[plan.public_id]), {"note": "first"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.current_version == 1 and not plan.has_unpublished_changes
    # The plan's warden became a warden of the mission in the crisis module (call-down lists).
    warden = Warden.objects.get(mission=kyiv)
    assert warden.name == "Pak Budi" and warden.lat == pytest.approx(factories.KYIV[0])

    bus = plan.transport.get()
    response = client.post(
        reverse("evacuation:plan_item_edit", args=[plan.public_id, "transport", bus.pk]),
        {
            "mode": "bus",
            "provider": "PO Lviv",
            "seats": "44",
            "trips": "2",
            "lead_time_hours": "6",
            "departs_from": bus.departs_from_id,
            "destination": "Rzeszów",
            "contact_name": "",
            "contact_phone": "",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.has_unpublished_changes
    client.post(reverse("evacuation:plan_publish", args=[plan.public_id]), {"note": "bigger bus"})
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", "note")) == [
        (2, "bigger bus"),
        (1, "first"),
    ]
    v1 = client.get(reverse("evacuation:plan_version", args=[plan.public_id, 1])).content.decode()
    v2 = client.get(reverse("evacuation:plan_version", args=[plan.public_id, 2])).content.decode()
    assert "<td>8</td>" in v1 and "<td>44</td>" not in v1
    assert "<td>44</td>" in v2
    assert Warden.objects.filter(mission=kyiv).count() == 1  # published twice, one warden


@pytest.mark.parametrize("language", ["id", "en"])
def test_plan_prints_in_indonesian_and_english(
    staff: Callable[..., Client], kyiv: Mission, language: str
) -> None:
    client = staff()
    plan = factories.plan(client.user, kyiv)  # type: ignore[attr-defined]
    client.post(reverse("evacuation:plan_publish", args=[plan.public_id]))
    response = client.get(
        reverse("evacuation:plan_version_pdf", args=[plan.public_id, 1]) + f"?lang={language}"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response["X-Perisai-Font"] == FONT_NAME
    version = PlanVersion.objects.get(plan=plan)
    doc = build_plan(
        version.content, version=1, published_at=version.published_at, checks=[], language=language
    )
    text = "\n".join(doc.texts)
    assert "Rencana kontinjensi Kyiv" in text and "Pak Andi" in text and "Sekolah KBRI" in text
    from django.utils.translation import gettext, override

    with override(language):
        assert gettext("Contingency plan") in text and gettext("Roles and call tree") in text


def test_officer_of_another_mission_sees_nothing_and_changes_nothing(
    staff: Callable[..., Client], kyiv: Mission
) -> None:
    owner = staff()
    plan = factories.plan(owner.user, kyiv)  # type: ignore[attr-defined]
    outsider = staff(missions=[Mission.objects.get(code="kbri-kuala-lumpur")])
    assert outsider.get(reverse("evacuation:plan_detail", args=[plan.public_id])).status_code == 404
    before = AuditEvent.objects.count()
    assert outsider.post(reverse("evacuation:plan_publish", args=[plan.public_id])).status_code == 404
    zone = plan.zones.get()
    assert (
        outsider.post(
            reverse("evacuation:plan_item_delete", args=[plan.public_id, "zones", zone.pk])
        ).status_code
        == 404
    )
    assert not PlanVersion.objects.exists() and Zone.objects.filter(pk=zone.pk).exists()
    assert AuditEvent.objects.count() == before
    assert plan.title not in outsider.get(reverse("evacuation:home")).content.decode()
    analyst = staff(Role.ANALYST)
    assert analyst.get(reverse("evacuation:plan_detail", args=[plan.public_id])).status_code == 403


def test_draft_content_is_what_a_version_freezes(staff: Callable[..., Client], kyiv: Mission) -> None:
    client = staff()
    plan = factories.plan(client.user, kyiv)  # type: ignore[attr-defined]
    content = plan_content(plan)
    assert [t["level"] for t in sorted(content["triggers"], key=lambda t: -t["level"])] == [3, 2, 1]
    head = next(r for r in content["roles"] if r["reports_to"] is None)
    assert next(r for r in content["roles"] if r["reports_to"] == head["id"])["holder_name"] == "Pak Andi"
    client.post(reverse("evacuation:plan_publish", args=[plan.public_id]))
    assert PlanVersion.objects.get().content == plan_content(plan) | {"plan": content["plan"]}
