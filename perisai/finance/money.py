"""Money arithmetic: exact Decimals, integer minor units, one rounding at display. Imports nothing from Django.

Amounts are stored as integers of the currency's minor units (sen, cents, fils); an amount typed with more
decimals than the currency has is refused, never rounded. A conversion (amount x rate) is exact; it is rounded
once, when shown. Rounded parts that must add up to a rounded total are allocated by the largest remainder,
so a table always reconciles with its total.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation

MAX_MINOR = 10**15  # a quadrillion minor units: far above any personal amount, far below 2**63
RATE_MAX_DIGITS = 15  # significant digits a reference rate may carry (exact on SQLite and PostgreSQL)
RATE_PLACES = 6


class AmountError(ValueError):
    """The text is not an amount of this currency. `code` names the problem for a translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def to_minor(amount: Decimal, exponent: int) -> int:
    """Exact Decimal -> integer minor units. Refuses more decimals than the currency has."""
    if not amount.is_finite():
        raise AmountError("not_a_number")
    scaled = amount.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise AmountError("too_many_decimals")
    value = int(scaled)
    if abs(value) >= MAX_MINOR:
        raise AmountError("too_large")
    return value


def from_minor(minor: int, exponent: int) -> Decimal:
    """Integer minor units -> Decimal with exactly `exponent` decimal places."""
    return Decimal(minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))


_SPACES = re.compile(r"[\s\u00a0\u202f']")
_SYMBOLS = re.compile(r"^[^\d\-.,]+|[^\d.,]+$")


def parse_amount(text: str, exponent: int) -> int:
    """A typed amount -> minor units. Accepts "1.500.000" and "1,500,000" (thousands), "12,50" and "12.50"
    (decimals), "Rp 50.000", "RM1,234.50". One separator followed by exactly three digits is read as a
    thousands separator unless the currency has three decimals. Negative or zero amounts are refused."""
    compact = _SPACES.sub("", text or "")
    if not compact:
        raise AmountError("empty")
    raw = _SYMBOLS.sub("", compact)
    if not raw:
        raise AmountError("not_a_number")
    if raw.startswith("-"):
        raise AmountError("not_positive")
    if not re.fullmatch(r"[\d.,]+", raw) or not any(c.isdigit() for c in raw):
        raise AmountError("not_a_number")
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal_sep = "." if raw.rfind(".") > raw.rfind(",") else ","
        thousands = "," if decimal_sep == "." else "."
        if raw.count(decimal_sep) > 1:
            raise AmountError("not_a_number")
        integer, _sep, fraction = raw.partition(decimal_sep)
        if not _valid_groups(integer, thousands):
            raise AmountError("not_a_number")
        number = integer.replace(thousands, "") + "." + fraction
    elif dots or commas:
        sep = "." if dots else ","
        parts = raw.split(sep)
        if len(parts) > 2:  # several: thousands separators only
            if not _valid_groups(raw, sep):
                raise AmountError("not_a_number")
            number = raw.replace(sep, "")
        elif len(parts[1]) == 3 and exponent < 3 and parts[0] not in ("", "0"):
            number = parts[0] + parts[1]
        else:
            number = parts[0] + "." + parts[1]
    else:
        number = raw
    try:
        value = Decimal(number)
    except InvalidOperation as exc:
        raise AmountError("not_a_number") from exc
    minor = to_minor(value, exponent)
    if minor <= 0:
        raise AmountError("not_positive")
    return minor


def _valid_groups(integer: str, sep: str) -> bool:
    groups = integer.split(sep)
    return bool(groups[0]) and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def parse_rate(text: str) -> Decimal:
    """A positive exchange rate with at most RATE_PLACES decimals and RATE_MAX_DIGITS digits, or AmountError.
    A lone separator is the decimal one (a rate is rarely in thousands with decimals: 3612,5 or 0,64)."""
    raw = _SPACES.sub("", text or "")
    if "," in raw and "." in raw:  # the last separator is the decimal one: 3.612,5 or 3,612.5
        thousands = "." if raw.rfind(",") > raw.rfind(".") else ","
        raw = raw.replace(thousands, "")
    raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise AmountError("not_a_number") from exc
    if not value.is_finite():
        raise AmountError("not_a_number")
    if value <= 0:
        raise AmountError("not_positive")
    if value >= Decimal(10) ** (RATE_MAX_DIGITS - RATE_PLACES):
        raise AmountError("too_large")
    if value != value.quantize(Decimal(1).scaleb(-RATE_PLACES), rounding=ROUND_FLOOR):
        raise AmountError("too_many_decimals")
    return value


def _exact(integer: int, exponent: int) -> Decimal:
    """integer x 10**exponent as a Decimal, built digit by digit: exact whatever the context's precision."""
    return Decimal((1 if integer < 0 else 0, tuple(int(c) for c in str(abs(integer))), exponent))


def _coefficient(rate: Decimal) -> tuple[int, int]:
    sign, digits, exp = rate.as_tuple()
    if not isinstance(exp, int):
        raise ValueError("a rate must be a finite number")
    value = int("".join(str(d) for d in digits) or "0")
    return (-value if sign else value), exp


def convert(minor: int, exponent: int, rate: Decimal) -> Decimal:
    """An amount (minor units) times a rate: exact, unrounded (integer arithmetic, so no Decimal context can
    round it). Round only to show it (`round_at_display`)."""
    coefficient, exp = _coefficient(rate)
    return _exact(minor * coefficient, exp - exponent)


NANO_PLACES = 9  # exact sums of converted amounts are kept as integers of 10**-9 (3 minor + 6 rate decimals)


def to_nanos(minor: int, exponent: int, rate: Decimal) -> int:
    """minor x 10**-exponent x rate, in units of 10**-9: an exact integer, to be added up without rounding."""
    coefficient, exp = _coefficient(rate)
    shift = NANO_PLACES - exponent + exp
    if shift < 0:
        raise ValueError("too many decimals for an exact sum")
    return minor * coefficient * 10**shift


def from_nanos(nanos: int) -> Decimal:
    return _exact(nanos, -NANO_PLACES)


def round_at_display(value: Decimal, places: int = 0) -> Decimal:
    """The one rounding of a converted amount (banker's rounding, so rounding errors do not drift)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def allocate_rounded(values: Sequence[Decimal], places: int = 0) -> list[Decimal]:
    """Round each value so that the rounded values add up exactly to the rounded total (largest remainder).

    Used to show a table of converted amounts whose rows reconcile with the total shown beneath them.
    """
    if not values:
        return []
    unit = Decimal(1).scaleb(-places)
    total = round_at_display(sum(values, Decimal(0)), places)
    floors = [v.quantize(unit, rounding=ROUND_FLOOR) for v in values]
    remainder = int(((total - sum(floors, Decimal(0))) / unit).to_integral_value())
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    result = list(floors)
    if remainder >= 0:
        for i in order[:remainder]:
            result[i] += unit
    else:  # only when negative values are mixed in
        for i in order[::-1][:-remainder]:
            result[i] -= unit
    return result


def split_evenly(total_minor: int, parts: int) -> list[int]:
    """Split an amount into `parts` instalments that add up exactly; the first ones carry the remainder."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    base, extra = divmod(total_minor, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: dt.date
    amount_minor: int


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def repayment_schedule(
    *, principal_minor: int, instalments: int, first_due: dt.date, instalment_minor: int | None = None
) -> list[Instalment]:
    """Monthly instalments that repay the principal exactly. With a fixed instalment the last one is what
    is left; without one the principal is split evenly."""
    if instalments <= 0 or principal_minor <= 0:
        return []
    if instalment_minor and instalment_minor > 0:
        amounts: list[int] = []
        left = principal_minor
        while left > 0 and len(amounts) < 600:
            amounts.append(min(instalment_minor, left))
            left -= amounts[-1]
    else:
        amounts = split_evenly(principal_minor, instalments)
    return [
        Instalment(number=i + 1, due_on=add_months(first_due, i), amount_minor=a)
        for i, a in enumerate(amounts)
    ]


def true_cost_percent(
    *, sent_minor: int, fee_minor: int, exponent: int, rate_received: Decimal, reference_rate: Decimal
) -> Decimal:
    """Total cost of a transfer in percent of the amount sent: the fee plus the exchange-rate margin
    (how much less than the reference rate she got), as the World Bank's Remittance Prices Worldwide counts
    it. Exact; round at display. A rate better than the reference gives a negative margin (a cheaper transfer).
    """
    if sent_minor <= 0 or reference_rate <= 0:
        raise ValueError("amount and reference rate must be positive")
    fee_share = Decimal(fee_minor) / Decimal(sent_minor)
    margin_share = (reference_rate - rate_received) / reference_rate
    return (fee_share + margin_share) * 100


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return part / whole * 100
