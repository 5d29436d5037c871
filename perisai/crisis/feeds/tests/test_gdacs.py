import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from perisai.crisis.feeds import FeedError, FeedEvent, Kind, Severity, geometry_contains, parse_feed
from perisai.crisis.feeds.gdacs import GdacsParser

from .helpers import area_of, shared


@pytest.fixture
def events() -> dict[str, FeedEvent]:
    data = shared("gdacs", "gdacs-rss.xml")
    assert data.startswith(b"\xef\xbb\xbf")  # the real capture has a UTF-8 byte order mark
    return {e.event_id: e for e in parse_feed(data)}


def test_sixteen_items_with_stable_ids(events: dict[str, FeedEvent]) -> None:
    assert len(events) == 16
    assert list(events)[:5] == ["TC1000643", "EQ1199929", "TC1000642", "EQ1199647", "TC1000641"]
    assert Counter(e.kind for e in events.values()) == {Kind.DROUGHT: 11, Kind.CYCLONE: 3, Kind.EARTHQUAKE: 2}
    assert {e.source for e in events.values()} == {"gdacs"}
    assert Counter(e.severity for e in events.values()) == {Severity.MINOR: 8, Severity.SEVERE: 8}


def test_earthquake_item(events: dict[str, FeedEvent]) -> None:
    quake = events["EQ1199929"]
    assert quake.magnitude == 5.5
    assert quake.version == "1287798"  # the episode
    assert quake.severity is Severity.MINOR  # Green
    assert quake.countries == ("ZA",)
    assert quake.sent == datetime(2019, 12, 28, 15, 36, 35, tzinfo=UTC)
    assert quake.point == (-44.5653, 37.087)
    # the bbox "lonmin lonmax latmin latmax" holds the point: it becomes the area
    assert quake.area == {
        "type": "Polygon",
        "coordinates": [
            [
                [33.087, -48.5653],
                [41.087, -48.5653],
                [41.087, -40.5653],
                [33.087, -40.5653],
                [33.087, -48.5653],
            ]
        ],
    }
    assert quake.url == "http://www.gdacs.org/report.aspx?eventtype=EQ&eventid=1199929"
    assert quake.title.startswith("Green earthquake alert (Magnitude 5.5M, Depth:10km) in South Africa")


def test_cyclone_items(events: dict[str, FeedEvent]) -> None:
    phanfone = events["TC1000641"]
    assert phanfone.severity is Severity.SEVERE  # Orange
    assert phanfone.kind is Kind.CYCLONE
    assert phanfone.magnitude is None
    assert phanfone.version == "29"
    assert phanfone.countries == ("PH",)
    assert phanfone.onset == datetime(2019, 12, 21, 18, 0, tzinfo=UTC)
    # GDACS's box does not hold the storm's position: the point is kept instead
    assert phanfone.area == {"type": "Point", "coordinates": [112.1, 14.6]}
    assert events["TC1000643"].countries == ("MU",)
    assert events["TC1000642"].area == {"type": "Point", "coordinates": [-178.8, -20.5]}


def test_multi_country_droughts(events: dict[str, FeedEvent]) -> None:
    assert events["DR1013682"].countries == ("BG", "IQ", "IR", "TR")
    assert events["DR1013280"].countries == (
        "BA",
        "BG",
        "BY",
        "HR",
        "MD",
        "ME",
        "PL",
        "RO",
        "RS",
        "RU",
        "UA",
    )  # "Bosnia & Herzegovina", "Russia"
    assert events["DR1012806"].countries == ("CN", "IN", "LA", "MM", "TH", "VN")
    assert events["DR1012806"].phase == "past"  # gdacs:iscurrent false
    assert events["EQ1199647"].countries == ("VU",)  # "Southeast Of Loyalty Islands": iso3 only
    assert geometry_contains(area_of(events["DR1013588"]), -31.67, 117.197)


ITEM = """<item><title>t</title><pubDate>Sun, 29 Dec 2019 12:00:00 GMT</pubDate>
<gdacs:eventtype>EQ</gdacs:eventtype><gdacs:eventid>{id}</gdacs:eventid>{extra}</item>"""


def feed(*items: str) -> bytes:
    return (
        '<rss version="2.0" xmlns:gdacs="http://www.gdacs.org" xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#">'
        f"<channel>{''.join(items)}</channel></rss>"
    ).encode()


def test_bad_item_rejects_the_feed_unless_errors_are_collected() -> None:
    data = feed(ITEM.format(id="1", extra=""), ITEM.format(id="", extra=""))
    with pytest.raises(FeedError, match=re.escape("GDACS item #2 is missing <gdacs:eventid>")):
        parse_feed(data)
    errors: list[FeedError] = []
    assert [e.event_id for e in parse_feed(data, errors=errors)] == ["EQ1"]
    assert len(errors) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "<geo:Point><geo:lat>123</geo:lat><geo:long>1</geo:long></geo:Point>",
            "latitude 123.0 out of range",
        ),
        ("<geo:Point><geo:lat>x</geo:lat><geo:long>1</geo:long></geo:Point>", "is not a number"),
        ("<gdacs:bbox>1 2 3</gdacs:bbox>", "is not 'lonmin lonmax latmin latmax'"),
        ("<gdacs:fromdate>someday</gdacs:fromdate>", "is not an RFC 822 date"),
    ],
)
def test_bad_item_values(extra: str, message: str) -> None:
    with pytest.raises(FeedError, match=re.escape(message)):
        GdacsParser().parse(feed(ITEM.format(id="7", extra=extra)))


def test_red_alert_and_unknown_level() -> None:
    red = ITEM.format(id="8", extra="<gdacs:alertlevel>Red</gdacs:alertlevel>")
    plain = ITEM.format(id="9", extra="")
    first, second = parse_feed(feed(red, plain))
    assert first.severity is Severity.EXTREME
    assert second.severity is Severity.UNKNOWN
    assert second.area is None
