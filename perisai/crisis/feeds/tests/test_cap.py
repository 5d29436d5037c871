import re
from datetime import UTC, datetime

import pytest

from perisai.crisis.feeds import Circle, FeedError, FeedEvent, Kind, Severity, geometry_contains, parse_feed
from perisai.crisis.feeds.cap import CapParser
from perisai.crisis.feeds.cap.parser import geocode_country

from .helpers import area_of, fixture, shared


def parse(data: bytes) -> list[FeedEvent]:
    return CapParser().parse(data)


# ------------------------------------------------------------------------------ OASIS examples
def test_oasis_homeland_alert() -> None:
    (event,) = parse(shared("cap", "Oasis_HomelandAlert.xml"))
    assert event.source == "cap"
    assert event.event_id == "43b080713727"
    assert event.authority == "hsas@dhs.gov"
    assert event.sent == datetime(2003, 4, 2, 19, 39, 1, tzinfo=UTC)
    assert event.severity is Severity.SEVERE
    assert event.kind is Kind.OTHER  # "Security" with no hazard word
    assert event.title == "Homeland Security Sets Code ORANGE"
    assert event.area is None
    assert event.countries == ("US",)  # last resort: the sender's .gov domain
    assert (event.status, event.msg_type, event.language) == ("actual", "alert", "en-US")
    assert event.url == "http://www.dhs.gov/dhspublic/display?theme=29"


def test_oasis_thunderstorm_polygon_and_same_geocodes() -> None:
    (event,) = parse(shared("cap", "Oasis_ThunderstormWarning.xml"))
    assert event.event_id == "KSTO1055887203"
    assert event.kind is Kind.STORM
    assert event.severity is Severity.SEVERE
    assert event.sent == datetime(2003, 6, 17, 21, 57, tzinfo=UTC)
    assert event.expires == datetime(2003, 6, 17, 23, 0, tzinfo=UTC)
    assert event.countries == ("US",)
    assert area_of(event)["type"] == "Polygon"
    ring = area_of(event)["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert {tuple(p) for p in ring} == {
        (-120.14, 38.47),
        (-119.95, 38.34),
        (-119.74, 38.52),
        (-119.89, 38.62),
    }
    # [lon, lat] order: a point inside the storm polygon, and one outside
    assert geometry_contains(area_of(event), 38.48, -119.93)
    assert not geometry_contains(area_of(event), 38.48, -120.5)


def test_oasis_earthquake_update_with_zero_radius_circle() -> None:
    (event,) = parse(shared("cap", "Oasis_EarthquakeReport.xml"))
    assert event.event_id == "TRI13970876.2"
    assert event.kind is Kind.EARTHQUAKE
    assert event.magnitude == 3.4  # parameter "Magnitude" = "3.4 Ml"
    assert event.severity is Severity.MINOR
    assert event.msg_type == "update"
    assert event.references == ("TRI13970876.1",)
    assert event.circles == (Circle(lat=32.9525, lon=-115.5527, radius_km=0.0),)
    assert event.area == {"type": "Point", "coordinates": [-115.5527, 32.9525]}
    assert event.countries == ("US",)  # "Brawley, CA": CA read as the US state
    assert event.sent == datetime(2003, 6, 12, 3, 56, tzinfo=UTC)


def test_oasis_amber_alert_one_event_per_language() -> None:
    events = parse(shared("cap", "Oasis_AmberAlert.xml"))
    assert [e.language for e in events] == ["en-US", "es-US"]
    assert {e.event_id for e in events} == {"KAR0-0306112239-SW"}
    assert events[0].title == "Amber Alert in Los Angeles County"
    assert events[1].title == "Alerta Amber en el condado de Los Ángeles"
    assert [e.info_index for e in events] == [0, 1]
    assert all(e.countries == ("US",) for e in events)  # SAME geocode 006037
    assert all(e.severity is Severity.SEVERE and e.kind is Kind.OTHER for e in events)


def test_real_australian_cap_au_alert() -> None:
    events = parse(shared("cap", "australia.cap"))
    assert len(events) == 2
    first = events[0]
    assert first.event_id == "tag:www.rfs.nsw.gov.au2011-10-06:40184"
    assert first.sent == datetime(2011, 10, 5, 13, 4, tzinfo=UTC)
    assert first.language == "en-AU"
    assert first.kind is Kind.OTHER  # a structure fire, not a wildfire
    assert first.severity is Severity.MINOR
    assert first.countries == ("AU",)  # geocode AU-NSW
    assert events[1].countries == ("AU",)  # postcode geocode only: falls back to the alert's countries
    assert first.circles == (Circle(lat=-35.3888, lon=147.0598, radius_km=25.0),)
    assert area_of(first)["type"] == "Polygon"
    assert geometry_contains(area_of(first), -35.3888, 147.0598)
    assert geometry_contains(area_of(first), -35.3888 + 0.2, 147.0598)  # ~22 km north
    assert not geometry_contains(area_of(first), -35.3888 + 0.25, 147.0598)  # ~28 km north
    assert first.authority_name == "NSW Rural Fire Service"


def test_invalid_cap_missing_scope_is_rejected() -> None:
    with pytest.raises(FeedError, match=re.escape("CAP alert is missing required element <scope>")):
        parse_feed(shared("cap", "invalid.cap"))


# --------------------------------------------------------------------------- own fixtures
def test_cap_1_1_indonesian_earthquake() -> None:
    (event,) = parse_feed(fixture("cap11_gempa.xml"))
    assert event.source == "cap"
    assert event.event_id == "TEST-GEMPA-20240105-0042"
    assert event.kind is Kind.EARTHQUAKE  # "Tidak berpotensi tsunami" is not a tsunami
    assert event.magnitude == 6.2
    assert event.severity is Severity.MODERATE
    assert event.language == "id-ID"
    assert event.sent == datetime(2024, 1, 5, 12, 2, 11, tzinfo=UTC)
    assert event.countries == ("ID",)  # from the sender's .go.id domain
    assert event.circles == (Circle(lat=-3.21, lon=128.74, radius_km=100.0),)
    assert area_of(event)["type"] == "Polygon"
    assert geometry_contains(area_of(event), -3.21, 128.74 + 0.85)  # ~94 km east
    assert not geometry_contains(area_of(event), -3.21, 128.74 + 0.95)  # ~105 km east


def test_multilanguage_alert_shares_kind_and_keeps_each_language() -> None:
    arabic, english = parse_feed(fixture("cap12_multilang.xml"))
    assert (arabic.language, english.language) == ("ar", "en-US")
    assert arabic.title.startswith("تحذير")
    assert english.title == "Warning: heavy rain and flash floods over Jeddah Governorate"
    assert english.kind is Kind.FLOOD
    assert arabic.kind is Kind.FLOOD  # the Arabic words are not read; the English info names it
    assert arabic.countries == english.countries == ("SA",)  # ISO 3166-2 geocode SA-02
    assert english.msg_type == "update"
    assert english.references == ("TEST-NCM-2024-11-18-003", "TEST-NCM-2024-11-17-019")
    assert english.expires == datetime(2024, 11, 18, 15, 0, tzinfo=UTC)
    assert geometry_contains(area_of(english), 21.5, 39.2)


def test_polygon_across_the_antimeridian_is_split() -> None:
    (event,) = parse_feed(fixture("cap12_fiji_antimeridian.xml"))
    assert event.kind is Kind.CYCLONE
    assert event.status == "exercise"
    assert event.certainty == "likely"  # CAP 1.0 "Very Likely"
    assert event.severity is Severity.EXTREME
    assert event.countries == ("FJ",)
    assert area_of(event)["type"] == "MultiPolygon"
    assert len(area_of(event)["coordinates"]) == 2
    for polygon in area_of(event)["coordinates"]:
        assert all(-180 <= lon <= 180 for lon, _ in polygon[0])
    assert geometry_contains(area_of(event), -17.0, 179.5)
    assert geometry_contains(area_of(event), -17.0, -179.0)
    assert not geometry_contains(area_of(event), -17.0, 177.0)
    assert not geometry_contains(area_of(event), -17.0, -178.0)


def test_gdacs_style_cap_uses_its_parameters() -> None:
    (event,) = parse_feed(fixture("gdacs_cap_eq.xml"))
    assert event.source == "cap"
    assert event.kind is Kind.EARTHQUAKE
    assert event.magnitude == 7.4  # from "Magnitude 7.4M, Depth:34.8km"
    assert event.countries == ("TW", "JP")  # iso3 TWN, then the country names
    assert event.severity is Severity.MODERATE  # CAP's own severity is kept
    assert event.url == "https://www.gdacs.org/report.aspx?eventtype=EQ&eventid=1399999"


# ---------------------------------------------------------------------------- validation
ALERT = """<?xml version="1.0"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>ID-1</identifier><sender>s@example.org</sender><sent>2024-01-01T00:00:00+00:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>{extra}
  <info><category>Geo</category><event>Earthquake</event><urgency>Past</urgency>
    <severity>Minor</severity><certainty>Observed</certainty>{area}</info>
</alert>"""


def make(extra: str = "", area: str = "") -> bytes:
    return ALERT.format(extra=extra, area=area).encode()


def swap(old: str, new: str, area: str = "") -> bytes:
    return ALERT.format(extra="", area=area).replace(old, new).encode()


def test_minimal_alert_parses() -> None:
    (event,) = parse(make())
    assert event.event_id == "ID-1" and event.kind is Kind.EARTHQUAKE and event.countries == ()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("<identifier>ID-1</identifier>", "", "CAP alert is missing required element <identifier>"),
        ("<sender>s@example.org</sender>", "", "CAP alert is missing required element <sender>"),
        ("<sent>2024-01-01T00:00:00+00:00</sent>", "", "CAP alert is missing required element <sent>"),
        ("<status>Actual</status>", "", "CAP alert is missing required element <status>"),
        ("<msgType>Alert</msgType>", "", "CAP alert is missing required element <msgType>"),
        ("<scope>Public</scope>", "", "CAP alert is missing required element <scope>"),
        ("<category>Geo</category>", "", "CAP <info> #1 is missing required element <category>"),
        ("<event>Earthquake</event>", "", "CAP <info> #1 is missing required element <event>"),
        ("<urgency>Past</urgency>", "", "CAP <info> #1 is missing required element <urgency>"),
        ("<severity>Minor</severity>", "", "CAP <info> #1 is missing required element <severity>"),
        ("<certainty>Observed</certainty>", "", "CAP <info> #1 is missing required element <certainty>"),
        ("<identifier>ID-1</identifier>", "<identifier> </identifier>", "element <identifier> is empty"),
        ("<identifier>ID-1</identifier>", "<identifier>A B</identifier>", "must not contain spaces"),
        ("<status>Actual</status>", "<status>Real</status>", "<status> has invalid value 'Real'"),
        ("<scope>Public</scope>", "<scope>Everyone</scope>", "<scope> has invalid value"),
        ("<msgType>Alert</msgType>", "<msgType>Notice</msgType>", "<msgType> has invalid value"),
        ("<category>Geo</category>", "<category>Weather</category>", "<category> has invalid value"),
        ("<severity>Minor</severity>", "<severity>Huge</severity>", "<severity> has invalid value"),
        ("+00:00</sent>", "</sent>", "has no time zone"),
        ("2024-01-01T00:00:00+00:00", "yesterday", "is not an ISO 8601 date-time"),
        ("2024-01-01T00:00:00+00:00", "2024-02-30T00:00:00+00:00", "is not a valid date-time"),
        ("2024-01-01T00:00:00+00:00", "0001-01-01T00:00:00+05:00", "out of range"),
    ],
)
def test_cap_validation_names_the_problem(old: str, new: str, message: str) -> None:
    with pytest.raises(FeedError, match=re.escape(message)):
        parse(swap(old, new))


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("<area><polygon>1,1 2,2 1,1</polygon></area>", "missing required element <areaDesc>"),
        (
            "<area><areaDesc>x</areaDesc><polygon>1,1 2,2 1,1</polygon></area>",
            "invalid polygon: ring has fewer than 4 points",
        ),
        (
            "<area><areaDesc>x</areaDesc><polygon>1,1 1,1 1,1 1,1</polygon></area>",
            "invalid polygon: ring has fewer than 4 points",
        ),
        (
            "<area><areaDesc>x</areaDesc><polygon>1,1 2,2 3,3 1,1</polygon></area>",
            "invalid polygon: ring has no area",
        ),
        (
            "<area><areaDesc>x</areaDesc><polygon>123,1 2,2 3,1 123,1</polygon></area>",
            "latitude 123.0 out of range",
        ),
        (
            "<area><areaDesc>x</areaDesc><polygon>1,190 2,2 3,1 1,190</polygon></area>",
            "longitude 190.0 out of range",
        ),
        ("<area><areaDesc>x</areaDesc><polygon>1;1 2,2 3,1 1,1</polygon></area>", "is not a 'lat,lon' pair"),
        ("<area><areaDesc>x</areaDesc><polygon>nan,1 2,2 3,1 nan,1</polygon></area>", "is not a number"),
        ("<area><areaDesc>x</areaDesc><circle>1,1</circle></area>", "is not 'lat,lon radius_km'"),
        ("<area><areaDesc>x</areaDesc><circle>1,1 -5</circle></area>", "circle radius -5.0 km out of range"),
        ("<area><areaDesc>x</areaDesc><circle>95,1 5</circle></area>", "latitude 95.0 out of range"),
    ],
)
def test_cap_invalid_geometry_is_rejected(area: str, message: str) -> None:
    with pytest.raises(FeedError, match=re.escape(message)):
        parse(make(area=area))


def test_unclosed_polygon_is_closed_for_the_author() -> None:
    (event,) = parse(make(area="<area><areaDesc>x</areaDesc><polygon>0,0 0,2 2,2 2,0</polygon></area>"))
    ring = area_of(event)["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5


def test_several_polygons_and_circles_become_a_multipolygon() -> None:
    area = (
        "<area><areaDesc>a</areaDesc><polygon>0,0 0,2 2,2 2,0 0,0</polygon></area>"
        "<area><areaDesc>b</areaDesc><circle>10,10 50</circle><circle>20,20 0</circle></area>"
    )
    (event,) = parse(make(area=area))
    assert area_of(event)["type"] == "MultiPolygon" and len(area_of(event)["coordinates"]) == 2
    assert len(event.circles) == 2
    assert geometry_contains(area_of(event), 1, 1) and geometry_contains(area_of(event), 10.3, 10)


def test_cap_1_1_and_1_0_namespaces_are_accepted_and_unknown_refused() -> None:
    assert parse(make().replace(b"cap:1.2", b"cap:1.1"))[0].event_id == "ID-1"
    legacy = make().replace(b"urn:oasis:names:tc:emergency:cap:1.2", b"http://www.incident.com/cap/1.0")
    assert parse(legacy)[0].event_id == "ID-1"
    with pytest.raises(FeedError, match="unsupported CAP namespace"):
        parse(make().replace(b"urn:oasis:names:tc:emergency:cap:1.2", b"urn:example:not-cap"))


def test_alert_without_info_still_yields_the_envelope() -> None:
    text = make(extra="<references>s@example.org,OLD-1,2024-01-01T00:00:00Z</references>").decode()
    text = text[: text.index("<info>")] + "</alert>"
    data = text.replace("<msgType>Alert</msgType>", "<msgType>Cancel</msgType>").encode()
    (event,) = parse(data)
    assert event.msg_type == "cancel" and event.references == ("OLD-1",)
    assert event.kind is Kind.OTHER and event.severity is Severity.UNKNOWN


def test_document_with_several_alerts_and_error_collection() -> None:
    good = make().decode().split("?>", 1)[1]
    bad = good.replace("<scope>Public</scope>", "").replace("ID-1", "ID-2")
    wrapper = f"<feed>{good}{bad}</feed>".encode()
    with pytest.raises(FeedError, match="<scope>"):
        parse(wrapper)
    errors: list[FeedError] = []
    events = CapParser().parse(wrapper, errors=errors)
    assert [e.event_id for e in events] == ["ID-1"]
    assert [str(e) for e in errors] == ["CAP alert is missing required element <scope>"]


@pytest.mark.parametrize(
    ("value_name", "value", "expected"),
    [
        ("http://www.iso.org/iso/country_codes.html", "AU-NSW", "AU"),
        ("anything", "MY-10", "MY"),
        ("SAME", "006037", "US"),
        ("UGC", "CAZ017", "US"),
        ("profile:CAP-CP:Location:0.3", "4811", "CA"),
        ("EMMA_ID", "UK001", "GB"),
        ("NUTS3", "EL301", "GR"),
        ("ISO3166-1", "IDN", "ID"),
        ("postcode", "2642", None),
        ("iso", "ZZ", None),
    ],
)
def test_geocode_country(value_name: str, value: str, expected: str | None) -> None:
    assert geocode_country(value_name, value) == expected
