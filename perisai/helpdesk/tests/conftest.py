"""Fixtures of the help-desk tests: reference places, a published flow, helpers to talk to the bot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

import pytest

from perisai.core.messaging.registry import channel_types


@lru_cache(maxsize=1)
def _reference() -> tuple[list[dict[str, Any]], list[Any]]:
    import pycountry

    from perisai.places.reference import load_emergency_numbers, load_missions

    numbers = load_emergency_numbers()
    countries = [
        {
            "iso2": c.alpha_2,
            "iso3": c.alpha_3,
            "numeric": c.numeric,
            "name": c.name,
            "official_name": getattr(c, "official_name", ""),
            "emergency_numbers": numbers.get(c.alpha_2, {}),
        }
        for c in pycountry.countries
    ]
    return countries, list(load_missions())


@pytest.fixture
def places(db: None) -> None:
    """Every country with its emergency numbers, and the missions with their jurisdictions (what the bot
    needs of perisai.places; without currencies and subdivisions, to keep the suite fast)."""
    from perisai.places import actions as place_actions
    from perisai.places.models import Country

    countries, missions = _reference()
    Country.objects.bulk_create([Country(**row) for row in countries])
    place_actions.do_load_missions(records=missions)


@pytest.fixture
def fresh_channel_types() -> Iterator[None]:
    """The channel-type registry is cached per process: clear it around tests that change the settings."""
    channel_types.cache_clear()
    yield
    channel_types.cache_clear()


@pytest.fixture
def say(db: None) -> Callable[..., Any]:
    """say(text, sender=..., channel=...) -> Received, through the real action."""
    from perisai.helpdesk.actions import do_receive_message

    def talk(text: str = "", *, sender: str = "+60123456789", channel: str = "whatsapp", **extra: Any) -> Any:
        return do_receive_message(channel=channel, sender=sender, text=text, **extra)

    return talk


def bot_text(received: Any) -> str:
    return "\n".join(r.as_text() for r in received.replies)


@pytest.fixture
def provider() -> Iterator[Any]:
    """A fake provider API on 127.0.0.1; set `provider.responder` to change its answers."""
    from .fakeprovider import FakeProvider

    fake = FakeProvider(
        responder=lambda method, path, headers, body: (500, {"error": "no responder"})
    ).start()
    yield fake
    fake.stop()


TYPES = [
    "perisai.core.messaging.types.console.ConsoleType",
    "perisai.helpdesk.channels.types.webchat.WebchatType",
    "perisai.helpdesk.channels.types.telegram.TelegramType",
    "perisai.helpdesk.channels.types.whatsapp.WhatsAppType",
    "perisai.helpdesk.channels.types.sms_http.SmsHttpType",
]


@pytest.fixture
def channels(settings: Any, provider: Any, fresh_channel_types: None) -> Any:
    """The real channel types, pointed at the fake provider (the settings a deployment gives them)."""
    settings.PERISAI_CHANNEL_TYPES = TYPES
    settings.PERISAI_CHANNELS = {
        **settings.PERISAI_CHANNELS,
        "webchat": {"TYPE": "webchat"},
        "telegram": {
            "TYPE": "telegram",
            "BOT_TOKEN": "123456:TEST-token",
            "SECRET_TOKEN": "tg-secret-0123456789",
            "BASE_URL": provider.url,
        },
        "whatsapp": {
            "TYPE": "whatsapp",
            "ACCESS_TOKEN": "EAAtesttoken",
            "PHONE_NUMBER_ID": "106540352242922",
            "APP_SECRET": "wa-app-secret",
            "VERIFY_TOKEN": "wa-verify-token",
            "BASE_URL": provider.url,
            "API_VERSION": "v21.0",
        },
        "sms": {
            "TYPE": "sms_http",
            "URL": provider.url + "/v1/messages",
            "TOKEN": "sms-token",
            "SECRET": "sms-secret",
        },
    }
    return provider


def deliver_outbox() -> None:
    """Run the queued tasks (the outbox) now, as the worker would."""
    from django.core.management import call_command

    call_command("worker", batch=True, queues="*", no_scheduler=True)
