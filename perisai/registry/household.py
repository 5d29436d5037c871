"""Household members a citizen registers herself: a child, a spouse without an account of her own.

They are added at lapor diri or later from her update page, edited and removed by her, and checked as at
registration (`check_person_input` without an identity of their own). They live with her: their country,
city, address, home village and contact follow hers. Removing one erases the member's record (a tombstone
remains), as her own erasure does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perisai.core import audit
from perisai.core.models import User

from .actions import PersonInput, RegistryInputError, _apply, check_person_input, do_register_person
from .erasure import erase_person
from .models import Consent, Household, Person
from .selectors import list_own_household_members

RELATION_CODES = ("spouse", "child", "other")


@dataclass(frozen=True)
class MemberRow:
    """One row of the household form. With `public_id`, an existing member (edited, or removed); without,
    a new one (a row without a name is an empty row and is skipped)."""

    name: str
    relation: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    public_id: uuid.UUID | None = None
    remove: bool = False


class HouseholdInputError(ValueError):
    """Every problem of every row at once: row index -> field of PersonInput -> translated messages."""

    def __init__(self, errors: dict[int, dict[str, list[str]]]) -> None:
        super().__init__("; ".join(f"row {i}: {e}" for i, e in errors.items()))
        self.errors = errors


@dataclass
class HouseholdChanges:
    added: list[Person]
    edited: int = 0
    removed: int = 0

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "edited": self.edited, "removed": self.removed}


def member_input(head: Person, row: MemberRow, *, consents: dict[str, bool] | None = None) -> PersonInput:
    """A member as the checks see it: her own name, relation, birth date and sex; the rest is the head's."""
    return PersonInput(
        full_name=row.name,
        country=head.country_id or "",
        sex=row.sex or "",
        birth_date=row.birth_date,
        phone=head.phone,
        whatsapp=head.whatsapp,
        email=head.email,
        city_geonameid=head.city_geonameid,
        city_name=head.city_name,
        lat=head.lat,
        lon=head.lon,
        address=head.address,
        purpose="family",
        home_village=head.home_village_id or "",
        household_role=row.relation if row.relation in RELATION_CODES else "other",
        preferred_language=head.preferred_language,
        preferred_channel=head.preferred_channel,
        consents=consents or {},
    )


@transaction.atomic
def do_save_household_members(
    *, head: Person, rows: Sequence[MemberRow], actor: User | None
) -> HouseholdChanges:
    """Add, edit and remove the members the head registered. All rows are checked first: one bad row saves
    nothing and raises HouseholdInputError with the problems of every row. Audited: each member's own
    create, edit or erasure event, and one `household.change` event on the head with counts."""
    own = {m.public_id: m for m in list_own_household_members(person=head)}
    head_consents = {c.purpose: c.granted for c in Consent.objects.filter(person=head)}
    errors: dict[int, dict[str, list[str]]] = {}
    to_add: list[PersonInput] = []
    to_edit: list[tuple[Person, PersonInput]] = []
    to_remove: list[Person] = []
    for index, row in enumerate(rows):
        if row.public_id is not None:
            member = own.get(row.public_id)
            if member is None:
                errors[index] = {"full_name": [_("This family member is not on your registration.")]}
                continue
            if row.remove:
                to_remove.append(member)
                continue
            data = member_input(head, row)
            to_edit.append((member, data))
        elif row.remove or not row.name.strip():
            continue  # an empty row of the form
        else:
            data = member_input(head, row, consents=head_consents)
            to_add.append(data)
        problems = _problems(data)
        if problems:
            errors[index] = problems
    if errors:
        raise HouseholdInputError(errors)

    changes = HouseholdChanges(added=[])
    for member in to_remove:
        erase_person(person=member, actor=actor)
        changes.removed += 1
    for member, data in to_edit:
        if _update_member(member, data, actor=actor):
            changes.edited += 1
    if to_add and head.household_id is None:
        head.household = Household.objects.create()
        head.save(update_fields=["household"])
    for data in to_add:
        changes.added.append(
            do_register_person(
                data=data,
                actor=actor,
                household=head.household,
                registered_by=head,
                require_identity=False,
            )
        )
    if any(changes.counts().values()):
        audit.record(actor=actor, action="household.change", target=head, details=changes.counts())
    return changes


def _problems(data: PersonInput) -> dict[str, list[str]]:
    try:
        check_person_input(data, require_identity=False)
    except RegistryInputError as error:
        return error.errors
    return {}


def _update_member(member: Person, data: PersonInput, *, actor: User | None) -> bool:
    checked = check_person_input(data, require_identity=False)
    changed = _apply(member, checked)
    if not changed:
        return False
    if member.lat is None and ("country_id" in changed or member.mission_id is None):
        from perisai.places.selectors import mission_for_country

        member.mission = mission_for_country(member.country_id)
    member.updated_at = timezone.now()
    member.save()
    audit.record(actor=actor, action="person.edit", target=member, details={"fields": sorted(changed)})
    return True
