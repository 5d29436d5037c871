"""Currencies: minor units from the places Currency table (ISO 4217 through Babel), display through Babel."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pycountry
from babel.numbers import format_currency, get_currency_precision
from django.utils.translation import get_language

from .money import from_minor, round_at_display
from .rates import HOME

HOME_CURRENCY = HOME
HOME_DISPLAY_PLACES = 0  # rupiah equivalents are shown in whole rupiah (the one rounding, at display)


@lru_cache(maxsize=1)
def _known() -> dict[str, int]:
    from perisai.places.models import Currency

    table = dict(Currency.objects.values_list("code", "minor_units"))
    for cur in pycountry.currencies:
        if cur.alpha_3 not in table:
            try:
                table[cur.alpha_3] = get_currency_precision(cur.alpha_3)
            except Exception:  # pragma: no cover - Babel knows every ISO code
                table[cur.alpha_3] = 2
    return table


def clear_cache() -> None:
    _known.cache_clear()


def is_currency(code: str) -> bool:
    return bool(code) and code.upper() in _known()


def exponent(code: str) -> int:
    """The currency's minor units (2 for MYR, 0 for JPY, 3 for KWD). Unknown codes raise KeyError."""
    return _known()[code.upper()]


def choices() -> list[tuple[str, str]]:
    return [(code, code) for code in sorted(_known())]


def _locale() -> str:
    return (get_language() or "id").split("-")[0]


def fmt(minor: int, code: str) -> str:
    """An amount in its own currency, with all its minor digits: "RM1.500,00" (id), "MYR 1,500.00" (en)."""
    return format_currency(from_minor(minor, exponent(code)), code, locale=_locale())


def fmt_decimal(value: Decimal, code: str) -> str:
    return format_currency(value, code, locale=_locale())


def fmt_idr(value: Decimal | None, *, rounded: bool = False) -> str:
    """A rupiah equivalent, rounded once here to whole rupiah (pass rounded=True when already allocated)."""
    if value is None:
        return "\u2013"
    shown = value if rounded else round_at_display(value, HOME_DISPLAY_PLACES)
    return format_currency(shown, HOME, format="¤#,##0", currency_digits=False, locale=_locale())
