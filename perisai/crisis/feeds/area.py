"""Crisis areas uploaded by officers: KML, KMZ or GeoJSON -> one GeoJSON Polygon/MultiPolygon.

KML: every <Polygon> in the document (in Placemarks, Folders, MultiGeometry), outer boundary and
holes; KML coordinates are "lon,lat[,alt]". Rings crossing the antimeridian are split.
KMZ: the zipped KML (its doc.kml, else the first .kml), with the same size limit on the
uncompressed file. GeoJSON: a FeatureCollection, Feature or bare geometry; every Polygon and
MultiPolygon is kept, points and lines are ignored; RFC 7946 coordinates (WGS 84) only.
"""

import io
import re
import zipfile
from typing import Any

from .base import (
    DEFAULT_MAX_BYTES,
    check_payload,
    describe_size,
    head_text,
    json_list,
    json_obj,
    load_json,
    load_xml,
    local,
    parse_float,
)
from .errors import FeedError
from .geometry import (
    Ring,
    check_lat,
    check_lon,
    close_ring,
    geojson_polygons,
    polygons_to_geometry,
    split_antimeridian,
)

_WGS84_NAMES = frozenset(
    {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"}
)
MAX_POLYGONS = 10_000


def _kml_positions(text: str) -> list[tuple[float, float]]:
    text = re.sub(r"\s*,\s*", ",", text.strip())
    points = []
    for token in text.split():
        parts = token.split(",")
        if len(parts) not in {2, 3}:
            raise FeedError(f"invalid KML coordinates: {token[:40]!r} is not 'lon,lat[,alt]'")
        lon = check_lon(parse_float(parts[0], "invalid KML longitude"))
        lat = check_lat(parse_float(parts[1], "invalid KML latitude"))
        points.append((lon, lat))
    return points


def _ring_text(boundary: Any) -> str:
    for elem in boundary.iter():
        if local(elem.tag) == "coordinates":
            return str(elem.text or "")
    raise FeedError("invalid KML polygon: boundary without <coordinates>")


def parse_kml(data: bytes) -> dict[str, Any]:
    root = load_xml(data)
    if local(root.tag) != "kml":
        raise FeedError("not a KML document (root element is not <kml>)")
    polygons: list[list[Ring]] = []
    for elem in root.iter():
        if local(elem.tag) != "Polygon":
            continue
        outer = [b for b in elem if local(b.tag) == "outerBoundaryIs"]
        if len(outer) != 1:
            raise FeedError("invalid KML polygon: it needs exactly one <outerBoundaryIs>")
        holes = [_kml_positions(_ring_text(b)) for b in elem if local(b.tag) == "innerBoundaryIs"]
        exterior = _kml_positions(_ring_text(outer[0]))
        if holes:
            polygons.append([close_ring(exterior), *(close_ring(h, hole=True) for h in holes)])
        else:
            polygons.extend([ring] for ring in split_antimeridian(exterior))
        if len(polygons) > MAX_POLYGONS:
            raise FeedError(f"area has more than {MAX_POLYGONS} polygons")
    geometry = polygons_to_geometry(polygons)
    if geometry is None:
        raise FeedError("KML contains no <Polygon>")
    return geometry


def parse_kmz(data: bytes, max_bytes: int) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [i for i in archive.infolist() if i.filename.lower().endswith(".kml") and not i.is_dir()]
            if not names:
                raise FeedError("KMZ archive holds no .kml file")
            info = next((i for i in names if i.filename.lower() == "doc.kml"), names[0])
            if info.file_size > max_bytes:
                raise FeedError(f"KML inside the KMZ is larger than the {describe_size(max_bytes)} limit")
            with archive.open(info) as handle:
                kml = handle.read(max_bytes + 1)
    except FeedError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        raise FeedError(f"invalid KMZ archive: {exc}") from exc
    if len(kml) > max_bytes:
        raise FeedError(f"KML inside the KMZ is larger than the {describe_size(max_bytes)} limit")
    return parse_kml(kml)


def parse_geojson_area(data: bytes) -> dict[str, Any]:
    doc = json_obj(load_json(data), "GeoJSON")
    crs = doc.get("crs")
    if crs is not None:
        name = json_obj(json_obj(crs, "GeoJSON 'crs'").get("properties", {}), "GeoJSON 'crs'").get("name")
        if name not in _WGS84_NAMES:
            raise FeedError(
                "GeoJSON must use WGS 84 longitude/latitude (RFC 7946); other 'crs' are not supported"
            )
    kind = doc.get("type")
    if kind == "FeatureCollection":
        geometries = []
        for index, feature in enumerate(json_list(doc.get("features"), "GeoJSON 'features'")):
            feature = json_obj(feature, f"GeoJSON feature #{index + 1}")
            if feature.get("geometry") is not None:
                geometries.append(feature["geometry"])
    elif kind == "Feature":
        geometries = [doc.get("geometry")] if doc.get("geometry") is not None else []
    else:
        geometries = [doc]
    polygons = [p for geometry in geometries for p in geojson_polygons(geometry, "GeoJSON geometry")]
    if len(polygons) > MAX_POLYGONS:
        raise FeedError(f"area has more than {MAX_POLYGONS} polygons")
    geometry = polygons_to_geometry(polygons)
    if geometry is None:
        raise FeedError("GeoJSON contains no Polygon or MultiPolygon")
    return geometry


def parse_area_upload(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """An uploaded crisis area (KML, KMZ or GeoJSON, chosen by extension, else by content) as a
    GeoJSON Polygon or MultiPolygon. Raises FeedError on anything else."""
    check_payload(data, max_bytes, what="area file")
    name = filename.lower()
    if name.endswith(".kmz") or bytes(data[:4]) == b"PK\x03\x04":
        return parse_kmz(bytes(data), max_bytes)
    if name.endswith(".kml"):
        return parse_kml(data)
    if name.endswith((".geojson", ".json")):
        return parse_geojson_area(data)
    head = head_text(data)
    if head.startswith("<"):
        return parse_kml(data)
    if head.startswith("{"):
        return parse_geojson_area(data)
    raise FeedError("area upload must be a KML, KMZ or GeoJSON file")
