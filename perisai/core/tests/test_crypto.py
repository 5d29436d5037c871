from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from perisai.core import crypto


def test_round_trip_and_no_plaintext() -> None:
    token = crypto.encrypt("3507014509950001")
    assert "3507014509950001" not in token
    assert crypto.decrypt(token) == "3507014509950001"
    assert crypto.encrypt("x") != crypto.encrypt("x")  # a fresh nonce each time


def test_tampering_is_detected() -> None:
    token = crypto.encrypt("C1234567")
    broken = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(ValueError, match="integrity"):
        crypto.decrypt(broken)


def test_blind_index_is_stable_normalised_and_keyed() -> None:
    a = crypto.blind_index("passport", "c 123-4567")
    assert a == crypto.blind_index("passport", "C1234567")
    assert a != crypto.blind_index("nik", "C1234567")
    with override_settings(PERISAI_BLIND_INDEX_KEY="another-key-of-sufficient-length-000000"):
        assert crypto.blind_index("passport", "C1234567") != a


@pytest.mark.django_db
def test_key_rotation_reseals_everything_and_old_key_can_then_go() -> None:
    from perisai.places.models import Country
    from perisai.registry.models import Person

    Country.objects.create(iso2="TW", iso3="TWN", name="Taiwan")
    with override_settings(PERISAI_FIELD_KEYS=["old-key"]):
        person = Person.objects.create(
            full_name="Wati",
            name_key="wati",
            country_id="TW",
            nik_encrypted=crypto.encrypt("3507014509950001"),
        )
    with override_settings(PERISAI_FIELD_KEYS=["new-key", "old-key"]):
        person.refresh_from_db()
        assert crypto.needs_rotation(person.nik_encrypted)
        out = io.StringIO()
        call_command("rotate-keys", stdout=out)
        assert "Re-sealed 1 records" in out.getvalue()
        call_command("rotate-keys", stdout=io.StringIO())  # idempotent
    with override_settings(PERISAI_FIELD_KEYS=["new-key"]):
        person.refresh_from_db()
        assert crypto.decrypt(person.nik_encrypted) == "3507014509950001"
    with (
        override_settings(PERISAI_FIELD_KEYS=["old-key"]),
        pytest.raises(ValueError, match="no longer configured"),
    ):
        crypto.decrypt(person.nik_encrypted)
