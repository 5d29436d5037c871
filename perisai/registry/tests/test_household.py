"""The citizen adds, edits and removes the family members she registered, from her update page ("ubah")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from perisai.core.models import AuditEvent
from perisai.registry.models import Person, PersonStatus

from .test_citizen import GOOD, _register

pytestmark = pytest.mark.usefixtures("reference")

PERSON_FIELDS = {k: v for k, v in GOOD.items() if not k.startswith("members-")}


def _members(*rows: dict[str, str], initial: int) -> dict[str, str]:
    data = {
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": str(initial),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "8",
    }
    for i, row in enumerate(rows):
        data.update({f"members-{i}-{k}": v for k, v in row.items()})
    return data


def _update(client: Client, *rows: dict[str, str], initial: int = 1, **changes: Any) -> Any:
    return client.post(
        reverse("registry:my_update"), {**PERSON_FIELDS, **changes, **_members(*rows, initial=initial)}
    )


def _sri_and_putri(client: Client, **extra: Any) -> tuple[Person, Person]:
    assert _register(client, **extra).status_code == 302
    return Person.objects.get(full_name="Sri Wahyuni"), Person.objects.get(full_name="Putri")


def test_the_update_page_lists_her_family_with_a_way_to_remove_them() -> None:
    client = Client()
    _sri, putri = _sri_and_putri(client)
    page = client.get(reverse("registry:my_update")).content.decode()
    assert 'value="Putri"' in page and str(putri.public_id) in page
    assert 'name="members-0-remove"' in page
    assert 'name="members-1-member_name"' in page and 'name="members-1-remove"' not in page  # a row to add


def test_add_and_edit_members_later_audited() -> None:
    client = Client()
    sri, putri = _sri_and_putri(client)
    response = _update(
        client,
        {"member_id": str(putri.public_id), "member_name": "Putri Ayu", "relation": "child",
         "member_birth_date": "2021-04-01", "member_sex": "F"},
        {"member_name": "Agus", "relation": "spouse", "member_birth_date": "1990-02-03", "member_sex": "M"},
        {"member_name": "", "relation": "spouse"},  # an empty row is skipped
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == reverse("registry:my_card")
    putri.refresh_from_db()
    assert putri.full_name == "Putri Ayu" and str(putri.birth_date) == "2021-04-01" and putri.sex == "F"
    agus = Person.objects.get(full_name="Agus")
    assert agus.household_id == sri.household_id and agus.registered_by == sri and agus.user_id is None
    assert agus.household_role == "spouse" and agus.phone == sri.phone and agus.mission == sri.mission
    assert Person.objects.filter(registered_by=sri).count() == 2
    user = sri.user
    edit = AuditEvent.objects.get(action="person.edit", object_id=str(putri.pk))
    assert edit.actor == user and set(edit.details["fields"]) >= {"full_name", "birth_date", "sex"}
    assert "Putri Ayu" not in str(edit.details)
    assert AuditEvent.objects.filter(action="person.create", object_id=str(agus.pk), actor=user).exists()
    change = AuditEvent.objects.get(action="household.change", object_id=str(sri.pk), actor=user)
    assert change.details == {"added": 1, "edited": 1, "removed": 0}
    card = client.get(reverse("registry:my_card")).content.decode()
    assert "Putri Ayu" in card and "Agus" in card


def test_a_first_member_added_later_gets_a_household() -> None:
    client = Client()
    _register(client, **{"members-0-member_name": ""})
    sri = Person.objects.get(full_name="Sri Wahyuni")
    assert sri.household_id is None
    response = _update(client, {"member_name": "Dewi", "relation": "child"}, initial=0)
    assert response.status_code == 302
    sri.refresh_from_db()
    dewi = Person.objects.get(full_name="Dewi")
    assert sri.household_id is not None and dewi.household_id == sri.household_id
    assert {c.purpose: c.granted for c in dewi.consents.all()} == {
        c.purpose: c.granted for c in sri.consents.all()
    }  # her choices, as at registration


def test_remove_a_member_erases_the_record_and_keeps_hers() -> None:
    client = Client()
    sri, putri = _sri_and_putri(client)
    response = _update(
        client,
        {"member_id": str(putri.public_id), "member_name": "Putri", "relation": "child", "remove": "on"},
    )
    assert response.status_code == 302
    putri.refresh_from_db()
    assert putri.status == PersonStatus.ERASED and putri.full_name == "—" and putri.phone == ""
    assert putri.household_id is None and putri.registered_by_id is None
    sri.refresh_from_db()
    assert sri.status == PersonStatus.ACTIVE and sri.phone == "+60123456789" and sri.household_id is not None
    assert AuditEvent.objects.filter(action="person.erase", object_id=str(putri.pk), actor=sri.user).exists()
    change = AuditEvent.objects.get(action="household.change", object_id=str(sri.pk), actor=sri.user)
    assert change.details == {"added": 0, "edited": 0, "removed": 1}
    assert "Putri" not in client.get(reverse("registry:my_card")).content.decode()


def test_a_bad_member_row_saves_nothing_and_loses_nothing() -> None:
    client = Client()
    sri, putri = _sri_and_putri(client)
    response = _update(
        client,
        {"member_id": str(putri.public_id), "member_name": "", "relation": "child"},  # name erased by mistake
        {"member_name": "Agus", "relation": "spouse"},
        city_name="Kuching",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tulis nama Anda seperti di paspor" in body  # the registration check, translated
    assert 'value="Agus"' in body and 'value="Kuching"' in body  # what she typed is still there
    sri.refresh_from_db()
    putri.refresh_from_db()
    assert sri.city_name == "Johor Bahru" and putri.full_name == "Putri"  # nothing saved, hers neither
    assert not Person.objects.filter(full_name="Agus").exists()
    assert not AuditEvent.objects.filter(
        action__in=["person.edit", "household.change"], actor=sri.user
    ).exists()


def test_an_oversized_member_name_is_refused() -> None:
    client = Client()
    _sri, putri = _sri_and_putri(client)
    response = _update(
        client, {"member_id": str(putri.public_id), "member_name": "x" * 300, "relation": "child"}
    )
    assert response.status_code == 200
    member_part = response.content.decode().split('name="members-0-member_name"')[1]
    assert "errorlist" in member_part.split('name="members-0-relation"')[0]  # shown next to the name
    putri.refresh_from_db()
    assert putri.full_name == "Putri"


def test_she_cannot_edit_or_remove_someone_elses_family() -> None:
    other = Client()
    _register(
        other, full_name="Wati", nik="3301014509950002", phone="+60 12-345 6788",
        **{"members-0-member_name": "Anak Wati"},
    )  # fmt: skip
    their_child = Person.objects.get(full_name="Anak Wati")
    client = Client(headers={"accept-language": "en"})
    sri, _putri = _sri_and_putri(client, preferred_language="en")
    for row in (
        {"member_id": str(their_child.public_id), "member_name": "Renamed", "relation": "child"},
        {"member_id": str(their_child.public_id), "member_name": "Anak Wati", "remove": "on"},
    ):
        response = _update(client, row)
        assert response.status_code == 200
        assert "This family member is not on your registration." in response.content.decode()
    their_child.refresh_from_db()
    assert their_child.full_name == "Anak Wati" and their_child.status == PersonStatus.ACTIVE
    changes = ["person.edit", "person.erase", "household.change"]
    assert not AuditEvent.objects.filter(action__in=changes, actor=sri.user).exists()


def test_an_update_without_the_family_rows_changes_no_member() -> None:
    client = Client()
    _sri, putri = _sri_and_putri(client)
    response = client.post(reverse("registry:my_update"), {**PERSON_FIELDS, "city_name": "Kuching"})
    assert response.status_code == 302
    putri.refresh_from_db()
    assert putri.status == PersonStatus.ACTIVE and putri.full_name == "Putri"
    assert Person.objects.get(full_name="Sri Wahyuni").city_name == "Kuching"
