from __future__ import annotations

import enum
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from perisai.places.models import GeoIndexed


class Vulnerability(enum.IntFlag):
    """Stored as a bitmask in Person.vulnerabilities (compact, fast to count)."""

    PREGNANT = 1
    DISABILITY = 2
    CHRONIC_ILLNESS = 4
    ELDERLY = 8
    UNACCOMPANIED_CHILD = 16


VULNERABILITY_LABELS: dict[Vulnerability, StrOrPromise] = {
    Vulnerability.PREGNANT: _("Pregnant"),
    Vulnerability.DISABILITY: _("Disability"),
    Vulnerability.CHRONIC_ILLNESS: _("Chronic illness"),
    Vulnerability.ELDERLY: _("Elderly"),
    Vulnerability.UNACCOMPANIED_CHILD: _("Child without a guardian"),
}


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Purpose(models.TextChoices):
    WORK = "work", _("Work")
    STUDY = "study", _("Study")
    FAMILY = "family", _("Family")
    VISIT = "visit", _("Visit")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic work")
    CARE = "care", _("Care work")
    PLANTATION = "plantation", _("Plantation")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CONSTRUCTION = "construction", _("Construction")
    FISHING = "fishing", _("Fishing")
    HOSPITALITY = "hospitality", _("Hospitality")
    SERVICES = "services", _("Services")
    PROFESSIONAL = "professional", _("Professional")
    OTHER = "other", _("Other")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Abroad")
    RETURNED = "returned", _("Returned home")
    MOVED = "moved", _("Moved")
    DECEASED = "deceased", _("Deceased")
    MERGED = "merged", _("Merged into another record")
    ERASED = "erased", _("Erased")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    EMAIL = "email", _("E-mail")
    PLATFORM = "platform", _("In the platform")


class Household(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.label or str(self.public_id)[:8]


class Person(GeoIndexed):
    """A citizen abroad. NIK, passport number and immigration status are encrypted at rest."""

    class Source(models.TextChoices):
        SELF = "self", _("Self-registration")
        OFFICER = "officer", _("Entered by an officer")
        IMPORT = "import", _("Imported")
        DEMO = "demo", _("Demo data")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nik_encrypted = models.TextField(blank=True, editable=False)
    nik_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    passport_encrypted = models.TextField(blank=True, editable=False)
    passport_index = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    passport_expiry = models.DateField(_("passport expiry"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True)
    telegram = models.CharField(_("Telegram"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    country = models.ForeignKey(
        "places.Country", verbose_name=_("country of stay"), on_delete=models.PROTECT, related_name="+"
    )
    city_geonameid = models.PositiveIntegerField(_("city"), null=True, blank=True)
    city_name = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    stay_since = models.DateField(_("staying since"), null=True, blank=True)
    stay_until = models.DateField(_("staying until"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.WORK)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    agency = models.CharField(_("placement agency"), max_length=200, blank=True)
    home_village = models.ForeignKey(
        "places.Region",
        verbose_name=_("home village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    home_province = models.CharField(max_length=2, blank=True, db_index=True, editable=False)
    home_regency = models.CharField(max_length=5, blank=True, db_index=True, editable=False)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=200, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=20, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    household_role = models.CharField(_("role in household"), max_length=16, blank=True)
    vulnerabilities = models.PositiveSmallIntegerField(_("vulnerabilities"), default=0, db_index=True)
    immigration_status_encrypted = models.TextField(blank=True, editable=False)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="id")
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=16, choices=Channel.choices, default=Channel.WHATSAPP
    )
    mission = models.ForeignKey(
        "places.Mission",
        verbose_name=_("responsible mission"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.ACTIVE, db_index=True
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.SELF)
    registered_by = models.ForeignKey(
        "self",
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_members",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    passport_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes: ClassVar = [
            models.Index(fields=["mission", "status"]),
            models.Index(fields=["country", "status"]),
        ]

    def __str__(self) -> str:
        return f"Person {self.public_id}"

    def has(self, flag: Vulnerability) -> bool:
        return bool(self.vulnerabilities & flag)


class Consent(models.Model):
    class Purpose(models.TextChoices):
        CRISIS_CONTACT = "crisis_contact", _("Contact me in a crisis")
        FAMILY_STATUS = "family_status", _("Share my safety status with the family member I name")
        STATISTICS = "statistics", _("Use my data in anonymous statistics")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"), default=True)
    family_contact_name = models.CharField(max_length=200, blank=True)
    family_contact_phone = models.CharField(max_length=20, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "purpose"], name="registry_consent_one_per_purpose")
        ]

    def __str__(self) -> str:
        return f"{self.purpose}: {'yes' if self.granted else 'no'}"


class SignInCode(models.Model):
    """A one-time code for signing in without a password. Only a hash is kept; few tries; short life."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")

    def __str__(self) -> str:
        return f"sign-in code {self.pk}"
