"""perisai.places.geometry: validation, point-in-area, and the vectorised test against scalar ones."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perisai.places.geometry import (
    contains,
    contains_many,
    haversine_km,
    haversine_km_np,
    validate_geometry,
)

SQUARE = {"type": "Polygon", "coordinates": [[[100, 0], [102, 0], [102, 2], [100, 2], [100, 0]]]}
SQUARE_WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[100, 0], [102, 0], [102, 2], [100, 2], [100, 0]],
        [[100.5, 0.5], [101.5, 0.5], [101.5, 1.5], [100.5, 1.5], [100.5, 0.5]],
    ],
}
TWO_SQUARES = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[100, 0], [101, 0], [101, 1], [100, 1], [100, 0]]],
        [[[110, 10], [111, 10], [111, 11], [110, 11], [110, 10]]],
    ],
}
KL_50KM = {"type": "Circle", "coordinates": [101.6869, 3.1390], "radius_km": 50}


# --- validation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "geometry",
    [
        SQUARE,
        SQUARE_WITH_HOLE,
        TWO_SQUARES,
        KL_50KM,
        {"type": "Point", "coordinates": [101.7, 3.1], "radius_km": 5},
        {"type": "Polygon", "coordinates": [[[0, 0, 10], [1, 0, 10], [1, 1, 10], [0, 0, 10]]]},
    ],
)
def test_valid_geometries_pass(geometry: dict[str, Any]) -> None:
    validate_geometry(geometry)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "has 3 positions"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}, "is not closed"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [181, 0], [1, 1], [0, 0]]]},
            "longitude 181.0 is out of range",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 91], [1, 1], [0, 0]]]},
            "latitude 91.0 is out of range",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, "a"], [1, 1], [0, 0]]]},
            "must be [lon, lat] numbers",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, True], [1, 1], [0, 0]]]},
            "must be [lon, lat] numbers",
        ),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, math.nan], [1, 1], [0, 0]]]}, "numbers"),
        ({"type": "Polygon", "coordinates": []}, "non-empty list of linear rings"),
        ({"type": "MultiPolygon", "coordinates": []}, "non-empty list of polygons"),
        (
            {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1]]]]},
            "MultiPolygon polygon 0 ring 0 (outer) has 3 positions",
        ),
        (
            {"type": "Polygon", "coordinates": [SQUARE["coordinates"][0], [[0, 0], [1, 0], [0, 0]]]},
            "ring 1 (hole) has 3 positions",
        ),
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "unknown geometry type 'LineString'"),
        ({"coordinates": [[0, 0]]}, "unknown geometry type None"),
        ({"type": "Circle", "coordinates": [0, 0], "radius_km": -1}, "radius_km must be a number"),
        ({"type": "Circle", "coordinates": [0, 0], "radius_km": 0}, "radius_km must be a number"),
        ({"type": "Circle", "coordinates": [0, 0]}, "radius_km must be a number"),
        ({"type": "Circle", "coordinates": [0, 95], "radius_km": 3}, "latitude 95.0 is out of range"),
        ({"type": "Point", "coordinates": [0, 0]}, "only with a radius_km"),
        ([1, 2], "must be a JSON object"),
    ],
)
def test_invalid_geometries_are_rejected_with_a_clear_message(geometry: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        validate_geometry(geometry)


# --- containment -----------------------------------------------------------------------------------------


def test_polygon_contains_inside_not_outside() -> None:
    assert contains(SQUARE, 1.0, 101.0)
    assert not contains(SQUARE, 3.0, 101.0)
    assert not contains(SQUARE, 1.0, 99.9)


def test_holes_are_respected() -> None:
    assert contains(SQUARE_WITH_HOLE, 0.2, 100.2)
    assert not contains(SQUARE_WITH_HOLE, 1.0, 101.0)  # in the hole
    mask = contains_many(SQUARE_WITH_HOLE, np.array([0.2, 1.0, 5.0]), np.array([100.2, 101.0, 101.0]))
    assert mask.tolist() == [True, False, False]


def test_multipolygon_is_the_union() -> None:
    assert contains(TWO_SQUARES, 0.5, 100.5)
    assert contains(TWO_SQUARES, 10.5, 110.5)
    assert not contains(TWO_SQUARES, 5.0, 105.0)


def test_circle_is_great_circle_distance() -> None:
    # 1 degree of latitude is 111.195 km on the mean sphere
    north_49 = 3.1390 + 49 / 111.195
    north_51 = 3.1390 + 51 / 111.195
    assert contains(KL_50KM, north_49, 101.6869)
    assert not contains(KL_50KM, north_51, 101.6869)
    point_form = {"type": "Point", "coordinates": [101.6869, 3.1390], "radius_km": 50}
    assert contains(point_form, north_49, 101.6869)
    assert contains_many(KL_50KM, [north_49, north_51], [101.6869, 101.6869]).tolist() == [True, False]


def test_contains_many_keeps_the_input_shape_and_checks_lengths() -> None:
    lats = np.array([[1.0, 3.0], [0.5, 1.5]])
    lons = np.array([[101.0, 101.0], [100.5, 103.0]])
    assert contains_many(SQUARE, lats, lons).tolist() == [[True, False], [True, False]]
    with pytest.raises(ValueError, match="differ in shape"):
        contains_many(SQUARE, np.zeros(3), np.zeros(2))


def test_haversine_known_distances() -> None:
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.001)
    assert haversine_km(0, 0, 0, 90) == pytest.approx(10007.55, abs=0.01)
    assert haversine_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=0.5)  # London-Paris
    lats = np.array([0.0, 51.5074])
    lons = np.array([1.0, -0.1278])
    assert haversine_km_np(0.0, 0.0, lats, lons)[0] == pytest.approx(111.195, abs=0.001)


# --- vectorised vs scalar vs an independent brute force ------------------------------------------------


def _winding_number_inside(ring: list[list[float]], lat: float, lon: float) -> bool:
    """Independent brute force (winding number); equals even-odd for simple rings off the boundary."""
    wn = 0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        cross = (x2 - x1) * (lat - y1) - (lon - x1) * (y2 - y1)
        if y1 <= lat < y2 and cross > 0:
            wn += 1
        elif y2 <= lat < y1 and cross < 0:
            wn -= 1
    return wn != 0


def _star(cx: float, cy: float, radii: list[float], rotation: float) -> list[list[float]]:
    n = len(radii)
    ring = [
        [cx + r * math.cos(rotation + 2 * math.pi * i / n), cy + r * math.sin(rotation + 2 * math.pi * i / n)]
        for i, r in enumerate(radii)
    ]
    return [*ring, ring[0]]


stars = st.builds(
    _star,
    cx=st.floats(-170, 170),
    cy=st.floats(-70, 70),
    radii=st.lists(st.floats(0.05, 5.0), min_size=3, max_size=24),
    rotation=st.floats(0, 2 * math.pi),
)


@settings(max_examples=150, deadline=None)
@given(ring=stars, seed=st.integers(0, 2**32 - 1))
def test_contains_many_equals_scalar_and_brute_force(ring: list[list[float]], seed: int) -> None:
    polygon = {"type": "Polygon", "coordinates": [ring]}
    validate_geometry(polygon)
    rng = np.random.default_rng(seed)
    xs = np.array([p[0] for p in ring])
    ys = np.array([p[1] for p in ring])
    lons = rng.uniform(xs.min() - 1, xs.max() + 1, 400)
    lats = rng.uniform(ys.min() - 1, ys.max() + 1, 400)
    vector = contains_many(polygon, lats, lons)
    scalar = [contains(polygon, la, lo) for la, lo in zip(lats.tolist(), lons.tolist(), strict=True)]
    brute = [
        _winding_number_inside(ring, la, lo) for la, lo in zip(lats.tolist(), lons.tolist(), strict=True)
    ]
    assert vector.tolist() == scalar
    assert scalar == brute


@settings(max_examples=60, deadline=None)
@given(
    outer=st.floats(1.0, 4.0),
    inner=st.floats(0.1, 0.9),
    second=st.floats(0.2, 2.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_multipolygon_with_holes_vector_equals_scalar(
    outer: float, inner: float, second: float, seed: int
) -> None:
    hole = _star(10, 10, [outer * inner] * 6, 0.1)
    area = {
        "type": "MultiPolygon",
        "coordinates": [
            [_star(10, 10, [outer] * 8, 0.3), hole],
            [_star(10 + outer + second + 0.5, 10, [second] * 5, 0.0)],
        ],
    }
    validate_geometry(area)
    rng = np.random.default_rng(seed)
    lons = rng.uniform(5, 22, 600)
    lats = rng.uniform(5, 15, 600)
    vector = contains_many(area, lats, lons).tolist()
    assert vector == [contains(area, la, lo) for la, lo in zip(lats.tolist(), lons.tolist(), strict=True)]
    # the hole really removes points: none inside the inner ring is reported
    for la, lo, v in zip(lats.tolist(), lons.tolist(), vector, strict=True):
        if _winding_number_inside(hole, la, lo):
            assert not v


@settings(max_examples=60, deadline=None)
@given(
    lat=st.floats(-85, 85),
    lon=st.floats(-180, 180),
    radius=st.floats(0.5, 2000),
    seed=st.integers(0, 2**32 - 1),
)
def test_circle_vector_equals_scalar(lat: float, lon: float, radius: float, seed: int) -> None:
    circle = {"type": "Circle", "coordinates": [lon, lat], "radius_km": radius}
    rng = np.random.default_rng(seed)
    span = radius / 111.0 * 1.5
    lats = np.clip(rng.uniform(lat - span, lat + span, 300), -90, 90)
    lons = rng.uniform(-180, 180, 300) if abs(lat) + span > 60 else (rng.uniform(-span, span, 300) + lon)
    vector = contains_many(circle, lats, lons).tolist()
    assert vector == [contains(circle, la, lo) for la, lo in zip(lats.tolist(), lons.tolist(), strict=True)]
    for inside, la, lo in zip(vector, lats.tolist(), lons.tolist(), strict=True):
        d = haversine_km(lat, lon, la, lo)
        if abs(d - radius) > 1e-6:  # math and numpy may differ in the last bit right on the rim
            assert inside == (d <= radius)
