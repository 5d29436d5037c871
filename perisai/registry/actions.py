"""Writes of the registry: register, update, mark status, consent, erase. Keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from django.db import transaction
from django.utils import timezone

from perisai.core import audit, crypto
from perisai.core.models import User
from perisai.places import geo
from perisai.places.selectors import nearest_mission

from .models import Consent, Household, Person, PersonStatus
from .names import name_key
from .validation import FieldError, ReferenceLookups, check_nik, check_passport, check_phone

MAX_TEXT = 2000


class RegistryInputError(ValueError):
    """Every problem of one input at once: field -> list of translated messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class PersonInput:
    full_name: str
    country: str
    nik: str = ""
    passport_number: str = ""
    passport_expiry: dt.date | None = None
    sex: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    whatsapp: str = ""
    telegram: str = ""
    email: str = ""
    city_geonameid: int | None = None
    city_name: str = ""
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    stay_since: dt.date | None = None
    stay_until: dt.date | None = None
    purpose: str = "work"
    sector: str = ""
    employer: str = ""
    agency: str = ""
    home_village: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    vulnerabilities: int = 0
    immigration_status: str = ""
    preferred_language: str = "id"
    preferred_channel: str = "whatsapp"
    household_role: str = ""
    consents: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckedPerson:
    values: dict[str, Any]
    nik: str
    passport: str
    immigration_status: str
    consents: dict[str, bool]


def check_person_input(
    data: PersonInput,
    *,
    today: dt.date | None = None,
    require_identity: bool = True,
    reference: ReferenceLookups | None = None,
) -> CheckedPerson:
    """Validate everything at once and return clean values, or raise RegistryInputError listing each problem.

    `reference`: the reference lookups (countries, regencies, villages) shared by the rows of one import, so
    that each is asked of the database once per import; by default they are looked up for this call alone.
    The checks and their messages are the same either way."""
    from django.utils.translation import gettext as _

    reference = reference or ReferenceLookups()
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for f in fields(data):
        value = getattr(data, f.name)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            fail(
                f.name,
                _("This is too long (%(n)d characters; at most %(max)d).")
                % {"n": len(value), "max": MAX_TEXT},
            )
    if errors:
        raise RegistryInputError(errors)
    name = " ".join(data.full_name.split())
    if not name:
        fail("full_name", _("Enter your name as in your passport or ID card. One name is fine."))
    country = (data.country or "").upper()
    if not reference.country_exists(country):
        fail("country", _("Choose the country where you are staying."))
    if country == "ID":
        fail("country", _("Lapor diri is for citizens staying abroad: choose the country where you are now."))
    nik = ""
    sex, birth = data.sex, data.birth_date
    if data.nik.strip():
        try:
            facts = check_nik(data.nik, reference=reference)
            nik = facts.nik
            sex = sex or facts.sex
            birth = birth or facts.birth_date
        except FieldError as exc:
            fail(exc.field, exc.message)
    passport = ""
    if data.passport_number.strip() or data.passport_expiry:
        try:
            passport = check_passport(data.passport_number, data.passport_expiry, today=today)
        except FieldError as exc:
            fail(exc.field, exc.message)
    if require_identity and not data.nik.strip() and not data.passport_number.strip():
        fail("nik", _("Enter your NIK or your passport number (or both)."))
    phones: dict[str, str] = {}
    for key in ("phone", "whatsapp", "emergency_contact_phone"):
        try:
            phones[key] = check_phone(
                getattr(data, key), field=key, country=None if key == "emergency_contact_phone" else country
            )
        except FieldError as exc:
            fail(exc.field, exc.message)
    if require_identity and not (data.phone or data.whatsapp or data.email or data.telegram):
        fail("phone", _("Give at least one way to reach you: phone, WhatsApp, Telegram or e-mail."))
    village = None
    if data.home_village:
        village = reference.village(data.home_village.strip())
        if village is None:
            fail("home_village", _("This village code does not exist. Search your village by name."))
    for name_, lo, hi in (("lat", -90, 90), ("lon", -180, 180)):
        value = getattr(data, name_)
        if value is not None and not lo <= value <= hi:
            fail("location", _("The location on the map is not valid."))
    if data.stay_since and data.stay_until and data.stay_until < data.stay_since:
        fail("stay_until", _("The end of your stay is before its start."))
    if errors:
        raise RegistryInputError(errors)
    lat, lon = data.lat, data.lon
    city_name = data.city_name.strip()
    city_id = data.city_geonameid
    if not city_id and city_name:
        from perisai.places.gazetteer import search_cities

        found = search_cities(city_name, country=country, limit=1)
        if found and found[0].kind in ("exact", "variant", "similar", "prefix"):
            city_id = found[0].geonameid
    if (lat is None or lon is None) and city_id:
        from perisai.places.gazetteer import get_city

        city = get_city(city_id)
        if city is not None:
            lat, lon, city_name = city.lat, city.lon, city.name  # the gazetteer's spelling
    values: dict[str, Any] = {
        "full_name": name,
        "name_key": name_key(name),
        "sex": sex or "",
        "birth_date": birth,
        "passport_expiry": data.passport_expiry if passport else None,
        "phone": phones.get("phone", ""),
        "whatsapp": phones.get("whatsapp", ""),
        "telegram": data.telegram.strip(),
        "email": data.email.strip().lower(),
        "country_id": country,
        "city_geonameid": city_id,
        "city_name": city_name,
        "lat": lat,
        "lon": lon,
        "address": data.address.strip(),
        "stay_since": data.stay_since,
        "stay_until": data.stay_until,
        "purpose": data.purpose,
        "sector": data.sector if data.purpose == "work" else "",
        "employer": data.employer.strip(),
        "agency": data.agency.strip(),
        "home_village": village,
        "home_province": village.code[:2] if village else "",
        "home_regency": village.code[:5] if village else "",
        "emergency_contact_name": data.emergency_contact_name.strip(),
        "emergency_contact_phone": phones.get("emergency_contact_phone", ""),
        "vulnerabilities": data.vulnerabilities,
        "preferred_language": data.preferred_language,
        "preferred_channel": data.preferred_channel,
        "household_role": data.household_role,
    }
    return CheckedPerson(
        values=values,
        nik=nik,
        passport=passport,
        immigration_status=data.immigration_status.strip(),
        consents=data.consents,
    )


def _apply(person: Person, checked: CheckedPerson) -> list[str]:
    """Set values on the person; return the names of the fields that changed (never their values)."""
    changed = []
    for key, value in checked.values.items():
        if getattr(person, key) != value:
            setattr(person, key, value)
            changed.append(key)
    for kind, plain, enc_attr, idx_attr in (
        ("nik", checked.nik, "nik_encrypted", "nik_index"),
        ("passport", checked.passport, "passport_encrypted", "passport_index"),
    ):
        index = crypto.blind_index(kind, plain) if plain else ""
        if index != getattr(person, idx_attr):
            setattr(person, idx_attr, index)
            setattr(person, enc_attr, crypto.encrypt(plain) if plain else "")
            changed.append(kind)
    current_status = (
        crypto.decrypt(person.immigration_status_encrypted) if person.immigration_status_encrypted else ""
    )
    if checked.immigration_status != current_status:
        person.immigration_status_encrypted = crypto.encrypt(checked.immigration_status)
        changed.append("immigration_status")
    if {"lat", "lon"} & set(changed) or (person.pk is None and person.lat is not None):
        locate(person)
    return changed


def locate(person: Person) -> None:
    """Index the person for area queries and give them the mission responsible for where they are."""
    if person.lat is None or person.lon is None:
        person.h3_r4 = person.h3_r6 = None
        return
    person.h3_r4 = geo.cell_int(person.lat, person.lon, 4)
    person.h3_r6 = geo.cell_int(person.lat, person.lon, 6)
    mission = nearest_mission(person.lat, person.lon)
    person.mission = mission


def _set_consents(person: Person, consents: dict[str, bool], *, actor: User | None) -> list[str]:
    changed = []
    now = timezone.now()
    for purpose, granted in consents.items():
        if purpose not in Consent.Purpose.values:
            continue
        consent, created = Consent.objects.get_or_create(
            person=person,
            purpose=purpose,
            defaults={"granted": granted, "revoked_at": None if granted else now},
        )
        if created:
            changed.append(purpose)
        elif consent.granted != granted:
            consent.granted = granted
            consent.revoked_at = None if granted else now
            if granted:
                consent.granted_at = now
            consent.save(update_fields=["granted", "revoked_at", "granted_at"])
            changed.append(purpose)
    if changed:
        audit.record(actor=actor, action="consent.change", target=person, details={"purposes": changed})
    return changed


@transaction.atomic
def do_register_person(
    *,
    data: PersonInput,
    actor: User | None,
    source: str = Person.Source.SELF,
    user: User | None = None,
    household: Household | None = None,
    registered_by: Person | None = None,
    require_identity: bool = True,
) -> Person:
    """Register one person. `require_identity=False` is for household members registered by another
    person (a child has no passport or phone of their own)."""
    checked = check_person_input(data, require_identity=require_identity)
    person = Person(source=source, user=user, household=household, registered_by=registered_by)
    _apply(person, checked)
    if person.mission_id is None:
        from perisai.places.selectors import mission_for_country

        person.mission = mission_for_country(person.country_id)
    person.save()
    audit.record(actor=actor, action="person.create", target=person, details={"source": source})
    _set_consents(person, checked.consents, actor=actor)
    return person


@transaction.atomic
def do_update_person(
    *, person: Person, data: PersonInput, actor: User | None, reference: ReferenceLookups | None = None
) -> list[str]:
    checked = check_person_input(data, reference=reference)
    changed = _apply(person, checked)
    if "country_id" in changed and not ({"lat", "lon"} & set(changed)):
        person.lat = person.lon = None
        locate(person)
    if "country_id" in changed and person.lat is None:
        from perisai.places.selectors import mission_for_country

        person.mission = mission_for_country(person.country_id)
    if changed:
        person.updated_at = timezone.now()
        person.save()
        audit.record(actor=actor, action="person.edit", target=person, details={"fields": sorted(changed)})
    changed += _set_consents(person, checked.consents, actor=actor)
    return changed


@transaction.atomic
def do_set_consent(
    *,
    person: Person,
    purpose: str,
    granted: bool,
    actor: User | None,
    family_contact_name: str = "",
    family_contact_phone: str = "",
) -> Consent:
    _set_consents(person, {purpose: granted}, actor=actor)
    consent = Consent.objects.get(person=person, purpose=purpose)
    if purpose == Consent.Purpose.FAMILY_STATUS and (family_contact_name or family_contact_phone):
        consent.family_contact_name = family_contact_name.strip()
        consent.family_contact_phone = check_phone(family_contact_phone, field="family_contact_phone")
        consent.save(update_fields=["family_contact_name", "family_contact_phone"])
    return consent


@transaction.atomic
def do_set_status(*, person: Person, status: str, actor: User | None) -> Person:
    if status not in (PersonStatus.ACTIVE, PersonStatus.RETURNED, PersonStatus.MOVED, PersonStatus.DECEASED):
        raise ValueError(f"status {status} cannot be set directly")
    if person.status != status:
        previous = person.status
        person.status = status
        person.updated_at = timezone.now()
        person.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor, action="person.status", target=person, details={"from": previous, "to": status}
        )
    return person


ERASED_NAME = "—"


def do_erase_person(*, person: Person, actor: User | None) -> Person:
    """Erasure (UU 27/2022): her record becomes a tombstone (id, country, mission, dates, status) and her
    personal data goes from every other table too, her platform inbox included (registry.erasure)."""
    from .erasure import erase_person

    return erase_person(person=person, actor=actor).person
