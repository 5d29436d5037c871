"""Protection cases from case management (perisai.cases), by type and by the home region of the person.

Only cases whose subject consented to anonymous reporting are counted (the cases module's CaseConsent
"reporting", mirrored on ``Case.reporting_consent``), as the cases module's own dashboards do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Value
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from .base import REGENCY, Row, SourceStatus, StatisticsSourceType, TableSpec

CASES = _("cases")

TABLES = [
    TableSpec("cases_by_type", "cases", _("Cases by type"),
              _("Protection cases (consenting to anonymous reporting), by type, by the home region of the person."),
              (("unit", "case"),), "case_type", REGENCY, CASES, category_hxl="#indicator+type"),
    TableSpec("cases_by_year", "cases", _("Cases by year"),
              _("Protection cases (consenting to anonymous reporting), by the year they were opened."),
              (("unit", "case"),), "year", REGENCY, CASES, category_hxl="#date+occurred"),
    TableSpec("returnee_cases", "cases", _("Returnee cases"),
              _("Cases of returnees (arrival lists and reintegration) consenting to anonymous reporting."),
              (("unit", "case"), ("returnee", "yes")), None, REGENCY, CASES),
]  # fmt: skip


class CasesSourceType(StatisticsSourceType):
    code = "cases"
    label = _("Case management")

    def _model(self) -> Any:
        try:
            from perisai.cases import models
        except ImportError:
            return None
        model = getattr(models, "Case", None)
        needed = (
            "reporting_consent",
            "case_type",
            "home_province",
            "home_regency",
            "region_code",
            "opened_at",
        )
        if model is None or not all(hasattr(model, f) for f in needed):
            return None
        return model

    def status(self) -> SourceStatus:
        if self._model() is None:
            return SourceStatus(False, _("Not connected yet: the case management module has no cases."))
        return SourceStatus(True, _("Connected: cases consenting to anonymous reporting."))

    def tables(self) -> list[TableSpec]:
        return TABLES

    def rows(self, table: TableSpec) -> Iterable[Row]:
        model = self._model()
        if model is None:
            return
        qs = model.objects.filter(reporting_consent=True)
        if dict(table.population).get("returnee") == "yes":
            qs = qs.filter(is_returnee=True) if hasattr(model, "is_returnee") else qs.none()
        if table.dimension == "case_type":
            qs = qs.annotate(cat=F("case_type"))
        elif table.dimension == "year":
            qs = qs.annotate(cat=ExtractYear("opened_at"))
        else:
            qs = qs.annotate(cat=Value(""))
        for rec in (
            qs.values("region_code", "home_regency", "home_province", "cat")
            .annotate(n=Count("id"))
            .order_by()
        ):
            code = rec["region_code"] or rec["home_regency"] or rec["home_province"] or ""
            yield Row(geo=code, category="" if rec["cat"] is None else str(rec["cat"]), n=rec["n"])

    def category_label(self, dimension: str, value: str) -> str:
        if dimension == "case_type":
            try:
                from perisai.cases.models import CaseType

                return str(dict(CaseType.choices).get(value, value))
            except ImportError:
                return value
        return value
