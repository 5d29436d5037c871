"""The issue's priority rule: unaccompanied children, sick and injured, pregnant women, elderly and people with
disabilities, then everyone else."""

from __future__ import annotations

import datetime as dt

import pytest

from perisai.crisis.evacuation.priority import (
    CHRONIC_ILLNESS,
    DISABILITY,
    ELDERLY,
    PREGNANT,
    UNACCOMPANIED_CHILD,
    Member,
    age_on,
    household_priority,
    person_priority,
    priorities,
)

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("vulnerabilities", "health", "age", "expected"),
    [
        (UNACCOMPANIED_CHILD | PREGNANT, "", 15, 4),
        (CHRONIC_ILLNESS, "", 40, 3),
        (0, "sick", 40, 3),
        (PREGNANT | ELDERLY, "", 30, 2),
        (ELDERLY, "", None, 1),
        (DISABILITY, "", 30, 1),
        (0, "assistance", 30, 1),
        (0, "", 60, 1),
        (0, "", 59, 0),
        (0, "fit", None, 0),
    ],
)
def test_person_priority_follows_the_order_of_the_issue(
    vulnerabilities: int, health: str, age: int | None, expected: int
) -> None:
    assert person_priority(vulnerabilities=vulnerabilities, health=health, age=age) == expected


def test_a_minor_without_an_adult_in_the_household_is_unaccompanied() -> None:
    members = [
        Member(1, "h1", 0, "", dt.date(2012, 5, 1)),  # 14, alone
        Member(2, "h2", 0, "", dt.date(2012, 5, 1)),  # 14, with a parent
        Member(3, "h2", 0, "", dt.date(1980, 5, 1)),
        Member(
            4, "h3", 0, "", dt.date(2012, 5, 1)
        ),  # with someone of unknown age: given the benefit of the doubt
        Member(5, "h3", 0, "", None),
    ]
    assert priorities(members, today=TODAY) == {1: 4, 2: 0, 3: 0, 4: 0, 5: 0}
    assert household_priority([0, 2, 1]) == 2 and household_priority([]) == 0


def test_age_counts_the_birthday() -> None:
    assert age_on(dt.date(2008, 11, 23), TODAY) == 17
    assert age_on(dt.date(2008, 11, 22), TODAY) == 18
    assert age_on(None, TODAY) is None
