from __future__ import annotations

import pytest

from perisai.helpdesk.nlu import LANGUAGES, detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("gaji saya belum dibayar tiga bulan", "id"),
        ("sy gk bisa keluar rumah, paspor ditahan", "id"),
        ("my employer has not paid my salary for three months", "en"),
        ("ok thanks", "en"),
        ("majikan tak bayar gaji saya, macam mana nak buat", "ms"),
        ("saya nak balik kampung tapi tak ada duit", "ms"),
        ("gajiku durung dibayar telung sasi", "jv"),
        ("aku pengen mulih, piye carane", "jv"),
        ("madam belum bayar salary saya, already two months, what should i do", "mixed"),
        ("passport sy hilang di pasar, how can i get a new one", "mixed"),
        # at least 70% English words counts as English, whatever the loanwords
        ("my passport is lost, can you help me please kak", "en"),
        ("", "id"),
        ("123 !!!", "id"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_languages_are_the_documented_five() -> None:
    assert LANGUAGES == ("id", "en", "ms", "jv", "mixed")
