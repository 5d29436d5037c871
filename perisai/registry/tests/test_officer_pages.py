"""The person page: decrypted identifiers for PERSON_VIEW, immigration status behind an audited "show",
history without values, edit and status through the same actions as the citizen side."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.urls import reverse

from perisai.core import crypto
from perisai.core.models import AuditEvent, User
from perisai.registry.models import Consent, Household, Person, PersonStatus
from perisai.registry.search import reset_name_index
from perisai.registry.tests.officer_factories import World, make_world, register

NIK = "3507014101900001"


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    reset_name_index()
    yield
    reset_name_index()


@pytest.fixture
def world(reference: None, make_user: Callable[..., User]) -> World:
    return make_world(make_user)


@pytest.fixture
def siti(world: World) -> Person:
    return register(
        "Siti Aminah",
        nik=NIK,
        phone="+60123456789",
        immigration_status="Overstay since March",
        consents={"crisis_contact": True},
    )


def _url(name: str, person: Person) -> str:
    return reverse(f"registry:{name}", kwargs={"public_id": person.public_id})


def test_officer_sees_the_record_with_nik_and_the_open_is_audited(world: World, siti: Person) -> None:
    response = world.client(world.officer).get(_url("person_detail", siti), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert NIK in body and "+60123456789" in body and "KBRI Kuala Lumpur" in body
    assert "Overstay" not in body  # masked until shown
    assert "Show (recorded in the audit log)" in body
    assert "Contact me in a crisis" in body  # consents
    view = AuditEvent.objects.filter(action="view", object_id=str(siti.pk)).get()
    assert view.actor == world.officer and view.sensitive


def test_supervisor_sees_the_record_but_never_the_immigration_status(world: World, siti: Person) -> None:
    client = world.client(world.supervisor)
    body = client.get(_url("person_detail", siti), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert NIK in body
    assert "Immigration status" not in body and "Overstay" not in body
    before = AuditEvent.objects.count()
    assert client.post(_url("person_reveal_status", siti)).status_code == 403
    assert AuditEvent.objects.count() == before


def test_showing_the_immigration_status_is_audited(world: World, siti: Person) -> None:
    client = world.client(world.officer)
    response = client.post(_url("person_reveal_status", siti), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Overstay since March" in response.content.decode()
    event = AuditEvent.objects.get(action="person.reveal")
    assert event.sensitive and event.actor == world.officer and event.object_id == str(siti.pk)
    assert event.details == {"field": "immigration_status"}
    # Without JavaScript the whole page comes back with the value shown.
    page = client.post(_url("person_reveal_status", siti)).content.decode()
    assert "Overstay since March" in page and "<html" in page
    # A GET shows nothing and records nothing.
    before = AuditEvent.objects.filter(action="person.reveal").count()
    assert client.get(_url("person_reveal_status", siti)).status_code == 302
    assert AuditEvent.objects.filter(action="person.reveal").count() == before


def test_other_mission_gets_not_found_and_nothing_is_revealed(world: World, siti: Person) -> None:
    client = world.client(world.other_officer)
    assert client.get(_url("person_detail", siti)).status_code == 404
    assert client.post(_url("person_reveal_status", siti)).status_code == 404
    assert client.post(_url("person_status", siti), {"status": "returned"}).status_code == 404
    assert not AuditEvent.objects.filter(action__in=["person.reveal", "person.status"]).exists()
    siti.refresh_from_db()
    assert siti.status == PersonStatus.ACTIVE


def test_officer_edits_through_the_form_and_history_names_fields_not_values(
    world: World, siti: Person
) -> None:
    client = world.client(world.officer)
    form = client.get(_url("person_edit", siti))
    assert form.status_code == 200
    assert NIK in form.content.decode() and "Overstay" not in form.content.decode()
    data = {
        "full_name": "Siti Aminah binti Ahmad",
        "nik": NIK,
        "phone": "+60 12 345 6789",
        "country": "MY",
        "city_name": "",
        "purpose": "work",
        "sector": "domestic",
        "employer": "Keluarga Tan",
        "preferred_language": "id",
        "preferred_channel": "whatsapp",
        "vulnerabilities": ["1"],
    }
    response = client.post(_url("person_edit", siti), data)
    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.full_name == "Siti Aminah binti Ahmad" and siti.employer == "Keluarga Tan"
    assert siti.vulnerabilities == 1
    assert crypto.decrypt(siti.immigration_status_encrypted) == "Overstay since March"  # kept
    assert Consent.objects.get(person=siti).granted  # an officer's edit never touches consent
    edit = AuditEvent.objects.filter(action="person.edit").latest("pk")
    assert {"full_name", "employer", "sector", "vulnerabilities"} <= set(edit.details["fields"])
    page = client.get(_url("person_detail", siti), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    history = page[page.index('id="history-heading"') :]
    assert "person.edit" in history and "employer" in history and "officer-kl" in history
    assert "Keluarga Tan" not in history  # values never appear in the history


def test_edit_errors_come_back_on_the_form_and_nothing_changes(world: World, siti: Person) -> None:
    client = world.client(world.officer)
    response = client.post(
        _url("person_edit", siti),
        {
            "full_name": "Siti",
            "nik": "350701410190000",
            "country": "MY",
            "purpose": "work",
            "preferred_language": "id",
            "preferred_channel": "whatsapp",
            "phone": "+60123456789",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "A NIK has exactly 16 digits" in response.content.decode()
    siti.refresh_from_db()
    assert siti.full_name == "Siti Aminah"
    assert not AuditEvent.objects.filter(action="person.edit").exists()


def test_supervisor_may_not_edit_or_change_status(world: World, siti: Person) -> None:
    client = world.client(world.supervisor)
    before = AuditEvent.objects.count()
    assert client.post(_url("person_edit", siti), {"full_name": "X", "country": "MY"}).status_code == 403
    assert client.post(_url("person_status", siti), {"status": "deceased"}).status_code == 403
    assert AuditEvent.objects.count() == before
    siti.refresh_from_db()
    assert (siti.full_name, siti.status) == ("Siti Aminah", PersonStatus.ACTIVE)


def test_officer_marks_returned_moved_deceased(world: World, siti: Person) -> None:
    client = world.client(world.officer)
    for status in ("returned", "moved", "deceased", "active"):
        assert client.post(_url("person_status", siti), {"status": status}).status_code == 302
        siti.refresh_from_db()
        assert siti.status == status
    assert client.post(_url("person_status", siti), {"status": "merged"}).status_code == 302
    siti.refresh_from_db()
    assert siti.status == "active"
    changes = list(
        AuditEvent.objects.filter(action="person.status").order_by("pk").values_list("details", flat=True)
    )
    assert [c["to"] for c in changes] == ["returned", "moved", "deceased", "active"]


def test_household_members_in_scope_are_listed(world: World, siti: Person) -> None:
    household = Household.objects.create(label="Aminah")
    child = register("Nur Aisyah", email="aisyah@example.org")
    Person.objects.filter(pk__in=[siti.pk, child.pk]).update(household=household)
    page = world.client(world.officer).get(_url("person_detail", siti)).content.decode()
    assert "Nur Aisyah" in page


def test_api_person_get(world: World, siti: Person) -> None:
    url = f"/api/v1/registry/people/{siti.public_id}"
    body = world.client(world.officer).get(url).json()
    assert (
        body["nik"] == NIK and body["full_name"] == "Siti Aminah" and body["mission"] == "kbri-kuala-lumpur"
    )
    assert "immigration_status" not in body
    assert body["consents"][0]["purpose"] == "crisis_contact"
    assert AuditEvent.objects.filter(action="view", object_id=str(siti.pk)).count() == 1
    assert world.client(world.other_officer).get(url).status_code == 404
    assert world.client(world.analyst).get(url).status_code == 403
