"""Dashboards count only consenting cases and suppress small cells; exports carry case codes, never names."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone

from perisai.core.models import AuditEvent

from ..actions import do_record_contact, do_set_consent
from ..models import Case, CaseType, Vulnerability
from ..reports import ReportFilters, dashboard
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
    _cases(cw, 10, case_type="detention", consent=False)
    by_type = dict((row[0], row[1]) for row in _table("open_by_type"))  # type: ignore[misc]
    assert by_type[str(CaseType.WAGES.label)] == 6
    values = sorted(v for v in by_type.values() if v is not None)  # type: ignore[type-var]
    assert values.count(6) == 1 and 3 not in values and 10 not in values
    assert list(by_type.values()).count(None) == 1  # violence: 3 -> "<5"
    withdrawn = Case.objects.filter(case_type="wages").first()
    assert withdrawn is not None
    do_set_consent(case=withdrawn, actor=cw.worker, purpose="reporting", granted=False)
    by_type = dict((row[0], row[1]) for row in _table("open_by_type"))  # type: ignore[misc]
    assert 6 not in by_type.values() and 5 in by_type.values()


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
    assert by_sex == [5, None, 0]  # one man: suppressed
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
