"""Duplicates: detection (pure and scoped), the side-by-side review, merging with the history of both, and
refused merges that change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from perisai.core import crypto
from perisai.core.models import AuditEvent, User
from perisai.registry.actions import do_set_consent
from perisai.registry.duplicates import (
    DupRow,
    MergeError,
    do_merge_people,
    find_pairs,
    list_duplicate_pairs,
)
from perisai.registry.models import Consent, Household, Person, PersonStatus
from perisai.registry.search import reset_name_index, search_people
from perisai.registry.tests.officer_factories import World, make_world, register

NIK = "3507014101900001"
BORN = dt.date(1990, 1, 1)


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    reset_name_index()
    yield
    reset_name_index()


@pytest.fixture
def world(reference: None, make_user: Callable[..., User]) -> World:
    return make_world(make_user)


# ---- pure detection -------------------------------------------------------------------------------------------


def test_find_pairs_by_identifier_phone_and_similar_name_with_birth_date() -> None:
    rows = [
        DupRow(1, "siti aminah", BORN, nik_index="n1"),
        DupRow(2, "siti amina", BORN, nik_index="n1"),  # same NIK and similar name: strongest
        DupRow(3, "budi santusu", dt.date(1985, 1, 10), passport_index="p1"),
        DupRow(4, "budi santusu", dt.date(1985, 1, 10), passport_index="p1"),
        DupRow(5, "dewi lestari", dt.date(1992, 2, 15), phone="+60123"),
        DupRow(6, "rina wati", dt.date(1995, 3, 3), phone="+60123"),  # shared phone only
        DupRow(7, "muhamad yusuf", dt.date(1980, 5, 5)),
        DupRow(8, "muhamad yusup", dt.date(1980, 5, 5)),  # similar name, same birth date
        DupRow(9, "muhamad yusuf", dt.date(1981, 5, 5)),  # similar name, another birth date: not a pair
        DupRow(10, "ani", None, phone="+60999", household_id=1),
        DupRow(11, "budi", None, phone="+60999", household_id=1),  # a family's shared phone: not a pair
    ]
    pairs = {(p.a, p.b): p for p in find_pairs(rows)}
    assert set(pairs) == {(1, 2), (3, 4), (5, 6), (7, 8)}
    assert pairs[(1, 2)].reasons == {"nik", "name_birth"}
    assert pairs[(3, 4)].reasons == {"passport", "name_birth"}
    assert pairs[(5, 6)].reasons == {"phone"} and pairs[(5, 6)].score == 70
    assert pairs[(7, 8)].reasons == {"name_birth"} and pairs[(7, 8)].score >= 90
    assert [(p.a, p.b) for p in find_pairs(rows)][-1] == (5, 6)  # weakest last
    assert (7, 8) not in {(p.a, p.b) for p in find_pairs(rows, dismissed=[(8, 7)])}


def test_placeholder_birth_dates_are_blocked_not_compared_all_against_all() -> None:
    rows = [DupRow(i, f"{chr(97 + i % 26)}name{i}", dt.date(1990, 1, 1)) for i in range(1, 2000)]
    rows.append(DupRow(5000, "siti aminah", dt.date(1990, 1, 1)))
    rows.append(DupRow(5001, "siti aminah", dt.date(1990, 1, 1)))
    assert (5000, 5001) in {(p.a, p.b) for p in find_pairs(rows)}


# ---- in the registry --------------------------------------------------------------------------------------------


@pytest.fixture
def pair(world: World) -> tuple[Person, Person]:
    first = register("Siti Aminah", nik=NIK, phone="+60123456789", employer="Keluarga Tan")
    second = register(
        "Sitti Aminah",
        passport_number="C7654321",
        passport_expiry=timezone.localdate() + dt.timedelta(days=900),
        birth_date=BORN,
        whatsapp="+60123456700",
        email="siti@example.org",
        address="Jalan Ampang 5",
    )
    do_set_consent(person=first, purpose=Consent.Purpose.CRISIS_CONTACT, granted=False, actor=None)
    do_set_consent(person=second, purpose=Consent.Purpose.STATISTICS, granted=True, actor=None)
    do_set_consent(person=second, purpose=Consent.Purpose.CRISIS_CONTACT, granted=True, actor=None)  # later
    return first, second


def test_duplicates_page_lists_pairs_in_scope_only(world: World, pair: tuple[Person, Person]) -> None:
    register("Agus Salim", country="SA", phone="+966501234567", city_name="Jeddah")
    page = world.client(world.officer).get(reverse("registry:duplicate_list"), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "Siti Aminah" in body and "Sitti Aminah" in body and "Similar name, same date of birth" in body
    other = world.client(world.other_officer).get(reverse("registry:duplicate_list")).content.decode()
    assert "Siti Aminah" not in other
    assert world.client(world.supervisor).get(reverse("registry:duplicate_list")).status_code == 403


def test_merge_through_the_review_page_keeps_both_histories(
    world: World, pair: tuple[Person, Person]
) -> None:
    first, second = pair
    client = world.client(world.officer)
    url = reverse(
        "registry:person_merge", kwargs={"public_id": first.public_id, "other_id": second.public_id}
    )
    review = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Siti Aminah" in review and "Sitti Aminah" in review and NIK in review and "C7654321" in review
    response = client.post(
        url, {"action": "merge", "choice-full_name": "duplicate", "choice-phone": "survivor"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.full_name == "Sitti Aminah"  # chosen from the duplicate
    assert first.phone == "+60123456789"  # kept
    assert crypto.decrypt(first.nik_encrypted) == NIK
    assert crypto.decrypt(first.passport_encrypted) == "C7654321"  # empty on the survivor: filled
    assert (first.email, first.address, first.birth_date) == ("siti@example.org", "Jalan Ampang 5", BORN)
    assert first.employer == "Keluarga Tan"
    assert second.status == PersonStatus.MERGED and second.merged_into == first
    consents = {c.purpose: c.granted for c in Consent.objects.filter(person=first)}
    assert consents == {"statistics": True, "crisis_contact": True}  # the later word on crisis contact wins
    assert not Consent.objects.filter(person=second).exists()
    merge = AuditEvent.objects.get(action="person.merge")
    assert merge.object_id == str(first.pk) and merge.details["duplicate"] == second.pk
    assert "full_name" in merge.details["fields"] and "Sitti" not in str(merge.details)
    assert AuditEvent.objects.get(action="person.merged_into").object_id == str(second.pk)
    page = client.get(
        reverse("registry:person_detail", kwargs={"public_id": first.public_id}), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    history = page[page.index('id="history-heading"') :]
    assert "person.merge" in history and "(merged record)" in history  # the duplicate's own events
    assert history.count("person.create") == 2
    # The closed record is gone from search and from the duplicates list.
    hits = [h.person.pk for h in search_people(user=world.officer, text="aminah").hits]
    assert hits == [first.pk]
    assert list_duplicate_pairs(user=world.officer) == []


def test_household_and_registered_members_move_to_the_survivor(
    world: World, pair: tuple[Person, Person]
) -> None:
    first, second = pair
    household = Household.objects.create(label="Aminah")
    child = register("Nur Aisyah", email="a@example.org")
    Person.objects.filter(pk__in=[second.pk, child.pk]).update(household=household)
    Person.objects.filter(pk=child.pk).update(registered_by=second)
    first.refresh_from_db()
    second.refresh_from_db()
    do_merge_people(survivor=first, duplicate=second, actor=world.officer)
    first.refresh_from_db()
    child.refresh_from_db()
    assert first.household == household and child.registered_by == first
    assert list(household.members.exclude(status=PersonStatus.MERGED)) == sorted(
        [first, child], key=lambda p: p.pk
    )


def test_denied_merges_change_nothing(world: World, pair: tuple[Person, Person]) -> None:
    first, second = pair
    url = reverse(
        "registry:person_merge", kwargs={"public_id": first.public_id, "other_id": second.public_id}
    )
    before = (
        AuditEvent.objects.count(),
        list(Person.objects.values_list("pk", "status", "full_name", "updated_at")),
    )

    def unchanged() -> bool:
        now = list(Person.objects.values_list("pk", "status", "full_name", "updated_at"))
        return (AuditEvent.objects.count(), now) == before

    assert world.client(world.supervisor).post(url, {"action": "merge"}).status_code == 403
    assert unchanged()
    assert world.client(world.analyst).post(url, {"action": "merge"}).status_code == 403
    assert unchanged()
    assert world.client(world.other_officer).post(url, {"action": "merge"}).status_code == 404
    assert unchanged()
    with pytest.raises(PermissionDenied):
        do_merge_people(survivor=first, duplicate=second, actor=world.other_officer)
    with pytest.raises(PermissionDenied):
        do_merge_people(survivor=first, duplicate=second, actor=world.supervisor)
    with pytest.raises(MergeError):
        do_merge_people(survivor=first, duplicate=first, actor=world.officer)
    with pytest.raises(MergeError):
        do_merge_people(survivor=first, duplicate=second, actor=world.officer, choices={"nik": "both"})
    assert unchanged()


def test_a_merge_failing_half_way_is_rolled_back(
    world: World, pair: tuple[Person, Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = pair
    from perisai.registry import duplicates

    def boom(survivor: Person, duplicate: Person) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(duplicates, "_move_links", boom)
    with pytest.raises(RuntimeError):
        do_merge_people(survivor=first, duplicate=second, actor=world.officer)
    second.refresh_from_db()
    assert second.status == PersonStatus.ACTIVE
    assert Consent.objects.filter(person=second).count() == 2
    assert not AuditEvent.objects.filter(action__startswith="person.merge").exists()


def test_dismissed_pair_is_not_proposed_again(world: World, pair: tuple[Person, Person]) -> None:
    first, second = pair
    assert len(list_duplicate_pairs(user=world.officer)) == 1
    url = reverse(
        "registry:person_merge", kwargs={"public_id": first.public_id, "other_id": second.public_id}
    )
    assert world.client(world.officer).post(url, {"action": "dismiss"}).status_code == 302
    assert list_duplicate_pairs(user=world.officer) == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (PersonStatus.ACTIVE, PersonStatus.ACTIVE)
