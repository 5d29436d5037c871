"""Benchmark `perisai demo-data`: N synthetic people into the configured database, against naive baselines.

Usage (a private SQLite database under /tmp, reference data loaded on first use):

    PERISAI_VAR_DIR=/tmp/perisai-bench-demo DJANGO_SETTINGS_MODULE=perisai.settings.local \
        .venv/bin/python bench/bench_demo_data.py --people 1000000

Add DATABASE_URL=postgres://... to measure PostgreSQL. The script

1. measures two naive baselines on small samples and extrapolates them to N people:
   - ``create``: ``Model.objects.create`` per person, household and consent, ``crypto.encrypt`` and
     ``blind_index`` per value, and ``nearest_mission`` per person (what a first implementation does);
   - ``bulk_create``: the same generated blocks (made in this process, missions per city) inserted with
     ``bulk_create(batch_size=2000)``;
2. runs ``do_generate_demo_people`` for N people (world, worker pool, executemany or COPY, index rebuild);
3. prints a Markdown table with times, people per second and the ratios, and the phases of the fast run.

Every run starts from an empty demo population (demo rows are deleted with plain SQL first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perisai.settings.local")
os.environ.setdefault("PERISAI_VAR_DIR", str(Path(tempfile.gettempdir()) / "perisai-bench-demo"))
AS_OF = dt.date(2026, 1, 15)


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from perisai.places.models import Mission, Region

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(level=4).exists() or not Mission.objects.exists():
        call_command("places", "load-reference", verbosity=0)


def wipe() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM registry_consent WHERE person_id IN (SELECT id FROM registry_person WHERE source = 'demo')"
        )
        cursor.execute("DELETE FROM registry_person WHERE source = 'demo'")
        cursor.execute("DELETE FROM registry_household WHERE NOT EXISTS"
                       " (SELECT 1 FROM registry_person p WHERE p.household_id = registry_household.id)")  # fmt: skip


def _person_fields(block: Any, j: int, encrypt: bool) -> dict[str, Any]:
    from perisai.core import crypto
    from perisai.registry import demo

    p = block.people
    skip = ("created_at", "updated_at")
    fields = {name: p[name][j] for name in demo.PERSON_GENERATED if name in p and name not in skip}
    for name in ("created_at", "updated_at"):
        fields[name] = dt.datetime.fromisoformat(p[name][j]).replace(tzinfo=dt.UTC)
    if encrypt:  # the block still holds plaintexts
        nik, passport = block.nik[j], block.passport[j]
        fields["nik_encrypted"] = crypto.encrypt(nik) if nik else ""
        fields["nik_index"] = crypto.blind_index("nik", nik) if nik else ""
        fields["passport_encrypted"] = crypto.encrypt(passport) if passport else ""
        fields["passport_index"] = crypto.blind_index("passport", passport) if passport else ""
    fields["source"] = "demo"
    return fields


def baseline_create(world: Any, people: int) -> float:
    """Model.objects.create per row, encryption per value and nearest_mission per person."""
    from django.db import transaction

    from perisai.places.selectors import nearest_mission
    from perisai.registry import demo
    from perisai.registry.models import Consent, Household, Person

    started = time.perf_counter()
    block = demo.generate_block(world, seed=1, index=0, as_of=AS_OF, stop=people)
    demo.add_cells(block)
    with transaction.atomic():
        households: dict[int, Household] = {}
        persons = []
        for j in range(people):
            fields = _person_fields(block, j, encrypt=True)
            mission = nearest_mission(fields["lat"], fields["lon"])
            fields["mission_id"] = None if mission is None else mission.pk
            h = block.household[j]
            if h >= 0 and h not in households:
                public_id, label, created = block.households[h]
                households[h] = Household.objects.create(
                    public_id=public_id,
                    label=label,
                    created_at=dt.datetime.fromisoformat(created).replace(tzinfo=dt.UTC),
                )
            persons.append(Person.objects.create(household=households.get(h), **fields))
        c = block.consents
        for k, j in enumerate(c["person"]):
            Consent.objects.create(
                person=persons[j], purpose=c["purpose"][k], granted=c["granted"][k],
                family_contact_name=c["family_contact_name"][k], family_contact_phone=c["family_contact_phone"][k],
            )  # fmt: skip
    return time.perf_counter() - started


def baseline_bulk_create(world: Any, people: int) -> float:
    """The generator's blocks (one process, missions per city) inserted with bulk_create."""
    from django.db import transaction

    from perisai.registry import demo
    from perisai.registry.models import Consent, Household, Person

    started = time.perf_counter()
    with transaction.atomic():
        for index in range((people - 1) // demo.BLOCK + 1):
            stop = min(demo.BLOCK, people - index * demo.BLOCK)
            block = demo.generate_block(world, seed=1, index=index, as_of=AS_OF, stop=stop)
            demo.add_cells(block)
            households = Household.objects.bulk_create(
                [
                    Household(
                        public_id=u,
                        label=label,
                        created_at=dt.datetime.fromisoformat(c).replace(tzinfo=dt.UTC),
                    )
                    for u, label, c in block.households
                ],
                batch_size=2000,
            )
            rows = []
            for j in range(len(block)):
                fields = _person_fields(block, j, encrypt=True)
                h = block.household[j]
                rows.append(Person(household=households[h] if h >= 0 else None, **fields))
            persons = Person.objects.bulk_create(rows, batch_size=2000)
            c = block.consents
            Consent.objects.bulk_create(
                [
                    Consent(
                        person=persons[j], purpose=c["purpose"][k], granted=c["granted"][k],
                        family_contact_name=c["family_contact_name"][k],
                        family_contact_phone=c["family_contact_phone"][k],
                    )
                    for k, j in enumerate(c["person"])
                ],
                batch_size=2000,
            )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--create-sample", type=int, default=2_000)
    parser.add_argument("--bulk-sample", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--verify", action="store_true", help="Also hash the rows twice (slow for large N).")
    args = parser.parse_args()
    setup()
    from django.db import connection

    from perisai.registry import demo
    from perisai.registry.models import Person

    vendor = connection.vendor
    print(f"# demo-data benchmark: {args.people:,} people into {vendor} ({platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()})", flush=True)  # fmt: skip
    wipe()
    t0 = time.perf_counter()
    world = demo.build_world()
    world_seconds = time.perf_counter() - t0

    results: dict[str, Any] = {"people": args.people, "vendor": vendor}
    create_seconds = baseline_create(world, args.create_sample)
    wipe()
    bulk_seconds = baseline_bulk_create(world, args.bulk_sample)
    wipe()
    create_rate = args.create_sample / create_seconds
    bulk_rate = args.bulk_sample / bulk_seconds
    print(
        f"baseline create: {args.create_sample:,} people in {create_seconds:.1f} s ({create_rate:,.0f}/s)",
        flush=True,
    )
    print(
        f"baseline bulk_create: {args.bulk_sample:,} people in {bulk_seconds:.1f} s ({bulk_rate:,.0f}/s)",
        flush=True,
    )

    started = time.perf_counter()
    report = demo.do_generate_demo_people(people=args.people, seed=1, as_of=AS_OF, workers=args.workers)
    fast_seconds = time.perf_counter() - started  # build_world included (report.phases["world"])
    assert report.created == args.people == Person.objects.filter(source="demo").count()
    print(f"fast: {report}", flush=True)
    if args.verify:
        first = demo.hash_demo_rows()
        wipe()
        demo.do_generate_demo_people(people=args.people, seed=1, as_of=AS_OF, workers=args.workers)
        assert demo.hash_demo_rows() == first, "two runs with one seed differ"
        print("verify: two runs give identical rows", flush=True)

    fast_rate = args.people / fast_seconds
    results.update(
        world_seconds=round(world_seconds, 2),
        create_sample=args.create_sample,
        create_seconds=round(create_seconds, 2),
        bulk_sample=args.bulk_sample,
        bulk_seconds=round(bulk_seconds, 2),
        fast_seconds=round(fast_seconds, 2),
        households=report.households,
        consents=report.consents,
        indexes_rebuilt=report.indexes_rebuilt,
        phases={k: round(v, 2) for k, v in report.phases.items()},
    )
    print()
    print(
        "| method | sample | time for the sample | people/s | time for N (extrapolated for baselines) | vs fast |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, sample, seconds, rate in (
        (
            "Model.objects.create per row, nearest_mission per person",
            args.create_sample,
            create_seconds,
            create_rate,
        ),
        ("bulk_create (batch 2000), one process", args.bulk_sample, bulk_seconds, bulk_rate),
        ("do_generate_demo_people (this)", args.people, fast_seconds, fast_rate),
    ):
        total = args.people / rate
        print(
            f"| {name} | {sample:,} | {seconds:.1f} s | {rate:,.0f} | {total:,.0f} s | {total / fast_seconds:.1f}x |"
        )
    print()
    print("phases of the fast run (main process, seconds):", json.dumps(results["phases"]))
    print("json:", json.dumps(results))


if __name__ == "__main__":
    main()
