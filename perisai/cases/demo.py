"""Synthetic protection cases for demos and load tests (`perisai cases demo --count N --seed S`).

Shape (demo only, not statistics): case types, sources and urgencies in rough proportions of what missions and
BP2MI report (wage and contract disputes and deportations most common, violence and trafficking fewer); about
a third closed; four in five with consent to anonymous reporting. Subjects are the registry's demo people
where there are some (their home village drives the region), else invented names marked "(demo)".

Reproducible and idempotent: case i depends only on (seed, i); each carries link ("demo", "<seed>:<i>"), so a
second run with the same seed creates nothing and a larger count only adds the missing ones. Rows are written
with bulk inserts (about 200,000 cases in well under a minute on SQLite), with one audit event per run.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from perisai.core import audit

from .actions import reserve_codes
from .models import (
    CONTACT_WITHIN_MINUTES,
    URGENCY_PRIORITY,
    Case,
    CaseConsent,
    CaseType,
    ConsentGiver,
    ConsentPurpose,
    Outcome,
    RiskLevel,
    ServiceProvider,
    Source,
    Status,
    Urgency,
    Vulnerability,
)

BATCH = 5000
TYPE_WEIGHTS = {
    CaseType.WAGES: 25, CaseType.DETENTION: 20, CaseType.REINTEGRATION: 20, CaseType.VIOLENCE: 10,
    CaseType.TRAFFICKING: 8, CaseType.RECRUITMENT_FRAUD: 7, CaseType.CRISIS_FOLLOWUP: 5, CaseType.DEATH_ABROAD: 5,
}  # fmt: skip
SOURCE_BY_TYPE = {
    CaseType.DETENTION: Source.ARRIVAL_LIST, CaseType.REINTEGRATION: Source.ARRIVAL_LIST,
    CaseType.CRISIS_FOLLOWUP: Source.CRISIS_CHECKIN,
}  # fmt: skip
GIVEN = (
    "Siti",
    "Sri",
    "Dewi",
    "Nur",
    "Rina",
    "Wati",
    "Yuli",
    "Ani",
    "Budi",
    "Agus",
    "Eko",
    "Joko",
    "Rudi",
    "Ika",
)
FAMILY = ("Rahayu", "Lestari", "Wahyuni", "Susanti", "Hidayat", "Saputra", "Santoso", "Kurniawan", "Purnama")
DEMO_PROVIDERS = (
    ("Rumah Aman (demo)", ["shelter", "psychosocial"]),
    ("Puskesmas Rujukan (demo)", ["health"]),
    ("LBH Buruh Migran (demo)", ["legal_aid"]),
    ("UPT P2TP2A (demo)", ["psychosocial", "shelter", "family_tracing"]),
    ("Balai Latihan Kerja (demo)", ["economic_reintegration"]),
)


def _choice(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


#: Home provinces of the demo cases, per 100 (the main sending provinces first; demo shape only).
HOME_PROVINCES = {
    "35": 24, "33": 20, "32": 17, "52": 11, "18": 5, "12": 4, "36": 3, "73": 3, "51": 3, "53": 3, "61": 2,
    "64": 2, "16": 1, "31": 1, "34": 1,
}  # fmt: skip


def _regions(seed: int = 0) -> list[str]:
    """A pool of home villages spread over the sending provinces in the proportions above."""
    from perisai.places.models import Region

    rng = random.Random(seed)  # noqa: S311
    pool: list[str] = []
    for province, weight in HOME_PROVINCES.items():
        villages = sorted(
            Region.objects.filter(level=4, retired_at=None, code__startswith=province + ".").values_list(
                "code", flat=True
            )
        )
        if villages:
            pool.extend(rng.choice(villages) for _ in range(weight * 40))
    if pool:
        return pool
    return list(Region.objects.filter(level=2).values_list("code", flat=True)[:600]) or [
        "35.07",
        "33.01",
        "52.03",
    ]


def ensure_demo_providers(regions: list[str]) -> int:
    """A few providers per regency of the demo regions (idempotent by name and area)."""
    regencies = sorted({code[:5] for code in regions if len(code) >= 5})[:40]
    created = 0
    for regency in regencies:
        for name, services in DEMO_PROVIDERS:
            _provider, made = ServiceProvider.objects.get_or_create(
                name=f"{name} {regency}", region_code=regency, defaults={"services": services}
            )
            created += int(made)
    return created


def build_case(
    i: int, *, seed: int, now: dt.datetime, person: Any, regions: list[str], missions: list[int]
) -> Case:
    rng = random.Random(f"{seed}:{i}")  # noqa: S311  (synthetic data, not secrets)
    case_type = _choice(rng, TYPE_WEIGHTS)
    source = SOURCE_BY_TYPE.get(case_type) or rng.choice([Source.HELPDESK, Source.WALK_IN, Source.CALL])
    urgency = (
        Urgency.EMERGENCY if rng.random() < 0.03 else (Urgency.HIGH if rng.random() < 0.2 else Urgency.NORMAL)
    )
    opened = now - dt.timedelta(minutes=rng.randint(5, 365 * 24 * 60))
    region = (person.home_village_id or person.home_regency) if person is not None else rng.choice(regions)
    region = region or rng.choice(regions)
    status = Status.OPEN
    roll = rng.random()
    if roll < 0.33 and (now - opened).days > 3:
        status = Status.CLOSED
    elif roll < 0.36:
        status = Status.CLOSURE_REQUESTED
    contact_minutes = int(rng.lognormvariate(4.5 if urgency == Urgency.EMERGENCY else 7, 1.0))
    contacted = opened + dt.timedelta(minutes=contact_minutes)
    first_contact = contacted if contacted < now and (status != Status.OPEN or rng.random() < 0.85) else None
    closed_at = None
    if status == Status.CLOSED:
        closed_at = min(now, opened + dt.timedelta(days=rng.randint(2, 200)))
        first_contact = first_contact or min(contacted, closed_at)
    flags = 0
    for flag, p in ((Vulnerability.SICK, 0.08), (Vulnerability.PREGNANT, 0.04), (Vulnerability.INJURED, 0.04),
                    (Vulnerability.ELDERLY, 0.03), (Vulnerability.CHILD, 0.05), (Vulnerability.DISABILITY, 0.02)):  # fmt: skip
        if rng.random() < p:
            flags |= int(flag)
    if case_type == CaseType.TRAFFICKING:
        flags |= int(Vulnerability.TRAFFICKING_INDICATORS)
    code_region, province, regency = region, region[:2], region[:5] if len(region) >= 5 else ""
    return Case(
        case_type=case_type,
        source=source,
        urgency=urgency,
        priority=URGENCY_PRIORITY[urgency],
        status=status,
        is_open=status != Status.CLOSED,
        summary=f"Kasus demo {i} (synthetic).",
        person=person,
        subject_name="" if person is not None else f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} (demo)",
        sex=(person.sex if person is not None else rng.choice(["F", "F", "F", "M"])),
        birth_year=(
            person.birth_date.year
            if person is not None and person.birth_date
            else now.year - rng.randint(17, 60)
        ),
        mission_id=(person.mission_id if person is not None and person.mission_id else rng.choice(missions))
        if missions and source != Source.ARRIVAL_LIST
        else None,
        region_code=code_region,
        home_province=province,
        home_regency=regency,
        opened_at=opened,
        contact_due_at=opened + dt.timedelta(minutes=CONTACT_WITHIN_MINUTES[urgency]),
        first_contact_at=first_contact,
        first_contact_minutes=int((first_contact - opened).total_seconds() // 60) if first_contact else None,
        risk_level=rng.choice([RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.UNKNOWN]),
        vulnerabilities=flags,
        closed_at=closed_at,
        closure_days=(closed_at - opened).days if closed_at else None,
        closure_outcome=rng.choice(Outcome.values) if closed_at else "",
        closure_reason="Demo." if closed_at else "",
        reporting_consent=rng.random() < 0.8,
        link_type="demo",
        link_id=f"{seed}:{i}",
        updated_at=opened,
        is_returnee=source == Source.ARRIVAL_LIST or case_type == CaseType.REINTEGRATION,
    )


def create_demo_cases(*, people: int, seed: int) -> int:
    """Create up to `people` demo cases (idempotent); returns how many were created."""
    from perisai.places.models import Mission
    from perisai.registry.models import Person

    now = timezone.now()
    regions = _regions(seed)
    ensure_demo_providers(regions)
    missions = list(Mission.objects.filter(active=True).values_list("pk", flat=True))
    existing = set(
        Case.objects.filter(link_type="demo", link_id__startswith=f"{seed}:").values_list(
            "link_id", flat=True
        )
    )
    wanted = [i for i in range(people) if f"{seed}:{i}" not in existing]
    demo_people = list(
        Person.objects.filter(source=Person.Source.DEMO)
        .order_by("pk")
        .only("pk", "home_village_id", "home_regency", "sex", "birth_date", "mission_id")[:people]
    )
    created = 0
    for start in range(0, len(wanted), BATCH):
        block = wanted[start : start + BATCH]
        cases = [
            build_case(
                i,
                seed=seed,
                now=now,
                person=demo_people[i] if i < len(demo_people) else None,
                regions=regions,
                missions=missions,
            )
            for i in block
        ]
        with transaction.atomic():
            by_year: dict[int, list[Case]] = defaultdict(list)
            for case in cases:
                by_year[case.opened_at.year].append(case)
            for year, group in by_year.items():
                for case, code in zip(group, reserve_codes(year=year, count=len(group)), strict=True):
                    case.code = code
            Case.objects.bulk_create(cases, batch_size=1000)
            if any(c.pk is None for c in cases):  # a backend that does not return keys
                ids = dict(
                    Case.objects.filter(link_id__in=[c.link_id for c in cases]).values_list("link_id", "pk")
                )
                for case in cases:
                    case.pk = ids[case.link_id]
            consents = [
                CaseConsent(
                    case=case,
                    purpose=purpose,
                    granted=True,
                    given_by=ConsentGiver.PERSON,
                    recorded_at=case.opened_at,
                )
                for case in cases
                if case.reporting_consent
                for purpose in (ConsentPurpose.SERVICES, ConsentPurpose.REPORTING)
            ]
            CaseConsent.objects.bulk_create(consents, batch_size=2000)
        created += len(cases)
    audit.record(
        actor=None,
        action="case.demo",
        object_type=Case._meta.label_lower,
        details={"created": created, "seed": seed},
    )
    return created
