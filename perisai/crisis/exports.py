"""Exports of a crisis's affected population: the people (CSV, XLSX, HXL) for the officers who call them,
and the counts (CSV, XLSX, HXL) to share with partners, with cells under 5 suppressed.

Identity documents and immigration status are never exported. Cells that a spreadsheet would read as a
formula are neutralised. HXL: the second row holds HXL 1.1 core hashtags; columns without a fitting core
hashtag are left untagged (HXL tools ignore them) rather than tagged with invented ones.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from perisai.core import audit
from perisai.core.models import User
from perisai.core.stats import MIN_CELL
from perisai.registry.models import Person, Vulnerability

from .models import CheckInStatus, RosterEntry
from .selectors import Population, city_names, vulnerability_labels

FORMATS = ("csv", "xlsx", "hxl")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


Row = dict[str, Any]
PEOPLE_COLUMNS: list[tuple[str, str, Callable[[Row], Any]]] = [
    ("public_id", "#meta+id", lambda r: str(r["person"].public_id)),
    ("full_name", "#contact+name", lambda r: r["person"].full_name),
    ("phone", "#contact+phone", lambda r: r["person"].phone),
    ("whatsapp", "", lambda r: r["person"].whatsapp),
    ("email", "#contact+email", lambda r: r["person"].email),
    ("city", "#loc+name", lambda r: r["person"].city_name),
    ("latitude", "#geo+lat", lambda r: r["person"].lat if r["person"].lat is not None else ""),
    ("longitude", "#geo+lon", lambda r: r["person"].lon if r["person"].lon is not None else ""),
    ("area", "#adm1+name", lambda r: r["area"]),
    ("near_only", "", lambda r: "yes" if r["near"] else ""),
    ("status", "#status", lambda r: r["status"]),
    ("sector", "#sector", lambda r: r["person"].sector),
    ("vulnerabilities", "", lambda r: "; ".join(vulnerability_labels(r["person"].vulnerabilities))),
    ("household", "", lambda r: str(r["person"].household.public_id) if r["person"].household else ""),
    ("mission", "#org+name", lambda r: r["person"].mission.name if r["person"].mission else ""),
]


def _people_rows(*, user: User, population: Population) -> Iterator[Row]:
    from perisai.registry.selectors import list_people_visible_to

    ids = population.person_ids
    near_ids = set(population.columns.ids[population.positions[population.near]].tolist())
    area_of = dict(zip(ids, population.area_keys.tolist(), strict=True))
    names = {a.pk: a.name for a in population.areas}
    visible = list_people_visible_to(user=user)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        status = dict(
            RosterEntry.objects.filter(crisis=population.crisis, person_id__in=chunk).values_list(
                "person_id", "status"
            )
        )
        people: dict[int, Person] = {
            p.pk: p for p in visible.filter(pk__in=chunk).select_related("mission", "household")
        }
        for pid in chunk:
            if pid in people:
                yield {
                    "person": people[pid],
                    "area": names.get(area_of.get(pid, -1), ""),
                    "near": pid in near_ids,
                    "status": status.get(pid, CheckInStatus.UNKNOWN),
                }


def export_people(*, user: User, population: Population, fmt: str) -> tuple[bytes, int]:
    """The people of a crisis area (viewer's scope) as CSV, XLSX or HXL. Audited (format and count)."""
    header = [c[0] for c in PEOPLE_COLUMNS]
    tags = [c[1] for c in PEOPLE_COLUMNS]
    rows = (
        [safe_cell(f(r)) for _h, _t, f in PEOPLE_COLUMNS]
        for r in _people_rows(user=user, population=population)
    )
    data, count = _write(fmt, header, tags, rows)
    audit.record(
        actor=user,
        action="crisis.export",
        target=population.crisis,
        sensitive=True,
        details={"what": "people", "format": fmt, "count": count},
    )
    return data, count


def count_rows(population: Population) -> list[tuple[str, str, int | None]]:
    """(dimension, value, count) rows; counts under 5 are None (shown as "<5")."""
    s = population.summary
    rows: list[tuple[str, str, int | None]] = [
        ("total", _("Everyone"), s.total),
        ("households", "", s.households),
    ]
    names = {a.pk: a.name for a in population.areas}
    rows += [("area", names.get(k, str(k)), n) for k, n in sorted(population.by_area.items())]
    cities = city_names([c for c, _n in s.by_city])
    rows += [("city", cities.get(c, _("Unknown")), n) for c, n in s.by_city]
    # Codes, not labels: the same in every language, and what partners' tools can join on.
    rows += [("sector", k or "none", n) for k, n in sorted(s.by_sector.items())]
    rows += [
        ("vulnerability", (Vulnerability(flag).name or "").lower(), n)
        for flag, n in s.by_vulnerability.items()
    ]
    return [(d, v, None if n is not None and 0 < n < MIN_CELL else n) for d, v, n in rows]


def export_counts(*, user: User, population: Population, fmt: str) -> tuple[bytes, int]:
    header = ["dimension", "value", "people"]
    tags = ["#meta+dimension", "#meta+value", "#affected"]
    rows = [[safe_cell(d), safe_cell(v), "<5" if n is None else n] for d, v, n in count_rows(population)]
    data, count = _write(fmt, header, tags, iter(rows))
    audit.record(
        actor=user,
        action="crisis.export",
        target=population.crisis,
        details={"what": "counts", "format": fmt, "rows": count},
    )
    return data, count


def _write(fmt: str, header: list[str], tags: list[str], rows: Iterator[list[Any]]) -> tuple[bytes, int]:
    count = 0
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("people")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
            count += 1
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue(), count
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    if fmt == "hxl":
        writer.writerow(tags)
    for row in rows:
        writer.writerow(row)
        count += 1
    bom = "\ufeff" if fmt == "csv" else ""  # Excel needs it to read UTF-8; HXL tools do not
    return (bom + text.getvalue()).encode("utf-8"), count
