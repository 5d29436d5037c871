"""Exports as CSV, XLSX or HXL-tagged CSV: dashboard tables (aggregates, small cells suppressed) and the case
list a user may see — by case code, never by name, contact or any sensitive section. Each export is audited
(format, count, filters; never values). Formulas are neutralised so that a cell stays text in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils import timezone

from perisai.core import audit
from perisai.core.models import User

from .models import ILO_LABELS, VULNERABILITY_LABELS, Case, flag_labels, services_from_mask
from .reports import ReportTable

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


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


# (header, HXL core hashtag or "" when none fits, value). No name, contact, note or sensitive section.
CASE_COLUMNS: list[tuple[str, str, Callable[[Case], Any]]] = [
    ("case_code", "#meta+code", lambda c: c.code),
    ("case_type", "#event+type", lambda c: c.case_type),
    ("source", "", lambda c: c.source),
    ("urgency", "#severity", lambda c: c.urgency),
    ("status", "#status+code", lambda c: c.status),
    ("risk_level", "", lambda c: c.risk_level),
    ("opened", "#date+opened", lambda c: _date(c.opened_at)),
    ("contact_due", "", lambda c: _date(c.contact_due_at)),
    ("first_contact", "", lambda c: _date(c.first_contact_at)),
    ("closed", "#date+closed", lambda c: _date(c.closed_at)),
    ("outcome", "", lambda c: c.closure_outcome),
    ("sex", "", lambda c: c.sex),
    ("birth_year", "", lambda c: c.birth_year or ""),
    ("home_province", "#adm1+code", lambda c: c.home_province),
    ("home_regency", "#adm2+code", lambda c: c.home_regency),
    ("mission", "#org+code", lambda c: c.mission.code if c.mission_id and c.mission else ""),
    (
        "organisation",
        "#org+name",
        lambda c: c.organisation.name if c.organisation_id and c.organisation else "",
    ),
    ("vulnerabilities", "", lambda c: "; ".join(flag_labels(c.vulnerabilities, VULNERABILITY_LABELS))),
    ("ilo_indicators", "", lambda c: "; ".join(flag_labels(c.ilo_indicators, ILO_LABELS))),
    ("needs", "", lambda c: "; ".join(services_from_mask(c.needs))),
]


def case_rows(cases: QuerySet[Case]) -> Iterator[list[Any]]:
    for case in cases.select_related("mission", "organisation").order_by("pk").iterator(chunk_size=2000):
        yield [safe_cell(column(case)) for _h, _t, column in CASE_COLUMNS]


def table_rows(table: ReportTable) -> Iterator[list[Any]]:
    for row in table.rows:
        yield [safe_cell("<5" if value is None else value) for value in row]


def _csv(header: list[str], tags: list[str] | None, rows: Iterable[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(header)
    if tags is not None:
        writer.writerow(tags)
    yield "\ufeff" + flush()
    for i, row in enumerate(rows):
        writer.writerow(row)
        if i % 500 == 499:
            yield flush()
    yield flush()


def _xlsx(header: list[str], rows: Iterable[list[Any]], title: str) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    handle = tempfile.NamedTemporaryFile(prefix="perisai-cases-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    workbook.save(handle.name)
    return Path(handle.name)


def respond(
    *, header: list[str], tags: list[str], rows: Iterable[list[Any]], fmt: str, name: str
) -> HttpResponse:
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        path = _xlsx(header, rows, name)
        handle = path.open("rb")
        path.unlink()  # the open handle keeps the data until the response is sent (POSIX)
        response: Any = FileResponse(
            handle, as_attachment=True, filename=f"{name}-{stamp}.xlsx", content_type=CONTENT_TYPES["xlsx"]
        )
        return response  # type: ignore[no-any-return]
    body = "".join(_csv(header, tags if fmt == "hxl" else None, rows))
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    suffix = "-hxl" if fmt == "hxl" else ""
    response["Content-Disposition"] = f'attachment; filename="{name}{suffix}-{stamp}.csv"'
    return response  # type: ignore[no-any-return]


def export_cases(*, user: User, cases: QuerySet[Case], fmt: str) -> HttpResponse:
    count = cases.count()
    audit.record(
        actor=user,
        action="case.export",
        object_type=Case._meta.label_lower,
        details={"format": fmt, "count": count},
    )
    return respond(
        header=[c[0] for c in CASE_COLUMNS],
        tags=[c[1] for c in CASE_COLUMNS],
        rows=case_rows(cases),
        fmt=fmt,
        name="cases",
    )


def export_table(*, user: User, table: ReportTable, fmt: str, filters: dict[str, str]) -> HttpResponse:
    audit.record(
        actor=user,
        action="case.report_export",
        object_type=Case._meta.label_lower,
        details={"table": table.key, "format": fmt, "filters": filters},
    )
    return respond(
        header=[str(c) for c in table.columns],
        tags=table.hxl,
        rows=table_rows(table),
        fmt=fmt,
        name=table.key,
    )
