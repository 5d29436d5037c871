import io
import json
import re
import zipfile

import pytest

from perisai.crisis.feeds import FeedError, geometry_contains, parse_area_upload

from .helpers import fixture

KML_WRAP = '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>{}</Placemark></kml>'


def polygon_kml(coordinates: str) -> bytes:
    ring = f"<LinearRing><coordinates>{coordinates}</coordinates></LinearRing>"
    body = f"<Polygon><outerBoundaryIs>{ring}</outerBoundaryIs></Polygon>"
    return KML_WRAP.format(body).encode()


def test_kml_multigeometry_with_hole() -> None:
    area = parse_area_upload(fixture("area_bekasi.kml"), "zone.kml")
    assert area["type"] == "MultiPolygon"
    first, second = area["coordinates"]
    assert len(first) == 2  # exterior and hole
    assert len(second) == 1
    assert geometry_contains(area, -6.28, 106.95)
    assert not geometry_contains(area, -6.20, 107.00)  # in the hole
    assert geometry_contains(area, -6.38, 107.25)
    assert not geometry_contains(area, -6.25, 107.15)  # between the two polygons


def test_kmz_is_unzipped() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("files/icon.png", b"\x89PNG")
        archive.writestr("doc.kml", fixture("area_bekasi.kml"))
    area = parse_area_upload(buffer.getvalue(), "Zone.KMZ")
    assert area == parse_area_upload(fixture("area_bekasi.kml"), "zone.kml")


def test_kmz_bomb_is_refused_by_its_declared_size() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", b" " * (11 * 1024 * 1024))  # compresses to a few KB
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(FeedError, match="KML inside the KMZ is larger than the 10 MB limit"):
        parse_area_upload(buffer.getvalue(), "zone.kmz")


def test_geojson_feature_collection() -> None:
    area = parse_area_upload(fixture("area_two.geojson"), "zones.geojson")
    assert area["type"] == "MultiPolygon" and len(area["coordinates"]) == 3  # the Point is ignored
    assert geometry_contains(area, 3.1, 101.7)
    assert geometry_contains(area, 6.3, 99.8)
    assert not geometry_contains(area, 4.0, 101.0)


def test_geojson_feature_and_bare_geometry_and_sniffing() -> None:
    polygon = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    feature = {"type": "Feature", "properties": {}, "geometry": polygon}
    bare = parse_area_upload(json.dumps(polygon).encode(), "area.json")
    assert bare["type"] == "Polygon"
    assert bare["coordinates"][0][1] == [1, 0]  # re-oriented anticlockwise
    assert parse_area_upload(json.dumps(feature).encode(), "upload") == bare  # no extension: sniffed
    assert parse_area_upload(polygon_kml("0,0 1,0 1,1 0,1 0,0"), "upload")["type"] == "Polygon"


def test_kml_across_the_antimeridian_is_split() -> None:
    area = parse_area_upload(polygon_kml("178,-15 -178,-15 -178,-19 178,-19 178,-15"), "fiji.kml")
    assert area["type"] == "MultiPolygon"
    assert geometry_contains(area, -17, 179.9) and geometry_contains(area, -17, -179.9)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (
            KML_WRAP.format("<Point><coordinates>1,2</coordinates></Point>").encode(),
            "a.kml",
            "KML contains no <Polygon>",
        ),
        (b"<html/>", "a.kml", "not a KML document"),
        (polygon_kml("0,0 1,0 0,0"), "a.kml", "invalid polygon: ring has fewer than 4 points"),
        (polygon_kml("0,0 1,0 1,123 0,0"), "a.kml", "latitude 123.0 out of range"),
        (polygon_kml("0,0 1;0 1,1 0,0"), "a.kml", "is not 'lon,lat[,alt]'"),
        (
            b'{"type": "Point", "coordinates": [1, 2]}',
            "a.geojson",
            "GeoJSON contains no Polygon or MultiPolygon",
        ),
        (
            b'{"type": "Polygon", "coordinates": [[[0,0],[0,1],[1,1],[0,0]]], '
            b'"crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}',
            "a.geojson",
            "WGS 84",
        ),
        (b'{"type": "FeatureCollection", "features": 3}', "a.geojson", "'features' must be a list"),
        (b"PK\x03\x04 not really a zip", "a.kmz", "invalid KMZ archive"),
        (b"just text", "notes.txt", "area upload must be a KML, KMZ or GeoJSON file"),
    ],
)
def test_bad_area_uploads(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(FeedError, match=re.escape(message)):
        parse_area_upload(data, filename)
