"""Small SVG pictures made on the server (no map tiles, no script, nothing fetched from elsewhere): crisis
areas with people counted on a grid (never one dot per person), and the accounted share over time.
Pure Python."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from perisai.places.geo import circle_to_polygon
from perisai.places.geometry import circle_of, polygons_of

LEVEL_COLOURS = {1: "#b71c1c", 2: "#e65100", 3: "#c79100"}
Area = tuple[str, int, Mapping[str, Any]]  # (name, Siaga level, geometry)


def _rings(geometry: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    circle = circle_of(geometry)
    if circle is not None:
        lat, lon, radius = circle
        geometry = circle_to_polygon(lat, lon, radius, n=72)
    rings: list[list[tuple[float, float]]] = []
    for polygon in polygons_of(geometry):
        for ring in polygon:
            rings.append([(float(p[0]), float(p[1])) for p in ring])
    return rings


def _bounds(points: Sequence[tuple[float, float]], pad: float = 0.05) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    pad_x = max((max_x - min_x) * 0.08, pad)
    pad_y = max((max_y - min_y) * 0.08, pad)
    return min_x - pad_x, min_y - pad_y, max_x + pad_x, max_y + pad_y


def map_svg(
    areas: Sequence[Area],
    *,
    bins: Sequence[tuple[float, float, int]] = (),
    markers: Sequence[tuple[str, float, float]] = (),
    width: int = 640,
    title: str = "",
    pad: float = 0.05,
) -> str:
    """Areas coloured by Siaga level, grid counts as circles, markers (missions) as squares. The frame is in
    data-* attributes (x = (lon - data-lon0) * data-kx * data-scale, y = data-height - (lat - data-lat0) *
    data-scale, in viewBox units), so that a script (crisis/draw.js) can turn a click back into lon/lat.
    ``pad``: the least margin around the content, in degrees."""
    shapes = [(name, level, _rings(geometry)) for name, level, geometry in areas]
    points: list[tuple[float, float]] = [p for _n, _l, rings in shapes for ring in rings for p in ring]
    points += [(lon, lat) for lat, lon, _c in bins] + [(lon, lat) for _n, lat, lon in markers]
    if not points:
        return ""
    min_x, min_y, max_x, max_y = _bounds(points, pad)
    mid = math.radians((min_y + max_y) / 2)
    kx = max(math.cos(mid), 0.05)
    span_x, span_y = (max_x - min_x) * kx, max_y - min_y
    height = int(min(max(width * span_y / span_x if span_x else width, 180), width * 1.2))
    scale = min(width / span_x if span_x else 1, height / span_y if span_y else 1)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - min_x) * kx * scale, height - (lat - min_y) * scale

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="crisis-map" data-lon0="{float(min_x)!r}" data-lat0="{float(min_y)!r}" '
        f'data-kx="{float(kx)!r}" data-scale="{float(scale)!r}" data-height="{height}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#eef3f8"/>',
    ]
    for name, level, rings in sorted(shapes, key=lambda s: -s[1]):  # Siaga 1 drawn on top
        colour = LEVEL_COLOURS.get(level, "#555")
        d = " ".join(
            "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (xy(*p) for p in ring)) + " Z" for ring in rings
        )
        out.append(
            f'<path d="{d}" fill="{colour}" fill-opacity="0.22" stroke="{colour}" stroke-width="2" '
            f'fill-rule="evenodd"><title>{escape(name)} · Siaga {level}</title></path>'
        )
        if rings:
            cx = sum(p[0] for p in rings[0]) / len(rings[0])
            cy = sum(p[1] for p in rings[0]) / len(rings[0])
            x, y = xy(cx, cy)
            out.append(
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="13" text-anchor="middle" fill="#1a1a1a" '
                f'font-weight="700">{escape(name)} ({level})</text>'
            )
    top = max((c for _la, _lo, c in bins), default=1)
    for lat, lon, count in bins:
        x, y = xy(lon, lat)
        r = 3 + 12 * math.sqrt(count / top)
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#0b5cad" fill-opacity="0.55">'
            f"<title>{count}</title></circle>"
        )
    for name, lat, lon in markers:
        x, y = xy(lon, lat)
        out.append(
            f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="#1a1a1a">'
            f"<title>{escape(name)}</title></rect>"
        )
    out.append("</svg>")
    return "".join(out)


def share_chart_svg(
    series: Sequence[tuple[dt.datetime, float]], *, width: int = 640, height: int = 160, title: str = ""
) -> str:
    """The accounted share (0..1) over time as a line, with 0/50/100 % guides."""
    if len(series) < 2:
        return ""
    left, bottom, top = 36, 20, 8
    t0, t1 = series[0][0].timestamp(), series[-1][0].timestamp()
    span = max(t1 - t0, 1.0)
    inner_w, inner_h = width - left - 6, height - bottom - top

    def xy(t: dt.datetime, v: float) -> tuple[float, float]:
        return left + (t.timestamp() - t0) / span * inner_w, top + (1 - v) * inner_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for v in (0.0, 0.5, 1.0):
        _x, y = xy(series[0][0], v)
        out.append(f'<line x1="{left}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d0d0"/>')
        out.append(f'<text x="2" y="{y + 4:.1f}" font-size="11" fill="#555">{int(v * 100)}%</text>')
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(t, v) for t, v in series))
    out.append(f'<polyline points="{pts}" fill="none" stroke="#0b5cad" stroke-width="2.5"/>')
    out.append(
        f'<text x="{left}" y="{height - 4}" font-size="11" fill="#555">{series[0][0]:%d/%m %H:%M}</text>'
        f'<text x="{width - 6}" y="{height - 4}" font-size="11" fill="#555" text-anchor="end">'
        f"{series[-1][0]:%d/%m %H:%M} UTC</text></svg>"
    )
    return "".join(out)
