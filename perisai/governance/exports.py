"""Exports of published statistics: CSV, XLSX and HXL-tagged CSV, with a data dictionary.

Only published cells are exported: a hidden cell has no count in the database and is not listed at all, like
an empty one (a listed hidden cell would tell a reader it is not empty; see disclosure.py). Every export is
audited by the view. HXL: the second row carries hashtags from the HXL 1.1 core schema.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import StatCell, StatRelease
from .selectors import _label, place_labels
from .sources.base import MEAN, NOT_STATED, TableSpec


@dataclass(frozen=True)
class Column:
    name: str
    hxl: str
    description: object


def columns(spec: TableSpec) -> list[Column]:
    category = spec.category_hxl or "#indicator+type"
    label = category.replace("+code", "+name") if "+code" in category else category + "+label"
    cols = [
        Column("release_date", "#date+reported", gettext_lazy("Date the figures were published (UTC).")),
        Column("table", "#indicator+code", gettext_lazy("Code of the table (see the list of tables).")),
        Column(
            "place_level",
            "#meta+type",
            gettext_lazy("0 Indonesia, 1 province, 2 regency or city, 3 village."),
        ),
        Column(
            "adm1_code",
            "#adm1+code+origin",
            gettext_lazy("Province of origin, Kemendagri code; '?' not stated."),
        ),
        Column("adm1_name", "#adm1+name+origin", gettext_lazy("Province of origin, name.")),
        Column("adm2_code", "#adm2+code+origin", gettext_lazy("Regency or city of origin, Kemendagri code.")),
        Column("adm2_name", "#adm2+name+origin", gettext_lazy("Regency or city of origin, name.")),
        Column("adm4_code", "#adm4+code+origin", gettext_lazy("Village of origin, Kemendagri code.")),
        Column("adm4_name", "#adm4+name+origin", gettext_lazy("Village of origin, name.")),
    ]
    if spec.dimension is not None:
        cols += [
            Column(
                "category",
                category,
                gettext_lazy("Category of the breakdown; empty for the total of the place."),
            ),
            Column("category_label", label, gettext_lazy("Name of the category.")),
        ]
    cols.append(
        Column(
            "count",
            "#indicator+num",
            gettext_lazy("Number of units (people, cases, transfers): always 5 or more."),
        )
    )
    if spec.measure == MEAN:
        cols.append(
            Column("mean_percent", "#indicator+pct", gettext_lazy("Mean of the per-unit percentages."))
        )
    return cols


def _geo_parts(level: int, geo: str) -> list[str]:
    """adm1, adm2, adm4 codes for a place node."""
    if level == 0:
        return ["", "", ""]
    parts = geo.split(".")
    adm1 = parts[0]
    adm2 = ".".join(parts[:2]) if level >= 2 else ""
    adm4 = geo if level >= 3 else ""
    return [adm1, adm2, adm4]


def rows(release: StatRelease, spec: TableSpec) -> Iterator[list[object]]:
    cells = list(
        StatCell.objects.filter(release=release, table=spec.code, hidden=False)
        .order_by("level", "geo", "category")
        .values_list("level", "geo", "category", "n", "value")
    )
    codes: set[str] = set()
    for level, geo, *_rest in cells:
        codes.update(c for c in _geo_parts(level, geo) if c)
    names = place_labels(codes)
    names.update({c: _("Not stated") for c in codes if c.endswith(NOT_STATED)})
    date = release.created_at.date().isoformat()
    for level, geo, category, n, value in cells:
        adm1, adm2, adm4 = _geo_parts(level, geo)
        row: list[object] = [
            date,
            spec.code,
            level,
            adm1,
            names.get(adm1, "") if adm1 else "",
            adm2,
            names.get(adm2, "") if adm2 else "",
            adm4,
            names.get(adm4, "") if adm4 else "",
        ]
        if spec.dimension is not None:
            row += [category, _label(spec, category) if category else ""]
        row.append(n)
        if spec.measure == MEAN:
            row.append("" if not n or value is None else round(value / n, 2))
        yield row


def csv_bytes(release: StatRelease, spec: TableSpec, *, hxl: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    cols = columns(spec)
    writer.writerow([c.name for c in cols])
    if hxl:
        writer.writerow([c.hxl for c in cols])
    for row in rows(release, spec):
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(release: StatRelease, spec: TableSpec) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(spec.code[:31])
    cols = columns(spec)
    sheet.append([c.name for c in cols])
    for row in rows(release, spec):
        sheet.append(row)
    about = book.create_sheet(_("dictionary")[:31])
    about.append([_("column"), _("HXL"), _("meaning")])
    for c in cols:
        about.append([c.name, c.hxl, str(c.description)])
    about.append([])
    about.append([_("table"), spec.code, str(spec.title)])
    about.append([_("population"), "", str(spec.description)])
    about.append([_("published"), release.created_at.isoformat(), suppression_note()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def suppression_note() -> str:
    return _(
        "Only groups of 5 or more are published. Groups under 5 are not listed, and further groups are held "
        "back so that no group under 5 can be worked out from totals, from the parts of a place, or by "
        "comparing two tables. A category or place that is not listed has fewer than 5 people, none, or was "
        "held back; a figure marked as not published is so for the same reasons."
    )


def dictionary_csv(specs: list[TableSpec]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["table", "title", "source", "population", "breakdown", "deepest_level", "unit", "measure"]
    )
    for spec in specs:
        writer.writerow(
            [
                spec.code,
                str(spec.title),
                spec.source,
                str(spec.description),
                spec.dimension or "",
                spec.max_level,
                str(spec.unit),
                spec.measure,
            ]
        )
    writer.writerow([])
    writer.writerow(["column", "hxl", "meaning"])
    seen: set[str] = set()
    for spec in specs:
        for c in columns(spec):
            marker = f"{c.name}{c.hxl}"
            if marker not in seen:
                seen.add(marker)
                writer.writerow([c.name, c.hxl, str(c.description)])
    writer.writerow([])
    writer.writerow(["suppression", "", suppression_note()])
    return buffer.getvalue().encode("utf-8")
