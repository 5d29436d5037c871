"""ReliefWeb disasters API response: ``{"data": [{"id": ..., "fields": {...}}, ...]}``, for one
disaster (/disasters/ID) or a list (/disasters?...; request the fields with ``profile=full`` or
``fields[include][]=...``: an item without "fields" is refused).

ReliefWeb states no severity, so severity is "unknown"; the kind comes from the primary type's
GLIDE code (FL flood, TC cyclone, EQ earthquake, EP epidemic, CE complex emergency ->
armed_conflict, ...). ``sent`` is the event date (else the creation date), ``version`` the
"changed" date, ``phase`` the ReliefWeb status (alert / current / past). No area: ReliefWeb
gives only a country's centroid, kept in ``point``.
"""

from typing import Any

from ..base import (
    BaseParser,
    clean_id,
    clean_text,
    clean_title,
    dedupe,
    head_text,
    item_failed,
    json_list,
    json_number,
    json_obj,
    json_str,
    load_json,
    looks_like_json_object,
    parse_iso_datetime,
)
from ..classify import kind_from_code, kind_from_text
from ..countries import alpha2, country_from_name
from ..errors import FeedError
from ..events import FeedEvent, Kind, Severity
from ..geometry import check_lat, check_lon


def _opt_str(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    return clean_text(json_str(value, f"{where} {key!r}")) or None


def _country(entry: object, where: str) -> str | None:
    entry = json_obj(entry, where)
    iso3 = _opt_str(entry, "iso3", where)
    code = alpha2(iso3) if iso3 else None
    if code is None:
        name = _opt_str(entry, "name", where)
        code = country_from_name(name) if name else None
    return code


class ReliefWebParser(BaseParser):
    code = "reliefweb"
    name = "ReliefWeb disasters API"

    def sniff(self, data: bytes) -> bool:
        head = head_text(data)
        if not looks_like_json_object(head):
            return False
        return "reliefweb" in head or ('"data"' in head and '"primary_country"' in head)

    def _parse(self, data: bytes, errors: list[FeedError] | None) -> list[FeedEvent]:
        doc = json_obj(load_json(data), "ReliefWeb response")
        if "data" not in doc:
            raise FeedError("ReliefWeb response has no 'data' list")
        events: list[FeedEvent] = []
        for index, item in enumerate(json_list(doc["data"], "ReliefWeb 'data'")):
            try:
                events.append(self._parse_item(item, f"ReliefWeb item #{index + 1}"))
            except FeedError as exc:
                item_failed(exc, errors)
        return events

    def _parse_item(self, item: object, where: str) -> FeedEvent:
        item = json_obj(item, where)
        if "fields" not in item:
            raise FeedError(f"{where} has no 'fields' (ask the API for them, e.g. profile=full)")
        fields = json_obj(item["fields"], f"{where} 'fields'")
        raw_id = fields.get("id", item.get("id"))
        if isinstance(raw_id, bool) or not isinstance(raw_id, int | str):
            raise FeedError(f"{where} 'id' must be a number or a string")
        event_id = clean_id(str(raw_id), f"{where} 'id'")
        name = _opt_str(fields, "name", where)
        if not name:
            raise FeedError(f"{where} has no 'name'")
        dates = json_obj(fields.get("date") or {}, f"{where} 'date'")
        event_date = _opt_str(dates, "event", f"{where} date")
        created = _opt_str(dates, "created", f"{where} date")
        changed = _opt_str(dates, "changed", f"{where} date")
        first = event_date or created
        if not first:
            raise FeedError(f"{where} has no 'date.event' or 'date.created'")
        sent = parse_iso_datetime(first, f"{where} date")
        if changed:
            parse_iso_datetime(changed, f"{where} date.changed")
        primary_type = fields.get("primary_type")
        codes: list[str] = []
        type_names: list[str] = []
        for entry in ([primary_type] if primary_type is not None else []) + json_list(
            fields.get("type") or [], f"{where} 'type'"
        ):
            entry = json_obj(entry, f"{where} type")
            code = _opt_str(entry, "code", f"{where} type")
            type_name = _opt_str(entry, "name", f"{where} type")
            if code:
                codes.append(code)
            if type_name:
                type_names.append(type_name)
        kind = (
            next((k for k in map(kind_from_code, codes) if k), None)
            or kind_from_text(*type_names)
            or Kind.OTHER
        )
        countries: list[str] = []
        point: tuple[float, float] | None = None
        primary_country = fields.get("primary_country")
        if primary_country is not None:
            code = _country(primary_country, f"{where} primary_country")
            if code:
                countries.append(code)
            location = json_obj(primary_country, f"{where} primary_country").get("location")
            if isinstance(location, dict) and "lat" in location and "lon" in location:
                point = (
                    check_lat(json_number(location["lat"], f"{where} location lat")),
                    check_lon(json_number(location["lon"], f"{where} location lon")),
                )
        for entry in json_list(fields.get("country") or [], f"{where} 'country'"):
            code = _country(entry, f"{where} country")
            if code:
                countries.append(code)
        raw_description = fields.get("description")
        description = (
            clean_text(json_str(raw_description, f"{where} 'description'"), keep_newlines=True) or None
            if raw_description is not None
            else None
        )
        return FeedEvent(
            source=self.code,
            event_id=event_id,
            kind=kind,
            title=clean_title(name),
            severity=Severity.UNKNOWN,
            sent=sent,
            countries=dedupe(countries),
            area=None,
            version=changed,
            authority="ReliefWeb",
            authority_name="OCHA ReliefWeb",
            raw_kind=codes[0] if codes else (type_names[0] if type_names else None),
            url=_opt_str(fields, "url_alias", where) or _opt_str(fields, "url", where),
            point=point,
            description=description,
            onset=parse_iso_datetime(event_date, f"{where} date.event") if event_date else None,
            phase=_opt_str(fields, "status", where),
        )
