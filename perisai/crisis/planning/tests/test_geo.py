from __future__ import annotations

import numpy as np
import pytest

from perisai.crisis.planning.geo import haversine_km, pairs_within

from ._helpers import km


def test_haversine_known_distances() -> None:
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=1e-3)  # one degree on the equator
    assert haversine_km(0, 0, 90, 0) == pytest.approx(np.pi / 2 * 6371.0088)  # equator to pole
    assert haversine_km(-6.2, 106.8, 6.2, -73.2) == pytest.approx(np.pi * 6371.0088)  # antipodes
    assert haversine_km(10, 179.9, 10, -179.9) == pytest.approx(21.9, abs=0.1)  # across the date line


def test_pairs_within_matches_brute_force() -> None:
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(-8, 8, 500), rng.uniform(95, 141, 500)
    plat, plon = rng.uniform(-8, 8, 40), rng.uniform(95, 141, 40)
    i, j, d = pairs_within(lat, lon, plat, plon, 150.0, chunk=64)
    got = {(int(a), int(b)): float(x) for a, b, x in zip(i, j, d, strict=True)}
    want = {
        (a, b): km(lat[a], lon[a], plat[b], plon[b])
        for a in range(500)
        for b in range(40)
        if km(lat[a], lon[a], plat[b], plon[b]) <= 150.0
    }
    assert got.keys() == want.keys() and len(want) > 50
    assert all(abs(got[k] - want[k]) < 1e-6 for k in want)
