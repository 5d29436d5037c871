"""Export of the people an officer may see, as CSV, XLSX or HXL-tagged CSV.

Identity documents (NIK, passport) and immigration status are never exported: a list leaves the platform
and its audit trail, so it carries what is needed to reach and help people, nothing more. Each export is
audited ("person.export": format, filters and count; never names). Formulas are neutralised so a name
typed as "=HYPERLINK(...)" stays text in a spreadsheet.

HXL: the second row holds hashtags from the HXL 1.1 core schema (https://hxlstandard.org). Columns with
no fitting core hashtag are left untagged, which HXL tools ignore, rather than tagged with invented ones.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from perisai.core import audit
from perisai.core.models import User

from .models import VULNERABILITY_LABELS, Person, PersonStatus

Format = Literal["csv", "xlsx", "hxl"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "hxl")
CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _region(person: Person, level: int) -> Any:
    node = person.home_village
    for _step in range(4 - level):
        node = node.parent if node is not None else None
    return node


def _vulnerabilities(person: Person) -> str:
    return "; ".join(
        str(label) for flag, label in VULNERABILITY_LABELS.items() if person.vulnerabilities & flag
    )


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


# (header, HXL hashtag or "" when no core hashtag fits, value)
COLUMNS: list[tuple[str, str, Callable[[Person], Any]]] = [
    ("public_id", "#meta+id", lambda p: str(p.public_id)),
    ("full_name", "#contact+name", lambda p: p.full_name),
    ("sex", "", lambda p: p.sex),
    ("birth_date", "", lambda p: _date(p.birth_date)),
    ("phone", "#contact+phone", lambda p: p.phone),
    ("whatsapp", "#contact+phone", lambda p: p.whatsapp),
    ("email", "#contact+email", lambda p: p.email),
    ("country", "", lambda p: p.country_id),
    ("country_iso3", "#country+code", lambda p: p.country.iso3 if p.country_id else ""),
    ("country_name", "#country+name", lambda p: p.country.name if p.country_id else ""),
    ("city", "#loc+name", lambda p: p.city_name),
    ("address", "", lambda p: p.address),
    ("lat", "#geo+lat", lambda p: "" if p.lat is None else round(p.lat, 5)),
    ("lon", "#geo+lon", lambda p: "" if p.lon is None else round(p.lon, 5)),
    ("status", "#status+code", lambda p: p.status),
    ("mission_code", "#org+code", lambda p: p.mission.code if p.mission else ""),
    ("mission", "#org+name", lambda p: p.mission.name if p.mission else ""),
    ("purpose", "", lambda p: p.purpose),
    ("sector", "#sector+name", lambda p: p.sector),
    ("employer", "#group+name", lambda p: p.employer),
    ("agency", "", lambda p: p.agency),
    ("stay_since", "#date+start", lambda p: _date(p.stay_since)),
    ("stay_until", "#date+end", lambda p: _date(p.stay_until)),
    ("province_code", "#adm1+code+origin", lambda p: p.home_province),
    ("province", "#adm1+name+origin", lambda p: getattr(_region(p, 1), "name", "")),
    ("regency_code", "#adm2+code+origin", lambda p: p.home_regency),
    ("regency", "#adm2+name+origin", lambda p: getattr(_region(p, 2), "name", "")),
    ("village_code", "#adm4+code+origin", lambda p: p.home_village_id or ""),
    (
        "village",
        "#adm4+name+origin",
        lambda p: getattr(p.home_village, "name", "") if p.home_village_id else "",
    ),
    ("vulnerabilities", "#indicator+text", _vulnerabilities),
    ("household", "", lambda p: str(p.household.public_id) if p.household else ""),
    ("registered_at", "#date+reported", lambda p: p.created_at.date().isoformat()),
    ("updated_at", "", lambda p: p.updated_at.date().isoformat()),
]
HEADERS = [c[0] for c in COLUMNS]
HXL_TAGS = [c[1] for c in COLUMNS]

_FORMULA = re.compile(r"^[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^\+?[0-9 ]+$|^-?[0-9]+(\.[0-9]+)?$")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet will not run as a formula (phone numbers and plain numbers stay as they are)."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    if _FORMULA.match(value) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


@dataclass(frozen=True)
class ExportFilters:
    status: str = PersonStatus.ACTIVE  # a status, or "" for every status (merged and erased never)
    country: str = ""
    mission: str = ""  # mission code
    sector: str = ""

    def as_details(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


def list_people_for_export(*, user: User, filters: ExportFilters) -> QuerySet[Person]:
    from .selectors import list_people_visible_to

    return filter_people(list_people_visible_to(user=user), filters)


def filter_people(people: QuerySet[Person], filters: ExportFilters) -> QuerySet[Person]:
    people = people.exclude(status__in=[PersonStatus.MERGED, PersonStatus.ERASED])
    if filters.status:
        people = people.filter(status=filters.status)
    if filters.country:
        people = people.filter(country_id=filters.country.upper())
    if filters.mission:
        people = people.filter(mission__code=filters.mission)
    if filters.sector:
        people = people.filter(sector=filters.sector)
    return people.select_related(
        "country", "mission", "household", "home_village__parent__parent__parent"
    ).order_by("pk")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(people: QuerySet[Person]) -> Iterator[list[Any]]:
    for person in people.iterator(chunk_size=2000):
        yield [safe_cell(value(person)) for _header, _tag, value in COLUMNS]


def iter_csv(people: QuerySet[Person], *, hxl: bool = False) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADERS)  # the BOM makes Excel read UTF-8
    if hxl:
        yield writer.writerow(HXL_TAGS)
    for row in _rows(people):
        yield writer.writerow(row)


def write_xlsx(people: QuerySet[Person], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("People"))
    sheet.append(HEADERS)
    for row in _rows(people):
        sheet.append(row)
    workbook.save(path)


@dataclass
class ExportFile:
    filename: str
    content_type: str
    count: int
    chunks: Iterator[str] | None = None  # CSV and HXL are streamed
    path: Path | None = None  # XLSX is written to a temporary file


def do_export_people(*, user: User, filters: ExportFilters, fmt: str) -> ExportFile:
    """The people the user may see, filtered, in a format; audited before a byte leaves."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt}")
    people = list_people_for_export(user=user, filters=filters)
    count = people.count()
    audit.record(
        actor=user,
        action="person.export",
        object_type=Person._meta.label_lower,
        details={"format": fmt, "count": count, "filters": filters.as_details()},
    )
    stem = "perisai-people" + (f"-{filters.mission}" if filters.mission else "")
    if fmt == "xlsx":
        handle = tempfile.NamedTemporaryFile(prefix="perisai-export-", suffix=".xlsx", delete=False)  # noqa: SIM115
        handle.close()
        path = Path(handle.name)
        write_xlsx(people, path)
        return ExportFile(f"{stem}.xlsx", CONTENT_TYPES["xlsx"], count, path=path)
    suffix = ".hxl.csv" if fmt == "hxl" else ".csv"
    return ExportFile(stem + suffix, CONTENT_TYPES[fmt], count, chunks=iter_csv(people, hxl=fmt == "hxl"))


def http_response(export: ExportFile) -> HttpResponseBase:
    """The export as a download: CSV streamed as it is read, XLSX from its temporary file."""
    if export.path is not None:
        handle = export.path.open("rb")
        export.path.unlink()  # the open handle keeps the data until the response is sent
        return FileResponse(
            handle, as_attachment=True, filename=export.filename, content_type=export.content_type
        )
    response = StreamingHttpResponse(export.chunks or iter(()), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
