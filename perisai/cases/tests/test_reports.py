"""Dashboards count only consenting cases and suppress small cells; exports carry case codes, never names."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone

from perisai.core.models import AuditEvent

from ..actions import do_record_contact, do_set_consent
from ..models import Case, CaseType, Vulnerability
from ..reports import ReportFilters, dashboard, dashboard_table
from .conftest import CaseWorld
from .factories import case as new_case


def _cases(cw: CaseWorld, n: int, *, consent: bool = True, **kwargs: object) -> list[Case]:
    made = []
    for i in range(n):
        case = new_case(subject_name=f"Orang Rahasia {i}", **kwargs)
        if consent:
            do_set_consent(case=case, actor=cw.worker, purpose="reporting", granted=True)
        made.append(case)
    return made


def _table(key: str, filters: ReportFilters | None = None) -> list[list[object]]:
    return next(t.rows for t in dashboard(filters or ReportFilters()) if t.key == key)


def test_only_consenting_cases_count_and_small_cells_are_suppressed(cw: CaseWorld) -> None:
    _cases(cw, 6, case_type="wages")
    _cases(cw, 3, case_type="violence")
    _cases(cw, 12, case_type="recruitment_fraud")
    _cases(cw, 10, case_type="detention", consent=False)
    by_type = dict((row[0], row[1]) for row in _table("open_by_type"))  # type: ignore[misc]
    assert by_type[str(CaseType.RECRUITMENT_FRAUD.label)] == 12
    assert by_type[str(CaseType.DETENTION.label)] == 0  # no consent to reporting: not counted
    assert by_type[str(CaseType.VIOLENCE.label)] is None  # 3 -> "<5"
    # Alone, the hidden 3 would be the total (21, by urgency) less the shown types: wages is hidden too.
    assert by_type[str(CaseType.WAGES.label)] is None
    withdrawn = Case.objects.filter(case_type="recruitment_fraud").first()
    assert withdrawn is not None
    do_set_consent(case=withdrawn, actor=cw.worker, purpose="reporting", granted=False)
    by_type = dict((row[0], row[1]) for row in _table("open_by_type"))  # type: ignore[misc]
    assert by_type[str(CaseType.RECRUITMENT_FRAUD.label)] == 11


def _hidden_cells_cannot_be_worked_out(tables: dict[str, list[list[object]]], keys: tuple[str, ...]) -> None:
    """What a reader can do: add up a table whose cells are all shown, then subtract in the others."""
    totals = {sum(int(r[1]) for r in tables[k]) for k in keys if all(r[1] is not None for r in tables[k])}  # type: ignore[call-overload]
    assert len(totals) <= 1
    for key in keys:
        hidden = [r for r in tables[key] if r[1] is None]
        assert len(hidden) != 1, f"{key}: a lone hidden cell is the total less the others"
        if hidden and totals:
            shown = sum(int(r[1]) for r in tables[key] if r[1] is not None)  # type: ignore[call-overload]
            assert next(iter(totals)) - shown >= 5, f"{key}: the hidden cells together hold fewer than 5"


def test_no_hidden_count_can_be_worked_out_by_subtraction(cw: CaseWorld) -> None:
    _cases(cw, 6, case_type="wages", urgency="high")
    _cases(cw, 3, case_type="violence", urgency="emergency")
    _cases(cw, 2, case_type="trafficking", urgency="high")
    _cases(cw, 9, case_type="recruitment_fraud")
    tables = {t.key: t.rows for t in dashboard(ReportFilters())}
    open_tables = ("open_by_type", "open_by_urgency", "open_by_age", "open_by_team")
    _hidden_cells_cannot_be_worked_out(tables, open_tables)
    assert any(r[1] is None for r in tables["open_by_type"])  # the 3 and the 2 are hidden
    assert any(r[1] is None for r in tables["open_by_urgency"])  # the 3 emergencies are hidden
    # A table exported on its own hides exactly what the dashboard hides (it is protected with the others).
    exported = dashboard_table(ReportFilters(), "open_by_urgency")
    assert exported is not None and exported.rows == tables["open_by_urgency"]


def test_time_to_contact_and_returnee_tables(cw: CaseWorld) -> None:
    returnees = _cases(cw, 6, source="arrival_list", case_type="reintegration", region_code="35.07.01.2001")
    for i, case in enumerate(returnees):
        Case.objects.filter(pk=case.pk).update(
            opened_at=timezone.now() - dt.timedelta(hours=10 + i), sex="F" if i < 5 else "M",
            vulnerabilities=int(Vulnerability.PREGNANT) if i < 5 else 0,
        )  # fmt: skip
        case.refresh_from_db()
        do_record_contact(case=case, actor=cw.worker)
    contact = {row[0]: row for row in _table("time_to_contact")}
    reintegration = next(row for label, row in contact.items() if row[1] == 6)
    assert reintegration[2] == 12.0 and reintegration[3] == 15.0  # nearest-rank median and 90th percentile
    assert _table("returnees_by_province") == [["35", "Jawa Timur", 6]]
    assert _table("returnees_by_regency") == [["35.07", "Kabupaten Malang", 6]]
    by_sex = [row[1] for row in _table("returnees_by_sex")]
    # One man: hidden; and the five women too, or the man would be the 6 returnees less the 5 women.
    assert by_sex == [None, None, 0]
    pregnant = next(row for row in _table("returnees_by_vulnerability") if row[1] == 5)
    assert pregnant
    assert _table("returnees_by_province", ReportFilters(province="33")) == []


def test_dashboard_page_and_exports_use_codes_not_names(cw: CaseWorld) -> None:
    cases = _cases(cw, 5, mission=cw.kl, case_type="wages")
    analyst = cw.client(cw.analyst)
    page = analyst.get(reverse("cases:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open cases by type" in page and "Orang Rahasia" not in page
    for fmt in ("csv", "hxl"):
        export = analyst.get(
            reverse("cases:dashboard_export", kwargs={"table": "open_by_team"}), {"format": fmt}
        )
        text = export.content.decode("utf-8-sig")
        assert "KBRI Kuala Lumpur,5" in text
        assert ("#org+name,#indicator+num" in text) == (fmt == "hxl")
    xlsx = analyst.get(
        reverse("cases:dashboard_export", kwargs={"table": "open_by_type"}), {"format": "xlsx"}
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet is not None and sheet.max_row == 9
    assert analyst.get(reverse("cases:export")).status_code == 403  # analysts never get case lists
    officer = cw.client(cw.officer)
    listing = officer.get(reverse("cases:export"), {"format": "hxl"}).content.decode("utf-8-sig")
    assert (
        all(c.code in listing for c in cases) and "Orang Rahasia" not in listing and "#meta+code" in listing
    )
    assert (
        cw.client(cw.other_officer).get(reverse("cases:export")).content.decode("utf-8-sig").count("\n") == 1
    )
    event = AuditEvent.objects.get(action="case.export", actor=cw.officer)
    assert event.details == {"format": "hxl", "count": 5}
    api = analyst.get("/api/v1/cases/reports").json()
    assert {t["key"] for t in api} >= {"open_by_type", "time_to_closure", "returnees_by_sex"}
