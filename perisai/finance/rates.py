"""Reference exchange rates in memory: rupiah per unit of a currency, valid from a date. Imports nothing from
Django; the selectors fill a RateBook from the ExchangeRate table once per request."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

HOME = "IDR"


@dataclass
class RateBook:
    """`rate(code, day)`: the latest rate valid on or before `day` (None when there is none). IDR is 1."""

    _dates: dict[str, list[dt.date]] = field(default_factory=dict)
    _rates: dict[str, list[Decimal]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, dt.date, Decimal]]) -> RateBook:
        book = cls()
        for code, valid_on, rate in sorted(rows, key=lambda r: (r[0], r[1])):
            book._dates.setdefault(code, []).append(valid_on)
            book._rates.setdefault(code, []).append(rate)
        return book

    def rate(self, code: str, day: dt.date) -> Decimal | None:
        if code == HOME:
            return Decimal(1)
        dates = self._dates.get(code)
        if not dates:
            return None
        i = bisect.bisect_right(dates, day)
        return self._rates[code][i - 1] if i else None

    def latest(self, code: str) -> tuple[dt.date, Decimal] | None:
        if code == HOME:
            return None
        dates = self._dates.get(code)
        return (dates[-1], self._rates[code][-1]) if dates else None

    def currencies(self) -> list[str]:
        return sorted(self._dates)
