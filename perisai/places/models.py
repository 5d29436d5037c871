from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class GeoIndexed(models.Model):
    """A located record: lat/lon plus H3 cells at two resolutions, indexed for "who is inside" queries.

    Works the same on SQLite and PostgreSQL without GIS extensions (docs/adr/0003-geo-index.md).
    """

    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    h3_r4 = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    h3_r6 = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True


class Country(models.Model):
    iso2 = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    iso3 = models.CharField(max_length=3, unique=True)
    numeric = models.CharField(max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    currency = models.ForeignKey(
        "Currency", verbose_name=_("currency"), null=True, blank=True, on_delete=models.SET_NULL
    )
    emergency_numbers = models.JSONField(_("emergency numbers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        from .selectors import country_display_name

        return country_display_name(self.iso2, self.name)


class Subdivision(models.Model):
    code = models.CharField(_("ISO code"), max_length=12, primary_key=True)
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="subdivisions")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type"), max_length=80, blank=True)
    parent_code = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = _("subdivision")
        verbose_name_plural = _("subdivisions")
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Currency(models.Model):
    code = models.CharField(_("ISO code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    numeric = models.CharField(max_length=3, blank=True)
    minor_units = models.PositiveSmallIntegerField(_("minor units"), default=2)

    class Meta:
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Region(models.Model):
    """Indonesia's administrative regions with Kemendagri codes (dotted: 35, 35.07, 35.07.01, 35.07.01.2001)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        REGENCY = 2, _("Regency or city")
        DISTRICT = 3, _("District")
        VILLAGE = 4, _("Village")

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Province (provinsi)")
        KABUPATEN = "kabupaten", _("Regency (kabupaten)")
        KOTA = "kota", _("City (kota)")
        KECAMATAN = "kecamatan", _("District (kecamatan)")
        KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
        DESA = "desa", _("Village (desa)")

    code = models.CharField(_("Kemendagri code"), max_length=13, primary_key=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150, db_index=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]

    @property
    def regency_code(self) -> str | None:
        parts = self.code.split(".")
        return ".".join(parts[:2]) if len(parts) >= 2 else None


class Mission(models.Model):
    """An Indonesian representation abroad (KBRI, KJRI, KRI, KDEI, PTRI)."""

    class Type(models.TextChoices):
        EMBASSY = "embassy", _("Embassy (KBRI)")
        CONSULATE_GENERAL = "consulate_general", _("Consulate-general (KJRI)")
        CONSULATE = "consulate", _("Consulate (KRI)")
        ECONOMIC_TRADE_OFFICE = "economic_trade_office", _("Economic and trade office (KDEI)")
        PERMANENT_MISSION = "permanent_mission", _("Permanent mission (PTRI)")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    abbr = models.CharField(_("abbreviation"), max_length=8)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    geonameid = models.PositiveIntegerField(null=True, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    coord_precision = models.CharField(_("coordinate precision"), max_length=16, default="city")
    hotline = models.CharField(_("hotline"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    verified = models.BooleanField(_("contacts verified"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering: ClassVar = ["country__name", "name"]

    def __str__(self) -> str:
        return self.name


class MissionJurisdiction(models.Model):
    """The countries, subdivisions or cities a mission serves. Subdivision and city entries beat country ones."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="jurisdictions")
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    subdivisions = models.JSONField(_("subdivisions"), default=list, blank=True)
    except_subdivisions = models.JSONField(_("except subdivisions"), default=list, blank=True)
    cities = models.JSONField(_("cities (GeoNames ids)"), default=list, blank=True)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self) -> str:
        return f"{self.mission.name}: {self.country_id}"
