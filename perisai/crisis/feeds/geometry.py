"""Small pure geometry for crisis areas: building, checking and querying GeoJSON geometries.

Coordinates are [lon, lat] in WGS 84 as in RFC 7946. Areas are Polygon or MultiPolygon with
closed rings, exterior rings counter-clockwise and holes clockwise; rings that cross the
antimeridian are split in two. A circle is a Point with a ``radius_km`` foreign member
(``{"type": "Point", "coordinates": [lon, lat], "radius_km": 25.0}``).

``geometry_contains`` uses ray casting on lon/lat (even-odd rule, holes respected); a point on a
boundary counts as inside. Edges are straight lines in lon/lat, which is how CAP and KML polygons
are drawn by their authors.
"""

import math
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import FeedError

EARTH_RADIUS_KM = 6371.0088
#: half the Earth's circumference: no circle radius can be larger
MAX_RADIUS_KM = math.pi * EARTH_RADIUS_KM
CIRCLE_SEGMENTS = 64
_EPS = 1e-12

Position = tuple[float, float]  # (lon, lat)
Ring = list[Position]
BBox = tuple[float, float, float, float]


# ----------------------------------------------------------------------------------------- checks
def check_lat(value: float) -> float:
    if not math.isfinite(value) or not -90.0 <= value <= 90.0:
        raise FeedError(f"latitude {value} out of range")
    return value


def check_lon(value: float) -> float:
    if not math.isfinite(value) or not -180.0 <= value <= 180.0:
        raise FeedError(f"longitude {value} out of range")
    return value


def check_radius(value: float) -> float:
    if not math.isfinite(value) or value < 0 or value > MAX_RADIUS_KM:
        raise FeedError(f"circle radius {value} km out of range")
    return value


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _signed_area(ring: Sequence[Position]) -> float:
    total = 0.0
    for i in range(len(ring) - 1):
        total += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
    return total / 2


def _dedupe_consecutive(points: Iterable[Position]) -> Ring:
    out: Ring = []
    for point in points:
        if not out or out[-1] != point:
            out.append(point)
    return out


def close_ring(points: Sequence[Position], *, hole: bool = False) -> Ring:
    """Validate one ring of checked positions: closed (closing it if needed), at least 4 points,
    a non-zero area; oriented counter-clockwise (clockwise for a hole)."""
    ring = _dedupe_consecutive(points)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    if len(ring) < 3:
        raise FeedError("invalid polygon: ring has fewer than 4 points")
    ring.append(ring[0])
    area = _signed_area(ring)
    if abs(area) < _EPS:
        raise FeedError("invalid polygon: ring has no area")
    if (area < 0) != hole:
        ring.reverse()
    return ring


def _as_coords(ring: Ring) -> list[list[float]]:
    return [[lon, lat] for lon, lat in ring]


def polygons_to_geometry(polygons: Sequence[Sequence[Ring]]) -> dict[str, Any] | None:
    """[[exterior, *holes], ...] -> Polygon, MultiPolygon or None."""
    coords = [[_as_coords(ring) for ring in polygon] for polygon in polygons]
    if not coords:
        return None
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


# --------------------------------------------------------------------------------- antimeridian
def _clip(ring: Ring, bound: float, keep_below: bool) -> Ring:
    """Sutherland-Hodgman clip of an open ring against the half-plane lon <= bound (or >=)."""

    def inside(p: Position) -> bool:
        return p[0] <= bound if keep_below else p[0] >= bound

    def cross(a: Position, b: Position) -> Position:
        t = (bound - a[0]) / (b[0] - a[0])
        return (bound, a[1] + t * (b[1] - a[1]))

    out: Ring = []
    for i, cur in enumerate(ring):
        prev = ring[i - 1]
        if inside(cur):
            if not inside(prev):
                out.append(cross(prev, cur))
            out.append(cur)
        elif inside(prev):
            out.append(cross(prev, cur))
    return out


def split_antimeridian(points: Sequence[Position]) -> list[Ring]:
    """Rings whose consecutive longitudes jump by more than 180 degrees cross the antimeridian:
    unwrap them and cut them into pieces that each stay within [-180, 180]. Returns validated,
    oriented rings."""
    ring = _dedupe_consecutive(points)
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    if len(ring) < 3:
        raise FeedError("invalid polygon: ring has fewer than 4 points")
    unwrapped: Ring = [ring[0]]
    for lon, lat in ring[1:]:
        prev = unwrapped[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        unwrapped.append((lon, lat))
    closing = ring[0][0] - unwrapped[-1][0]
    if abs(closing) > 180:
        raise FeedError("invalid polygon: ring encircles a pole")
    lons = [p[0] for p in unwrapped]
    low, high = min(lons), max(lons)
    if high - low > 360:
        raise FeedError("invalid polygon: ring is wider than the globe")
    if low >= -180 and high <= 180:
        return [close_ring(unwrapped)]
    if high > 180:
        pieces = [_clip(unwrapped, 180, True), [(x - 360, y) for x, y in _clip(unwrapped, 180, False)]]
    else:
        pieces = [_clip(unwrapped, -180, False), [(x + 360, y) for x, y in _clip(unwrapped, -180, True)]]
    rings: list[Ring] = []
    for piece in pieces:
        piece = [(max(-180.0, min(180.0, x)), y) for x, y in piece]
        cleaned = _dedupe_consecutive(piece)
        if len(cleaned) >= 3 and abs(_signed_area([*cleaned, cleaned[0]])) >= _EPS:
            rings.append(close_ring(cleaned))
    if not rings:
        raise FeedError("invalid polygon: ring has no area")
    return rings


# ---------------------------------------------------------------------------------------- circles
def _destination(lat: float, lon: float, bearing: float, delta: float) -> Position:
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(
        max(
            -1.0,
            min(1.0, math.sin(p1) * math.cos(delta) + math.cos(p1) * math.sin(delta) * math.cos(bearing)),
        )
    )
    l2 = l1 + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(p1), math.cos(delta) - math.sin(p1) * math.sin(p2)
    )
    return (math.degrees(l2), math.degrees(p2))


def circle_rings(lat: float, lon: float, radius_km: float, segments: int = CIRCLE_SEGMENTS) -> list[Ring]:
    """Polygon ring(s) approximating a circle (split at the antimeridian; a circle around a pole
    becomes the band from its lowest latitude to that pole)."""
    check_lat(lat)
    check_lon(lon)
    check_radius(radius_km)
    if radius_km == 0:
        raise FeedError("invalid circle: radius 0 has no area")
    delta = radius_km / EARTH_RADIUS_KM
    to_north = math.radians(90 - lat)
    to_south = math.radians(90 + lat)
    if delta >= to_north or delta >= to_south:
        if delta >= to_north and delta >= to_south:
            low, high = -90.0, 90.0
        elif delta >= to_north:
            low, high = max(-90.0, lat - math.degrees(delta)), 90.0
        else:
            low, high = -90.0, min(90.0, lat + math.degrees(delta))
        return [close_ring([(-180.0, low), (180.0, low), (180.0, high), (-180.0, high)])]
    points: Ring = []
    for k in range(segments):
        bearing = -2 * math.pi * k / segments  # anticlockwise
        x, y = _destination(lat, lon, bearing, delta)
        points.append((round(x, 6), round(y, 6)))
    return split_antimeridian(points)


def circle_geometry(lat: float, lon: float, radius_km: float) -> dict[str, Any]:
    """A CAP circle as an area: a Polygon (or MultiPolygon) approximating it; a Point if radius 0."""
    if radius_km == 0:
        return {"type": "Point", "coordinates": [check_lon(lon), check_lat(lat)]}
    rings = circle_rings(lat, lon, radius_km)
    geometry = polygons_to_geometry([[ring] for ring in rings])
    if geometry is None:  # pragma: no cover - circle_rings never returns an empty list
        raise FeedError("invalid circle")
    return geometry


def bbox_polygon(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> dict[str, Any]:
    for value in (min_lat, max_lat):
        check_lat(value)
    for value in (min_lon, max_lon):
        check_lon(value)
    if min_lon >= max_lon or min_lat >= max_lat:
        raise FeedError("invalid bounding box: minimum is not below maximum")
    ring = close_ring([(min_lon, min_lat), (max_lon, min_lat), (max_lon, max_lat), (min_lon, max_lat)])
    return {"type": "Polygon", "coordinates": [_as_coords(ring)]}


# ----------------------------------------------------------------------------- GeoJSON validation
def _position(value: object, what: str) -> Position:
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise FeedError(f"invalid {what}: a position must be [lon, lat]")
    lon, lat = value[0], value[1]
    for number in (lon, lat):
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise FeedError(f"invalid {what}: coordinates must be numbers")
    return (check_lon(float(lon)), check_lat(float(lat)))


def _polygon(value: object, what: str) -> list[Ring]:
    if not isinstance(value, list) or not value:
        raise FeedError(f"invalid {what}: a polygon must be a non-empty list of rings")
    rings: list[Ring] = []
    for index, ring in enumerate(value):
        if not isinstance(ring, list):
            raise FeedError(f"invalid {what}: a ring must be a list of positions")
        rings.append(close_ring([_position(p, what) for p in ring], hole=index > 0))
    return rings


def geojson_polygons(geometry: object, what: str = "geometry", *, depth: int = 0) -> list[list[Ring]]:
    """The polygons of a GeoJSON geometry (Polygon, MultiPolygon, GeometryCollection of them);
    Points and lines give nothing. Raises FeedError on malformed input."""
    if not isinstance(geometry, dict):
        raise FeedError(f"invalid {what}: expected an object")
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        return [_polygon(coords, what)]
    if kind == "MultiPolygon":
        if not isinstance(coords, list):
            raise FeedError(f"invalid {what}: MultiPolygon coordinates must be a list")
        return [_polygon(polygon, what) for polygon in coords]
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list) or depth > 4:
            raise FeedError(f"invalid {what}: bad GeometryCollection")
        return [p for member in members for p in geojson_polygons(member, what, depth=depth + 1)]
    if kind in {"Point", "MultiPoint", "LineString", "MultiLineString"}:
        return []
    raise FeedError(f"invalid {what}: unknown geometry type {str(kind)[:40]!r}")


# ------------------------------------------------------------------------------------- querying
def _on_segment(x: float, y: float, a: Sequence[float], b: Sequence[float]) -> bool:
    (x1, y1), (x2, y2) = (a[0], a[1]), (b[0], b[1])
    cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
    if abs(cross) > 1e-12 * max(1.0, abs(x2 - x1) + abs(y2 - y1)):
        return False
    return min(x1, x2) - 1e-12 <= x <= max(x1, x2) + 1e-12 and min(y1, y2) - 1e-12 <= y <= max(y1, y2) + 1e-12


def _ring_position(ring: Sequence[Sequence[float]], x: float, y: float) -> int:
    """1 inside, 0 on the boundary, -1 outside (even-odd ray casting)."""
    inside = False
    n = len(ring)
    for i in range(n):
        a, b = ring[i - 1], ring[i]
        if _on_segment(x, y, a, b):
            return 0
        if (a[1] > y) != (b[1] > y):
            x_cross = (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]
            if x < x_cross:
                inside = not inside
    return 1 if inside else -1


def _polygon_contains(rings: Sequence[Sequence[Sequence[float]]], x: float, y: float) -> bool:
    if not rings or _ring_position(rings[0], x, y) < 0:
        return False
    return all(_ring_position(hole, x, y) != 1 for hole in rings[1:])


def _radius(geometry: dict[str, Any], radius_km: float | None) -> float:
    if radius_km is not None:
        return radius_km
    value = geometry.get("radius_km", 0.0)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FeedError("invalid geometry: radius_km must be a number")
    return float(value)


def geometry_contains(
    geometry: dict[str, Any], lat: float, lon: float, *, radius_km: float | None = None
) -> bool:
    """Whether (lat, lon) lies in the geometry. Points are circles: within ``radius_km`` (argument,
    else the Point's ``radius_km`` member, else 0 km) of the point."""
    check_lat(lat)
    if not math.isfinite(lon):
        raise FeedError(f"longitude {lon} out of range")
    lon = ((lon + 180.0) % 360.0) - 180.0 if not -180 <= lon <= 180 else lon
    try:
        return _contains(geometry, lat, lon, radius_km)
    except (TypeError, IndexError, KeyError, AttributeError) as exc:
        raise FeedError("invalid geometry") from exc


def _contains(geometry: dict[str, Any], lat: float, lon: float, radius_km: float | None) -> bool:
    kind = geometry.get("type")
    coords: Any = geometry.get("coordinates")
    if kind == "Polygon":
        return _polygon_contains(coords, lon, lat)
    if kind == "MultiPolygon":
        return any(_polygon_contains(polygon, lon, lat) for polygon in coords)
    if kind in {"Point", "MultiPoint"}:
        points = [coords] if kind == "Point" else coords
        radius = _radius(geometry, radius_km)
        return any(haversine_km(lat, lon, p[1], p[0]) <= radius + 1e-9 for p in points)
    if kind == "GeometryCollection":
        return any(_contains(member, lat, lon, radius_km) for member in geometry.get("geometries", []))
    raise FeedError(f"unsupported geometry type {str(kind)[:40]!r}")


def _point_bbox(lon: float, lat: float, radius_km: float) -> BBox:
    delta = radius_km / EARTH_RADIUS_KM
    dlat = math.degrees(delta)
    low, high = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    cos_lat = math.cos(math.radians(lat))
    if low <= -90 or high >= 90 or math.sin(delta) >= cos_lat:
        return (-180.0, low, 180.0, high)
    dlon = math.degrees(math.asin(math.sin(delta) / cos_lat))
    if lon - dlon < -180 or lon + dlon > 180:
        return (-180.0, low, 180.0, high)
    return (lon - dlon, low, lon + dlon, high)


def geometry_bbox(geometry: dict[str, Any], *, radius_km: float | None = None) -> BBox:
    """(min_lon, min_lat, max_lon, max_lat); a Point with a radius gives the box around its circle
    (the full longitude range when the circle reaches a pole or the antimeridian)."""
    try:
        return _bbox(geometry, radius_km)
    except (TypeError, IndexError, KeyError, AttributeError, ValueError) as exc:
        if isinstance(exc, FeedError):
            raise
        raise FeedError("invalid geometry") from exc


def _bbox(geometry: dict[str, Any], radius_km: float | None) -> BBox:
    kind = geometry.get("type")
    coords: Any = geometry.get("coordinates")
    boxes: list[BBox] = []
    if kind in {"Point", "MultiPoint"}:
        points = [coords] if kind == "Point" else coords
        radius = _radius(geometry, radius_km)
        boxes = [_point_bbox(p[0], p[1], radius) for p in points]
    elif kind in {"Polygon", "MultiPolygon"}:
        polygons = [coords] if kind == "Polygon" else coords
        xs = [p[0] for polygon in polygons for p in polygon[0]]
        ys = [p[1] for polygon in polygons for p in polygon[0]]
        if xs:
            boxes = [(min(xs), min(ys), max(xs), max(ys))]
    elif kind == "GeometryCollection":
        boxes = [_bbox(m, radius_km) for m in geometry.get("geometries", [])]
    else:
        raise FeedError(f"unsupported geometry type {str(kind)[:40]!r}")
    if not boxes:
        raise FeedError("empty geometry has no bounding box")
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
