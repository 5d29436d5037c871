"""Checks of identity and contact data at the edge. Each error is translated and names the field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext as _


class FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class NikFacts:
    nik: str
    province_code: str
    regency_code: str
    district_code: str
    birth_date: dt.date
    sex: str  # "F" or "M"


def check_nik(raw: str, *, field: str = "nik") -> NikFacts:
    """A 16-digit NIK whose region code exists and whose birth date and sex are plausible."""
    from lokal.nik import parse_nik

    from perisai.places.models import Region

    digits = re.sub(r"[\s.\-]", "", raw or "")
    if not digits.isdigit() or len(digits) != 16:
        raise FieldError(field, _("A NIK has exactly 16 digits (you entered %(n)d).") % {"n": len(digits)})
    info = parse_nik(digits)
    codes = {issue.code for issue in info.errors}
    if "province" in codes:
        raise FieldError(field, _("The first two digits of the NIK are not a province code."))
    if info.errors or not info.birth_date or not info.gender:
        raise FieldError(field, _("Digits 7 to 12 of the NIK must be a birth date (day + 40 for women)."))
    regency = f"{digits[:2]}.{digits[2:4]}"
    if Region.objects.exists() and not Region.objects.filter(code=regency, level=2).exists():
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
