"""Officers open a crisis, draw its areas, set Siaga levels, and see the affected population: through HTTP."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from perisai.core.models import AuditEvent
from perisai.crisis.models import Crisis, CrisisArea, CrisisStatus, TimelineEntry

from .conftest import JB, KL, World, circle

FIXTURES = Path(__file__).resolve().parents[1] / "feeds" / "tests" / "fixtures"
KL_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[101.5, 3.0], [101.9, 3.0], [101.9, 3.3], [101.5, 3.3], [101.5, 3.0]]],
}


def _open_crisis(world: World, **changes: Any) -> Crisis:
    client = world.client(world.officer)
    data = {
        "title": "Banjir Kuala Lumpur",
        "type": "flood",
        "country": "MY",
        "missions": [world.kl.pk],
        "status": "active",
        "reask_after_minutes": "360",
        "reask_max": "2",
        **changes,
    }
    response = client.post(reverse("crisis:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Crisis.objects.get(title=data["title"])


def test_officer_opens_a_crisis_and_adds_areas_three_ways(world: World) -> None:
    crisis = _open_crisis(world)
    client = world.client(world.officer)
    url = reverse("crisis:area_add", kwargs={"public_id": crisis.public_id})
    inside = world.make_person(*KL)
    # A circle, previewed first: nothing is saved, the SVG and the count come back.
    data = {
        "name": "Kuala Lumpur",
        "level": "1",
        "method": "circle",
        "lat": "3.139",
        "lon": "101.687",
        "radius_km": "20",
    }
    preview = client.post(url, {**data, "preview": "1"})
    body = preview.content.decode()
    assert preview.status_code == 200 and "<svg" in body and "1 registered person" in body
    assert not CrisisArea.objects.exists()
    saved = client.post(url, {**data, "save": "1"})
    assert saved.status_code == 302
    # GeoJSON typed in, and a KML file uploaded.
    client.post(
        url,
        {
            "name": "Selangor",
            "level": "2",
            "method": "geojson",
            "geojson": json.dumps(KL_SQUARE),
            "save": "1",
        },
    )
    with (FIXTURES / "area_bekasi.kml").open("rb") as kml:
        client.post(
            url, {"name": "Bekasi test", "level": "3", "method": "upload", "upload": kml, "save": "1"}
        )
    areas = {a.name: a for a in crisis.areas.all()}
    assert areas["Kuala Lumpur"].geometry["type"] == "Circle" and areas["Kuala Lumpur"].level == 1
    assert areas["Selangor"].geometry["type"] == "Polygon" and areas["Selangor"].level == 2
    assert areas["Bekasi test"].geometry["type"] in ("Polygon", "MultiPolygon")
    page = client.get(reverse("crisis:detail", kwargs={"public_id": crisis.public_id})).content.decode()
    assert "Siaga 1" in page and "Siaga 2" in page and "<svg" in page
    assert TimelineEntry.objects.filter(crisis=crisis, kind=TimelineEntry.Kind.AREA).count() == 3
    assert inside.pk  # counted in the preview above


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "geojson", "geojson": "{not json"}, "could not be read"),
        (
            {
                "method": "geojson",
                "geojson": '{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}',
            },
            "fewer than 4 points",
        ),
        ({"method": "circle", "lat": "95", "lon": "101", "radius_km": "10"}, ""),
        ({"method": "circle", "lat": "3", "lon": "101"}, "radius"),
    ],
)
def test_a_bad_area_gets_a_clear_message_and_nothing_is_lost(
    world: World, data: dict[str, str], message: str
) -> None:
    crisis = _open_crisis(world)
    client = world.client(world.officer)
    response = client.post(
        reverse("crisis:area_add", kwargs={"public_id": crisis.public_id}),
        {"name": "Daerah Banjir", "level": "2", "save": "1", **data},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist"' in body and message in body
    assert 'value="Daerah Banjir"' in body  # what was typed is still there
    assert not CrisisArea.objects.exists()


def test_raising_a_level_is_an_audited_decision_with_a_reason(world: World) -> None:
    crisis = _open_crisis(world)
    area = CrisisArea.objects.create(crisis=crisis, name="Selangor", level=3, geometry=KL_SQUARE)
    url = reverse("crisis:area_level", kwargs={"public_id": area.public_id})
    officer = world.client(world.officer)
    officer.post(url, {"level": "1", "reason": ""})
    area.refresh_from_db()
    assert area.level == 3  # no reason, no decision
    response = officer.post(url, {"level": "1", "reason": "Bentrokan bersenjata di pusat kota"})
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.level == 1
    event = AuditEvent.objects.get(action="crisis.level")
    assert event.actor == world.officer and event.details["from"] == 3 and event.details["to"] == 1
    entry = TimelineEntry.objects.get(crisis=crisis, kind=TimelineEntry.Kind.LEVEL)
    assert entry.text == "Bentrokan bersenjata di pusat kota" and entry.details["raised"] is True


def test_a_case_worker_may_not_change_a_level_and_nothing_changes(world: World, client_for: Any) -> None:
    crisis = _open_crisis(world)
    area = CrisisArea.objects.create(crisis=crisis, name="Selangor", level=3, geometry=KL_SQUARE)
    before = AuditEvent.objects.count()
    worker = client_for("case_worker")
    response = worker.post(
        reverse("crisis:area_level", kwargs={"public_id": area.public_id}), {"level": "1", "reason": "x"}
    )
    assert response.status_code == 403
    area.refresh_from_db()
    assert area.level == 3 and AuditEvent.objects.count() == before


def test_officers_of_other_missions_do_not_see_the_crisis(world: World) -> None:
    crisis = _open_crisis(world)
    far = world.client(world.far_officer)
    assert far.get(reverse("crisis:detail", kwargs={"public_id": crisis.public_id})).status_code == 404
    assert crisis.title not in far.get(reverse("crisis:index")).content.decode()
    # The JB officer sees the crisis (same country) but only his own mission's people in it.
    CrisisArea.objects.create(crisis=crisis, name="Semenanjung", level=2, geometry=circle(2.3, 102.7, 250))
    world.make_person(*KL, name="Orang KL")
    world.make_person(*JB, mission=world.jb, name="Orang JB")
    jb = world.client(world.jb_officer)
    page = jb.get(reverse("crisis:population", kwargs={"public_id": crisis.public_id})).content.decode()
    assert "Orang JB" in page and "Orang KL" not in page
    kl_page = world.client(world.officer).get(
        reverse("crisis:population", kwargs={"public_id": crisis.public_id})
    )
    assert "Orang KL" in kl_page.content.decode() and "Orang JB" not in kl_page.content.decode()


def test_affected_population_counts_by_city_sector_household_vulnerability(world: World) -> None:
    from perisai.registry.models import Household

    crisis = _open_crisis(world)
    area = CrisisArea.objects.create(crisis=crisis, name="KL", level=1, geometry=circle(*KL, 30))
    family = Household.objects.create()
    for _ in range(3):
        world.make_person(KL[0] + 0.01, KL[1], household=family, sector="construction")
    world.make_person(*KL, vulnerabilities=1 | 8)  # pregnant and elderly
    world.make_person(*KL, vulnerabilities=2)
    world.make_person(*JB)  # far away: not counted
    # Registered only by city (coordinates are the city's centre) 40 km out: near, not inside.
    from perisai.places.gazetteer import get_city

    seremban = get_city(1734810)
    assert seremban is not None and seremban.name == "Seremban"
    world.make_person(seremban.lat, seremban.lon, city_geonameid=seremban.geonameid, city_name=seremban.name)
    response = world.client(world.officer).get(
        reverse("crisis:population", kwargs={"public_id": crisis.public_id}), {"area": str(area.public_id)}
    )
    ctx = response.context
    summary = ctx["summary"]
    assert summary.inside == 5 and summary.near == 1 and summary.total == 6
    assert summary.households == 4  # one family of three, three people alone
    assert summary.vulnerable == 2 and summary.by_vulnerability[1] == 1 and summary.by_vulnerability[8] == 1
    assert summary.by_sector == {"construction": 3, "domestic": 3}
    assert AuditEvent.objects.filter(action="crisis.population_view", actor=world.officer).exists()
    assert "(near)" in response.content.decode() or "(dekat)" in response.content.decode()


def test_exports_people_and_suppressed_counts(world: World) -> None:
    crisis = _open_crisis(world)
    CrisisArea.objects.create(crisis=crisis, name="KL", level=1, geometry=circle(*KL, 30))
    for i in range(6):
        world.make_person(KL[0], KL[1] + i * 0.001, name=f"=cmd|' /C calc'!A{i}", sector="domestic")
    world.make_person(*KL, sector="fishing")
    client = world.client(world.officer)
    url = reverse("crisis:population_export", kwargs={"public_id": crisis.public_id})
    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["public_id", "full_name", "phone"] and len(rows) == 8
    assert all(not r[1].startswith("=") for r in rows[1:])  # formulas neutralised
    assert "nik" not in rows[0] and "passport" not in " ".join(rows[0])
    hxl = list(csv.reader(io.StringIO(client.get(url, {"format": "hxl"}).content.decode())))
    assert hxl[1][:3] == ["#meta+id", "#contact+name", "#contact+phone"]
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert book.active.max_row == 8
    counts_url = reverse("crisis:counts_export", kwargs={"public_id": crisis.public_id})
    counts = list(csv.reader(io.StringIO(client.get(counts_url, {"format": "hxl"}).content.decode())))
    assert counts[1] == ["#meta+dimension", "#meta+value", "#affected"]
    sectors = {r[1]: r[2] for r in counts if r[0] == "sector"}
    assert sectors["domestic"] == "6" and sectors["fishing"] == "<5"
    vulnerabilities = {r[1] for r in counts if r[0] == "vulnerability"}
    assert vulnerabilities == {"pregnant", "disability", "chronic_illness", "elderly", "unaccompanied_child"}
    assert AuditEvent.objects.filter(action="crisis.export", details__what="people").count() == 3
    # A supervisor may see the people but not export them.
    assert world.client(world.head).get(url, {"format": "csv"}).status_code == 403


def test_a_suggested_crisis_is_declared_by_an_officer(world: World) -> None:
    crisis = Crisis.objects.create(
        title="M 6.8 - Sabah", type="earthquake", country_id="MY", status=CrisisStatus.SUGGESTED
    )
    crisis.missions.add(world.kl)
    client = world.client(world.officer)
    client.post(reverse("crisis:set_status", kwargs={"public_id": crisis.public_id}), {"status": "active"})
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.ACTIVE and crisis.declared_at is not None
    assert AuditEvent.objects.filter(action="crisis.status", details__to="active").exists()
    # A closed crisis cannot be "suggested" again.
    client.post(reverse("crisis:set_status", kwargs={"public_id": crisis.public_id}), {"status": "suggested"})
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.ACTIVE


def test_the_timeline_is_append_only_in_the_database(world: World) -> None:
    from django.db import DatabaseError, transaction

    crisis = _open_crisis(world)
    entry = TimelineEntry.objects.filter(crisis=crisis).first()
    assert entry is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        TimelineEntry.objects.filter(pk=entry.pk).update(text="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        TimelineEntry.objects.filter(pk=entry.pk).delete()


def test_the_api_lists_and_opens_crises_within_scope(world: World) -> None:
    crisis = _open_crisis(world)
    CrisisArea.objects.create(crisis=crisis, name="KL", level=1, geometry=circle(*KL, 30))
    world.make_person(*KL, vulnerabilities=2)
    officer = world.client(world.officer)
    listed = officer.get("/api/v1/crisis/crises").json()
    assert [c["title"] for c in listed] == ["Banjir Kuala Lumpur"] and listed[0]["areas"][0]["level"] == 1
    one = officer.get(f"/api/v1/crisis/crises/{crisis.public_id}").json()
    assert one["population"]["total"] == 1 and one["population"]["vulnerable"] == 1
    assert one["accounting"]["total"] == 0
    assert world.client(world.far_officer).get(f"/api/v1/crisis/crises/{crisis.public_id}").status_code == 404
    assert officer.get("/api/v1/openapi.json").status_code == 200
