"""Money arithmetic (pure): nothing is lost by parsing, converting, allocating or scheduling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perisai.finance.money import (
    AmountError,
    add_months,
    allocate_rounded,
    convert,
    from_minor,
    parse_amount,
    parse_rate,
    repayment_schedule,
    round_at_display,
    split_evenly,
    to_minor,
    true_cost_percent,
)
from perisai.finance.rates import RateBook

minor_units = st.integers(min_value=1, max_value=10**13)
exponents = st.sampled_from([0, 2, 3])


@pytest.mark.parametrize(
    ("text", "exponent", "minor"),
    [
        ("1500", 2, 150000),
        ("1.500", 2, 150000),  # Indonesian thousands
        ("1,500", 2, 150000),  # English thousands
        ("1.500.000", 0, 1500000),
        ("1,234.50", 2, 123450),
        ("1.234,50", 2, 123450),
        ("12,5", 2, 1250),
        ("12.50", 2, 1250),
        ("RM 1,200.00", 2, 120000),
        ("Rp50.000", 2, 5000000),
        ("1.500", 3, 1500),  # three decimals: a Kuwaiti dinar and a half
        ("0.5", 2, 50),
    ],
)
def test_parse_amount_reads_what_people_type(text: str, exponent: int, minor: int) -> None:
    assert parse_amount(text, exponent) == minor


@pytest.mark.parametrize(
    ("text", "exponent", "code"),
    [
        ("", 2, "empty"),
        ("abc", 2, "not_a_number"),
        ("-5", 2, "not_positive"),
        ("0", 2, "not_positive"),
        ("10.5055", 2, "too_many_decimals"),
        ("10.50.5", 2, "not_a_number"),
        ("1.5", 0, "too_many_decimals"),  # no sen in yen
        ("1.2.3,4,5", 2, "not_a_number"),
        ("1,50,000", 2, "not_a_number"),
        ("99999999999999999", 2, "too_large"),
    ],
)
def test_parse_amount_refuses_rather_than_rounds(text: str, exponent: int, code: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text, exponent)
    assert info.value.code == code


@given(minor=minor_units, exponent=exponents)
def test_formatting_and_parsing_lose_nothing(minor: int, exponent: int) -> None:
    """What the export writes (an exact decimal string) parses back to the same minor units."""
    text = str(from_minor(minor, exponent))
    assert parse_amount(text, exponent) == minor
    assert to_minor(Decimal(text), exponent) == minor


@given(minor=minor_units, exponent=exponents)
def test_grouped_forms_parse_back(minor: int, exponent: int) -> None:
    value = from_minor(minor, exponent)
    english = f"{value:,}"
    indonesian = english.replace(",", "_").replace(".", ",").replace("_", ".")
    assert parse_amount(english, exponent) == minor
    assert parse_amount(indonesian, exponent) == minor


@given(
    minor=minor_units,
    exponent=exponents,
    rate=st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("99999"), places=6),
)
def test_conversion_is_exact_until_display(minor: int, exponent: int, rate: Decimal) -> None:
    exact = convert(minor, exponent, rate)
    assert exact == Decimal(minor) * rate / Decimal(10) ** exponent  # no rounding inside
    shown = round_at_display(exact)
    assert abs(shown - exact) <= Decimal("0.5")


@given(values=st.lists(st.decimals(min_value=0, max_value=10**9, places=6), min_size=1, max_size=30))
def test_allocated_rows_add_up_to_the_rounded_total(values: list[Decimal]) -> None:
    shown = allocate_rounded(values)
    assert sum(shown) == round_at_display(sum(values, Decimal(0)))
    assert all(abs(s - v) < 1 for s, v in zip(shown, values, strict=True))


@given(total=st.integers(min_value=1, max_value=10**12), parts=st.integers(min_value=1, max_value=240))
def test_instalments_repay_exactly(total: int, parts: int) -> None:
    split = split_evenly(total, parts)
    assert sum(split) == total and max(split) - min(split) <= 1
    schedule = repayment_schedule(principal_minor=total, instalments=parts, first_due=dt.date(2025, 1, 31))
    assert sum(i.amount_minor for i in schedule) == total
    assert schedule[0].due_on == dt.date(2025, 1, 31)
    if parts > 1:
        assert schedule[1].due_on == dt.date(2025, 2, 28)  # clamped to the month's last day


def test_fixed_instalment_schedule_ends_with_what_is_left() -> None:
    schedule = repayment_schedule(
        principal_minor=1_000_000, instalments=3, first_due=dt.date(2025, 1, 5), instalment_minor=300_000
    )
    assert [i.amount_minor for i in schedule] == [300_000, 300_000, 300_000, 100_000]
    assert add_months(dt.date(2024, 12, 15), 2) == dt.date(2025, 2, 15)


def test_true_cost_is_fee_plus_exchange_margin() -> None:
    # RM 1,000 sent with a RM 10 fee, 3,450 rupiah per ringgit received against a 3,500 reference.
    cost = true_cost_percent(
        sent_minor=100000,
        fee_minor=1000,
        exponent=2,
        rate_received=Decimal(3450),
        reference_rate=Decimal(3500),
    )
    assert round_at_display(cost, 4) == Decimal("2.4286")  # 1% fee + 1.4286% margin
    better = true_cost_percent(
        sent_minor=100000, fee_minor=0, exponent=2, rate_received=Decimal(3510), reference_rate=Decimal(3500)
    )
    assert better < 0  # a better rate than the reference is a negative margin, not hidden


@settings(max_examples=50)
@given(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("999999999"), places=6))
def test_rates_parse_exactly(rate: Decimal) -> None:
    assert parse_rate(str(rate)) == rate
    assert parse_rate(str(rate).replace(".", ",")) == rate


@pytest.mark.parametrize("text", ["0", "-1", "abc", "1.0000001", "1e400"])
def test_bad_rates_are_refused(text: str) -> None:
    with pytest.raises(AmountError):
        parse_rate(text)


def test_rate_book_uses_the_latest_rate_on_or_before_the_day() -> None:
    book = RateBook.from_rows(
        [("MYR", dt.date(2025, 3, 1), Decimal(3600)), ("MYR", dt.date(2024, 1, 1), Decimal(3500))]
    )
    assert book.rate("MYR", dt.date(2023, 12, 31)) is None
    assert book.rate("MYR", dt.date(2025, 2, 28)) == 3500
    assert book.rate("MYR", dt.date(2025, 3, 1)) == 3600
    assert book.rate("IDR", dt.date(2000, 1, 1)) == 1
    assert book.latest("MYR") == (dt.date(2025, 3, 1), Decimal(3600))
