import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from perisai.crisis.feeds import FeedError, Kind, Severity, parse_feed
from perisai.crisis.feeds.usgs import UsgsParser

from .helpers import shared


@pytest.fixture
def sample() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(shared("usgs", "significant_month_2023-10.geojson"))
    return document


def test_eighteen_earthquakes(sample: dict[str, Any]) -> None:
    events = parse_feed(json.dumps(sample).encode())
    assert len(events) == 18
    assert {e.kind for e in events} == {Kind.EARTHQUAKE}
    first = events[0]
    assert first.event_id == "us6000len8"
    assert first.title == "M 6.3 - western Afghanistan"
    assert first.magnitude == 6.3
    assert first.severity is Severity.EXTREME  # PAGER red
    assert first.countries == ("AF",)
    assert first.sent == datetime(2023, 10, 11, 0, 41, 56, 160000, tzinfo=UTC)
    assert first.area == {"type": "Point", "coordinates": [62.0449, 34.5565]}
    assert first.depth_km == 9
    assert first.version == "1697054252893"
    assert first.url == "https://earthquake.usgs.gov/earthquakes/eventpage/us6000len8"


def test_countries_from_place_strings(sample: dict[str, Any]) -> None:
    by_id = {e.event_id: e for e in parse_feed(json.dumps(sample).encode())}
    assert by_id["us6000lec2"].countries == ("PL", "SK")  # "Poland-Slovakia border region"
    assert by_id["nc73943821"].countries == ("US",)  # "3 km SW of Ferndale, CA" - California
    assert by_id["uw61965081"].countries == ("US",)  # "Port Townsend, WA"
    assert by_id["ak023ctna5d5"].countries == ("US",)  # "Anchorage, Alaska"
    assert by_id["us6000ldqf"].countries == ("PG",)
    assert by_id["us6000ldny"].countries == ("MX",)  # "Cuauhtémoc, Mexico"
    assert by_id["us7000kwg2"].countries == ("JP",)
    assert by_id["us6000lc8t"].countries == ("IN",)


def test_severity_mapping(sample: dict[str, Any]) -> None:
    by_id = {e.event_id: e for e in parse_feed(json.dumps(sample).encode())}
    assert by_id["us6000ldpm"].severity is Severity.SEVERE  # orange
    assert by_id["us6000ldpv"].severity is Severity.MODERATE  # yellow
    assert by_id["us6000ldqf"].severity is Severity.MINOR  # green, even at M6.9
    # no PAGER alert (M5.0): from the magnitude
    assert by_id["us6000lec2"].severity is Severity.MINOR


@pytest.mark.parametrize(
    ("magnitude", "expected"),
    [
        (7.8, Severity.EXTREME),
        (6.6, Severity.SEVERE),
        (5.6, Severity.MODERATE),
        (4.0, Severity.MINOR),
        (None, Severity.UNKNOWN),
    ],
)
def test_severity_from_magnitude_without_pager(
    sample: dict[str, Any], magnitude: float | None, expected: Severity
) -> None:
    feature = sample["features"][1]
    feature["properties"].update(alert=None, mag=magnitude)
    (event,) = UsgsParser().parse(json.dumps(feature).encode())  # a single Feature is accepted too
    assert event.severity is expected
    assert event.magnitude == magnitude


def test_deleted_event_is_a_cancel(sample: dict[str, Any]) -> None:
    feature = sample["features"][0]
    feature["properties"]["status"] = "deleted"
    (event,) = UsgsParser().parse(json.dumps(feature).encode())
    assert event.msg_type == "cancel"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("properties", "mag"), "6.3", "USGS feature #1 property 'mag' must be a number, got str"),
        (("properties", "time"), "yesterday", "property 'time' must be epoch milliseconds"),
        (("properties", "time"), 10**30, "is out of range"),
        (("properties", "place"), 5, "property 'place' must be a string"),
        (("geometry", "coordinates"), [62.0, 123.0, 9], "latitude 123.0 out of range"),
        (("geometry", "coordinates"), [62.0], "coordinates must be [lon, lat, depth]"),
        (("geometry", "type"), "Polygon", "geometry must be a Point"),
        (("id",), None, "USGS feature #1 'id' must be a string"),
        (("properties",), [], "'properties' must be an object"),
    ],
)
def test_wrong_types_are_rejected(
    sample: dict[str, Any], path: tuple[str, ...], value: object, message: str
) -> None:
    target: Any = sample["features"][0]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(FeedError, match=re.escape(message)):
        parse_feed(json.dumps(sample).encode())


def test_not_a_feature_collection() -> None:
    with pytest.raises(FeedError, match="FeatureCollection or Feature"):
        UsgsParser().parse(b'{"type": "Topology", "mag": 1, "place": "x"}')
