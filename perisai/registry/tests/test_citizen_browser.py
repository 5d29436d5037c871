"""A migrant on a phone registers in Indonesian, signs in again with a code, moves city, revokes a consent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from perisai.registry.models import Consent, Person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference"),
]


def test_migrant_registers_signs_in_with_code_changes_city_and_revokes_consent(
    live_server: Any, phone_page: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    page, base = phone_page, live_server.url
    page.goto(base + "/registry/lapor-diri/")
    assert page.locator("h1").inner_text().startswith("Lapor diri")
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("NIK (16 digit)").fill("3507014509950001")
    page.get_by_label("Nomor telepon", exact=True).fill("+60 12 345 6789")
    page.get_by_label("Negara tempat Anda tinggal").select_option("MY")
    page.get_by_label("Kota", exact=True).fill("Johor Bahru")
    page.get_by_label("Cari desa/kelurahan asal Anda").fill("Tulungrejo")
    page.get_by_role(
        "button", name="Cari desa"
    ).click()  # works without JavaScript: the page comes back filled
    page.get_by_label("Desa asal", exact=True).select_option("35.07.01.2001")
    assert page.get_by_label("Nama lengkap").input_value() == "Siti Aminah"
    page.get_by_label("Gunakan data saya dalam statistik anonim").check()
    page.get_by_role("button", name="Daftar", exact=True).click()
    page.wait_for_url("**/registry/saya/")
    assert "KJRI Johor Bahru" in page.content()
    person = Person.objects.get(full_name="Siti Aminah")
    assert person.home_village_id == "35.07.01.2001"

    # Sign out, then back in with a one-time code delivered through the outbox.
    page.get_by_role("button", name="Keluar").click()
    page.goto(base + "/registry/masuk/")
    page.get_by_label("Nomor telepon Anda").fill("+60123456789")
    capsys.readouterr()
    page.get_by_role("button", name="Kirimi saya kode").click()
    page.wait_for_url("**/registry/masuk/kode/")
    call_command("worker", batch=True, queues="*", no_scheduler=True)
    code = re.search(r"Kode masuk Perisai Anda: (\d{6})", capsys.readouterr().out)
    assert code is not None
    page.get_by_label("Kode 6 digit").fill(code.group(1))
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/registry/saya/")

    # She moves to Kuching: her mission follows the jurisdiction.
    page.get_by_role("link", name="Ubah data lapor diri saya").click()
    page.get_by_label("Kota", exact=True).fill("Kuching")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/registry/saya/")
    assert "KJRI Kuching" in page.content()

    # And revokes the statistics consent.
    page.get_by_role("link", name="Pilihan persetujuan saya").click()
    page.get_by_label("Gunakan data saya dalam statistik anonim").uncheck()
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/registry/saya/")
    consent = Consent.objects.get(person=person, purpose="statistics")
    assert consent.granted is False and consent.revoked_at is not None
    person.refresh_from_db()
    assert (
        person.city_name == "Kuching" and person.mission is not None and person.mission.code == "kjri-kuching"
    )
