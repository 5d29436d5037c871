"""Anonymous statistics for SDG 10.c.1 and 10.7.1: only with her consent, never a group under 5 people."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from perisai.core.models import User
from perisai.finance import actions, statistics

from .conftest import item


def _transfer(user: User, *, fee: str, rate: str, country: str = "MY") -> None:
    wallet = actions.do_create_wallet(owner=user, name="Cash", kind="cash", currency_code="MYR")
    summary = actions.do_sync_entries(
        owner=user,
        items=[item(wallet=wallet.public_id, category="sending_home", amount="1000", fee=fee, rate_received=rate,
                    sending_country=country, occurred_on="2024-06-01")],
    )  # fmt: skip
    assert summary.count("created") == 1


def _placement_fee(user: User, *, fee: str, income: str, sector: str = "domestic") -> None:
    actions.do_create_debt(
        owner=user,
        data=actions.DebtInput(kind="placement_fee", principal=fee, currency="IDR", first_due=dt.date(2025, 1, 1),
                               destination_country="MY", sector=sector, monthly_income=income, income_currency="MYR"),
    )  # fmt: skip


@pytest.fixture
def people(make_migrant: Any, rates: None) -> list[User]:
    users = [make_migrant(village="35.07.01.2001") for _ in range(5)]
    for i, user in enumerate(users):
        _transfer(user, fee=str(10 + i), rate="3450")  # 1.0 .. 1.4 % fee + 1.4286 % margin
        _placement_fee(user, fee="7.200.000", income="2000")  # 7.2 M / (2000 x 3600) = 100 %
    return users


def test_corridor_cost_is_the_mean_over_consenting_people(people: list[User], make_migrant: Any) -> None:
    refusing = make_migrant(consent=False)
    _transfer(refusing, fee="900", rate="1000")  # an outlier that must not count: she did not consent
    actions.do_import_corridor_costs(
        rows=[actions.CorridorRow(2, "MYS", "IDN", "ATCR.CORR", "2020Q3", "5.39")]
    )
    rows = statistics.remittance_cost_by_corridor()
    assert len(rows) == 1
    row = rows[0]
    assert row.sending_country == "MY" and row.people == 5 and row.transfers == 5 and not row.suppressed
    expected = Decimal("1.2") + (Decimal(3500) - Decimal(3450)) / Decimal(3500) * 100
    assert row.mean_cost_percent is not None
    assert abs(row.mean_cost_percent - expected) < Decimal("0.00001")
    assert row.share_above_5_percent == 0
    assert row.world_bank_percent == Decimal("5.39") and row.world_bank_quarter == "2020Q3"


def test_a_group_under_five_people_is_suppressed(people: list[User]) -> None:
    from perisai.registry.models import Consent

    Consent.objects.filter(person__user=people[0]).update(granted=False)  # she revokes: out at once
    row = statistics.remittance_cost_by_corridor()[0]
    assert row.suppressed and row.people is None and row.mean_cost_percent is None and row.transfers is None
    fee_row = statistics.placement_fee_share_by_destination_sector()[0]
    assert fee_row.suppressed and fee_row.mean_share_percent is None


def test_placement_fee_share_of_monthly_income(people: list[User]) -> None:
    rows = statistics.placement_fee_share_by_destination_sector()
    assert [(r.destination_country, r.sector, r.people) for r in rows] == [("MY", "domestic", 5)]
    assert rows[0].mean_share_percent == Decimal(100) and rows[0].median_share_percent == Decimal(100)


def test_rows_for_the_governance_release_builder(people: list[User]) -> None:
    cost_rows = list(statistics.sdg_10_c_1_rows())
    assert [(geo, country, n) for geo, country, n, _v in cost_rows] == [("35.07", "MY", 5)]
    fee_rows = list(statistics.sdg_10_7_1_rows())
    assert [(geo, country, n) for geo, country, n, _v in fee_rows] == [("35.07", "MY", 5)]
    assert fee_rows[0][3] == pytest.approx(500.0)  # the sum of five 100 % shares; the builder takes the mean


def test_no_individual_ever_leaves_through_the_statistics(people: list[User]) -> None:
    for row in statistics.remittance_cost_by_corridor(min_cell=6):
        assert row.suppressed and row.people is None
