"""CAP parser: one FeedEvent per <info> block.

Validation follows the OASIS CAP 1.2 / 1.1 schema for the elements the platform relies on:
required <identifier>, <sender>, <sent> (with a time zone), <status>, <msgType>, <scope>, and
in each <info> at least one <category> plus <event>, <urgency>, <severity>, <certainty>, all with
the values the standard allows (compared case-insensitively; the 1.0 value "Very Likely" is
accepted). <area> needs <areaDesc>; polygons must be closed rings of at least four "lat,lon"
pairs (an unclosed ring is closed for the author); circles are "lat,lon radius_km".

A payload may be one <alert> or any XML document holding several CAP <alert> elements.
"""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pycountry

from ..base import (
    BaseParser,
    child,
    child_text,
    children,
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
    namespace,
    parse_float,
    parse_iso_datetime,
)
from ..classify import CAP_CATEGORY_KINDS, kind_from_code, kind_from_text
from ..countries import alpha2, countries_from_place, country_from_name
from ..errors import FeedError
from ..events import Circle, FeedEvent, Kind, Severity
from ..geometry import (
    Position,
    Ring,
    check_lat,
    check_lon,
    check_radius,
    circle_rings,
    polygons_to_geometry,
    split_antimeridian,
)

CAP_NAMESPACES: dict[str, str] = {
    "urn:oasis:names:tc:emergency:cap:1.2": "1.2",
    "urn:oasis:names:tc:emergency:cap:1.1": "1.1",
    "http://www.incident.com/cap/1.0": "1.0",
}
STATUSES = frozenset({"actual", "exercise", "system", "test", "draft"})
MSG_TYPES = frozenset({"alert", "update", "cancel", "ack", "error"})
SCOPES = frozenset({"public", "restricted", "private"})
CATEGORIES = frozenset(
    {
        "geo",
        "met",
        "safety",
        "security",
        "rescue",
        "fire",
        "health",
        "env",
        "transport",
        "infra",
        "cbrne",
        "other",
    }
)
URGENCIES = frozenset({"immediate", "expected", "future", "past", "unknown"})
SEVERITIES = frozenset({"extreme", "severe", "moderate", "minor", "unknown"})
CERTAINTIES = frozenset({"observed", "likely", "possible", "unlikely", "unknown", "very likely"})

_CAP_ROOT = re.compile(r"<(?:[\w.-]+:)?alert[\s>/]")
_MAGNITUDE_IN_TEXT = re.compile(r"magnitude\s*[=:]?\s*([0-9]+(?:\.[0-9]+)?)", re.IGNORECASE)
#: top-level domains that are not countries in practice (besides the generic ones)
_VANITY_TLDS = frozenset({"io", "co", "tv", "me", "ai", "ly", "fm", "ws", "cc", "to", "am", "gg", "la", "so"})
_EU_PREFIXES = {"EL": "GR", "UK": "GB"}
_SUBDIVISIONS: Any = pycountry.subdivisions


def _required(elem: ET.Element, name: str, where: str) -> str:
    found = child(elem, name)
    if found is None:
        raise FeedError(f"{where} is missing required element <{name}>")
    text = clean_text(found.text or "")
    if not text:
        raise FeedError(f"{where} element <{name}> is empty")
    return text


def _enum(value: str, allowed: frozenset[str], name: str, where: str) -> str:
    normalised = clean_text(value).lower()
    if normalised not in allowed:
        raise FeedError(f"{where} <{name}> has invalid value {value[:40]!r}")
    return normalised


def _optional_datetime(elem: ET.Element, name: str, where: str) -> datetime | None:
    text = child_text(elem, name)
    return parse_iso_datetime(text, f"{where} <{name}>") if text else None


def _pairs(elem: ET.Element) -> list[tuple[str, str]]:
    """<parameter>/<eventCode>/<geocode> children as (valueName, value)."""
    return [(child_text(elem, "valueName") or "", child_text(elem, "value") or "")]


def _positions(text: str, what: str) -> list[Position]:
    points: list[Position] = []
    for token in text.split():
        parts = token.split(",")
        if len(parts) != 2:
            raise FeedError(f"invalid {what}: {token[:40]!r} is not a 'lat,lon' pair")
        lat = check_lat(parse_float(parts[0], f"invalid {what} latitude"))
        lon = check_lon(parse_float(parts[1], f"invalid {what} longitude"))
        points.append((lon, lat))
    return points


def parse_cap_polygon(text: str) -> list[Ring]:
    """A CAP <polygon> ("lat,lon lat,lon ...") -> oriented [lon, lat] ring(s)."""
    points = _positions(text, "polygon")
    if len(points) < 4:
        raise FeedError("invalid polygon: ring has fewer than 4 points")
    return split_antimeridian(points)


def parse_cap_circle(text: str) -> Circle:
    """A CAP <circle> ("lat,lon radius_km")."""
    tokens = text.split()
    if len(tokens) != 2:
        raise FeedError(f"invalid circle: {text[:60]!r} is not 'lat,lon radius_km'")
    ((lon, lat),) = _positions(tokens[0], "circle")
    radius = check_radius(parse_float(tokens[1], "invalid circle radius"))
    return Circle(lat=lat, lon=lon, radius_km=radius)


def geocode_country(value_name: str, value: str) -> str | None:
    """Country of a CAP <geocode> (ISO 3166-2, SAME/FIPS/UGC, CAP-CP, EMMA_ID, NUTS, ISO 3166-1)."""
    name = value_name.strip().lower()
    code = value.strip().upper()
    if not code:
        return None
    subdivision = re.fullmatch(r"([A-Z]{2})-[A-Z0-9]{1,3}", code)
    if subdivision and _SUBDIVISIONS.get(code=code) is not None:
        return subdivision.group(1)
    if name in {"same", "fips6", "fips", "ugc", "nws_ugc"}:
        return "US"
    if name.startswith("profile:cap-cp"):
        return "CA"
    if "emma" in name or "nuts" in name:
        prefix = code[:2]
        return alpha2(_EU_PREFIXES.get(prefix, prefix))
    if "iso" in name or "country" in name:
        if len(code) in {2, 3}:
            return alpha2(code)
        if "-" in code:
            return alpha2(code.split("-", 1)[0])
    return None


def _sender_country(sender: str) -> str | None:
    """Last resort: the country-code domain of the sender ("bmkg@bmkg.go.id" -> ID)."""
    domain = sender.rsplit("@", 1)[-1].strip().lower().rstrip(".")
    if "." not in domain:
        return None
    tld = domain.rsplit(".", 1)[-1]
    if tld in {"gov", "mil", "edu"}:
        return "US"
    if len(tld) != 2 or tld in _VANITY_TLDS:
        return None
    return alpha2("GB" if tld == "uk" else tld)


@dataclass
class _Area:
    desc: str
    rings: list[Ring] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    geocodes: list[tuple[str, str]] = field(default_factory=list)


def _parse_area(elem: ET.Element, where: str) -> _Area:
    area = _Area(desc=_required(elem, "areaDesc", where))
    for polygon in children(elem, "polygon"):
        area.rings.extend(parse_cap_polygon(polygon.text or ""))
    for circle in children(elem, "circle"):
        area.circles.append(parse_cap_circle(circle.text or ""))
    for geocode in children(elem, "geocode"):
        area.geocodes.extend(_pairs(geocode))
    return area


def _area_geometry(areas: list[_Area]) -> dict[str, Any] | None:
    rings = [ring for area in areas for ring in area.rings]
    points: list[list[float]] = []
    for area in areas:
        for circle in area.circles:
            if circle.radius_km > 0:
                rings.extend(circle_rings(circle.lat, circle.lon, circle.radius_km))
            else:
                points.append([circle.lon, circle.lat])
    if rings:
        return polygons_to_geometry([[ring] for ring in rings])
    if len(points) == 1:
        return {"type": "Point", "coordinates": points[0]}
    if points:
        return {"type": "MultiPoint", "coordinates": points}
    return None


def _magnitude(parameters: list[tuple[str, str]]) -> float | None:
    for name, value in parameters:
        key = name.strip().lower()
        number: float | None = None
        if key in {"magnitude", "mag", "eqmagnitude", "earthquake magnitude"}:
            number = leading_float(value)
        elif key in {"hazardcomponents", "severity"}:
            match = _MAGNITUDE_IN_TEXT.search(value)
            number = float(match.group(1)) if match else None
        if number is not None and -5.0 <= number <= 12.0:
            return number
    return None


def _parameter(parameters: list[tuple[str, str]], *names: str) -> str | None:
    wanted = {n.lower() for n in names}
    for name, value in parameters:
        if name.strip().lower() in wanted and value.strip():
            return value.strip()
    return None


def _info_countries(areas: list[_Area], parameters: list[tuple[str, str]]) -> list[str]:
    found: list[str] = []
    for area in areas:
        for value_name, value in area.geocodes:
            code = geocode_country(value_name, value)
            if code:
                found.append(code)
    iso3 = _parameter(parameters, "iso3", "iso", "country_iso3")
    if iso3:
        found.extend(c for c in (alpha2(part) for part in re.split(r"[,;\s]+", iso3)) if c)
    names = _parameter(parameters, "country", "countries")
    if names:
        found.extend(c for c in (country_from_name(part) for part in names.split(",")) if c)
    for area in areas:
        for piece in area.desc.split(";"):
            found.extend(countries_from_place(piece))
    return found


class CapParser(BaseParser):
    code = "cap"
    name = "Common Alerting Protocol (CAP 1.1/1.2)"

    def sniff(self, data: bytes) -> bool:
        head = head_text(data)
        if not looks_like_xml(head) or not _CAP_ROOT.search(head):
            return False
        if any(ns in head for ns in CAP_NAMESPACES):
            return True
        return bool(re.search(r"<alert[\s>]", head)) and "<identifier>" in head

    def _parse(self, data: bytes, errors: list[FeedError] | None) -> list[FeedEvent]:
        root = load_xml(data)
        if local(root.tag) == "alert":
            ns = namespace(root.tag)
            if ns and ns not in CAP_NAMESPACES:
                raise FeedError(f"unsupported CAP namespace {ns[:80]!r}")
            return self._parse_alert(root)
        alerts = [e for e in root.iter() if local(e.tag) == "alert" and namespace(e.tag) in CAP_NAMESPACES]
        if not alerts:
            raise FeedError("no CAP <alert> element found")
        events: list[FeedEvent] = []
        for alert in alerts:
            try:
                events.extend(self._parse_alert(alert))
            except FeedError as exc:
                item_failed(exc, errors)
        return events

    def _parse_alert(self, alert: ET.Element) -> list[FeedEvent]:
        where = "CAP alert"
        identifier = clean_id(_required(alert, "identifier", where), "CAP <identifier>")
        if re.search(r"[\s,<&]", identifier):
            raise FeedError("CAP <identifier> must not contain spaces, commas, '<' or '&'")
        sender = clean_id(_required(alert, "sender", where), "CAP <sender>")
        sent = parse_iso_datetime(_required(alert, "sent", where), "CAP <sent>")
        status = _enum(_required(alert, "status", where), STATUSES, "status", where)
        msg_type = _enum(_required(alert, "msgType", where), MSG_TYPES, "msgType", where)
        _enum(_required(alert, "scope", where), SCOPES, "scope", where)
        # "sender,identifier,sent" triples separated by spaces: keep the identifiers
        tokens = (child_text(alert, "references") or "").split()
        references = dedupe([ref for ref in (t.split(",")[1 if "," in t else 0] for t in tokens) if ref])
        infos = list(children(alert, "info"))
        if not infos:
            note = child_text(alert, "note")
            country = _sender_country(sender)
            return [
                FeedEvent(
                    source=self.code,
                    event_id=identifier,
                    kind=Kind.OTHER,
                    title=clean_title(note or f"CAP {msg_type} {identifier}"),
                    severity=Severity.UNKNOWN,
                    sent=sent,
                    countries=(country,) if country else (),
                    status=status,
                    msg_type=msg_type,
                    references=references,
                    authority=sender,
                )
            ]
        parsed = [self._parse_info(info, f"CAP <info> #{i + 1}") for i, info in enumerate(infos)]
        # the same alert in another language: a word we could not read takes the kind we could
        named = [p.kind for p in parsed if p.kind_named]
        if named:
            for info in parsed:
                if not info.kind_named:
                    info.kind = Counter(named).most_common(1)[0][0]
        alert_countries = dedupe([c for p in parsed for c in p.countries])
        if not alert_countries:
            country = _sender_country(sender)
            alert_countries = (country,) if country else ()
        return [
            FeedEvent(
                source=self.code,
                event_id=identifier,
                kind=info.kind,
                title=info.title,
                severity=Severity(info.severity),
                sent=sent,
                countries=dedupe(info.countries) or alert_countries,
                area=info.area,
                magnitude=info.magnitude,
                status=status,
                msg_type=msg_type,
                references=references,
                language=info.language,
                authority=sender,
                authority_name=info.sender_name,
                raw_kind=info.event,
                url=info.url,
                circles=tuple(info.circles),
                description=info.description,
                onset=info.onset,
                expires=info.expires,
                area_desc=info.area_desc,
                urgency=info.urgency,
                certainty=info.certainty,
                info_index=index,
            )
            for index, info in enumerate(parsed)
        ]

    def _parse_info(self, info: ET.Element, where: str) -> "_Info":
        categories = [_enum(c.text or "", CATEGORIES, "category", where) for c in children(info, "category")]
        if not categories:
            raise FeedError(f"{where} is missing required element <category>")
        event = clean_title(_required(info, "event", where))
        urgency = _enum(_required(info, "urgency", where), URGENCIES, "urgency", where)
        severity = _enum(_required(info, "severity", where), SEVERITIES, "severity", where)
        certainty = _enum(_required(info, "certainty", where), CERTAINTIES, "certainty", where)
        if certainty == "very likely":
            certainty = "likely"
        event_codes = [pair for code in children(info, "eventCode") for pair in _pairs(code)]
        parameters = [pair for param in children(info, "parameter") for pair in _pairs(param)]
        areas = [
            _parse_area(a, f"CAP <area> #{j + 1} of {where[4:]}")
            for j, a in enumerate(children(info, "area"))
        ]
        headline = child_text(info, "headline")
        named_kind = kind_from_code(_parameter(parameters, "eventtype", "hazardtype")) or kind_from_text(
            event, *(value for _, value in event_codes), headline
        )
        kind = (
            named_kind
            or next((CAP_CATEGORY_KINDS[c] for c in categories if c in CAP_CATEGORY_KINDS), None)
            or Kind.OTHER
        )
        description = (info.findtext("./{*}description") or "").strip()
        return _Info(
            kind=kind,
            kind_named=named_kind is not None,
            title=clean_title(headline or event),
            severity=severity,
            urgency=urgency,
            certainty=certainty,
            event=event,
            language=child_text(info, "language") or "en-US",
            sender_name=child_text(info, "senderName"),
            url=child_text(info, "web"),
            description=clean_text(description, keep_newlines=True) or None,
            onset=_optional_datetime(info, "onset", where) or _optional_datetime(info, "effective", where),
            expires=_optional_datetime(info, "expires", where),
            magnitude=_magnitude(parameters),
            area=_area_geometry(areas),
            circles=[c for area in areas for c in area.circles],
            countries=_info_countries(areas, parameters),
            area_desc=clean_title("; ".join(a.desc for a in areas)) or None,
        )


@dataclass
class _Info:
    kind: Kind
    kind_named: bool
    title: str
    severity: str
    urgency: str
    certainty: str
    event: str
    language: str
    sender_name: str | None
    url: str | None
    description: str | None
    onset: datetime | None
    expires: datetime | None
    magnitude: float | None
    area: dict[str, Any] | None
    circles: list[Circle]
    countries: list[str]
    area_desc: str | None
