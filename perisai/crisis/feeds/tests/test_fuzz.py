"""Any bytes in: a list of FeedEvents or a FeedError out, never another exception."""

import json
import os
import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perisai.crisis.feeds import FeedError, parse_area_upload

from .helpers import FIXTURES, check_events_or_feed_error, own_samples, shared_samples

SAMPLES: dict[str, bytes] = {
    p.name: p.read_bytes() for p in [*own_samples(), *shared_samples()] if p.suffix != ".md"
}
XML_SAMPLES = {k: v for k, v in SAMPLES.items() if v.lstrip(b"\xef\xbb\xbf \n").startswith(b"<")}
JSON_SAMPLES = {k: v for k, v in SAMPLES.items() if k not in XML_SAMPLES}
AREA_SAMPLES = {p.name: p.read_bytes() for p in FIXTURES.iterdir() if p.suffix in {".kml", ".geojson"}}

#: FEEDS_FUZZ_EXAMPLES=5000 for a longer hunt; the default keeps the suite fast
FUZZ = settings(
    max_examples=int(os.environ.get("FEEDS_FUZZ_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

PREFIXES = [
    b"",
    b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
    b'<rss xmlns:gdacs="http://www.gdacs.org"><channel><item>',
    b'{"type": "FeatureCollection", "metadata": {"url": "https://earthquake.usgs.gov"}, "features": ',
    b'{"href": "https://api.reliefweb.int/v1/disasters", "data": ',
]

NASTY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "x",
        "-1",
        "0",
        "1e999",
        "nan",
        "-inf",
        "1_0",
        "91,181",
        "0,0 0,0 0,0 0,0",
        "45,10 45,10 45,10",
        "-90,-180 90,180 0,0 -90,-180",
        "1,1 1,2 2,2 2,1 1,1",
        "10,10 99999",
        "10,10 0",
        "10,10 -1",
        "2024-13-45T00:00:00Z",
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+14:00",
        "2024-01-01T00:00:00",
        "Mon, 99 Foo 2019 99:99:99 GMT",
        "Sun, 29 Dec 2019 12:00:00 +9999",
        "Red",
        "ORANGE",
        "Extreme",
        "Very Likely",
        "Cancel",
        "Restricted",
        "a b,c",
        "\u202e\u0000",
        "1 2 3 4",
        "180 -180 90 -90",
        "EQ",
    ]
) | st.text(max_size=40)

JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["2024-01-01T00:00:00+00:00", "xkx", "idn", "Point", "EQ", "2015-13-01", "red"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=512))
def test_random_bytes(prefix: bytes, body: bytes) -> None:
    check_events_or_feed_error(prefix + body)


@FUZZ
@given(
    name=st.sampled_from(sorted(SAMPLES)),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1), st.sampled_from(["flip", "delete", "insert", "truncate"]), st.binary(max_size=8)
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_samples_bytes(name: str, edits: list[tuple[float, str, bytes]]) -> None:
    data = bytearray(SAMPLES[name])
    for where, action, payload in edits:
        index = int(where * (len(data) - 1))
        if action == "flip":
            data[index] ^= 0xFF
        elif action == "delete":
            del data[index : index + 1 + len(payload)]
        elif action == "insert":
            data[index:index] = payload
        else:
            del data[index:]
        if not data:
            break
    check_events_or_feed_error(bytes(data))


@FUZZ
@given(
    name=st.sampled_from(sorted(XML_SAMPLES)),
    index=st.integers(0, 10_000),
    action=st.sampled_from(["text", "remove", "duplicate", "attribute"]),
    value=NASTY_TEXT,
)
def test_mutated_xml_structure(name: str, index: int, action: str, value: str) -> None:
    root = ET.fromstring(XML_SAMPLES[name])  # noqa: S314 - our own sample files
    elements = list(root.iter())
    target = elements[index % len(elements)]
    parents = {c: p for p in elements for c in p}
    if action == "text":
        target.text = value
    elif action == "remove" and target in parents:
        parents[target].remove(target)
    elif action == "duplicate" and target in parents:
        parents[target].append(target)
    else:
        target.set("value", value)
        target.set("unit", value[:2])
    check_events_or_feed_error(ET.tostring(root, encoding="utf-8"))


def _paths(node: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for position, value in enumerate(node[:3]):
            found.extend(_paths(value, (*prefix, position)))
    return found


@FUZZ
@given(name=st.sampled_from(sorted(JSON_SAMPLES)), index=st.integers(0, 10_000), value=JSON_VALUES)
def test_mutated_json_structure(name: str, index: int, value: Any) -> None:
    document = json.loads(JSON_SAMPLES[name])
    paths = _paths(document)
    path = paths[index % len(paths)]
    if not path:
        document = value
    else:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    check_events_or_feed_error(json.dumps(document).encode())


@FUZZ
@given(
    name=st.sampled_from(sorted(AREA_SAMPLES)),
    where=st.floats(0, 1),
    payload=st.binary(max_size=6) | st.sampled_from([b"-", b",", b" ", b"999", b"]", b"<", b"e9"]),
    filename=st.sampled_from(["a.kml", "a.geojson", "a.kmz", "a"]),
)
def test_mutated_area_uploads(name: str, where: float, payload: bytes, filename: str) -> None:
    data = bytearray(AREA_SAMPLES[name])
    index = int(where * (len(data) - 1))
    data[index : index + len(payload)] = payload
    try:
        geometry = parse_area_upload(bytes(data), filename)
    except FeedError:
        return
    assert geometry["type"] in {"Polygon", "MultiPolygon"}
    json.dumps(geometry, allow_nan=False)
