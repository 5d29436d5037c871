"""Who gets the earliest seats: the issue's rule as a pure function (no Django).

4 unaccompanied children, 3 sick or injured, 2 pregnant women, 1 elderly people and people with
disabilities (or who need assistance), 0 everyone else. A household's priority is its highest member's;
the optimizer applies that itself (``perisai.crisis.planning``).

The registry's vulnerability bits (``perisai.registry.models.Vulnerability``) are repeated here as plain
integers so that this module imports nothing from Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PREGNANT = 1
DISABILITY = 2
CHRONIC_ILLNESS = 4
ELDERLY = 8
UNACCOMPANIED_CHILD = 16

ELDERLY_AGE = 60
ADULT_AGE = 18

# Health screening results (perisai.crisis.evacuation.models.Health values).
SICK = "sick"
ASSISTANCE = "assistance"
UNFIT = "unfit"


def age_on(birth_date: dt.date | None, today: dt.date) -> int | None:
    if birth_date is None:
        return None
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return max(0, years)


def person_priority(
    *, vulnerabilities: int, health: str = "", age: int | None = None, unaccompanied_minor: bool = False
) -> int:
    """The priority tier of one person, 0..4 (4 most vulnerable)."""
    if vulnerabilities & UNACCOMPANIED_CHILD or unaccompanied_minor:
        return 4
    if vulnerabilities & CHRONIC_ILLNESS or health in (SICK, UNFIT):
        return 3
    if vulnerabilities & PREGNANT:
        return 2
    if (
        vulnerabilities & (ELDERLY | DISABILITY)
        or health == ASSISTANCE
        or (age is not None and age >= ELDERLY_AGE)
    ):
        return 1
    return 0


@dataclass(frozen=True, slots=True)
class Member:
    key: int  # any id of the caller
    household: str
    vulnerabilities: int
    health: str
    birth_date: dt.date | None


def priorities(members: Sequence[Member], *, today: dt.date) -> dict[int, int]:
    """Priority of each member; a minor is *unaccompanied* when nobody in their household is an adult
    (or of unknown age, given the benefit of the doubt that they are the guardian)."""
    ages = {m.key: age_on(m.birth_date, today) for m in members}
    has_adult: dict[str, bool] = {}
    for m in members:
        age = ages[m.key]
        if age is None or age >= ADULT_AGE:
            has_adult[m.household] = True
        else:
            has_adult.setdefault(m.household, False)
    out = {}
    for m in members:
        age = ages[m.key]
        minor_alone = age is not None and age < ADULT_AGE and not has_adult[m.household]
        out[m.key] = person_priority(
            vulnerabilities=m.vulnerabilities, health=m.health, age=age, unaccompanied_minor=minor_alone
        )
    return out


def household_priority(values: Iterable[int]) -> int:
    return max(values, default=0)
