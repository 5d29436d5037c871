"""Reads of preparedness and evacuation, scoped to the viewer's missions. Protected records (evacuees, whose
pages show a person) are opened only through ``access_evacuee_by_id``: not found and forbidden look the
same, and each open is audited."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.core import audit, crypto
from perisai.core.models import User
from perisai.core.scopes import Scope, scope_for
from perisai.places.models import Mission

from .models import (
    BoardingScan,
    ContingencyPlan,
    Drill,
    Evacuee,
    EvacueeEvent,
    Leg,
    Manifest,
    Operation,
    PlanRun,
    PlanVersion,
    RunStatus,
    ScanOutcome,
    Site,
)
from .readiness import Check, check_readiness
from .sections import plan_content


def _mission_q(scope: Scope, field_name: str = "mission_id") -> Q:
    if scope.everything:
        return Q()
    return Q(**{f"{field_name}__in": scope.mission_ids})


def _get_or_404(qs: QuerySet[Any], **lookup: Any) -> Any:
    try:
        return qs.get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


# ---- plans -----------------------------------------------------------------------------------------


def missions_for(*, user: User) -> QuerySet[Mission]:
    scope = scope_for(user)
    qs = Mission.objects.filter(active=True).select_related("country")
    return qs if scope.everything else qs.filter(pk__in=scope.mission_ids)


def list_plans_visible_to(*, user: User) -> QuerySet[ContingencyPlan]:
    return ContingencyPlan.objects.filter(_mission_q(scope_for(user))).select_related("mission")


def access_plan_by_id(*, user: User, public_id: uuid.UUID | str) -> ContingencyPlan:
    return _get_or_404(list_plans_visible_to(user=user), public_id=public_id)  # type: ignore[no-any-return]


def access_version(*, plan: ContingencyPlan, number: int) -> PlanVersion:
    return _get_or_404(plan.versions.all(), number=number)  # type: ignore[no-any-return]


def registered_per_zone(*, mission_id: int, zones: list[dict[str, Any]]) -> dict[int, int]:
    """Active registered people of the mission inside each zone (a circle), counted in numpy."""
    from perisai.places.geometry import haversine_km_np
    from perisai.registry.models import Person, PersonStatus

    out: dict[int, int] = {}
    for zone in zones:
        lat, lon, r = float(zone["lat"]), float(zone["lon"]), float(zone["radius_km"])
        dlat = r / 111.0
        dlon = r / max(1e-6, 111.0 * math.cos(math.radians(lat)))
        rows = np.array(
            Person.objects.filter(
                mission_id=mission_id,
                status=PersonStatus.ACTIVE,
                lat__range=(lat - dlat, lat + dlat),
                lon__range=(lon - dlon, lon + dlon),
            ).values_list("lat", "lon"),
            dtype=np.float64,
        ).reshape(-1, 2)
        if rows.size == 0:
            out[zone["id"]] = 0
            continue
        distances = haversine_km_np(lat, lon, rows[:, 0], rows[:, 1])
        out[zone["id"]] = int((distances <= r).sum())
    return out


def plan_readiness(*, plan: ContingencyPlan, content: dict[str, Any] | None = None) -> list[Check]:
    content = content if content is not None else plan_content(plan)
    return check_readiness(
        content,
        today=timezone.localdate(),
        registered=registered_per_zone(mission_id=plan.mission_id, zones=content.get("zones", [])),
        published_at=plan.published_at,
        unpublished_changes=plan.has_unpublished_changes,
    )


def list_drills(*, plan: ContingencyPlan) -> QuerySet[Drill]:
    return plan.drills.select_related("crisis", "operation", "plan_version")


def access_drill_by_id(*, user: User, public_id: uuid.UUID | str) -> Drill:
    qs = Drill.objects.filter(_mission_q(scope_for(user), "plan__mission_id")).select_related(
        "plan__mission", "crisis", "operation", "plan_version"
    )
    return _get_or_404(qs, public_id=public_id)  # type: ignore[no-any-return]


# ---- evacuations -----------------------------------------------------------------------------------


def list_operations_visible_to(*, user: User) -> QuerySet[Operation]:
    return Operation.objects.filter(_mission_q(scope_for(user))).select_related(
        "crisis", "mission", "plan_version"
    )


def access_operation_by_id(*, user: User, public_id: uuid.UUID | str) -> Operation:
    return _get_or_404(list_operations_visible_to(user=user), public_id=public_id)  # type: ignore[no-any-return]


def list_open_crises_for(*, user: User) -> QuerySet[Any]:
    from perisai.crisis.models import OPEN_STATUSES, Crisis

    scope = scope_for(user)
    qs = Crisis.objects.filter(status__in=OPEN_STATUSES)
    if not scope.everything:
        qs = qs.filter(missions__in=scope.mission_ids).distinct()
    return qs.order_by("-created_at")


def access_leg_by_id(*, user: User, public_id: uuid.UUID | str) -> Leg:
    qs = Leg.objects.filter(_mission_q(scope_for(user), "operation__mission_id")).select_related(
        "operation__crisis", "operation__mission", "site"
    )
    return _get_or_404(qs, public_id=public_id)  # type: ignore[no-any-return]


def access_site_by_id(*, user: User, public_id: uuid.UUID | str) -> Site:
    qs = Site.objects.filter(_mission_q(scope_for(user), "operation__mission_id")).select_related("operation")
    return _get_or_404(qs, public_id=public_id)  # type: ignore[no-any-return]


def list_evacuees_visible_to(*, user: User) -> QuerySet[Evacuee]:
    return Evacuee.objects.filter(_mission_q(scope_for(user), "operation__mission_id"))


def access_evacuee_by_id(*, user: User, public_id: uuid.UUID | str) -> Evacuee:
    """The only way to open one evacuee's page. Audited."""
    qs = list_evacuees_visible_to(user=user).select_related(
        "person",
        "operation__crisis",
        "operation__mission",
        "nationality",
        "assigned_leg",
        "assigned_site",
        "boarded_leg",
    )
    evacuee: Evacuee = _get_or_404(qs, public_id=public_id)
    audit.record_view(actor=user, target=evacuee)
    return evacuee


def access_scan(*, leg: Leg, scan_id: int) -> BoardingScan:
    return _get_or_404(leg.scans.select_related("evacuee__person"), pk=scan_id)  # type: ignore[no-any-return]


def latest_run(*, operation: Operation) -> PlanRun | None:
    return operation.runs.order_by("-requested_at", "-pk").first()


def latest_done_run(*, operation: Operation) -> PlanRun | None:
    return operation.runs.filter(status=RunStatus.DONE).order_by("-finished_at", "-pk").first()


@dataclass
class LegView:
    leg: Leg
    assigned: int
    boarded: int
    manifest: Manifest | None


def leg_views(*, operation: Operation) -> list[LegView]:
    legs = list(
        operation.legs.select_related("site")
        .annotate(
            n_assigned=Count(
                "assigned", filter=Q(assigned__removed_at=None, assigned__stayed_at=None), distinct=True
            ),
            n_boarded=Count("boarded", distinct=True),
        )
        .order_by("departs_at", "pk")
    )
    latest: dict[int, Manifest] = {}
    for m in Manifest.objects.filter(leg__operation=operation).order_by("leg_id", "-number"):
        latest.setdefault(m.leg_id, m)
    return [LegView(leg, leg.n_assigned, leg.n_boarded, latest.get(leg.pk)) for leg in legs]  # type: ignore[attr-defined]


STAGES = ("alerted_at", "accounted_at", "at_assembly_at", "boarded_at", "arrived_at", "handed_over_at")


def operation_overview(*, operation: Operation) -> dict[str, Any]:
    active = Evacuee.objects.filter(operation=operation, removed_at=None)
    counts = active.aggregate(
        total=Count("pk"),
        stayed=Count("pk", filter=~Q(stayed_at=None)),
        assigned=Count("pk", filter=~Q(assigned_leg=None) & Q(stayed_at=None)),
        confirmed=Count("pk", filter=~Q(confirmed_at=None)),
        foreign=Count("pk", filter=~Q(nationality_id="ID")),
        **{stage: Count("pk", filter=~Q(**{stage: None})) for stage in STAGES},
    )
    unassigned = Counter(
        dict(
            active.filter(stayed_at=None, assigned_leg=None, boarded_leg=None)
            .exclude(unassigned_reason="")
            .values("unassigned_reason")
            .annotate(n=Count("pk"))
            .values_list("unassigned_reason", "n")
        )
    )
    return {"counts": counts, "unassigned": dict(unassigned)}


def list_evacuees(*, operation: Operation, filter_key: str = "", query: str = "") -> QuerySet[Evacuee]:
    qs = Evacuee.objects.filter(operation=operation).select_related(
        "person", "nationality", "assigned_leg", "boarded_leg"
    )
    if filter_key == "unassigned":
        qs = qs.filter(removed_at=None, stayed_at=None, assigned_leg=None, boarded_leg=None)
    elif filter_key == "stayed":
        qs = qs.exclude(stayed_at=None)
    elif filter_key == "foreign":
        qs = qs.exclude(nationality_id="ID")
    elif filter_key == "arrived":
        qs = qs.exclude(arrived_at=None)
    query = " ".join(query.split())[:100]
    if query:
        qs = qs.filter(Q(full_name__icontains=query) | Q(person__full_name__icontains=query))
    return qs.order_by("-priority", "household", "pk")


def unplaced_by_area(*, operation: Operation) -> list[dict[str, Any]]:
    """Which areas lack places, and how many people (with how many of priority 1 and above)."""
    rows = (
        Evacuee.objects.filter(
            operation=operation, removed_at=None, stayed_at=None, assigned_leg=None, boarded_leg=None
        )
        .values("area_name")
        .annotate(n=Count("pk"), vulnerable=Count("pk", filter=Q(priority__gte=1)))
        .order_by("-n")
    )
    return list(rows)


# ---- manifests -------------------------------------------------------------------------------------


@dataclass
class ManifestRow:
    number: int
    evacuee: Evacuee
    name: str
    sex: str
    birth_date: dt.date | None
    nationality: str
    eligibility: str
    document_type: str
    document_number: str
    consent: str
    health: str
    priority: int
    household: str
    boarded: bool
    token: str


def manifest_rows(*, manifest: Manifest) -> list[ManifestRow]:
    from .tokens import boarding_token

    evacuees = {
        e.pk: e
        for e in Evacuee.objects.filter(pk__in=manifest.evacuee_ids).select_related("person", "nationality")
    }
    households: dict[str, str] = {}
    rows = []
    for i, pk in enumerate(manifest.evacuee_ids, start=1):
        e = evacuees.get(pk)
        if e is None:
            continue
        households.setdefault(
            e.household, chr(ord("A") + len(households) % 26) + str(len(households) // 26 or "")
        )
        person = e.person
        rows.append(
            ManifestRow(
                number=i,
                evacuee=e,
                name=e.name,
                sex=e.sex or (person.sex if person else ""),
                birth_date=e.birth_date or (person.birth_date if person else None),
                nationality=e.nationality_id,
                eligibility=e.get_eligibility_display(),
                document_type=e.get_document_type_display(),
                document_number=crypto.decrypt(e.document_encrypted) if e.document_encrypted else "",
                consent=e.get_consent_display(),
                health=e.get_health_display(),
                priority=e.priority,
                household=households[e.household],
                boarded=e.boarded_leg_id == manifest.leg_id,
                token=boarding_token(e.pk),
            )
        )
    return rows


def manifest_changes(*, leg: Leg) -> list[Manifest]:
    return list(leg.manifests.order_by("-number"))


def offline_list(*, leg: Leg) -> list[dict[str, str]]:
    """What the boarding phone keeps for a leg, to say who a scan is while offline: the QR code's short
    code, the name, and a salted hash of the document number (never the number itself)."""
    from .tokens import b36, token_code

    manifest = leg.manifests.order_by("-number").first()
    ids = list(manifest.evacuee_ids) if manifest else []
    ids += list(Evacuee.objects.filter(assigned_leg=leg).exclude(pk__in=ids).values_list("pk", flat=True))
    out = []
    salt = str(leg.public_id)
    for e in Evacuee.objects.filter(pk__in=ids).select_related("person").order_by("pk"):
        number = crypto.decrypt(e.document_encrypted) if e.document_encrypted else ""
        out.append(
            {
                "code": token_code(f"E{b36(e.pk)}."),
                "name": e.name,
                "doc": _doc_hash(salt, number) if number else "",
                "boarded": "1" if e.boarded_leg_id == leg.pk else "",
            }
        )
    return out


def _doc_hash(salt: str, number: str) -> str:
    import hashlib

    return hashlib.sha256(f"{salt}:{crypto.normalise_identifier(number)}".encode()).hexdigest()


def list_scans(*, leg: Leg, problems_only: bool = False) -> QuerySet[BoardingScan]:
    qs = leg.scans.select_related("evacuee__person")
    if problems_only:
        qs = qs.filter(outcome__in=[ScanOutcome.CONFLICT, ScanOutcome.UNKNOWN], resolved_at=None)
    return qs


# ---- a person's path -------------------------------------------------------------------------------


@dataclass
class Stage:
    label: str
    at: dt.datetime | None
    detail: str = ""


def person_path(*, evacuee: Evacuee) -> list[Stage]:
    person = evacuee.person
    registered = person.created_at if person is not None else evacuee.created_at
    stages = [
        Stage(_("Registered"), registered, "" if person is not None else _("entered by an officer")),
        Stage(_("Alerted"), evacuee.alerted_at),
        Stage(_("Accounted for"), evacuee.accounted_at),
        Stage(_("At the assembly point"), evacuee.at_assembly_at),
        Stage(_("Boarded"), evacuee.boarded_at, evacuee.boarded_leg.label if evacuee.boarded_leg else ""),
        Stage(
            _("Arrived in Indonesia") if evacuee.arrived_in_indonesia else _("Arrived at the safe haven"),
            evacuee.arrived_at,
            evacuee.arrived_where,
        ),
        Stage(_("Handed over to the home region"), evacuee.handed_over_at, evacuee.handed_over_region),
    ]
    if evacuee.case_code:
        stages.append(Stage(_("Reintegration case"), evacuee.handed_over_at, evacuee.case_code))
    return stages


def list_events(*, evacuee: Evacuee) -> QuerySet[EvacueeEvent]:
    return evacuee.events.select_related("leg").order_by("at", "pk")


def household_of(*, evacuee: Evacuee) -> QuerySet[Evacuee]:
    return (
        Evacuee.objects.filter(operation_id=evacuee.operation_id, household=evacuee.household)
        .exclude(pk=evacuee.pk)
        .select_related("person")
    )


def foreign_nationals_by_country(*, operation: Operation) -> list[tuple[Any, list[Evacuee]]]:
    """Foreign nationals assisted, per country, so that their state can be informed."""
    groups: dict[str, list[Evacuee]] = {}
    countries = {}
    for e in (
        Evacuee.objects.filter(operation=operation, removed_at=None)
        .exclude(nationality_id="ID")
        .select_related("nationality", "boarded_leg")
        .order_by("nationality__name", "full_name")
    ):
        groups.setdefault(e.nationality_id, []).append(e)
        countries[e.nationality_id] = e.nationality
    return [(countries[code], people) for code, people in groups.items()]


# ---- drills and the after-action report ------------------------------------------------------------


@dataclass
class Step:
    label: str
    at: dt.datetime | None
    took: dt.timedelta | None = None  # since the previous step that happened
    since_start: dt.timedelta | None = None


def accounted_times(*, crisis: Any) -> tuple[dt.datetime | None, list[dt.datetime], int]:
    """(time zero, sorted times people were first accounted for, size of the roster). Time zero is the
    first approved alert, else when the crisis was declared (or opened)."""
    from perisai.crisis.models import Alert, RosterEntry

    first_alert = (
        Alert.objects.filter(crisis=crisis)
        .exclude(approved_at=None)
        .order_by("approved_at")
        .values_list("approved_at", flat=True)
        .first()
    )
    t0 = first_alert or crisis.declared_at or crisis.created_at
    roster = RosterEntry.objects.filter(crisis=crisis)
    times = sorted(t for t in roster.values_list("first_accounted_at", flat=True) if t is not None)
    return t0, times, roster.count()


def time_to_account(
    *, crisis: Any, shares: tuple[float, ...] = (0.5, 0.9, 0.99)
) -> list[tuple[float, dt.timedelta | None]]:
    t0, times, total = accounted_times(crisis=crisis)
    out: list[tuple[float, dt.timedelta | None]] = []
    for share in shares:
        k = math.ceil(share * total)
        if total == 0 or k > len(times) or t0 is None:
            out.append((share, None))
        else:
            out.append((share, max(dt.timedelta(0), times[k - 1] - t0)))
    return out


def drill_steps(*, drill: Drill) -> list[Step]:
    from perisai.crisis.models import Alert, TimelineEntry

    crisis = drill.crisis
    operation = drill.operation
    level_one = (
        TimelineEntry.objects.filter(crisis=crisis, kind=TimelineEntry.Kind.LEVEL, details__to=1)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    alerts = Alert.objects.filter(crisis=crisis)
    approved = (
        alerts.exclude(approved_at=None).order_by("approved_at").values_list("approved_at", flat=True).first()
    )
    sent = (
        alerts.exclude(fanout_done_at=None)
        .order_by("fanout_done_at")
        .values_list("fanout_done_at", flat=True)
        .first()
    )
    _t0, times, total = accounted_times(crisis=crisis)
    half = times[math.ceil(0.5 * total) - 1] if total and len(times) >= math.ceil(0.5 * total) else None
    steps = [
        Step(_("Exercise started"), drill.started_at),
        Step(_("Siaga 1 declared"), level_one),
        Step(_("Alert approved"), approved),
        Step(_("Alert handed to the channels"), sent),
        Step(_("Half of the people accounted for"), half),
    ]
    if operation is not None:
        run = operation.runs.filter(status=RunStatus.DONE).order_by("finished_at").first()
        manifest = Manifest.objects.filter(leg__operation=operation).order_by("issued_at").first()
        boarded = Evacuee.objects.filter(operation=operation).exclude(boarded_at=None).order_by("boarded_at")
        arrived = Evacuee.objects.filter(operation=operation).exclude(arrived_at=None).order_by("arrived_at")
        handed = (
            Evacuee.objects.filter(operation=operation)
            .exclude(handed_over_at=None)
            .order_by("handed_over_at")
        )
        steps += [
            Step(_("Evacuation plan ready"), run.finished_at if run else None),
            Step(_("First manifest issued"), manifest.issued_at if manifest else None),
            Step(_("First person boarded"), boarded.values_list("boarded_at", flat=True).first()),
            Step(_("Last person boarded"), boarded.reverse().values_list("boarded_at", flat=True).first()),
            Step(_("First arrival"), arrived.values_list("arrived_at", flat=True).first()),
            Step(_("First hand-over"), handed.values_list("handed_over_at", flat=True).first()),
        ]
    previous = drill.started_at
    for step in steps:
        if step.at is None:
            continue
        step.took = max(dt.timedelta(0), step.at - previous)
        step.since_start = max(dt.timedelta(0), step.at - drill.started_at)
        previous = max(previous, step.at)
    return steps


@dataclass
class AfterAction:
    operation: Operation
    crisis: Any
    roster: int
    accounted: int
    time_to_account: list[tuple[float, dt.timedelta | None]]
    evacuees: int
    moved: int
    legs: list[dict[str, Any]]
    stayed: list[dict[str, Any]]
    foreign: list[dict[str, Any]]
    handed_over: list[dict[str, Any]]
    cases: int
    costs: list[dict[str, Any]]
    cost_totals: dict[str, Any]
    lessons: list[Any]
    timeline: list[tuple[dt.datetime, str]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def after_action(*, operation: Operation) -> AfterAction:
    """Everything the after-action report says, from the records. Breakdowns by a person's attributes
    (why they stayed, nationality, home province) suppress cells under 5; totals and legs are operational
    facts and are shown as they are."""
    from perisai.core.stats import suppress
    from perisai.crisis.models import RosterEntry, TimelineEntry

    crisis = operation.crisis
    evacuees = Evacuee.objects.filter(operation=operation, removed_at=None)
    roster = RosterEntry.objects.filter(crisis=crisis)
    legs = [
        {
            "label": v.leg.label,
            "mode": v.leg.get_mode_display(),
            "from": v.leg.site.name,
            "to": v.leg.destination,
            "departs": v.leg.departed_at or v.leg.departs_at,
            "status": v.leg.get_status_display(),
            "seats": v.leg.seats,
            "boarded": v.boarded,
        }
        for v in leg_views(operation=operation)
    ]
    from .models import StayReason

    reasons = dict(StayReason.choices)
    stayed = suppress(
        [
            {"reason": str(reasons.get(r["stay_reason"], r["stay_reason"])), "n": r["n"]}
            for r in evacuees.exclude(stayed_at=None)
            .values("stay_reason")
            .annotate(n=Count("pk"))
            .order_by("-n")
        ]
    )
    foreign = suppress(
        [
            {
                "country": str(r["nationality__name"]),
                "code": r["nationality_id"],
                "n": r["n"],
                "moved": r["moved"],
            }
            for r in evacuees.exclude(nationality_id="ID")
            .values("nationality_id", "nationality__name")
            .annotate(n=Count("pk"), moved=Count("pk", filter=~Q(boarded_at=None)))
            .order_by("-n")
        ]
    )
    handed = suppress([{"region": r["region"], "n": r["n"]} for r in _handed_by_province(evacuees)])
    costs = list(operation.costs.order_by("category", "pk"))
    totals: dict[str, Any] = {}
    for c in costs:
        totals[c.currency] = totals.get(c.currency, 0) + c.amount
    timeline: list[tuple[dt.datetime, str]] = []
    kinds = dict(TimelineEntry.Kind.choices)
    for entry in TimelineEntry.objects.filter(crisis=crisis).order_by("at", "pk")[:300]:
        text = str(kinds.get(entry.kind, entry.kind))
        if entry.kind == TimelineEntry.Kind.LEVEL:
            text += f": {entry.details.get('area', '')} Siaga {entry.details.get('from')} → {entry.details.get('to')}"
        elif entry.kind == TimelineEntry.Kind.STATUS:
            text += f": {entry.details.get('from')} → {entry.details.get('to')}"
        timeline.append((entry.at, text))
    for run in operation.runs.filter(status=RunStatus.DONE).order_by("finished_at"):
        assert run.finished_at is not None  # noqa: S101
        timeline.append((run.finished_at, _("Evacuation plan computed")))
    for m in Manifest.objects.filter(leg__operation=operation).select_related("leg").order_by("issued_at"):
        timeline.append(
            (
                m.issued_at,
                _("Manifest %(n)d issued for %(leg)s (%(count)d people)")
                % {"n": m.number, "leg": m.leg.label, "count": m.count},
            )
        )
    for leg in operation.legs.all():
        if leg.departed_at:
            timeline.append((leg.departed_at, _("%(leg)s departed") % {"leg": leg.label}))
        if leg.arrived_at:
            timeline.append(
                (
                    leg.arrived_at,
                    _("%(leg)s arrived at %(place)s") % {"leg": leg.label, "place": leg.destination},
                )
            )
    timeline.sort(key=lambda item: item[0])
    drill = Drill.objects.filter(operation=operation).first()
    return AfterAction(
        operation=operation,
        crisis=crisis,
        roster=roster.count(),
        accounted=roster.exclude(first_accounted_at=None).count(),
        time_to_account=time_to_account(crisis=crisis),
        evacuees=evacuees.count(),
        moved=evacuees.exclude(boarded_at=None).count(),
        legs=legs,
        stayed=stayed,
        foreign=foreign,
        handed_over=handed,
        cases=evacuees.exclude(case_code="").count(),
        costs=[
            {
                "category": c.get_category_display(),
                "description": c.description,
                "amount": c.amount,
                "currency": c.currency,
            }
            for c in costs
        ],
        cost_totals=totals,
        lessons=list(operation.lessons.all()),
        timeline=timeline,
        steps=drill_steps(drill=drill) if drill is not None else [],
    )


def _handed_by_province(evacuees: QuerySet[Evacuee]) -> list[dict[str, Any]]:
    from perisai.places.models import Region

    counts: Counter[str] = Counter()
    for region in evacuees.exclude(handed_over_at=None).values_list("handed_over_region", flat=True):
        counts[(region or "").split(".")[0]] += 1
    names = dict(Region.objects.filter(code__in=[c for c in counts if c]).values_list("code", "name"))
    return [{"region": names.get(code, code or "—"), "n": n} for code, n in counts.most_common()]
