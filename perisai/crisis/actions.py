"""Writes of the crisis module: crises, areas and Siaga levels, alerts (two-person rule), check-ins, notes,
wardens, family enquiries. Keyword-only, atomic, audited; side effects (tasks, messages) on commit.

Audit details carry identifiers and field names, never personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.core import audit, crypto
from perisai.core.models import OutboxMessage, User
from perisai.core.roles import Cap
from perisai.places.geometry import validate_geometry
from perisai.places.models import Country, Mission
from perisai.registry.models import Consent, Person, PersonStatus

from .models import (
    FIRST_HAND_SOURCES,
    OPEN_STATUSES,
    Alert,
    CallDownAssignment,
    CheckIn,
    CheckInSource,
    CheckInStatus,
    Crisis,
    CrisisArea,
    CrisisStatus,
    CrisisType,
    FamilyEnquiry,
    PersonNote,
    RosterEntry,
    Siaga,
    TimelineEntry,
    Warden,
)

logger = logging.getLogger(__name__)

MAX_BODY = 1000
MAX_MESSAGE = 500
MAX_NOTE = 4000
MAX_VERTICES = 20_000
MAX_RADIUS_KM = 2000.0


class CrisisInputError(ValueError):
    """Every problem of one input at once: field -> list of translated messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _fail(field: str, message: str) -> CrisisInputError:
    return CrisisInputError({field: [message]})


def _actor_label(actor: User | None) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return actor.get_username()


def add_timeline(
    crisis: Crisis, *, actor: User | None, kind: str, text: str = "", details: dict[str, Any] | None = None
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        crisis=crisis,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=_actor_label(actor),
        kind=kind,
        text=text[:2000],
        details=details or {},
    )


# ---- crises ----------------------------------------------------------------------------------------


@transaction.atomic
def do_create_crisis(
    *,
    actor: User | None,
    title: str,
    type: str,
    country: str,
    missions: Sequence[Mission],
    exercise: bool = False,
    status: str = CrisisStatus.MONITORING,
    reask_after_minutes: int = 360,
    reask_max: int = 2,
) -> Crisis:
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors.setdefault("title", []).append(_("Give the crisis a short title."))
    if len(title) > 200:
        errors.setdefault("title", []).append(_("The title is too long (at most 200 characters)."))
    if type not in CrisisType.values:
        errors.setdefault("type", []).append(_("Choose the type of crisis."))
    if not Country.objects.filter(iso2=country).exists():
        errors.setdefault("country", []).append(_("Choose the country of the crisis."))
    if status not in (CrisisStatus.MONITORING, CrisisStatus.ACTIVE, CrisisStatus.SUGGESTED):
        errors.setdefault("status", []).append(_("A new crisis is either monitored or active."))
    if not missions and actor is not None:
        errors.setdefault("missions", []).append(_("Choose at least one responsible mission."))
    if errors:
        raise CrisisInputError(errors)
    now = timezone.now()
    crisis = Crisis.objects.create(
        title=title,
        type=type,
        country_id=country,
        status=status,
        exercise=exercise,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        declared_at=now if status in OPEN_STATUSES else None,
        reask_after_minutes=max(0, reask_after_minutes),
        reask_max=max(0, min(reask_max, 10)),
    )
    crisis.missions.set(missions)
    audit.record(
        actor=actor,
        action="crisis.create",
        target=crisis,
        details={"type": type, "country": country, "status": status, "exercise": exercise},
    )
    add_timeline(crisis, actor=actor, kind=TimelineEntry.Kind.CREATED, details={"status": status})
    return crisis


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CrisisStatus.SUGGESTED: {CrisisStatus.MONITORING, CrisisStatus.ACTIVE, CrisisStatus.DISMISSED},
    CrisisStatus.MONITORING: {CrisisStatus.ACTIVE, CrisisStatus.CLOSED},
    CrisisStatus.ACTIVE: {CrisisStatus.MONITORING, CrisisStatus.CLOSED},
    CrisisStatus.CLOSED: {CrisisStatus.ACTIVE},
    CrisisStatus.DISMISSED: set(),
}


@transaction.atomic
def do_set_crisis_status(*, crisis: Crisis, actor: User, status: str, reason: str = "") -> Crisis:
    """Declare a suggested crisis, activate, stand down, close or reopen it. Audited; on the timeline."""
    crisis = Crisis.objects.select_for_update().get(pk=crisis.pk)
    if status == crisis.status:
        return crisis
    if status not in ALLOWED_TRANSITIONS.get(crisis.status, set()):
        raise _fail("status", _("This crisis cannot go from this status to that one."))
    previous = crisis.status
    now = timezone.now()
    crisis.status = status
    if previous == CrisisStatus.SUGGESTED and status in OPEN_STATUSES:
        crisis.declared_at = now
    if status == CrisisStatus.CLOSED:
        crisis.closed_at = now
    elif previous == CrisisStatus.CLOSED:
        crisis.closed_at = None
    crisis.save(update_fields=["status", "declared_at", "closed_at"])
    audit.record(actor=actor, action="crisis.status", target=crisis, details={"from": previous, "to": status})
    add_timeline(
        crisis,
        actor=actor,
        kind=TimelineEntry.Kind.STATUS,
        text=reason.strip(),
        details={"from": previous, "to": status},
    )
    if status in OPEN_STATUSES:
        _schedule_roster(crisis)
    return crisis


def _schedule_roster(crisis: Crisis) -> None:
    from .tasks import refresh_roster

    crisis_id = crisis.pk
    transaction.on_commit(lambda: refresh_roster.enqueue(crisis_id))


# ---- areas -----------------------------------------------------------------------------------------


def check_geometry(
    *,
    method: str,
    text: str = "",
    upload: bytes | None = None,
    filename: str = "",
    lat: float | None = None,
    lon: float | None = None,
    radius_km: float | None = None,
) -> dict[str, Any]:
    """An area from what an officer typed or uploaded: GeoJSON (or our Circle), KML/KMZ, or a circle."""
    from perisai.crisis.feeds import FeedError, parse_area_upload

    if method == "circle":
        errors: dict[str, list[str]] = {}
        if lat is None or not -90 <= lat <= 90:
            errors.setdefault("lat", []).append(_("Enter a latitude between -90 and 90."))
        if lon is None or not -180 <= lon <= 180:
            errors.setdefault("lon", []).append(_("Enter a longitude between -180 and 180."))
        if radius_km is None or not 0 < radius_km <= MAX_RADIUS_KM:
            errors.setdefault("radius_km", []).append(
                _("Enter a radius between 0 and %(max)d km.") % {"max": int(MAX_RADIUS_KM)}
            )
        if errors:
            raise CrisisInputError(errors)
        assert lat is not None and lon is not None and radius_km is not None  # noqa: S101
        return {"type": "Circle", "coordinates": [float(lon), float(lat)], "radius_km": float(radius_km)}
    if method == "upload":
        if not upload:
            raise _fail("upload", _("Choose a GeoJSON, KML or KMZ file."))
        data, name, field = upload, filename or "area", "upload"
    else:
        if not text.strip():
            raise _fail("geojson", _("Paste the area as GeoJSON."))
        data, name, field = text.encode(), "area.geojson", "geojson"
    try:
        raw = json.loads(data) if name.lower().endswith((".geojson", ".json")) else None
    except ValueError:
        raw = None
    if isinstance(raw, dict) and raw.get("type") == "Circle":
        geometry: dict[str, Any] = raw
    else:
        try:
            geometry = parse_area_upload(data, name)
        except FeedError as exc:
            raise _fail(
                field, _("The area could not be read: %(problem)s") % {"problem": exc.message}
            ) from exc
    try:
        validate_geometry(geometry)
    except ValueError as exc:
        raise _fail(field, _("The area is not valid: %(problem)s") % {"problem": str(exc)}) from exc
    if _vertex_count(geometry) > MAX_VERTICES:
        raise _fail(field, _("The area has too many points (at most %(n)d).") % {"n": MAX_VERTICES})
    if geometry.get("type") == "Circle" and float(geometry["radius_km"]) > MAX_RADIUS_KM:
        raise _fail(field, _("Enter a radius between 0 and %(max)d km.") % {"max": int(MAX_RADIUS_KM)})
    return geometry


def _vertex_count(geometry: dict[str, Any]) -> int:
    if geometry.get("type") == "Polygon":
        return sum(len(r) for r in geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return sum(len(r) for p in geometry["coordinates"] for r in p)
    return 1


@transaction.atomic
def do_add_area(
    *,
    crisis: Crisis,
    actor: User | None,
    name: str,
    level: int,
    geometry: dict[str, Any],
    source: str = CrisisArea.Source.DRAWN,
) -> CrisisArea:
    name = " ".join((name or "").split())
    if not name:
        raise _fail("name", _("Name the area (e.g. the province or city)."))
    if level not in Siaga.values:
        raise _fail("level", _("Choose Siaga 3, 2 or 1."))
    if crisis.areas.filter(name=name).exists():
        raise _fail("name", _("This crisis already has an area with this name."))
    try:
        validate_geometry(geometry)
    except ValueError as exc:
        raise _fail("geometry", _("The area is not valid: %(problem)s") % {"problem": str(exc)}) from exc
    area = CrisisArea.objects.create(
        crisis=crisis,
        name=name[:120],
        level=level,
        geometry=geometry,
        source=source,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit.record(
        actor=actor,
        action="crisis.area_add",
        target=area,
        details={"crisis": str(crisis.public_id), "level": level, "source": source},
    )
    add_timeline(
        crisis,
        actor=actor,
        kind=TimelineEntry.Kind.AREA,
        details={"area": area.name, "level": level, "source": source},
    )
    if crisis.is_open:
        _schedule_roster(crisis)
    return area


@transaction.atomic
def do_set_area_level(*, area: CrisisArea, actor: User, level: int, reason: str) -> CrisisArea:
    """Raise or lower an area's Siaga level: a decision of an authorised officer, with its reason on record."""
    if not actor.can(Cap.CRISIS_MANAGE):
        raise PermissionDenied
    if level not in Siaga.values:
        raise _fail("level", _("Choose Siaga 3, 2 or 1."))
    area = CrisisArea.objects.select_for_update().get(pk=area.pk)
    if level == area.level:
        return area
    reason = " ".join((reason or "").split())
    if not reason:
        raise _fail("reason", _("Write down why the level changes: it is a decision on record."))
    previous = area.level
    area.level = level
    area.level_changed_at = timezone.now()
    area.save(update_fields=["level", "level_changed_at"])
    audit.record(
        actor=actor,
        action="crisis.level",
        target=area,
        details={"crisis": str(area.crisis.public_id), "from": previous, "to": level},
    )
    add_timeline(
        area.crisis,
        actor=actor,
        kind=TimelineEntry.Kind.LEVEL,
        text=reason[:2000],
        details={"area": area.name, "from": previous, "to": level, "raised": level < previous},
    )
    return area


# ---- the roster ------------------------------------------------------------------------------------


def do_refresh_roster(*, crisis: Crisis) -> int:
    """Add everyone inside or near the crisis areas to its roster (the people it must account for); move
    those already on it to the highest-level area that now holds them. Returns how many were added."""
    from .exposure import expose_many
    from .population import snapshot

    areas = list(crisis.areas.order_by("level", "pk"))
    if not areas:
        return 0
    columns = snapshot(fresh=True)
    positions, keys, near = expose_many(columns, [(a.pk, a.geometry) for a in areas], near_km=near_km())
    ids = columns.ids[positions].tolist()
    key_list, near_list = keys.tolist(), near.tolist()
    vulns = columns.vulnerabilities[positions].tolist()
    existing = dict(RosterEntry.objects.filter(crisis=crisis).values_list("person_id", "area_id"))
    new_rows = []
    moved: list[RosterEntry] = []
    for person_id, area_id, is_near, vuln in zip(ids, key_list, near_list, vulns, strict=True):
        if person_id not in existing:
            new_rows.append(
                RosterEntry(
                    crisis=crisis, person_id=person_id, area_id=area_id, near=is_near, vulnerabilities=vuln
                )
            )
        elif existing[person_id] != area_id:
            moved.append(RosterEntry(crisis=crisis, person_id=person_id, area_id=area_id, near=is_near))
    with transaction.atomic():
        RosterEntry.objects.bulk_create(new_rows, batch_size=2000, ignore_conflicts=True)
        for entry in moved:
            RosterEntry.objects.filter(crisis=crisis, person_id=entry.person_id).update(
                area_id=entry.area_id, near=entry.near
            )
        Crisis.objects.filter(pk=crisis.pk).update(roster_refreshed_at=timezone.now())
        audit.record(
            actor=None,
            action="crisis.roster",
            target=crisis,
            details={"added": len(new_rows), "moved": len(moved), "exposed": len(ids)},
        )
    return len(new_rows)


def near_km() -> float:
    from .exposure import DEFAULT_NEAR_KM

    return float(getattr(settings, "PERISAI_CRISIS_NEAR_KM", DEFAULT_NEAR_KM))


# ---- alerts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertFilters:
    vulnerable_only: bool = False
    sector: str = ""
    city: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"vulnerable_only": self.vulnerable_only, "sector": self.sector, "city": self.city}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AlertFilters:
        city = data.get("city")
        return cls(
            vulnerable_only=bool(data.get("vulnerable_only")),
            sector=str(data.get("sector") or ""),
            city=int(city) if city else None,
        )


@transaction.atomic
def do_draft_alert(
    *,
    crisis: Crisis,
    actor: User,
    body_id: str,
    body_en: str,
    target: str,
    target_area: CrisisArea | None = None,
    filters: AlertFilters | None = None,
    template: str = "",
) -> Alert:
    errors: dict[str, list[str]] = {}
    if not crisis.is_open:
        raise _fail("__all__", _("Declare the crisis before sending alerts."))
    for field, body in (("body_id", body_id), ("body_en", body_en)):
        if not body.strip():
            errors.setdefault(field, []).append(_("Write the message."))
        elif len(body) > MAX_BODY:
            errors.setdefault(field, []).append(
                _("The message is too long (%(n)d characters; at most %(max)d).")
                % {"n": len(body), "max": MAX_BODY}
            )
    if target not in Alert.Target.values:
        errors.setdefault("target", []).append(_("Choose who receives the alert."))
    if target == Alert.Target.AREA and (target_area is None or target_area.crisis_id != crisis.pk):
        errors.setdefault("target_area", []).append(_("Choose one of this crisis's areas."))
    if target in (Alert.Target.AREA, Alert.Target.AREAS) and not crisis.areas.exists():
        errors.setdefault("target", []).append(
            _("This crisis has no area yet: add one, or send to the country.")
        )
    if errors:
        raise CrisisInputError(errors)
    alert = Alert.objects.create(
        crisis=crisis,
        template=template,
        body_id=body_id.strip(),
        body_en=body_en.strip(),
        target=target,
        target_area=target_area if target == Alert.Target.AREA else None,
        filters=(filters or AlertFilters()).as_json(),
        exercise=crisis.exercise,
        drafted_by=actor,
    )
    audit.record(
        actor=actor,
        action="alert.draft",
        target=alert,
        details={"crisis": str(crisis.public_id), "target": target},
    )
    add_timeline(
        crisis,
        actor=actor,
        kind=TimelineEntry.Kind.ALERT_DRAFTED,
        details={"alert": str(alert.public_id), "target": target},
    )
    return alert


class TwoPersonRuleError(PermissionDenied):
    pass


@transaction.atomic
def do_approve_alert(*, alert: Alert, actor: User) -> Alert:
    """The head of mission (or a delegate) approves a draft someone else wrote; sending starts on commit."""
    if not actor.can(Cap.ALERT_APPROVE):
        raise PermissionDenied
    alert = Alert.objects.select_for_update().select_related("crisis").get(pk=alert.pk)
    if alert.drafted_by_id == actor.pk:
        raise TwoPersonRuleError(_("Someone other than the drafter must approve an alert."))
    if alert.status != Alert.Status.DRAFT:
        raise _fail("__all__", _("Only a draft can be approved."))
    if not alert.crisis.is_open:
        raise _fail("__all__", _("Declare the crisis before sending alerts."))
    alert.status = Alert.Status.SENDING
    alert.approved_by = actor
    alert.approved_at = timezone.now()
    try:
        with transaction.atomic():
            alert.save(update_fields=["status", "approved_by", "approved_at"])
    except IntegrityError as exc:  # the database holds the two-person rule too
        raise TwoPersonRuleError(_("Someone other than the drafter must approve an alert.")) from exc
    audit.record(
        actor=actor, action="alert.approve", target=alert, details={"crisis": str(alert.crisis.public_id)}
    )
    add_timeline(
        alert.crisis,
        actor=actor,
        kind=TimelineEntry.Kind.ALERT_APPROVED,
        details={"alert": str(alert.public_id), "target": alert.target},
    )
    from .tasks import fan_out_alert

    alert_id = alert.pk
    transaction.on_commit(lambda: fan_out_alert.enqueue(alert_id))
    return alert


@transaction.atomic
def do_cancel_alert(*, alert: Alert, actor: User) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != Alert.Status.DRAFT:
        raise _fail("__all__", _("Only a draft can be cancelled."))
    alert.status = Alert.Status.CANCELLED
    alert.save(update_fields=["status"])
    audit.record(actor=actor, action="alert.cancel", target=alert)
    return alert


# ---- check-ins -------------------------------------------------------------------------------------


_REPORTABLE = frozenset((CheckInStatus.SAFE, CheckInStatus.NEED_HELP, CheckInStatus.NOT_THERE))
_SOURCES = frozenset(CheckInSource.values)  # (the enum builds this list anew on every access)


def do_record_checkin(
    *,
    crisis: Crisis,
    person_id: int,
    status: str,
    source: str,
    message: str = "",
    lat: float | None = None,
    lon: float | None = None,
    reporter_name: str = "",
    reporter_contact: str = "",
    recorded_by: User | None = None,
) -> CheckIn:
    """Record one report on a person. The status that counts is the latest first-hand report, else the
    latest report on their behalf; a report that disagrees marks the entry as conflicting (all are kept).
    "Needs help" opens an urgent case on commit (not in an exercise)."""
    if status not in _REPORTABLE:
        raise _fail("status", _("Choose safe, need help or not in the area."))
    if source not in _SOURCES:
        raise _fail("source", _("Say who gives this report."))
    first_hand = source in FIRST_HAND_SOURCES
    if not first_hand and not reporter_name.strip():
        raise _fail("reporter_name", _("Write who gives this report (name or role)."))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None  # half a location, or one out of range (NaN too), is no location
    from .writegate import write_gate

    now = timezone.now()
    checkin = CheckIn(
        crisis=crisis,
        person_id=person_id,
        status=status,
        source=source,
        first_hand=first_hand,
        reporter_name=reporter_name.strip()[:200],
        reporter_contact=reporter_contact.strip()[:200],
        message=" ".join((message or "").split())[:MAX_MESSAGE],
        lat=lat,
        lon=lon,
        recorded_by=recorded_by if recorded_by is not None and recorded_by.is_authenticated else None,
        received_at=now,
    )
    with write_gate(), transaction.atomic():
        _insert_checkin(checkin)
        _account(crisis_id=crisis.pk, person_id=person_id, status=status, first_hand=first_hand, now=now)
        if recorded_by is not None:
            audit.record(
                actor=recorded_by,
                action="checkin.record",
                target=checkin,
                sensitive=True,
                details={"crisis": str(crisis.public_id), "source": source, "status": status},
            )
        if status == CheckInStatus.NEED_HELP and not crisis.exercise:
            from .tasks import open_need_help_case

            crisis_id = crisis.pk
            transaction.on_commit(lambda: open_need_help_case.enqueue(crisis_id, person_id))
    return checkin


# One statement, the same on SQLite and PostgreSQL (the right-hand sides see the row as it was): the
# first-hand report wins; a report that disagrees with the current status marks a conflict.
_ACCOUNT_SQL = """
INSERT INTO crisis_rosterentry (crisis_id, person_id, area_id, near, vulnerabilities, status, status_at,
    first_accounted_at, status_first_hand, conflicting, asked_count, last_asked_at, case_code, case_public_id,
    added_at)
VALUES (%s, %s, NULL, %s, COALESCE((SELECT vulnerabilities FROM registry_person WHERE id = %s), 0), %s, %s,
    %s, %s, %s, 0, NULL, '', '', %s)
ON CONFLICT (crisis_id, person_id) DO UPDATE SET
    conflicting = crisis_rosterentry.conflicting
        OR (crisis_rosterentry.status <> 'unknown' AND crisis_rosterentry.status <> excluded.status),
    status = CASE WHEN excluded.status_first_hand OR NOT crisis_rosterentry.status_first_hand
        THEN excluded.status ELSE crisis_rosterentry.status END,
    status_at = CASE WHEN excluded.status_first_hand OR NOT crisis_rosterentry.status_first_hand
        THEN excluded.status_at ELSE crisis_rosterentry.status_at END,
    status_first_hand = CASE WHEN excluded.status_first_hand OR NOT crisis_rosterentry.status_first_hand
        THEN excluded.status_first_hand ELSE crisis_rosterentry.status_first_hand END,
    first_accounted_at = COALESCE(crisis_rosterentry.first_accounted_at, excluded.first_accounted_at)
"""


_CHECKIN_INSERT: dict[str, tuple[str, list[tuple[str, models.Field[Any, Any] | None]]]] = {}


def _insert_checkin(checkin: CheckIn) -> None:
    """INSERT the check-in (the hot path of a surge: one statement, values prepared only where needed)."""
    from django.db import connection

    cached = _CHECKIN_INSERT.get(connection.vendor)
    if cached is None:
        fields = [f for f in CheckIn._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({}) RETURNING {}".format(  # noqa: S608  (identifiers from the model)
            quote(CheckIn._meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
            quote(CheckIn._meta.pk.column),  # type: ignore[union-attr]
        )
        plain = (models.CharField, models.FloatField, models.BooleanField, models.ForeignKey)
        cached = (sql, [(f.attname, None if isinstance(f, plain) else f) for f in fields])
        _CHECKIN_INSERT[connection.vendor] = cached
    sql, columns = cached
    values = [
        getattr(checkin, name)
        if field is None
        else field.get_db_prep_save(getattr(checkin, name), connection)
        for name, field in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        checkin.pk = cursor.fetchone()[0]
    checkin._state.adding = False


def _account(*, crisis_id: int, person_id: int, status: str, first_hand: bool, now: dt.datetime) -> None:
    """Add the report to the person's roster entry (created if they were not on the roster)."""
    from django.db import connection

    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            _ACCOUNT_SQL, [crisis_id, person_id, False, person_id, status, at, at, first_hand, False, at]
        )


@transaction.atomic
def do_add_note(*, crisis: Crisis, person: Person, actor: User, text: str) -> PersonNote:
    text = (text or "").strip()
    if not text:
        raise _fail("text", _("Write the note."))
    if len(text) > MAX_NOTE:
        raise _fail("text", _("The note is too long (at most %(max)d characters).") % {"max": MAX_NOTE})
    note = PersonNote.objects.create(
        crisis=crisis, person=person, author=actor, author_label=_actor_label(actor), text=text
    )
    audit.record(
        actor=actor,
        action="crisis.note",
        target=person,
        sensitive=True,
        details={"crisis": str(crisis.public_id)},
    )
    return note


def do_open_need_help_case(*, crisis_id: int, person_id: int) -> str:
    """Open (or add to) the urgent case of a person who needs help (contract 1: cases intake). Idempotent:
    one open case per person and crisis; a second call attaches a note to it. Returns the case code, or ""
    while the cases module is not installed (the sweeper tries again later)."""
    try:
        from perisai.cases.intake import open_case  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        logger.warning("cases intake is not installed: need-help case for crisis %s waits", crisis_id)
        return ""
    crisis = Crisis.objects.select_related("country").get(pk=crisis_id)
    person = Person.objects.select_related("mission").get(pk=person_id)
    latest = (
        CheckIn.objects.filter(crisis=crisis, person=person, status=CheckInStatus.NEED_HELP)
        .order_by("-received_at", "-pk")
        .first()
    )
    summary = _("Needs help in crisis: %(title)s") % {"title": crisis.title}
    details: dict[str, object] = {
        "crisis": str(crisis.public_id),
        "source": latest.source if latest else "",
        "first_hand": latest.first_hand if latest else False,
    }
    if latest is not None and latest.lat is not None and latest.lon is not None:
        details["location"] = [latest.lat, latest.lon]
    case = open_case(
        source="crisis_checkin",
        case_type="crisis_followup",
        urgency="emergency",
        summary=summary,
        person=person,
        mission=person.mission or crisis.missions.first(),
        details=details,
        transcript=latest.message if latest else "",
        transcript_consented=bool(latest and latest.first_hand),
        link_type="crisis.checkin",
        link_id=f"{crisis.public_id}:{person.public_id}",
    )
    RosterEntry.objects.filter(crisis=crisis, person=person).update(
        case_code=str(case.code), case_public_id=str(case.public_id)
    )
    audit.record(
        actor=None, action="crisis.case_opened", target=person, details={"crisis": str(crisis.public_id)}
    )
    return str(case.code)


# ---- wardens and call-down lists -------------------------------------------------------------------


@transaction.atomic
def do_add_warden(
    *,
    actor: User,
    mission: Mission,
    name: str,
    phone: str,
    city_name: str = "",
    lat: float | None = None,
    lon: float | None = None,
    capacity: int = 30,
) -> Warden:
    from perisai.registry.validation import FieldError, check_phone

    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if not name:
        errors.setdefault("name", []).append(_("Enter the warden's name."))
    try:
        phone = check_phone(phone, field="phone", country=mission.country_id)
    except FieldError as exc:
        errors.setdefault("phone", []).append(exc.message)
    if not phone and "phone" not in errors:
        errors.setdefault("phone", []).append(_("Enter the warden's phone number."))
    if (lat is None) != (lon is None):
        errors.setdefault("lat", []).append(_("Give both latitude and longitude, or neither."))
    if errors:
        raise CrisisInputError(errors)
    if lat is None and city_name.strip():
        from perisai.places.gazetteer import search_cities

        found = search_cities(city_name.strip(), country=mission.country_id, limit=1)
        if found:
            lat, lon = found[0].lat, found[0].lon
    warden = Warden.objects.create(
        mission=mission,
        name=name[:200],
        phone=phone,
        city_name=city_name.strip()[:100],
        lat=lat,
        lon=lon,
        capacity=max(1, min(capacity, 500)),
    )
    audit.record(actor=actor, action="warden.create", target=warden, details={"mission": mission.code})
    return warden


@transaction.atomic
def do_build_call_down_lists(*, crisis: Crisis, actor: User, mission_ids: Sequence[int] | None = None) -> int:
    """Give each unaccounted person on the roster (of the actor's missions) to the nearest warden of their
    mission with room on their list. Returns how many were assigned now."""
    import numpy as np

    from perisai.places.geometry import haversine_km_np

    wardens = list(Warden.objects.filter(mission__in=crisis.missions.all(), active=True, lat__isnull=False))
    if mission_ids is not None:
        wardens = [w for w in wardens if w.mission_id in set(mission_ids)]
    if not wardens:
        return 0
    load = {w.pk: CallDownAssignment.objects.filter(crisis=crisis, warden=w).count() for w in wardens}
    assigned = set(CallDownAssignment.objects.filter(crisis=crisis).values_list("person_id", flat=True))
    people = (
        Person.objects.filter(
            pk__in=RosterEntry.objects.filter(crisis=crisis, status=CheckInStatus.UNKNOWN).values(
                "person_id"
            ),
            mission_id__in=[w.mission_id for w in wardens],
            lat__isnull=False,
        )
        .exclude(pk__in=assigned)
        .values_list("pk", "mission_id", "lat", "lon")
    )
    new: list[CallDownAssignment] = []
    for person_id, mission_id, lat, lon in people:
        if lat is None or lon is None:
            continue
        candidates = [w for w in wardens if w.mission_id == mission_id and load[w.pk] < w.capacity]
        if not candidates:
            continue
        distances = haversine_km_np(
            lat,
            lon,
            np.array([w.lat for w in candidates]),
            np.array([w.lon for w in candidates]),
        )
        chosen = candidates[int(np.argmin(distances))]
        load[chosen.pk] += 1
        new.append(CallDownAssignment(crisis=crisis, warden=chosen, person_id=person_id))
    CallDownAssignment.objects.bulk_create(new, ignore_conflicts=True)
    audit.record(actor=actor, action="crisis.call_down", target=crisis, details={"assigned": len(new)})
    add_timeline(crisis, actor=actor, kind=TimelineEntry.Kind.CALL_DOWN, details={"assigned": len(new)})
    return len(new)


@transaction.atomic
def do_send_warden_links(*, crisis: Crisis, actor: User, wardens: Sequence[Warden]) -> int:
    from perisai.core.messaging.actions import do_queue_message

    from .tokens import warden_token

    sent = 0
    for warden in wardens:
        count = CallDownAssignment.objects.filter(crisis=crisis, warden=warden).count()
        if not count:
            continue
        link = public_url(f"/crisis/w/{warden_token(crisis.pk, warden.pk)}/")
        body = _("Perisai call-down list (%(title)s): %(n)d people to call. Open %(link)s") % {
            "title": crisis.title[:60],
            "n": count,
            "link": link,
        }
        do_queue_message(
            channel="sms",
            recipient=warden.phone,
            body=body,
            purpose=OutboxMessage.Purpose.ALERT,
            idempotency_key=f"warden:{crisis.pk}:{warden.pk}:{count}",
            object_type="crisis.warden",
            object_id=str(warden.pk),
        )
        sent += 1
    audit.record(actor=actor, action="crisis.warden_links", target=crisis, details={"wardens": sent})
    return sent


def public_url(path: str) -> str:
    base = str(getattr(settings, "PERISAI_PUBLIC_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + path


# ---- family enquiries ------------------------------------------------------------------------------

ENQUIRY_LIFETIME = dt.timedelta(minutes=15)
ENQUIRY_MAX_ATTEMPTS = 5
ENQUIRIES_PER_PHONE_PER_HOUR = 3
ENQUIRIES_PER_ADDRESS_PER_HOUR = 10


class TooManyEnquiries(Exception):
    pass


def _enquiry_hash(code: str, enquiry_id: str) -> str:
    key = hashlib.sha256(("perisai-family-enquiry:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, f"{enquiry_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _find_people(kind: str, identifier: str) -> list[Person]:
    from perisai.registry.validation import FieldError, check_phone

    qs = Person.objects.exclude(status__in=[PersonStatus.ERASED, PersonStatus.MERGED])
    if kind == FamilyEnquiry.Kind.NIK:
        index = crypto.blind_index("nik", identifier)
        return list(qs.filter(nik_index=index)[:5]) if index else []
    if kind == FamilyEnquiry.Kind.PASSPORT:
        index = crypto.blind_index("passport", identifier)
        return list(qs.filter(passport_index=index)[:5]) if index else []
    try:
        phone = check_phone(identifier)
    except FieldError:
        return []
    return list(qs.filter(Q(phone=phone) | Q(whatsapp=phone))[:5]) if phone else []


@transaction.atomic
def do_start_family_enquiry(
    *, kind: str, identifier: str, relative_phone: str, ip_address: str | None
) -> FamilyEnquiry:
    """A relative asks about a person. A code is sent only if the person consented to share their status
    with exactly this phone; the answer looks the same either way (no one learns who is registered)."""
    from perisai.core.messaging.actions import do_queue_message
    from perisai.registry.validation import FieldError, check_phone

    if kind not in FamilyEnquiry.Kind.values:
        raise _fail("kind", _("Choose NIK, passport number or phone number."))
    if not identifier.strip():
        raise _fail("identifier", _("Enter the NIK, passport number or phone number of the person."))
    try:
        relative = check_phone(relative_phone, field="relative_phone")
    except FieldError as exc:
        raise _fail("relative_phone", exc.message) from exc
    if not relative:
        raise _fail("relative_phone", _("Enter your own phone number, with + and the country code."))
    now = timezone.now()
    relative_index = crypto.blind_index("phone", relative)
    hour = now - dt.timedelta(hours=1)
    if FamilyEnquiry.objects.filter(relative_phone_index=relative_index, created_at__gte=hour).count() >= (
        ENQUIRIES_PER_PHONE_PER_HOUR
    ) or (
        ip_address
        and FamilyEnquiry.objects.filter(ip_address=ip_address, created_at__gte=hour).count()
        >= ENQUIRIES_PER_ADDRESS_PER_HOUR
    ):
        raise TooManyEnquiries
    matched: Person | None = None
    for person in _find_people(kind, identifier):
        consent = Consent.objects.filter(
            person=person, purpose=Consent.Purpose.FAMILY_STATUS, granted=True
        ).first()
        if consent is not None and consent.family_contact_phone == relative:
            matched = person
            break
    enquiry = FamilyEnquiry(
        kind=kind,
        identifier_index=crypto.blind_index(kind, identifier.strip()),
        relative_phone_index=relative_index,
        person=matched,
        ip_address=ip_address,
        expires_at=now + ENQUIRY_LIFETIME,
    )
    code = f"{secrets.randbelow(10**6):06d}"
    if matched is not None:
        enquiry.code_hash = _enquiry_hash(code, str(enquiry.public_id))
    enquiry.save()
    audit.record(
        actor=None,
        action="family.enquiry",
        object_type="crisis.familyenquiry",
        object_id=str(enquiry.pk),
        details={"kind": kind, "matched": matched is not None},
    )
    if matched is not None:
        from django.utils.translation import override

        with override(matched.preferred_language or "id"):
            body = _(
                "Perisai: your code to see the safety status of your family member is %(code)s. "
                "Valid 15 minutes. Never share it."
            ) % {"code": code}
        do_queue_message(
            channel="sms",
            recipient=relative,
            body=body,
            purpose=OutboxMessage.Purpose.ENQUIRY,
            idempotency_key=f"family:{enquiry.public_id}",
            wipe_body_after_send=True,
            object_type="crisis.familyenquiry",
            object_id=str(enquiry.pk),
        )
    return enquiry


@dataclass(frozen=True)
class FamilyStatus:
    crisis_title: str
    status: str
    status_label: str
    at: dt.datetime | None
    first_hand: bool


@dataclass(frozen=True)
class FamilyAnswer:
    contact_name: str
    statuses: list[FamilyStatus]


@transaction.atomic
def check_family_code(*, enquiry_public_id: str, code: str) -> FamilyAnswer | None:
    """The shared status if the code is right and fresh; None otherwise (each wrong try counts)."""
    now = timezone.now()
    enquiry = (
        FamilyEnquiry.objects.select_for_update()
        .filter(public_id=enquiry_public_id, verified_at=None, expires_at__gt=now)
        .first()
    )
    if enquiry is None or enquiry.attempts >= ENQUIRY_MAX_ATTEMPTS:
        return None
    if not enquiry.code_hash or not hmac.compare_digest(
        enquiry.code_hash, _enquiry_hash(code.strip(), str(enquiry.public_id))
    ):
        enquiry.attempts += 1
        enquiry.save(update_fields=["attempts"])
        return None
    enquiry.verified_at = now
    enquiry.save(update_fields=["verified_at"])
    person = enquiry.person
    assert person is not None  # noqa: S101  (a code exists only for a matched person)
    consent = Consent.objects.filter(
        person=person, purpose=Consent.Purpose.FAMILY_STATUS, granted=True
    ).first()
    if consent is None:  # revoked in the meantime
        return FamilyAnswer(contact_name="", statuses=[])
    entries = (
        RosterEntry.objects.filter(person=person, crisis__status__in=OPEN_STATUSES, crisis__exercise=False)
        .select_related("crisis")
        .order_by("-crisis__declared_at")
    )
    statuses = [
        FamilyStatus(
            crisis_title=e.crisis.title,
            status=e.status,
            status_label=str(CheckInStatus(e.status).label),
            at=e.status_at,
            first_hand=e.status_first_hand,
        )
        for e in entries
    ]
    audit.record(actor=None, action="family.status_shared", target=person, details={"crises": len(statuses)})
    return FamilyAnswer(contact_name=consent.family_contact_name, statuses=statuses)
