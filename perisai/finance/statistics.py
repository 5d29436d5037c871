"""Anonymous statistics from migrants' finances, for the governance module (SDG 10.c.1 and 10.7.1).

Only people who gave the consent "Use my data in anonymous statistics" (registry Consent, purpose
``statistics``, on the Person linked to her account) are counted; a revoked consent removes her from every
figure at once, because nothing is copied. No function here returns a person or an amount of one person.

Two kinds of output:

* ``remittance_cost_by_corridor`` and ``placement_fee_share_by_destination_sector`` are finished tables: a
  group with fewer than MIN_CELL (5) people has its figures suppressed (None) and ``suppressed=True``.
* ``sdg_10_c_1_rows`` and ``sdg_10_7_1_rows`` are the inputs of the governance release builder, in the shape
  of ``perisai.governance.sources.base.Row``: (place of origin, category, people, sum of per-person
  percentages). They are group sums to be added up the hierarchy of places; the builder protects every
  published cell (primary and secondary suppression). They must not be shown as they are.

Definitions (exact Decimals until the end):

* remittance cost (10.c.1): a transfer's fee plus exchange-rate margin against the reference rate of its
  day, in percent of the amount sent; per person, the mean over her transfers in the period; per group,
  the mean over people. Transfers without a reference rate are left out.
* recruitment cost share (10.7.1): per person, her placement-fee debts (sum, in rupiah at the reference rate
  of the day each was recorded) divided by the monthly income she gave, in percent; per group, the mean.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from perisai.core.stats import MIN_CELL

from . import currency
from .actions import load_rate_book
from .models import CorridorCost, Debt, Remittance
from .money import convert

__all__ = [
    "CorridorCostRow",
    "PlacementFeeShareRow",
    "consenting_user_ids",
    "placement_fee_share_by_destination_sector",
    "remittance_cost_by_corridor",
    "sdg_10_7_1_rows",
    "sdg_10_c_1_rows",
]


def consenting_user_ids() -> QuerySet[Any]:
    """Accounts whose registry Person consents to anonymous statistics (and is neither erased nor merged)."""
    from perisai.registry.models import Consent, Person, PersonStatus

    people = Person.objects.filter(
        consents__purpose=Consent.Purpose.STATISTICS, consents__granted=True, user__isnull=False
    ).exclude(status__in=[PersonStatus.ERASED, PersonStatus.MERGED])
    return people.values("user_id")  # type: ignore[return-value]


def _home_places() -> dict[int, str]:
    """user id -> most precise Kemendagri code of her home (village, else regency, else province, else '')."""
    from perisai.registry.models import Person

    out: dict[int, str] = {}
    rows = Person.objects.filter(user_id__in=consenting_user_ids()).values_list(
        "user_id", "home_village_id", "home_regency", "home_province"
    )
    for user_id, village, regency, province in rows:
        out[user_id] = village or regency or province or ""
    return out


# ---- SDG 10.c.1: remittance costs ----


def _cost_per_person(
    *, since: dt.date | None, until: dt.date | None
) -> dict[tuple[int, str], tuple[Decimal, int]]:
    """(user id, sending country) -> (mean cost percent of her transfers, number of transfers)."""
    qs = Remittance.objects.filter(entry__owner_id__in=consenting_user_ids(), cost_percent__isnull=False)
    if since is not None:
        qs = qs.filter(entry__occurred_on__gte=since)
    if until is not None:
        qs = qs.filter(entry__occurred_on__lte=until)
    sums: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    for owner_id, country, cost in qs.exclude(sending_country="").values_list(
        "entry__owner_id", "sending_country", "cost_percent"
    ):
        if cost is not None:
            sums[(owner_id, country)].append(Decimal(cost))
    return {key: (sum(values, Decimal(0)) / len(values), len(values)) for key, values in sums.items()}


@dataclass(frozen=True)
class CorridorCostRow:
    sending_country: str  # ISO 3166 alpha-2 of the country the money was sent from
    people: int | None  # None when suppressed (fewer than 5 people)
    transfers: int | None
    mean_cost_percent: Decimal | None  # mean over people of each person's mean transfer cost
    share_above_5_percent: Decimal | None  # share of people whose mean cost is above 5 percent (SDG 10.c)
    world_bank_percent: Decimal | None  # latest World Bank RPW corridor average on record
    world_bank_quarter: str
    suppressed: bool


def remittance_cost_by_corridor(
    *, since: dt.date | None = None, until: dt.date | None = None, min_cell: int = MIN_CELL
) -> list[CorridorCostRow]:
    """SDG 10.c.1 by corridor into Indonesia: what consenting migrants really paid, next to the World Bank
    average. A corridor with fewer than `min_cell` people is listed with its figures suppressed."""
    per_person = _cost_per_person(since=since, until=until)
    groups: dict[str, list[tuple[Decimal, int]]] = defaultdict(list)
    for (_user, country), value in per_person.items():
        groups[country].append(value)
    out = []
    for country in sorted(groups):
        values = groups[country]
        wb = (
            CorridorCost.objects.filter(sending_country=country, receiving_iso3="IDN")
            .order_by("-quarter", "series_code")
            .first()
        )
        n = len(values)
        hidden = n < min_cell
        out.append(
            CorridorCostRow(
                sending_country=country,
                people=None if hidden else n,
                transfers=None if hidden else sum(t for _c, t in values),
                mean_cost_percent=None if hidden else sum((c for c, _t in values), Decimal(0)) / n,
                share_above_5_percent=None
                if hidden
                else Decimal(sum(1 for c, _t in values if c > 5)) * 100 / n,
                world_bank_percent=Decimal(wb.average_cost_percent) if wb else None,
                world_bank_quarter=wb.quarter if wb else "",
                suppressed=hidden,
            )
        )
    return out


def sdg_10_c_1_rows(
    *, since: dt.date | None = None, until: dt.date | None = None
) -> Iterator[tuple[str, str, int, float]]:
    """For the governance builder: (home place code, sending country, people, sum of per-person mean cost
    percentages), one row per place and corridor. Unprotected group sums: the builder protects the cells."""
    homes = _home_places()
    groups: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for (user_id, country), (cost, _n) in _cost_per_person(since=since, until=until).items():
        groups[(homes.get(user_id, ""), country)].append(cost)
    for (geo, country), values in sorted(groups.items()):
        yield geo, country, len(values), float(sum(values, Decimal(0)))


# ---- SDG 10.7.1: recruitment cost as a share of monthly income ----


def _fee_share_per_person() -> dict[int, tuple[str, str, Decimal]]:
    """user id -> (destination country, sector, placement fees / monthly income in percent)."""
    debts = list(
        Debt.objects.filter(
            owner_id__in=consenting_user_ids(),
            kind=Debt.Kind.PLACEMENT_FEE,
            monthly_income_minor__isnull=False,
        ).order_by("created_at", "id")
    )
    book = load_rate_book(
        {d.currency for d in debts} | {d.income_currency for d in debts if d.income_currency}
    )
    fees: dict[int, Decimal] = defaultdict(Decimal)
    income: dict[int, Decimal] = {}
    where: dict[int, tuple[str, str]] = {}
    skipped: set[int] = set()
    for debt in debts:
        day = debt.created_at.date()
        fee_rate = book.rate(debt.currency, day)
        income_code = debt.income_currency or debt.currency
        income_rate = book.rate(income_code, day)
        if fee_rate is None or income_rate is None or not debt.monthly_income_minor:
            skipped.add(debt.owner_id)
            continue
        fees[debt.owner_id] += convert(debt.principal_minor, currency.exponent(debt.currency), fee_rate)
        income[debt.owner_id] = convert(
            debt.monthly_income_minor, currency.exponent(income_code), income_rate
        )  # the latest income she gave
        where[debt.owner_id] = (debt.destination_country, debt.sector)
    return {
        user_id: (*where[user_id], fees[user_id] / income[user_id] * 100)
        for user_id in fees
        if user_id not in skipped and income.get(user_id)
    }


@dataclass(frozen=True)
class PlacementFeeShareRow:
    destination_country: str  # ISO 3166 alpha-2
    sector: str  # registry Sector code ('' when not stated)
    people: int | None  # None when suppressed
    mean_share_percent: Decimal | None  # mean over people of fees / monthly income, in percent
    median_share_percent: Decimal | None
    suppressed: bool


def placement_fee_share_by_destination_sector(*, min_cell: int = MIN_CELL) -> list[PlacementFeeShareRow]:
    """SDG 10.7.1 by destination and sector: the placement fees consenting migrants recorded, as a share of
    their monthly income. A group with fewer than `min_cell` people is listed with its figures suppressed."""
    groups: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for country, sector, share in _fee_share_per_person().values():
        groups[(country, sector)].append(share)
    out = []
    for (country, sector), values in sorted(groups.items()):
        n = len(values)
        hidden = n < min_cell
        ordered = sorted(values)
        median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
        out.append(
            PlacementFeeShareRow(
                destination_country=country,
                sector=sector,
                people=None if hidden else n,
                mean_share_percent=None if hidden else sum(values, Decimal(0)) / n,
                median_share_percent=None if hidden else median,
                suppressed=hidden,
            )
        )
    return out


def sdg_10_7_1_rows() -> Iterator[tuple[str, str, int, float]]:
    """For the governance builder: (home place code, destination country, people, sum of per-person fee
    shares in percent). Unprotected group sums: the builder protects the cells."""
    homes = _home_places()
    groups: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for user_id, (country, _sector, share) in _fee_share_per_person().items():
        groups[(homes.get(user_id, ""), country)].append(share)
    for (geo, country), values in sorted(groups.items()):
        yield geo, country, len(values), float(sum(values, Decimal(0)))
