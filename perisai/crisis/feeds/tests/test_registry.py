import json
import re

import pytest

from perisai.crisis.feeds import (
    DEFAULT_PARSERS,
    JSON_KEYS,
    FeedConfigError,
    FeedError,
    detect_parser,
    event_to_json,
    get_parser,
    get_parsers,
    parse_feed,
)
from perisai.crisis.feeds.cap import CapParser

from .helpers import area_of, check_events_or_feed_error, fixture, own_samples, shared, shared_samples


def test_default_parsers_and_codes() -> None:
    parsers = get_parsers()
    assert [p.code for p in parsers] == ["cap", "gdacs", "usgs", "reliefweb"]
    assert [type(p).__name__ for p in parsers] == [
        "CapParser",
        "GdacsParser",
        "UsgsParser",
        "ReliefWebParser",
    ]
    assert len(DEFAULT_PARSERS) == 4
    assert get_parser("usgs", parsers).code == "usgs"
    with pytest.raises(FeedError, match="no feed parser with code 'nope'"):
        get_parser("nope", parsers)


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        (["CapParser"], "is not a dotted path"),
        (["perisai.crisis.feeds.nothing_here.XParser"], "cannot import"),
        (["perisai.crisis.feeds.cap.MissingParser"], "has no class 'MissingParser'"),
        (["perisai.crisis.feeds.errors.FeedError"], "class name must end in 'Parser'"),
        (["perisai.crisis.feeds.base.BaseParser"], "has no 'code'"),
        (
            ["perisai.crisis.feeds.cap.CapParser", "perisai.crisis.feeds.cap.parser.CapParser"],
            "share the code 'cap'",
        ),
        ("perisai.crisis.feeds.cap.CapParser", "must be a list"),
    ],
)
def test_bad_configuration(paths: list[str] | str, message: str) -> None:
    with pytest.raises(FeedConfigError, match=re.escape(message)):
        get_parsers(paths)


def test_only_configured_parsers_are_used() -> None:
    cap_only = get_parsers(["perisai.crisis.feeds.cap.CapParser"])
    assert parse_feed(fixture("cap11_gempa.xml"), cap_only)[0].source == "cap"
    with pytest.raises(FeedError, match="not a recognised feed format"):
        parse_feed(fixture("reliefweb_list.json"), cap_only)


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        (("cap", "Oasis_AmberAlert.xml"), "cap"),
        (("cap", "australia.cap"), "cap"),
        (("gdacs", "gdacs-rss.xml"), "gdacs"),
        (("usgs", "significant_month_2023-10.geojson"), "usgs"),
        (("reliefweb", "disasters-25466.json"), "reliefweb"),
    ],
)
def test_detect_parser_on_real_samples(parts: tuple[str, str], code: str) -> None:
    assert detect_parser(shared(*parts), get_parsers()).code == code


@pytest.mark.parametrize("data", [b"hello", b"<html><body>hi</body></html>", b'{"a": 1}', b"[1, 2]"])
def test_unrecognised_payloads(data: bytes) -> None:
    with pytest.raises(FeedError, match="not a recognised feed format"):
        parse_feed(data)


def test_sniffers_do_not_claim_each_other() -> None:
    parsers = get_parsers()
    for path in [*own_samples(), *shared_samples()]:
        if path.name == "README.md":
            continue
        claims = [p.code for p in parsers if p.sniff(path.read_bytes())]
        assert len(claims) == 1, (path.name, claims)


def test_json_contract_exact_keys_on_every_sample() -> None:
    samples = [p for p in [*own_samples(), *shared_samples()] if p.name != "invalid.cap"]
    count = 0
    for path in samples:
        for event in parse_feed(path.read_bytes()):
            document = event_to_json(event)
            assert (
                tuple(document)
                == JSON_KEYS
                == (
                    "source",
                    "event_id",
                    "kind",
                    "title",
                    "severity",
                    "sent",
                    "countries",
                    "area",
                    "magnitude",
                )
            )
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", document["sent"])
            assert all(re.fullmatch(r"[A-Z]{2}", c) for c in document["countries"])
            assert document["magnitude"] is None or isinstance(document["magnitude"], float)
            assert document["area"] is None or document["area"]["type"] in {
                "Point",
                "MultiPoint",
                "Polygon",
                "MultiPolygon",
            }
            assert json.loads(json.dumps(document, allow_nan=False)) == document
            count += 1
    assert count >= 7  # the own fixtures alone give 7 events


def test_event_to_json_values() -> None:
    (event,) = parse_feed(fixture("cap11_gempa.xml"))
    document = event_to_json(event)
    assert document["sent"] == "2024-01-05T12:02:11Z"
    assert document["kind"] == "earthquake" and type(document["kind"]) is str
    assert document["severity"] == "moderate" and type(document["severity"]) is str
    assert document["countries"] == ["ID"]
    document["area"]["coordinates"].clear()  # a copy: the event is untouched
    assert area_of(event)["coordinates"]


def test_all_shared_samples_are_events_or_feed_error() -> None:
    samples = shared_samples()
    if not samples:
        pytest.skip("../shared/data is absent: no real feed samples")
    for path in samples:
        check_events_or_feed_error(path.read_bytes())


def test_parser_can_be_called_directly_with_its_own_limit() -> None:
    with pytest.raises(FeedError, match="feed larger than 100 bytes limit"):
        CapParser().parse(fixture("cap11_gempa.xml"), max_bytes=100)
