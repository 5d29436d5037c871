"""SDG 10.7.1 and 10.c.1 from consented finance data (perisai.finance.statistics).

The finance module yields, per home place and country, the number of consenting people and the sum of their
per-person percentages; the release adds them up and protects them like counts (the number of people is
what is protected: a mean is published only where at least 5 people contribute, and never where a hidden
group under 5 could be worked out). A mean is shown as sum / people.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from .base import MEAN, PROVINCE, Row, SourceStatus, StatisticsSourceType, TableSpec

PERCENT = _("per cent")

TABLES = [
    TableSpec("sdg_10_7_1", "finance", _("SDG 10.7.1: recruitment cost as a share of monthly income"),
              _("Recruitment cost borne by the worker as a proportion of monthly income earned in the country "
                "of destination: mean over consenting workers, by country of destination."),
              (("indicator", "10.7.1"),), "country", PROVINCE, PERCENT, measure=MEAN,
              category_hxl="#country+code+dest"),
    TableSpec("sdg_10_c_1", "finance", _("SDG 10.c.1: remittance cost as a share of the amount sent"),
              _("Remittance cost as a proportion of the amount remitted: mean over consenting senders' "
                "transfers, by sending country."),
              (("indicator", "10.c.1"),), "country", PROVINCE, PERCENT, measure=MEAN,
              category_hxl="#country+code+origin"),
]  # fmt: skip


class FinanceSourceType(StatisticsSourceType):
    code = "finance"
    label = _("Finance (consented)")

    def _module(self) -> Any:
        try:
            from perisai.finance import statistics
        except ImportError:
            return None
        if not all(hasattr(statistics, f) for f in ("sdg_10_7_1_rows", "sdg_10_c_1_rows")):
            return None
        return statistics

    def status(self) -> SourceStatus:
        if self._module() is None:
            return SourceStatus(False, _("Not connected yet: the finance module publishes no statistics."))
        return SourceStatus(True, _("Connected."))

    def tables(self) -> list[TableSpec]:
        return TABLES

    def rows(self, table: TableSpec) -> Iterable[Row]:
        module = self._module()
        if module is None:
            return
        produce = module.sdg_10_7_1_rows if table.code == "sdg_10_7_1" else module.sdg_10_c_1_rows
        for geo, country, people, total in produce():
            yield Row(geo=geo, category=country, n=int(people), value=float(total))

    def category_label(self, dimension: str, value: str) -> str:
        from perisai.places.models import Country
        from perisai.places.selectors import country_display_name

        name = Country.objects.filter(iso2=value).values_list("name", flat=True).first()
        return country_display_name(value, name or value)
