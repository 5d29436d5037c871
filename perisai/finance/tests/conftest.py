from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from perisai.conftest import login
from perisai.core.models import User
from perisai.core.roles import Role
from perisai.finance import actions, currency
from perisai.finance.models import Wallet

TODAY = dt.date(2025, 3, 20)


@pytest.fixture(autouse=True)
def _fresh_currency_cache() -> Any:
    currency.clear_cache()
    yield
    currency.clear_cache()


@pytest.fixture
def countries(db: None) -> None:
    from perisai.places.models import Country, Currency

    for code, name, units in (("MYR", "Malaysian Ringgit", 2), ("IDR", "Rupiah", 2), ("SGD", "Singapore Dollar", 2),
                              ("JPY", "Yen", 0), ("KWD", "Kuwaiti Dinar", 3), ("HKD", "Hong Kong Dollar", 2)):  # fmt: skip
        Currency.objects.get_or_create(code=code, defaults={"name": name, "minor_units": units})
    for iso2, iso3, name, cur in (("MY", "MYS", "Malaysia", "MYR"), ("ID", "IDN", "Indonesia", "IDR"),
                                  ("SG", "SGP", "Singapore", "SGD"), ("HK", "HKG", "Hong Kong", "HKD")):  # fmt: skip
        Country.objects.get_or_create(iso2=iso2, defaults={"iso3": iso3, "name": name, "currency_id": cur})


@pytest.fixture
def make_migrant(countries: None, make_user: Callable[..., User]) -> Callable[..., User]:
    from perisai.registry.models import Consent, Person

    def factory(
        *, consent: bool = True, country: str = "MY", sector: str = "domestic", village: str = ""
    ) -> User:
        user = make_user(Role.MIGRANT)
        person = Person.objects.create(
            user=user, full_name=f"Migrant {user.pk}", name_key=f"migrant {user.pk}", country_id=country,
            sector=sector, home_province=village[:2], home_regency=village[:5],
        )  # fmt: skip
        Consent.objects.create(person=person, purpose=Consent.Purpose.STATISTICS, granted=consent)
        return user

    return factory


@pytest.fixture
def migrant(make_migrant: Callable[..., User]) -> User:
    return make_migrant()


@pytest.fixture
def client_m(migrant: User) -> Client:
    return login(Client(), migrant)


@pytest.fixture
def wallet(migrant: User) -> Wallet:
    return actions.do_create_wallet(owner=migrant, name="Tunai", kind="cash", currency_code="MYR")


@pytest.fixture
def rates(db: None) -> None:
    """MYR reference rates: 3,500 rupiah from 2024, 3,600 from March 2025."""
    actions.do_import_rates(
        rows=[
            actions.RateRow(2, "MYR", "2024-01-01", "3500"),
            actions.RateRow(3, "MYR", "2025-03-01", "3600"),
            actions.RateRow(4, "SGD", "2024-01-01", "11800.5"),
        ],
        actor=None,
        source="test",
    )


def item(**values: Any) -> actions.EntryItem:
    import uuid

    base: dict[str, Any] = {
        "id": uuid.uuid4(),
        "category": "food",
        "amount": "10.50",
        "occurred_on": "2025-03-10",
    }
    base.update(values)
    return actions.EntryItem(**base)


D = Decimal
