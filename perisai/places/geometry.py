"""Pure point-in-area tests for GeoJSON-like areas: Polygon, MultiPolygon and circles.

Areas are plain dicts as in GeoJSON (RFC 7946): positions are ``[lon, lat]`` (an optional third value,
the altitude, is ignored), a Polygon is a list of linear rings (the first is the outer boundary, the others
are holes), a ring is closed (first position == last) and has at least 4 positions. Edges are straight lines
in longitude/latitude (what GeoJSON viewers draw); polygons must not cross the antimeridian (split them
into a MultiPolygon).

Extension: a circle is ``{"type": "Circle", "coordinates": [lon, lat], "radius_km": r}``; a GeoJSON
``Point`` with a ``radius_km`` member means the same. A point is inside when its great-circle (haversine)
distance to the centre is at most ``r``.

Points on a polygon edge follow the usual half-open ray-casting rule; :func:`contains` and
:func:`contains_many` use the same floating-point arithmetic, so they always agree.

Pure Python + numpy: imports nothing from Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "EARTH_RADIUS_KM",
    "circle_of",
    "contains",
    "contains_many",
    "haversine_km",
    "haversine_km_np",
    "polygons_of",
    "validate_geometry",
]

#: Mean Earth radius (IUGG), the one H3 uses too.
EARTH_RADIUS_KM = 6371.0088
#: Half the equator: no circle radius can usefully exceed it.
MAX_RADIUS_KM = math.pi * EARTH_RADIUS_KM

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Position = Sequence[float]
Ring = Sequence[Position]

POLYGON_TYPES = frozenset({"Polygon", "MultiPolygon"})
CIRCLE_TYPES = frozenset({"Circle", "Point"})


# --- distances -------------------------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_np(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Vectorised great-circle distance in km (numpy broadcasting; degrees in, km out)."""
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dl = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    result: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return result


# --- reading areas ---------------------------------------------------------------------------------------


def circle_of(geometry: Mapping[str, Any]) -> tuple[float, float, float] | None:
    """``(lat, lon, radius_km)`` for a circle, None for a polygon (no validation)."""
    if geometry.get("type") in CIRCLE_TYPES:
        lon, lat = geometry["coordinates"][:2]
        return float(lat), float(lon), float(geometry["radius_km"])
    return None


def polygons_of(geometry: Mapping[str, Any]) -> list[Sequence[Ring]]:
    """The polygons (each a list of rings, outer first) of a Polygon or MultiPolygon."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"not a Polygon or MultiPolygon: {kind!r}")


# --- validation ------------------------------------------------------------------------------------------


def validate_geometry(geometry: object) -> None:
    """Raise ValueError (with where and why) unless ``geometry`` is a usable area."""
    if not isinstance(geometry, Mapping):
        raise ValueError(f"a geometry must be a JSON object, not {type(geometry).__name__}")
    kind = geometry.get("type")
    if kind in CIRCLE_TYPES:
        _validate_position(geometry.get("coordinates"), f"{kind} centre")
        radius = geometry.get("radius_km")
        if kind == "Point" and radius is None:
            raise ValueError("a Point is an area only with a radius_km member")
        if not isinstance(radius, int | float) or not _is_number(radius) or not 0 < radius <= MAX_RADIUS_KM:
            raise ValueError(f"{kind} radius_km must be a number in (0, {MAX_RADIUS_KM:.0f}], got {radius!r}")
        return
    if kind == "Polygon":
        _validate_polygon(geometry.get("coordinates"), "Polygon")
        return
    if kind == "MultiPolygon":
        polygons = geometry.get("coordinates")
        if not isinstance(polygons, Sequence) or isinstance(polygons, str) or not polygons:
            raise ValueError("MultiPolygon coordinates must be a non-empty list of polygons")
        for i, polygon in enumerate(polygons):
            _validate_polygon(polygon, f"MultiPolygon polygon {i}")
        return
    raise ValueError(f"unknown geometry type {kind!r}: expected Polygon, MultiPolygon or Circle")


def _validate_polygon(rings: object, where: str) -> None:
    if not isinstance(rings, Sequence) or isinstance(rings, str) or not rings:
        raise ValueError(f"{where} coordinates must be a non-empty list of linear rings")
    for i, ring in enumerate(rings):
        label = f"{where} ring {i}" + (" (outer)" if i == 0 else " (hole)")
        if not isinstance(ring, Sequence) or isinstance(ring, str):
            raise ValueError(f"{label} must be a list of positions")
        if len(ring) < 4:
            raise ValueError(f"{label} has {len(ring)} positions; a linear ring needs at least 4")
        for j, position in enumerate(ring):
            _validate_position(position, f"{label} position {j}")
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise ValueError(
                f"{label} is not closed: first position {list(ring[0])} != last {list(ring[-1])}"
            )


def _validate_position(position: object, where: str) -> None:
    if (
        not isinstance(position, Sequence)
        or isinstance(position, str)
        or not 2 <= len(position) <= 3
        or not all(_is_number(v) for v in position)
    ):
        raise ValueError(f"{where} must be [lon, lat] numbers, got {position!r}")
    lon, lat = float(position[0]), float(position[1])
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"{where} longitude {lon} is out of range [-180, 180]")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"{where} latitude {lat} is out of range [-90, 90]")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# --- containment -----------------------------------------------------------------------------------------


def contains(geometry: Mapping[str, Any], lat: float, lon: float) -> bool:
    """Whether the point (lat, lon) is inside the area (holes excluded). Does not validate."""
    circle = circle_of(geometry)
    if circle is not None:
        clat, clon, radius_km = circle
        return bool(haversine_km_np(clat, clon, lat, lon) <= radius_km)
    return any(_in_polygon(rings, float(lat), float(lon)) for rings in polygons_of(geometry))


def _in_polygon(rings: Sequence[Ring], lat: float, lon: float) -> bool:
    if not _in_ring(rings[0], lat, lon):
        return False
    return not any(_in_ring(hole, lat, lon) for hole in rings[1:])


def _in_ring(ring: Ring, y: float, x: float) -> bool:
    inside = False
    for (xi, yi), (xj, yj) in zip(_xy(ring[:-1]), _xy(ring[1:]), strict=True):
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
    return inside


def _xy(positions: Sequence[Position]) -> list[tuple[float, float]]:
    return [(float(p[0]), float(p[1])) for p in positions]


def contains_many(geometry: Mapping[str, Any], lats: npt.ArrayLike, lons: npt.ArrayLike) -> BoolArray:
    """Vectorised :func:`contains`: a boolean mask, one entry per point. Does not validate.

    Polygons are tested with numpy ray casting (one pass per edge over the points inside the ring's
    bounding box); circles with the vectorised haversine.
    """
    la = np.asarray(lats, dtype=np.float64)
    lo = np.asarray(lons, dtype=np.float64)
    if la.shape != lo.shape:
        raise ValueError(f"lats and lons differ in shape ({la.shape} != {lo.shape})")
    circle = circle_of(geometry)
    if circle is not None:
        clat, clon, radius_km = circle
        inside_circle: BoolArray = haversine_km_np(clat, clon, la, lo) <= radius_km
        return inside_circle
    flat_la, flat_lo = la.ravel(), lo.ravel()
    result = np.zeros(flat_la.shape, dtype=np.bool_)
    for rings in polygons_of(geometry):
        outer = np.asarray(_xy(rings[0]), dtype=np.float64)
        box = (
            (flat_lo >= outer[:, 0].min())
            & (flat_lo <= outer[:, 0].max())
            & (flat_la >= outer[:, 1].min())
            & (flat_la <= outer[:, 1].max())
            & ~result
        )
        idx = np.flatnonzero(box)
        if idx.size == 0:
            continue
        sub_la, sub_lo = flat_la[idx], flat_lo[idx]
        inside = _ring_mask(outer, sub_la, sub_lo)
        for hole in rings[1:]:
            candidates = np.flatnonzero(inside)
            if candidates.size == 0:
                break
            hole_xy = np.asarray(_xy(hole), dtype=np.float64)
            in_hole = _ring_mask(hole_xy, sub_la[candidates], sub_lo[candidates])
            inside[candidates[in_hole]] = False
        result[idx[inside]] = True
    return result.reshape(la.shape)


def _ring_mask(ring: FloatArray, y: FloatArray, x: FloatArray) -> BoolArray:
    inside = np.zeros(y.shape, dtype=np.bool_)
    with np.errstate(divide="ignore", invalid="ignore"):
        for (xi, yi), (xj, yj) in zip(ring[:-1].tolist(), ring[1:].tolist(), strict=True):
            crosses = (yi > y) != (yj > y)
            if not crosses.any():
                continue
            inside ^= crosses & (x < (xj - xi) * (y - yi) / (yj - yi) + xi)
    return inside
