"""From the records to the optimizer's input, and its answer back onto the records.

``collect_people`` finds the people an evacuation must consider: everyone on the crisis roster inside the
chosen areas (not those who said they are not there), everyone who asked for help, and every active member
of their households; each with a location (their pin, else their latest check-in's, else a household
member's) and a priority (``priority.py``). ``build_problem`` turns the evacuation's evacuees, assembly points
and legs into a ``perisai.crisis.planning.Problem`` (ids: evacuee, site and leg primary keys), keeping
confirmed places and passing those who stay as declined.

Both read with a handful of set-based queries (no per-person query), so 50,000 people take about a second
(docs/benchmarks-evacuation-ops.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, Q

from perisai.crisis.planning import AssemblyPoint, Confirmation, Person, Problem, Transport

from .models import Consent, Evacuee, Health, Leg, LegStatus, Operation, Site, SiteKind
from .priority import Member, priorities

# Reasons of our own for people the optimizer never sees.
NO_LOCATION = "no_location"
UNFIT_TO_TRAVEL = "unfit_to_travel"
OPEN_LEG_STATUSES = (LegStatus.PLANNED, LegStatus.BOARDING)


@dataclass
class Candidate:
    person_id: int
    household: str
    source: str
    area_name: str
    lat: float | None
    lon: float | None
    vulnerabilities: int
    birth_date: dt.date | None
    passport_encrypted: str
    passport_index: str
    accounted_at: dt.datetime | None
    alerted_at: dt.datetime | None = None
    priority: int = 0


def collect_people(operation: Operation, *, levels: Iterable[int] = (1,)) -> dict[int, Candidate]:
    """The registered people this evacuation must consider, by person id."""
    from perisai.crisis.models import AlertRecipient, CheckIn, CheckInStatus, RosterEntry
    from perisai.registry.models import Person as RegistryPerson
    from perisai.registry.models import PersonStatus

    crisis_id = operation.crisis_id
    in_mission = Q(person__mission_id=operation.mission_id) | Q(person__mission_id=None)
    roster = RosterEntry.objects.filter(in_mission, crisis_id=crisis_id, person__status=PersonStatus.ACTIVE)
    chosen = roster.filter(area__level__in=list(levels)).exclude(
        status=CheckInStatus.NOT_THERE
    ) | roster.filter(status=CheckInStatus.NEED_HELP)
    rows = chosen.values_list("person_id", "area__name", "status", "first_accounted_at")
    seeds: dict[int, tuple[str, str, dt.datetime | None]] = {}
    for person_id, area_name, status, accounted in rows:
        source = "asked" if status == CheckInStatus.NEED_HELP else "affected"
        seeds[person_id] = (area_name or "", source, accounted)
    if not seeds:
        return {}
    household_ids = chosen.filter(person__household_id__isnull=False).values("person__household_id")
    people = RegistryPerson.objects.filter(status=PersonStatus.ACTIVE).filter(
        Q(pk__in=chosen.values("person_id")) | Q(household_id__in=household_ids)
    )
    columns = (
        "pk",
        "household_id",
        "lat",
        "lon",
        "vulnerabilities",
        "birth_date",
        "passport_encrypted",
        "passport_index",
    )
    accounted_all = dict(
        RosterEntry.objects.filter(crisis_id=crisis_id)
        .exclude(first_accounted_at=None)
        .values_list("person_id", "first_accounted_at")
    )
    latest_fix: dict[int, tuple[float | None, float | None]] = {}
    for person_id, lat, lon in (
        CheckIn.objects.filter(crisis_id=crisis_id, lat__isnull=False, lon__isnull=False)
        .order_by("received_at", "pk")
        .values_list("person_id", "lat", "lon")
    ):
        latest_fix[person_id] = (lat, lon)
    alerted = dict(
        AlertRecipient.objects.filter(alert__crisis_id=crisis_id)
        .values("person_id")
        .annotate(first=Min("created_at"))
        .values_list("person_id", "first")
    )
    out: dict[int, Candidate] = {}
    for pk, household_id, lat, lon, vulns, birth, passport, passport_index in people.values_list(*columns):
        seed = seeds.get(pk)
        fix = latest_fix.get(pk)
        if fix is not None:
            lat, lon = fix[0], fix[1]
        out[pk] = Candidate(
            person_id=pk,
            household=f"h{household_id}" if household_id else f"p{pk}",
            source=seed[1] if seed else "household",
            area_name=seed[0] if seed else "",
            lat=lat,
            lon=lon,
            vulnerabilities=vulns,
            birth_date=birth,
            passport_encrypted=passport,
            passport_index=passport_index,
            accounted_at=accounted_all.get(pk),
            alerted_at=alerted.get(pk),
        )
    # Household members without a location travel from where their household is; and their area.
    by_household: dict[str, list[Candidate]] = {}
    for c in out.values():
        by_household.setdefault(c.household, []).append(c)
    for members in by_household.values():
        located = next((m for m in members if m.lat is not None and m.lon is not None), None)
        area = next((m.area_name for m in members if m.area_name), "")
        for m in members:
            if (m.lat is None or m.lon is None) and located is not None:
                m.lat, m.lon = located.lat, located.lon
            m.area_name = m.area_name or area
    return out


def assign_priorities(
    candidates: Iterable[Candidate], *, today: dt.date, health: dict[int, str] | None = None
) -> None:
    items = list(candidates)
    members = [
        Member(
            key=c.person_id,
            household=c.household,
            vulnerabilities=c.vulnerabilities,
            health=(health or {}).get(c.person_id, ""),
            birth_date=c.birth_date,
        )
        for c in items
    ]
    result = priorities(members, today=today)
    for c in items:
        c.priority = result[c.person_id]


@dataclass
class BuiltProblem:
    problem: Problem
    excluded: dict[int, str] = field(default_factory=dict)  # evacuee id -> our reason code
    counts: dict[str, int] = field(default_factory=dict)


def build_problem(operation: Operation) -> BuiltProblem:
    """The optimizer's input for this evacuation, now."""
    sites = list(
        Site.objects.filter(operation=operation, kind=SiteKind.ASSEMBLY_POINT).values_list(
            "pk", "lat", "lon", "capacity"
        )
    )
    site_ids = {pk for pk, *_ in sites}
    legs = list(
        Leg.objects.filter(
            operation=operation, status__in=OPEN_LEG_STATUSES, site_id__in=site_ids
        ).values_list("pk", "site_id", "seats", "departs_at")
    )
    leg_site = {pk: site for pk, site, *_ in legs}
    rows = (
        Evacuee.objects.filter(operation=operation, removed_at=None)
        .filter(Q(boarded_leg=None) | Q(boarded_leg__status__in=OPEN_LEG_STATUSES))
        .order_by("pk")
        .values_list(
            "pk",
            "household",
            "lat",
            "lon",
            "priority",
            "stayed_at",
            "consent",
            "health",
            "confirmed_at",
            "assigned_leg_id",
            "boarded_leg_id",
        )
    )
    people: list[Person] = []
    confirmed: list[Confirmation] = []
    declined: list[int] = []
    excluded: dict[int, str] = {}
    for pk, household, lat, lon, prio, stayed, consent, health, confirmed_at, leg_id, boarded_leg in rows:
        stays = stayed is not None or consent == Consent.REFUSED
        if health == Health.UNFIT and not stays:
            excluded[pk] = UNFIT_TO_TRAVEL
            continue
        if lat is None or lon is None:
            if not stays:
                excluded[pk] = NO_LOCATION
            continue
        people.append(Person(id=pk, household=household, lat=lat, lon=lon, priority=min(max(prio, 0), 4)))
        if stays:
            declined.append(pk)
            continue
        held = boarded_leg or (leg_id if confirmed_at is not None else None)
        if held is not None and held in leg_site:
            confirmed.append(Confirmation(person=pk, assembly_point=leg_site[held], transport=held))
    problem = Problem(
        people=tuple(people),
        assembly_points=tuple(
            AssemblyPoint(id=pk, lat=lat, lon=lon, capacity=cap) for pk, lat, lon, cap in sites
        ),
        transports=tuple(
            Transport(id=pk, assembly_point=site, seats=seats, departs=at) for pk, site, seats, at in legs
        ),
        max_distance_km=float(operation.max_distance_km),
        confirmed=tuple(confirmed),
        declined=tuple(declined),
    )
    households = len({p.household for p in people})
    return BuiltProblem(
        problem=problem,
        excluded=excluded,
        counts={
            "people": len(people),
            "households": households,
            "assembly_points": len(sites),
            "legs": len(legs),
            "confirmed": len(confirmed),
            "declined": len(declined),
            "excluded": len(excluded),
        },
    )


def result_summary(document: dict[str, Any], excluded: dict[int, str]) -> dict[str, Any]:
    """What we keep of the optimizer's answer (the assignments themselves live on the evacuees)."""
    by_reason: dict[str, int] = {}
    for u in document.get("unassigned", []):
        by_reason[u["reason"]] = by_reason.get(u["reason"], 0) + 1
    for reason in excluded.values():
        by_reason[reason] = by_reason.get(reason, 0) + 1
    return {
        "assigned": len(document.get("assignments", [])),
        "unassigned_by_reason": by_reason,
        "total_distance_km": document.get("total_distance_km"),
        "bound": document.get("bound"),
        "solve_seconds": document.get("solve_seconds"),
        "explanation": document.get("explanation", {}),
    }
