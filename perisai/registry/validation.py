"""Checks of identity and contact data at the edge. Each error is translated and names the field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from perisai.places.models import Region


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ReferenceLookups:
    """The reference data the registration checks look up (countries, regencies, villages), each asked of the
    database once and remembered.

    Short-lived on purpose: one per check (the form's default) or one per import, so that a reload of the
    reference data (`perisai places import-regions`) is seen by the next import. Every answer is the one the
    form's own query gives: the same filters, asked once per distinct value.
    """

    def __init__(self) -> None:
        self._countries: dict[str, bool] = {}
        self._regions_loaded: bool | None = None
        self._regencies: dict[str, bool] = {}
        self._villages: dict[str, Region | None] = {}

    def country_exists(self, iso2: str) -> bool:
        if iso2 not in self._countries:
            from perisai.places.models import Country

            self._countries[iso2] = Country.objects.filter(iso2=iso2).exists()
        return self._countries[iso2]

    def regions_loaded(self) -> bool:
        """Whether Indonesia's regions are loaded at all (without them a NIK's regency is not checked)."""
        if self._regions_loaded is None:
            from perisai.places.models import Region

            self._regions_loaded = Region.objects.exists()
        return self._regions_loaded

    def regency_exists(self, code: str) -> bool:
        if code not in self._regencies:
            from perisai.places.models import Region

            self._regencies[code] = Region.objects.filter(code=code, level=2).exists()
        return self._regencies[code]

    def village(self, code: str) -> Region | None:
        """The village (level 4, not retired) with this code, or None."""
        if code not in self._villages:
            from perisai.places.models import Region

            self._villages[code] = Region.objects.filter(code=code, level=4, retired_at=None).first()
        return self._villages[code]

    def load(self, *, regencies: Iterable[str] = (), villages: Iterable[str] = ()) -> None:
        """Look up many codes at once (an import, before checking a chunk of rows): one query per kind
        instead of one per row; the answers are those of `regency_exists` and `village`."""
        from perisai.places.models import Region

        wanted = {c for c in regencies if c and c not in self._regencies}
        if wanted:
            found = set(Region.objects.filter(code__in=wanted, level=2).values_list("code", flat=True))
            self._regencies.update({c: c in found for c in wanted})
        wanted = {c for c in villages if c and c not in self._villages}
        if wanted:
            by_code = {r.code: r for r in Region.objects.filter(code__in=wanted, level=4, retired_at=None)}
            self._villages.update({c: by_code.get(c) for c in wanted})


@dataclass(frozen=True)
class NikFacts:
    nik: str
    province_code: str
    regency_code: str
    district_code: str
    birth_date: dt.date
    sex: str  # "F" or "M"


_NIK_SEPARATORS = re.compile(r"[\s.\-]")


def nik_digits(raw: str) -> str:
    """The NIK as typed, without the spaces, dots and dashes people write in it."""
    return _NIK_SEPARATORS.sub("", raw or "")


def nik_regency(raw: str) -> str:
    """The regency code ("35.07") a NIK names in its digits 1-4, or "" if it is not 16 digits."""
    digits = nik_digits(raw)
    return f"{digits[:2]}.{digits[2:4]}" if len(digits) == 16 and digits.isdigit() else ""


def check_nik(raw: str, *, field: str = "nik", reference: ReferenceLookups | None = None) -> NikFacts:
    """A 16-digit NIK whose region code exists and whose birth date and sex are plausible. `reference`: the
    lookups of a whole import (default: looked up for this check alone)."""
    from lokal.nik import parse_nik

    reference = reference or ReferenceLookups()
    digits = nik_digits(raw)
    if not digits.isdigit() or len(digits) != 16:
        raise FieldError(field, _("A NIK has exactly 16 digits (you entered %(n)d).") % {"n": len(digits)})
    info = parse_nik(digits)
    codes = {issue.code for issue in info.errors}
    if "province" in codes:
        raise FieldError(field, _("The first two digits of the NIK are not a province code."))
    if info.errors or not info.birth_date or not info.gender:
        raise FieldError(field, _("Digits 7 to 12 of the NIK must be a birth date (day + 40 for women)."))
    regency = f"{digits[:2]}.{digits[2:4]}"
    if reference.regions_loaded() and not reference.regency_exists(regency):
        raise FieldError(field, _("Digits 3 and 4 of the NIK are not a regency of that province."))
    birth = dt.date.fromisoformat(info.birth_date)
    if birth > timezone.localdate():
        raise FieldError(field, _("The birth date in the NIK is in the future."))
    return NikFacts(
        nik=digits,
        province_code=digits[:2],
        regency_code=regency,
        district_code=f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}",
        birth_date=birth,
        sex="F" if info.gender == "P" else "M",
    )


PASSPORT_RE = re.compile(r"^[A-Z]{1,2}[0-9]{6,8}$")


def check_passport(raw: str, expiry: dt.date | None, *, today: dt.date | None = None) -> str:
    number = re.sub(r"[\s\-]", "", (raw or "")).upper()
    if not PASSPORT_RE.match(number):
        raise FieldError("passport_number", _("A passport number is one or two letters and 6 to 8 digits."))
    today = today or timezone.localdate()
    if expiry is None:
        raise FieldError("passport_expiry", _("Enter the passport's expiry date."))
    if expiry < today:
        raise FieldError(
            "passport_expiry",
            _(
                "This passport expired on %(date)s. Leave the passport fields empty to register with your NIK,"
                " and contact your mission to renew it."
            )
            % {"date": expiry.isoformat()},
        )
    return number


def check_phone(raw: str, *, field: str = "phone", country: str | None = None) -> str:
    """E.164 form. A number without +country code is read as a number of the country of stay."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else country)
    except phonenumbers.NumberParseException as exc:
        if not text.startswith("+") and not country:
            raise FieldError(
                field, _("Start the number with + and the country code, e.g. +60 12 345 6789.")
            ) from exc
        raise FieldError(field, _("This is not a phone number.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise FieldError(field, _("This phone number is not valid for its country. Check the digits."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
