"""USGS earthquake GeoJSON summary feed (earthquake.usgs.gov/earthquakes/feed/v1.0/summary/...).

Severity: the PAGER alert when USGS gives one (red -> extreme, orange -> severe, yellow ->
moderate, green -> minor); without PAGER, from the magnitude (>= 7.5 extreme, >= 6.5 severe,
>= 5.5 moderate, below minor; no magnitude: unknown). ``sent`` is the origin time, ``version``
the "updated" time in epoch milliseconds; a "deleted" event comes out with msg_type "cancel".
Countries are read from the trailing part of the place string ("..., Japan"; ", CA" is the US
state California, as USGS writes it).
"""

from typing import Any

from ..base import (
    BaseParser,
    clean_id,
    clean_text,
    clean_title,
    datetime_from_epoch_ms,
    head_text,
    item_failed,
    json_list,
    json_number,
    json_obj,
    json_str,
    load_json,
    looks_like_json_object,
)
from ..classify import PAGER_LEVELS, severity_from_magnitude
from ..countries import countries_from_place
from ..errors import FeedError
from ..events import FeedEvent, Kind
from ..geometry import check_lat, check_lon


def _optional_str(props: dict[str, Any], key: str, where: str) -> str | None:
    value = props.get(key)
    if value is None:
        return None
    return clean_text(json_str(value, f"{where} property {key!r}")) or None


class UsgsParser(BaseParser):
    code = "usgs"
    name = "USGS earthquake GeoJSON"

    def sniff(self, data: bytes) -> bool:
        head = head_text(data)
        if not looks_like_json_object(head):
            return False
        return "earthquake.usgs.gov" in head or ('"mag"' in head and '"place"' in head)

    def _parse(self, data: bytes, errors: list[FeedError] | None) -> list[FeedEvent]:
        doc = json_obj(load_json(data), "USGS feed")
        kind = doc.get("type")
        if kind == "Feature":
            return [self._parse_feature(doc, "USGS feature")]
        if kind != "FeatureCollection":
            raise FeedError("USGS feed must be a GeoJSON FeatureCollection or Feature")
        events: list[FeedEvent] = []
        for index, feature in enumerate(json_list(doc.get("features"), "USGS feed 'features'")):
            try:
                events.append(self._parse_feature(feature, f"USGS feature #{index + 1}"))
            except FeedError as exc:
                item_failed(exc, errors)
        return events

    def _parse_feature(self, feature: object, where: str) -> FeedEvent:
        feature = json_obj(feature, where)
        event_id = clean_id(json_str(feature.get("id"), f"{where} 'id'"), f"{where} 'id'")
        props = json_obj(feature.get("properties"), f"{where} 'properties'")
        geometry = json_obj(feature.get("geometry"), f"{where} 'geometry'")
        if geometry.get("type") != "Point":
            raise FeedError(f"{where} geometry must be a Point")
        coords = json_list(geometry.get("coordinates"), f"{where} coordinates")
        if len(coords) < 2:
            raise FeedError(f"{where} coordinates must be [lon, lat, depth]")
        lon = check_lon(json_number(coords[0], f"{where} longitude"))
        lat = check_lat(json_number(coords[1], f"{where} latitude"))
        depth = (
            json_number(coords[2], f"{where} depth") if len(coords) > 2 and coords[2] is not None else None
        )
        if "time" not in props:
            raise FeedError(f"{where} is missing property 'time'")
        sent = datetime_from_epoch_ms(props["time"], f"{where} property 'time'")
        updated = props.get("updated")
        if updated is not None:
            datetime_from_epoch_ms(updated, f"{where} property 'updated'")  # validates the type
        mag_value = props.get("mag")
        magnitude = json_number(mag_value, f"{where} property 'mag'") if mag_value is not None else None
        place = _optional_str(props, "place", where)
        alert = (_optional_str(props, "alert", where) or "").lower()
        severity = PAGER_LEVELS.get(alert) or severity_from_magnitude(magnitude)
        raw_kind = _optional_str(props, "type", where) or "earthquake"
        title = _optional_str(props, "title", where)
        if not title:
            title = (
                f"M {magnitude} - {place}" if magnitude is not None else (place or f"Earthquake {event_id}")
            )
        status = (_optional_str(props, "status", where) or "").lower()
        tsunami = props.get("tsunami")
        if tsunami is not None and (isinstance(tsunami, bool) or not isinstance(tsunami, int)):
            raise FeedError(f"{where} property 'tsunami' must be 0 or 1")
        return FeedEvent(
            source=self.code,
            event_id=event_id,
            kind=Kind.EARTHQUAKE if raw_kind == "earthquake" else Kind.OTHER,
            title=clean_title(title),
            severity=severity,
            sent=sent,
            countries=countries_from_place(place or ""),
            area={"type": "Point", "coordinates": [lon, lat]},
            magnitude=magnitude,
            msg_type="cancel" if status == "deleted" else "alert",
            version=str(updated) if updated is not None else None,
            authority="USGS",
            authority_name=_optional_str(props, "net", where),
            raw_kind=raw_kind,
            url=_optional_str(props, "url", where),
            point=(lat, lon),
            depth_km=depth,
            area_desc=place,
        )
