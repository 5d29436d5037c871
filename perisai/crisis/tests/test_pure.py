"""Pure parts: reply keywords, SMS length, signed tokens, exposure equal to a brute-force scan."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from perisai.crisis.exposure import Columns, distance_to_area_km, expose, expose_many, summarise
from perisai.crisis.keywords import parse_reply
from perisai.crisis.sms import sms_length
from perisai.crisis.tokens import (
    checkin_token,
    checkin_token_factory,
    fast_checkin_token,
    read_checkin_token,
    read_warden_token,
    warden_token,
)
from perisai.places.geometry import contains


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("AMAN", "safe", ""),
        ("aman, saya di asrama", "safe", "saya di asrama"),
        ("  Safe. at home", "safe", "at home"),
        ("TOLONG air naik", "need_help", "air naik"),
        ("bantu!", "need_help", ""),
        ("HELP", "need_help", ""),
        ("tidak aman", "need_help", ""),
        ("NOT SAFE - fire nearby", "need_help", "fire nearby"),
        ("Tidak di sana", "not_there", ""),
        ("tidak  disana, sudah pulang", "not_there", "sudah pulang"),
        ("NOT THERE", "not_there", ""),
        ("*AMAN*", "safe", "*"),
    ],
)
def test_reply_keywords(text: str, status: str, message: str) -> None:
    reply = parse_reply(text)
    assert reply is not None and reply.status == status and reply.message == message


@pytest.mark.parametrize(
    "text", ["", "Amanda di sini", "halo", "paspor saya hilang", "helpdesk", "SAFETY first", "tidak"]
)
def test_other_messages_are_not_check_ins(text: str) -> None:
    assert parse_reply(text) is None


def test_sms_lengths() -> None:
    assert (sms_length("a" * 160).parts, sms_length("a" * 161).parts) == (1, 2)
    assert sms_length("a" * 306).parts == 2 and sms_length("a" * 307).parts == 3
    euro = sms_length("€" * 80)  # extension characters take two septets
    assert euro.encoding == "GSM-7" and euro.units == 160 and euro.parts == 1
    assert sms_length("€" * 81).parts == 2
    assert sms_length("a" * 152 + "€").parts == 1 and sms_length("a" * 159 + "€").parts == 2
    uni = sms_length("ü" * 10 + "ş")  # ş is not GSM-7: the whole text goes UCS-2
    assert uni.encoding == "UCS-2" and uni.parts == 1 and uni.non_gsm == ("ş",)
    assert sms_length("ş" * 70).parts == 1 and sms_length("ş" * 71).parts == 2
    assert sms_length("😀" * 35).parts == 1 and sms_length("😀" * 36).parts == 2  # surrogate pairs
    assert sms_length("a" * 66 + "😀" + "ş" * 10).parts == 2  # the pair is not split


@override_settings(SECRET_KEY="one-secret-key-for-tests-0123456789abcdefghijklmnopqrstuvwxyz")
def test_tokens_round_trip_and_refuse_tampering() -> None:
    token = checkin_token(12, 345678)
    assert read_checkin_token(token) == (12, 345678) and len(token) < 32
    prefix, key = checkin_token_factory(12)
    assert fast_checkin_token(prefix, key, 12, 345678) == token
    assert read_checkin_token(token.replace(".", ".1", 1)) is None
    assert read_checkin_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert read_warden_token(token) is None and read_checkin_token(warden_token(12, 3)) is None
    with override_settings(
        SECRET_KEY="another-secret",
        SECRET_KEY_FALLBACKS=["one-secret-key-for-tests-0123456789abcdefghijklmnopqrstuvwxyz"],
    ):
        assert read_checkin_token(token) == (12, 345678)  # old links still open after a key rotation
    with override_settings(SECRET_KEY="another-secret"):
        assert read_checkin_token(token) is None


def _columns(lats: np.ndarray, lons: np.ndarray, precise: np.ndarray | None = None) -> Columns:
    n = lats.size
    zeros = np.zeros(n, dtype=np.int64)
    return Columns(
        ids=np.arange(1, n + 1, dtype=np.int64),
        lat=lats,
        lon=lons,
        precise=precise if precise is not None else np.ones(n, dtype=np.bool_),
        mission=zeros.copy(),
        country=np.zeros(n, dtype=np.int16),
        vulnerabilities=zeros.copy(),
        sector=np.zeros(n, dtype=np.int8),
        household=zeros.copy(),
        city=zeros.copy(),
        province=zeros.copy(),
        regency=zeros.copy(),
        countries=["MY"],
        sectors=[""],
    )


AREAS: list[dict[str, Any]] = [
    {"type": "Circle", "coordinates": [101.7, 3.1], "radius_km": 50.0},
    {
        "type": "Polygon",
        "coordinates": [[[101.2, 2.8], [102.1, 2.9], [101.9, 3.6], [101.4, 3.3], [101.2, 2.8]]],
    },
    {
        "type": "Polygon",
        "coordinates": [
            [[100.0, 1.0], [104.0, 1.0], [104.0, 5.0], [100.0, 5.0], [100.0, 1.0]],
            [[101.0, 2.0], [103.0, 2.0], [103.0, 4.0], [101.0, 4.0], [101.0, 2.0]],
        ],
    },
    {"type": "Circle", "coordinates": [179.9, -16.5], "radius_km": 80.0},  # across the antimeridian
]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), which=st.integers(0, len(AREAS) - 1))
def test_exposure_equals_a_brute_force_scan(seed: int, which: int) -> None:
    rng = np.random.default_rng(seed)
    area = AREAS[which]
    centre = area["coordinates"] if area["type"] == "Circle" else [101.6, 3.2]
    lats = centre[1] + rng.normal(0, 1.2, 3000)
    lons = (centre[0] + rng.normal(0, 1.2, 3000) + 180.0) % 360.0 - 180.0
    lats[::97] = np.nan  # people without a location
    columns = _columns(lats, lons)
    found = set(expose(columns, area, near_km=0).inside.tolist())
    brute = {i for i in range(lats.size) if not math.isnan(lats[i]) and contains(area, lats[i], lons[i])}
    assert found == brute


def test_near_means_a_city_centre_within_reach() -> None:
    area = {
        "type": "Polygon",
        "coordinates": [[[101.0, 3.0], [102.0, 3.0], [102.0, 4.0], [101.0, 4.0], [101.0, 3.0]]],
    }
    lats = np.array([3.5, 2.9, 2.9, 2.5])
    lons = np.array([101.5, 101.5, 101.5, 101.5])
    precise = np.array([True, True, False, False])  # 11 km south: a pin (not near) and a city (near)
    found = expose(_columns(lats, lons, precise), area, near_km=25)
    assert found.inside.tolist() == [0] and found.near.tolist() == [2]
    assert distance_to_area_km(area, np.array([2.9]), np.array([101.5]))[0] == pytest.approx(11.1, abs=0.2)


def test_the_highest_level_area_holds_a_person() -> None:
    lats, lons = np.array([3.1, 3.1, 5.0]), np.array([101.7, 101.0, 101.0])
    big = {"type": "Circle", "coordinates": [101.5, 3.1], "radius_km": 100}
    small = {"type": "Circle", "coordinates": [101.7, 3.1], "radius_km": 10}
    positions, keys, near = expose_many(_columns(lats, lons), [(1, small), (2, big)], near_km=0)
    assert positions.tolist() == [0, 1] and keys.tolist() == [1, 2] and not near.any()
    summary = summarise(_columns(lats, lons), positions)
    assert summary.total == 2 and summary.households == 2 and summary.bins
