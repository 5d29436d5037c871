"""The normalised event every parser produces, and its JSON contract."""

import copy
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    ARMED_CONFLICT = "armed_conflict"
    EARTHQUAKE = "earthquake"
    TSUNAMI = "tsunami"
    FLOOD = "flood"
    CYCLONE = "cyclone"
    VOLCANO = "volcano"
    EPIDEMIC = "epidemic"
    CIVIL_UNREST = "civil_unrest"
    CHEMICAL = "chemical"
    WILDFIRE = "wildfire"
    DROUGHT = "drought"
    STORM = "storm"
    OTHER = "other"


class Severity(StrEnum):
    EXTREME = "extreme"
    SEVERE = "severe"
    MODERATE = "moderate"
    MINOR = "minor"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Circle:
    """A CAP circle: centre and radius in kilometres."""

    lat: float
    lon: float
    radius_km: float


_ALPHA2 = re.compile(r"[A-Z]{2}")

#: the keys of :func:`event_to_json`, in order; other tools depend on exactly this set.
JSON_KEYS: tuple[str, ...] = (
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


@dataclass(frozen=True)
class FeedEvent:
    """One normalised crisis event (for CAP: one per ``<info>`` block).

    ``source`` is the parser code ("cap", "gdacs", "usgs", "reliefweb"); ``authority`` is who issued
    it (CAP sender, "GDACS", ...). ``event_id`` is the de-duplication key within a source and
    ``version`` tells successive reports of the same event apart (GDACS episode, USGS/ReliefWeb
    update time). ``area`` is a plain RFC 7946 geometry (Point, Polygon or MultiPolygon, [lon, lat]).
    """

    source: str
    event_id: str
    kind: Kind
    title: str
    severity: Severity
    sent: datetime
    countries: tuple[str, ...] = ()
    area: dict[str, Any] | None = field(default=None, hash=False, compare=True)
    magnitude: float | None = None
    status: str = "actual"
    msg_type: str = "alert"
    references: tuple[str, ...] = ()
    language: str | None = None
    authority: str | None = None
    authority_name: str | None = None
    version: str | None = None
    raw_kind: str | None = None
    url: str | None = None
    circles: tuple[Circle, ...] = ()
    point: tuple[float, float] | None = None  # (lat, lon) marker: epicentre, storm centre
    description: str | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    depth_km: float | None = None
    area_desc: str | None = None
    urgency: str | None = None
    certainty: str | None = None
    phase: str | None = None  # "alert" / "current" / "past" where the source says so
    info_index: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.kind, Kind):
            object.__setattr__(self, "kind", Kind(self.kind))
        if not isinstance(self.severity, Severity):
            object.__setattr__(self, "severity", Severity(self.severity))
        if not self.source or not self.event_id:
            raise ValueError("FeedEvent needs a source and an event_id")
        for name in ("sent", "onset", "expires"):
            value = getattr(self, name)
            if value is None:
                continue
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"FeedEvent.{name} must be timezone-aware")
            object.__setattr__(self, name, value.astimezone(UTC))
        for code in self.countries:
            if not _ALPHA2.fullmatch(code):
                raise ValueError(f"FeedEvent.countries holds {code!r}, not an ISO alpha-2 code")


def format_utc(value: datetime) -> str:
    """ISO 8601 in UTC ending in "Z"; milliseconds only when the time has them."""
    value = value.astimezone(UTC)
    spec = "milliseconds" if value.microsecond else "seconds"
    return value.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def event_to_json(ev: FeedEvent) -> dict[str, Any]:
    """The stable JSON contract: exactly the keys in :data:`JSON_KEYS`."""
    return {
        "source": ev.source,
        "event_id": ev.event_id,
        "kind": ev.kind.value,
        "title": ev.title,
        "severity": ev.severity.value,
        "sent": format_utc(ev.sent),
        "countries": list(ev.countries),
        "area": copy.deepcopy(ev.area) if ev.area is not None else None,
        "magnitude": ev.magnitude,
    }
