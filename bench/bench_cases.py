"""Benchmark of protection cases at 200,000 cases: the worker's queue page, the dashboards, and the import of an
arrival list of 5,000 deportees, each against a naive baseline measured in the same run.

Run from the repository root (a private SQLite database under /tmp, built on first use and then reused):

    .venv/bin/python bench/bench_cases.py                    # prints a Markdown report
    .venv/bin/python bench/bench_cases.py --write docs/benchmarks-cases.md
    .venv/bin/python bench/bench_cases.py --cases 20000      # a quick run

Targets (issue 7): queue and dashboards under 300 ms with 200,000 cases; 5,000 arrivals under 30 s.

What is timed:

- queue: `GET /cases/` through Django's test client (middleware, scope, query, template) for a case worker
  (regions), a mission officer (missions) and a supervisor (organisation + missions + regions: the widest
  scope). Baseline: the same scope read whole and sorted in Python (no use of the queue index, no LIMIT).
- dashboards: `GET /cases/reports/` (all ten tables, national). Baseline: the consenting cases' columns read
  into Python and aggregated there (Counter, statistics.median), as a script over an export would.
- import: `do_import_arrivals` on a CSV of 5,000 rows (half with a NIK, a third with a passport, villages
  from the reference data). Baseline: the same importer committing every row on its own (chunks of 1),
  timed on 500 rows and extrapolated. Then the same file again (every row "already imported").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DIR = Path(os.environ.get("PERISAI_BENCH_DIR", Path(tempfile.gettempdir()) / "bench-cases"))
SEED = 2026


def setup_django(var_dir: Path) -> None:
    os.environ["PERISAI_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perisai.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("PERISAI_REQUIRE_2FA", "false")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()


def ensure_cases(count: int) -> float:
    from django.core.management import call_command

    from perisai.cases.demo import create_demo_cases
    from perisai.cases.models import Case

    call_command("migrate", verbosity=0)
    if Case.objects.filter(link_type="demo").count() >= count:
        return 0.0
    from perisai.places.models import Mission

    if not Mission.objects.exists():
        call_command("bootstrap", verbosity=0)
    started = time.perf_counter()
    create_demo_cases(people=count, seed=SEED)
    return time.perf_counter() - started


def users() -> dict[str, Any]:
    from perisai.core.models import Organisation, User
    from perisai.core.roles import Role
    from perisai.places.models import Mission, Region

    jatim = Region.objects.filter(code="35").first()
    org, _ = Organisation.objects.get_or_create(
        name="Bench BP3MI Jawa Timur", defaults={"kind": "protection_agency", "region": jatim}
    )
    kl = Mission.objects.get(code="kbri-kuala-lumpur")
    made: dict[str, Any] = {}
    for name, role, missions, regions in (
        ("bench-worker", Role.CASE_WORKER, [], ["35"]),
        ("bench-officer", Role.MISSION_OFFICER, [kl], []),
        ("bench-supervisor", Role.SUPERVISOR, [kl], ["35", "33"]),
    ):
        user, _ = User.objects.get_or_create(username=name, defaults={"role": role, "organisation": org})
        user.missions.set(missions)
        user.regions.set(Region.objects.filter(code__in=regions))
        made[name] = user
    return made


CPU: list[float] = []  # CPU milliseconds of the last `timed` call, run by run


def timed(func: Callable[[], Any], runs: int) -> list[float]:
    """Wall milliseconds per run; the CPU milliseconds of this process (the work itself, SQLite included, less
    disturbed by other jobs on the shared machine) are left in CPU."""
    func()  # warm
    out = []
    CPU.clear()
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        func()
        out.append((time.perf_counter() - started) * 1000)
        CPU.append((time.process_time() - cpu) * 1000)
    return out


def summary(ms: list[float]) -> tuple[float, float]:
    ordered = sorted(ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def client_for(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def get_ok(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return response


def naive_queue(user: Any) -> list[Any]:
    from perisai.cases.models import OPEN_STATUSES
    from perisai.cases.selectors import list_cases_visible_to

    rows = list(
        list_cases_visible_to(user=user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("person", "assigned_to")
    )
    rows.sort(key=lambda c: (c.priority, c.contact_due_at, c.pk))
    return rows[:25]


def naive_dashboard() -> dict[str, Any]:
    from perisai.cases.models import OPEN_STATUSES, Case

    rows = list(
        Case.objects.filter(reporting_consent=True).values_list(
            "case_type",
            "urgency",
            "status",
            "opened_at",
            "organisation_id",
            "mission_id",
            "first_contact_minutes",
            "closure_days",
            "source",
            "home_province",
            "home_regency",
            "sex",
            "vulnerabilities",
        )
    )
    now = dt.datetime.now(dt.UTC)
    out: dict[str, Any] = {}
    open_rows = [r for r in rows if r[2] in OPEN_STATUSES]
    out["type"] = Counter(r[0] for r in open_rows)
    out["urgency"] = Counter(r[1] for r in open_rows)
    out["age"] = Counter(min((now - r[3]).days // 30, 4) for r in open_rows)
    out["team"] = Counter((r[4], r[5]) for r in open_rows)
    by_type: dict[str, list[int]] = {}
    for r in rows:
        if r[6] is not None:
            by_type.setdefault(r[0], []).append(r[6])
    out["contact"] = {k: statistics.median(v) for k, v in by_type.items()}
    closed: dict[str, list[int]] = {}
    for r in rows:
        if r[7] is not None:
            closed.setdefault(r[0], []).append(r[7])
    out["closure"] = {k: statistics.median(v) for k, v in closed.items()}
    returnees = [r for r in rows if r[8] == "arrival_list" or r[0] == "reintegration"]
    out["province"] = Counter(r[9] for r in returnees)
    out["regency"] = Counter(r[10] for r in returnees)
    out["sex"] = Counter(r[11] for r in returnees)
    out["vuln"] = Counter(bit for r in returnees for bit in range(8) if r[12] & (1 << bit))
    return out


def arrival_csv(path: Path, rows: int, seed: int) -> None:
    from perisai.places.models import Region

    rng = random.Random(seed)
    villages = list(Region.objects.filter(level=4).values_list("code", flat=True)[:20000]) or [
        "35.07.01.2001"
    ]
    regencies = {v[:5] for v in villages}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["DAFTAR DEPORTAN (bench)"])
        writer.writerow(
            [
                "No",
                "Nama",
                "L/P",
                "Tgl Lahir",
                "NIK",
                "No Paspor",
                "Masa Berlaku Paspor",
                "Kode Desa",
                "Negara",
                "Keterangan",
            ]
        )
        for i in range(rows):
            village = rng.choice(villages)
            sex = rng.choice("PL")
            birth = dt.date(rng.randint(1965, 2006), rng.randint(1, 12), rng.randint(1, 28))
            nik = ""
            if rng.random() < 0.5 and village[:5] in regencies:
                day = birth.day + (40 if sex == "P" else 0)
                nik = f"{village[:2]}{village[3:5]}{village[6:8]}{day:02d}{birth.month:02d}{birth.year % 100:02d}{i % 10000:04d}"
            passport = f"C{rng.randint(1000000, 9999999)}" if not nik and rng.random() < 0.66 else ""
            expiry = (
                (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=rng.randint(-400, 1500))).strftime(
                    "%d/%m/%Y"
                )
                if passport
                else ""
            )
            condition = rng.choice(["", "", "", "sakit", "hamil", "luka ringan", "TPPO"])
            writer.writerow(
                [
                    i + 1,
                    f"Bench Deportan {i:05d}",
                    sex,
                    birth.strftime("%d/%m/%Y"),
                    nik,
                    passport,
                    expiry,
                    village,
                    "Malaysia",
                    condition,
                ]
            )


def run_import(
    path: Path, actor: Any, day: dt.date, chunk: int | None = None
) -> tuple[float, dict[str, int]]:
    from perisai.cases import imports

    saved = imports.CHUNK
    if chunk is not None:
        imports.CHUNK = chunk
    try:
        started, cpu = time.perf_counter(), time.process_time()
        report = imports.do_import_arrivals(
            path=path, actor=actor, entry_point="nunukan", arrival_date=day, default_country="MY"
        )
        CPU[:] = [time.process_time() - cpu]
        return time.perf_counter() - started, report.counts
    finally:
        imports.CHUNK = saved


def run_import_naive(path: Path, actor: Any, day: dt.date) -> tuple[float, dict[str, int]]:
    """The baseline: each row through the one-person paths, committed on its own: the registry's
    `do_register_person` (or the person found by NIK), `do_set_status`, then the contract's `open_case`
    (which looks its link up first)."""
    from perisai.cases.intake import open_case
    from perisai.registry import imports as registry_imports
    from perisai.registry.actions import RegistryInputError, do_register_person, do_set_status
    from perisai.registry.models import Person

    table = registry_imports.open_table(path)
    mapping = registry_imports.guess_mapping(table.header)
    counts = {"created": 0, "existing": 0, "skipped": 0}
    started, cpu = time.perf_counter(), time.process_time()
    for line, cells in table.rows:
        row = registry_imports.convert_row(cells, mapping, default_country="MY")
        data = row.data
        if not data.full_name or row.errors:
            counts["skipped"] += 1
            continue
        from perisai.core import crypto

        person = None
        if data.nik:
            person = Person.objects.filter(nik_index=crypto.blind_index("nik", data.nik)).first()
        if person is None:
            if data.passport_number and (data.passport_expiry is None or data.passport_expiry < day):
                data.passport_number, data.passport_expiry = "", None
            try:
                person = do_register_person(
                    data=data, actor=actor, source=Person.Source.IMPORT, require_identity=False
                )
            except RegistryInputError:
                counts["skipped"] += 1
                continue
        if person.status == "active":
            do_set_status(person=person, status="returned", actor=actor)
        open_case(
            source="arrival_list",
            case_type="reintegration",
            urgency="normal",
            summary="bench",
            person=person,
            link_type="arrival-naive",
            link_id=f"{day}:{person.pk}:{line}",
            actor=actor,
        )
        counts["created"] += 1
    CPU[:] = [time.process_time() - cpu]
    return time.perf_counter() - started, counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--arrivals", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    setup_django(BENCH_DIR / f"c{args.cases}")
    from django.db import connection

    from perisai.cases.models import Case

    build = ensure_cases(args.cases)
    people = users()
    total = Case.objects.count()
    lines: list[str] = []
    out = lines.append
    load = os.getloadavg()
    out("# Protection cases benchmark (`bench/bench_cases.py`)")
    out("")
    out("Command (repository root; a private SQLite database under /tmp, built on first use):")
    out("")
    out("```")
    out(
        f".venv/bin/python bench/bench_cases.py --cases {args.cases} --arrivals {args.arrivals} --runs {args.runs}"
    )
    out("```")
    out("")
    out(
        f"- machine: {platform.machine()}, {os.cpu_count()} cores shared with other jobs (load average "
        f"{load[0]:.1f} at the start), Python {platform.python_version()}, {connection.vendor} "
        f"{connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}"
    )
    out(
        f"- {total:,} cases in the database (demo generator, seed {SEED}){f'; built in {build:.1f} s' if build else ''}"
    )
    out(
        f"- times in milliseconds: median and 95th percentile of {args.runs} runs after one warm-up (wall clock);"
        " CPU: this process's CPU time (SQLite runs in it), the work itself, less disturbed by other jobs"
    )
    out("")
    out("## The worker's queue (`GET /cases/`, target < 300 ms)")
    out("")
    out(
        "| user | visible open cases | page median | page p95 | page CPU median | naive median | naive CPU median | naive / page (CPU) |"
    )
    out("|---|---:|---:|---:|---:|---:|---:|---:|")
    from perisai.cases.models import OPEN_STATUSES
    from perisai.cases.selectors import list_cases_visible_to

    for name, user in people.items():
        client = client_for(user)
        visible = list_cases_visible_to(user=user).filter(status__in=OPEN_STATUSES).count()
        page = timed(lambda c=client: get_ok(c, "/cases/"), args.runs)
        page_cpu = statistics.median(CPU)
        naive = timed(lambda u=user: naive_queue(u), max(3, args.runs // 3))
        naive_cpu = statistics.median(CPU)
        pm, p95 = summary(page)
        nm, _ = summary(naive)
        out(
            f"| {name} | {visible:,} | {pm:.0f} | {p95:.0f} | {page_cpu:.0f} | {nm:.0f} | {naive_cpu:.0f} |"
            f" {naive_cpu / page_cpu:.1f}x |"
        )
    out("")
    out("## Dashboards (`GET /cases/reports/`, ten tables, target < 300 ms)")
    out("")
    analyst = people["bench-supervisor"]
    client = client_for(analyst)
    page = timed(lambda: get_ok(client, "/cases/reports/"), args.runs)
    page_cpu = statistics.median(CPU)
    naive = timed(naive_dashboard, max(3, args.runs // 3))
    naive_cpu = statistics.median(CPU)
    pm, p95 = summary(page)
    nm, np95 = summary(naive)
    consenting = Case.objects.filter(reporting_consent=True).count()
    out("| method | cases counted | median | p95 | CPU median | vs page (CPU) |")
    out("|---|---:|---:|---:|---:|---:|")
    out(
        f"| dashboard page (grouped queries on indexes) | {consenting:,} | {pm:.0f} | {p95:.0f} | {page_cpu:.0f} |"
        " 1.0x |"
    )
    out(
        f"| naive: read the columns, aggregate in Python | {consenting:,} | {nm:.0f} | {np95:.0f} |"
        f" {naive_cpu:.0f} | {naive_cpu / page_cpu:.1f}x |"
    )
    from perisai.cases import reports

    out("")
    out(
        "Per table, each on its own (median of 5, wall ms, CPU ms): "
        + ", ".join(
            f"{key} {summary(timed(lambda b=build: b(reports.ReportFilters()), 5))[0]:.0f}"
            f" (CPU {statistics.median(CPU):.0f})"
            for key, build in reports.TABLES.items()
        )
    )
    out("")
    out(f"## Import of an arrival list ({args.arrivals:,} rows, target < 30 s)")
    out("")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "arrivals.csv"
        arrival_csv(path, args.arrivals, seed=int(time.time()))
        day = dt.date(2026, 1, 1) + dt.timedelta(days=int(time.time()) % 3000)
        worker = people["bench-worker"]
        fast, counts = run_import(path, worker, day)
        fast_cpu = CPU[0]
        again, counts_again = run_import(path, worker, day)
        sample = Path(folder) / "sample.csv"
        arrival_csv(sample, 500, seed=int(time.time()) + 1)
        slow, slow_counts = run_import_naive(sample, worker, day)
        slow_cpu = CPU[0]
        per_row_slow = slow / 500
        out(
            f"CPU time of the process: chunked import {fast_cpu:.1f} s; naive sample {slow_cpu:.1f} s for 500 rows."
        )
        out("")
        out("| method | rows | time | rows/s | time for all rows | vs chunked |")
        out("|---|---:|---:|---:|---:|---:|")
        out(
            f"| chunked import (250 rows per transaction) | {args.arrivals:,} | {fast:.1f} s | {args.arrivals / fast:.0f} | {fast:.1f} s | 1.0x |"
        )
        out(
            f"| naive: one person at a time through register + open_case, each committed (500 rows, extrapolated) | 500 | {slow:.1f} s | {1 / per_row_slow:.0f} | {per_row_slow * args.arrivals:.1f} s | {per_row_slow * args.arrivals / fast:.1f}x |"
        )
        out(
            f"| same file again (idempotent: nothing new) | {args.arrivals:,} | {again:.1f} s | {args.arrivals / again:.0f} | {again:.1f} s | |"
        )
        out("")
        out(f"Outcomes: first import {counts}; again {counts_again}; baseline sample {slow_counts}.")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        args.write.write_text(report)


if __name__ == "__main__":
    main()
