"""Who is exposed to a crisis area, on columns of the registry held in numpy arrays. Pure Python + numpy.

- *inside*: the person's location is inside the area (:func:`perisai.places.geometry.contains_many`, the
  same test as everywhere else, so the result equals a brute-force scan);
- *near*: the person is located only by their city (no pin: the registry put them at the city's centre)
  and that centre lies outside the area but within ``near_km`` of it. A city is wide, so they may well
  be in the area.

People without any location are never inside an area; a country-wide count covers them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from perisai.places.geometry import circle_of, contains_many, haversine_km_np, polygons_of

KM_PER_DEGREE = math.pi * 6371.0088 / 180.0
DEFAULT_NEAR_KM = 25.0

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass
class Columns:
    """The registry's active people, one entry per person, sorted by id."""

    ids: IntArray
    lat: FloatArray  # NaN when unknown
    lon: FloatArray
    precise: BoolArray  # False: the location is only the city's centre
    mission: IntArray  # 0: none
    country: npt.NDArray[np.int16]  # index into ``countries``
    vulnerabilities: IntArray
    sector: npt.NDArray[np.int8]  # index into ``sectors`` (0: none)
    household: IntArray  # 0: none
    city: IntArray  # GeoNames id, 0: none
    province: IntArray  # home province code as int (35), 0: none
    regency: IntArray  # home regency code as int (3507), 0: none
    countries: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.ids.size)

    def take(self, positions: IntArray) -> Columns:
        return Columns(
            ids=self.ids[positions],
            lat=self.lat[positions],
            lon=self.lon[positions],
            precise=self.precise[positions],
            mission=self.mission[positions],
            country=self.country[positions],
            vulnerabilities=self.vulnerabilities[positions],
            sector=self.sector[positions],
            household=self.household[positions],
            city=self.city[positions],
            province=self.province[positions],
            regency=self.regency[positions],
            countries=self.countries,
            sectors=self.sectors,
        )


@dataclass(frozen=True)
class Exposure:
    inside: IntArray  # positions into the columns
    near: IntArray


def geometry_bbox(geometry: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat); circles get the box of their radius."""
    circle = circle_of(geometry)
    if circle is not None:
        lat, lon, radius = circle
        dlat = radius / KM_PER_DEGREE
        cos = max(math.cos(math.radians(min(89.9, abs(lat) + dlat))), 1e-6)
        dlon = min(180.0, radius / (KM_PER_DEGREE * cos))
        return lon - dlon, lat - dlat, lon + dlon, lat + dlat
    xs: list[float] = []
    ys: list[float] = []
    for rings in polygons_of(geometry):
        xs.extend(float(p[0]) for p in rings[0])
        ys.extend(float(p[1]) for p in rings[0])
    return min(xs), min(ys), max(xs), max(ys)


def _expand(box: tuple[float, float, float, float], km: float) -> tuple[float, float, float, float]:
    dlat = km / KM_PER_DEGREE
    top = min(89.9, max(abs(box[1]), abs(box[3])) + dlat)
    dlon = min(180.0, km / (KM_PER_DEGREE * max(math.cos(math.radians(top)), 1e-6)))
    return box[0] - dlon, box[1] - dlat, box[2] + dlon, box[3] + dlat


def _box_mask(box: tuple[float, float, float, float], lat: FloatArray, lon: FloatArray) -> BoolArray:
    min_lon, min_lat, max_lon, max_lat = box
    mask: BoolArray = (lat >= min_lat) & (lat <= max_lat)
    if min_lon < -180.0 or max_lon > 180.0:  # a box across the antimeridian: wrap
        lo = ((lon - min_lon) % 360.0) <= (max_lon - min_lon)
        return mask & lo
    return mask & (lon >= min_lon) & (lon <= max_lon)


def distance_to_area_km(geometry: Mapping[str, Any], lats: FloatArray, lons: FloatArray) -> FloatArray:
    """Distance from each point to the area's edge (0 inside is not guaranteed: test containment first).

    Circles: exact great-circle distance to the rim. Polygons: distance to the nearest edge in a local
    equirectangular projection around each point (accurate to well under 1 % at the tens of kilometres
    this is used for).
    """
    lats = np.asarray(lats, dtype=np.float64)
    lons = np.asarray(lons, dtype=np.float64)
    circle = circle_of(geometry)
    if circle is not None:
        clat, clon, radius = circle
        result: FloatArray = np.maximum(haversine_km_np(clat, clon, lats, lons) - radius, 0.0)
        return result
    out = np.full(lats.shape, np.inf)
    for rings in polygons_of(geometry):
        for ring in rings:
            xy = np.asarray([(float(p[0]), float(p[1])) for p in ring], dtype=np.float64)
            ax, ay, bx, by = xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1]
            for start in range(0, lats.size, 512):
                la = lats[start : start + 512, None]
                lo = lons[start : start + 512, None]
                kx = KM_PER_DEGREE * np.cos(np.radians(la))
                # points at the origin, edges relative to them, in km
                x1, y1 = (ax - lo) * kx, (ay - la) * KM_PER_DEGREE
                x2, y2 = (bx - lo) * kx, (by - la) * KM_PER_DEGREE
                dx, dy = x2 - x1, y2 - y1
                length2 = dx * dx + dy * dy
                with np.errstate(divide="ignore", invalid="ignore"):
                    t = np.where(length2 > 0, -(x1 * dx + y1 * dy) / length2, 0.0)
                t = np.clip(t, 0.0, 1.0)
                px, py = x1 + t * dx, y1 + t * dy
                d = np.sqrt(px * px + py * py).min(axis=1)
                out[start : start + 512] = np.minimum(out[start : start + 512], d)
    return out


def expose(
    columns: Columns,
    geometry: Mapping[str, Any],
    *,
    near_km: float = DEFAULT_NEAR_KM,
    within: BoolArray | None = None,
) -> Exposure:
    """Positions of the people inside the area, and of those near it (located only by city).

    ``within`` limits the search (e.g. to the viewer's scope). Candidates are those in the area's bounding
    box; the exact test decides.
    """
    box = geometry_bbox(geometry)
    candidates = _box_mask(box, columns.lat, columns.lon)
    if within is not None:
        candidates &= within
    idx = np.flatnonzero(candidates)
    inside_mask = (
        contains_many(geometry, columns.lat[idx], columns.lon[idx]) if idx.size else np.zeros(0, np.bool_)
    )
    inside = idx[inside_mask]
    near = np.zeros(0, dtype=np.int64)
    if near_km > 0:
        wide = _box_mask(_expand(box, near_km), columns.lat, columns.lon) & ~columns.precise
        if within is not None:
            wide &= within
        wide[inside] = False
        pos = np.flatnonzero(wide)
        if pos.size:
            # People placed at a city's centre share its coordinates: measure each place once.
            points = np.stack([columns.lat[pos], columns.lon[pos]], axis=1)
            unique, inverse = np.unique(points, axis=0, return_inverse=True)
            close = distance_to_area_km(geometry, unique[:, 0], unique[:, 1]) <= near_km
            near = pos[close[inverse.ravel()]]
    return Exposure(inside=inside.astype(np.int64), near=near.astype(np.int64))


def expose_many(
    columns: Columns,
    areas: Sequence[tuple[int, Mapping[str, Any]]],
    *,
    near_km: float = DEFAULT_NEAR_KM,
    within: BoolArray | None = None,
) -> tuple[IntArray, IntArray, BoolArray]:
    """For several areas ``(key, geometry)`` in priority order (highest Siaga first): the positions of
    everyone exposed, the key of the first area that holds each, and whether each is only near.

    Inside any area beats near another one.
    """
    n = len(columns)
    owner = np.full(n, -1, dtype=np.int64)
    near_owner = np.full(n, -1, dtype=np.int64)
    for key, geometry in areas:
        found = expose(columns, geometry, near_km=near_km, within=within)
        free = found.inside[owner[found.inside] < 0]
        owner[free] = key
        free_near = found.near[near_owner[found.near] < 0]
        near_owner[free_near] = key
    inside_positions = np.flatnonzero(owner >= 0)
    near_positions = np.flatnonzero((owner < 0) & (near_owner >= 0))
    positions = np.concatenate([inside_positions, near_positions])
    keys = np.concatenate([owner[inside_positions], near_owner[near_positions]])
    is_near = np.concatenate(
        [np.zeros(inside_positions.size, np.bool_), np.ones(near_positions.size, np.bool_)]
    )
    order = np.argsort(positions, kind="stable")
    return positions[order], keys[order], is_near[order]


# ---- counting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    total: int
    inside: int
    near: int
    households: int
    vulnerable: int
    by_vulnerability: dict[int, int]
    by_sector: dict[str, int]
    by_city: list[tuple[int, int]]  # (GeoNames id, count), largest first; 0 = no city
    by_mission: dict[int, int]
    bins: list[tuple[float, float, int]]  # (lat, lon, count) on a grid, for a map without individuals


VULNERABILITY_FLAGS = (1, 2, 4, 8, 16)


def summarise(
    columns: Columns,
    positions: IntArray,
    *,
    near: IntArray | None = None,
    grid: int = 24,
) -> Summary:
    """Counts by city, sector, household and vulnerability of the people at ``positions``."""
    positions = np.asarray(positions, dtype=np.int64)
    near_count = 0 if near is None else int(np.asarray(near).size)
    if positions.size == 0:
        return Summary(0, 0, near_count, 0, 0, dict.fromkeys(VULNERABILITY_FLAGS, 0), {}, [], {}, [])
    sub = columns.take(positions)
    vulnerabilities = sub.vulnerabilities
    by_vulnerability = {flag: int(np.count_nonzero(vulnerabilities & flag)) for flag in VULNERABILITY_FLAGS}
    households = sub.household[sub.household > 0]
    household_count = int(np.unique(households).size) + int(np.count_nonzero(sub.household == 0))
    sector_counts = np.bincount(sub.sector.astype(np.int64), minlength=len(columns.sectors) or 1)
    by_sector = {
        (columns.sectors[i] if i < len(columns.sectors) else ""): int(c)
        for i, c in enumerate(sector_counts.tolist())
        if c
    }
    cities, city_counts = np.unique(sub.city, return_counts=True)
    order = np.argsort(-city_counts, kind="stable")
    by_city = [(int(cities[i]), int(city_counts[i])) for i in order]
    missions, mission_counts = np.unique(sub.mission, return_counts=True)
    return Summary(
        total=int(positions.size),
        inside=int(positions.size) - near_count,
        near=near_count,
        households=household_count,
        vulnerable=int(np.count_nonzero(vulnerabilities)),
        by_vulnerability=by_vulnerability,
        by_sector=by_sector,
        by_city=by_city,
        by_mission={int(m): int(c) for m, c in zip(missions.tolist(), mission_counts.tolist(), strict=True)},
        bins=grid_bins(sub.lat, sub.lon, grid=grid),
    )


def grid_bins(lats: FloatArray, lons: FloatArray, *, grid: int = 24) -> list[tuple[float, float, int]]:
    """People counted on a grid over their bounding box: each bin's mean position and count."""
    ok = ~(np.isnan(lats) | np.isnan(lons))
    la, lo = lats[ok], lons[ok]
    if la.size == 0:
        return []
    min_la, max_la, min_lo, max_lo = la.min(), la.max(), lo.min(), lo.max()
    span = max(max_la - min_la, max_lo - min_lo, 1e-6)
    row = np.minimum(((la - min_la) / span * grid).astype(np.int64), grid - 1)
    col = np.minimum(((lo - min_lo) / span * grid).astype(np.int64), grid - 1)
    cell = row * grid + col
    counts = np.bincount(cell, minlength=grid * grid)
    sum_la = np.bincount(cell, weights=la, minlength=grid * grid)
    sum_lo = np.bincount(cell, weights=lo, minlength=grid * grid)
    return [
        (float(sum_la[c] / counts[c]), float(sum_lo[c] / counts[c]), int(counts[c]))
        for c in np.flatnonzero(counts).tolist()
    ]
