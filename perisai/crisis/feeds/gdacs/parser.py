"""GDACS RSS 2.0 with the gdacs:, geo: and georss: extensions.

event_id is eventtype + eventid ("EQ1199929"); the episode id is kept as ``version``.
Severity comes from gdacs:alertlevel: Red -> extreme, Orange -> severe, Green -> minor.
The area is the gdacs:bbox ("lonmin lonmax latmin latmax") as a Polygon when it is valid and
contains the event's point, otherwise the point itself (GDACS cyclone boxes often do not hold
the storm's current position).
"""

import re
import xml.etree.ElementTree as ET
from typing import Any

from ..base import (
    BaseParser,
    child,
    child_text,
    clean_id,
    clean_text,
    clean_title,
    dedupe,
    head_text,
    item_failed,
    leading_float,
    load_xml,
    local,
    looks_like_xml,
    parse_float,
    parse_rfc822_datetime,
)
from ..classify import GDACS_LEVELS, kind_from_code
from ..countries import alpha2, country_from_name
from ..errors import FeedError
from ..events import FeedEvent, Kind, Severity
from ..geometry import bbox_polygon, check_lat, check_lon, geometry_contains

GDACS_NS = "http://www.gdacs.org"


def _gdacs(item: ET.Element, name: str) -> ET.Element | None:
    return item.find(f"{{{GDACS_NS}}}{name}")


def _gdacs_text(item: ET.Element, name: str) -> str | None:
    found = _gdacs(item, name)
    if found is None:
        return None
    return clean_text(found.text or "") or None


def _point(item: ET.Element, where: str) -> tuple[float, float] | None:
    """(lat, lon) from geo:Point, else georss:point."""
    geo = child(item, "Point")
    if geo is not None:
        lat, lon = child_text(geo, "lat"), child_text(geo, "long")
        if lat and lon:
            return (
                check_lat(parse_float(lat, f"{where} geo:lat")),
                check_lon(parse_float(lon, f"{where} geo:long")),
            )
    georss = child_text(item, "point")
    if georss:
        parts = georss.split()
        if len(parts) != 2:
            raise FeedError(f"{where} georss:point {georss[:40]!r} is not 'lat lon'")
        return (
            check_lat(parse_float(parts[0], f"{where} georss:point")),
            check_lon(parse_float(parts[1], f"{where} georss:point")),
        )
    return None


def _area(item: ET.Element, point: tuple[float, float] | None, where: str) -> dict[str, Any] | None:
    bbox = _gdacs_text(item, "bbox")
    if bbox:
        parts = bbox.split()
        if len(parts) != 4:
            raise FeedError(f"{where} gdacs:bbox {bbox[:60]!r} is not 'lonmin lonmax latmin latmax'")
        lon_min, lon_max, lat_min, lat_max = (parse_float(p, f"{where} gdacs:bbox") for p in parts)
        try:
            polygon = bbox_polygon(lon_min, lat_min, lon_max, lat_max)
        except FeedError:
            polygon = None  # a broken box is not worth losing the event for; the point remains
        if polygon is not None and (point is None or geometry_contains(polygon, point[0], point[1])):
            return polygon
    if point is not None:
        return {"type": "Point", "coordinates": [point[1], point[0]]}
    return None


def _countries(item: ET.Element) -> tuple[str, ...]:
    found: list[str] = []
    for code in re.split(r"[,;\s]+", _gdacs_text(item, "iso3") or ""):
        value = alpha2(code) if code else None
        if value:
            found.append(value)
    names = _gdacs_text(item, "country") or ""
    whole = country_from_name(names) if names else None
    if whole:
        found.append(whole)
    else:
        found.extend(c for c in (country_from_name(part) for part in names.split(",")) if c)
    return dedupe(found)


class GdacsParser(BaseParser):
    code = "gdacs"
    name = "GDACS RSS"

    def sniff(self, data: bytes) -> bool:
        head = head_text(data)
        return looks_like_xml(head) and "<rss" in head and GDACS_NS in head

    def _parse(self, data: bytes, errors: list[FeedError] | None) -> list[FeedEvent]:
        root = load_xml(data)
        if local(root.tag) != "rss":
            raise FeedError("GDACS feed: root element is not <rss>")
        channel = child(root, "channel")
        if channel is None:
            raise FeedError("GDACS feed has no <channel>")
        events: list[FeedEvent] = []
        for index, item in enumerate(e for e in channel if local(e.tag) == "item"):
            try:
                events.append(self._parse_item(item, f"GDACS item #{index + 1}"))
            except FeedError as exc:
                item_failed(exc, errors)
        return events

    def _parse_item(self, item: ET.Element, where: str) -> FeedEvent:
        event_type = _gdacs_text(item, "eventtype")
        event_id = _gdacs_text(item, "eventid")
        if not event_type or not event_id:
            missing = "gdacs:eventtype" if not event_type else "gdacs:eventid"
            raise FeedError(f"{where} is missing <{missing}>")
        published = child_text(item, "pubDate") or _gdacs_text(item, "fromdate")
        if not published:
            raise FeedError(f"{where} is missing <pubDate>")
        sent = parse_rfc822_datetime(published, f"{where} <pubDate>")
        from_date = _gdacs_text(item, "fromdate")
        onset = parse_rfc822_datetime(from_date, f"{where} <gdacs:fromdate>") if from_date else None
        to_date = _gdacs_text(item, "todate")
        expires = parse_rfc822_datetime(to_date, f"{where} <gdacs:todate>") if to_date else None
        level = (_gdacs_text(item, "alertlevel") or _gdacs_text(item, "episodealertlevel") or "").lower()
        kind = kind_from_code(event_type) or Kind.OTHER
        magnitude = None
        severity_elem = _gdacs(item, "severity")
        if kind is Kind.EARTHQUAKE and severity_elem is not None:
            if (severity_elem.get("unit") or "").strip().upper() == "M":
                magnitude = leading_float(severity_elem.get("value") or "")
            if magnitude is None:
                magnitude = leading_float(re.sub(r"^\D*", "", severity_elem.text or ""))
            if magnitude is not None and not -5.0 <= magnitude <= 12.0:
                magnitude = None
        point = _point(item, where)
        name = _gdacs_text(item, "eventname")
        title = child_text(item, "title") or f"{event_type} {name or event_id}"
        current = (_gdacs_text(item, "iscurrent") or "").lower()
        return FeedEvent(
            source=self.code,
            event_id=clean_id(f"{event_type.upper()}{event_id}", f"{where} event id"),
            kind=kind,
            title=clean_title(title),
            severity=GDACS_LEVELS.get(level, Severity.UNKNOWN),
            sent=sent,
            countries=_countries(item),
            area=_area(item, point, where),
            magnitude=magnitude,
            version=_gdacs_text(item, "episodeid"),
            authority="GDACS",
            authority_name="Global Disaster Alert and Coordination System",
            raw_kind=event_type,
            url=child_text(item, "link"),
            point=point,
            description=clean_text(item.findtext("description") or "", keep_newlines=True) or None,
            onset=onset,
            expires=expires,
            area_desc=_gdacs_text(item, "country"),
            phase={"true": "current", "false": "past"}.get(current),
        )
