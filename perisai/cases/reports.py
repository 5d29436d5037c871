"""Case-load dashboards: aggregates only, over cases whose subject consented to anonymous reporting, with
every count under MIN_CELL (5) suppressed (and the medians computed from such cells withheld too).

Tables: open cases by type, urgency, age and team; time from intake to first contact and to closure by type;
returnees (arrival lists and reintegration cases) by province and regency of origin, sex and vulnerability.

Speed (200,000 cases, docs/benchmarks-cases.md): each table is one grouped query on a covering index; the
medians come from the count per type and an indexed `ORDER BY ... LIMIT 1 OFFSET k` per type, never from
reading every duration into Python.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.core.stats import MIN_CELL

from .models import (
    OPEN_STATUSES,
    VULNERABILITY_LABELS,
    Case,
    CaseType,
    Status,
    Urgency,
)

RETURNEE_Q = Q(is_returnee=True)  # arrival lists and reintegration cases (kept on the case: one index)
AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 7), (8, 30), (31, 90), (91, None))


@dataclass
class ReportTable:
    key: str
    title: str
    columns: list[str]
    hxl: list[str]
    rows: list[list[Any]] = field(default_factory=list)  # None in a cell = suppressed (shown "<5")


@dataclass(frozen=True)
class ReportFilters:
    province: str = ""
    since: dt.date | None = None

    def as_details(self) -> dict[str, str]:
        return {"province": self.province, "since": self.since.isoformat() if self.since else ""}


def reportable_cases(filters: ReportFilters | None = None) -> QuerySet[Case]:
    qs = Case.objects.filter(reporting_consent=True)
    if filters is not None:
        if filters.province:
            qs = qs.filter(home_province=filters.province)
        if filters.since:
            start = dt.datetime.combine(filters.since, dt.time(), tzinfo=dt.UTC)
            qs = qs.filter(opened_at__gte=start)
    return qs


def cell(n: int) -> int | None:
    """A count as published: None (shown as "<5") when it could point at a few people; zero stays zero."""
    return None if 0 < n < MIN_CELL else n


def _counts(qs: QuerySet[Case], key: str) -> dict[Any, int]:
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("pk")).order_by()}


def _grouped(qs: QuerySet[Case], keys: list[str]) -> list[dict[str, Any]]:
    """GROUP BY the keys in the order of a covering index (no temporary sort); summed in Python after."""
    return list(qs.values(*keys).annotate(n=Count("pk")).order_by(*keys))


class Shared:
    """Aggregates several tables share, computed once per dashboard."""

    def __init__(self, filters: ReportFilters) -> None:
        self.filters = filters
        self._memo: dict[str, Any] = {}

    def get(self, key: str, build: Callable[[ReportFilters], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = build(self.filters)
        return self._memo[key]


def _open_type_urgency(filters: ReportFilters) -> tuple[dict[str, int], dict[str, int]]:
    by_type: dict[str, int] = {}
    by_urgency: dict[str, int] = {}
    rows = _grouped(
        reportable_cases(filters).filter(status__in=OPEN_STATUSES), ["status", "case_type", "urgency"]
    )
    for row in rows:
        by_type[row["case_type"]] = by_type.get(row["case_type"], 0) + row["n"]
        by_urgency[row["urgency"]] = by_urgency.get(row["urgency"], 0) + row["n"]
    return by_type, by_urgency


def open_by_type(filters: ReportFilters, shared: Shared | None = None) -> ReportTable:
    counts = (shared or Shared(filters)).get("open", _open_type_urgency)[0]
    table = ReportTable(
        "open_by_type",
        _("Open cases by type"),
        [_("Case type"), _("Open cases")],
        ["#event+type", "#indicator+num"],
    )
    table.rows = [[str(label), counts.get(value, 0)] for value, label in CaseType.choices]
    return table


def open_by_urgency(filters: ReportFilters, shared: Shared | None = None) -> ReportTable:
    counts = (shared or Shared(filters)).get("open", _open_type_urgency)[1]
    table = ReportTable(
        "open_by_urgency",
        _("Open cases by urgency"),
        [_("Urgency"), _("Open cases")],
        ["#severity", "#indicator+num"],
    )
    table.rows = [[str(label), counts.get(value, 0)] for value, label in Urgency.choices]
    return table


def open_by_age(
    filters: ReportFilters, shared: Shared | None = None, *, now: dt.datetime | None = None
) -> ReportTable:
    """One range count per age band on the (status, opened_at) index."""
    now = now or timezone.now()
    table = ReportTable(
        "open_by_age",
        _("Open cases by age"),
        [_("Days open"), _("Open cases")],
        ["#indicator+name", "#indicator+num"],
    )
    base = reportable_cases(filters).filter(status__in=OPEN_STATUSES)
    for low, high in AGE_BUCKETS:
        band = base.filter(opened_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            band = band.filter(opened_at__gt=now - dt.timedelta(days=high + 1))
        label = f"{low}-{high}" if high is not None else f"> {low - 1}"
        table.rows.append([label, band.count()])
    return table


def open_by_team(filters: ReportFilters, shared: Shared | None = None) -> ReportTable:
    from perisai.core.models import Organisation
    from perisai.places.models import Mission

    rows = _grouped(
        reportable_cases(filters).filter(status__in=OPEN_STATUSES),
        ["status", "organisation_id", "mission_id"],
    )
    by_team: dict[str, int] = {}
    orgs = dict(Organisation.objects.values_list("pk", "name"))
    missions = dict(Mission.objects.values_list("pk", "name"))
    for row in rows:
        if row["organisation_id"]:
            name = orgs.get(row["organisation_id"], "?")
        elif row["mission_id"]:
            name = missions.get(row["mission_id"], "?")
        else:
            name = _("Not yet with a team")
        by_team[name] = by_team.get(name, 0) + row["n"]
    table = ReportTable(
        "open_by_team", _("Open cases by team"), [_("Team"), _("Open cases")], ["#org+name", "#indicator+num"]
    )
    table.rows = [[name, n] for name, n in sorted(by_team.items(), key=lambda kv: (-kv[1], kv[0]))]
    return table


def _percentile(qs: QuerySet[Case], column: str, n: int, fraction: float) -> int | None:
    if n == 0:
        return None
    offset = min(n - 1, max(0, math.ceil(fraction * n) - 1))  # nearest rank
    value = qs.order_by(column).values_list(column, flat=True)[offset : offset + 1]
    found = list(value)
    return int(found[0]) if found else None


def time_to_contact(filters: ReportFilters, shared: Shared | None = None) -> ReportTable:
    base = reportable_cases(filters).filter(first_contact_minutes__isnull=False)
    counts = _counts(base, "case_type")
    table = ReportTable(
        "time_to_contact",
        _("Time from intake to first contact"),
        [_("Case type"), _("Cases"), _("Median (hours)"), _("90th percentile (hours)")],
        ["#event+type", "#indicator+num", "#indicator+median", "#indicator+p90"],
    )
    for value, label in CaseType.choices:
        n = counts.get(value, 0)
        if n < MIN_CELL:  # withheld anyway (protect_tables): no query for its percentiles
            table.rows.append([str(label), n, "", ""])
            continue
        qs = base.filter(case_type=value)
        median = _percentile(qs, "first_contact_minutes", n, 0.5)
        p90 = _percentile(qs, "first_contact_minutes", n, 0.9)
        table.rows.append([str(label), n, _hours(median), _hours(p90)])
    return table


def _hours(minutes: int | None) -> float | str:
    return "" if minutes is None else round(minutes / 60, 1)


def time_to_closure(filters: ReportFilters, shared: Shared | None = None) -> ReportTable:
    base = reportable_cases(filters).filter(status=Status.CLOSED, closure_days__isnull=False)
    counts = _counts(base, "case_type")
    table = ReportTable(
        "time_to_closure",
        _("Time from intake to closure"),
        [_("Case type"), _("Closed cases"), _("Median (days)"), _("90th percentile (days)")],
        ["#event+type", "#indicator+num", "#indicator+median", "#indicator+p90"],
    )
    for value, label in CaseType.choices:
        n = counts.get(value, 0)
        if n < MIN_CELL:  # withheld anyway (protect_tables): no query for its percentiles
            table.rows.append([str(label), n, "", ""])
            continue
        qs = base.filter(case_type=value)
        median = _percentile(qs, "closure_days", n, 0.5)
        p90 = _percentile(qs, "closure_days", n, 0.9)
        table.rows.append([str(label), n, "" if median is None else median, "" if p90 is None else p90])
    return table


def _region_names(codes: list[str]) -> dict[str, str]:
    from perisai.places.models import Region

    return dict(Region.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))


def _returnee_regions(
    filters: ReportFilters,
) -> tuple[dict[str, int], dict[str, int], dict[tuple[str, str], int]]:
    """Returnees per (province, regency), grouped in the order of their index; provinces are the sums."""
    provinces: dict[str, int] = {}
    regencies: dict[str, int] = {}
    pairs: dict[tuple[str, str], int] = {}
    for row in _grouped(reportable_cases(filters).filter(RETURNEE_Q), ["home_province", "home_regency"]):
        provinces[row["home_province"]] = provinces.get(row["home_province"], 0) + row["n"]
        regencies[row["home_regency"]] = regencies.get(row["home_regency"], 0) + row["n"]
        key = (row["home_province"], row["home_regency"])
        pairs[key] = pairs.get(key, 0) + row["n"]
    return provinces, regencies, pairs


def returnees_by_province(filters: ReportFilters, shared: Shared | None = None) -> ReportTable:
    counts = (shared or Shared(filters)).get("regions", _returnee_regions)[0]
    names = _region_names(list(counts))
    table = ReportTable(
        "returnees_by_province",
        _("Returnees by province of origin"),
        [_("Province code"), _("Province"), _("Returnees")],
        ["#adm1+code", "#adm1+name", "#affected+num"],
    )
    for code, n in sorted(counts.items(), key=lambda kv: (kv[0] == "", kv[0])):
        table.rows.append([code or "", names.get(code, _("Unknown")), n])
    return table


def returnees_by_regency(filters: ReportFilters, shared: Shared | None = None) -> ReportTable:
    counts = (shared or Shared(filters)).get("regions", _returnee_regions)[1]
    names = _region_names(list(counts))
    table = ReportTable(
        "returnees_by_regency",
        _("Returnees by regency of origin"),
        [_("Regency code"), _("Regency or city"), _("Returnees")],
        ["#adm2+code", "#adm2+name", "#affected+num"],
    )
    for code, n in sorted(counts.items(), key=lambda kv: (kv[0] == "", kv[0])):
        table.rows.append([code or "", names.get(code, _("Unknown")), n])
    return table


def returnees_by_sex(filters: ReportFilters, shared: Shared | None = None) -> ReportTable:
    counts = _counts(reportable_cases(filters).filter(RETURNEE_Q), "sex")
    labels = {"F": _("Female"), "M": _("Male"), "": _("Not recorded")}
    table = ReportTable(
        "returnees_by_sex",
        _("Returnees by sex"),
        [_("Sex"), _("Returnees")],
        ["#indicator+name", "#affected+num"],
    )
    table.rows = [[str(labels[key]), counts.get(key, 0)] for key in ("F", "M", "")]
    return table


def returnees_by_vulnerability(filters: ReportFilters, shared: Shared | None = None) -> ReportTable:
    """One pass: the sum of (vulnerabilities & flag) per flag, divided by the flag, counts the cases having it."""
    aggregates = {
        f"v{int(flag)}": Sum(F("vulnerabilities").bitand(int(flag))) for flag in VULNERABILITY_LABELS
    }
    result = reportable_cases(filters).filter(RETURNEE_Q).aggregate(**aggregates)
    table = ReportTable(
        "returnees_by_vulnerability",
        _("Returnees by vulnerability"),
        [_("Vulnerability"), _("Returnees")],
        ["#indicator+name", "#affected+num"],
    )
    table.rows = [
        [str(label), int(result[f"v{int(flag)}"] or 0) // int(flag)]
        for flag, label in VULNERABILITY_LABELS.items()
    ]
    return table


TABLES: dict[str, Callable[..., ReportTable]] = {
    "open_by_type": open_by_type,
    "open_by_urgency": open_by_urgency,
    "open_by_age": open_by_age,
    "open_by_team": open_by_team,
    "time_to_contact": time_to_contact,
    "time_to_closure": time_to_closure,
    "returnees_by_province": returnees_by_province,
    "returnees_by_regency": returnees_by_regency,
    "returnees_by_sex": returnees_by_sex,
    "returnees_by_vulnerability": returnees_by_vulnerability,
}


# Where each table keeps its count, and the columns withheld with it (medians computed from the same cases).
COUNT_COLUMN = {"returnees_by_province": 2, "returnees_by_regency": 2}
WITHHELD_WITH_COUNT = {"time_to_contact": (2, 3), "time_to_closure": (2, 3)}
# Tables that split the same cases: each sums to the same total (a reader can add them up).
SAME_TOTAL = {
    "open": ("open_by_type", "open_by_urgency", "open_by_age", "open_by_team"),
    "contacted": ("time_to_contact",),
    "closed": ("time_to_closure",),
    "returnees": ("returnees_by_province", "returnees_by_regency", "returnees_by_sex"),
}


def protect_tables(tables: list[ReportTable], shared: Shared) -> list[ReportTable]:
    """Hide every count under 5 and enough others that none can be worked out by subtraction.

    The tables of one dashboard are tied by equations a reader can write down: the open cases by type, by
    urgency, by age and by team each add up to the same total; returnees by province and by sex add up to
    all returnees, and a province to its regencies (with those whose regency is not known). The governance
    module's disclosure control (`perisai.governance.disclosure.protect`, ADR 0006) chooses the secondary
    cells for these equations; a hidden count withholds its medians too. Vulnerabilities are not additive
    (a case may have several): each is only checked on its own."""
    from perisai.governance.disclosure import Equation, ProtectionError, protect

    Key = tuple[str, Any]
    by_key = {t.key: t for t in tables}
    counts: dict[Key, int] = {}
    for table in tables:
        column = COUNT_COLUMN.get(table.key, 1)
        for index, row in enumerate(table.rows):
            counts[(table.key, index)] = int(row[column] or 0)
    equations: list[Equation[Key]] = []
    for name, keys in SAME_TOTAL.items():
        present = [by_key[k] for k in keys if k in by_key]
        if not present:
            continue
        total: Key = ("total", name)
        counts[total] = sum(counts[(present[0].key, i)] for i in range(len(present[0].rows)))
        for table in present:
            parts = tuple((table.key, i) for i in range(len(table.rows)))
            equations.append(Equation(total, parts))
    if "returnees_by_province" in by_key and "returnees_by_regency" in by_key:
        pairs: dict[tuple[str, str], int] = shared.get("regions", _returnee_regions)[2]
        regency_row = {row[0]: i for i, row in enumerate(by_key["returnees_by_regency"].rows)}
        unknown: list[Key] = []
        for p_index, row in enumerate(by_key["returnees_by_province"].rows):
            province = row[0]
            parts_: list[Key] = []
            for (prov, regency), n in pairs.items():
                if prov != province:
                    continue
                if regency:
                    parts_.append(("returnees_by_regency", regency_row[regency]))
                else:  # not shown on its own (lumped into "Unknown"): assumed known, which is conservative
                    counts[("unknown_regency", prov)] = n
                    parts_.append(("unknown_regency", prov))
                    unknown.append(("unknown_regency", prov))
            equations.append(Equation(("returnees_by_province", p_index), tuple(parts_)))
        if "" in regency_row and unknown:
            equations.append(Equation(("returnees_by_regency", regency_row[""]), tuple(unknown)))
    try:
        hidden = protect(counts, equations, threshold=MIN_CELL)
    except ProtectionError:  # cannot be protected: withhold every count of the tables concerned
        hidden = {key for key, n in counts.items() if n}
    for table in tables:
        column = COUNT_COLUMN.get(table.key, 1)
        for index, row in enumerate(table.rows):
            if (table.key, index) in hidden:
                row[column] = None
                for extra in WITHHELD_WITH_COUNT.get(table.key, ()):
                    row[extra] = None
    return tables


def dashboard(filters: ReportFilters) -> list[ReportTable]:
    shared = Shared(filters)
    return protect_tables([build(filters, shared) for build in TABLES.values()], shared)


def dashboard_table(filters: ReportFilters, key: str) -> ReportTable | None:
    """One table as the dashboard shows it (protected together with the others: an export hides the same)."""
    if key not in TABLES:
        return None
    return next(t for t in dashboard(filters) if t.key == key)
