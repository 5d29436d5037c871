from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from perisai.conftest import login
from perisai.core import audit
from perisai.core.models import AuditEvent, User
from perisai.core.roles import Role


@pytest.mark.django_db
def test_audit_log_refuses_update_and_delete_at_the_database(make_user: Callable[..., User]) -> None:
    event = audit.record(actor=make_user(Role.ADMIN), action="test.event", object_type="x", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


@pytest.mark.django_db
def test_opening_a_person_is_audited_with_who_and_from_where(make_user: Callable[..., User]) -> None:
    from perisai.places.models import Country, Mission
    from perisai.registry.models import Person

    Country.objects.create(iso2="HK", iso3="HKG", name="Hong Kong")
    mission = Mission.objects.create(
        code="kjri-hong-kong",
        type="consulate_general",
        abbr="KJRI",
        name="KJRI Hong Kong",
        city="Hong Kong",
        country_id="HK",
        lat=22.28,
        lon=114.17,
    )
    person = Person.objects.create(full_name="Ani", name_key="ani", country_id="HK", mission=mission)
    officer = make_user(Role.MISSION_OFFICER, missions=[mission])
    client = login(Client(), officer)
    response = client.get(
        reverse("registry:person_detail", kwargs={"public_id": person.public_id}), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="view", object_type="registry.person")
    assert event.actor == officer
    assert event.object_id == str(person.pk)
    assert event.sensitive is True
    assert event.ip_address == "10.1.2.3"
    # No personal data in the event.
    assert "Ani" not in str(event.details)


@pytest.mark.django_db
def test_admin_filters_the_audit_log_and_cannot_edit_it(make_user: Callable[..., User]) -> None:
    admin = make_user(Role.ADMIN)
    audit.record(actor=admin, action="person.edit", object_type="registry.person", object_id="7")
    audit.record(actor=admin, action="token.create", object_type="core.apitoken", object_id="1")
    client = login(Client(), admin)
    page = client.get(reverse("core:audit_log"), {"action": "person."})
    assert page.status_code == 200
    body = page.content.decode()
    assert "person.edit" in body and "token.create" not in body
    change = client.get(reverse("admin:core_auditevent_changelist"))
    assert change.status_code == 200
    event = AuditEvent.objects.first()
    assert event is not None
    assert (
        client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
