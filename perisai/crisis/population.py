"""The registry's active people as numpy columns, kept in memory per process, for "who is exposed" queries
that must answer in milliseconds over a million registrations (docs/benchmarks-crisis.md).

Loading reads every person once (about 2 s per million rows on SQLite). Before each use, the rows created
(``id`` above the highest seen) or written since the previous check (``updated_at`` from two minutes before
it: a margin for transactions that commit late) are read again through their indexes; if any differs from
what is held, it is patched in (copy on write, so a snapshot already handed out never changes). Every write
to a Person bumps ``updated_at`` to the time of the write (the registry's convention), so the columns equal
the database. A full reload happens anyway every ``FULL_RELOAD_SECONDS``, and whenever the highest id goes
backwards (a rolled-back transaction in tests). ``snapshot(fresh=True)`` forces a full reload for background
work where a second does not matter (a fan-out, the roster of a crisis).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone

from .exposure import Columns

FULL_RELOAD_SECONDS = 900.0
LATE_COMMIT_MARGIN = dt.timedelta(seconds=120)
FETCH = 50_000

_SELECT = """
SELECT id, lat, lon, COALESCE(city_geonameid, 0), COALESCE(mission_id, 0), country_id,
       vulnerabilities, sector, COALESCE(household_id, 0),
       CASE WHEN home_province = '' THEN 0 ELSE CAST(home_province AS INTEGER) END,
       CASE WHEN home_regency = '' THEN 0 ELSE CAST(REPLACE(home_regency, '.', '') AS INTEGER) END,
       CASE WHEN status = 'active' THEN 1 ELSE 0 END
FROM registry_person
"""
#: a write stamps updated_at with the time of the write; rows stamped in the future (imported data, clock
#: skew) were read at load and change only through a write, which stamps them "now" again
FUTURE_SKEW = dt.timedelta(seconds=60)


def _sectors() -> list[str]:
    from perisai.registry.models import Sector

    return ["", *Sector.values]


class PopulationIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._columns: Columns | None = None
        self._active: np.ndarray[Any, np.dtype[np.bool_]] | None = None
        self._max_id = 0
        self._checked_at: dt.datetime | None = None
        self._loaded_at = 0.0
        self._key: tuple[str, str] | None = None

    # ---- public ----

    def snapshot(self, *, fresh: bool = False) -> Columns:
        """The active people, up to date with the database."""
        with self._lock:
            key = (connection.vendor, str(connection.settings_dict.get("NAME")))
            stale = self._columns is None or key != self._key
            if not stale and (fresh or time.monotonic() - self._loaded_at > FULL_RELOAD_SECONDS):
                stale = True
            if stale:
                self._load_all()
                self._key = key
            else:
                self._catch_up()
            assert self._columns is not None and self._active is not None  # noqa: S101
            if bool(self._active.all()):
                return self._columns
            return self._columns.take(np.flatnonzero(self._active))

    def clear(self) -> None:
        with self._lock:
            self._columns = None
            self._active = None

    # ---- loading ----

    def _max_person_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT MAX(id) FROM registry_person")
            return int(cursor.fetchone()[0] or 0)

    def _read(self, where: str = "", params: tuple[Any, ...] = ()) -> tuple[Columns, np.ndarray[Any, Any]]:
        sectors = _sectors()
        sector_code = {s: i for i, s in enumerate(sectors)}
        countries: list[str] = list(self._columns.countries) if self._columns is not None else []
        country_code = {c: i for i, c in enumerate(countries)}
        parts: dict[str, list[Any]] = {k: [] for k in ("id", "lat", "lon", "city", "mission", "country")}
        parts.update({k: [] for k in ("vuln", "sector", "household", "province", "regency", "active")})
        with connection.cursor() as cursor:
            cursor.execute(_SELECT + where + " ORDER BY id", params)
            while True:
                rows = cursor.fetchmany(FETCH)
                if not rows:
                    break
                cols = list(zip(*rows, strict=True))
                parts["id"].append(np.array(cols[0], dtype=np.int64))
                parts["lat"].append(np.array(cols[1], dtype=np.float64))
                parts["lon"].append(np.array(cols[2], dtype=np.float64))
                parts["city"].append(np.array(cols[3], dtype=np.int64))
                parts["mission"].append(np.array(cols[4], dtype=np.int64))
                codes = []
                for c in cols[5]:
                    if c not in country_code:
                        country_code[c] = len(countries)
                        countries.append(c)
                    codes.append(country_code[c])
                parts["country"].append(np.array(codes, dtype=np.int16))
                parts["vuln"].append(np.array(cols[6], dtype=np.int64))
                parts["sector"].append(np.array([sector_code.get(s, 0) for s in cols[7]], dtype=np.int8))
                parts["household"].append(np.array(cols[8], dtype=np.int64))
                parts["province"].append(np.array(cols[9], dtype=np.int64))
                parts["regency"].append(np.array(cols[10], dtype=np.int64))
                parts["active"].append(np.array(cols[11], dtype=np.bool_))

        def cat(name: str, dtype: Any) -> np.ndarray[Any, Any]:
            return np.concatenate(parts[name]) if parts[name] else np.zeros(0, dtype=dtype)

        lat, lon, city = cat("lat", np.float64), cat("lon", np.float64), cat("city", np.int64)
        columns = Columns(
            ids=cat("id", np.int64),
            lat=lat,
            lon=lon,
            precise=_precise(lat, lon, city),
            mission=cat("mission", np.int64),
            country=cat("country", np.int16),
            vulnerabilities=cat("vuln", np.int64),
            sector=cat("sector", np.int8),
            household=cat("household", np.int64),
            city=city,
            province=cat("province", np.int64),
            regency=cat("regency", np.int64),
            countries=countries,
            sectors=sectors,
        )
        return columns, cat("active", np.bool_)

    def _load_all(self) -> None:
        checked_at = timezone.now()
        max_id = self._max_person_id()
        columns, active = self._read()
        self._columns, self._active = columns, active
        self._max_id = max(max_id, int(columns.ids.max()) if columns.ids.size else 0)
        self._checked_at = checked_at
        self._loaded_at = time.monotonic()

    def _catch_up(self) -> None:
        assert self._columns is not None and self._active is not None  # noqa: S101
        checked_at = timezone.now()
        max_id = self._max_person_id()
        if max_id < self._max_id:
            self._load_all()  # rows vanished (a rolled-back transaction): start again
            return
        since = (self._checked_at or checked_at) - LATE_COMMIT_MARGIN
        adapt = connection.ops.adapt_datetimefield_value
        delta, delta_active = self._read(
            # Two index look-ups (an OR would scan the table on SQLite).
            " WHERE id IN (SELECT id FROM registry_person WHERE id > %s UNION"
            " SELECT id FROM registry_person WHERE updated_at >= %s AND updated_at <= %s)",
            (self._max_id, adapt(since), adapt(checked_at + FUTURE_SKEW)),
        )
        if delta.ids.size and self._differs(delta, delta_active):
            self._apply(delta, delta_active)
        self._max_id = max(self._max_id, max_id, int(delta.ids.max()) if delta.ids.size else 0)
        self._checked_at = checked_at

    def _differs(self, delta: Columns, delta_active: np.ndarray[Any, Any]) -> bool:
        base, active = self._columns, self._active
        assert base is not None and active is not None  # noqa: S101
        pos = np.searchsorted(base.ids, delta.ids)
        if bool((pos >= base.ids.size).any()) or not bool((base.ids[pos] == delta.ids).all()):
            return True  # new people
        same = active[pos] == delta_active
        for name in (
            "mission",
            "country",
            "vulnerabilities",
            "sector",
            "household",
            "city",
            "province",
            "regency",
        ):
            same &= getattr(base, name)[pos] == getattr(delta, name)
        for name in ("lat", "lon"):
            a, b = getattr(base, name)[pos], getattr(delta, name)
            same &= (a == b) | (np.isnan(a) & np.isnan(b))
        return not bool(same.all())

    def _apply(self, delta: Columns, delta_active: np.ndarray[Any, Any]) -> None:
        current, active = self._columns, self._active
        assert current is not None and active is not None  # noqa: S101
        # Copy on write: a snapshot handed out earlier stays as it was while another thread reads it.
        base = current.take(np.arange(current.ids.size))
        active = active.copy()
        base.countries = delta.countries  # a superset: codes were appended
        pos = np.searchsorted(base.ids, delta.ids)
        pos_clipped = np.minimum(pos, max(base.ids.size - 1, 0))
        known = (pos < base.ids.size) & (base.ids[pos_clipped] == delta.ids) if base.ids.size else pos < 0
        old = pos[known]
        names = (
            "lat",
            "lon",
            "precise",
            "mission",
            "country",
            "vulnerabilities",
            "sector",
            "household",
            "city",
            "province",
            "regency",
        )
        for name in names:
            getattr(base, name)[old] = getattr(delta, name)[known]
        active[old] = delta_active[known]
        self._columns, self._active = base, active
        new = ~known
        if new.any():
            fresh = delta.take(np.flatnonzero(new))
            merged = Columns(
                ids=np.concatenate([base.ids, fresh.ids]),
                **{name: np.concatenate([getattr(base, name), getattr(fresh, name)]) for name in names},  # type: ignore[arg-type]
                countries=delta.countries,
                sectors=base.sectors,
            )
            order = np.argsort(merged.ids, kind="stable")
            if not bool((order == np.arange(order.size)).all()):
                merged = merged.take(order)
                active = np.concatenate([active, delta_active[new]])[order]
            else:
                active = np.concatenate([active, delta_active[new]])
            self._columns, self._active = merged, active


def _precise(lat: np.ndarray[Any, Any], lon: np.ndarray[Any, Any], city: np.ndarray[Any, Any]) -> Any:
    """False where the location is exactly the centre of the person's city (no pin was given)."""
    precise = np.ones(lat.shape, dtype=np.bool_)
    has_city = city > 0
    if not has_city.any():
        return precise
    from perisai.places.gazetteer import get_city

    ids, inverse = np.unique(city[has_city], return_inverse=True)
    centres = np.full((ids.size, 2), np.nan)
    for i, geonameid in enumerate(ids.tolist()):
        found = get_city(int(geonameid))
        if found is not None:
            centres[i] = (found.lat, found.lon)
    c = centres[inverse.ravel()]
    at_centre = (np.abs(lat[has_city] - c[:, 0]) < 1e-6) & (np.abs(lon[has_city] - c[:, 1]) < 1e-6)
    precise[np.flatnonzero(has_city)[at_centre]] = False
    return precise


INDEX = PopulationIndex()


def snapshot(*, fresh: bool = False) -> Columns:
    return INDEX.snapshot(fresh=fresh)
