"""Search: misspelt names, NIK / passport / phone exact matches, scope, audit, and the index staying fresh."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.urls import reverse

from perisai.core.models import AuditEvent, User
from perisai.registry.actions import do_erase_person, do_update_person
from perisai.registry.models import Person
from perisai.registry.names import name_key
from perisai.registry.search import (
    IndexRow,
    NameIndex,
    ScopeFilter,
    classify_query,
    rank_names,
    reset_name_index,
    search_people,
)
from perisai.registry.selectors import person_as_input
from perisai.registry.tests.officer_factories import World, make_world, register

NIK = "3507014101900001"  # Kabupaten Malang, a woman born 1 January 1990


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    reset_name_index()
    yield
    reset_name_index()


@pytest.fixture
def world(reference: None, make_user: Callable[..., User]) -> World:
    return make_world(make_user)


# ---- the pure index ---------------------------------------------------------------------------------------

NAMES = [
    "Siti Aminah",
    "Siti Aminah binti Ali",
    "Siti Rahmah",
    "Muhammad Yusuf",
    "Sri Wahyuni",
    "Dewi Lestari",
    "Nurhaliza Putri",
]


def _index() -> NameIndex:
    return NameIndex(IndexRow(i + 1, name_key(n), 1 + i % 2, 35) for i, n in enumerate(NAMES))


def _ranked(index: NameIndex, query: str, scope: ScopeFilter | None = None) -> list[str]:
    candidates = index.search(query, scope=scope or ScopeFilter())
    ranked = rank_names(query, [(pk, name_key(NAMES[pk - 1]), cov) for pk, cov in candidates])
    return [NAMES[pk - 1] for pk, _score in ranked]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sitti Amina", "Siti Aminah"),  # doubled letter, silent h
        ("Mochamad Joesoef", "Muhammad Yusuf"),  # old spelling and Arabic transliteration
        ("Muhamad Yusup", "Muhammad Yusuf"),
        ("dewi lestary", "Dewi Lestari"),  # a typo
        ("nurhal", "Nurhaliza Putri"),  # typed half-way
        ("Wahyuni Sri", "Sri Wahyuni"),  # parts in another order
    ],
)
def test_misspelt_names_find_the_person_first(query: str, expected: str) -> None:
    assert _ranked(_index(), query)[0] == expected


def test_ranking_prefers_the_closest_whole_name() -> None:
    assert _ranked(_index(), "siti aminah")[:3] == ["Siti Aminah", "Siti Aminah binti Ali", "Siti Rahmah"]
    assert "Dewi Lestari" not in _ranked(_index(), "siti aminah")


def test_index_scope_filter_and_incremental_changes() -> None:
    index = _index()
    only_mission_2 = ScopeFilter(mission_ids=frozenset({2}))
    assert _ranked(index, "siti", only_mission_2) == ["Siti Aminah binti Ali"]
    index.upsert(IndexRow(1, name_key("Siti Nurbaya"), 2, 35))  # renamed and moved to mission 2
    index.remove(3)
    found = [pk for pk, _ in index.search("siti", scope=only_mission_2)]
    assert sorted(found) == [1, 2]
    assert 3 not in [pk for pk, _ in index.search("rahmah")]
    assert len(index) == len(NAMES) - 1


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("3507 0141 0190 0001", "nik", NIK),
        ("c 1234567", "passport", "C1234567"),
        ("+60 12-345 6789", "phone", "+60 12-345 6789"),
        ("012 345 6789", "phone", "012 345 6789"),
        ("Siti", "name", "Siti"),
        ("   ", "empty", ""),
    ],
)
def test_queries_are_classified(text: str, kind: str, value: str) -> None:
    parsed = classify_query(text)
    assert (parsed.kind, parsed.text) == (kind, value)


# ---- through HTTP -------------------------------------------------------------------------------------------


def _search(world: World, user: User, q: str) -> str:
    """The results part of the search page (the htmx partial: the query itself is not echoed)."""
    response = world.client(user).get(
        reverse("registry:officer_search"), {"q": q}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    return response.content.decode()


def test_officer_finds_a_misspelt_name_nik_passport_and_phone(world: World) -> None:
    register("Siti Aminah", nik=NIK, phone="+60123456789")
    register("Budi Santoso", phone="+60123456780")
    assert "Siti Aminah" in _search(world, world.officer, "Sitti Amina")
    assert "Siti Aminah" in _search(world, world.officer, "3507-0141-0190-0001")
    assert "Budi Santoso" not in _search(world, world.officer, NIK)
    assert "Siti Aminah" in _search(world, world.officer, "+60 12 345 6789")
    assert "Siti Aminah" in _search(world, world.officer, "012-345 6789")  # read as a Malaysian number
    assert "Budi Santoso" not in _search(world, world.officer, "012-345 6789")


def test_passport_search(world: World) -> None:
    from perisai.registry.tests.officer_factories import FUTURE

    register("Rina Wati", passport_number="B7654321", passport_expiry=FUTURE)
    assert "Rina Wati" in _search(world, world.officer, "b7654321")
    assert "Rina Wati" not in _search(world, world.officer, "B7654320")


def test_officer_of_another_mission_finds_nothing(world: World) -> None:
    register("Siti Aminah", nik=NIK, phone="+60123456789")
    page = _search(world, world.other_officer, "Siti Aminah")
    assert "Siti Aminah" not in page and "No one found in your jurisdiction." in page
    assert "Siti Aminah" not in _search(world, world.other_officer, NIK)
    assert search_people(user=world.other_officer, text="+60123456789").hits == []
    assert [h.person.full_name for h in search_people(user=world.admin, text="siti").hits] == ["Siti Aminah"]


def test_analyst_may_not_search_and_nothing_is_logged(world: World) -> None:
    register("Siti Aminah", nik=NIK, phone="+60123456789")
    before = AuditEvent.objects.count()
    response = world.client(world.analyst).get(reverse("registry:officer_search"), {"q": "Siti"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


def test_search_is_audited_without_the_text_searched(world: World) -> None:
    register("Siti Aminah", nik=NIK, phone="+60123456789")
    _search(world, world.officer, NIK)
    event = AuditEvent.objects.filter(action="person.search").latest("pk")
    assert event.actor == world.officer
    assert event.details == {"kind": "nik", "results": 1}
    assert NIK not in str(event.details) and "Siti" not in str(event.details)


def test_index_follows_edits_erasure_and_new_registrations(world: World) -> None:
    person = register("Siti Aminah", nik=NIK, phone="+60123456789")
    assert "Siti Aminah" in _search(world, world.officer, "aminah")  # builds the index
    data = person_as_input(person)
    data.full_name = "Siti Nurhaliza"
    do_update_person(person=person, data=data, actor=world.officer)
    assert "Siti Nurhaliza" in _search(world, world.officer, "nurhaliza")
    assert "Siti Nurhaliza" not in _search(world, world.officer, "aminah")
    register("Dewi Lestari", phone="+60123456780")
    assert "Dewi Lestari" in _search(world, world.officer, "lestary")
    do_erase_person(person=person, actor=world.officer)
    assert "Siti" not in _search(world, world.officer, "nurhaliza")


def test_search_page_without_javascript(world: World) -> None:
    register("Siti Aminah", nik=NIK, phone="+60123456789")
    response = world.client(world.officer).get(reverse("registry:officer_search"), {"q": "sitti"})
    body = response.content.decode()
    assert "<html" in body and 'name="q"' in body and '<label for="q">' in body
    assert reverse("registry:person_detail", kwargs={"public_id": Person.objects.get().public_id}) in body
    listing = world.client(world.officer).get(reverse("registry:officer_search")).content.decode()
    assert "Siti Aminah" in listing
    assert (
        "Siti Aminah"
        not in world.client(world.other_officer).get(reverse("registry:officer_search")).content.decode()
    )


def test_api_search(world: World) -> None:
    register("Siti Aminah", nik=NIK, phone="+60123456789")
    client = world.client(world.officer)
    body = client.get("/api/v1/registry/people", {"q": "Sitti Aminah"}).json()
    assert body["kind"] == "name"
    assert [r["full_name"] for r in body["results"]] == ["Siti Aminah"]
    assert body["results"][0]["mission"] == "kbri-kuala-lumpur"
    exact = client.get("/api/v1/registry/people", {"q": NIK}).json()
    assert exact["kind"] == "nik" and exact["results"][0]["score"] == 100
    assert (
        world.client(world.other_officer).get("/api/v1/registry/people", {"q": NIK}).json()["results"] == []
    )
    assert world.client(world.analyst).get("/api/v1/registry/people", {"q": NIK}).status_code == 403
