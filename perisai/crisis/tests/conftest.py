"""Fixtures of the crisis tests: a small world around Kuala Lumpur and Johor Bahru, people placed by hand."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from perisai.conftest import login
from perisai.core.models import User
from perisai.core.roles import Role
from perisai.crisis.population import INDEX
from perisai.places.models import Country, Mission, MissionJurisdiction
from perisai.registry.models import Consent, Household, Person

KL = (3.139, 101.687)
JB = (1.4927, 103.7414)


@pytest.fixture(autouse=True)
def _fresh_population_index() -> Iterator[None]:
    """Per-process caches keyed by primary keys, which a rolled-back test may hand out again."""
    from perisai.crisis import views_public

    INDEX.clear()
    views_public._crises.clear()
    views_public._pages.clear()
    yield
    INDEX.clear()
    views_public._crises.clear()
    views_public._pages.clear()


@dataclass
class World:
    my: Country
    kl: Mission
    jb: Mission
    sa_mission: Mission
    officer: User  # KBRI Kuala Lumpur
    head: User  # supervisor (head of mission) of KBRI Kuala Lumpur
    delegate: User  # a second supervisor
    jb_officer: User
    far_officer: User  # KJRI Jeddah: sees nothing of Malaysia
    make_person: Callable[..., Person]

    def client(self, user: User) -> Client:
        return login(Client(headers={"accept-language": "en"}), user)  # the tests read English text


def _mission(code: str, name: str, country: str, lat: float, lon: float, **extra: Any) -> Mission:
    mission = Mission.objects.create(
        code=code, type="embassy", abbr=name.split()[0], name=name, city=name.split()[-1], country_id=country,
        lat=lat, lon=lon, **extra,
    )  # fmt: skip
    MissionJurisdiction.objects.create(mission=mission, country_id=country)
    return mission


@pytest.fixture
def world(db: None, make_user: Callable[..., User]) -> World:
    my = Country.objects.create(iso2="MY", iso3="MYS", name="Malaysia")
    Country.objects.create(iso2="SA", iso3="SAU", name="Saudi Arabia")
    Country.objects.create(iso2="ID", iso3="IDN", name="Indonesia")
    kl = _mission("kbri-kuala-lumpur", "KBRI Kuala Lumpur", "MY", *KL, hotline="+60 12-345 0000")
    jb = _mission("kjri-johor-bahru", "KJRI Johor Bahru", "MY", *JB)
    sa = _mission("kjri-jeddah", "KJRI Jeddah", "SA", 21.5, 39.2)
    counter = {"n": 0}

    def make_person(
        lat: float | None = KL[0],
        lon: float | None = KL[1],
        *,
        mission: Mission | None = None,
        consent: bool = True,
        name: str | None = None,
        phone: str | None = None,
        channel: str = "sms",
        language: str = "id",
        vulnerabilities: int = 0,
        sector: str = "domestic",
        household: Household | None = None,
        city_geonameid: int | None = None,
        city_name: str = "",
        country: str = "MY",
        **extra: Any,
    ) -> Person:
        counter["n"] += 1
        n = counter["n"]
        person = Person.objects.create(
            full_name=name or f"Orang {n}",
            name_key=(name or f"orang {n}").lower(),
            country_id=country,
            mission=mission or kl,
            lat=lat,
            lon=lon,
            phone=phone if phone is not None else f"+6012345{n:04d}",
            preferred_channel=channel,
            preferred_language=language,
            vulnerabilities=vulnerabilities,
            sector=sector,
            household=household,
            city_geonameid=city_geonameid,
            city_name=city_name,
            **extra,
        )
        if consent:
            Consent.objects.create(person=person, purpose=Consent.Purpose.CRISIS_CONTACT, granted=True)
        return person

    return World(
        my=my,
        kl=kl,
        jb=jb,
        sa_mission=sa,
        officer=make_user(Role.MISSION_OFFICER, username="officer-kl", missions=[kl]),
        head=make_user(Role.SUPERVISOR, username="head-kl", missions=[kl]),
        delegate=make_user(Role.SUPERVISOR, username="delegate-kl", missions=[kl]),
        jb_officer=make_user(Role.MISSION_OFFICER, username="officer-jb", missions=[jb]),
        far_officer=make_user(Role.MISSION_OFFICER, username="officer-jeddah", missions=[sa]),
        make_person=make_person,
    )


def run_worker() -> str:
    """Run everything queued (and due) on every queue; returns what the console channel printed.

    The worker closes "old" database connections between tasks; inside a test's transaction that would
    close the test's own connection on PostgreSQL (SQLite's in-memory one ignores it), so not here."""
    import sys
    from unittest import mock

    out = io.StringIO()
    real = sys.stdout
    sys.stdout = out
    try:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
            call_command("worker", batch=True, queues="*", no_scheduler=True)
    finally:
        sys.stdout = real
    return out.getvalue()


@pytest.fixture
def drain(django_capture_on_commit_callbacks: Any) -> Callable[[], str]:
    """Run the worker until nothing is left: tasks enqueued on commit by tasks (inside the test's
    transaction) are captured and enqueued, then run in the next round."""
    from django_tasks_db.models import DBTaskResult

    def run() -> str:
        printed = ""
        for _round in range(8):
            with django_capture_on_commit_callbacks(execute=True):
                printed += run_worker()
            if not DBTaskResult.objects.ready().exists():
                break
        return printed

    return run


def circle(lat: float, lon: float, radius_km: float) -> dict[str, Any]:
    return {"type": "Circle", "coordinates": [lon, lat], "radius_km": radius_km}
