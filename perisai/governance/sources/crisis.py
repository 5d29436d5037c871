"""Crisis exposure and accounting from the crisis module (perisai.crisis): the rosters of open crises.

Only people who consented to anonymous statistics are counted, as everywhere in the published figures.
Exercises are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .base import NATION, REGENCY, Row, SourceStatus, StatisticsSourceType, TableSpec

PEOPLE = _("people")

TABLES = [
    TableSpec("crisis_exposure", "crisis", _("People in crisis areas"),
              _("Citizens abroad (consenting to statistics) on the roster of an open crisis, by place of origin."),
              (("unit", "person"),), None, REGENCY, PEOPLE),
    TableSpec("crisis_accounting", "crisis", _("Crisis accounting"),
              _("People on the roster of each open crisis by what is known of them (safe, need help, no news)."),
              (("unit", "roster_entry"),), "crisis_status", NATION, PEOPLE, category_hxl="#status+code"),
]  # fmt: skip


class CrisisSourceType(StatisticsSourceType):
    code = "crisis"
    label = _("Crises")

    def _models(self) -> Any:
        try:
            from perisai.crisis import models
        except ImportError:
            return None
        if not all(hasattr(models, name) for name in ("Crisis", "RosterEntry", "OPEN_STATUSES")):
            return None
        return models

    def status(self) -> SourceStatus:
        if self._models() is None:
            return SourceStatus(False, _("Not connected yet: the crisis module has no crisis rosters."))
        return SourceStatus(True, _("Connected: rosters of open crises."))

    def tables(self) -> list[TableSpec]:
        return TABLES

    def _roster(self) -> Any:
        from perisai.registry.models import Consent

        models = self._models()
        consenting = Consent.objects.filter(purpose=Consent.Purpose.STATISTICS, granted=True).values(
            "person_id"
        )
        return models.RosterEntry.objects.filter(
            crisis__status__in=list(models.OPEN_STATUSES), crisis__exercise=False, person_id__in=consenting
        )

    def rows(self, table: TableSpec) -> Iterable[Row]:
        if self._models() is None:
            return
        roster = self._roster()
        if table.code == "crisis_exposure":
            from perisai.registry.models import Person

            people = Person.objects.filter(pk__in=roster.values("person_id"))
            for rec in (
                people.values("home_village_id", "home_regency", "home_province")
                .annotate(n=Count("id"))
                .order_by()
            ):
                yield Row(
                    rec["home_village_id"] or rec["home_regency"] or rec["home_province"] or "", "", rec["n"]
                )
        else:
            for rec in roster.values("crisis__public_id", "status").annotate(n=Count("id")).order_by():
                yield Row("", f"{rec['crisis__public_id']}|{rec['status']}", rec["n"])

    @cached_property
    def _crisis_titles(self) -> dict[str, str]:
        models = self._models()
        if models is None:
            return {}
        return {str(p): t for p, t in models.Crisis.objects.values_list("public_id", "title")}

    def category_label(self, dimension: str, value: str) -> str:
        if dimension != "crisis_status" or "|" not in value:
            return value
        crisis, status = value.split("|", 1)
        try:
            from perisai.crisis.models import CheckInStatus

            status_label = str(dict(CheckInStatus.choices).get(status, status))
        except ImportError:
            status_label = status
        return f"{self._crisis_titles.get(crisis, crisis[:8])}: {status_label}"
