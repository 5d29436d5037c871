"""In headless Chromium: an officer finds a person by a misspelt name, merges a duplicate, exports the list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from perisai.core.models import User
from perisai.core.roles import Role
from perisai.places.models import Mission
from perisai.registry.models import Person, PersonStatus
from perisai.registry.search import reset_name_index
from perisai.registry.tests.officer_factories import register

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference"),
]


def _sign_in(page: Any, base: str, user: User) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Kata sandi").fill("a-long-test-password")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/accounts/two-factor/**")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Kode enam digit").fill(f"{code:06d}")
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(base + "/")


def test_officer_finds_merges_and_exports(
    live_server: Any, desktop_page: Any, make_user: Callable[..., User], tmp_path: Path
) -> None:
    reset_name_index()
    officer = make_user(
        Role.MISSION_OFFICER, username="petugas", missions=[Mission.objects.get(code="kbri-kuala-lumpur")]
    )
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    born = dt.date(1990, 1, 1)
    kept = register("Siti Aminah", nik="3507014101900001", phone="+60123456789")
    duplicate = register("Sitti Aminah", birth_date=born, email="siti@example.org", employer="Keluarga Tan")
    register("Budi Santoso", phone="+60123456780")

    page, base = desktop_page, live_server.url
    _sign_in(page, base, officer)
    page.get_by_role("button", name="English").click()  # the officer works in English today
    page.wait_for_load_state()

    # Find her by a misspelt name.
    page.goto(base + "/registry/people/")
    page.get_by_label("Name, NIK, passport or phone number").fill("Siti Amminah")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_text("closest names first").wait_for()  # the listing has been replaced by the results
    page.get_by_role("link", name="Siti Aminah", exact=True).wait_for()
    assert page.get_by_role("link", name="Budi Santoso").count() == 0

    # Review the likely duplicate and merge it, taking the other record's e-mail and employer.
    page.get_by_role("link", name="Likely duplicates").click()
    page.get_by_role("link", name="Review").first.click()
    page.wait_for_url(f"**/people/{kept.public_id}/merge/{duplicate.public_id}/")  # the older record is kept
    page.get_by_role("button", name="Merge the two records").click()
    page.get_by_text("The two records were merged into this one.").wait_for()
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.status == PersonStatus.MERGED and duplicate.merged_into == kept
    assert (kept.email, kept.employer, kept.birth_date) == ("siti@example.org", "Keluarga Tan", born)
    assert "person.merge" in page.content()  # the history on the record kept

    # Export the list as CSV.
    page.goto(base + "/registry/people/")
    page.get_by_role("link", name="Export").click()
    page.get_by_label("Format").select_option("csv")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    target = tmp_path / "export.csv"
    download_info.value.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert sorted(r[1] for r in rows[1:]) == ["Budi Santoso", "Siti Aminah"]
    assert Person.objects.filter(status=PersonStatus.ACTIVE).count() == 2
