"""Test data for evacuations: a Kyiv-like city, a contingency plan, registered households, an open crisis."""

from __future__ import annotations

import datetime as dt
from typing import Any

from perisai.core import crypto
from perisai.core.models import User
from perisai.crisis.evacuation import actions
from perisai.crisis.evacuation.models import ContingencyPlan
from perisai.places import geo
from perisai.places.models import Mission
from perisai.registry.models import Household, Person

KYIV = (50.4501, 30.5234)


def person(
    mission: Mission,
    name: str,
    *,
    lat: float = KYIV[0],
    lon: float = KYIV[1],
    household: Household | None = None,
    vulnerabilities: int = 0,
    birth_date: dt.date | None = dt.date(1990, 1, 1),
    passport: str = "",
    home_village: str = "35.07.01.2001",
) -> Person:
    return Person.objects.create(
        full_name=name,
        name_key=name.lower(),
        country_id=mission.country_id,
        mission=mission,
        lat=lat,
        lon=lon,
        h3_r4=geo.cell_int(lat, lon, 4),
        h3_r6=geo.cell_int(lat, lon, 6),
        household=household,
        vulnerabilities=vulnerabilities,
        birth_date=birth_date,
        passport_encrypted=crypto.encrypt(passport) if passport else "",
        passport_index=crypto.blind_index("passport", passport) if passport else "",
        home_village_id=home_village or None,
        home_province=home_village[:2] if home_village else "",
        home_regency=home_village[:5] if home_village else "",
    )


def household(mission: Mission, names: list[str], *, lat: float, lon: float, **extra: Any) -> list[Person]:
    home = Household.objects.create()
    return [person(mission, n, lat=lat, lon=lon, household=home, **extra) for n in names]


def plan(
    actor: User, mission: Mission, *, seats: int = 8, capacity: int = 100, checked: bool = True
) -> ContingencyPlan:
    """A published-ready plan: one zone (Kyiv centre, 15 km), triggers for every level, a warden, an assembly
    point, a safe haven, one bus of ``seats`` seats, stocks, a partner, a head and a deputy role."""
    p = actions.do_create_plan(
        actor=actor, mission=mission, scenario="conflict", title="Rencana kontinjensi Kyiv"
    )

    def add(section: str, **values: Any) -> Any:
        return actions.do_save_plan_item(plan=p, section_key=section, item=None, values=values, actor=actor)

    zone = add("zones", name="Kyiv tengah", lat=KYIV[0], lon=KYIV[1], radius_km=15.0, notes="")
    for level, text in ((3, "Waspada"), (2, "Batasi pergerakan"), (1, "Evakuasi")):
        add("triggers", level=level, indicators=f"Indikator {level}", actions=text)
    add("wardens", name="Pak Budi", phone="+380 50 123 4567", zone=zone, capacity=30)
    school = add(
        "sites",
        kind="assembly",
        name="Sekolah KBRI",
        zone=zone,
        address="",
        lat=KYIV[0] + 0.01,
        lon=KYIV[1],
        capacity=capacity,
        contact_name="Ibu Sari",
        contact_phone="+380 44 000 0000",
    )
    add(
        "sites",
        kind="safe_haven",
        name="Rzeszów",
        zone=None,
        address="",
        lat=50.04,
        lon=21.99,
        capacity=500,
        contact_name="",
        contact_phone="",
    )
    add(
        "transport",
        mode="bus",
        provider="PO Lviv",
        seats=seats,
        trips=1,
        lead_time_hours=6,
        departs_from=school,
        destination="Rzeszów",
        to_indonesia=False,
        contact_name="",
        contact_phone="",
    )
    add("stocks", item="Air minum", quantity=500, unit="liter", location="KBRI", expires_on=None)
    add(
        "partners",
        partner="IOM Ukraine",
        kind="iom",
        scope="Bus",
        contact_name="",
        contact_phone="",
        valid_until=None,
    )
    head = add(
        "roles",
        title="Kepala tim krisis",
        holder_name="Dubes",
        phone="+380 1",
        deputy_name="",
        deputy_phone="",
        reports_to=None,
    )
    add(
        "roles",
        title="Koordinator evakuasi",
        holder_name="Pak Andi",
        phone="+380 2",
        deputy_name="",
        deputy_phone="",
        reports_to=head,
    )
    return p


def crisis(
    actor: User, mission: Mission, *, level: int = 1, radius_km: float = 15.0, exercise: bool = False
) -> Any:
    """An open crisis at KBRI Kyiv with one area (a circle around the centre) at the given Siaga level."""
    from perisai.crisis.actions import do_add_area, do_create_crisis

    c = do_create_crisis(
        actor=actor,
        title="Konflik bersenjata Kyiv",
        type="armed_conflict",
        country=mission.country_id,
        missions=[mission],
        status="active",
        exercise=exercise,
    )
    do_add_area(
        crisis=c,
        actor=actor,
        name="Kyiv",
        level=level,
        geometry={"type": "Circle", "coordinates": [KYIV[1], KYIV[0]], "radius_km": radius_km},
    )
    return c


def population(mission: Mission) -> dict[str, Person]:
    """11 people in the crisis area: a family of 4 with a pregnant mother, a family of 3 with an elderly
    father, a couple, a single worker, an unaccompanied child; and one person far outside the area."""
    people: dict[str, Person] = {}
    lat, lon = KYIV
    fam = household(mission, ["Sari", "Andi", "Putri", "Bagus"], lat=lat + 0.02, lon=lon)
    fam[0].vulnerabilities = 1  # pregnant
    fam[0].passport_encrypted = crypto.encrypt("C1234567")
    fam[0].passport_index = crypto.blind_index("passport", "C1234567")
    fam[0].save()
    people.update({p.full_name: p for p in fam})
    elders = household(mission, ["Joko", "Wati", "Rudi"], lat=lat - 0.02, lon=lon + 0.01)
    elders[0].vulnerabilities = 8  # elderly
    elders[0].save()
    people.update({p.full_name: p for p in elders})
    people.update(
        {p.full_name: p for p in household(mission, ["Dedi", "Nur"], lat=lat + 0.05, lon=lon - 0.03)}
    )
    people["Eko"] = person(mission, "Eko", lat=lat + 0.06, lon=lon + 0.06, passport="B7654321")
    people["Ayu"] = person(mission, "Ayu", lat=lat, lon=lon + 0.02, birth_date=dt.date(2012, 3, 1))
    people["Far"] = person(mission, "Far", lat=49.84, lon=24.03)  # Lviv: not in the area
    return people
