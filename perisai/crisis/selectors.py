"""Reads of the crisis module, scoped to the viewer.

Crises are seen by the officers of their responsible missions (or of the crisis country); people inside a
crisis only within the viewer's own scope (their missions, or their home regions for supervisors). Lists
and records of individuals are opened only through these functions, and each open is audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.core import audit
from perisai.core.models import OutboxMessage, User
from perisai.core.scopes import Scope, scope_for
from perisai.registry.models import VULNERABILITY_LABELS, Person, PersonStatus, Sector
from perisai.registry.selectors import list_people_visible_to

from .actions import near_km
from .exposure import Columns, Summary, expose_many, summarise
from .models import (
    OPEN_STATUSES,
    Alert,
    CallDownAssignment,
    CheckIn,
    CheckInStatus,
    Crisis,
    CrisisArea,
    CrisisStatus,
    FeedState,
    PersonNote,
    RosterEntry,
    TimelineEntry,
    Warden,
)

# ---- crises ----------------------------------------------------------------------------------------


def crisis_scope_q(scope: Scope) -> Q:
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.mission_ids:
        q |= Q(missions__in=scope.mission_ids)
    if scope.country_codes:
        q |= Q(country_id__in=scope.country_codes)
    return q


def list_crises_visible_to(*, user: User) -> QuerySet[Crisis]:
    ids = Crisis.objects.filter(crisis_scope_q(scope_for(user))).values("pk")
    return Crisis.objects.filter(pk__in=ids).select_related("country").prefetch_related("areas", "missions")


def access_crisis_by_id(*, user: User, public_id: uuid.UUID | str) -> Crisis:
    """A crisis the viewer may see. Not found and forbidden look the same."""
    try:
        return list_crises_visible_to(user=user).get(public_id=public_id)
    except (Crisis.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def access_area_by_id(*, user: User, public_id: uuid.UUID | str) -> CrisisArea:
    try:
        area = CrisisArea.objects.select_related("crisis").get(public_id=public_id)
    except (CrisisArea.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    access_crisis_by_id(user=user, public_id=area.crisis.public_id)
    return area


def access_alert_by_id(*, user: User, public_id: uuid.UUID | str) -> Alert:
    try:
        alert = Alert.objects.select_related("crisis", "drafted_by", "approved_by", "target_area").get(
            public_id=public_id
        )
    except (Alert.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    access_crisis_by_id(user=user, public_id=alert.crisis.public_id)
    return alert


def list_open_crises(*, user: User) -> QuerySet[Crisis]:
    return list_crises_visible_to(user=user).filter(status__in=[*OPEN_STATUSES, CrisisStatus.SUGGESTED])


# ---- the viewer's slice of the population ----------------------------------------------------------


def within_scope(columns: Columns, scope: Scope) -> np.ndarray[Any, Any] | None:
    """Mask of the people the scope may see (None: everyone). Same rule as registry.person_scope_q."""
    if scope.everything:
        return None
    mask = np.zeros(len(columns), dtype=np.bool_)
    if scope.mission_ids:
        mask |= np.isin(columns.mission, np.fromiter(scope.mission_ids, dtype=np.int64))
    fine: list[str] = []
    for code in scope.region_codes:
        level = code.count(".") + 1
        digits = int(code.replace(".", "")) if code.replace(".", "").isdigit() else -1
        if level == 1:
            mask |= columns.province == digits
        elif level == 2:
            mask |= columns.regency == digits
        else:
            fine.append(code)
    if fine:  # district or village scopes: ask the database
        q = Q()
        for code in fine:
            q |= Q(home_village__code__startswith=code + ".") | Q(home_village_id=code)
        ids = np.fromiter(Person.objects.filter(q).values_list("pk", flat=True), dtype=np.int64)
        mask |= np.isin(columns.ids, ids)
    return mask


@dataclass(frozen=True)
class Population:
    crisis: Crisis
    areas: list[CrisisArea]
    columns: Columns
    positions: np.ndarray[Any, Any]
    area_keys: np.ndarray[Any, Any]
    near: np.ndarray[Any, Any]
    summary: Summary
    by_area: dict[int, int]

    @property
    def person_ids(self) -> list[int]:
        return [int(i) for i in self.columns.ids[self.positions].tolist()]


def crisis_population(*, user: User, crisis: Crisis, area: CrisisArea | None = None) -> Population:
    """Everyone inside (or near) the crisis areas, within the viewer's scope, with their counts."""
    from .population import snapshot

    areas = [area] if area is not None else list(crisis.areas.order_by("level", "pk"))
    columns = snapshot()
    within = within_scope(columns, scope_for(user))
    if areas:
        positions, keys, near = expose_many(
            columns, [(a.pk, a.geometry) for a in areas], near_km=near_km(), within=within
        )
    else:
        positions = keys = np.zeros(0, dtype=np.int64)
        near = np.zeros(0, dtype=np.bool_)
    summary = summarise(columns, positions, near=positions[near])
    area_ids, counts = np.unique(keys, return_counts=True)
    by_area = {int(a): int(c) for a, c in zip(area_ids.tolist(), counts.tolist(), strict=True)}
    return Population(crisis, areas, columns, positions, keys, near, summary, by_area)


def open_population_page(
    *, user: User, population: Population, page: int, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of the people exposed (names and contacts): an open of individuals, audited."""
    ids = population.person_ids
    pages = max(1, -(-len(ids) // per_page))
    page = min(max(1, page), pages)
    chunk = ids[(page - 1) * per_page : page * per_page]
    near_ids = set(population.columns.ids[population.positions[population.near]].tolist())
    area_of = dict(
        zip(
            population.columns.ids[population.positions].tolist(),
            population.area_keys.tolist(),
            strict=True,
        )
    )
    names = {a.pk: a.name for a in population.areas}
    people = {
        p.pk: p for p in list_people_visible_to(user=user).filter(pk__in=chunk).select_related("mission")
    }
    status = dict(
        RosterEntry.objects.filter(crisis=population.crisis, person_id__in=chunk).values_list(
            "person_id", "status"
        )
    )
    rows = []
    for pid in chunk:
        person = people.get(pid)
        if person is None:
            continue
        rows.append(
            {
                "person": person,
                "area": names.get(area_of.get(pid, -1), ""),
                "near": pid in near_ids,
                "status": status.get(pid, CheckInStatus.UNKNOWN),
                "status_label": CheckInStatus(status.get(pid, CheckInStatus.UNKNOWN)).label,
                "vulnerabilities": vulnerability_labels(person.vulnerabilities),
            }
        )
    audit.record(
        actor=user,
        action="crisis.population_view",
        target=population.crisis,
        sensitive=True,
        details={"page": page, "shown": len(rows), "total": len(ids)},
    )
    return rows, pages


def vulnerability_labels(mask: int) -> list[str]:
    return [str(label) for flag, label in VULNERABILITY_LABELS.items() if mask & int(flag)]


def city_names(city_ids: Sequence[int]) -> dict[int, str]:
    from perisai.places.gazetteer import get_city

    names: dict[int, str] = {}
    for city_id in city_ids:
        if not city_id:
            continue
        city = get_city(int(city_id))
        names[int(city_id)] = city.name if city is not None else str(city_id)
    return names


def sector_label(code: str) -> str:
    if not code:
        return _("Not working / not given")
    try:
        return str(Sector(code).label)
    except ValueError:
        return code


# ---- the dashboard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    total: int
    accounted: int
    safe: int
    need_help: int
    not_there: int
    unknown: int
    conflicting: int
    share: float
    series: list[tuple[dt.datetime, float]]
    by_area: list[dict[str, Any]]
    by_vulnerability: list[dict[str, Any]]


def roster_in_scope(*, user: User, crisis: Crisis) -> QuerySet[RosterEntry]:
    """The roster entries of the people the viewer may see. An erased person is nobody's to account for any
    more (her name and contacts are gone): she is in no list and no count of the dashboard, for any viewer
    (her row stays, for the aggregate statistics)."""
    scope = scope_for(user)
    qs = RosterEntry.objects.filter(crisis=crisis)
    if scope.everything:
        return qs.exclude(person__status=PersonStatus.ERASED)
    return qs.filter(person__in=list_people_visible_to(user=user))


def crisis_dashboard(*, user: User, crisis: Crisis, points: int = 24) -> Dashboard:
    """Accounted share (now and over time), counts by status, area and vulnerability (viewer's scope)."""
    roster = roster_in_scope(user=user, crisis=crisis)
    counts = dict(roster.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    total = sum(counts.values())
    unknown = counts.get(CheckInStatus.UNKNOWN, 0)
    accounted = total - unknown
    times = [
        t for t in roster.exclude(first_accounted_at=None).values_list("first_accounted_at", flat=True) if t
    ]
    series = _series(crisis, times, total, points=points)
    area_rows = {
        row["area_id"]: row
        for row in roster.values("area_id")
        .annotate(n=Count("id"), unknown=Count("id", filter=Q(status=CheckInStatus.UNKNOWN)))
        .order_by()
    }
    by_area = []
    for area in crisis.areas.order_by("level", "name"):
        row = area_rows.pop(area.pk, {"n": 0, "unknown": 0})
        by_area.append({"area": area, "n": row["n"], "accounted": row["n"] - row["unknown"]})
    if area_rows:
        rest_n = sum(r["n"] for r in area_rows.values())
        rest_unknown = sum(r["unknown"] for r in area_rows.values())
        by_area.append({"area": None, "n": rest_n, "accounted": rest_n - rest_unknown})
    vuln_rows = []
    for flag, label in VULNERABILITY_LABELS.items():
        sub = roster.alias(flagged=F("vulnerabilities").bitand(int(flag))).filter(flagged__gt=0)
        n = sub.count()
        if n:
            vuln_rows.append(
                {"label": label, "n": n, "accounted": n - sub.filter(status=CheckInStatus.UNKNOWN).count()}
            )
    return Dashboard(
        total=total,
        accounted=accounted,
        safe=counts.get(CheckInStatus.SAFE, 0),
        need_help=counts.get(CheckInStatus.NEED_HELP, 0),
        not_there=counts.get(CheckInStatus.NOT_THERE, 0),
        unknown=unknown,
        conflicting=roster.filter(conflicting=True).count(),
        share=(accounted / total) if total else 0.0,
        series=series,
        by_area=by_area,
        by_vulnerability=vuln_rows,
    )


def _series(
    crisis: Crisis, times: list[dt.datetime], total: int, *, points: int
) -> list[tuple[dt.datetime, float]]:
    start = crisis.declared_at or crisis.created_at
    end = timezone.now()
    if times:
        start = min(start, min(times))
    if not total or end <= start:
        return []
    stamps = np.array(sorted(t.timestamp() for t in times), dtype=np.float64)
    grid = np.linspace(start.timestamp(), end.timestamp(), points)
    done = np.searchsorted(stamps, grid, side="right")
    return [
        (dt.datetime.fromtimestamp(float(t), tz=dt.UTC), float(d) / total)
        for t, d in zip(grid.tolist(), done.tolist(), strict=True)
    ]


def need_help_queue(*, user: User, crisis: Crisis, limit: int = 100) -> QuerySet[RosterEntry]:
    return (
        roster_in_scope(user=user, crisis=crisis)
        .filter(status=CheckInStatus.NEED_HELP)
        .select_related("person", "area")
        .order_by("status_at")[:limit]
    )


def unaccounted(*, user: User, crisis: Crisis) -> QuerySet[RosterEntry]:
    return (
        roster_in_scope(user=user, crisis=crisis)
        .filter(status=CheckInStatus.UNKNOWN)
        .select_related("person", "area")
        .order_by("-vulnerabilities", "area__level", "person__full_name")
    )


def open_unaccounted_page(
    *, user: User, crisis: Crisis, page: int, per_page: int = 50
) -> tuple[list[RosterEntry], int, int]:
    qs = unaccounted(user=user, crisis=crisis)
    total = qs.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = list(qs[(page - 1) * per_page : page * per_page])
    audit.record(
        actor=user,
        action="crisis.unaccounted_view",
        target=crisis,
        sensitive=True,
        details={"page": page, "shown": len(rows), "total": total},
    )
    return rows, pages, total


def case_link(entry: RosterEntry) -> str:
    if not entry.case_public_id:
        return ""
    try:
        from perisai.cases.intake import case_url  # type: ignore[import-not-found,unused-ignore]
        from perisai.cases.models import Case  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return ""
    case = Case.objects.filter(public_id=entry.case_public_id).first()
    return str(case_url(case)) if case is not None else ""


# ---- one person in a crisis ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInCrisis:
    person: Person
    entry: RosterEntry | None
    checkins: list[CheckIn]
    notes: list[PersonNote]
    conflicting: bool
    messages: list[OutboxMessage]


def access_person_in_crisis(*, user: User, crisis: Crisis, public_id: uuid.UUID | str) -> PersonInCrisis:
    """A person's reports (all of them, latest first), notes and alert deliveries in a crisis. Audited."""
    try:
        person = list_people_visible_to(user=user).get(public_id=public_id)
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    entry = RosterEntry.objects.filter(crisis=crisis, person=person).select_related("area").first()
    checkins = list(CheckIn.objects.filter(crisis=crisis, person=person).select_related("recorded_by"))
    notes = list(PersonNote.objects.filter(crisis=crisis, person=person))
    keys = [
        f"alert:{a}:{person.pk}:{r}"
        for a, r in crisis.alerts.filter(recipients__person=person).values_list("pk", "recipients__round")
    ]
    messages = list(OutboxMessage.objects.filter(idempotency_key__in=keys).order_by("-created_at"))
    audit.record(
        actor=user,
        action="view",
        target=person,
        sensitive=True,
        details={"crisis": str(crisis.public_id)},
    )
    return PersonInCrisis(
        person=person,
        entry=entry,
        checkins=checkins,
        notes=notes,
        conflicting=len({c.status for c in checkins}) > 1,
        messages=messages,
    )


# ---- alerts ----------------------------------------------------------------------------------------


def delivery_counts(alert: Alert) -> dict[str, int]:
    rows = (
        OutboxMessage.objects.filter(object_type="crisis.alert", object_id=str(alert.pk))
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(OutboxMessage.Status.values, 0)
    counts.update({status: n for status, n in rows})
    return counts


def failure_reasons(alert: Alert, limit: int = 5) -> list[tuple[str, int]]:
    rows = (
        OutboxMessage.objects.filter(
            object_type="crisis.alert", object_id=str(alert.pk), status=OutboxMessage.Status.FAILED
        )
        .values_list("last_error")
        .annotate(n=Count("id"))
        .order_by("-n")[:limit]
    )
    return [(reason or "?", n) for reason, n in rows]


def estimate_recipients(alert: Alert) -> int:
    from .fanout import select_recipients

    return len(select_recipients(alert).person_ids)


# ---- timeline --------------------------------------------------------------------------------------


def describe(entry: TimelineEntry) -> str:
    """A timeline entry in the viewer's language (entries keep codes and numbers, not sentences)."""
    d = entry.details or {}
    kind = entry.kind
    if kind == TimelineEntry.Kind.SUGGESTED:
        return _(
            "Suggested from %(source)s event %(event)s: %(count)s registered people exposed, %(vulnerable)s vulnerable."
        ) % {
            "source": str(d.get("source", "")).upper(),
            "event": d.get("event", ""),
            "count": d.get("count", 0),
            "vulnerable": d.get("vulnerable", 0),
        }
    if kind == TimelineEntry.Kind.FEED_UPDATE:
        if d.get("cancelled"):
            return _("The source cancelled event %(event)s.") % {"event": d.get("event", "")}
        return _("The source updated event %(event)s: %(count)s registered people exposed.") % {
            "event": d.get("event", ""),
            "count": d.get("count", 0),
        }
    if kind == TimelineEntry.Kind.CREATED:
        return _("Crisis opened (%(status)s).") % {"status": _status_label(d.get("status", ""))}
    if kind == TimelineEntry.Kind.STATUS:
        return _("Status: %(from)s → %(to)s.") % {
            "from": _status_label(d.get("from", "")),
            "to": _status_label(d.get("to", "")),
        }
    if kind == TimelineEntry.Kind.AREA:
        return _("Area %(area)s added at Siaga %(level)s.") % {
            "area": d.get("area", ""),
            "level": d.get("level", ""),
        }
    if kind == TimelineEntry.Kind.LEVEL:
        text = _("Siaga %(from)s → Siaga %(to)s for %(area)s.") if d.get("raised") else None
        text = text or _("Siaga lowered: %(from)s → %(to)s for %(area)s.")
        return text % {"from": d.get("from", ""), "to": d.get("to", ""), "area": d.get("area", "")}
    if kind == TimelineEntry.Kind.ALERT_DRAFTED:
        return _("Alert drafted, waiting for approval.")
    if kind == TimelineEntry.Kind.ALERT_APPROVED:
        return _("Alert approved: sending starts.")
    if kind == TimelineEntry.Kind.ALERT_SENT:
        return _("Alert queued for %(queued)s people (%(unreachable)s without consent or contact).") % {
            "queued": d.get("queued", 0),
            "unreachable": d.get("unreachable", 0),
        }
    if kind == TimelineEntry.Kind.REASK:
        return _("%(asked)s people who had not answered were asked again.") % {"asked": d.get("asked", 0)}
    if kind == TimelineEntry.Kind.CALL_DOWN:
        return _("Call-down lists: %(assigned)s people given to wardens.") % {
            "assigned": d.get("assigned", 0)
        }
    return str(entry.get_kind_display())


def _status_label(value: str) -> str:
    try:
        return str(CrisisStatus(value).label)
    except ValueError:
        return value


# ---- feeds and wardens -----------------------------------------------------------------------------


def list_feed_states() -> QuerySet[FeedState]:
    return FeedState.objects.order_by("name")


def list_wardens_visible_to(*, user: User) -> QuerySet[Warden]:
    scope = scope_for(user)
    qs = Warden.objects.select_related("mission")
    return qs if scope.everything else qs.filter(mission_id__in=scope.mission_ids)


def call_down_lists(*, user: User, crisis: Crisis) -> list[dict[str, Any]]:
    wardens = list_wardens_visible_to(user=user).filter(mission__in=crisis.missions.all(), active=True)
    counts = dict(
        CallDownAssignment.objects.filter(crisis=crisis)
        .values_list("warden_id")
        .annotate(n=Count("id"))
        .values_list("warden_id", "n")
    )
    return [{"warden": w, "n": counts.get(w.pk, 0)} for w in wardens]


def warden_list(*, crisis: Crisis, warden: Warden) -> list[dict[str, Any]]:
    """A warden's call-down list (names and phones of people to call). Audited by the caller's view."""
    rows = (
        CallDownAssignment.objects.filter(crisis=crisis, warden=warden)
        .select_related("person")
        .order_by("person__full_name")
    )
    status = dict(
        RosterEntry.objects.filter(crisis=crisis, person_id__in=[r.person_id for r in rows]).values_list(
            "person_id", "status"
        )
    )
    return [
        {
            "person": r.person,
            "status": status.get(r.person_id, CheckInStatus.UNKNOWN),
            "status_label": CheckInStatus(status.get(r.person_id, CheckInStatus.UNKNOWN)).label,
        }
        for r in rows
    ]
