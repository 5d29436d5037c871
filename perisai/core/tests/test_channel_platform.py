"""The `platform` channel type: messages delivered into a user's inbox in the platform, read only by her."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from perisai.conftest import login
from perisai.core import crypto
from perisai.core.actions import do_deliver_inbox_message
from perisai.core.messaging.actions import do_queue_message
from perisai.core.messaging.base import DeliveryError, Outgoing
from perisai.core.messaging.types.platform import PlatformType, platform_address
from perisai.core.models import InboxMessage, OutboxMessage, User
from perisai.core.roles import Role

BODY = "Perisai: SIAGA 2 di Kuala Lumpur. Tetap di rumah.\nBalas AMAN jika Anda selamat."


@pytest.fixture
def deliver(django_capture_on_commit_callbacks: Any) -> Callable[..., OutboxMessage]:
    """Queue one platform message and run the worker, as in production."""

    def send(
        recipient: str, *, key: str = "alert:1:1:0", subject: str = "", body: str = BODY
    ) -> OutboxMessage:
        with django_capture_on_commit_callbacks(execute=True):
            message = do_queue_message(
                channel="platform",
                recipient=recipient,
                subject=subject,
                body=body,
                purpose=OutboxMessage.Purpose.ALERT,
                idempotency_key=key,
            )
        call_command("worker", batch=True, queues="*", no_scheduler=True)
        message.refresh_from_db()
        return message

    return send


def _page(client: Client, name: str, **kwargs: Any) -> Any:
    return client.get(reverse(name, kwargs=kwargs or None))


def test_delivered_then_only_she_reads_it_then_it_is_read(
    make_user: Callable[..., User], deliver: Any
) -> None:
    wati = make_user(Role.MIGRANT)
    outbox = deliver(platform_address(wati.pk), subject="Perisai: peringatan krisis")
    assert outbox.status == OutboxMessage.Status.SENT and outbox.attempts == 1
    stored = InboxMessage.objects.get()
    assert stored.user == wati and outbox.provider_message_id == f"platform:{stored.public_id}"
    # Sealed at rest, like chat messages.
    assert stored.body_encrypted.startswith("g1.") and "SIAGA" not in stored.body_encrypted
    assert stored.body == BODY and stored.subject == "Perisai: peringatan krisis"

    # Another migrant and every staff role: not in their list, and "not found" when asked for directly.
    url = reverse("core:inbox_message", kwargs={"public_id": stored.public_id})
    others = [make_user(Role.MIGRANT)] + [make_user(role) for role in Role.values if role != Role.MIGRANT]
    for other in others:
        client = login(Client(), other)
        listing = _page(client, "core:inbox")
        assert listing.status_code == 200 and "peringatan krisis" not in listing.content.decode()
        assert client.get(url).status_code == 404, other.role
    stored.refresh_from_db()
    assert stored.read_at is None  # their attempts changed nothing

    # Hers: listed as new (and counted in the menu), then opened and marked read.
    client = login(Client(), wati)
    listing = _page(client, "core:inbox").content.decode()
    assert "peringatan krisis" in listing and url in listing
    assert '<strong class="count">(1)</strong>' in listing
    opened = client.get(url)
    assert opened.status_code == 200
    text = opened.content.decode()
    assert "SIAGA 2 di Kuala Lumpur" in text and "Balas AMAN" in text
    assert '<strong class="count">' not in text  # nothing unread any more
    stored.refresh_from_db()
    first_read = stored.read_at
    assert first_read is not None
    client.get(url)
    stored.refresh_from_db()
    assert stored.read_at == first_read  # opening it again keeps when she first read it


def test_her_home_page_shows_her_latest_messages(make_user: Callable[..., User], deliver: Any) -> None:
    wati = make_user(Role.MIGRANT)
    deliver(platform_address(wati.pk), key="k1", body="Perisai: paspor Anda habis bulan depan.")
    home = login(Client(), wati).get(reverse("core:home")).content.decode()
    assert "Perisai: paspor Anda habis bulan depan." in home
    message = InboxMessage.objects.get()
    assert reverse("core:inbox_message", kwargs={"public_id": message.public_id}) in home


@pytest.mark.parametrize("recipient", ["user:999999", "user:abc", "wati@example.org", "+6281234567", ""])
def test_an_unknown_recipient_fails_permanently(db: None, deliver: Any, recipient: str) -> None:
    outbox = deliver(recipient)
    assert (outbox.status, outbox.attempts) == (OutboxMessage.Status.FAILED, 1)
    assert not InboxMessage.objects.exists()


def test_a_deactivated_user_gets_nothing(make_user: Callable[..., User], deliver: Any) -> None:
    gone = make_user(Role.MIGRANT, is_active=False)
    assert deliver(platform_address(gone.pk)).status == OutboxMessage.Status.FAILED
    assert not InboxMessage.objects.exists()


def test_the_same_outbox_message_delivered_twice_is_stored_once(make_user: Callable[..., User]) -> None:
    wati = make_user(Role.MIGRANT)
    message = Outgoing(platform_address(wati.pk), BODY, "alert:9:9:0")
    first, second = PlatformType().send(message), PlatformType().send(message)
    assert first == second and InboxMessage.objects.count() == 1
    with pytest.raises(DeliveryError) as failure:
        PlatformType().send(Outgoing("user:0", BODY, "k"))
    assert failure.value.permanent


def test_the_address_is_the_one_the_crisis_fan_out_writes() -> None:
    from perisai.crisis.fanout import choose_channel

    assert choose_channel("platform", "", "", "", "", 42) == ("platform", platform_address(42))


def test_erasing_a_person_erases_her_messages(make_user: Callable[..., User]) -> None:
    from perisai.places.models import Country
    from perisai.registry.actions import do_erase_person
    from perisai.registry.models import Person

    Country.objects.create(iso2="MY", iso3="MYS", name="Malaysia")
    wati, sari = make_user(Role.MIGRANT), make_user(Role.MIGRANT)
    person = Person.objects.create(full_name="Wati", name_key="wati", country_id="MY", user=wati)
    do_deliver_inbox_message(user=wati, subject="", body=BODY, idempotency_key="a")
    do_deliver_inbox_message(user=sari, subject="", body=BODY, idempotency_key="b")
    do_erase_person(person=person, actor=None)
    assert list(InboxMessage.objects.values_list("user", flat=True)) == [sari.pk]


def test_key_rotation_reseals_inbox_messages(make_user: Callable[..., User]) -> None:
    wati = make_user(Role.MIGRANT)
    with override_settings(PERISAI_FIELD_KEYS=["old-key"]):
        message = do_deliver_inbox_message(user=wati, subject="Subjek", body=BODY, idempotency_key="r")
    with override_settings(PERISAI_FIELD_KEYS=["new-key", "old-key"]):
        call_command("rotate-keys", stdout=io.StringIO())
    with override_settings(PERISAI_FIELD_KEYS=["new-key"]):
        message.refresh_from_db()
        assert message.body == BODY and message.subject == "Subjek"
        assert not crypto.needs_rotation(message.body_encrypted)
