"""Writes of reference data: countries, currencies, subdivisions, missions. Idempotent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pycountry
from babel.numbers import get_currency_precision, get_territory_currencies
from django.db import transaction

from .models import Country, Currency, Mission, MissionJurisdiction, Subdivision


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


@transaction.atomic
def do_load_countries(*, emergency_numbers: dict[str, dict[str, str]] | None = None) -> LoadReport:
    report = LoadReport()
    currencies = {c.code: c for c in Currency.objects.all()}
    new_currencies = []
    for cur in pycountry.currencies:
        if cur.alpha_3 in currencies:
            continue
        try:
            precision = get_currency_precision(cur.alpha_3)
        except Exception:
            precision = 2
        new_currencies.append(
            Currency(
                code=cur.alpha_3, name=cur.name, numeric=getattr(cur, "numeric", ""), minor_units=precision
            )
        )
    Currency.objects.bulk_create(new_currencies)
    existing = {c.iso2: c for c in Country.objects.all()}
    known_currencies = set(Currency.objects.values_list("code", flat=True))
    emergency_numbers = emergency_numbers or {}
    to_create, to_update = [], []
    for c in pycountry.countries:
        in_use = get_territory_currencies(c.alpha_2, tender=True)  # CLDR, through Babel
        currency = in_use[0] if in_use else None
        values: dict[str, Any] = {
            "iso3": c.alpha_3,
            "numeric": c.numeric,
            "name": c.name,
            "official_name": getattr(c, "official_name", ""),
            "currency_id": currency if currency in known_currencies else None,
        }
        numbers = emergency_numbers.get(c.alpha_2)
        current = existing.get(c.alpha_2)
        if current is None:
            to_create.append(Country(iso2=c.alpha_2, emergency_numbers=numbers or {}, **values))
            report.created += 1
            continue
        changed = False
        for attr, value in values.items():
            if getattr(current, attr) != value:
                setattr(current, attr, value)
                changed = True
        if numbers and not current.emergency_numbers:  # administrators' edits are kept
            current.emergency_numbers = numbers
            changed = True
        if changed:
            to_update.append(current)
            report.updated += 1
        else:
            report.unchanged += 1
    Country.objects.bulk_create(to_create)
    if to_update:
        Country.objects.bulk_update(
            to_update, ["iso3", "numeric", "name", "official_name", "currency", "emergency_numbers"]
        )
    have = set(Subdivision.objects.values_list("code", flat=True))
    country_codes = set(Country.objects.values_list("iso2", flat=True))
    Subdivision.objects.bulk_create(
        [
            Subdivision(
                code=s.code,
                country_id=s.country_code,
                name=s.name,
                kind=s.type,
                parent_code=getattr(s, "parent_code", None) or "",
            )
            for s in pycountry.subdivisions
            if s.code not in have and s.country_code in country_codes
        ],
        batch_size=2000,
    )
    return report


CONTACT_FIELDS = ("hotline", "phone", "email", "address", "website")


@transaction.atomic
def do_load_missions(*, records: Iterable[Any]) -> LoadReport:
    """Create missing missions and fill empty fields; never overwrite what an administrator has edited."""
    report = LoadReport()
    existing = {m.code: m for m in Mission.objects.all()}
    for rec in records:
        mission = existing.get(rec.code)
        base = {
            "type": rec.type,
            "abbr": rec.abbr,
            "name": rec.name,
            "name_en": rec.name_en,
            "city": rec.city,
            "country_id": rec.country,
            "geonameid": rec.geonameid,
            "lat": rec.lat,
            "lon": rec.lon,
            "coord_precision": rec.coord_precision,
            "verified": rec.verified,
        }
        contacts = {f: getattr(rec, f) or "" for f in CONTACT_FIELDS}
        if mission is None:
            mission = Mission.objects.create(code=rec.code, **base, **contacts)
            report.created += 1
        else:
            changed = [f for f, v in contacts.items() if v and not getattr(mission, f)]
            for f in changed:
                setattr(mission, f, contacts[f])
            if changed:
                mission.save(update_fields=changed)
                report.updated += 1
            else:
                report.unchanged += 1
        if not mission.jurisdictions.exists():
            MissionJurisdiction.objects.bulk_create(
                [
                    MissionJurisdiction(
                        mission=mission,
                        country_id=j.country,
                        subdivisions=list(j.subdivisions),
                        except_subdivisions=list(j.except_subdivisions),
                        cities=list(getattr(j, "cities", []) or []),
                    )
                    for j in rec.jurisdiction
                ]
            )
    return report
