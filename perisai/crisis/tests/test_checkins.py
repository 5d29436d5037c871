"""Check-ins: the personal link (no sign-in, no JavaScript), reply keywords through contract 2, reports on
someone's behalf, conflicts, append-only notes, "need help" becoming an urgent case (contract 1)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.core.models import AuditEvent
from perisai.crisis.inbound import handle_checkin_reply
from perisai.crisis.models import (
    AlertRecipient,
    CheckIn,
    CheckInStatus,
    Crisis,
    CrisisArea,
    PersonNote,
    RosterEntry,
)
from perisai.crisis.tokens import checkin_token

from .conftest import KL, World, circle


def _crisis(world: World, **extra: Any) -> Crisis:
    crisis = Crisis.objects.create(
        title="Gempa Sabah", type="earthquake", country_id="MY", status="active", declared_at=timezone.now(),
        **extra,
    )  # fmt: skip
    crisis.missions.add(world.kl)
    CrisisArea.objects.create(crisis=crisis, name="KL", level=2, geometry=circle(*KL, 30))
    return crisis


def _link(crisis: Crisis, person_id: int) -> str:
    return reverse("crisis:checkin", kwargs={"token": checkin_token(crisis.pk, person_id)})


def test_the_link_works_without_sign_in_or_javascript(world: World) -> None:
    crisis = _crisis(world)
    person = world.make_person(*KL)
    client = Client()
    page = client.get(_link(crisis, person.pk))
    body = page.content.decode()
    assert page.status_code == 200 and crisis.title in body
    assert person.full_name not in body  # a forwarded link reveals nobody
    assert "<script" not in body.split("</head>")[1]  # the page itself needs no script
    assert len(page.content) < 12_000  # small enough for a slow phone
    done = client.post(_link(crisis, person.pk), {"status": "safe", "message": "Di asrama, aman"})
    assert done.status_code == 200
    checkin = CheckIn.objects.get(person=person)
    assert checkin.status == "safe" and checkin.source == "link" and checkin.first_hand
    assert checkin.message == "Di asrama, aman" and str(checkin.public_id) in done.content.decode()
    entry = RosterEntry.objects.get(crisis=crisis, person=person)
    assert entry.status == "safe" and entry.first_accounted_at is not None


def test_a_forged_or_closed_link_records_nothing(world: World) -> None:
    crisis = _crisis(world)
    person = world.make_person(*KL)
    token = checkin_token(crisis.pk, person.pk)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    client = Client()
    assert (
        client.post(reverse("crisis:checkin", kwargs={"token": forged}), {"status": "safe"}).status_code
        == 404
    )
    other = checkin_token(crisis.pk, person.pk + 1)
    assert (
        client.get(reverse("crisis:checkin", kwargs={"token": other.split(".")[0] + ".x.y"})).status_code
        == 404
    )
    Crisis.objects.filter(pk=crisis.pk).update(status="closed")
    closed = client.post(_link(crisis, person.pk), {"status": "need_help"})
    assert closed.status_code == 200 and not CheckIn.objects.exists()


def test_the_link_takes_an_optional_location(world: World) -> None:
    crisis = _crisis(world)
    person = world.make_person(*KL)
    client = Client(headers={"accept-language": "en"})
    page = client.get(_link(crisis, person.pk)).content.decode()
    # Without JavaScript nothing more is asked: the button stays hidden until the (deferred) script shows it.
    assert '<p id="share-location" hidden>' in page and "Share my location" in page
    assert '<script src="/static/crisis/checkin.js" defer>' in page.split("</head>")[0]
    assert 'name="lat" value=""' in page and 'name="lon" value=""' in page
    assert len(page.encode()) < 12_000
    # Without a location (no script, or she did not press the button): the place is in her message.
    client.post(_link(crisis, person.pk), {"status": "safe", "message": "Di Cheras", "lat": "", "lon": ""})
    typed = CheckIn.objects.get(person=person)
    assert typed.message == "Di Cheras" and typed.lat is None and typed.lon is None
    # With the location the button filled in: stored on the check-in, as the API and the channels store it.
    done = client.post(
        _link(crisis, person.pk),
        {"status": "need_help", "message": "air naik", "lat": " 3.13912", "lon": "101.68676 "},
    )
    shared = CheckIn.objects.filter(person=person).latest("received_at", "pk")
    assert done.status_code == 200 and str(shared.public_id) in done.content.decode()
    assert (shared.status, shared.lat, shared.lon, shared.source) == ("need_help", 3.13912, 101.68676, "link")
    assert RosterEntry.objects.get(crisis=crisis, person=person).status == "need_help"


@pytest.mark.parametrize(
    ("lat", "lon"),
    [("91", "101.6"), ("3.1", "-180.5"), ("tiga", "101.6"), ("3.1", ""), ("", "101.6"), ("nan", "nan"),
     ("inf", "0"), ("1e400", "0"), ("3" * 40, "101.6")],
)  # fmt: skip
def test_a_location_that_cannot_be_read_is_refused_and_nothing_typed_is_lost(
    world: World, lat: str, lon: str
) -> None:
    crisis = _crisis(world)
    person = world.make_person(*KL)
    message = "Kami di lantai 3 & <aman>"
    response = Client(headers={"accept-language": "en"}).post(
        _link(crisis, person.pk), {"status": "safe", "message": message, "lat": lat, "lon": lon}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your location could not be read." in body and "Press one of the three buttons" not in body
    assert "Kami di lantai 3 &amp; &lt;aman&gt;</textarea>" in body  # her message comes back, escaped
    assert 'name="lat" value=""' in body and 'name="lon" value=""' in body  # the bad values do not
    assert not CheckIn.objects.exists() and not RosterEntry.objects.filter(person=person).exists()


def test_the_location_script_is_small_and_asks_only_when_pressed() -> None:
    from django.contrib.staticfiles import finders

    found = finders.find("crisis/checkin.js")
    assert found is not None
    script = Path(str(found)).read_text()
    assert len(script.encode()) < 2_000 and "http" not in script  # nothing fetched from elsewhere
    # The position is asked for inside the click handler only, never on load.
    assert script.index('addEventListener("click"') < script.index("getCurrentPosition")


def _alerted(world: World, crisis: Crisis, person: Any, address: str, channel: str = "sms") -> None:
    from perisai.crisis.models import Alert

    alert = Alert.objects.create(
        crisis=crisis,
        body_id="x",
        body_en="x",
        drafted_by=world.officer,
        approved_by=world.head,
        status="sent",
    )
    AlertRecipient.objects.create(alert=alert, person=person, channel=channel, address=address)


def test_reply_keywords_through_contract_2(world: World) -> None:
    crisis = _crisis(world)
    sri = world.make_person(*KL, phone="+60123450001", language="id")
    budi = world.make_person(*KL, phone="+60123450002", language="en", telegram="998877")
    _alerted(world, crisis, sri, "+60123450001")
    _alerted(world, crisis, budi, "998877", channel="telegram")
    reply = handle_checkin_reply(channel="sms", sender="+60123450001", text="aman, di rumah majikan")
    assert (reply is not None and "AMAN" in reply.upper()) or "SAFE" in (reply or "").upper()
    checkin = CheckIn.objects.get(person=sri)
    assert checkin.status == "safe" and checkin.source == "sms" and checkin.message == "di rumah majikan"
    assert handle_checkin_reply(
        channel="telegram", sender="telegram:998877", text="NOT THERE", location=(3.2, 101.7)
    )
    away = CheckIn.objects.get(person=budi)
    assert away.status == "not_there" and away.source == "telegram" and away.lat == 3.2
    # Asked on WhatsApp, answering by SMS from the registered phone: the same request.
    lina = world.make_person(*KL, phone="+60123450003", whatsapp="+60123450004")
    _alerted(world, crisis, lina, "+60123450004", channel="whatsapp")
    assert handle_checkin_reply(channel="sms", sender="+60123450003", text="bantu") is not None
    assert CheckIn.objects.get(person=lina).status == "need_help"
    # Not a keyword, or nobody asked this sender: the help bot takes the message.
    assert (
        handle_checkin_reply(channel="sms", sender="+60123450001", text="Paspor saya ditahan majikan") is None
    )
    assert handle_checkin_reply(channel="sms", sender="+60199999999", text="AMAN") is None
    assert CheckIn.objects.count() == 3
    # A closed crisis is no open request any more.
    Crisis.objects.filter(pk=crisis.pk).update(status="closed")
    assert handle_checkin_reply(channel="sms", sender="+60123450001", text="BANTU") is None


def test_reports_on_behalf_conflicts_and_the_latest_first_hand_wins(world: World) -> None:
    crisis = _crisis(world)
    person = world.make_person(*KL)
    officer = world.client(world.officer)
    report = reverse("crisis:report", kwargs={"public_id": crisis.public_id, "person_id": person.public_id})
    # On someone's behalf, the source must be named.
    officer.post(report, {"status": "safe", "source": "employer", "reporter_name": ""})
    assert not CheckIn.objects.exists()
    officer.post(report, {"status": "safe", "source": "employer", "reporter_name": "Majikan (Tan)"})
    entry = RosterEntry.objects.get(crisis=crisis, person=person)
    assert entry.status == "safe" and not entry.status_first_hand
    # The person says she needs help: first-hand wins, and the conflict shows.
    Client().post(_link(crisis, person.pk), {"status": "need_help", "message": "majikan bohong"})
    entry.refresh_from_db()
    assert entry.status == "need_help" and entry.status_first_hand and entry.conflicting
    # A later second-hand "safe" does not override her own word.
    officer.post(report, {"status": "safe", "source": "friend", "reporter_name": "Teman"})
    entry.refresh_from_db()
    assert entry.status == "need_help"
    page = officer.get(
        reverse("crisis:person", kwargs={"public_id": crisis.public_id, "person_id": person.public_id})
    )
    body = page.content.decode()
    assert body.index("Teman") < body.index("majikan bohong") < body.index("Majikan (Tan)")  # latest first
    assert 'class="conflict"' in body
    assert AuditEvent.objects.filter(action="checkin.record", actor=world.officer).count() == 2
    assert AuditEvent.objects.filter(action="view", actor=world.officer, object_id=str(person.pk)).exists()


def test_notes_are_append_only(world: World) -> None:
    crisis = _crisis(world)
    person = world.make_person(*KL)
    officer = world.client(world.officer)
    url = reverse("crisis:note", kwargs={"public_id": crisis.public_id, "person_id": person.public_id})
    officer.post(url, {"text": "Ditelepon, tidak diangkat."})
    note = PersonNote.objects.get()
    assert note.author == world.officer
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonNote.objects.filter(pk=note.pk).update(text="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        CheckIn.objects.create(crisis=crisis, person=person, status="safe", source="link").delete()


def test_check_ins_carry_only_the_indexes_their_queries_use(world: World) -> None:
    """Each index is one more page written per check-in in a surge; the ones dropped by migration 0004 stay
    dropped, the append-only triggers stay in place (the drop does not rebuild the table)."""
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "crisis_checkin")
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"]}
    assert indexed == {("id",), ("public_id",), ("person_id",), ("crisis_id", "person_id", "received_at")} - (
        set() if connection.vendor == "postgresql" else {("id",)}
    )
    checkin = CheckIn.objects.create(
        crisis=_crisis(world), person=world.make_person(*KL), status="safe", source="link"
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        CheckIn.objects.filter(pk=checkin.pk).update(status="need_help")


def test_the_api_records_a_check_in_with_the_token(world: World) -> None:
    crisis = _crisis(world)
    person = world.make_person(*KL)
    client = Client()
    ok = client.post(
        "/api/v1/crisis/checkins",
        {"token": checkin_token(crisis.pk, person.pk), "status": "not_there", "lat": 3.1, "lon": 101.6},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "not_there"
    bad = client.post(
        "/api/v1/crisis/checkins", {"token": "k1.2.xxxx", "status": "safe"}, content_type="application/json"
    )
    assert bad.status_code == 404 and CheckIn.objects.count() == 1


def test_need_help_in_an_exercise_opens_no_case(world: World, drain: Any) -> None:
    crisis = _crisis(world, exercise=True)
    person = world.make_person(*KL)
    Client().post(_link(crisis, person.pk), {"status": "need_help"})
    drain()
    entry = RosterEntry.objects.get(crisis=crisis, person=person)
    assert entry.status == CheckInStatus.NEED_HELP and entry.case_code == ""


@pytest.mark.skipif(
    importlib.util.find_spec("perisai.cases.intake") is None,
    reason="cases intake (contract 1) not installed yet",
)
def test_need_help_opens_one_urgent_case(
    world: World, drain: Any, django_capture_on_commit_callbacks: Any
) -> None:
    crisis = _crisis(world)
    person = world.make_person(*KL)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            _link(crisis, person.pk),
            {"status": "need_help", "message": "air naik", "lat": "3.14", "lon": "101.7"},
        )
    drain()
    entry = RosterEntry.objects.get(crisis=crisis, person=person)
    assert entry.case_code
    from perisai.cases.models import Case  # type: ignore[import-not-found,unused-ignore]

    case = Case.objects.get(public_id=entry.case_public_id)
    assert case.urgency == "emergency" and case.case_type == "crisis_followup"
    assert case.intake_details["location"] == [3.14, 101.7]  # where she said she is, from the link
    # Asking again attaches to the same case.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(_link(crisis, person.pk), {"status": "need_help", "message": "masih di atap"})
    drain()
    assert Case.objects.filter(person=person).count() == 1
