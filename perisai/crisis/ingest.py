"""Crisis feeds: fetch each configured feed (size cap, timeout), parse it, de-duplicate events, apply updates
and cancellations, and turn events that expose registered people into *suggested* crises for the missions
concerned. Nothing is declared automatically: an officer declares or dismisses each suggestion.

Settings (perisai/settings/base.py reads PERISAI_FEEDS from the environment as JSON):

    PERISAI_FEEDS = [
        {"name": "GDACS", "parser": "gdacs", "url": "https://www.gdacs.org/xml/rss.xml"},
        {"name": "USGS significant", "parser": "usgs",
         "url": "https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/significant_hour.geojson",
         "max_bytes": 5_000_000, "timeout": 20},
    ]
    PERISAI_FEED_PARSERS = [... dotted paths ...]   # default: perisai.crisis.feeds.DEFAULT_PARSERS

A feed that fails (unreachable, too big, malformed, hostile) is recorded on its FeedState with the reason and
the others go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from perisai.core import audit
from perisai.places.geometry import validate_geometry
from perisai.places.models import Mission

from .actions import add_timeline
from .exposure import Columns
from .feeds import FeedError, FeedEvent, event_to_json, get_parser, get_parsers
from .feeds.base import DEFAULT_MAX_BYTES, describe_size
from .models import Crisis, CrisisArea, CrisisStatus, CrisisType, FeedEventRecord, FeedState, TimelineEntry

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 20.0
READ_CHUNK = 64 * 1024
USER_AGENT = "Perisai crisis feeds (+https://github.com/perisai)"

KIND_TO_TYPE = {
    "armed_conflict": CrisisType.ARMED_CONFLICT,
    "earthquake": CrisisType.EARTHQUAKE,
    "tsunami": CrisisType.TSUNAMI,
    "flood": CrisisType.FLOOD,
    "cyclone": CrisisType.CYCLONE,
    "storm": CrisisType.CYCLONE,
    "volcano": CrisisType.VOLCANO,
    "epidemic": CrisisType.EPIDEMIC,
    "civil_unrest": CrisisType.CIVIL_UNREST,
    "chemical": CrisisType.CHEMICAL,
}


# ---- fetching --------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follow http(s) redirects only (never to file: or other schemes), at most 5."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urlparse(newurl).scheme not in ("http", "https"):
            raise FeedError(f"feed redirected to an unsupported address {newurl[:80]!r}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The feed's bytes, refusing more than ``max_bytes`` (read stops there) and slow servers."""
    scheme = urlparse(url).scheme
    if scheme == "file" or scheme == "":
        path = Path(urlparse(url).path if scheme == "file" else url)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise FeedError(f"feed file not found: {path}") from exc
        if size > max_bytes:
            raise FeedError(f"feed larger than {describe_size(max_bytes)} limit")
        return path.read_bytes()
    if scheme not in ("http", "https"):
        raise FeedError(f"unsupported feed address scheme {scheme!r}")
    opener = urllib.request.build_opener(_NoRedirect())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 (scheme checked)
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FeedError(f"feed larger than {describe_size(max_bytes)} limit")
            chunks: list[bytes] = []
            total = 0
            while True:
                chunk = response.read(READ_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise FeedError(f"feed larger than {describe_size(max_bytes)} limit")
                chunks.append(chunk)
    except FeedError:
        raise
    except TimeoutError as exc:
        raise FeedError("feed server did not answer in time") from exc
    except OSError as exc:  # URLError, HTTPError, connection reset...
        raise FeedError(f"feed could not be fetched: {str(exc)[:200]}") from exc
    return b"".join(chunks)


# ---- ingesting -------------------------------------------------------------------------------------


@dataclass
class IngestResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    suggested: list[Crisis] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _preferred(events: Sequence[FeedEvent]) -> FeedEvent:
    """One event per (source, authority, id): the Indonesian or English info block of a CAP alert."""
    for prefix in ("id", "en"):
        for ev in events:
            if (ev.language or "").lower().startswith(prefix):
                return ev
    return events[0]


def _newer(ev: FeedEvent, record: FeedEventRecord) -> bool:
    if ev.sent > record.sent:
        return True
    if ev.sent < record.sent:
        return False
    return (ev.version or "") > record.version or ev.msg_type.lower() == "cancel"


def _clean_area(ev: FeedEvent) -> dict[str, Any] | None:
    area = ev.area
    if area is None:
        return None
    try:
        if area.get("type") == "Point":
            return None  # a point alone is kept as the event's position; exposure uses a radius
        validate_geometry(area)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return area


def _fields(ev: FeedEvent) -> dict[str, Any]:
    point = ev.point
    if point is None and ev.area is not None and ev.area.get("type") == "Point":
        lon, lat = ev.area["coordinates"][:2]
        point = (float(lat), float(lon))
    area = _clean_area(ev)
    if area is None and point is not None:
        area = {"type": "Circle", "coordinates": [point[1], point[0]], "radius_km": exposure_radius_km(ev)}
    return {
        "kind": ev.kind.value,
        "title": ev.title[:500],
        "severity": ev.severity.value,
        "sent": ev.sent,
        "countries": list(ev.countries),
        "area": area,
        "magnitude": ev.magnitude,
        "status": (ev.status or "actual").lower()[:16],
        "msg_type": (ev.msg_type or "alert").lower()[:16],
        "version": (ev.version or "")[:64],
        "url": (ev.url or "")[:500],
    }


def exposure_radius_km(ev: FeedEvent) -> float:
    """A rough radius around a point event, only to count who may be exposed for a *suggestion* (an officer
    draws the real areas): earthquakes by magnitude, a wide band for cyclones and tsunamis."""
    kind = ev.kind.value
    if kind == "earthquake":
        m = ev.magnitude or 5.0
        return 25.0 if m < 5 else 50.0 if m < 6 else 100.0 if m < 7 else 200.0 if m < 8 else 400.0
    return {"cyclone": 300.0, "storm": 150.0, "tsunami": 200.0, "volcano": 30.0}.get(kind, 50.0)


def ingest_events(events: Iterable[FeedEvent]) -> IngestResult:
    """Store new events, apply updates and cancellations, and (re)compute suggestions for what changed."""
    result = IngestResult()
    grouped: dict[tuple[str, str, str], list[FeedEvent]] = {}
    for ev in events:
        grouped.setdefault((ev.source, (ev.authority or "")[:255], ev.event_id[:255]), []).append(ev)
    changed: list[FeedEventRecord] = []
    for (source, authority, event_id), group in grouped.items():
        ev = _preferred(group)
        with transaction.atomic():
            record = (
                FeedEventRecord.objects.select_for_update()
                .filter(source=source, authority=authority, event_id=event_id)
                .first()
            )
            cancel = ev.msg_type.lower() == "cancel"
            if record is not None and not _newer(ev, record):
                result.unchanged += 1
                continue
            root = None
            if ev.references:
                root = (
                    FeedEventRecord.objects.filter(
                        source=source, authority=authority, event_id__in=ev.references
                    )
                    .order_by("first_seen_at")
                    .first()
                )
                root = root.thread if root is not None else None
            values = _fields(ev)
            now = timezone.now()
            if record is None:
                record = FeedEventRecord.objects.create(
                    source=source, authority=authority, event_id=event_id, root=root, **values
                )
                result.new += 1
            else:
                for key, value in values.items():
                    setattr(record, key, value)
                record.updated_at = now
                record.save()
                result.updated += 1
            thread = record.thread
            if cancel:
                FeedEventRecord.objects.filter(pk=thread.pk).update(cancelled=True, updated_at=now)
                thread.cancelled = True
                result.cancelled += 1
            elif root is not None and record.area is not None:
                # An update of an earlier message: its area and counts now speak for the whole thread.
                for key in ("area", "title", "severity", "magnitude", "sent", "countries", "kind"):
                    setattr(thread, key, getattr(record, key))
                thread.updated_at = now
                thread.save()
            changed.append(thread)
    for thread in {t.pk: t for t in changed}.values():
        try:
            result.suggested.extend(suggest_for_event(thread))
        except Exception as exc:  # one odd event must not stop the others
            logger.exception("suggestion for feed event %s failed", thread.pk)
            result.errors.append(f"{thread}: {type(exc).__name__}")
    return result


def _exposed(record: FeedEventRecord, columns: Columns) -> dict[str, np.ndarray[Any, Any]]:
    """Positions of the exposed people (in the population columns), by country."""
    from .exposure import expose

    out: dict[str, np.ndarray[Any, Any]] = {}
    if record.area:
        found = expose(columns, record.area, near_km=0)
        positions = found.inside
        for code in np.unique(columns.country[positions]).tolist():
            out[columns.countries[code]] = positions[columns.country[positions] == code]
        return out
    for country in record.countries:
        if country in columns.countries:
            out[country] = np.flatnonzero(columns.country == columns.countries.index(country))
    return out


def suggest_for_event(record: FeedEventRecord) -> list[Crisis]:
    """Suggest (or update the suggestion of) one crisis per country where registered people are exposed."""
    from .population import snapshot

    existing = {c.country_id: c for c in Crisis.objects.filter(feed_event=record)}
    if record.cancelled or record.status != "actual":
        for suggested in existing.values():
            _note_feed_change(suggested, record, cancelled=True)
        return []
    columns = snapshot()
    exposed = _exposed(record, columns)
    touched: list[Crisis] = []
    for country, positions in exposed.items():
        if positions.size == 0:
            continue
        vulnerable = int(np.count_nonzero(columns.vulnerabilities[positions]))
        mission_ids = [m for m in np.unique(columns.mission[positions]).tolist() if m]
        crisis: Crisis | None = existing.get(country)
        related = None if crisis is not None else _related_crisis(record, country, positions, columns)
        if related is not None:
            # An aftershock or a second warning over the same people: one crisis, a note on its timeline.
            with transaction.atomic():
                Crisis.objects.filter(pk=related.pk).update(
                    suggested_count=max(related.suggested_count or 0, int(positions.size)),
                    suggested_vulnerable=max(related.suggested_vulnerable or 0, vulnerable),
                )
                related.missions.add(*Mission.objects.filter(pk__in=mission_ids))
                related.suggested_count = max(related.suggested_count or 0, int(positions.size))
                _note_feed_change(related, record, cancelled=False)
            touched.append(related)
            continue
        with transaction.atomic():
            if crisis is None:
                crisis = Crisis.objects.create(
                    title=record.title[:200],
                    type=KIND_TO_TYPE.get(record.kind, CrisisType.OTHER),
                    country_id=country,
                    status=CrisisStatus.SUGGESTED,
                    feed_event=record,
                    suggested_count=int(positions.size),
                    suggested_vulnerable=vulnerable,
                )
                crisis.missions.set(Mission.objects.filter(pk__in=mission_ids))
                if record.area:
                    CrisisArea.objects.create(
                        crisis=crisis,
                        name=_feed_area_name(record),
                        level=3,
                        geometry=record.area,
                        source=CrisisArea.Source.FEED,
                    )
                add_timeline(
                    crisis,
                    actor=None,
                    kind=TimelineEntry.Kind.SUGGESTED,
                    details={
                        "source": record.source,
                        "event": record.event_id,
                        "count": int(positions.size),
                        "vulnerable": vulnerable,
                    },
                )
                audit.record(
                    actor=None,
                    action="crisis.suggest",
                    target=crisis,
                    details={"event": f"{record.source}:{record.event_id}", "count": int(positions.size)},
                )
            else:
                before = (crisis.suggested_count, crisis.suggested_vulnerable)
                crisis.suggested_count, crisis.suggested_vulnerable = int(positions.size), vulnerable
                crisis.save(update_fields=["suggested_count", "suggested_vulnerable"])
                crisis.missions.add(*Mission.objects.filter(pk__in=mission_ids))
                if crisis.status == CrisisStatus.SUGGESTED and record.area:
                    crisis.areas.filter(source=CrisisArea.Source.FEED).update(geometry=record.area)
                if before != (crisis.suggested_count, crisis.suggested_vulnerable) or crisis.status != (
                    CrisisStatus.SUGGESTED
                ):
                    _note_feed_change(crisis, record, cancelled=False)
        touched.append(crisis)
    return touched


RELATED_WITHIN = dt.timedelta(days=7)


def _related_crisis(
    record: FeedEventRecord, country: str, positions: np.ndarray[Any, Any], columns: Columns
) -> Crisis | None:
    """An open or suggested crisis of the same kind in the same country, recent, whose areas already hold
    some of the people this event exposes."""
    from perisai.places.geometry import contains_many

    candidates = Crisis.objects.filter(
        country_id=country,
        type=KIND_TO_TYPE.get(record.kind, CrisisType.OTHER),
        status__in=[CrisisStatus.SUGGESTED, CrisisStatus.MONITORING, CrisisStatus.ACTIVE],
        created_at__gte=timezone.now() - RELATED_WITHIN,
    ).prefetch_related("areas")
    lat, lon = columns.lat[positions], columns.lon[positions]
    for crisis in candidates.order_by("created_at"):
        for area in crisis.areas.all():
            if bool(contains_many(area.geometry, lat, lon).any()):
                return crisis
    return None


def _feed_area_name(record: FeedEventRecord) -> str:
    return f"{record.source.upper()} {record.event_id}"[:120]


def _note_feed_change(crisis: Crisis, record: FeedEventRecord, *, cancelled: bool) -> None:
    with transaction.atomic():
        add_timeline(
            crisis,
            actor=None,
            kind=TimelineEntry.Kind.FEED_UPDATE,
            details={
                "source": record.source,
                "event": record.event_id,
                "cancelled": cancelled,
                "count": crisis.suggested_count,
            },
        )
        if cancelled and crisis.status == CrisisStatus.SUGGESTED:
            crisis.status = CrisisStatus.DISMISSED
            crisis.save(update_fields=["status"])
            audit.record(actor=None, action="crisis.status", target=crisis, details={"to": "dismissed"})


# ---- polling ---------------------------------------------------------------------------------------


def configured_feeds() -> list[dict[str, Any]]:
    feeds = getattr(settings, "PERISAI_FEEDS", [])
    return [dict(f) for f in feeds if isinstance(f, Mapping)]


def _feed_key(config: Mapping[str, Any]) -> str:
    return hashlib.sha256(f"{config.get('parser')}|{config.get('url')}".encode()).hexdigest()[:32]


def poll_feed(config: Mapping[str, Any]) -> IngestResult:
    """Fetch, parse and ingest one feed; record how it went on its FeedState. Never raises."""
    url = str(config.get("url") or "")
    parser_code = str(config.get("parser") or "")
    state, _created = FeedState.objects.get_or_create(
        key=_feed_key(config),
        defaults={"name": str(config.get("name") or url)[:120], "parser": parser_code[:32], "url": url[:500]},
    )
    now = timezone.now()
    try:
        max_bytes = int(config.get("max_bytes") or DEFAULT_MAX_BYTES)
        timeout = float(config.get("timeout") or DEFAULT_TIMEOUT)
        paths = getattr(settings, "PERISAI_FEED_PARSERS", None)
        parsers = get_parsers(paths) if paths else get_parsers()
        parser = get_parser(parser_code, parsers)
        data = fetch(url, max_bytes=max_bytes, timeout=timeout)
        item_errors: list[FeedError] = []
        events = parser.parse(data, max_bytes=max_bytes, errors=item_errors)
        result = ingest_events(events)
        result.errors.extend(e.message for e in item_errors)
    except FeedError as exc:
        FeedState.objects.filter(pk=state.pk).update(
            last_polled_at=now,
            last_error=exc.message[:300],
            consecutive_failures=state.consecutive_failures + 1,
        )
        logger.warning("feed %s rejected: %s", state.name, exc.message)
        return IngestResult(errors=[exc.message])
    except Exception as exc:
        FeedState.objects.filter(pk=state.pk).update(
            last_polled_at=now,
            last_error=f"{type(exc).__name__}"[:300],
            consecutive_failures=state.consecutive_failures + 1,
        )
        logger.exception("feed %s failed", state.name)
        return IngestResult(errors=[type(exc).__name__])
    FeedState.objects.filter(pk=state.pk).update(
        last_polled_at=now,
        last_ok_at=now,
        last_error=("; ".join(result.errors))[:300],
        consecutive_failures=0,
        events_seen=state.events_seen + result.new,
    )
    return result


def poll_feeds() -> dict[str, int]:
    """Poll every configured feed (the periodic task)."""
    summary = {"feeds": 0, "failed": 0, "new": 0, "updated": 0, "suggested": 0}
    for config in configured_feeds():
        result = poll_feed(config)
        summary["feeds"] += 1
        summary["failed"] += bool(result.errors and not (result.new or result.updated or result.unchanged))
        summary["new"] += result.new
        summary["updated"] += result.updated
        summary["suggested"] += len(result.suggested)
    return summary


def event_json(record: FeedEventRecord) -> dict[str, Any]:
    """The record in the feeds' JSON contract shape (for the API and the feeds page)."""
    from .feeds import FeedEvent as _Event
    from .feeds import Kind, Severity

    ev = _Event(
        source=record.source,
        event_id=record.event_id,
        kind=Kind(record.kind) if record.kind in Kind.__members__.values() else Kind.OTHER,
        title=record.title,
        severity=Severity(record.severity)
        if record.severity in Severity.__members__.values()
        else Severity.UNKNOWN,
        sent=record.sent,
        countries=tuple(record.countries),
        area=record.area if record.area and record.area.get("type") != "Circle" else None,
        magnitude=record.magnitude,
    )
    return event_to_json(ev)
