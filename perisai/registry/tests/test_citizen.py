"""The citizen's side of lapor diri, through HTTP."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perisai.core.messaging.types.console import ConsoleType
from perisai.core.models import AuditEvent, OutboxMessage
from perisai.registry.models import Consent, Person, PersonStatus, SignInCode

pytestmark = pytest.mark.usefixtures("reference")

GOOD: dict[str, Any] = {
    "full_name": "Sri  Wahyuni",
    "nik": "3507014509950001",
    "passport_number": "",
    "phone": "+60 12-345 6789",
    "country": "MY",
    "city_name": "Johor Baru",
    "purpose": "work",
    "sector": "domestic",
    "employer": "Keluarga Tan",
    "home_village": "35.07.01.2001",
    "emergency_contact_name": "Ibu Sumiati",
    "emergency_contact_phone": "+62 812-3456-7890",
    "vulnerabilities": ["1"],
    "preferred_language": "id",
    "preferred_channel": "sms",
    "consent_crisis_contact": "on",
    "consent_statistics": "on",
    "members-TOTAL_FORMS": "2",
    "members-INITIAL_FORMS": "0",
    "members-MIN_NUM_FORMS": "0",
    "members-MAX_NUM_FORMS": "8",
    "members-0-member_name": "Putri",
    "members-0-relation": "child",
    "members-0-member_birth_date": "2021-03-01",
}


def _register(client: Client, **changes: Any) -> Any:
    return client.post(reverse("registry:register"), {**GOOD, **changes})


def _deliver_outbox(capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    call_command("worker", batch=True, queues="*", no_scheduler=True)
    return capsys.readouterr().out


def test_register_creates_person_household_consents_and_signs_in() -> None:
    client = Client()
    response = _register(client)
    assert response.status_code == 302 and response["Location"] == reverse("registry:my_card")
    person = Person.objects.get(full_name="Sri Wahyuni")
    assert (
        person.mission is not None and person.mission.code == "kjri-johor-bahru"
    )  # jurisdiction, not distance
    assert person.city_name == "Johor Bahru" and person.h3_r6 is not None
    assert person.sex == "F" and person.birth_date == dt.date(1995, 9, 5)  # read from the NIK
    assert person.phone == "+60123456789"
    assert "3507014509950001" not in person.nik_encrypted and person.nik_index
    assert person.home_regency == "35.07"
    assert person.household is not None
    child = Person.objects.get(full_name="Putri")
    assert child.household_id == person.household_id and child.registered_by == person
    consents = {c.purpose: c.granted for c in person.consents.all()}
    assert consents == {"crisis_contact": True, "family_status": False, "statistics": True}
    card = client.get(reverse("registry:my_card"))
    body = card.content.decode()
    assert "KJRI Johor Bahru" in body and "999" in body  # the mission and the host country's emergency number


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nik": "350701450995000"}, "nik", "16 digit"),
        (
            {"nik": "", "passport_number": "C1234567", "passport_expiry": "2020-01-01"},
            "passport_expiry",
            "habis",
        ),
        ({"phone": "0812 3456 7890"}, "phone", "Periksa angkanya"),
        ({"country": ""}, "country", "tidak boleh kosong"),
        ({"home_village": "35.07.01.9999"}, "home_village", "Kode desa ini tidak ada"),
        ({"address": "x" * (10 * 1024 * 1024)}, "address", "terlalu panjang"),
        ({"phone": "+99 123", "whatsapp": ""}, "phone", "nomor telepon"),
    ],
)
def test_bad_input_gets_a_translated_message_and_loses_nothing(
    changes: dict[str, Any], field: str, message: str
) -> None:
    response = _register(Client(), **changes)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert len(response.content) < 200_000  # a 10 MB paste is not sent back to the phone
    # What was entered is still there.
    assert 'value="Keluarga Tan"' in body and 'value="Ibu Sumiati"' in body
    assert Person.objects.count() == 0


def test_sign_in_again_with_a_code_from_the_outbox(
    capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Any
) -> None:
    _register(Client())
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:sign_in"), {"identifier": "+60 12 345 6789"})
    assert response.status_code == 302
    out = _deliver_outbox(capsys)
    code = re.search(r"\b(\d{6})\b", out)
    assert code, out
    message = OutboxMessage.objects.get(purpose="sign_in")
    assert message.status == "sent" and message.body == ""  # the code is wiped once sent
    assert client.post(reverse("registry:sign_in_code"), {"code": "000000"}).status_code == 200
    ok = client.post(reverse("registry:sign_in_code"), {"code": code.group(1)})
    assert ok.status_code == 302
    assert client.get(reverse("registry:my_card")).status_code == 200
    # The code cannot be used twice.
    again = Client()
    again.post(reverse("registry:sign_in"), {"identifier": "+60123456789"})
    assert again.post(reverse("registry:sign_in_code"), {"code": code.group(1)}).status_code == 200


def test_unknown_number_gets_the_same_answer_and_no_message() -> None:
    response = Client().post(reverse("registry:sign_in"), {"identifier": "+60 19 999 9999"})
    assert response.status_code == 302 and response["Location"] == reverse("registry:sign_in_code")
    assert OutboxMessage.objects.count() == 0


def test_codes_are_rate_limited_and_expire() -> None:
    _register(Client())
    client = Client()
    for _ in range(3):
        client.post(reverse("registry:sign_in"), {"identifier": "+60123456789"})
    fourth = client.post(reverse("registry:sign_in"), {"identifier": "+60123456789"})
    assert fourth.status_code == 200 and "15" in fourth.content.decode()
    assert SignInCode.objects.count() == 3
    SignInCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    from perisai.registry.signin import check_sign_in_code

    person = Person.objects.get(full_name="Sri Wahyuni")
    assert check_sign_in_code(person_id=person.pk, code="123456") is None


def test_update_city_revoke_consent_gone_home_and_erase() -> None:
    client = Client()
    _register(client)
    person = Person.objects.get(full_name="Sri Wahyuni")
    update = client.post(reverse("registry:my_update"), {**GOOD, "city_name": "Kuching"})
    assert update.status_code == 302
    person.refresh_from_db()
    assert (
        person.city_name == "Kuching" and person.mission is not None and person.mission.code == "kjri-kuching"
    )
    event = AuditEvent.objects.filter(action="person.edit", object_id=str(person.pk)).latest("at")
    assert "city_name" in event.details["fields"] and "Kuching" not in str(event.details)
    client.post(reverse("registry:my_consents"), {"consent_crisis_contact": "on"})
    statistics = Consent.objects.get(person=person, purpose="statistics")
    assert statistics.granted is False and statistics.revoked_at is not None
    client.post(reverse("registry:my_gone_home"))
    person.refresh_from_db()
    assert person.status == PersonStatus.RETURNED
    client.post(reverse("registry:my_erase"), {"confirm": "yes"})
    person.refresh_from_db()
    assert person.status == PersonStatus.ERASED
    assert (
        person.full_name == "—"
        and person.phone == ""
        and person.nik_encrypted == ""
        and person.nik_index == ""
    )
    assert person.home_village_id is None and person.employer == "" and person.lat is None
    assert not Consent.objects.filter(person=person).exists()
    assert client.get(reverse("registry:my_card")).status_code == 302  # signed out
    assert AuditEvent.objects.filter(action="person.erase", object_id=str(person.pk)).exists()


def test_passport_reminder_six_months_before_expiry_once(
    capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Any
) -> None:
    from perisai.registry.tasks import send_passport_reminders

    soon = (timezone.localdate() + dt.timedelta(days=150)).isoformat()
    later = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    _register(Client(), passport_number="C1234567", passport_expiry=soon)
    _register(
        Client(),
        full_name="Wati",
        nik="3301014509950002",
        phone="+60 12-345 6788",
        passport_number="C7654321",
        passport_expiry=later,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_passport_reminders.call() == 1
        assert send_passport_reminders.call() == 0
    out = _deliver_outbox(capsys)
    assert "+60123456789" in out and soon in out


def test_scheduler_enqueues_each_periodic_job_once_per_interval(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from perisai.core.scheduler import enqueue_due_jobs

    settings.PERISAI_PERIODIC_TASKS = {
        "passport-reminders": ("perisai.registry.tasks.send_passport_reminders", 6 * 3600)
    }
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue_due_jobs(now=now)
    assert "passport-reminders" in first
    assert enqueue_due_jobs(now=now + dt.timedelta(minutes=5)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due_jobs(now=now + dt.timedelta(hours=7)) == ["passport-reminders"]
    assert DBTaskResult.objects.filter(task_path__endswith="send_passport_reminders").count() == 2


def test_console_channel_prints_to_its_stream() -> None:
    from perisai.core.messaging.base import Outgoing

    stream = io.StringIO()
    ConsoleType(stream=stream).send(Outgoing(recipient="+6012", body="halo", idempotency_key="k"))
    assert "halo" in stream.getvalue()
