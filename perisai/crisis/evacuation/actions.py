"""Writes of preparedness and evacuation. Keyword-only, typed, atomic, audited; side effects (the solver, a
reintegration case) are scheduled on commit. Audit details carry identifiers and codes, never names.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.core import audit, crypto
from perisai.core.models import User
from perisai.places.models import Country, Mission

from .bulk import insert_rows
from .models import (
    SCENARIO_CRISIS_TYPE,
    BoardingScan,
    ContingencyPlan,
    CostCategory,
    CostItem,
    DocumentType,
    Drill,
    Eligibility,
    Evacuee,
    EvacueeEvent,
    EvacueeSource,
    EventKind,
    Health,
    Leg,
    LegStatus,
    Lesson,
    LessonKind,
    Manifest,
    Operation,
    OperationStatus,
    PlanItem,
    PlanRole,
    PlanRun,
    PlanVersion,
    PlanWarden,
    RunStatus,
    ScanOutcome,
    Scenario,
    Site,
    SiteKind,
    StayReason,
    TransportMode,
)
from .models import Consent as ConsentChoice
from .priority import Member, priorities
from .sections import BY_KEY, plan_content

logger = logging.getLogger(__name__)

MAX_TEXT = 4000
LEG_SPACING = dt.timedelta(hours=2)


class EvacuationInputError(ValueError):
    """Every problem of one input at once: field -> list of translated messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _fail(field: str, message: str) -> EvacuationInputError:
    return EvacuationInputError({field: [message]})


def _event(
    evacuee: Evacuee,
    kind: str,
    *,
    actor: User | None,
    at: dt.datetime | None = None,
    leg: Leg | None = None,
    **details: Any,
) -> EvacueeEvent:
    return EvacueeEvent.objects.create(
        evacuee=evacuee,
        kind=kind,
        at=at or timezone.now(),
        leg=leg,
        actor=actor if actor is not None and actor.is_authenticated else None,
        details=details,
    )


def _check_point(lat: Any, lon: Any, errors: dict[str, list[str]]) -> None:
    if lat is None or not -90 <= float(lat) <= 90:
        errors.setdefault("lat", []).append(_("Enter a latitude between -90 and 90."))
    if lon is None or not -180 <= float(lon) <= 180:
        errors.setdefault("lon", []).append(_("Enter a longitude between -180 and 180."))


# ---- contingency plans -----------------------------------------------------------------------------


@transaction.atomic
def do_create_plan(
    *,
    actor: User,
    mission: Mission,
    scenario: str,
    title: str,
    assumptions: str = "",
    max_distance_km: float = 15.0,
) -> ContingencyPlan:
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors.setdefault("title", []).append(_("Give the plan a title."))
    if scenario not in Scenario.values:
        errors.setdefault("scenario", []).append(_("Choose a scenario."))
    elif ContingencyPlan.objects.filter(mission=mission, scenario=scenario).exists():
        errors.setdefault("scenario", []).append(
            _("This mission already has a plan for this scenario: open it and publish a new version.")
        )
    if not 0 < max_distance_km <= 500:
        errors.setdefault("max_distance_km", []).append(_("Enter a distance between 0 and 500 km."))
    if errors:
        raise EvacuationInputError(errors)
    plan = ContingencyPlan.objects.create(
        mission=mission,
        scenario=scenario,
        title=title[:200],
        assumptions=assumptions.strip()[:MAX_TEXT],
        max_distance_km=max_distance_km,
        created_by=actor,
    )
    audit.record(actor=actor, action="evacuation.plan_create", target=plan, details={"scenario": scenario})
    return plan


@transaction.atomic
def do_update_plan(
    *, plan: ContingencyPlan, actor: User, title: str, assumptions: str, max_distance_km: float
) -> ContingencyPlan:
    title = " ".join((title or "").split())
    if not title:
        raise _fail("title", _("Give the plan a title."))
    if not 0 < max_distance_km <= 500:
        raise _fail("max_distance_km", _("Enter a distance between 0 and 500 km."))
    plan.title, plan.assumptions, plan.max_distance_km = (
        title[:200],
        assumptions.strip()[:MAX_TEXT],
        max_distance_km,
    )
    plan.draft_changed_at = timezone.now()
    plan.save(update_fields=["title", "assumptions", "max_distance_km", "draft_changed_at"])
    audit.record(actor=actor, action="evacuation.plan_update", target=plan)
    return plan


def _check_item(
    plan: ContingencyPlan, section_key: str, item: PlanItem | None, values: dict[str, Any]
) -> None:
    errors: dict[str, list[str]] = {}
    if "lat" in values or "lon" in values:
        _check_point(values.get("lat"), values.get("lon"), errors)
    if section_key == "zones" and not 0 < float(values.get("radius_km") or 0) <= 500:
        errors.setdefault("radius_km", []).append(_("Enter a radius between 0 and 500 km."))
    for name in ("zone", "departs_from", "reports_to"):
        ref = values.get(name)
        if ref is not None and getattr(ref, "plan_id", plan.pk) != plan.pk:
            errors.setdefault(name, []).append(_("Choose an entry of this plan."))
    if section_key == "transport":
        site = values.get("departs_from")
        if site is not None and site.kind != SiteKind.ASSEMBLY_POINT:
            errors.setdefault("departs_from", []).append(_("Transport leaves from an assembly point."))
        if not values.get("seats"):
            errors.setdefault("seats", []).append(_("Enter the seats per trip."))
    if section_key == "roles" and values.get("reports_to") is not None and item is not None:
        node: PlanRole | None = values["reports_to"]
        while node is not None:
            if node.pk == item.pk:
                errors.setdefault("reports_to", []).append(
                    _("A role cannot be called by itself or its own calls.")
                )
                break
            node = node.reports_to
    if section_key == "triggers":
        others = plan.triggers.filter(level=int(values.get("level") or 0))
        if item is not None:
            others = others.exclude(pk=item.pk)
        if others.exists():
            errors.setdefault("level", []).append(_("This Siaga level already has a trigger: edit it."))
    if section_key in ("zones", "sites"):
        model = BY_KEY[section_key].model
        same = model.objects.filter(plan=plan, name=values.get("name"))  # type: ignore[attr-defined]
        if item is not None:
            same = same.exclude(pk=item.pk)
        if same.exists():
            errors.setdefault("name", []).append(_("This plan already has an entry with this name."))
    if errors:
        raise EvacuationInputError(errors)


@transaction.atomic
def do_save_plan_item(
    *, plan: ContingencyPlan, section_key: str, item: PlanItem | None, values: dict[str, Any], actor: User
) -> PlanItem:
    """Add or change one row of the draft (values already cleaned by the section's form). The row counts as
    checked today."""
    section = BY_KEY[section_key]
    _check_item(plan, section_key, item, values)
    created = item is None
    row: PlanItem = item if item is not None else cast(Any, section.model)(plan=plan)
    changed = []
    for name in section.fields:
        if name in values and getattr(row, name) != values[name]:
            setattr(row, name, values[name])
            changed.append(name)
    row.checked_on = timezone.localdate()
    row.save()
    ContingencyPlan.objects.filter(pk=plan.pk).update(draft_changed_at=timezone.now())
    audit.record(
        actor=actor,
        action="evacuation.plan_item_add" if created else "evacuation.plan_item_change",
        target=plan,
        details={"section": section_key, "item": row.pk, "fields": changed},
    )
    return row


@transaction.atomic
def do_delete_plan_item(*, plan: ContingencyPlan, section_key: str, item: PlanItem, actor: User) -> None:
    item_id = item.pk
    item.delete()
    ContingencyPlan.objects.filter(pk=plan.pk).update(draft_changed_at=timezone.now())
    audit.record(
        actor=actor,
        action="evacuation.plan_item_delete",
        target=plan,
        details={"section": section_key, "item": item_id},
    )


@transaction.atomic
def do_publish_plan(*, plan: ContingencyPlan, actor: User, note: str = "") -> PlanVersion:
    """Freeze the draft as the next version, and give its wardens to the crisis module (call-down lists)."""
    plan = ContingencyPlan.objects.select_for_update(of=("self",)).select_related("mission").get(pk=plan.pk)
    _sync_wardens(plan, actor)
    content = plan_content(plan)
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        content=content,
        note=" ".join(note.split())[:500],
        published_by=actor,
        published_at=now,
    )
    plan.current_version = number
    plan.published_at = now
    plan.draft_changed_at = now
    plan.save(update_fields=["current_version", "published_at", "draft_changed_at"])
    audit.record(actor=actor, action="evacuation.plan_publish", target=plan, details={"version": number})
    return version


def _sync_wardens(plan: ContingencyPlan, actor: User) -> None:
    """Each warden of the plan becomes (once) a warden of the mission in the crisis module, placed at the
    centre of the zone they cover, so that call-down lists reach them."""
    from perisai.crisis.actions import CrisisInputError, do_add_warden

    for warden in PlanWarden.objects.filter(plan=plan).select_related("zone", "warden"):
        if warden.warden_id is not None:
            crisis_warden = warden.warden
            assert crisis_warden is not None  # noqa: S101
            fields = {"name": warden.name, "phone": warden.phone, "capacity": warden.capacity, "active": True}
            if warden.zone is not None:
                fields.update(lat=warden.zone.lat, lon=warden.zone.lon, city_name=warden.zone.name[:100])
            for key, value in fields.items():
                setattr(crisis_warden, key, value)
            crisis_warden.save(update_fields=list(fields))
            continue
        try:
            created = do_add_warden(
                actor=actor,
                mission=plan.mission,
                name=warden.name,
                phone=warden.phone,
                city_name=warden.zone.name if warden.zone else "",
                lat=warden.zone.lat if warden.zone else None,
                lon=warden.zone.lon if warden.zone else None,
                capacity=warden.capacity,
            )
        except CrisisInputError as exc:
            raise EvacuationInputError(
                {"wardens": [_("Warden %(name)s: %(problem)s") % {"name": warden.name, "problem": str(exc)}]}
            ) from exc
        warden.warden = created
        warden.save(update_fields=["warden"])


# ---- evacuations -----------------------------------------------------------------------------------


def _copy_version(operation: Operation, content: dict[str, Any], *, start: dt.datetime) -> None:
    site_map: dict[int, Site] = {}
    for s in content.get("sites", []):
        site_map[s["id"]] = Site.objects.create(
            operation=operation,
            kind=s["kind"],
            name=s["name"],
            lat=s["lat"],
            lon=s["lon"],
            capacity=s["capacity"],
            contact_name=s.get("contact_name", ""),
            contact_phone=s.get("contact_phone", ""),
        )
    legs = []
    for t in content.get("transport", []):
        site = site_map.get(t.get("departs_from"))
        if site is None or site.kind != SiteKind.ASSEMBLY_POINT:
            continue
        first = start + dt.timedelta(hours=int(t.get("lead_time_hours") or 0))
        trips = max(1, int(t.get("trips") or 1))
        mode_label = str(dict(TransportMode.choices).get(t["mode"], t["mode"]))
        for i in range(trips):
            label = f"{mode_label} {t['provider']}" + (f" {i + 1}" if trips > 1 else "")
            legs.append(
                Leg(
                    operation=operation,
                    site=site,
                    mode=t["mode"],
                    label=label[:80],
                    seats=int(t["seats"]),
                    departs_at=first + i * LEG_SPACING,
                    destination=t.get("destination", "")[:200],
                    to_indonesia=bool(t.get("to_indonesia")),
                )
            )
    Leg.objects.bulk_create(legs)


@transaction.atomic
def do_start_operation(
    *, crisis: Any, mission: Mission, actor: User, plan_version: PlanVersion | None = None, title: str = ""
) -> Operation:
    """Open the evacuation of a crisis for a mission, with the sites and transport of a published plan."""
    if not crisis.missions.filter(pk=mission.pk).exists():
        raise _fail("mission", _("This mission is not responsible for this crisis."))
    if Operation.objects.filter(crisis=crisis, mission=mission).exists():
        raise _fail("crisis", _("This crisis already has an evacuation for this mission."))
    if plan_version is not None and plan_version.plan.mission_id != mission.pk:
        raise _fail("plan", _("Choose a plan of this mission."))
    content = plan_version.content if plan_version is not None else {}
    operation = Operation.objects.create(
        crisis=crisis,
        mission=mission,
        plan_version=plan_version,
        exercise=bool(crisis.exercise),
        title=(title or _("Evacuation: %(crisis)s") % {"crisis": crisis.title})[:200],
        max_distance_km=float(content.get("plan", {}).get("max_distance_km") or 15.0),
        created_by=actor,
    )
    _copy_version(operation, content, start=timezone.now())
    audit.record(
        actor=actor,
        action="evacuation.start",
        target=operation,
        details={
            "crisis": str(crisis.public_id),
            "plan_version": plan_version.number if plan_version else None,
            "exercise": operation.exercise,
        },
    )
    return operation


@transaction.atomic
def do_start_drill(*, plan: ContingencyPlan, actor: User) -> Drill:
    """An exercise of the latest published version: an exercise crisis (its areas are the plan's zones, at
    Siaga 3) and an evacuation copied from the plan. Messages are marked as an exercise; no real case is
    opened."""
    from perisai.crisis.actions import do_add_area, do_create_crisis
    from perisai.crisis.models import CrisisStatus

    version = plan.versions.order_by("-number").first()
    if version is None:
        raise _fail("plan", _("Publish the plan before running a drill."))
    zones = version.content.get("zones", [])
    if not zones:
        raise _fail("plan", _("The plan has no zone to run the drill in."))
    now = timezone.now()
    crisis = do_create_crisis(
        actor=actor,
        title=(_("EXERCISE") + f": {plan.title} {now:%Y-%m-%d}")[:200],
        type=SCENARIO_CRISIS_TYPE.get(plan.scenario, "other"),  # type: ignore[call-overload]
        country=plan.mission.country_id,
        missions=[plan.mission],
        exercise=True,
        status=CrisisStatus.ACTIVE,
    )
    for zone in zones:
        do_add_area(
            crisis=crisis,
            actor=actor,
            name=zone["name"],
            level=3,
            geometry={
                "type": "Circle",
                "coordinates": [zone["lon"], zone["lat"]],
                "radius_km": zone["radius_km"],
            },
        )
    operation = do_start_operation(crisis=crisis, mission=plan.mission, actor=actor, plan_version=version)
    drill = Drill.objects.create(
        plan=plan, plan_version=version, crisis=crisis, operation=operation, started_by=actor
    )
    audit.record(
        actor=actor, action="evacuation.drill_start", target=drill, details={"version": version.number}
    )
    return drill


@transaction.atomic
def do_finish_drill(*, drill: Drill, actor: User) -> Drill:
    from perisai.crisis.actions import do_set_crisis_status
    from perisai.crisis.models import CrisisStatus

    if drill.finished_at is None:
        drill.finished_at = timezone.now()
        drill.save(update_fields=["finished_at"])
        if drill.crisis.status != CrisisStatus.CLOSED:
            do_set_crisis_status(
                crisis=drill.crisis, actor=actor, status=CrisisStatus.CLOSED, reason="drill finished"
            )
        if drill.operation is not None:
            do_close_operation(operation=drill.operation, actor=actor)
        audit.record(actor=actor, action="evacuation.drill_finish", target=drill)
    return drill


@transaction.atomic
def do_close_operation(*, operation: Operation, actor: User) -> Operation:
    if operation.status != OperationStatus.CLOSED:
        operation.status = OperationStatus.CLOSED
        operation.closed_at = timezone.now()
        operation.save(update_fields=["status", "closed_at"])
        audit.record(actor=actor, action="evacuation.close", target=operation)
    return operation


@transaction.atomic
def do_add_site(
    *,
    operation: Operation,
    actor: User,
    kind: str,
    name: str,
    lat: float,
    lon: float,
    capacity: int,
    contact_name: str = "",
    contact_phone: str = "",
) -> Site:
    errors: dict[str, list[str]] = {}
    _check_point(lat, lon, errors)
    if not name.strip():
        errors.setdefault("name", []).append(_("Name the site."))
    if kind not in SiteKind.values:
        errors.setdefault("kind", []).append(_("Choose assembly point or safe haven."))
    if errors:
        raise EvacuationInputError(errors)
    site = Site.objects.create(
        operation=operation,
        kind=kind,
        name=name.strip()[:150],
        lat=lat,
        lon=lon,
        capacity=capacity,
        contact_name=contact_name.strip()[:200],
        contact_phone=contact_phone.strip()[:40],
    )
    audit.record(
        actor=actor,
        action="evacuation.site_add",
        target=site,
        details={"operation": str(operation.public_id)},
    )
    return site


@transaction.atomic
def do_add_leg(
    *,
    operation: Operation,
    actor: User,
    site: Site,
    mode: str,
    label: str,
    seats: int,
    departs_at: dt.datetime,
    destination: str,
    to_indonesia: bool = False,
) -> Leg:
    """One more bus, flight or sailing (e.g. what the plan's explanation asked for)."""
    errors: dict[str, list[str]] = {}
    if site.operation_id != operation.pk or site.kind != SiteKind.ASSEMBLY_POINT:
        errors.setdefault("site", []).append(_("Choose an assembly point of this evacuation."))
    if mode not in TransportMode.values:
        errors.setdefault("mode", []).append(_("Choose the mode of transport."))
    if seats <= 0:
        errors.setdefault("seats", []).append(_("Enter the number of seats."))
    if not label.strip():
        errors.setdefault("label", []).append(_("Name the leg (e.g. bus 3, a flight number)."))
    if errors:
        raise EvacuationInputError(errors)
    leg = Leg.objects.create(
        operation=operation,
        site=site,
        mode=mode,
        label=label.strip()[:80],
        seats=seats,
        departs_at=departs_at,
        destination=destination.strip()[:200],
        to_indonesia=to_indonesia,
        added_on_the_day=True,
    )
    audit.record(
        actor=actor,
        action="evacuation.leg_add",
        target=leg,
        details={"operation": str(operation.public_id), "seats": seats},
    )
    return leg


# ---- who to move -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncResult:
    added: int
    updated: int
    considered: int


def do_sync_evacuees(
    *, operation: Operation, actor: User | None, levels: Sequence[int] = (1,), today: dt.date | None = None
) -> SyncResult:
    """Bring the people to move up to date with the crisis: add everyone now in the chosen areas (and their
    households, and those who asked for help); refresh the location, alert and account times and the
    priority of those not yet confirmed or boarded. Set-based (docs/benchmarks-evacuation-ops.md). A listed
    person's first step is the row itself (``created_at``, ``source``); later steps are ``EvacueeEvent`` rows."""
    from .problem import assign_priorities, collect_people

    today = today or timezone.localdate()
    candidates = collect_people(operation, levels=levels)
    with transaction.atomic():
        existing = _existing_all(operation)
        health = {pid: row[2] for pid, row in existing.items()}
        assign_priorities(candidates.values(), today=today, health=health)
        new: list[dict[str, Any]] = []
        changed: list[Evacuee] = []
        now = timezone.now()
        indonesia = "ID"
        creator = actor.pk if actor is not None and actor.is_authenticated else None
        for pid, c in candidates.items():
            row = existing.get(pid)
            if row is None:
                new.append(
                    {
                        "operation_id": operation.pk,
                        "person_id": pid,
                        "nationality_id": indonesia,
                        "household": c.household,
                        "source": c.source,
                        "eligibility": Eligibility.CITIZEN,
                        "area_name": c.area_name[:120],
                        "lat": c.lat,
                        "lon": c.lon,
                        "vulnerabilities": c.vulnerabilities,
                        "priority": c.priority,
                        "document_type": DocumentType.PASSPORT if c.passport_encrypted else DocumentType.NONE,
                        "document_encrypted": c.passport_encrypted,
                        "document_index": c.passport_index,
                        "alerted_at": c.alerted_at,
                        "accounted_at": c.accounted_at,
                        "created_by_id": creator,
                        "created_at": now,
                    }
                )
                continue
            _pid, pk, _health, lat, lon, alerted, accounted, prio, confirmed, boarded = row
            fixed = confirmed is not None or boarded is not None
            new_lat, new_lon = (lat, lon) if fixed else (c.lat, c.lon)
            if (new_lat, new_lon, c.alerted_at, c.accounted_at, c.priority) != (
                lat,
                lon,
                alerted,
                accounted,
                prio,
            ):
                changed.append(
                    Evacuee(
                        pk=pk,
                        lat=new_lat,
                        lon=new_lon,
                        alerted_at=c.alerted_at,
                        accounted_at=c.accounted_at,
                        priority=c.priority,
                    )
                )
        insert_rows(Evacuee, new)
        Evacuee.objects.bulk_update(
            changed, ["lat", "lon", "alerted_at", "accounted_at", "priority"], batch_size=2000
        )
        audit.record(
            actor=actor,
            action="evacuation.sync",
            target=operation,
            details={"added": len(new), "updated": len(changed), "levels": list(levels)},
        )
    return SyncResult(added=len(new), updated=len(changed), considered=len(candidates))


def _existing_all(operation: Operation) -> dict[int, tuple[Any, ...]]:
    return {
        row[0]: row
        for row in Evacuee.objects.filter(operation=operation, person_id__isnull=False)
        .values_list(
            "person_id",
            "pk",
            "health",
            "lat",
            "lon",
            "alerted_at",
            "accounted_at",
            "priority",
            "confirmed_at",
            "boarded_at",
        )
        .iterator(chunk_size=5000)
    }


@transaction.atomic
def do_add_registered_person(*, operation: Operation, person: Any, actor: User) -> list[Evacuee]:
    """A registered citizen who asked to leave (or walked in): they and their household are added."""
    from perisai.registry.models import Person, PersonStatus

    members = [person]
    if person.household_id:
        members = list(Person.objects.filter(household_id=person.household_id, status=PersonStatus.ACTIVE))
        if person not in members:
            members.append(person)
    existing = set(
        Evacuee.objects.filter(operation=operation, person__in=members).values_list("person_id", flat=True)
    )
    household = f"h{person.household_id}" if person.household_id else f"p{person.pk}"
    located = next((m for m in members if m.lat is not None), person)
    added = []
    for m in members:
        if m.pk in existing:
            continue
        evacuee = Evacuee.objects.create(
            operation=operation,
            person=m,
            nationality_id="ID",
            household=household,
            source=EvacueeSource.ASKED if m.pk == person.pk else EvacueeSource.HOUSEHOLD,
            eligibility=Eligibility.CITIZEN,
            lat=m.lat if m.lat is not None else located.lat,
            lon=m.lon if m.lon is not None else located.lon,
            vulnerabilities=m.vulnerabilities,
            document_type=DocumentType.PASSPORT if m.passport_encrypted else DocumentType.NONE,
            document_encrypted=m.passport_encrypted,
            document_index=m.passport_index,
            created_by=actor,
        )
        _event(evacuee, EventKind.ADDED, actor=actor, source=evacuee.source)
        added.append(evacuee)
    _reprioritise(operation, household)
    audit.record(
        actor=actor,
        action="evacuation.add_person",
        target=operation,
        details={"added": len(added), "person": str(person.public_id)},
    )
    return added


@transaction.atomic
def do_add_foreign_national(
    *,
    operation: Operation,
    actor: User,
    full_name: str,
    nationality: str,
    eligibility: str,
    document_type: str = DocumentType.FOREIGN_PASSPORT,
    document_number: str = "",
    sex: str = "",
    birth_date: dt.date | None = None,
    family_of: Evacuee | None = None,
    site: Site | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> Evacuee:
    """A person who is not a registered citizen: a foreign spouse or child of a citizen (travels with the
    citizen's household) or a foreign national the mission agreed to help."""
    errors: dict[str, list[str]] = {}
    full_name = " ".join((full_name or "").split())
    if not full_name:
        errors.setdefault("full_name", []).append(_("Enter the name as in the travel document."))
    nationality = (nationality or "").upper()
    if not Country.objects.filter(iso2=nationality).exists():
        errors.setdefault("nationality", []).append(_("Choose the nationality."))
    if eligibility not in (Eligibility.SPOUSE, Eligibility.CHILD, Eligibility.FOREIGN_ASSISTED):
        errors.setdefault("eligibility", []).append(_("Choose why this person may travel with us."))
    if eligibility in (Eligibility.SPOUSE, Eligibility.CHILD) and family_of is None:
        errors.setdefault("eligibility", []).append(
            _("A spouse or child travels with a citizen: add them from the citizen's page.")
        )
    if family_of is not None and family_of.operation_id != operation.pk:
        errors.setdefault("family_of", []).append(_("Choose a person of this evacuation."))
    if document_type not in DocumentType.values:
        errors.setdefault("document_type", []).append(_("Choose the travel document."))
    if document_type != DocumentType.NONE and not document_number.strip():
        errors.setdefault("document_number", []).append(_("Enter the document number."))
    if site is not None and site.operation_id != operation.pk:
        errors.setdefault("site", []).append(_("Choose a site of this evacuation."))
    if site is None and family_of is None and (lat is None or lon is None):
        errors.setdefault("site", []).append(_("Say where the person is: an assembly point, or a location."))
    if lat is not None or lon is not None:
        _check_point(lat, lon, errors)
    if errors:
        raise EvacuationInputError(errors)
    if family_of is not None:
        household, lat, lon = family_of.household, family_of.lat, family_of.lon
    else:
        household = f"f{uuid.uuid4().hex[:12]}"
        if site is not None:
            lat, lon = site.lat, site.lon
    number = crypto.normalise_identifier(document_number) if document_number.strip() else ""
    evacuee = Evacuee.objects.create(
        operation=operation,
        full_name=full_name[:200],
        nationality_id=nationality,
        sex=sex if sex in ("F", "M") else "",
        birth_date=birth_date,
        household=household,
        source=EvacueeSource.FOREIGN,
        eligibility=eligibility,
        area_name=family_of.area_name if family_of else "",
        lat=lat,
        lon=lon,
        document_type=document_type,
        document_encrypted=crypto.encrypt(number) if number else "",
        document_index=crypto.blind_index("passport", number) if number else "",
        at_assembly_at=timezone.now() if site is not None and family_of is None else None,
        created_by=actor,
    )
    _event(evacuee, EventKind.ADDED, actor=actor, source=EvacueeSource.FOREIGN, eligibility=eligibility)
    _reprioritise(operation, household)
    audit.record(
        actor=actor,
        action="evacuation.add_foreign",
        target=evacuee,
        details={
            "operation": str(operation.public_id),
            "nationality": nationality,
            "eligibility": eligibility,
        },
    )
    return evacuee


def _reprioritise(operation: Operation, household: str) -> None:
    rows = list(
        Evacuee.objects.filter(operation=operation, household=household).values_list(
            "pk", "vulnerabilities", "health", "birth_date", "person__birth_date", "priority"
        )
    )
    members = [Member(pk, household, v, h, b or pb) for pk, v, h, b, pb, _p in rows]
    result = priorities(members, today=timezone.localdate())
    for pk, *_rest, old in rows:
        if result[pk] != old:
            Evacuee.objects.filter(pk=pk).update(priority=result[pk])


@transaction.atomic
def do_update_evacuee(
    *,
    evacuee: Evacuee,
    actor: User,
    consent: str | None = None,
    health: str | None = None,
    document_type: str | None = None,
    document_number: str | None = None,
) -> list[str]:
    """Consent to evacuate, health screening, travel document (e.g. an SPLP issued on the spot). Returns the
    names of what changed; each change is a step on the person's path."""
    errors: dict[str, list[str]] = {}
    if consent is not None and consent not in ConsentChoice.values:
        errors.setdefault("consent", []).append(_("Choose an answer."))
    if health is not None and health not in Health.values:
        errors.setdefault("health", []).append(_("Choose a screening result."))
    if document_type is not None and document_type not in DocumentType.values:
        errors.setdefault("document_type", []).append(_("Choose the travel document."))
    number = crypto.normalise_identifier(document_number or "")
    if (
        document_type not in (None, DocumentType.NONE)
        and document_number is not None
        and not number
        and not evacuee.document_encrypted
    ):
        errors.setdefault("document_number", []).append(_("Enter the document number."))
    if errors:
        raise EvacuationInputError(errors)
    evacuee = Evacuee.objects.select_for_update().get(pk=evacuee.pk)
    changed: list[str] = []
    now = timezone.now()
    if consent is not None and consent != evacuee.consent:
        evacuee.consent, evacuee.consent_at = consent, now
        changed.append("consent")
        _event(evacuee, EventKind.CONSENT, actor=actor, consent=consent)
    if health is not None and health != evacuee.health:
        evacuee.health = health
        changed.append("health")
        _event(evacuee, EventKind.SCREENED, actor=actor, health=health)
    if document_type is not None and (document_type != evacuee.document_type or number):
        evacuee.document_type = document_type
        if number:
            evacuee.document_encrypted = crypto.encrypt(number)
            evacuee.document_index = crypto.blind_index("passport", number)
        changed.append("document")
        _event(evacuee, EventKind.DOCUMENT, actor=actor, document_type=document_type)
    if changed:
        evacuee.save(
            update_fields=[
                "consent",
                "consent_at",
                "health",
                "document_type",
                "document_encrypted",
                "document_index",
            ]
        )
        if "health" in changed:
            _reprioritise(evacuee.operation, evacuee.household)
        audit.record(
            actor=actor,
            action="evacuation.evacuee_update",
            target=evacuee,
            sensitive=True,
            details={"fields": changed},
        )
    return changed


@transaction.atomic
def do_confirm_place(*, evacuee: Evacuee, actor: User) -> Evacuee:
    """The person confirmed the place they were given: re-planning keeps it."""
    evacuee = Evacuee.objects.select_for_update().get(pk=evacuee.pk)
    if evacuee.assigned_leg_id is None:
        raise _fail("__all__", _("This person has no place to confirm yet: run the plan first."))
    if evacuee.confirmed_at is None:
        evacuee.confirmed_at = timezone.now()
        evacuee.stayed_at, evacuee.stay_reason = None, ""
        evacuee.save(update_fields=["confirmed_at", "stayed_at", "stay_reason"])
        _event(evacuee, EventKind.CONFIRMED, actor=actor, leg=evacuee.assigned_leg)
        audit.record(actor=actor, action="evacuation.confirm", target=evacuee, sensitive=True)
    return evacuee


@transaction.atomic
def do_record_stay(*, evacuee: Evacuee, actor: User, reason: str) -> Evacuee:
    """The person stays (declines, or cannot come): their place goes to others at the next run."""
    if reason not in StayReason.values:
        raise _fail("stay_reason", _("Choose why the person stays."))
    evacuee = Evacuee.objects.select_for_update().get(pk=evacuee.pk)
    if evacuee.boarded_at is not None:
        raise _fail("__all__", _("This person has already boarded."))
    evacuee.stayed_at, evacuee.stay_reason = timezone.now(), reason
    evacuee.confirmed_at = None
    evacuee.assigned_leg = evacuee.assigned_site = None
    evacuee.save(update_fields=["stayed_at", "stay_reason", "confirmed_at", "assigned_leg", "assigned_site"])
    _event(evacuee, EventKind.STAYED, actor=actor, reason=reason)
    audit.record(
        actor=actor, action="evacuation.stay", target=evacuee, sensitive=True, details={"reason": reason}
    )
    return evacuee


@transaction.atomic
def do_remove_evacuee(*, evacuee: Evacuee, actor: User) -> Evacuee:
    """Added in error (never deleted: the path keeps the record of it)."""
    if evacuee.boarded_at is not None:
        raise _fail("__all__", _("This person has already boarded."))
    if evacuee.removed_at is None:
        evacuee.removed_at = timezone.now()
        evacuee.assigned_leg = evacuee.assigned_site = None
        evacuee.save(update_fields=["removed_at", "assigned_leg", "assigned_site"])
        _event(evacuee, EventKind.REMOVED, actor=actor)
        audit.record(actor=actor, action="evacuation.remove", target=evacuee, sensitive=True)
    return evacuee


# ---- the optimizer ---------------------------------------------------------------------------------


@transaction.atomic
def do_request_plan_run(
    *, operation: Operation, actor: User, time_limit_s: float = 10.0, levels: Sequence[int] = (1,)
) -> PlanRun:
    """Queue a run of the optimizer; the task refreshes who to move, solves and writes the places back."""
    if operation.status == OperationStatus.CLOSED:
        raise _fail("__all__", _("This evacuation is closed."))
    run = PlanRun.objects.create(
        operation=operation,
        requested_by=actor,
        time_limit_s=max(1.0, min(float(time_limit_s), 60.0)),
        counts={"levels": sorted({int(level) for level in levels if int(level) in (1, 2, 3)}) or [1]},
    )
    audit.record(
        actor=actor, action="evacuation.plan_request", target=operation, details={"run": str(run.public_id)}
    )
    from .tasks import run_evacuation_plan

    run_id = run.pk
    transaction.on_commit(lambda: run_evacuation_plan.enqueue(run_id))
    return run


def execute_plan_run(*, run_id: int) -> str:
    """Run one queued optimizer run (idempotent: a run is claimed once)."""
    from perisai.crisis.planning import PlanningInputError, plan_evacuation, plan_to_json

    from .problem import build_problem, result_summary

    claimed = PlanRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    run = PlanRun.objects.select_related("operation").get(pk=run_id)
    operation = run.operation
    try:
        sync = do_sync_evacuees(operation=operation, actor=None, levels=run.counts.get("levels", [1]))
        built = build_problem(operation)
        plan = plan_evacuation(built.problem, time_limit_s=run.time_limit_s)
    except PlanningInputError as exc:
        PlanRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=str(exc)[:500]
        )
        return "failed"
    except Exception as exc:
        logger.exception("evacuation plan run %s failed", run_id)
        PlanRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=type(exc).__name__
        )
        raise
    document = plan_to_json(plan)
    _apply_plan(operation, document, built.excluded)
    counts = {**run.counts, **built.counts, "added": sync.added}
    PlanRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        counts=counts,
        result=result_summary(document, built.excluded),
        total_distance_km=plan.total_distance_km,
        bound_km=plan.bound,
        solve_seconds=plan.solve_seconds,
    )
    audit.record(
        actor=None,
        action="evacuation.plan_run",
        target=operation,
        details={
            "run": str(run.public_id),
            "assigned": len(plan.assignments),
            "unassigned": len(plan.unassigned),
        },
    )
    return f"assigned {len(plan.assignments)}, unassigned {len(plan.unassigned) + len(built.excluded)}"


@transaction.atomic
def _apply_plan(operation: Operation, document: dict[str, Any], excluded: dict[int, str]) -> None:
    rows = {
        pk: (site, leg, reason, confirmed, boarded)
        for pk, site, leg, reason, confirmed, boarded in Evacuee.objects.filter(
            operation=operation
        ).values_list(
            "pk", "assigned_site_id", "assigned_leg_id", "unassigned_reason", "confirmed_at", "boarded_leg_id"
        )
    }
    changes: list[Evacuee] = []
    events: list[EvacueeEvent] = []
    now = timezone.now()
    for a in document["assignments"]:
        pk, site, leg = int(a["person"]), int(a["assembly_point"]), int(a["transport"])
        old = rows.get(pk)
        if old is None or old[4] is not None:
            continue
        if (old[0], old[1], old[2]) != (site, leg, ""):
            changes.append(Evacuee(pk=pk, assigned_site_id=site, assigned_leg_id=leg, unassigned_reason=""))
            if old[1] != leg:
                events.append(EvacueeEvent(evacuee_id=pk, kind=EventKind.ASSIGNED, at=now, leg_id=leg))
    reasons = [(int(u["person"]), u["reason"]) for u in document["unassigned"]] + list(excluded.items())
    for pk, reason in reasons:
        old = rows.get(pk)
        if old is None or old[4] is not None or old[3] is not None:
            continue
        if (old[0], old[1], old[2]) != (None, None, reason):
            changes.append(
                Evacuee(pk=pk, assigned_site_id=None, assigned_leg_id=None, unassigned_reason=reason[:40])
            )
            if old[1] is not None:
                events.append(
                    EvacueeEvent(evacuee_id=pk, kind=EventKind.ASSIGNED, at=now, details={"reason": reason})
                )
    Evacuee.objects.bulk_update(
        changes, ["assigned_site_id", "assigned_leg_id", "unassigned_reason"], batch_size=2000
    )
    EvacueeEvent.objects.bulk_create(events, batch_size=2000)


# ---- manifests and boarding ------------------------------------------------------------------------


@transaction.atomic
def do_issue_manifest(*, leg: Leg, actor: User) -> Manifest:
    """A new numbered issue of the leg's passenger list: those with a place on it (or already on board),
    in household order. Each issue is kept, with how many were added and removed since the last."""
    leg = Leg.objects.select_for_update().get(pk=leg.pk)
    ids = list(
        Evacuee.objects.filter(operation_id=leg.operation_id, removed_at=None, stayed_at=None)
        .filter(assigned_leg=leg)
        .union(Evacuee.objects.filter(boarded_leg=leg))
        .values_list("pk", flat=True)
    )
    ordered = list(
        Evacuee.objects.filter(pk__in=ids)
        .order_by("-priority", "household", "pk")
        .values_list("pk", flat=True)
    )
    previous = leg.manifests.order_by("-number").first()
    before = set(previous.evacuee_ids) if previous else set()
    manifest = Manifest.objects.create(
        leg=leg,
        number=(previous.number + 1) if previous else 1,
        evacuee_ids=ordered,
        added=len(set(ordered) - before),
        removed=len(before - set(ordered)),
        issued_by=actor,
    )
    if leg.status == LegStatus.PLANNED:
        leg.status = LegStatus.BOARDING
        leg.save(update_fields=["status"])
    operation = leg.operation
    if operation.status == OperationStatus.PLANNING:
        Operation.objects.filter(pk=operation.pk).update(status=OperationStatus.UNDER_WAY)
    audit.record(
        actor=actor,
        action="evacuation.manifest",
        target=leg,
        details={
            "number": manifest.number,
            "count": len(ordered),
            "added": manifest.added,
            "removed": manifest.removed,
        },
    )
    return manifest


@dataclass(frozen=True)
class ScanResult:
    client_uuid: str
    outcome: str
    reason: str
    evacuee: Evacuee | None
    scan: BoardingScan | None


# Conflict reasons (stable codes; the pages translate them).
UNKNOWN_CODE = "unknown_code"
NOT_IN_EVACUATION = "not_in_evacuation"
STAYS = "stays"
REMOVED = "removed"
CONSENT_REFUSED = "consent_refused"
UNFIT = "unfit"
OTHER_LEG = "other_leg"
BOARDED_ELSEWHERE = "boarded_elsewhere"
LEG_FULL = "leg_full"
LEG_CLOSED = "leg_closed"
NO_PLACE = "no_place"


def _find(leg: Leg, *, token: str, document: str) -> Evacuee | None:
    from .tokens import read_boarding_token

    qs = Evacuee.objects.filter(operation_id=leg.operation_id)
    if token:
        evacuee_id = read_boarding_token(token)
        return None if evacuee_id is None else qs.filter(pk=evacuee_id).first()
    index = crypto.blind_index("passport", document)
    if not index:
        return None
    matches = list(qs.filter(document_index=index).order_by("removed_at", "stayed_at", "pk")[:2])
    return matches[0] if matches else None


def do_record_scan(
    *,
    leg: Leg,
    actor: User,
    client_uuid: str,
    step: str = "board",
    token: str = "",
    document: str = "",
    scanned_at: dt.datetime | None = None,
    consent_confirmed: bool = False,
    override: bool = False,
) -> ScanResult:
    """One scan from the boarding phone (QR token or typed document number), possibly made offline. The
    same client UUID twice returns the first answer and changes nothing. ``step`` "assembly" records arrival
    at the assembly point; "board" boards the leg unless something conflicts (shown to the officer, who can
    board anyway with ``override``)."""
    try:
        key = uuid.UUID(str(client_uuid))
    except ValueError as exc:
        raise _fail("client_uuid", _("The phone sent a damaged entry.")) from exc
    if step not in ("assembly", "board"):
        raise _fail("step", _("Choose arrival at the assembly point or boarding."))
    now = timezone.now()
    when = scanned_at if scanned_at is not None and scanned_at <= now + dt.timedelta(minutes=5) else now
    with transaction.atomic():
        earlier = BoardingScan.objects.select_related("evacuee").filter(client_uuid=key).first()
        if earlier is not None:
            return ScanResult(str(key), earlier.outcome, earlier.reason, earlier.evacuee, earlier)
        leg = Leg.objects.select_for_update(of=("self",)).select_related("operation").get(pk=leg.pk)
        method = "qr" if token else "document"
        evacuee = _find(leg, token=token.strip(), document=document.strip())
        outcome, reason = _judge(leg, evacuee, step=step, override=override)
        if evacuee is not None and outcome == ScanOutcome.BOARDED:
            evacuee = Evacuee.objects.select_for_update().get(pk=evacuee.pk)
            _apply_scan(
                evacuee,
                leg,
                step=step,
                when=when,
                actor=actor,
                consent_confirmed=consent_confirmed,
                override=override,
            )
        try:
            with transaction.atomic():
                scan = BoardingScan.objects.create(
                    client_uuid=key,
                    leg=leg,
                    evacuee=evacuee,
                    step=step,
                    method=method,
                    scanned_at=when,
                    actor=actor,
                    outcome=outcome,
                    reason=reason,
                    resolved_at=now if override else None,
                )
        except IntegrityError:  # the same entry arrived twice at once
            earlier = BoardingScan.objects.select_related("evacuee").get(client_uuid=key)
            return ScanResult(str(key), earlier.outcome, earlier.reason, earlier.evacuee, earlier)
        audit.record(
            actor=actor,
            action="evacuation.scan",
            target=leg,
            sensitive=evacuee is not None,
            details={
                "step": step,
                "method": method,
                "outcome": outcome,
                "reason": reason,
                "evacuee": evacuee.pk if evacuee else None,
            },
        )
    return ScanResult(str(key), outcome, reason, evacuee, scan)


def _judge(leg: Leg, evacuee: Evacuee | None, *, step: str, override: bool) -> tuple[str, str]:
    if evacuee is None:
        return ScanOutcome.UNKNOWN, UNKNOWN_CODE
    if step == "assembly":
        return (ScanOutcome.ALREADY, "") if evacuee.at_assembly_at else (ScanOutcome.BOARDED, "")
    if evacuee.boarded_leg_id == leg.pk:
        return ScanOutcome.ALREADY, ""
    if evacuee.boarded_leg_id is not None:
        return ScanOutcome.CONFLICT, BOARDED_ELSEWHERE
    if leg.status in (LegStatus.DEPARTED, LegStatus.ARRIVED, LegStatus.CANCELLED):
        return ScanOutcome.CONFLICT, LEG_CLOSED
    if Evacuee.objects.filter(boarded_leg=leg).count() >= leg.seats:
        return ScanOutcome.CONFLICT, LEG_FULL
    if override:
        return ScanOutcome.BOARDED, ""
    if evacuee.removed_at is not None:
        return ScanOutcome.CONFLICT, REMOVED
    if evacuee.consent == ConsentChoice.REFUSED:
        return ScanOutcome.CONFLICT, CONSENT_REFUSED
    if evacuee.stayed_at is not None:
        return ScanOutcome.CONFLICT, STAYS
    if evacuee.health == Health.UNFIT:
        return ScanOutcome.CONFLICT, UNFIT
    if evacuee.assigned_leg_id is None:
        return ScanOutcome.CONFLICT, NO_PLACE
    if evacuee.assigned_leg_id != leg.pk:
        return ScanOutcome.CONFLICT, OTHER_LEG
    return ScanOutcome.BOARDED, ""


def _apply_scan(
    evacuee: Evacuee,
    leg: Leg,
    *,
    step: str,
    when: dt.datetime,
    actor: User,
    consent_confirmed: bool,
    override: bool,
) -> None:
    fields = []
    if evacuee.at_assembly_at is None:
        evacuee.at_assembly_at = when
        fields.append("at_assembly_at")
        _event(evacuee, EventKind.AT_ASSEMBLY, actor=actor, at=when, leg=leg if step == "board" else None)
    if consent_confirmed and evacuee.consent != ConsentChoice.GIVEN:
        evacuee.consent, evacuee.consent_at = ConsentChoice.GIVEN, when
        fields += ["consent", "consent_at"]
        _event(evacuee, EventKind.CONSENT, actor=actor, at=when, consent=ConsentChoice.GIVEN)
    if step == "board":
        evacuee.boarded_at, evacuee.boarded_leg = when, leg
        fields += ["boarded_at", "boarded_leg"]
        if override:
            evacuee.stayed_at, evacuee.stay_reason, evacuee.removed_at = None, "", None
            evacuee.assigned_leg, evacuee.assigned_site = leg, leg.site
            fields += ["stayed_at", "stay_reason", "removed_at", "assigned_leg", "assigned_site"]
        _event(evacuee, EventKind.BOARDED, actor=actor, at=when, leg=leg, override=override)
    if fields:
        evacuee.save(update_fields=fields)


def do_resolve_scan(*, scan: BoardingScan, actor: User) -> ScanResult:
    """Board anyway a person a scan found in conflict (the officer at the door decided)."""
    if scan.evacuee is None or scan.outcome != ScanOutcome.CONFLICT:
        raise _fail("__all__", _("Only a conflict with a known person can be resolved."))
    return _board_override(scan=scan, actor=actor)


@transaction.atomic
def _board_override(*, scan: BoardingScan, actor: User) -> ScanResult:
    leg = Leg.objects.select_for_update(of=("self",)).select_related("operation").get(pk=scan.leg_id)
    evacuee = Evacuee.objects.select_for_update().get(pk=cast(int, scan.evacuee_id))
    outcome, reason = _judge(leg, evacuee, step=scan.step, override=True)
    if outcome == ScanOutcome.BOARDED:
        _apply_scan(
            evacuee,
            leg,
            step=scan.step,
            when=timezone.now(),
            actor=actor,
            consent_confirmed=False,
            override=True,
        )
        BoardingScan.objects.filter(pk=scan.pk).update(resolved_at=timezone.now())
    audit.record(
        actor=actor,
        action="evacuation.scan_resolve",
        target=leg,
        sensitive=True,
        details={"scan": str(scan.client_uuid), "outcome": outcome},
    )
    return ScanResult(str(scan.client_uuid), outcome, reason, evacuee, scan)


# ---- departure, arrival, hand-over -------------------------------------------------------------------


@transaction.atomic
def do_set_leg_status(*, leg: Leg, actor: User, status: str, where: str = "") -> Leg:
    """Departed, arrived (everyone on board arrives at the destination) or cancelled."""
    if status not in (LegStatus.DEPARTED, LegStatus.ARRIVED, LegStatus.CANCELLED):
        raise _fail("status", _("Choose departed, arrived or cancelled."))
    leg = Leg.objects.select_for_update().get(pk=leg.pk)
    now = timezone.now()
    if status == LegStatus.CANCELLED and Evacuee.objects.filter(boarded_leg=leg).exists():
        raise _fail("status", _("People have boarded this leg: it cannot be cancelled."))
    if status == LegStatus.ARRIVED and leg.departed_at is None:
        leg.departed_at = now
    if status == LegStatus.DEPARTED:
        leg.departed_at = now
    if status == LegStatus.ARRIVED:
        leg.arrived_at = now
        destination = (where or leg.destination)[:200]
        on_board = list(Evacuee.objects.filter(boarded_leg=leg, arrived_at=None))
        for evacuee in on_board:
            evacuee.arrived_at, evacuee.arrived_where, evacuee.arrived_in_indonesia = (
                now,
                destination,
                leg.to_indonesia,
            )
        Evacuee.objects.bulk_update(on_board, ["arrived_at", "arrived_where", "arrived_in_indonesia"])
        EvacueeEvent.objects.bulk_create(
            [
                EvacueeEvent(
                    evacuee=e,
                    kind=EventKind.ARRIVED,
                    at=now,
                    leg=leg,
                    actor=actor,
                    details={"in_indonesia": leg.to_indonesia},
                )
                for e in on_board
            ]
        )
    if status == LegStatus.CANCELLED:
        Evacuee.objects.filter(assigned_leg=leg, boarded_at=None).update(
            assigned_leg=None, assigned_site=None, confirmed_at=None, unassigned_reason="leg_cancelled"
        )
    leg.status = status
    leg.save(update_fields=["status", "departed_at", "arrived_at"])
    audit.record(actor=actor, action="evacuation.leg_status", target=leg, details={"status": status})
    return leg


@transaction.atomic
def do_hand_over(
    *,
    evacuees: Iterable[Evacuee],
    actor: User,
    region_code: str = "",
    open_reintegration_case: Iterable[int] = (),
) -> int:
    """Hand people who arrived over to their home regency (or province): the region code is each person's
    own unless given. For those listed in ``open_reintegration_case`` (evacuee ids), a reintegration case
    is opened on commit (contract 1; none in an exercise)."""
    from perisai.places.models import Region

    if region_code and not Region.objects.filter(code=region_code).exists():
        raise _fail("region_code", _("This region code does not exist."))
    wanted = set(open_reintegration_case)
    done = 0
    now = timezone.now()
    for evacuee in evacuees:
        evacuee = (
            Evacuee.objects.select_for_update(of=("self",))
            .select_related("person", "operation")
            .get(pk=evacuee.pk)
        )
        if evacuee.arrived_at is None:
            raise _fail("__all__", _("Only people who have arrived can be handed over."))
        if evacuee.handed_over_at is not None:
            continue
        person = evacuee.person
        region = region_code or (person.home_regency or person.home_province if person is not None else "")
        evacuee.handed_over_at, evacuee.handed_over_region = now, region
        evacuee.save(update_fields=["handed_over_at", "handed_over_region"])
        _event(evacuee, EventKind.HANDED_OVER, actor=actor, region=region)
        done += 1
        if evacuee.pk in wanted:
            if evacuee.operation.exercise:
                _event(evacuee, EventKind.CASE, actor=actor, exercise=True)
            else:
                from .tasks import open_reintegration_case as task

                evacuee_id = evacuee.pk
                transaction.on_commit(lambda evacuee_id=evacuee_id: task.enqueue(evacuee_id))  # type: ignore[misc]
    audit.record(
        actor=actor, action="evacuation.hand_over", object_type="evacuation.evacuee", details={"count": done}
    )
    return done


def do_open_reintegration_case(*, evacuee_id: int) -> str:
    """Contract 1: a reintegration case for a person handed over at an entry point. Idempotent by the
    evacuee's id as the link. Returns the case code ("" when the cases module is not installed)."""
    try:
        from perisai.cases.intake import open_case  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        logger.warning("cases intake is not installed: reintegration case for evacuee %s waits", evacuee_id)
        return ""
    evacuee = Evacuee.objects.select_related("person", "operation__mission", "operation__crisis").get(
        pk=evacuee_id
    )
    if evacuee.operation.exercise:
        return ""
    if evacuee.case_code:
        return evacuee.case_code
    operation = evacuee.operation
    case = open_case(
        source="arrival_list",
        case_type="reintegration",
        urgency="normal",
        summary=_("Reintegration after evacuation: %(crisis)s") % {"crisis": operation.crisis.title},
        person=evacuee.person,
        subject_name="" if evacuee.person_id else evacuee.full_name,
        mission=operation.mission,
        region_code=evacuee.handed_over_region,
        details={
            "evacuation": str(operation.public_id),
            "leg": str(evacuee.boarded_leg.public_id) if evacuee.boarded_leg else "",
            "arrived_in_indonesia": evacuee.arrived_in_indonesia,
        },
        link_type="evacuation.handover",
        link_id=str(evacuee.public_id),
    )
    with transaction.atomic():
        Evacuee.objects.filter(pk=evacuee.pk).update(
            case_code=str(case.code), case_public_id=str(case.public_id)
        )
        _event(evacuee, EventKind.CASE, actor=None, case=str(case.public_id))
    return str(case.code)


# ---- after the crisis ------------------------------------------------------------------------------


@transaction.atomic
def do_add_cost(
    *,
    operation: Operation,
    actor: User,
    category: str,
    description: str,
    amount: str | Decimal,
    currency: str,
) -> CostItem:
    errors: dict[str, list[str]] = {}
    if category not in CostCategory.values:
        errors.setdefault("category", []).append(_("Choose a category."))
    if not description.strip():
        errors.setdefault("description", []).append(_("Say what was paid for."))
    try:
        value = Decimal(str(amount).replace(",", "."))
        if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.setdefault("amount", []).append(_("Enter an amount, e.g. 12500000 or 1250.50."))
        value = Decimal(0)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        errors.setdefault("currency", []).append(_("Enter a three-letter currency code, e.g. IDR or USD."))
    if errors:
        raise EvacuationInputError(errors)
    item = CostItem.objects.create(
        operation=operation,
        category=category,
        description=description.strip()[:300],
        amount=value.quantize(Decimal("0.01")),
        currency=currency,
        entered_by=actor,
    )
    audit.record(actor=actor, action="evacuation.cost", target=operation, details={"category": category})
    return item


@transaction.atomic
def do_add_lesson(
    *, operation: Operation, actor: User, kind: str, text: str, recommendation: str = ""
) -> Lesson:
    if kind not in LessonKind.values:
        raise _fail("kind", _("Choose went well or to improve."))
    if not text.strip():
        raise _fail("text", _("Write what happened."))
    lesson = Lesson.objects.create(
        operation=operation,
        kind=kind,
        text=text.strip()[:MAX_TEXT],
        recommendation=recommendation.strip()[:MAX_TEXT],
        entered_by=actor,
    )
    audit.record(actor=actor, action="evacuation.lesson", target=operation, details={"kind": kind})
    return lesson
