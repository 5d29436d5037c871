"""The NIK's structure (region code, birth date, day + 40 for women): each problem named, translated."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from perisai.registry.validation import FieldError, check_nik

pytestmark = pytest.mark.usefixtures("reference")  # Jawa Timur (35) with Kabupaten Malang (35.07)

NOT_A_PROVINCE = (
    "The first two digits of the NIK are not a province code.",
    "Dua digit pertama NIK bukan kode provinsi.",
)
NOT_A_REGENCY = (
    "Digits 3 and 4 of the NIK are not a regency of that province.",
    "Digit ke-3 dan ke-4 NIK bukan kabupaten/kota di provinsi itu.",
)
NOT_A_BIRTH_DATE = (
    "Digits 7 to 12 of the NIK must be a birth date (day + 40 for women).",
    "Digit ke-7 sampai ke-12 NIK harus berupa tanggal lahir (tanggal + 40 untuk perempuan).",
)


@pytest.mark.parametrize(
    ("nik", "messages"),
    [
        pytest.param("9007014509950001", NOT_A_PROVINCE, id="no province 90"),
        pytest.param("3599014509950001", NOT_A_REGENCY, id="no regency 35.99"),
        pytest.param("3507013209950001", NOT_A_BIRTH_DATE, id="day 32"),
        pytest.param("3507017209950001", NOT_A_BIRTH_DATE, id="woman's day 72 (32 + 40)"),
        pytest.param("3507017002950001", NOT_A_BIRTH_DATE, id="woman's 30 February"),
        pytest.param("3507010013950001", NOT_A_BIRTH_DATE, id="day 0, month 13"),
    ],
)
def test_a_wrong_nik_gets_its_own_translated_message(nik: str, messages: tuple[str, str]) -> None:
    for language, expected in zip(("en", "id"), messages, strict=True):
        with translation.override(language), pytest.raises(FieldError) as raised:
            check_nik(nik)
        assert raised.value.field == "nik"
        assert raised.value.message == expected


def test_a_womans_nik_has_day_plus_40() -> None:
    facts = check_nik("3507 0145 0995 0001")
    assert facts.nik == "3507014509950001" and facts.sex == "F" and facts.birth_date == dt.date(1995, 9, 5)
    assert facts.regency_code == "35.07" and facts.district_code == "35.07.01"
    man = check_nik("3507010509950001")
    assert man.sex == "M" and man.birth_date == dt.date(1995, 9, 5)


def test_a_woman_born_on_the_31st_is_day_71() -> None:
    facts = check_nik("3507017101000001")
    assert facts.sex == "F" and facts.birth_date == dt.date(2000, 1, 31)


def test_an_impossible_nik_birth_date_is_refused_by_the_form_in_indonesian() -> None:
    from django.test import Client
    from django.urls import reverse

    from .test_citizen import GOOD

    response = Client().post(reverse("registry:register"), {**GOOD, "nik": "3507017209950001"})
    assert response.status_code == 200
    assert NOT_A_BIRTH_DATE[1] in response.content.decode()
