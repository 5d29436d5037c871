"""Done when: in headless Chromium, an officer draws an area on the area-add page's offline map (four clicks,
"Close the polygon"), previews it and saves it; the saved area is a Polygon at the clicked places and the
people inside are counted. Without JavaScript the drawing tool stays hidden (the form works as before)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from perisai.conftest import login
from perisai.core.models import User
from perisai.core.roles import Role
from perisai.crisis.models import Crisis, CrisisStatus
from perisai.crisis.tests.test_browser import _sign_in
from perisai.places.geometry import contains
from perisai.places.models import Country, Mission, MissionJurisdiction
from perisai.registry.models import Consent, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TO_SCREEN = """([x, y]) => {
  const svg = document.querySelector('#draw svg');
  const p = svg.createSVGPoint(); p.x = x; p.y = y;
  const q = p.matrixTransform(svg.getScreenCTM());
  return [q.x, q.y];
}"""
TO_VIEWBOX = TO_SCREEN.replace("svg.getScreenCTM()", "svg.getScreenCTM().inverse()")


def test_draw_an_area_on_the_map(live_server: Any, desktop_page: Any, make_user: Callable[..., User]) -> None:
    Country.objects.create(iso2="MY", iso3="MYS", name="Malaysia")
    kl = Mission.objects.create(
        code="kbri-kuala-lumpur", type="embassy", abbr="KBRI", name="KBRI Kuala Lumpur", city="Kuala Lumpur",
        country_id="MY", lat=3.139, lon=101.687,
    )  # fmt: skip
    MissionJurisdiction.objects.create(mission=kl, country_id="MY")
    places = [(3.14, 101.69), (3.15, 101.70), (3.12, 101.68), (1.49, 103.74)]  # three in Kuala Lumpur
    for i, (lat, lon) in enumerate(places):
        person = Person.objects.create(
            full_name=f"Pekerja {i}", name_key=f"pekerja {i}", country_id="MY", mission=kl, lat=lat, lon=lon,
            phone=f"+6012345000{i}", preferred_channel="sms",
        )  # fmt: skip
        Consent.objects.create(person=person, purpose="crisis_contact", granted=True)
    crisis = Crisis.objects.create(
        title="Banjir Kuala Lumpur", type="flood", country_id="MY", status=CrisisStatus.ACTIVE
    )
    crisis.missions.add(kl)
    officer = make_user(Role.MISSION_OFFICER, username="petugas", missions=[kl])
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    url = f"/crisis/{crisis.public_id}/areas/new/"

    # Without JavaScript: the tool is in the page but hidden, the rest of the form unchanged.
    html = login(Client(), officer).get(url).content.decode()
    assert 'id="draw" hidden' in html and "crisis/draw.js" in html and 'name="geojson"' in html

    page = desktop_page
    base = live_server.url
    _sign_in(page, base, officer)
    page.goto(base + url)
    canvas = page.locator("#draw svg")
    canvas.scroll_into_view_if_needed()
    assert canvas.is_visible()
    frame = {k: float(canvas.get_attribute(f"data-{k}")) for k in ("lon0", "lat0", "kx", "scale", "height")}
    per_px = 640 / canvas.bounding_box()["width"]  # viewBox units per screen pixel

    def lonlat(x: float, y: float) -> tuple[float, float]:
        return (
            frame["lon0"] + x / (frame["kx"] * frame["scale"]),
            frame["lat0"] + (frame["height"] - y) / frame["scale"],
        )

    clicked = []
    for lat, lon in [(3.05, 101.60), (3.05, 101.80), (3.22, 101.80), (3.22, 101.60)]:
        x = (lon - frame["lon0"]) * frame["kx"] * frame["scale"]
        y = frame["height"] - (lat - frame["lat0"]) * frame["scale"]
        sx, sy = page.evaluate(TO_SCREEN, [x, y])
        page.mouse.click(sx, sy)
        clicked.append(lonlat(*page.evaluate(TO_VIEWBOX, [sx, sy])))
    assert page.locator("#draw circle[r='4']").count() == 4  # the corners placed
    page.locator("#draw [data-act=close]").click()
    drawn = json.loads(page.locator("#id_geojson").input_value())
    assert drawn["type"] == "Polygon" and drawn["coordinates"][0][0] == drawn["coordinates"][0][-1]
    assert page.locator("input[name=method][value=geojson]").is_checked()

    page.locator("#id_name").fill("Kuala Lumpur")
    page.locator("#id_level").select_option("1")
    page.locator("button[name=preview]").click()
    page.wait_for_load_state()
    assert "3 WNI terdaftar" in page.locator("section.card:not(#draw)").inner_text()
    page.locator("button[name=save]").click()
    page.wait_for_url(f"**/crisis/{crisis.public_id}/")

    area = crisis.areas.get()
    assert area.geometry["type"] == "Polygon" and area.level == 1 and area.source == "drawn"
    ring = area.geometry["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    tolerance = 2 * per_px / frame["scale"]  # two screen pixels, in degrees of latitude
    for (lon, lat), (want_lon, want_lat) in zip(ring[:4], clicked, strict=True):
        assert abs(lat - want_lat) < tolerance and abs(lon - want_lon) * frame["kx"] < tolerance
    assert [contains(area.geometry, lat, lon) for lat, lon in places] == [True, True, True, False]
