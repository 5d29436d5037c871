"""Great-circle distances, vectorised with numpy."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def haversine_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance in km between points given in degrees (numpy broadcasting applies)."""
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    h = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2.0) ** 2
    out: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return out


def pairs_within(
    lat: FloatArray,
    lon: FloatArray,
    plat: FloatArray,
    plon: FloatArray,
    max_km: float,
    *,
    chunk: int = 4096,
) -> tuple[IntArray, IntArray, FloatArray]:
    """All (i, j, km) with point i within ``max_km`` of site j.

    Dense chunks of points x sites; a latitude band (1 degree of latitude >= 111.19 km) prunes the
    sites of each chunk before the trigonometry, which is all the pruning a few hundred sites need.
    """
    n, m = len(lat), len(plat)
    if n == 0 or m == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0, dtype=np.float64)
    band = max_km / 111.19 + 1e-9
    order = np.argsort(lat, kind="stable")
    out_i: list[IntArray] = []
    out_j: list[IntArray] = []
    out_d: list[FloatArray] = []
    for start in range(0, n, chunk):
        idx = order[start : start + chunk]
        lo, hi = lat[idx[0]] - band, lat[idx[-1]] + band
        sites = np.nonzero((plat >= lo) & (plat <= hi))[0]
        if len(sites) == 0:
            continue
        d = haversine_km(lat[idx][:, None], lon[idx][:, None], plat[sites][None, :], plon[sites][None, :])
        ii, jj = np.nonzero(d <= max_km)
        out_i.append(idx[ii].astype(np.int64))
        out_j.append(sites[jj].astype(np.int64))
        out_d.append(d[ii, jj])
    if not out_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0, dtype=np.float64)
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_d)
