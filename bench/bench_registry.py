"""Benchmark of the registry's officer side on 1,000,000 people: exact search, fuzzy name search, duplicates,
and bulk import of 100,000 rows, each against a naive baseline measured in the same run.

Run from the repository root (single core; builds the database the first time, about 2 minutes, then
reuses it; the import runs on a copy, so the 1,000,000 stay as they are):

    .venv/bin/python bench/bench_registry.py                        # prints a Markdown report
    .venv/bin/python bench/bench_registry.py --write docs/benchmarks-registry.md
    # the import alone, with the import without its per-import lookups cache as a baseline in the same run;
    # --write then replaces only the file's "Import" section:
    .venv/bin/python bench/bench_registry.py --import-only --uncached --clock cpu --write docs/benchmarks-registry.md

The database is a private SQLite file under /tmp (PERISAI_BENCH_DIR, default /tmp/bench-registry) filled by
`perisai demo-data --people 1000000`. Baselines:

- exact NIK: decrypting every stored NIK and comparing (what a search would cost without the blind index),
  timed on 20,000 records and extrapolated;
- exact phone: the same phone lookup without an index (`LIKE`), i.e. a full scan;
- fuzzy name: rapidfuzz `process.extract` over every name key (a brute-force scan, no index);
- import: one `do_register_person` per row (the form's path), timed on 1,000 rows and extrapolated; with
  `--uncached`, also the same import without its per-import reference lookups (every row's validation asks
  the database for its country, "any regions loaded", its NIK's regency and its village, as before they were
  cached), on a fresh copy of the database.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DIR = Path(os.environ.get("PERISAI_BENCH_DIR", Path(tempfile.gettempdir()) / "bench-registry"))
PEOPLE = 1_000_000
IMPORT_ROWS = 100_000
SEED = 20251122


def setup_django(var_dir: Path) -> None:
    os.environ["PERISAI_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perisai.settings.local")
    os.environ["DEBUG"] = "false"  # no query log: it would grow without bound
    import django

    django.setup()


def ensure_population(people: int) -> float:
    from django.core.management import call_command

    from perisai.registry.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.count() >= people:
        return 0.0
    started = time.perf_counter()
    call_command("bootstrap", verbosity=0)
    call_command("demo-data", people=people, workers=1, force=True, verbosity=0)
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
CLOCK = ["wall"]  # chosen with --clock


def clock() -> float:
    return CLOCKS[CLOCK[0]]()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = clock()
    result = fn()
    return clock() - started, result


# ---- misspellings ---------------------------------------------------------------------------------------------

VARIANTS = [
    ("u", "oe"),
    ("j", "dj"),
    ("c", "tj"),
    ("y", "j"),
    ("i", "ie"),
    ("a", "ah"),
    ("f", "p"),
    ("k", "q"),
]


def misspell(name: str, rng: random.Random) -> str:
    """A realistic misspelling: an old-spelling variant, a doubled or dropped letter, or a swapped pair."""
    words = name.split()
    i = rng.randrange(len(words))
    word = words[i]
    kind = rng.randrange(4)
    if kind == 0:
        for modern, old in rng.sample(VARIANTS, len(VARIANTS)):
            if modern in word.lower():
                word = word.lower().replace(modern, old, 1).capitalize()
                break
    elif kind == 1 and len(word) > 3:
        j = rng.randrange(1, len(word))
        word = word[:j] + word[j - 1] + word[j:]
    elif kind == 2 and len(word) > 4:
        j = rng.randrange(1, len(word) - 1)
        word = word[:j] + word[j + 1 :]
    elif len(word) > 3:
        j = rng.randrange(1, len(word) - 2)
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    words[i] = word
    return " ".join(words)


# ---- searches -------------------------------------------------------------------------------------------------


def bench_search(rng: random.Random, samples: int) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count
    from rapidfuzz import fuzz, process

    from perisai.core import crypto
    from perisai.core.models import User
    from perisai.core.roles import Role
    from perisai.places.models import Mission
    from perisai.registry import search
    from perisai.registry.models import Person
    from perisai.registry.names import name_key

    biggest = (
        Person.objects.values("mission")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("mission", "n")
        .first()
    )
    assert biggest is not None
    mission = Mission.objects.get(pk=biggest[0])
    officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"role": Role.MISSION_OFFICER})
    officer.missions.set([mission])
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": Role.ADMIN})
    max_pk = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    picked: list[Person] = []
    while len(picked) < samples:
        person = (
            Person.objects.filter(pk__gte=rng.randrange(1, max_pk), mission=mission).order_by("pk").first()
        )
        if person is not None and person.nik_encrypted and person.phone:
            picked.append(person)

    out: dict[str, Any] = {"mission": mission.name, "mission_people": biggest[1], "samples": samples}
    search.reset_name_index()
    out["index_build_s"], index = timed(search.name_index)
    out["index_tokens"] = len(index._tokens)

    def run(
        kind: str, value: Callable[[Person], str], user: User, people: list[Person] | None = None
    ) -> tuple[list[float], float, float]:
        times, found, listed = [], 0, 0
        people = picked if people is None else people
        for person in people:
            seconds, result = timed(lambda p=person: search.search_people(user=user, text=value(p)))
            times.append(seconds)
            # Names repeat (demo data has a few hundred name parts): the right *name* in the top 10 counts.
            target = person.pk if kind != "name" else person.name_key
            keys = [h.person.pk if kind != "name" else h.person.name_key for h in result.hits]
            found += target in keys[:10]
            listed += target in keys
        return times, found / max(1, len(people)), listed / max(1, len(people))

    out["nik"] = run("nik", lambda p: crypto.decrypt(p.nik_encrypted), officer)
    passports = [p for p in picked if p.passport_encrypted]
    out["passport"] = run(
        "passport", lambda p: crypto.decrypt(p.passport_encrypted or ""), officer, passports
    )
    out["phone"] = run("phone", lambda p: p.phone, officer)
    queries = {p.pk: misspell(p.full_name, rng) for p in picked}
    out["name_officer"] = run("name", lambda p: queries[p.pk], officer)
    out["name_admin"] = run("name", lambda p: queries[p.pk], admin)
    out["examples"] = [(p.full_name, queries[p.pk]) for p in picked[:8]]

    # Baselines.
    sample = list(Person.objects.exclude(nik_encrypted="").values_list("nik_encrypted", flat=True)[:20_000])
    target = crypto.decrypt(picked[0].nik_encrypted)
    seconds, _ = timed(lambda: [crypto.decrypt(t) == target for t in sample])
    out["nik_naive_s"] = seconds / len(sample) * Person.objects.count()
    with connection.cursor() as cursor:
        phone = picked[0].phone
        seconds, _ = timed(
            lambda: (
                cursor.execute("SELECT id FROM registry_person WHERE phone LIKE %s", [f"%{phone}"])
                or cursor.fetchall()
            )
        )
    out["phone_naive_s"] = seconds
    keys = list(Person.objects.values_list("name_key", flat=True))
    naive = []
    for person in picked[:10]:
        query = name_key(queries[person.pk])
        seconds, _ = timed(
            lambda q=query: process.extract(q, keys, scorer=fuzz.token_sort_ratio, processor=None, limit=25)
        )
        naive.append(seconds)
    out["name_naive"] = naive

    # Duplicates in the biggest mission.
    from perisai.registry.duplicates import list_duplicate_pairs

    out["duplicates_s"], pairs = timed(lambda: list_duplicate_pairs(user=officer))
    out["duplicates_pairs"] = len(pairs)
    return out


# ---- import ---------------------------------------------------------------------------------------------------

HEADER = ["No", "Nama Lengkap", "NIK", "No Paspor", "Masa Berlaku Paspor", "Tgl Lahir", "L/P", "Negara Tujuan",
          "Kota", "No. HP", "Sektor", "Majikan", "Agensi/P3MI", "Kode Desa"]  # fmt: skip
DESTINATIONS = [
    ("Malaysia", "MY", ["Kuala Lumpur", "Shah Alam", "Johor Bahru", "Kota Kinabalu", "Penang"], "+6012", 7),
    ("Taiwan", "TW", ["Taipei", "Taichung", "Kaohsiung"], "+8869", 8),
    ("Hong Kong", "HK", ["Hong Kong"], "+8529", 7),
    ("Arab Saudi", "SA", ["Riyadh", "Jeddah", "Dammam"], "+9665", 8),
    ("Singapura", "SG", ["Singapore"], "+659", 7),
    ("Korea Selatan", "KR", ["Seoul", "Busan"], "+8210", 8),
]  # fmt: skip
SECTORS = [
    "PLRT",
    "Caregiver",
    "Perkebunan sawit",
    "Operator produksi",
    "ABK",
    "Konstruksi",
    "Pelayan restoran",
]
FIRST = ["Siti", "Sri", "Dewi", "Nur", "Rina", "Ani", "Budi", "Agus", "Joko", "Eko", "Wahyu", "Muhammad", "Ahmad",
         "Yuli", "Tri", "Dwi", "Putri", "Rizki", "Fitri", "Indah"]  # fmt: skip
LAST = ["Aminah", "Wahyuni", "Lestari", "Santoso", "Hidayat", "Saputra", "Rahayu", "Susanti", "Setiawan",
        "Kurniawan", "Handayani", "Pratama", "Nurhaliza", "Maulana", "Anggraini", "Hasanah"]  # fmt: skip


def write_import_file(path: Path, rows: int, rng: random.Random, passport_prefix: str = "XA") -> None:
    import phonenumbers

    from perisai.places.models import Region

    regencies = list(Region.objects.filter(level=2, retired_at=None).values_list("code", flat=True))
    villages = list(Region.objects.filter(level=4, retired_at=None).values_list("code", flat=True)[:20_000])
    today = dt.datetime.now(dt.UTC).date()
    serial: dict[str, int] = {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["DAFTAR PENEMPATAN PMI (data sintetis untuk benchmark)"])
        writer.writerow(HEADER)
        for n in range(1, rows + 1):
            female = rng.random() < 0.7
            birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(365 * 35))
            regency = rng.choice(regencies).replace(".", "")
            stem = f"{regency}{rng.randrange(1, 30):02d}{birth.day + (40 if female else 0):02d}{birth:%m%y}"
            serial[stem] = serial.get(stem, 6000) + 1  # demo data numbers from 0001: no collision
            nik = f"{stem}{serial[stem]:04d}"
            country, _code, cities, prefix, digits = rng.choice(DESTINATIONS)
            while True:
                phone = prefix + "".join(str(rng.randrange(10)) for _ in range(digits))
                if phonenumbers.is_valid_number(phonenumbers.parse(phone)):
                    break
            passport = f"{passport_prefix}{n:07d}" if rng.random() < 0.8 else ""
            expiry = (
                (today + dt.timedelta(days=rng.randrange(200, 1800))).strftime("%d/%m/%Y") if passport else ""
            )
            if n % 50 == 0:  # a few broken rows, as in real lists
                nik = nik[:15]
            writer.writerow([
                n, f"{rng.choice(FIRST)} {rng.choice(LAST)}", nik, passport, expiry, birth.strftime("%d/%m/%Y"),
                "P" if female else "L", country, rng.choice(cities), phone, rng.choice(SECTORS),
                f"Majikan {rng.randrange(5000)}", f"PT Agensi {rng.randrange(300)}", rng.choice(villages),
            ])  # fmt: skip


@contextlib.contextmanager
def measured_checks(*, cached: bool) -> Iterator[list[float]]:
    """Add up the time spent inside the form's validation (`check_person_input`) during an import. With
    `cached=False` the import runs as before its per-import reference lookups: every row's check asks the
    database for its country, "any regions loaded", its NIK's regency and its village (the form's own
    queries), and no chunk is looked up in bulk."""
    from perisai.registry import imports

    check = imports.check_person_input
    load = imports._Importer._load_reference
    spent = [0.0]

    def timed_check(*args: Any, **kwargs: Any) -> Any:
        if not cached:
            kwargs.pop("reference", None)
        started = clock()
        try:
            return check(*args, **kwargs)
        finally:
            spent[0] += clock() - started

    imports.check_person_input = timed_check  # type: ignore[assignment]
    if not cached:
        imports._Importer._load_reference = lambda self, rows: None  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        imports.check_person_input = check  # type: ignore[assignment]
        imports._Importer._load_reference = load  # type: ignore[method-assign]


def use_fresh_copy(source_db: Path, copy: Path) -> None:
    """Point the connection at a fresh copy of the database (the 1,000,000 people stay as they are)."""
    from django.db import connection

    connection.close()
    shutil.copyfile(source_db, copy)
    os.sync()  # the copy's writes are not left to slow the import down
    connection.settings_dict["NAME"] = str(copy)
    connection.close()


def timed_import(path: Path, *, cached: bool = True) -> dict[str, Any]:
    from perisai.registry import imports

    table = imports.open_table(path)
    wall = time.perf_counter()
    with measured_checks(cached=cached) as spent:
        seconds, result = timed(lambda: imports.do_import_people(table=table, actor=None))
    return {
        "s": seconds,
        "wall_s": time.perf_counter() - wall,
        "check_s": spent[0],
        "counts": result.counts,
    }


def bench_import(
    source_db: Path, rng: random.Random, rows: int, baseline_rows: int, *, uncached: bool
) -> dict[str, Any]:
    """Imports run on copies of the database, switched to just before each import. The import as the command
    runs it comes first (so it pays the gazetteer's first load, once per process, as the command does); the
    uncached import (`uncached=True`) and the naive path come after it, on another copy."""
    from django.db import connection

    from perisai.registry import imports
    from perisai.registry.actions import RegistryInputError, do_register_person

    work = BENCH_DIR / "import"
    work.mkdir(parents=True, exist_ok=True)
    data = work / "penempatan.csv"
    write_import_file(data, rows, rng)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = work / "perisai-import.sqlite3"

    out: dict[str, Any] = {"rows": rows}
    use_fresh_copy(source_db, copy)
    out["import"] = timed_import(data)
    out["reimport"] = timed_import(data)
    if uncached:
        use_fresh_copy(source_db, copy)
        out["uncached"] = timed_import(data, cached=False)

    # Baseline: the form's path, one registration per row, on fresh rows of the same kind.
    fresh = work / "baseline.csv"
    write_import_file(fresh, baseline_rows, random.Random(SEED + 1), passport_prefix="XB")
    table = imports.open_table(fresh)
    mapping = imports.guess_mapping(table.header)
    inputs = [imports.convert_row(cells, mapping).data for _line, cells in table.rows]
    for data_row in inputs:  # other NIKs than the import's (serials from the top)
        data_row.nik = (
            data_row.nik[:12] + str(9999 - int(data_row.nik[12:] or 0)).zfill(4) if data_row.nik else ""
        )

    def register_all() -> int:
        done = 0
        for data_row in inputs:
            try:
                do_register_person(data=data_row, actor=None, source="import")
                done += 1
            except RegistryInputError:
                pass
        return done

    seconds, registered = timed(register_all)
    out["naive_s"] = seconds / len(inputs) * rows
    out["naive_sample"] = len(inputs)
    out["naive_registered"] = registered
    connection.close()
    copy.unlink(missing_ok=True)
    return out


# ---- report ---------------------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def clock_label() -> str:
    return "CPU time of the benchmark process (`time.process_time`)" if CLOCK[0] == "cpu" else "wall time"


def import_section(out: dict[str, Any], *, command: str = "") -> list[str]:
    """The "Import" section of the report (with its own command, clock and load when run alone)."""
    rows_n = out["rows"]
    first, again, uncached = out["import"], out["reimport"], out.get("uncached")

    def row(label: str, run: dict[str, Any]) -> str:
        return (
            f"| {label} | {run['s']:.1f} s | {run['wall_s']:.1f} s | {rows_n / run['s']:,.0f} | "
            f"{run['check_s']:.1f} s | {run['counts']} |"
        )

    lines = ["## Import", ""]
    if command:
        load = os.getloadavg()
        lines += [
            f"Command: `{command}`  ",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores (one used), Python "
            f"{platform.python_version()}, SQLite; the {PEOPLE:,}-person database of `perisai demo-data` (reused).  ",
            f"Clock: {clock_label()}. Load average at the end of the run: {load[0]:.1f} / {load[1]:.1f} / "
            f"{load[2]:.1f}.  ",
            f"Date: {dt.datetime.now(dt.UTC).date().isoformat()}. All figures from one run.",
            "",
        ]
    lines += [
        f"A synthetic deployment list of {rows_n:,} rows (CSV, `;`, a title line, Indonesian headers; every 50th "
        "row has a 15-digit NIK), imported as the command does it into a copy of the 1,000,000-person database.",
        "",
        "| run | time | wall time | rows/s | in `check_person_input` | outcome |",
        "|---|---|---|---|---|---|",
        row("import (`do_import_people`)", first),
        row("same file again (idempotent)", again),
    ]
    if uncached:
        lines.append(row("baseline: the same import without its per-import reference lookups", uncached))
    lines += [
        f"| naive: `do_register_person` per row (extrapolated from {out['naive_sample']:,} rows) | "
        f"{out['naive_s']:.1f} s | — | {rows_n / out['naive_s']:,.0f} | — | — |",
        "",
        "Speed-up: "
        + (
            f"{uncached['s'] / first['s']:.1f}x over the same import without the lookups cache, "
            if uncached
            else ""
        )
        + f"{out['naive_s'] / first['s']:.1f}x over the naive path. Target: 100,000 rows under 60 s"
        + (
            f": **{'met' if first['s'] < 60 else 'not met'}**."
            if rows_n == IMPORT_ROWS
            else " (not this run's size)."
        ),
        "",
        "The first import includes the gazetteer's first load (the world's city names, once per process, a few "
        "seconds); the baselines run after it, with the gazetteer loaded. Inside `check_person_input` (the "
        "registration form's validation, once per row): "
        f"{first['check_s']:.1f} s"
        + (f", against {uncached['check_s']:.1f} s when each row asks the database" if uncached else "")
        + f"; the rest ({first['s'] - first['check_s']:.1f} s) is reading and converting the file, encryption, "
        "blind indexes, the geo cells, the prepared inserts of people and audit events, and one commit per 500 "
        "rows.",
    ]
    return lines


def report(
    search_out: dict[str, Any], import_out: dict[str, Any] | None, command: str, built_s: float
) -> str:
    load = os.getloadavg()
    lines = [
        "# Registry benchmarks (officer side)",
        "",
        f"Command: `{command}`  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (one used), Python {platform.python_version()}, "
        f"SQLite; {PEOPLE:,} synthetic people from `perisai demo-data` (seeded)"
        + (f", built in {built_s:.0f} s." if built_s else " (database reused)."),
        f"Clock: {clock_label()}"
        + (
            f"; the first import took {import_out['import']['wall_s']:.0f} s of wall time"
            if import_out
            else ""
        )
        + ".  ",
        f"Load average at the end of the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (a shared machine: "
        "other work slows every figure alike).  ",
        f"Date: {dt.datetime.now(dt.UTC).date().isoformat()}. All figures from one run; every search goes through "
        "`search_people` (scope, audit write, database fetch included).",
        "",
        "## Search",
        "",
        f"Officer of the largest mission ({search_out['mission']}, {search_out['mission_people']:,} people); "
        f"{search_out['samples']} people picked at random in that mission. First name search of a process builds "
        f"the in-memory index: {search_out['index_build_s']:.1f} s ({search_out['index_tokens']:,} distinct name "
        "parts); later searches refresh it incrementally.",
        "",
        "| search | p50 | p95 | max | right name in top 10 / in the 50 shown | naive baseline | speed-up (p50) |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [
        ("NIK (blind index)", "nik", search_out["nik_naive_s"], "decrypt and compare every NIK"),
        ("passport (blind index)", "passport", None, ""),
        ("phone (E.164, indexed)", "phone", search_out["phone_naive_s"], "`LIKE` scan"),
        ("misspelt name, officer", "name_officer", statistics.median(search_out["name_naive"]),
         "rapidfuzz over all 1M names"),
        ("misspelt name, administrator (no scope)", "name_admin", statistics.median(search_out["name_naive"]),
         "rapidfuzz over all 1M names"),
    ]  # fmt: skip
    for label, key, naive, naive_label in rows:
        times, found, listed = search_out[key]
        if not times:
            continue
        p50 = statistics.median(times)
        lines.append(
            f"| {label} | {ms(p50)} | {ms(percentile(times, 0.95))} | {ms(max(times))} | {found:.0%} / {listed:.0%} | "
            + (f"{ms(naive)} ({naive_label}) | {naive / p50:,.0f}x |" if naive else "— | — |")
        )
    lines += [
        "",
        "Targets: exact search under 20 ms; fuzzy name p95 under 300 ms.",
        "",
        "Misspellings used (first eight): " + "; ".join(f"{a} → {b}" for a, b in search_out["examples"]),
        "",
        "## Duplicates",
        "",
        f"`list_duplicate_pairs` over the largest mission ({search_out['mission_people']:,} people): "
        f"{search_out['duplicates_s']:.2f} s, {search_out['duplicates_pairs']} pairs shown (at most 100).",
    ]
    if import_out:
        lines += ["", *import_section(import_out)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS)
    parser.add_argument("--baseline-rows", type=int, default=1000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="only the import (no searches); with --write, replaces the file's Import section",
    )
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="also run the import without its per-import reference lookups (the old path), for the ratio",
    )
    parser.add_argument("--write", type=Path)
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="wall: elapsed time; cpu: the process's CPU time (fair on a machine shared with other work).",
    )
    args = parser.parse_args()
    CLOCK[0] = args.clock
    var_dir = BENCH_DIR / "var"
    setup_django(var_dir)
    built = ensure_population(args.people)
    command = "python " + " ".join(["bench/bench_registry.py", *sys.argv[1:]])
    source_db = var_dir / "perisai.sqlite3"
    if args.import_only:
        import_out = bench_import(
            source_db, random.Random(SEED), args.import_rows, args.baseline_rows, uncached=args.uncached
        )
        text = "\n".join(import_section(import_out, command=command)) + "\n"
        print(text)
        if args.write:
            args.write.write_text(replace_section(args.write.read_text(), "## Import", text))
        return
    rng = random.Random(SEED)
    search_out = bench_search(rng, args.samples)
    import_out = None
    if not args.skip_import:
        import_out = bench_import(
            source_db, rng, args.import_rows, args.baseline_rows, uncached=args.uncached
        )
    text = report(search_out, import_out, command, built)
    print(text)
    if args.write:
        args.write.write_text(text)


def replace_section(document: str, heading: str, section: str) -> str:
    """The document with the section under `heading` (up to the next heading of its level) replaced."""
    start = document.index(f"\n{heading}\n") + 1
    following = document.find("\n## ", start + len(heading))
    rest = document[following + 1 :] if following >= 0 else ""
    return document[:start] + section + ("\n" + rest if rest else "")


if __name__ == "__main__":
    main()
