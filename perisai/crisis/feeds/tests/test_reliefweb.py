import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from perisai.crisis.feeds import FeedError, Kind, Severity, parse_feed
from perisai.crisis.feeds.reliefweb import ReliefWebParser

from .helpers import fixture, shared


def test_single_disaster_response() -> None:
    (event,) = parse_feed(shared("reliefweb", "disasters-25466.json"))
    assert event.source == "reliefweb"
    assert event.event_id == "25466"
    assert event.kind is Kind.FLOOD
    assert event.title == "Burkina Faso: Floods - Aug 2015"
    assert event.severity is Severity.UNKNOWN
    assert event.countries == ("BF",)
    assert event.sent == datetime(2015, 8, 7, tzinfo=UTC)
    assert event.version == "2015-12-08T22:02:56+00:00"
    assert event.phase == "past"
    assert event.area is None
    assert event.point == (12.28, -1.57)
    assert event.url == "https://reliefweb.int/disaster/fl-2015-000106-bfa"
    assert event.raw_kind == "FL"
    assert (event.description or "").startswith("On the first week of August 2015")


def test_list_response() -> None:
    quake, sudan = parse_feed(fixture("reliefweb_list.json"))
    assert (quake.event_id, quake.kind, quake.countries, quake.phase) == (
        "999001",
        Kind.EARTHQUAKE,
        ("ID",),
        "alert",
    )
    assert sudan.kind is Kind.ARMED_CONFLICT  # complex emergency
    assert sudan.countries == ("SD", "TD")  # "xkx" is not an ISO code and is left out
    assert sudan.sent == datetime(2023, 4, 15, tzinfo=UTC)  # no event date: the creation date
    assert sudan.version is None


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["data"][0].pop("fields"), "has no 'fields'"),
        (lambda d: d["data"][0]["fields"].pop("name"), "has no 'name'"),
        (lambda d: d["data"][0]["fields"].pop("date"), "has no 'date.event' or 'date.created'"),
        (lambda d: d["data"][0]["fields"]["date"].update(event="2015-13-01"), "is not an ISO 8601 date-time"),
        (
            lambda d: d["data"][0]["fields"].update(country="Burkina Faso"),
            "'country' must be a list, got str",
        ),
        (lambda d: d["data"][0]["fields"].update(id=[1]), "'id' must be a number or a string"),
        (lambda d: d.update(data={}), "ReliefWeb 'data' must be a list, got dict"),
        (lambda d: d.pop("data"), "ReliefWeb response has no 'data' list"),
    ],
)
def test_malformed_responses(mutate: Callable[[dict[str, Any]], object], message: str) -> None:
    document = json.loads(shared("reliefweb", "disasters-25466.json"))
    mutate(document)
    with pytest.raises(FeedError, match=re.escape(message)):
        ReliefWebParser().parse(json.dumps(document).encode())
