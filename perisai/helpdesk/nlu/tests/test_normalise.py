from __future__ import annotations

import pytest

from perisai.helpdesk.nlu import normalise
from perisai.helpdesk.nlu.normalise import clauses


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tolonggg sy gk bs keluar!!!", "tolong saya tidak bisa keluar !"),
        ("gaji blm dibayar 3bln", "gaji belum dibayar 3 bulan"),
        ("anak2 sy", "anak anak saya"),
        ("t0l0ng", "tolong"),
        ("c u b4 2morrow", "c you before tomorrow"),
        ("udh lapor ke KBRI tp gmn??", "sudah lapor ke kedutaan tapi bagaimana ?"),
        ("aku ora iso mulih", "aku tidak bisa pulang"),
        ("saya tak nak duit", "saya tidak mau uang"),
        ("Café  déjà", "cafe deja"),
        ("I'm   scared", "i am scared"),
        ("救命 help", "救命 help"),
        ("", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_is_idempotent() -> None:
    text = "Sy udh 2x lapor ke KBRI tp gk ada jwbn??"
    once = normalise(text)
    assert normalise(once) == once


def test_clauses_split_at_punctuation_and_contrast() -> None:
    assert clauses("Dulu pernah dipukul, tp skrg dia mau bunuh sy!!") == [
        "dulu pernah dipukul",
        "sekarang dia mau bunuh saya",
    ]
