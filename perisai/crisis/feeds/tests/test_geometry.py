import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perisai.crisis.feeds import FeedError, geometry_bbox, geometry_contains
from perisai.crisis.feeds.geometry import (
    circle_geometry,
    circle_rings,
    close_ring,
    geojson_polygons,
    haversine_km,
    split_antimeridian,
)

SQUARE_WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [4, 6], [6, 6], [6, 4], [4, 4]],
    ],
}


@pytest.mark.parametrize(
    ("lat", "lon", "inside"),
    [
        (1, 1, True),
        (5, 5, False),  # in the hole
        (5, 3, True),
        (11, 5, False),
        (5, -0.001, False),
        (0, 5, True),  # on the outer boundary
        (4, 5, True),  # on the hole's boundary: still the polygon's
        (10, 10, True),  # a corner
    ],
)
def test_polygon_with_hole(lat: float, lon: float, inside: bool) -> None:
    assert geometry_contains(SQUARE_WITH_HOLE, lat, lon) is inside


def test_multipolygon_and_concave_polygon() -> None:
    concave = [[0, 0], [10, 0], [10, 10], [5, 2], [0, 10], [0, 0]]  # a "V" notch from the top
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [[concave], [[[20, 20], [21, 20], [21, 21], [20, 20]]]],
    }
    assert geometry_contains(geometry, 1, 5)
    assert not geometry_contains(geometry, 8, 5)  # inside the notch
    assert geometry_contains(geometry, 8, 1)
    assert geometry_contains(geometry, 20.2, 20.5)
    assert not geometry_contains(geometry, 20.8, 20.2)
    assert geometry_bbox(geometry) == (0, 0, 21, 21)


def test_point_with_radius_is_a_circle() -> None:
    jakarta = {"type": "Point", "coordinates": [106.8456, -6.2088], "radius_km": 30}
    bogor = (-6.5971, 106.8060)  # ~43 km south
    bekasi = (-6.2383, 106.9756)  # ~15 km east
    assert geometry_contains(jakarta, *bekasi)
    assert not geometry_contains(jakarta, *bogor)
    assert geometry_contains(jakarta, *bogor, radius_km=50)
    assert not geometry_contains({"type": "Point", "coordinates": [106.8456, -6.2088]}, *bekasi)
    _, min_lat, max_lon, _ = geometry_bbox(jakarta)
    assert min_lat == pytest.approx(-6.2088 - 30 / 111.195, abs=1e-3)
    assert max_lon == pytest.approx(106.8456 + 30 / (111.195 * math.cos(math.radians(6.2088))), abs=1e-3)


def test_circle_polygon_vertices_lie_on_the_circle() -> None:
    (ring,) = circle_rings(-35.3888, 147.0598, 25.0)
    assert len(ring) == 65 and ring[0] == ring[-1]
    for lon, lat in ring:
        assert haversine_km(-35.3888, 147.0598, lat, lon) == pytest.approx(25.0, rel=1e-4)
    area = sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(64))
    assert area > 0  # anticlockwise, as RFC 7946 wants exterior rings


def test_circle_across_the_antimeridian_and_around_a_pole() -> None:
    across = circle_geometry(-17.0, 179.8, 100)
    assert across["type"] == "MultiPolygon"
    assert geometry_contains(across, -17.0, -179.5)  # 74 km away, on the other side of 180
    assert not geometry_contains(across, -17.0, -178.8)  # 149 km away
    polar = circle_geometry(89.0, 0.0, 300)
    assert polar["type"] == "Polygon"
    assert geometry_contains(polar, 89.5, 170.0)
    assert circle_geometry(1.0, 2.0, 0) == {"type": "Point", "coordinates": [2.0, 1.0]}


def test_antimeridian_polygon_is_split_in_two() -> None:
    rings = split_antimeridian([(178.0, -15.0), (-178.0, -15.0), (-178.0, -19.0), (178.0, -19.0)])
    assert len(rings) == 2
    assert sorted((min(p[0] for p in r), max(p[0] for p in r)) for r in rings) == [
        (-180.0, -178.0),
        (178.0, 180.0),
    ]


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([(0.0, 0.0), (1.0, 1.0)], "fewer than 4 points"),
        ([(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)], "ring has no area"),
    ],
)
def test_bad_rings(points: list[tuple[float, float]], message: str) -> None:
    with pytest.raises(FeedError, match=message):
        close_ring(points)


def test_geojson_validation() -> None:
    assert geojson_polygons({"type": "Point", "coordinates": [1, 2]}) == []
    with pytest.raises(FeedError, match=r"latitude 95\.0 out of range"):
        geojson_polygons({"type": "Polygon", "coordinates": [[[0, 0], [1, 95], [2, 0], [0, 0]]]})
    with pytest.raises(FeedError, match="coordinates must be numbers"):
        geojson_polygons({"type": "Polygon", "coordinates": [[[0, 0], [1, "1"], [2, 0], [0, 0]]]})
    with pytest.raises(FeedError, match="unknown geometry type 'Blob'"):
        geojson_polygons({"type": "Blob"})


def test_query_errors() -> None:
    with pytest.raises(FeedError, match="unsupported geometry type"):
        geometry_contains({"type": "LineString", "coordinates": []}, 0, 0)
    with pytest.raises(FeedError, match="invalid geometry"):
        geometry_contains({"type": "Polygon", "coordinates": 5}, 0, 0)
    with pytest.raises(FeedError, match="latitude 91 out of range"):
        geometry_contains(SQUARE_WITH_HOLE, 91, 0)


@settings(max_examples=150, deadline=None)
@given(
    lat=st.floats(-80, 80),
    lon=st.floats(-179.9, 179.9),
    radius=st.floats(1, 2000),
    bearing=st.floats(0, 2 * math.pi),
    fraction=st.floats(0.0, 0.9) | st.floats(1.1, 3.0),
)
def test_circle_polygon_agrees_with_distance(
    lat: float, lon: float, radius: float, bearing: float, fraction: float
) -> None:
    """A point well inside the radius is in the circle's polygon, one well outside is not."""
    delta = radius * fraction / 6371.0088
    p1 = math.radians(lat)
    p2 = math.asin(math.sin(p1) * math.cos(delta) + math.cos(p1) * math.sin(delta) * math.cos(bearing))
    l2 = math.radians(lon) + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(p1), math.cos(delta) - math.sin(p1) * math.sin(p2)
    )
    plat, plon = math.degrees(p2), (math.degrees(l2) + 180) % 360 - 180
    area = circle_geometry(lat, lon, radius)
    inside = geometry_contains(area, plat, plon)
    if abs(plat) > 85 or abs(lat) + math.degrees(radius / 6371.0088) > 89:
        return  # near a pole the circle becomes a whole band: only "inside" is promised
    assert inside is (fraction < 1), (plat, plon)
    min_lon, min_lat, max_lon, max_lat = geometry_bbox(area)
    if inside:
        assert min_lat <= plat <= max_lat and min_lon <= plon <= max_lon
