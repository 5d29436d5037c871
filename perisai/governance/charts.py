"""Inline SVG charts drawn on the server: no JavaScript, no external asset, readable on a 360 px phone.

Pure Python: imports nothing from Django. Each chart is an <svg> with a <title> and a text label on every
bar or point, so it reads without colour and with a screen reader; a suppressed value (None) is drawn as an
empty bar marked "\u00d7". Callers pass labels already translated; everything is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

SUPPRESSED = "\u00d7"
BAR = "#0b5cad"
GRID = "#d0d0d0"


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return SUPPRESSED
    if percent:
        return f"{value:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}"


def bar_chart(
    rows: Sequence[tuple[str, float | None]],
    *,
    title: str,
    width: int = 320,
    bar_height: int = 22,
    percent: bool = False,
    max_value: float | None = None,
) -> str:
    """Horizontal bars, one row each: label above, bar and value below (fits narrow screens)."""
    row_height = bar_height + 18
    height = max(1, len(rows)) * row_height + 8
    top = max([v for _l, v in rows if v is not None] + [max_value or 0.0, 1e-9])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(rows):
        y = index * row_height + 4
        parts.append(f'<text x="0" y="{y + 12}" font-size="12" fill="#1a1a1a">{escape(label)}</text>')
        bar_y = y + 16
        usable = width - 70
        length = 0 if value is None else max(1.0, usable * float(value) / top) if value else 0
        parts.append(
            f'<rect x="0" y="{bar_y}" width="{usable}" height="{bar_height - 6}" fill="none" stroke="{GRID}"/>'
        )
        if length:
            parts.append(
                f'<rect x="0" y="{bar_y}" width="{length:.1f}" height="{bar_height - 6}" fill="{BAR}"/>'
            )
        parts.append(
            f'<text x="{usable + 6}" y="{bar_y + bar_height - 9}" font-size="12" fill="#1a1a1a">'
            f"{escape(_fmt(value, percent))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    points: Sequence[tuple[str, float | None]], *, title: str, width: int = 320, height: int = 160
) -> str:
    """Vertical columns over time (a trend): the label under each column, the value above it."""
    n = max(1, len(points))
    top = max([v for _l, v in points if v is not None] + [1e-9])
    plot_h = height - 36
    slot = width / n
    col_w = max(4.0, slot * 0.6)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>',
        f'<line x1="0" y1="{plot_h + 14}" x2="{width}" y2="{plot_h + 14}" stroke="{GRID}"/>',
    ]
    for index, (label, value) in enumerate(points):
        x = index * slot + (slot - col_w) / 2
        h = 0.0 if value is None else plot_h * float(value) / top
        y = plot_h + 14 - h
        if h:
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{h:.1f}" fill="{BAR}"/>')
        parts.append(
            f'<text x="{x + col_w / 2:.1f}" y="{max(10.0, y - 2):.1f}" font-size="10" text-anchor="middle">'
            f"{escape(_fmt(value))}</text>"
        )
        parts.append(
            f'<text x="{x + col_w / 2:.1f}" y="{height - 4}" font-size="10" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
