"""Charts as inline SVG made on the server: no script, no library, a few hundred bytes each, readable on a
small screen. Each chart has a title for screen readers and the page shows the same figures as text."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from babel.dates import format_date
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import currency

if TYPE_CHECKING:
    from .selectors import CategoryLine, MonthPoint

WIDTH = 320
IN_COLOUR, OUT_COLOUR, HOME_COLOUR = "#1b7f3b", "#c0392b", "#0b5cad"


def _locale() -> str:
    return (get_language() or "id").split("-")[0]


def _svg(height: int, title: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text inside is escaped below
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{body}</svg>'
    )


def _short(value: Decimal) -> str:
    """A compact rupiah figure for a bar label: 1,2 jt / 850 rb (id), 1.2M / 850K (en)."""
    amount = abs(value)
    id_locale = _locale() == "id"
    if amount >= 1_000_000_000:
        text, unit = amount / 1_000_000_000, (" M" if id_locale else "B")
    elif amount >= 1_000_000:
        text, unit = amount / 1_000_000, (" jt" if id_locale else "M")
    elif amount >= 1_000:
        text, unit = amount / 1_000, (" rb" if id_locale else "K")
    else:
        text, unit = amount, ""
    number = f"{text:.1f}".rstrip("0").rstrip(".")
    if id_locale:
        number = number.replace(".", ",")
    return ("-" if value < 0 else "") + number + unit


def category_bars(lines: Sequence[CategoryLine], *, title: str) -> SafeString:
    """One horizontal bar per category, longest first, with its rupiah amount."""
    if not lines:
        return SafeString("")
    row = 34
    height = row * len(lines) + 6
    top = max((max(line.total.idr, Decimal(0)) for line in lines), default=Decimal(0)) or Decimal(1)
    parts = []
    for i, line in enumerate(lines):
        y = 4 + i * row
        value = line.total.idr_shown if line.total.idr_shown is not None else line.total.idr
        width = int(Decimal(200) * max(value, Decimal(0)) / top) if top else 0
        parts.append(
            f'<text x="0" y="{y + 12}" font-size="12">{escape(line.icon)} {escape(line.label)}</text>'
            f'<rect x="0" y="{y + 16}" width="{max(width, 2)}" height="12" rx="3" fill="{escape(line.colour)}"/>'
            f'<text x="{max(width, 2) + 6}" y="{y + 27}" font-size="12" font-weight="700">Rp {escape(_short(value))}</text>'
        )
    return _svg(height, title, "".join(parts))


def trend(points: Sequence[MonthPoint], *, title: str) -> SafeString:
    """Money in (green) and out (red) per month, side by side."""
    if not points:
        return SafeString("")
    height, base = 170, 140
    top = max([max(p.money_in.idr, p.money_out.idr) for p in points] + [Decimal(1)])
    slot = WIDTH / len(points)
    bar = max(3.0, slot / 2 - 2)
    parts = [f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#888" stroke-width="1"/>']
    for i, p in enumerate(points):
        x = i * slot + 1
        for j, (value, colour) in enumerate(((p.money_in.idr, IN_COLOUR), (p.money_out.idr, OUT_COLOUR))):
            h = float(Decimal(120) * value / top) if top else 0.0
            parts.append(
                f'<rect x="{x + j * (bar + 1):.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"/>'
            )
        label = format_date(p.month, "MMM", locale=_locale())[:3]
        parts.append(
            f'<text x="{x + bar:.1f}" y="{base + 14}" font-size="9" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(f'<text x="0" y="{height - 2}" font-size="10">Max Rp {escape(_short(top))}</text>')
    return _svg(height, title, "".join(parts))


def sent_home(points: Sequence[MonthPoint], *, title: str) -> SafeString:
    if not points:
        return SafeString("")
    height, base = 150, 120
    top = max([p.sent_home.idr for p in points] + [Decimal(1)])
    slot = WIDTH / max(len(points), 1)
    parts = [f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#888" stroke-width="1"/>']
    for i, p in enumerate(points):
        x = i * slot + 2
        h = float(Decimal(100) * p.sent_home.idr / top)
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{slot - 4:.1f}" height="{h:.1f}" rx="2" fill="{HOME_COLOUR}"/>'
        )
        label = format_date(p.month, "MMM", locale=_locale())[:3]
        parts.append(
            f'<text x="{x + (slot - 4) / 2:.1f}" y="{base + 14}" font-size="9" text-anchor="middle">{escape(label)}</text>'
        )
    return _svg(height, title, "".join(parts))


def idr(value: Decimal) -> str:
    return currency.fmt_idr(value)
