"""Likely duplicate registrations, and merging two records into one while keeping the history of both.

A pair is a likely duplicate when the two records share a NIK or a passport number (blind index), share a
phone number (unless they are in the same household: families share phones), or have names that rapidfuzz
rates 90 or more with the same date of birth. `find_pairs` is pure (rows in, pairs out); the rest reads and
writes through the ORM, scoped to the officer.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from rapidfuzz import fuzz, process

from perisai.core import audit
from perisai.core.models import AuditEvent, User
from perisai.core.roles import Cap

from .models import Consent, Person, PersonStatus

NAME_THRESHOLD = 90
MAX_SHARED = 20  # a number or identifier shared by more people than this is not a duplicate signal
BLOCK_SIZE = 300  # people born the same day are compared within blocks of this size at most
DISMISS_ACTION = "person.not_duplicate"

Reason = Literal["nik", "passport", "phone", "name_birth"]
REASON_LABELS: dict[str, StrOrPromise] = {
    "nik": _("Same NIK"),
    "passport": _("Same passport number"),
    "phone": _("Same phone number"),
    "name_birth": _("Similar name, same date of birth"),
}
REASON_SCORES: dict[str, int] = {"nik": 100, "passport": 100, "phone": 70}


# ---- finding pairs (pure) -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DupRow:
    pk: int
    name_key: str
    birth_date: dt.date | None = None
    nik_index: str = ""
    passport_index: str = ""
    phone: str = ""
    household_id: int | None = None


@dataclass
class PairCandidate:
    a: int  # the smaller primary key
    b: int
    reasons: set[str] = field(default_factory=set)
    name_score: int = 0

    @property
    def score(self) -> int:
        scores = [REASON_SCORES[r] for r in self.reasons if r in REASON_SCORES]
        if "name_birth" in self.reasons:
            scores.append(self.name_score)
        return max(scores, default=0)


def find_pairs(
    rows: Sequence[DupRow],
    *,
    name_threshold: int = NAME_THRESHOLD,
    dismissed: Iterable[tuple[int, int]] = (),
) -> list[PairCandidate]:
    """Likely duplicate pairs among the rows, strongest first."""
    skip = {(min(a, b), max(a, b)) for a, b in dismissed}
    pairs: dict[tuple[int, int], PairCandidate] = {}

    def add(x: DupRow, y: DupRow, reason: str, name_score: int = 0) -> None:
        key = (min(x.pk, y.pk), max(x.pk, y.pk))
        if key in skip or x.pk == y.pk:
            return
        pair = pairs.setdefault(key, PairCandidate(*key))
        pair.reasons.add(reason)
        pair.name_score = max(pair.name_score, name_score)

    for reason, attr in (("nik", "nik_index"), ("passport", "passport_index"), ("phone", "phone")):
        groups: dict[str, list[DupRow]] = defaultdict(list)
        for row in rows:
            value = getattr(row, attr)
            if value:
                groups[value].append(row)
        for group in groups.values():
            if not 2 <= len(group) <= MAX_SHARED:
                continue
            for x, y in itertools.combinations(group, 2):
                if reason == "phone" and x.household_id is not None and x.household_id == y.household_id:
                    continue
                add(x, y, reason)

    by_birth: dict[dt.date, list[DupRow]] = defaultdict(list)
    for row in rows:
        if row.birth_date is not None and row.name_key:
            by_birth[row.birth_date].append(row)
    for group in by_birth.values():
        if len(group) < 2:
            continue
        blocks: Iterable[list[DupRow]] = [group]
        if len(group) > BLOCK_SIZE:  # placeholder dates (1 January) gather many people: block by initial
            by_initial: dict[str, list[DupRow]] = defaultdict(list)
            for row in group:
                by_initial[row.name_key[0]].append(row)
            blocks = by_initial.values()
        for block in blocks:
            if len(block) < 2:
                continue
            names = [r.name_key for r in block]
            scores = process.cdist(
                names, names, scorer=fuzz.token_sort_ratio, score_cutoff=name_threshold, workers=1
            )
            for i, j in zip(*scores.nonzero(), strict=True):
                if i < j:
                    add(block[i], block[j], "name_birth", int(scores[i, j]))
    return sorted(pairs.values(), key=lambda p: (-p.score, -len(p.reasons), p.a, p.b))


# ---- reading pairs in an officer's scope ------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicatePair:
    first: Person
    second: Person
    reasons: list[str]
    score: int

    @property
    def reason_labels(self) -> list[StrOrPromise]:
        return [REASON_LABELS[r] for r in self.reasons]


def dismissed_pairs() -> set[tuple[int, int]]:
    found = set()
    for object_id, details in AuditEvent.objects.filter(action=DISMISS_ACTION).values_list(
        "object_id", "details"
    ):
        other = (details or {}).get("other")
        if object_id.isdigit() and isinstance(other, int):
            found.add((min(int(object_id), other), max(int(object_id), other)))
    return found


def list_duplicate_pairs(*, user: User, limit: int = 100) -> list[DuplicatePair]:
    """Likely duplicates among the people the user may see (merged and erased records left out)."""
    from .selectors import list_people_visible_to

    people = list_people_visible_to(user=user).exclude(status=PersonStatus.MERGED)
    rows = [
        DupRow(pk, key, birth, nik, passport, phone, household)
        for pk, key, birth, nik, passport, phone, household in people.values_list(
            "pk", "name_key", "birth_date", "nik_index", "passport_index", "phone", "household_id"
        ).iterator(chunk_size=20_000)
    ]
    candidates = find_pairs(rows, dismissed=dismissed_pairs())[:limit]
    by_pk = people.select_related("country", "mission").in_bulk({pk for c in candidates for pk in (c.a, c.b)})
    return [
        DuplicatePair(by_pk[c.a], by_pk[c.b], sorted(c.reasons), c.score)
        for c in candidates
        if c.a in by_pk and c.b in by_pk
    ]


# ---- merging ----------------------------------------------------------------------------------------------------

# What an officer chooses between, and the model attributes each choice carries along.
MERGE_FIELDS: dict[str, tuple[str, ...]] = {
    "full_name": ("full_name", "name_key"),
    "sex": ("sex",),
    "birth_date": ("birth_date",),
    "nik": ("nik_encrypted", "nik_index"),
    "passport": ("passport_encrypted", "passport_index", "passport_expiry"),
    "phone": ("phone",),
    "whatsapp": ("whatsapp",),
    "telegram": ("telegram",),
    "email": ("email",),
    "location": ("country_id", "city_geonameid", "city_name", "lat", "lon", "h3_r4", "h3_r6", "mission_id"),
    "address": ("address",),
    "stay": ("stay_since", "stay_until"),
    "work": ("purpose", "sector"),
    "employer": ("employer",),
    "agency": ("agency",),
    "home_village": ("home_village_id", "home_province", "home_regency"),
    "emergency_contact": ("emergency_contact_name", "emergency_contact_phone"),
    "household": ("household_id", "household_role"),
    "immigration_status": ("immigration_status_encrypted",),
    "preferences": ("preferred_language", "preferred_channel"),
}  # fmt: skip
MERGE_LABELS: dict[str, StrOrPromise] = {
    "full_name": _("Name"),
    "sex": _("Sex"),
    "birth_date": _("Date of birth"),
    "nik": _("NIK"),
    "passport": _("Passport"),
    "phone": _("Phone"),
    "whatsapp": _("WhatsApp"),
    "telegram": _("Telegram"),
    "email": _("E-mail"),
    "location": _("Country and city (and so the mission)"),
    "address": _("Address abroad"),
    "stay": _("Stay"),
    "work": _("Purpose and sector"),
    "employer": _("Employer"),
    "agency": _("Placement agency"),
    "home_village": _("Home village"),
    "emergency_contact": _("Emergency contact"),
    "household": _("Household"),
    "immigration_status": _("Immigration status"),
    "preferences": _("Language and channel"),
}
Choice = Literal["survivor", "duplicate"]


class MergeError(ValueError):
    """The merge cannot be done as asked (same record, already merged, unknown field)."""


def _is_empty(person: Person, attrs: tuple[str, ...]) -> bool:
    return all(getattr(person, a) in (None, "") for a in attrs)


def default_choices(survivor: Person, duplicate: Person) -> dict[str, Choice]:
    """Keep the survivor's values, except where the survivor has nothing and the duplicate has something."""
    return {
        name: "duplicate" if _is_empty(survivor, attrs) and not _is_empty(duplicate, attrs) else "survivor"
        for name, attrs in MERGE_FIELDS.items()
    }


def _consent_moment(consent: Consent) -> dt.datetime:
    return max(consent.granted_at, consent.revoked_at or consent.granted_at)


def _move_consents(survivor: Person, duplicate: Person) -> int:
    moved = 0
    mine = {c.purpose: c for c in Consent.objects.filter(person=survivor)}
    for consent in Consent.objects.filter(person=duplicate):
        current = mine.get(consent.purpose)
        if current is None:
            consent.person = survivor
            consent.save(update_fields=["person"])
        else:
            if _consent_moment(consent) > _consent_moment(current):  # the citizen's latest word counts
                for attr in (
                    "granted",
                    "family_contact_name",
                    "family_contact_phone",
                    "granted_at",
                    "revoked_at",
                ):
                    setattr(current, attr, getattr(consent, attr))
                current.save()
            consent.delete()
        moved += 1
    return moved


def _move_links(survivor: Person, duplicate: Person) -> dict[str, int]:
    """Every other record pointing at the duplicate (members it registered, later modules' records) now
    points at the survivor, so nothing of the duplicate's history is lost."""
    moved: dict[str, int] = {}
    for relation in Person._meta.related_objects:
        if relation.related_model is Consent or relation.many_to_many:
            continue
        model: Any = relation.related_model
        name = relation.field.name
        if relation.one_to_one and model.objects.filter(**{name: survivor}).exists():
            continue
        count = model.objects.filter(**{name: duplicate}).exclude(pk=survivor.pk).update(**{name: survivor})
        if count:
            moved[model._meta.label_lower + "." + name] = count
    return moved


@transaction.atomic
def do_merge_people(
    *, survivor: Person, duplicate: Person, actor: User | None, choices: dict[str, str] | None = None
) -> Person:
    """Merge `duplicate` into `survivor`.

    `choices` maps a key of MERGE_FIELDS to "survivor" or "duplicate"; fields not chosen keep the
    survivor's value, or take the duplicate's where the survivor's is empty. Vulnerabilities are united.
    Consents, household links and every record pointing at the duplicate move to the survivor; the
    duplicate stays as a tombstone (status "merged", merged_into the survivor) so its history remains and
    shows on the survivor's page. Both records are audited (field names only). Atomic: a refused merge
    changes nothing.
    """
    from .selectors import list_people_visible_to

    choices = dict(choices or {})
    unknown = set(choices) - set(MERGE_FIELDS)
    if unknown or any(v not in ("survivor", "duplicate") for v in choices.values()):
        raise MergeError(f"unknown merge choices: {sorted(unknown) or sorted(set(choices.values()))}")
    if survivor.pk == duplicate.pk:
        raise MergeError("a record cannot be merged into itself")
    if actor is not None:
        if not actor.can(Cap.PERSON_EDIT):
            raise PermissionDenied
        visible = list_people_visible_to(user=actor).filter(pk__in=[survivor.pk, duplicate.pk]).count()
        if visible != 2:
            raise PermissionDenied
    locked = Person.objects.select_for_update().in_bulk([survivor.pk, duplicate.pk])
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    closed = (PersonStatus.MERGED, PersonStatus.ERASED)
    if survivor.status in closed or duplicate.status in closed:
        raise MergeError("a merged or erased record cannot be merged")

    chosen = {**default_choices(survivor, duplicate), **choices}
    taken = []
    for name, attrs in MERGE_FIELDS.items():
        if chosen[name] != "duplicate":
            continue
        if any(getattr(survivor, a) != getattr(duplicate, a) for a in attrs):
            for attr in attrs:
                setattr(survivor, attr, getattr(duplicate, attr))
            taken.append(name)
    if survivor.vulnerabilities | duplicate.vulnerabilities != survivor.vulnerabilities:
        survivor.vulnerabilities |= duplicate.vulnerabilities
        taken.append("vulnerabilities")
    user = None
    if survivor.user_id is None and duplicate.user_id is not None:
        user = duplicate.user
        taken.append("user")
    if survivor.registered_by_id in (None, duplicate.pk):
        inherited = duplicate.registered_by_id
        survivor.registered_by_id = inherited if inherited not in (survivor.pk, duplicate.pk) else None
    survivor.created_at = min(survivor.created_at, duplicate.created_at)
    now = timezone.now()

    duplicate.status = PersonStatus.MERGED
    duplicate.merged_into = survivor
    duplicate.user = None
    duplicate.household = None
    duplicate.updated_at = now
    duplicate.save()
    if user is not None:
        survivor.user = user
    survivor.updated_at = now
    survivor.save()
    consents = _move_consents(survivor, duplicate)
    moved = _move_links(survivor, duplicate)
    Person.objects.filter(merged_into=duplicate).exclude(pk=survivor.pk).update(merged_into=survivor)

    audit.record(
        actor=actor,
        action="person.merge",
        target=survivor,
        details={"duplicate": duplicate.pk, "fields": sorted(taken), "consents": consents, "moved": moved},
    )
    audit.record(
        actor=actor, action="person.merged_into", target=duplicate, details={"survivor": survivor.pk}
    )
    return survivor


@transaction.atomic
def do_dismiss_duplicate(*, first: Person, second: Person, actor: User) -> None:
    """An officer has checked the pair: they are two people. The pair is not proposed again."""
    from .selectors import list_people_visible_to

    if not actor.can(Cap.PERSON_EDIT):
        raise PermissionDenied
    if list_people_visible_to(user=actor).filter(pk__in=[first.pk, second.pk]).count() != 2:
        raise PermissionDenied
    if first.pk == second.pk:
        raise MergeError("a record is not a duplicate of itself")
    a, b = sorted((first.pk, second.pk))
    if not AuditEvent.objects.filter(action=DISMISS_ACTION, object_id=str(a), details__other=b).exists():
        audit.record(
            actor=actor,
            action=DISMISS_ACTION,
            object_type=Person._meta.label_lower,
            object_id=a,
            details={"other": b},
        )


def people_for_comparison(*, survivor: Person, duplicate: Person) -> list[dict[str, Any]]:
    """Rows of the side-by-side review: field, label, both values for display, default choice."""
    from perisai.core import crypto

    defaults = default_choices(survivor, duplicate)

    def show(person: Person, name: str) -> str:
        if name == "nik":
            return crypto.decrypt(person.nik_encrypted) if person.nik_encrypted else ""
        if name == "passport":
            if not person.passport_encrypted:
                return ""
            expiry = f" ({person.passport_expiry.isoformat()})" if person.passport_expiry else ""
            return crypto.decrypt(person.passport_encrypted) + expiry
        if name == "immigration_status":
            return "•••" if person.immigration_status_encrypted else ""
        if name == "location":
            parts = [person.country.name if person.country_id else "", person.city_name]
            mission = f" ({person.mission.name})" if person.mission_id and person.mission else ""
            return ", ".join(p for p in parts if p) + mission
        if name == "stay":
            return " - ".join(d.isoformat() for d in (person.stay_since, person.stay_until) if d)
        if name == "work":
            return ", ".join(str(p) for p in (person.get_purpose_display(), person.get_sector_display()) if p)
        if name == "home_village":
            return str(person.home_village) if person.home_village_id else ""
        if name == "emergency_contact":
            return " ".join(p for p in (person.emergency_contact_name, person.emergency_contact_phone) if p)
        if name == "household":
            return str(person.household) if person.household_id else ""
        if name == "preferences":
            return f"{person.preferred_language} · {person.get_preferred_channel_display()}"
        if name == "birth_date":
            return person.birth_date.isoformat() if person.birth_date else ""
        if name == "sex":
            return str(person.get_sex_display())
        return str(getattr(person, name) or "")

    rows = []
    for name in MERGE_FIELDS:
        left, right = show(survivor, name), show(duplicate, name)
        rows.append(
            {
                "name": name,
                "label": MERGE_LABELS[name],
                "survivor": left,
                "duplicate": right,
                "same": left == right,
                "default": defaults[name],
            }
        )
    return rows
