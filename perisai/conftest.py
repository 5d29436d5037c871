"""Shared test fixtures: users per role (with a verified second factor), the network guard, the browser."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from perisai.core.models import User
from perisai.core.roles import SENSITIVE_ROLES, Role

# Playwright's sync API runs an event loop in the test thread; the ORM calls beside it are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    """A file from ../shared/data, or skip the test with a clear reason where it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/data is absent ({path} not found): reference-data conformance test skipped")
    return path


_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("/"):
        raise RuntimeError(f"Network access is blocked in tests (tried {host})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """`perisai worker --batch` runs the real queue inside tests. The worker closes "old" connections between
    tasks, which inside a test's transaction would close the test's own connection (PostgreSQL): keep it."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _fresh_reference_caches() -> Iterator[None]:
    from perisai.places.selectors import clear_mission_cache

    clear_mission_cache()
    yield
    clear_mission_cache()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    from perisai.places.models import Mission, Region

    def factory(
        role: str = Role.MIGRANT,
        *,
        username: str | None = None,
        missions: list[Mission] | None = None,
        regions: list[Region] | None = None,
        **extra: Any,
    ) -> User:
        name = username or f"{role}-{User.objects.count() + 1}"
        user = User.objects.create_user(
            username=name,
            password="a-long-test-password",
            role=role,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
            **extra,
        )
        if missions:
            user.missions.set(missions)
        if regions:
            user.regions.set(regions)
        return user

    return factory


def login(client: Client, user: User) -> Client:
    """Sign in as the user, with a verified TOTP device where the role needs one."""
    client.force_login(user)
    if user.role in SENSITIVE_ROLES:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(make_user: Callable[..., User]) -> Callable[..., Client]:
    def factory(role: str, **kwargs: Any) -> Client:
        user = make_user(role, **kwargs)
        client = Client()
        login(client, user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return factory


# ---- the browser: Playwright driving Debian's Chromium (never a downloaded browser) ----

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Chromium not found at {path}: run `make test`, which installs it")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(**PHONE, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
