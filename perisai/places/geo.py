"""Geo index helpers that work the same on SQLite and PostgreSQL, without GIS extensions.

A located record stores ``lat``, ``lon`` and two indexed H3 cell columns, ``h3_r4`` and ``h3_r6``, as signed
64-bit integers (an H3 index never sets its top bit, so it always fits in a BIGINT). "Who is inside this
area" is then answered in two steps:

1. ``covering(area)`` returns a set of cells that covers the area *completely* (every point inside the area
   lies in one of the cells), at resolution 6 when that takes at most ``max_cells`` cells, else at
   resolution 4, else ``resolution=None`` (too large: the caller falls back to a ``bbox`` range query);
2. the database returns the rows whose ``h3_r6`` (or ``h3_r4``) is in that set, and the exact test
   (:func:`perisai.places.geometry.contains_many`) drops the few candidates in the covering's border.

Areas are GeoJSON-like dicts: ``Polygon`` and ``MultiPolygon`` (positions are ``[lon, lat]``, edges are
straight lines in longitude/latitude, as in :mod:`perisai.places.geometry`), and the circle extension
``{"type": "Circle", "coordinates": [lon, lat], "radius_km": r}``. Polygons must not cross the
antimeridian (split them into a MultiPolygon, as RFC 7946 asks).

Pure Python: imports nothing from Django.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import h3.api.basic_int as h3i
import numpy as np
import numpy.typing as npt

from .geometry import (
    EARTH_RADIUS_KM,
    Ring,
    circle_of,
    haversine_km,
    haversine_km_np,
    polygons_of,
    validate_geometry,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "H3_COLUMNS",
    "Covering",
    "bbox",
    "cell_columns",
    "cell_int",
    "cells_for",
    "cells_mask",
    "circle_to_polygon",
    "covering",
    "densify",
    "destination",
    "haversine_km",
    "haversine_km_np",
    "points_in_bbox",
]

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0

#: The model column holding the cell at each indexed resolution.
H3_COLUMNS: dict[int, str] = {6: "h3_r6", 4: "h3_r4"}

# haversine_km and haversine_km_np are defined in geometry.py (which cannot import this module).


def destination(lat: float, lon: float, bearing_deg: float, distance_km: float) -> tuple[float, float]:
    """The point reached from (lat, lon) after ``distance_km`` along ``bearing_deg`` (great circle)."""
    d = distance_km / EARTH_RADIUS_KM
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    lon2 = (math.degrees(l2) + 540.0) % 360.0 - 180.0
    return math.degrees(p2), lon2


# --- H3 cells as int64 -----------------------------------------------------------------------------------


def cell_int(lat: float, lon: float, res: int) -> int:
    """The H3 cell of a point as a (non-negative) int that fits a signed 64-bit column."""
    return int(h3i.latlng_to_cell(lat, lon, res))


def cell_columns(lat: float | None, lon: float | None) -> dict[str, int | None]:
    """``{"h3_r4": ..., "h3_r6": ...}`` for a record (None when it has no position).

    Each resolution is computed from the point: the res-4 cell of a point is not always the parent of
    its res-6 cell (H3 children do not tile their parent exactly).
    """
    if lat is None or lon is None:
        return dict.fromkeys(H3_COLUMNS.values())
    return {column: cell_int(lat, lon, res) for res, column in H3_COLUMNS.items()}


def cells_for(lats: npt.ArrayLike, lons: npt.ArrayLike, res: int) -> npt.NDArray[np.int64]:
    """H3 cells of many points, as an int64 array (about 0.5 µs a point: h3 has no vectorised call)."""
    la = np.asarray(lats, dtype=np.float64).ravel()
    lo = np.asarray(lons, dtype=np.float64).ravel()
    if la.shape != lo.shape:
        raise ValueError(f"lats and lons differ in length ({la.size} != {lo.size})")
    to_cell = h3i.latlng_to_cell
    return np.fromiter(
        (to_cell(a, b, res) for a, b in zip(la.tolist(), lo.tolist(), strict=True)),
        dtype=np.int64,
        count=la.size,
    )


# --- coverings -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Covering:
    """Cells that together contain every point of an area; ``resolution`` None means "too large"."""

    resolution: int | None
    cells: frozenset[int]

    @property
    def column(self) -> str | None:
        """The model column to filter on (``h3_r6`` or ``h3_r4``), None when a bbox query is needed."""
        return H3_COLUMNS.get(self.resolution) if self.resolution is not None else None

    def as_array(self) -> npt.NDArray[np.int64]:
        """The cells as a sorted int64 array (for ``numpy.isin`` or ``searchsorted``)."""
        return np.array(sorted(self.cells), dtype=np.int64)


def covering(geometry: dict[str, Any], *, max_cells: int = 1500) -> Covering:
    """A complete covering of a Polygon, MultiPolygon or Circle by H3 cells at resolution 6, else 4.

    Complete means: every point ``p`` with ``geometry.contains(area, p)`` lies in one of the cells.

    Polygons: H3's ``polygon_to_cells`` keeps only the cells whose centre is inside. A point inside the
    polygon whose cell has its centre outside lies in a cell that the outer ring crosses; the ring is
    sampled every half average edge, so some sample is within a quarter edge of that crossing, and the
    sample's cell is that cell or a neighbour: adding ring 1 around the samples' cells covers it. Holes
    are ignored (a superset is fine).

    Circles: every cell whose centre is within ``radius + 1.5 average edges`` of the circle's centre (no
    point of a cell is more than 1.1 average edges from the cell's centre).

    ``tests/test_geo.py`` checks both with hypothesis.
    """
    validate_geometry(geometry)
    if max_cells < 1:
        raise ValueError("max_cells must be positive")
    area_km2 = _area_km2(geometry)
    for res in (6, 4):
        # H3 cells at a resolution vary about 2x in area: skip a resolution whose covering obviously
        # exceeds the limit instead of enumerating millions of cells.
        if area_km2 / (2.0 * h3i.average_hexagon_area(res, "km^2")) > max_cells:
            continue
        cells = _cover(geometry, res)
        if len(cells) <= max_cells:
            return Covering(res, frozenset(cells))
    return Covering(None, frozenset())


def _cover(geometry: dict[str, Any], res: int) -> set[int]:
    circle = circle_of(geometry)
    if circle is not None:
        lat, lon, radius_km = circle
        return _cover_circle(lat, lon, radius_km, res)
    cells: set[int] = set()
    for rings in polygons_of(geometry):
        cells.update(_cover_ring(rings[0], res))
    return cells


def _cover_ring(ring: Ring, res: int) -> set[int]:
    outer = [(float(p[1]), float(p[0])) for p in ring[:-1]]
    cells: set[int] = {int(c) for c in h3i.h3shape_to_cells(h3i.LatLngPoly(outer), res)}
    step_km = h3i.average_hexagon_edge_length(res, "km") / 2.0
    boundary = {h3i.latlng_to_cell(lat, lon, res) for lat, lon in densify(ring, step_km)}
    for cell in boundary:
        cells.update(int(c) for c in h3i.grid_disk(cell, 1))
    return cells


def _cover_circle(lat: float, lon: float, radius_km: float, res: int) -> set[int]:
    edge = h3i.average_hexagon_edge_length(res, "km")
    # Measured over 20,000 random cells and all pentagons at res 4 and 6: no vertex is more than 1.10
    # average edges from its cell's centre, and neighbouring centres are at least 1.20 edges apart (so a
    # cell k rings away is at least k * 1.2 * cos(30deg) = 1.04 k edges away). Margins: 1.5 and 0.9.
    reach = radius_km + 1.5 * edge
    k = math.ceil(reach / (0.9 * edge)) + 1
    disk = h3i.grid_disk(h3i.latlng_to_cell(lat, lon, res), k)
    centres = np.array([h3i.cell_to_latlng(c) for c in disk], dtype=np.float64)
    near = haversine_km_np(lat, lon, centres[:, 0], centres[:, 1]) <= reach
    return {int(c) for c, keep in zip(disk, near.tolist(), strict=True) if keep}


def densify(ring: Ring, step_km: float) -> list[tuple[float, float]]:
    """Points ``(lat, lon)`` along a ring's straight lon/lat edges, never more than ``step_km`` apart."""
    points: list[tuple[float, float]] = []
    for p1, p2 in itertools.pairwise(ring):
        lon1, lat1, lon2, lat2 = float(p1[0]), float(p1[1]), float(p2[0]), float(p2[1])
        # Upper bound of the edge length: local metric with the largest cos(lat) on the edge.
        cos_max = 1.0 if lat1 * lat2 <= 0 else math.cos(math.radians(min(abs(lat1), abs(lat2))))
        length = KM_PER_DEGREE * math.hypot(lat2 - lat1, (lon2 - lon1) * cos_max)
        n = max(1, math.ceil(length / step_km))
        for i in range(n):
            t = i / n
            points.append((lat1 + (lat2 - lat1) * t, lon1 + (lon2 - lon1) * t))
    points.append((float(ring[-1][1]), float(ring[-1][0])))
    return points


def _area_km2(geometry: dict[str, Any]) -> float:
    """Approximate area (equirectangular shoelace); only used to pick a resolution."""
    circle = circle_of(geometry)
    if circle is not None:
        return math.pi * circle[2] ** 2
    total = 0.0
    for rings in polygons_of(geometry):
        outer = rings[0]
        mean_lat = sum(p[1] for p in outer) / len(outer)
        kx = KM_PER_DEGREE * math.cos(math.radians(mean_lat))
        s = 0.0
        for p1, p2 in itertools.pairwise(outer):
            s += p1[0] * p2[1] - p2[0] * p1[1]
        total += abs(s) / 2.0 * kx * KM_PER_DEGREE
    return total


# --- shapes ----------------------------------------------------------------------------------------------


def circle_to_polygon(lat: float, lon: float, radius_km: float, n: int = 64) -> dict[str, Any]:
    """A GeoJSON Polygon with ``n`` vertices on the circle (inscribed: it lies inside the circle)."""
    if n < 3:
        raise ValueError("a circle polygon needs at least 3 vertices")
    if not radius_km > 0:
        raise ValueError("radius_km must be positive")
    ring: list[list[float]] = []
    for i in range(n):
        plat, plon = destination(lat, lon, 360.0 * i / n, radius_km)
        ring.append([plon, plat])
    ring.append(list(ring[0]))
    return {"type": "Polygon", "coordinates": [ring]}


def bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """``(min_lon, min_lat, max_lon, max_lat)`` of an area (GeoJSON order), never wrapping.

    A circle that crosses the antimeridian or reaches a pole gets the whole longitude range, so the box
    is always a superset usable as ``lat BETWEEN .. AND lon BETWEEN ..``.
    """
    validate_geometry(geometry)
    circle = circle_of(geometry)
    if circle is not None:
        lat, lon, radius_km = circle
        dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
        min_lat, max_lat = lat - dlat, lat + dlat
        if min_lat <= -90.0 or max_lat >= 90.0:
            return (-180.0, max(-90.0, min_lat), 180.0, min(90.0, max_lat))
        ratio = math.sin(radius_km / EARTH_RADIUS_KM) / math.cos(math.radians(lat))
        if ratio >= 1.0:
            return (-180.0, min_lat, 180.0, max_lat)
        dlon = math.degrees(math.asin(ratio))
        if lon - dlon < -180.0 or lon + dlon > 180.0:
            return (-180.0, min_lat, 180.0, max_lat)
        return (lon - dlon, min_lat, lon + dlon, max_lat)
    xs: list[float] = []
    ys: list[float] = []
    for rings in polygons_of(geometry):
        xs.extend(p[0] for p in rings[0])
        ys.extend(p[1] for p in rings[0])
    return (min(xs), min(ys), max(xs), max(ys))


def points_in_bbox(box: Sequence[float], lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Mask of the points inside ``(min_lon, min_lat, max_lon, max_lat)`` (inclusive)."""
    la = np.asarray(lats, dtype=np.float64)
    lo = np.asarray(lons, dtype=np.float64)
    result: npt.NDArray[np.bool_] = (lo >= box[0]) & (la >= box[1]) & (lo <= box[2]) & (la <= box[3])
    return result


def cells_mask(column: npt.ArrayLike, cells: Iterable[int]) -> npt.NDArray[np.bool_]:
    """Mask of the rows whose cell column is one of ``cells`` (the in-memory ``WHERE h3_r6 IN (...)``)."""
    wanted = np.fromiter(cells, dtype=np.int64)
    result: npt.NDArray[np.bool_] = np.isin(np.asarray(column, dtype=np.int64), wanted)
    return result
