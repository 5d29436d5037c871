"""In headless Chromium: each role signs in (with its second factor) and sees its own home, nothing more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from perisai.core.models import User
from perisai.core.roles import SENSITIVE_ROLES, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_HEADINGS: dict[str, str] = {
    Role.MIGRANT: "Halo",
    Role.MISSION_OFFICER: "Meja perwakilan",
    Role.CASE_WORKER: "Pendampingan kasus",
    Role.SUPERVISOR: "Meja perwakilan",
    Role.ANALYST: "Statistik",
    Role.ADMIN: "Administrasi",
}
# Pages each role must be able to open, and pages it must be refused.
CAN: dict[str, list[str]] = {
    Role.MIGRANT: [],
    Role.MISSION_OFFICER: ["/registry/people/", "/places/missions/"],
    Role.CASE_WORKER: ["/places/missions/"],
    Role.SUPERVISOR: ["/registry/people/"],
    Role.ANALYST: ["/statistics/"],
    Role.ADMIN: ["/audit/", "/tokens/", "/registry/people/"],
}
CANNOT: dict[str, list[str]] = {
    Role.MIGRANT: ["/registry/people/", "/audit/", "/statistics/"],
    Role.MISSION_OFFICER: ["/audit/", "/tokens/"],
    Role.CASE_WORKER: ["/registry/people/", "/audit/"],
    Role.SUPERVISOR: ["/audit/"],
    Role.ANALYST: ["/registry/people/", "/audit/", "/tokens/"],
    Role.ADMIN: [],
}


def _sign_in(page: Any, base: str, user: User) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill("a-long-test-password")
    page.get_by_role("button", name="Masuk").click()
    if user.role in SENSITIVE_ROLES:
        page.wait_for_url("**/accounts/two-factor/**")
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Kode enam digit").fill(f"{code:06d}")
        page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(base + "/")


@pytest.mark.parametrize("role", Role.values)
def test_each_role_signs_in_and_sees_its_own_home(
    role: str, live_server: Any, phone_page: Any, make_user: Callable[..., User]
) -> None:
    from perisai.places.models import Country, Mission

    Country.objects.get_or_create(iso2="MY", defaults={"iso3": "MYS", "name": "Malaysia"})
    mission, _ = Mission.objects.get_or_create(
        code="kbri-kuala-lumpur",
        defaults={
            "type": "embassy",
            "abbr": "KBRI",
            "name": "KBRI Kuala Lumpur",
            "city": "Kuala Lumpur",
            "country_id": "MY",
            "lat": 3.139,
            "lon": 101.687,
        },
    )
    user = make_user(role, username=f"b-{role}", missions=[mission])
    if role in SENSITIVE_ROLES:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page = phone_page
    base = live_server.url
    _sign_in(page, base, user)
    assert HOME_HEADINGS[role] in page.locator("h1").inner_text()
    for path in CAN[role]:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, f"{role} should open {path}"
    for path in CANNOT[role]:
        response = page.goto(base + path)
        assert response is not None and response.status == 403, f"{role} must not open {path}"
    # The language switch works and the page follows it.
    page.goto(base + "/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
