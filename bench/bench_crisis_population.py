"""Affected population of a crisis area over a million registrations: the in-memory columns against a full
scan and against the database's H3 index, in the same run, with identical results required.

    .venv/bin/python bench/bench_crisis_population.py [--var /tmp/crisis-bench-var] [--people 1100000] [--runs 7]

Uses a private SQLite database under --var (created with `perisai bootstrap` and `perisai demo-data --people N
--seed 7` when it holds fewer people). Methods, each answering "who is inside (and near) the area, counted by
city, sector, household and vulnerability":

- ``columns``: what the crisis pages use (perisai.crisis.population + exposure): a freshness check against
  the database (two index look-ups), the bounding-box mask, the exact test, the counts;
- ``scan``: the brute force: read every active person from the database, exact test on every one, counts;
- ``db h3``: the geo index of ADR 0003 in the database: ``h3_r6 IN (covering)`` (or r4), fetch the
  candidates' columns, exact test, counts.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("circle 50 km, Kuala Lumpur", {"type": "Circle", "coordinates": [101.687, 3.139], "radius_km": 50.0}),
    ("circle 50 km, Hong Kong", {"type": "Circle", "coordinates": [114.169, 22.319], "radius_km": 50.0}),
    ("circle 50 km, Taipei", {"type": "Circle", "coordinates": [121.526, 25.053], "radius_km": 50.0}),
    (
        "polygon Klang Valley (9 vertices)",
        {
            "type": "Polygon",
            "coordinates": [
                [
                    [101.35, 2.85],
                    [101.75, 2.80],
                    [101.95, 2.95],
                    [101.98, 3.25],
                    [101.80, 3.45],
                    [101.55, 3.40],
                    [101.38, 3.20],
                    [101.30, 3.05],
                    [101.35, 2.85],
                ]
            ],
        },
    ),
    ("polygon 64-gon r=30 km, Johor Bahru", None),  # filled in below
]


def setup(var: Path, people: int, seed: int) -> None:
    os.environ["PERISAI_VAR_DIR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "perisai.settings.local"
    os.environ.setdefault("DEBUG", "true")
    env = dict(os.environ)
    perisai = [sys.executable, "-m", "perisai"]
    subprocess.run([*perisai, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
    import django

    django.setup()
    from perisai.registry.models import Person

    have = Person.objects.count()
    if have < people:
        print(f"making demo people: {have} -> {people} (seed {seed})", file=sys.stderr)
        subprocess.run([*perisai, "bootstrap"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run(
            [*perisai, "demo-data", "--people", str(people), "--seed", str(seed), "--force"],
            cwd=ROOT,
            env=env,
            check=True,
        )


def median_ms(fn: Any, runs: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "crisis-bench-var"))
    parser.add_argument("--people", type=int, default=1_100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup(Path(args.var), args.people, args.seed)

    import numpy as np
    from django.db import connection

    from perisai.crisis.exposure import Columns, expose, summarise
    from perisai.crisis.population import INDEX
    from perisai.places.geo import circle_to_polygon, covering
    from perisai.places.geometry import contains, contains_many
    from perisai.registry.models import Person

    QUERIES[-1] = (QUERIES[-1][0], circle_to_polygon(1.4927, 103.7414, 30.0, n=64))
    total = Person.objects.count()

    start = time.perf_counter()
    INDEX.clear()
    columns = INDEX.snapshot()
    cold_s = time.perf_counter() - start
    check_ms, _ = median_ms(INDEX.snapshot, args.runs)

    def counts(cols: Columns, positions: Any, near: Any) -> tuple[frozenset[int], Any]:
        summary = summarise(cols, positions, near=near)
        return frozenset(cols.ids[positions].tolist()), summary

    def by_columns(area: dict[str, Any]) -> Any:
        cols = INDEX.snapshot()
        found = expose(cols, area)
        positions = np.concatenate([found.inside, found.near])
        return counts(cols, positions, found.near)

    def read_columns(where: str = "", params: tuple[Any, ...] = ()) -> Columns:
        # The same reader the index uses, but fresh from the database each time.
        fresh = type(INDEX)()
        cols, active = fresh._read(where, params)
        return cols.take(np.flatnonzero(active))

    def by_scan(area: dict[str, Any]) -> Any:
        cols = read_columns()
        inside = np.flatnonzero(contains_many(area, cols.lat, cols.lon))
        # "near": registered only by a city whose centre is within reach: the same rule, over every row
        from perisai.crisis.exposure import DEFAULT_NEAR_KM, distance_to_area_km

        outside_city = np.flatnonzero(~cols.precise & ~np.isnan(cols.lat))
        outside_city = outside_city[~np.isin(outside_city, inside)]
        near = outside_city[
            distance_to_area_km(area, cols.lat[outside_city], cols.lon[outside_city]) <= DEFAULT_NEAR_KM
        ]
        return counts(cols, np.concatenate([inside, near]), near)

    def by_db_h3(area: dict[str, Any]) -> Any:
        cover = covering(area)
        column = cover.column or "h3_r4"
        cells = sorted(cover.cells)
        where = f" WHERE {column} IN ({', '.join(['%s'] * len(cells))})"
        cols = read_columns(where, tuple(cells))
        inside = np.flatnonzero(contains_many(area, cols.lat, cols.lon))
        return counts(cols, inside, np.zeros(0, dtype=np.int64))

    rows = []
    for name, area in QUERIES:
        assert area is not None
        t_cols, (ids_cols, s_cols) = median_ms(lambda a=area: by_columns(a), args.runs)
        t_scan, (ids_scan, s_scan) = median_ms(lambda a=area: by_scan(a), max(1, args.runs // 3))
        t_h3, (ids_h3, _s) = median_ms(lambda a=area: by_db_h3(a), max(1, args.runs // 3))
        assert ids_cols == ids_scan, f"{name}: columns and scan differ"
        assert s_cols == s_scan, f"{name}: counts differ"
        inside_cols = frozenset(
            INDEX.snapshot().ids[expose(INDEX.snapshot(), area, near_km=0).inside].tolist()
        )
        assert inside_cols == ids_h3, f"{name}: columns and the database's H3 index differ"
        rows.append(
            (name, s_cols.inside, s_cols.near, s_cols.households, s_cols.vulnerable, t_cols, t_scan, t_h3)
        )

    # The pure-Python per-point test agrees with the vectorised one (first query, every located row).
    name, area = QUERIES[0]
    assert area is not None
    located = columns.take(np.flatnonzero(~np.isnan(columns.lat)))
    start = time.perf_counter()
    slow = {
        int(i)
        for i, la, lo in zip(located.ids.tolist(), located.lat.tolist(), located.lon.tolist(), strict=True)
        if contains(area, la, lo)
    }
    slow_s = time.perf_counter() - start
    assert slow == set(located.ids[contains_many(area, located.lat, located.lon)].tolist())

    # A registration arrives: the next query patches it in.
    from django.utils import timezone

    from perisai.places.geo import cell_columns

    person = Person.objects.filter(status="active", country_id="JP").exclude(lat=None).first()
    assert person is not None

    def move(lat: float, lon: float) -> None:  # as the registry does: position, cells, updated_at
        Person.objects.filter(pk=person.pk).update(
            lat=lat, lon=lon, updated_at=timezone.now(), **cell_columns(lat, lon)
        )

    move(3.14, 101.69)
    try:
        start = time.perf_counter()
        after = by_columns(QUERIES[0][1])
        delta_ms = (time.perf_counter() - start) * 1000
        assert person.pk in after[0]
    finally:
        move(person.lat, person.lon)

    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()") if connection.vendor == "sqlite" else cursor.execute(
            "select 1"
        )
        db_version = cursor.fetchone()[0]
    print("# Affected population: crisis areas over the registry\n")
    print(
        f"Command: `.venv/bin/python bench/bench_crisis_population.py --var {args.var} --people {args.people}`\n"
    )
    print(
        f"- registry: {total:,} people ({len(columns):,} active), SQLite {db_version}, demo-data seed {args.seed}; "
        f"{platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}"
    )
    print(
        f"- loading the columns once per process (cold): {cold_s:.2f} s; freshness check per query: {check_ms:.2f} ms"
    )
    print(
        f"- a person moves into the area: the next query patches the change in and answers in {delta_ms:.1f} ms"
    )
    print(
        f"- pure-Python per-point test over all {len(located):,} located rows agrees with the vectorised one ({slow_s:.1f} s)\n"
    )
    print(
        "| area | inside | near (city only) | households | vulnerable | columns (ms) | scan (ms) | db h3 (ms) | scan / columns | db h3 / columns |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, inside, near, households, vulnerable, t_cols, t_scan, t_h3 in rows:
        print(
            f"| {name} | {inside:,} | {near:,} | {households:,} | {vulnerable:,} | {t_cols:.1f} | {t_scan:.0f} | "
            f"{t_h3:.0f} | {t_scan / t_cols:.0f}x | {t_h3 / t_cols:.0f}x |"
        )
    print(
        "\nEvery query: the same people and the same counts (city, sector, households, vulnerability) from the "
        "columns and the full scan; the same people inside from the database's H3 index (checked by the script). "
        "Times are medians (columns: "
        f"{args.runs} runs; scan and db h3: {max(1, args.runs // 3)} runs) and include the counts."
    )


if __name__ == "__main__":
    main()
