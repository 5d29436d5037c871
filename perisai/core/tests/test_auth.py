from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from perisai.core.models import AuditEvent, User
from perisai.core.roles import SENSITIVE_ROLES, Role


def test_argon2_is_the_password_hasher_in_every_deployed_setting() -> None:
    from perisai.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("correct horse battery", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("correct horse battery", encoded)
    assert not hasher.verify("wrong", encoded)


def test_sensitive_roles_are_the_ones_that_open_individual_records() -> None:
    assert set(SENSITIVE_ROLES) == {Role.MISSION_OFFICER, Role.CASE_WORKER, Role.SUPERVISOR, Role.ADMIN}


def test_idle_sessions_expire() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 3600


@pytest.mark.django_db
def test_login_with_password_then_staff_must_pass_totp(make_user: Callable[..., User]) -> None:
    officer = make_user(Role.MISSION_OFFICER, username="officer")
    client = Client()
    response = client.post(reverse("core:login"), {"username": "officer", "password": "a-long-test-password"})
    assert response.status_code == 302
    # Signed in, but every page sends the officer to the second factor until a code is verified.
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("core:otp")
    api = client.get("/api/v1/core/me")
    assert api.status_code in (401, 403)
    # First time: enrolment shows a QR code for a new device.
    page = client.get(reverse("core:otp"))
    assert b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    wrong = client.post(reverse("core:otp"), {"token": "000000"})
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    # A failure throttles the device (django-otp's back-off); waiting it out is simulated by a reset.
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    ok = client.post(reverse("core:otp"), {"token": f"{code:06d}"})
    assert ok.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(actor=officer, action="otp.enrol").exists()


@pytest.mark.django_db
def test_migrant_and_analyst_need_no_second_factor(make_user: Callable[..., User]) -> None:
    for role in (Role.MIGRANT, Role.ANALYST):
        user = make_user(role)
        client = Client()
        client.force_login(user)
        assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_lockout_after_repeated_failures(make_user: Callable[..., User]) -> None:
    make_user(Role.MIGRANT, username="target")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("core:login"), {"username": "target", "password": "wrong-password"})
    # Now even the right password is refused until the cool-off ends.
    response = client.post(reverse("core:login"), {"username": "target", "password": "a-long-test-password"})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_needs_post_and_ends_the_session(make_user: Callable[..., User]) -> None:
    client = Client()
    client.force_login(make_user(Role.MIGRANT))
    assert client.get(reverse("core:logout")).status_code == 405
    assert client.post(reverse("core:logout")).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302
