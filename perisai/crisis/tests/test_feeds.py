"""Feeds: polled as a periodic task, de-duplicated, updates and cancellations applied, events that expose
registered people suggested (never declared) to the missions concerned; hostile feeds rejected while the
others keep working."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from perisai.conftest import shared_data
from perisai.crisis.feeds import parse_feed
from perisai.crisis.ingest import ingest_events, poll_feed
from perisai.crisis.models import Crisis, CrisisStatus, FeedEventRecord, FeedState, TimelineEntry
from perisai.crisis.tasks import poll_feeds
from perisai.places.models import Country, Mission, MissionJurisdiction

from .conftest import KL, World

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _events(name: str) -> list[Any]:
    return parse_feed((FIXTURES / name).read_bytes())


def test_a_cap_thread_suggests_updates_and_is_cancelled(world: World) -> None:
    world.make_person(*KL, vulnerabilities=4)
    world.make_person(3.15, 101.70)
    world.make_person(3.25, 101.45)  # only inside the updated, larger area
    first = ingest_events(_events("cap_flood_alert.xml"))
    assert first.new == 1 and len(first.suggested) == 1
    crisis = first.suggested[0]
    assert crisis.status == CrisisStatus.SUGGESTED  # never declared automatically
    assert crisis.country_id == "MY" and crisis.type == "flood"
    assert crisis.suggested_count == 2 and crisis.suggested_vulnerable == 1
    assert list(crisis.missions.all()) == [world.kl]
    # The same feed again: nothing new.
    again = ingest_events(_events("cap_flood_alert.xml"))
    assert again.new == 0 and again.unchanged == 1 and Crisis.objects.count() == 1
    # The update references the first message: same suggestion, new area and counts.
    update = ingest_events(_events("cap_flood_update.xml"))
    assert update.new == 1 and Crisis.objects.count() == 1
    crisis.refresh_from_db()
    assert crisis.suggested_count == 3
    assert crisis.areas.get().geometry["coordinates"][0][0] == [101.4, 2.9]
    # The cancellation dismisses the suggestion (on the timeline).
    ingest_events(_events("cap_flood_cancel.xml"))
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.DISMISSED
    assert TimelineEntry.objects.filter(crisis=crisis, kind="feed_update", details__cancelled=True).exists()


def test_a_declared_crisis_only_gets_a_timeline_note_from_feed_updates(world: World) -> None:
    world.make_person(*KL)
    crisis = ingest_events(_events("cap_flood_alert.xml")).suggested[0]
    Crisis.objects.filter(pk=crisis.pk).update(status=CrisisStatus.ACTIVE)
    before = crisis.areas.get().geometry
    world.make_person(3.25, 101.45)
    ingest_events(_events("cap_flood_update.xml"))
    ingest_events(_events("cap_flood_cancel.xml"))
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.ACTIVE and crisis.areas.get().geometry == before
    assert TimelineEntry.objects.filter(crisis=crisis, kind="feed_update").count() == 2


def test_usgs_points_get_an_exposure_radius_and_suggest_per_country(world: World) -> None:
    Country.objects.create(iso2="AF", iso3="AFG", name="Afghanistan")
    herat = Mission.objects.create(
        code="kbri-kabul", type="embassy", abbr="KBRI", name="KBRI Kabul", city="Kabul", country_id="AF",
        lat=34.5, lon=69.2,
    )  # fmt: skip
    MissionJurisdiction.objects.create(mission=herat, country_id="AF")
    world.make_person(34.34, 62.2, country="AF", mission=herat)  # Herat, ~30 km from the epicentre
    result = ingest_events(
        parse_feed(shared_data("feeds", "usgs", "significant_month_2023-10.geojson").read_bytes())
    )
    assert result.new == 18
    # The Herat sequence (five significant shocks) is one suggestion, not five.
    suggested = {c.pk for c in result.suggested if c.country_id == "AF"}
    assert len(suggested) == 1
    crisis = Crisis.objects.get(pk=suggested.pop())
    assert crisis.suggested_count == 1 and crisis.title == "M 6.3 - western Afghanistan"
    assert TimelineEntry.objects.filter(crisis=crisis, kind="feed_update").count() == 4
    record = FeedEventRecord.objects.get(event_id="us6000len8")
    assert (
        record.area is not None and record.area["type"] == "Circle" and record.area["radius_km"] == 100.0
    )  # M 6.3
    assert Crisis.objects.filter(status=CrisisStatus.SUGGESTED).count() == 1  # nobody else exposed


def test_suggestions_are_shown_only_to_the_missions_concerned(world: World) -> None:
    world.make_person(*KL)
    crisis = ingest_events(_events("cap_flood_alert.xml")).suggested[0]
    page = world.client(world.officer).get(reverse("crisis:index")).content.decode()
    assert crisis.title in page
    assert crisis.title not in world.client(world.far_officer).get(reverse("crisis:index")).content.decode()


HOSTILE_XML = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&lol3;</alert>'
)
BAD_GEOMETRY = (
    (FIXTURES / "cap_flood_alert.xml").read_bytes().replace(b"3.10,101.65 3.10", b"95.10,101.65 3.10")
)


def test_hostile_feeds_are_rejected_and_the_others_keep_working(world: World, tmp_path: Path) -> None:
    world.make_person(*KL)
    (tmp_path / "bomb.xml").write_bytes(HOSTILE_XML)
    (tmp_path / "bad_geometry.xml").write_bytes(BAD_GEOMETRY)
    (tmp_path / "huge.xml").write_bytes(b"<alert>" + b" " * 300_000 + b"</alert>")
    (tmp_path / "good.xml").write_bytes((FIXTURES / "cap_flood_alert.xml").read_bytes())
    feeds = [
        {"name": "bomb", "parser": "cap", "url": f"file://{tmp_path / 'bomb.xml'}"},
        {"name": "geometry", "parser": "cap", "url": f"file://{tmp_path / 'bad_geometry.xml'}"},
        {"name": "huge", "parser": "cap", "url": f"file://{tmp_path / 'huge.xml'}", "max_bytes": 200_000},
        {"name": "unknown parser", "parser": "nope", "url": f"file://{tmp_path / 'good.xml'}"},
        {"name": "missing", "parser": "cap", "url": f"file://{tmp_path / 'missing.xml'}"},
        {"name": "good", "parser": "cap", "url": f"file://{tmp_path / 'good.xml'}"},
    ]
    with override_settings(PERISAI_FEEDS=feeds):
        summary = poll_feeds.call()
    assert summary["feeds"] == 6 and summary["new"] == 1 and summary["suggested"] == 1
    states = {s.name: s for s in FeedState.objects.all()}
    assert "entity" in states["bomb"].last_error
    assert "latitude" in states["geometry"].last_error
    assert "larger than" in states["huge"].last_error
    assert "no feed parser" in states["unknown parser"].last_error
    assert "not found" in states["missing"].last_error
    assert states["good"].last_error == "" and states["good"].last_ok_at is not None
    assert states["bomb"].consecutive_failures == 1
    page = world.client(world.officer).get(reverse("crisis:feeds")).content.decode()
    assert "entity" in page


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/good":
            body = (FIXTURES / "cap_flood_alert.xml").read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/endless":  # no Content-Length: 100 MB would follow
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(100 * 16):
                    self.wfile.write(b" " * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path == "/slow":
            time.sleep(3)
            self.send_response(200)
            self.end_headers()


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_over_http_a_size_cap_and_a_timeout(world: World, feed_server: str) -> None:
    world.make_person(*KL)
    started = time.monotonic()
    endless = poll_feed(
        {"name": "endless", "parser": "cap", "url": feed_server + "/endless", "max_bytes": 1_000_000}
    )
    slow = poll_feed({"name": "slow", "parser": "cap", "url": feed_server + "/slow", "timeout": 0.5})
    good = poll_feed({"name": "good", "parser": "cap", "url": feed_server + "/good"})
    assert time.monotonic() - started < 10
    assert endless.errors and "larger than" in endless.errors[0]
    assert slow.errors and "in time" in slow.errors[0]
    assert good.new == 1 and len(good.suggested) == 1
