"""Citizens abroad from the registry: only people who agreed to anonymous statistics are counted.

The consent "Use my data in anonymous statistics" (registry Consent, purpose ``statistics``) is the gate:
a person who did not give it, or revoked it, is in no published figure. Erased and merged records are never
counted. People abroad and returnees are published as two populations, never as parts of one total: a
total of both would let a small number of returnees be worked out from the people abroad.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from .base import PROVINCE, REGENCY, VILLAGE, Row, SourceStatus, StatisticsSourceType, TableSpec

ABROAD, RETURNED, OTHER = "active", "returned", "other"
NONE = "none"  # no sector: not working, or not stated

STATUS_LABELS = {ABROAD: _("Abroad"), RETURNED: _("Returned home"), OTHER: _("Moved or deceased")}
SEX_LABELS = {"F": _("Female"), "M": _("Male"), NONE: _("Not stated")}

_P = (("status", ABROAD),)
_R = (("status", RETURNED),)
PEOPLE = _("people")

TABLES: list[TableSpec] = [
    TableSpec("people_abroad", "registry", _("People abroad"),
              _("Citizens abroad (registered, consenting to statistics) by place of origin."),
              _P, None, VILLAGE, PEOPLE),
    TableSpec("people_abroad_by_country", "registry", _("People abroad by country"),
              _("Citizens abroad by the country where they stay."), _P, "country", REGENCY, PEOPLE,
              category_hxl="#country+code+dest"),
    TableSpec("people_abroad_by_sector", "registry", _("People abroad by sector of work"),
              _("Citizens abroad by economic sector of their work ('none': not working or not stated)."),
              _P, "sector", REGENCY, PEOPLE, category_hxl="#sector+code"),
    TableSpec("people_abroad_by_sex", "registry", _("People abroad by sex"),
              _("Citizens abroad by sex."), _P, "sex", VILLAGE, PEOPLE, category_hxl="#group+type"),
    TableSpec("returnees_by_sex", "registry", _("Returnees by sex"),
              _("Citizens who returned home, by sex."), _R, "sex", REGENCY, PEOPLE, category_hxl="#group+type"),
    TableSpec("returnees_by_country", "registry", _("Returnees by country they returned from"),
              _("Citizens who returned home, by the country they last stayed in."), _R, "country", PROVINCE, PEOPLE,
              category_hxl="#country+code+origin"),
    TableSpec("registrations_by_year", "registry", _("People abroad by year of registration"),
              _("Citizens abroad (consenting to statistics) by the year they registered: the trend of registration."),
              _P, "year", REGENCY, PEOPLE, category_hxl="#date+occurred"),
]  # fmt: skip


class RegistrySourceType(StatisticsSourceType):
    code = "registry"
    label = _("Registry of citizens abroad")

    def status(self) -> SourceStatus:
        return SourceStatus(True, _("Connected: people who consented to anonymous statistics."))

    def tables(self) -> list[TableSpec]:
        return TABLES

    def population(self) -> QuerySet:  # type: ignore[type-arg]
        from perisai.registry.models import Consent, Person, PersonStatus

        consenting = Consent.objects.filter(purpose=Consent.Purpose.STATISTICS, granted=True)
        return Person.objects.filter(pk__in=consenting.values("person_id")).exclude(
            status__in=[PersonStatus.MERGED, PersonStatus.ERASED]
        )

    def rows(self, table: TableSpec) -> Iterable[Row]:
        from perisai.registry.models import PersonStatus

        qs = self.population()
        population = dict(table.population)
        if population.get("status") == ABROAD:
            qs = qs.filter(status=PersonStatus.ACTIVE)
        elif population.get("status") == RETURNED:
            qs = qs.filter(status=PersonStatus.RETURNED)
        geo_fields = ["home_province", "home_regency"]
        if table.max_level >= VILLAGE:
            geo_fields.append("home_village_id")
        dim = table.dimension
        if dim == "country":
            qs = qs.annotate(cat=F("country_id"))
        elif dim == "sector":
            qs = qs.annotate(cat=Coalesce("sector", Value("")))
        elif dim == "sex":
            qs = qs.annotate(cat=F("sex"))
        elif dim == "status":
            qs = qs.annotate(cat=F("status"))
        elif dim == "year":
            qs = qs.annotate(cat=ExtractYear("created_at"))
        else:
            qs = qs.annotate(cat=Value(""))
        for rec in qs.values(*geo_fields, "cat").annotate(n=Count("id")).order_by():
            geo = rec.get("home_village_id") or rec["home_regency"] or rec["home_province"] or ""
            yield Row(geo=geo, category=_category(dim, rec["cat"]), n=rec["n"])

    @cached_property
    def _countries(self) -> dict[str, str]:
        from perisai.places.models import Country

        return dict(Country.objects.values_list("iso2", "name"))

    def category_label(self, dimension: str, value: str) -> str:
        if dimension == "country":
            from perisai.places.selectors import country_display_name

            return country_display_name(value, self._countries.get(value, value))
        if dimension == "sector":
            from perisai.registry.models import Sector

            return (
                str(_("None or not stated")) if value == NONE else str(dict(Sector.choices).get(value, value))
            )
        if dimension == "sex":
            return str(SEX_LABELS.get(value, value))
        if dimension == "status":
            return str(STATUS_LABELS.get(value, value))
        return value


def _category(dimension: str | None, raw: object) -> str:
    if dimension is None:
        return ""
    if dimension == "status":
        return raw if raw in (ABROAD, RETURNED) else OTHER  # type: ignore[return-value]
    if dimension in ("sector", "sex"):
        return str(raw) if raw else NONE
    return "" if raw is None else str(raw)
