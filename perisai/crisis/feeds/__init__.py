"""Crisis feed parsers (pure Python, no Django): CAP, GDACS RSS, USGS GeoJSON, ReliefWeb.

    events = parse_feed(payload_bytes)          # detects the format, returns [FeedEvent, ...]
    event_to_json(events[0])                    # the stable JSON contract
    parse_area_upload(kml_bytes, "area.kml")    # officer-uploaded area -> GeoJSON geometry

See README.md in this folder for the mappings (kinds, severities, countries, areas).
"""

from .area import parse_area_upload
from .base import DEFAULT_MAX_BYTES, BaseParser, FeedParser
from .cli import main
from .errors import FeedConfigError, FeedError
from .events import JSON_KEYS, Circle, FeedEvent, Kind, Severity, event_to_json, format_utc
from .geometry import geometry_bbox, geometry_contains
from .registry import DEFAULT_PARSERS, detect_parser, get_parser, get_parsers, parse_feed

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_PARSERS",
    "JSON_KEYS",
    "BaseParser",
    "Circle",
    "FeedConfigError",
    "FeedError",
    "FeedEvent",
    "FeedParser",
    "Kind",
    "Severity",
    "detect_parser",
    "event_to_json",
    "format_utc",
    "geometry_bbox",
    "geometry_contains",
    "get_parser",
    "get_parsers",
    "main",
    "parse_area_upload",
    "parse_feed",
]
