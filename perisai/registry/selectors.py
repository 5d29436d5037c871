"""Reads of the registry. Individuals are fetched only through these, which apply the viewer's scope."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from perisai.core import audit
from perisai.core.models import AuditEvent, User
from perisai.core.scopes import Scope, scope_for

from .models import Person, PersonStatus

if TYPE_CHECKING:
    from .actions import PersonInput


def person_scope_q(scope: Scope) -> Q:
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.self_user_id:
        q |= Q(user_id=scope.self_user_id)
    if scope.mission_ids:
        q |= Q(mission_id__in=scope.mission_ids)
    for code in scope.region_codes:
        level = code.count(".") + 1
        if level == 1:
            q |= Q(home_province=code)
        elif level == 2:
            q |= Q(home_regency=code)
        else:
            q |= Q(home_village__code__startswith=code + ".") | Q(home_village_id=code)
    return q


def list_people_visible_to(*, user: User) -> QuerySet[Person]:
    return Person.objects.filter(person_scope_q(scope_for(user))).exclude(status=PersonStatus.ERASED)


def access_person_by_id(*, user: User, public_id: uuid.UUID | str) -> Person:
    """The only way to open one person's record. Not found and forbidden look the same; the view is audited."""
    try:
        person = list_people_visible_to(user=user).get(public_id=public_id)
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    audit.record_view(actor=user, target=person)
    return person


def count_people_by_mission(*, user: User) -> list[dict[str, object]]:
    return list(
        list_people_visible_to(user=user)
        .filter(status=PersonStatus.ACTIVE)
        .values("mission__name", "mission__code")
        .annotate(n=Count("id"))
        .order_by("-n")
    )


# ---- the citizen's own record ----


def own_person(*, user: User) -> Person | None:
    """A migrant's own registration (the head of household's record, not a member's)."""
    if not user.is_authenticated:
        return None
    return (
        Person.objects.select_related("mission", "country", "home_village", "household")
        .filter(user=user)
        .exclude(status__in=[PersonStatus.ERASED, PersonStatus.MERGED])
        .first()
    )


PASSPORT_REMINDER_DAYS = 183


def passport_reminder_due(person: Person, *, today: dt.date | None = None) -> bool:
    if person.passport_expiry is None:
        return False
    today = today or timezone.localdate()
    return person.passport_expiry <= today + dt.timedelta(days=PASSPORT_REMINDER_DAYS)


def person_form_initial(person: Person) -> dict[str, object]:
    """The person's values for the form, identifiers decrypted (only for the person or an entitled officer)."""
    from perisai.core import crypto

    from .models import VULNERABILITY_LABELS

    consents = {c.purpose: c.granted for c in person.consents.all()}
    return {
        "full_name": person.full_name,
        "nik": crypto.decrypt(person.nik_encrypted) if person.nik_encrypted else "",
        "passport_number": crypto.decrypt(person.passport_encrypted) if person.passport_encrypted else "",
        "passport_expiry": person.passport_expiry,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "phone": person.phone,
        "whatsapp": person.whatsapp,
        "telegram": person.telegram,
        "email": person.email,
        "country": person.country_id,
        "city_name": person.city_name,
        # The city is found again from its name, so that typing a new city moves the person; a pin set by
        # "use my location" (coordinates that are not the city's own) is kept.
        **_pin(person),
        "address": person.address,
        "stay_since": person.stay_since,
        "stay_until": person.stay_until,
        "purpose": person.purpose,
        "sector": person.sector,
        "employer": person.employer,
        "agency": person.agency,
        "home_village": person.home_village_id or "",
        "emergency_contact_name": person.emergency_contact_name,
        "emergency_contact_phone": person.emergency_contact_phone,
        "vulnerabilities": [str(int(f)) for f in VULNERABILITY_LABELS if person.vulnerabilities & f],
        "preferred_language": person.preferred_language,
        "preferred_channel": person.preferred_channel,
        "immigration_status": (
            crypto.decrypt(person.immigration_status_encrypted) if person.immigration_status_encrypted else ""
        ),
        **{f"consent_{p}": consents.get(p, False) for p in ("crisis_contact", "family_status", "statistics")},
    }


# ---- officer side: history, household, editing (appended for views_officer, imports and merges) ----


HISTORY_HIDDEN_ACTIONS = ("view", "person.search")


def merged_person_ids(*, person: Person) -> list[int]:
    """The primary keys of the records merged into this one (directly or through earlier merges)."""
    found: list[int] = []
    frontier = [person.pk]
    while frontier and len(found) < 1000:
        frontier = list(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True))
        found.extend(pk for pk in frontier if pk not in found)
    return found


def list_person_history(*, person: Person, limit: int = 200) -> QuerySet[AuditEvent]:
    """Changes to the record and to every record merged into it: who, when, what (field names, never values)."""
    ids = [str(person.pk), *(str(pk) for pk in merged_person_ids(person=person))]
    return (
        AuditEvent.objects.filter(object_type=Person._meta.label_lower, object_id__in=ids)
        .exclude(action__in=HISTORY_HIDDEN_ACTIONS)
        .order_by("-at", "-pk")[:limit]
    )


def list_household_members(*, user: User, person: Person) -> QuerySet[Person]:
    """The other members of the person's household that the viewer may see."""
    if person.household_id is None:
        return Person.objects.none()
    return (
        list_people_visible_to(user=user)
        .filter(household_id=person.household_id)
        .exclude(pk=person.pk)
        .exclude(status=PersonStatus.MERGED)
        .order_by("full_name")
    )


def person_as_input(person: Person) -> PersonInput:
    """The record as a PersonInput (identifiers decrypted), to edit it or to fill in an import's gaps."""
    from perisai.core import crypto

    from .actions import PersonInput

    consents: dict[str, bool] = {}
    return PersonInput(
        full_name=person.full_name,
        country=person.country_id or "",
        nik=crypto.decrypt(person.nik_encrypted) if person.nik_encrypted else "",
        passport_number=crypto.decrypt(person.passport_encrypted) if person.passport_encrypted else "",
        passport_expiry=person.passport_expiry,
        sex=person.sex,
        birth_date=person.birth_date,
        phone=person.phone,
        whatsapp=person.whatsapp,
        telegram=person.telegram,
        email=person.email,
        city_geonameid=person.city_geonameid,
        city_name=person.city_name,
        lat=person.lat,
        lon=person.lon,
        address=person.address,
        stay_since=person.stay_since,
        stay_until=person.stay_until,
        purpose=person.purpose,
        sector=person.sector,
        employer=person.employer,
        agency=person.agency,
        home_village=person.home_village_id or "",
        emergency_contact_name=person.emergency_contact_name,
        emergency_contact_phone=person.emergency_contact_phone,
        vulnerabilities=person.vulnerabilities,
        immigration_status=(
            crypto.decrypt(person.immigration_status_encrypted) if person.immigration_status_encrypted else ""
        ),
        preferred_language=person.preferred_language,
        preferred_channel=person.preferred_channel,
        household_role=person.household_role,
        consents=consents,
    )


def _pin(person: Person) -> dict[str, object]:
    if person.lat is None or person.lon is None:
        return {}
    if person.city_geonameid:
        from perisai.places.gazetteer import get_city

        city = get_city(person.city_geonameid)
        if city is not None and abs(city.lat - person.lat) < 1e-6 and abs(city.lon - person.lon) < 1e-6:
            return {}
    return {"lat": person.lat, "lon": person.lon}


def list_own_household_members(*, person: Person) -> QuerySet[Person]:
    """The household members the person registered herself and who have no account of their own (children,
    a spouse): she edits and removes them, and they go with her erasure."""
    return (
        Person.objects.filter(registered_by=person, user=None)
        .exclude(status__in=[PersonStatus.ERASED, PersonStatus.MERGED])
        .order_by("created_at", "pk")
    )
