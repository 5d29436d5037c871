"""perisai.places.geo: H3 cells as int64, complete coverings (proved with hypothesis), shapes and boxes."""

from __future__ import annotations

import itertools
import math
from typing import Any

import h3
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perisai.places.geo import (
    Covering,
    bbox,
    cell_columns,
    cell_int,
    cells_for,
    cells_mask,
    circle_to_polygon,
    covering,
    destination,
    haversine_km,
    haversine_km_np,
    points_in_bbox,
)
from perisai.places.geometry import contains, contains_many, validate_geometry

INT64_MAX = 2**63 - 1


# --- cells -----------------------------------------------------------------------------------------------


def test_cell_int_is_the_h3_cell_as_a_signed_64_bit_int() -> None:
    cell = cell_int(3.139, 101.6869, 6)
    assert cell == h3.str_to_int(h3.latlng_to_cell(3.139, 101.6869, 6))
    assert 0 < cell <= INT64_MAX
    assert h3.get_resolution(h3.int_to_str(cell)) == 6
    # each resolution comes from the point itself: a res-4 cell is not always the parent of the res-6 one
    assert cell_int(3.139, 101.6869, 4) == h3.str_to_int(h3.latlng_to_cell(3.139, 101.6869, 4))


def test_cells_for_matches_cell_int_for_every_point() -> None:
    rng = np.random.default_rng(7)
    lats = np.degrees(np.arcsin(rng.uniform(-1, 1, 500)))
    lons = rng.uniform(-180, 180, 500)
    cells = cells_for(lats, lons, 6)
    assert cells.dtype == np.int64
    assert cells.tolist() == [cell_int(a, b, 6) for a, b in zip(lats.tolist(), lons.tolist(), strict=True)]
    assert (cells > 0).all()
    with pytest.raises(ValueError, match="differ in length"):
        cells_for(np.zeros(3), np.zeros(2), 6)


def test_cell_columns_for_a_record() -> None:
    assert cell_columns(3.139, 101.6869) == {
        "h3_r6": cell_int(3.139, 101.6869, 6),
        "h3_r4": cell_int(3.139, 101.6869, 4),
    }
    assert cell_columns(None, 101.0) == {"h3_r6": None, "h3_r4": None}


def test_masks_select_rows_by_cell_and_by_box() -> None:
    lats = np.array([3.139, 1.29, -33.87])
    lons = np.array([101.6869, 103.85, 151.21])
    column = cells_for(lats, lons, 6)
    kl = covering({"type": "Circle", "coordinates": [101.6869, 3.139], "radius_km": 20})
    assert cells_mask(column, kl.cells).tolist() == [True, False, False]
    assert points_in_bbox((100, 0, 105, 5), lats, lons).tolist() == [True, True, False]


# --- distances and shapes --------------------------------------------------------------------------------


def test_vectorised_haversine_equals_scalar() -> None:
    rng = np.random.default_rng(3)
    a = rng.uniform(-80, 80, (2, 200))
    b = rng.uniform(-180, 180, (2, 200))
    vector = haversine_km_np(a[0], b[0], a[1], b[1])
    scalar = [haversine_km(*row) for row in zip(a[0], b[0], a[1], b[1], strict=True)]
    assert vector == pytest.approx(scalar, rel=1e-12, abs=1e-9)


def test_circle_to_polygon_vertices_are_on_the_circle() -> None:
    polygon = circle_to_polygon(1.29, 103.85, 50, n=32)
    validate_geometry(polygon)
    ring = polygon["coordinates"][0]
    assert len(ring) == 33
    assert ring[0] == ring[-1]
    for lon, lat in ring:
        assert haversine_km(1.29, 103.85, lat, lon) == pytest.approx(50, abs=1e-6)
    with pytest.raises(ValueError):
        circle_to_polygon(0, 0, 10, n=2)


def test_destination_wraps_the_antimeridian() -> None:
    lat, lon = destination(0.0, 179.9, 90.0, 50.0)
    assert -180 <= lon < -179.0
    assert haversine_km(0.0, 179.9, lat, lon) == pytest.approx(50, abs=1e-6)


def test_bbox_of_polygon_and_circle() -> None:
    square = {"type": "Polygon", "coordinates": [[[100, 0], [102, 0], [102, 2], [100, 2], [100, 0]]]}
    assert bbox(square) == (100, 0, 102, 2)
    circle = {"type": "Circle", "coordinates": [103.85, 1.29], "radius_km": 50}
    min_lon, min_lat, max_lon, max_lat = bbox(circle)
    for lon, lat in circle_to_polygon(1.29, 103.85, 50, n=360)["coordinates"][0]:
        assert min_lon - 1e-9 <= lon <= max_lon + 1e-9
        assert min_lat - 1e-9 <= lat <= max_lat + 1e-9
    assert max_lat - min_lat == pytest.approx(2 * 50 / 111.195, rel=1e-4)


def test_bbox_never_wraps() -> None:
    across = bbox({"type": "Circle", "coordinates": [179.9, 0], "radius_km": 100})
    assert across[0] == -180 and across[2] == 180
    polar = bbox({"type": "Circle", "coordinates": [0, 89.5], "radius_km": 100})
    assert polar[0] == -180 and polar[2] == 180 and polar[3] == 90


# --- coverings -------------------------------------------------------------------------------------------


def test_covering_picks_resolution_by_size() -> None:
    small = covering({"type": "Circle", "coordinates": [101.69, 3.14], "radius_km": 50})
    assert small.resolution == 6 and small.column == "h3_r6"
    assert 150 < len(small.cells) <= 1500
    assert {h3.get_resolution(h3.int_to_str(c)) for c in small.cells} == {6}
    medium = covering({"type": "Circle", "coordinates": [101.69, 3.14], "radius_km": 500})
    assert medium.resolution == 4 and medium.column == "h3_r4"
    assert {h3.get_resolution(h3.int_to_str(c)) for c in medium.cells} == {4}
    huge = covering({"type": "Circle", "coordinates": [101.69, 3.14], "radius_km": 3000})
    assert huge == Covering(None, frozenset())
    assert huge.column is None


def test_max_cells_is_respected() -> None:
    area = {"type": "Circle", "coordinates": [101.69, 3.14], "radius_km": 50}
    assert covering(area, max_cells=100).resolution == 4
    assert len(covering(area, max_cells=100).cells) <= 100
    assert covering(area, max_cells=1).resolution is None


def test_plain_polygon_to_cells_misses_points_that_the_covering_keeps() -> None:
    """The boundary cells are needed: H3 alone keeps only cells whose centre is inside."""
    polygon = circle_to_polygon(-6.2, 106.8, 12, n=7)
    ring = polygon["coordinates"][0]
    centre_only = {
        h3.str_to_int(c)
        for c in h3.polygon_to_cells(h3.LatLngPoly([(lat, lon) for lon, lat in ring[:-1]]), 6)
    }
    rng = np.random.default_rng(0)
    lats = rng.uniform(-6.35, -6.05, 20000)
    lons = rng.uniform(106.65, 106.95, 20000)
    inside = contains_many(polygon, lats, lons)
    cells = cells_for(lats[inside], lons[inside], 6)
    assert not np.isin(cells, list(centre_only)).all()  # H3 alone loses some inside points
    assert np.isin(cells, list(covering(polygon).cells)).all()


def _points_inside_circle(lat: float, lon: float, radius_km: float, rng: np.random.Generator, n: int) -> Any:
    bearings = rng.uniform(0, 360, n)
    # mostly uniform over the disc, plus points right at the rim
    distances = radius_km * np.concatenate(
        [np.sqrt(rng.uniform(0, 1, n - n // 4)), np.full(n // 4, 0.999999)]
    )
    return [destination(lat, lon, b, d) for b, d in zip(bearings.tolist(), distances.tolist(), strict=True)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lat=st.floats(-84, 84),
    lon=st.floats(-180, 180),
    radius_km=st.floats(0.2, 900),
    seed=st.integers(0, 2**32 - 1),
)
def test_circle_covering_is_complete(lat: float, lon: float, radius_km: float, seed: int) -> None:
    area = {"type": "Circle", "coordinates": [lon, lat], "radius_km": radius_km}
    cover = covering(area)
    if cover.resolution is None:
        return
    rng = np.random.default_rng(seed)
    points = [(a, b) for a, b in _points_inside_circle(lat, lon, radius_km, rng, 400) if contains(area, a, b)]
    assert points
    missing = [(a, b) for a, b in points if cell_int(a, b, cover.resolution) not in cover.cells]
    assert missing == []


def _star(cx: float, cy: float, radii: list[float], rotation: float) -> list[list[float]]:
    n = len(radii)
    ring = [
        [cx + r * math.cos(rotation + 2 * math.pi * i / n), cy + r * math.sin(rotation + 2 * math.pi * i / n)]
        for i, r in enumerate(radii)
    ]
    return [*ring, ring[0]]


def _points_inside_polygon(area: dict[str, Any], rng: np.random.Generator) -> tuple[Any, Any]:
    min_lon, min_lat, max_lon, max_lat = bbox(area)
    lats = rng.uniform(min_lat, max_lat, 3000)
    lons = rng.uniform(min_lon, max_lon, 3000)
    # and points right next to the vertices and along the edges, where coverings fail first
    edge_lats, edge_lons = [], []
    for rings in [area["coordinates"]] if area["type"] == "Polygon" else area["coordinates"]:
        for ring in rings:
            for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                t = rng.uniform(0, 1, 40)
                jitter = rng.normal(0, 1e-4, (2, 40))
                edge_lons.extend((x1 + (x2 - x1) * t + jitter[0]).tolist())
                edge_lats.extend((y1 + (y2 - y1) * t + jitter[1]).tolist())
    lats = np.clip(np.concatenate([lats, edge_lats]), -90, 90)
    lons = np.clip(np.concatenate([lons, edge_lons]), -180, 180)
    inside = contains_many(area, lats, lons)
    return lats[inside], lons[inside]


stars = st.builds(
    _star,
    cx=st.floats(-170, 170),
    cy=st.floats(-70, 70),
    radii=st.lists(st.floats(0.01, 3.0), min_size=3, max_size=16),
    rotation=st.floats(0, 2 * math.pi),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ring=stars, seed=st.integers(0, 2**32 - 1))
def test_polygon_covering_is_complete(ring: list[list[float]], seed: int) -> None:
    area = {"type": "Polygon", "coordinates": [ring]}
    cover = covering(area)
    if cover.resolution is None:
        return
    lats, lons = _points_inside_polygon(area, np.random.default_rng(seed))
    cells = cells_for(lats, lons, cover.resolution)
    assert np.isin(cells, cover.as_array()).all()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cx=st.floats(-150, 150),
    cy=st.floats(-60, 60),
    size=st.floats(0.05, 1.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_multipolygon_with_hole_covering_is_complete(cx: float, cy: float, size: float, seed: int) -> None:
    area = {
        "type": "MultiPolygon",
        "coordinates": [
            [_star(cx, cy, [size] * 7, 0.2), _star(cx, cy, [size / 3] * 5, 0.0)],
            [_star(cx + 3 * size, cy + size, [size / 2] * 4, 0.5)],
        ],
    }
    validate_geometry(area)
    cover = covering(area)
    assert cover.resolution in (4, 6)
    lats, lons = _points_inside_polygon(area, np.random.default_rng(seed))
    assert np.isin(cells_for(lats, lons, cover.resolution), cover.as_array()).all()


def test_covering_rejects_invalid_geometry() -> None:
    with pytest.raises(ValueError, match="not closed"):
        covering({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]})
