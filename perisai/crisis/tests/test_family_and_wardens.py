"""Family enquiries (a code to the named relative's phone, only what was consented) and wardens' call-down
lists."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.core import crypto
from perisai.core.models import AuditEvent, OutboxMessage
from perisai.crisis.models import (
    CallDownAssignment,
    CheckIn,
    Crisis,
    CrisisArea,
    FamilyEnquiry,
    RosterEntry,
    Warden,
)
from perisai.registry.models import Consent

from .conftest import KL, World, circle

NIK = "3507014509950001"
RELATIVE = "+6281234567890"


def _person_with_family_consent(world: World, **extra: Any) -> Any:
    person = world.make_person(*KL, **extra)
    person.nik_index = crypto.blind_index("nik", NIK)
    person.save(update_fields=["nik_index"])
    Consent.objects.create(
        person=person,
        purpose=Consent.Purpose.FAMILY_STATUS,
        granted=True,
        family_contact_name="Ibu Sumiati",
        family_contact_phone=RELATIVE,
    )
    return person


def _crisis(world: World) -> Crisis:
    crisis = Crisis.objects.create(
        title="Banjir Selangor", type="flood", country_id="MY", status="active", declared_at=timezone.now()
    )
    crisis.missions.add(world.kl)
    CrisisArea.objects.create(crisis=crisis, name="KL", level=2, geometry=circle(*KL, 30))
    return crisis


def test_the_named_relative_learns_the_status_and_nothing_more(
    world: World, django_capture_on_commit_callbacks: Any, drain: Any
) -> None:
    person = _person_with_family_consent(world, name="Siti Rahayu")
    crisis = _crisis(world)
    RosterEntry.objects.create(crisis=crisis, person=person)
    CheckIn.objects.create(
        crisis=crisis, person=person, status="safe", source="link", message="di Masjid Negara"
    )
    RosterEntry.objects.filter(person=person).update(
        status="safe", status_at=timezone.now(), status_first_hand=True
    )
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("crisis:family"),
            {"kind": "nik", "identifier": NIK, "relative_phone": "+62 812-3456-7890"},
        )
    assert response.status_code == 302
    printed = drain()
    code = re.search(r"\b(\d{6})\b", printed.split(RELATIVE + ":", 1)[-1])
    assert code is not None and RELATIVE in printed
    assert OutboxMessage.objects.get(purpose="enquiry").body == ""  # the code is wiped once sent
    wrong = client.post(
        reverse("crisis:family_code"), {"code": "000000" if code.group(1) != "000000" else "111111"}
    )
    assert "siti" not in wrong.content.decode().lower() and wrong.context["form"].errors
    answer = client.post(reverse("crisis:family_code"), {"code": code.group(1)})
    body = answer.content.decode()
    assert answer.status_code == 200 and crisis.title in body and 'id="family-status"' in body
    assert "Masjid Negara" not in body and person.phone not in body  # no message, no contact, no place
    assert AuditEvent.objects.filter(action="family.status_shared", object_id=str(person.pk)).exists()


def test_anyone_else_gets_the_same_answer_and_no_code(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _person_with_family_consent(world)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        stranger = client.post(
            reverse("crisis:family"), {"kind": "nik", "identifier": NIK, "relative_phone": "+6281299998888"}
        )
        unknown = client.post(
            reverse("crisis:family"),
            {"kind": "nik", "identifier": "3507014509950002", "relative_phone": RELATIVE},
        )
    assert stranger.status_code == unknown.status_code == 302
    assert stranger["Location"] == unknown["Location"]
    assert not OutboxMessage.objects.filter(purpose="enquiry").exists()
    assert FamilyEnquiry.objects.filter(person__isnull=True).count() == 2
    assert client.post(reverse("crisis:family_code"), {"code": "123456"}).context["form"].errors


def test_family_enquiries_are_rate_limited(world: World) -> None:
    client = Client()
    for _ in range(3):
        client.post(
            reverse("crisis:family"),
            {"kind": "passport", "identifier": "C1234567", "relative_phone": RELATIVE},
        )
    refused = client.post(
        reverse("crisis:family"), {"kind": "passport", "identifier": "C1234567", "relative_phone": RELATIVE}
    )
    assert refused.status_code == 200 and FamilyEnquiry.objects.count() == 3


def test_call_down_lists_for_wardens(
    world: World, django_capture_on_commit_callbacks: Any, drain: Any
) -> None:
    crisis = _crisis(world)
    officer = world.client(world.officer)
    officer.post(
        reverse("crisis:wardens"),
        {
            "mission": world.kl.pk,
            "name": "Pak Warden",
            "phone": "+60 12 999 0001",
            "lat": "3.14",
            "lon": "101.69",
            "capacity": "2",
        },
    )
    assert Warden.objects.get().name == "Pak Warden"
    people = [world.make_person(KL[0], KL[1] + i * 0.01) for i in range(3)]
    for p in people:
        RosterEntry.objects.create(crisis=crisis, person=p)
    RosterEntry.objects.filter(person=people[2]).update(status="safe")  # accounted for: not on a list
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(reverse("crisis:call_down", kwargs={"public_id": crisis.public_id}), {"action": "build"})
        officer.post(reverse("crisis:call_down", kwargs={"public_id": crisis.public_id}), {"action": "send"})
    assert set(CallDownAssignment.objects.values_list("person_id", flat=True)) == {people[0].pk, people[1].pk}
    printed = drain()
    link = re.search(r"(/crisis/w/[^/\s]+/)", printed)
    assert link is not None and "+60129990001" in printed
    warden_client = Client()
    page = warden_client.get(link.group(1))
    assert page.status_code == 200 and people[0].full_name in page.content.decode()
    assert AuditEvent.objects.filter(action="crisis.warden_list_view").exists()
    warden_client.post(
        link.group(1), {"person": str(people[0].public_id), "status": "need_help", "message": "kaki luka"}
    )
    checkin = CheckIn.objects.get(person=people[0])
    assert checkin.source == "warden" and checkin.reporter_name == "Pak Warden" and not checkin.first_hand
    # Someone not on the warden's list cannot be reported through it.
    warden_client.post(link.group(1), {"person": str(people[2].public_id), "status": "safe"})
    assert not CheckIn.objects.filter(person=people[2]).exists()
