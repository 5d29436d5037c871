"""Fixtures of the governance tests: places, shipped frameworks, people who consent to statistics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from perisai.conftest import login
from perisai.core.models import User
from perisai.core.roles import Role

REGIONS = [
    ("35", None, "Jawa Timur", 1),
    ("35.07", "35", "Kabupaten Malang", 2),
    ("35.07.01", "35.07", "Donomulyo", 3),
    ("35.07.01.2001", "35.07.01", "Tulungrejo", 4),
    ("35.07.01.2002", "35.07.01", "Purwodadi", 4),
    ("35.08", "35", "Kabupaten Lumajang", 2),
    ("35.08.01", "35.08", "Tempursari", 3),
    ("35.08.01.2001", "35.08.01", "Tempursari", 4),
    ("33", None, "Jawa Tengah", 1),
    ("33.01", "33", "Kabupaten Cilacap", 2),
    ("33.01.01", "33.01", "Dayeuhluhur", 3),
    ("33.01.01.2001", "33.01.01", "Hanum", 4),
]
COUNTRIES = [
    ("MY", "MYS", "Malaysia"),
    ("HK", "HKG", "Hong Kong"),
    ("TW", "TWN", "Taiwan"),
    ("SA", "SAU", "Saudi Arabia"),
]


@pytest.fixture
def places(db: None) -> None:
    from perisai.places.models import Country
    from perisai.places.regions import RegionRow, do_import_regions

    for iso2, iso3, name in COUNTRIES:
        Country.objects.get_or_create(iso2=iso2, defaults={"iso3": iso3, "name": name})
    do_import_regions(rows=iter([RegionRow(*r) for r in REGIONS]), retire_missing=False)


@pytest.fixture
def frameworks(db: None) -> None:
    from perisai.governance.actions import do_load_frameworks

    do_load_frameworks()


def make_people(
    *,
    village: str | None,
    country: str = "MY",
    n: int = 1,
    sex: str = "F",
    sector: str = "domestic",
    status: str = "active",
    consent: bool = True,
    year: int = 2025,
) -> list[Any]:
    """People registered from a village (None: origin unknown), with or without the statistics consent."""
    from django.utils import timezone

    from perisai.registry.models import Consent, Person

    created = timezone.make_aware(dt.datetime(year, 3, 1, 12, 0))
    people = Person.objects.bulk_create(
        Person(
            full_name=f"Demo {i}",
            name_key=f"demo {i}",
            country_id=country,
            sex=sex,
            sector=sector,
            status=status,
            home_village_id=village,
            home_province=village[:2] if village else "",
            home_regency=village[:5] if village else "",
            created_at=created,
        )
        for i in range(n)
    )
    Consent.objects.bulk_create(Consent(person=p, purpose="statistics", granted=consent) for p in people)
    return people


@pytest.fixture
def people() -> Callable[..., list[Any]]:
    return make_people


@pytest.fixture
def analyst(make_user: Callable[..., User]) -> Client:
    user = make_user(Role.ANALYST, username="analyst")
    client = login(Client(), user)
    client.user = user  # type: ignore[attr-defined]
    return client


def publish() -> Any:
    from perisai.governance.actions import do_publish_statistics

    return do_publish_statistics()
