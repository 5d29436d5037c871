"""Cases opened through the real intake, and registered people through the registry's action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from perisai.registry.actions import PersonInput, do_register_person
from perisai.registry.models import Person

from ..intake import open_case
from ..models import Case

FUTURE = timezone.localdate() + dt.timedelta(days=3 * 365)


def person(full_name: str = "Siti Aminah", *, country: str = "MY", **fields: Any) -> Person:
    if not fields.get("nik"):
        fields.setdefault("passport_number", f"C{Person.objects.count() + 1000000:07d}")
    if fields.get("passport_number"):
        fields.setdefault("passport_expiry", FUTURE)
    fields.setdefault("email", f"p{Person.objects.count()}@example.org")
    fields.setdefault("home_village", "35.07.01.2001")
    return do_register_person(data=PersonInput(full_name=full_name, country=country, **fields), actor=None)


def case(**kwargs: Any) -> Case:
    kwargs.setdefault("source", "walk_in")
    kwargs.setdefault("case_type", "wages")
    kwargs.setdefault("urgency", "normal")
    kwargs.setdefault("summary", "Gaji tidak dibayar enam bulan.")
    return open_case(**kwargs)
