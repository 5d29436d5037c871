"""Benchmarks of the money pages, each against a naive baseline measured in the same run.

1. Page weight: headless Chromium (360 px phone) opens the money pages for the first time, with an empty cache.
   Every byte the server sends is counted at the WSGI layer (the service worker's own downloads included),
   as sent and gzip-compressed (what whitenoise and any reverse proxy send). Budget: 300 KB compressed.
   Baseline: the same count for the registry's lapor-diri page (the platform's heaviest public form).
2. Monthly report for a user with 10 years of entries (~20,000, two currencies, transfers home, goals,
   budgets): `selectors.monthly_report` against a naive report that loads all her entries into Python.
   Target: under 200 ms.
3. Sync of 500 entries queued offline (through the API, HTTP and JSON included), then the same 500 again
   (all answered "unchanged"), against a naive per-entry loop (look up, save, audit one by one).
   Target: under 2 s.

    .venv/bin/python bench/bench_finance.py [--entries 20000] [--runs 7] [--no-browser]

Runs on a fresh SQLite database in a temporary directory (or on DATABASE_URL if set).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(var: Path) -> None:
    os.environ["PERISAI_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perisai.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_user(name: str, country: str = "MY") -> Any:
    from perisai.core.models import User
    from perisai.places.models import Country, Currency
    from perisai.registry.models import Consent, Person

    for code, units in (("MYR", 2), ("IDR", 2)):
        Currency.objects.get_or_create(code=code, defaults={"name": code, "minor_units": units})
    Country.objects.get_or_create(
        iso2="MY", defaults={"iso3": "MYS", "name": "Malaysia", "currency_id": "MYR"}
    )
    user = User.objects.create_user(username=name, password=uuid.uuid4().hex, role="migrant")
    person = Person.objects.create(
        user=user, full_name=name, name_key=name, country_id=country, sector="domestic"
    )
    Consent.objects.create(person=person, purpose="statistics", granted=True)
    return user


# ---- data: ten years of a domestic worker's money ----


def fill_years(user: Any, n_entries: int, seed: int = 7) -> dict[str, Any]:
    from perisai.finance import actions
    from perisai.finance.models import Entry, ExchangeRate, Remittance

    rng = random.Random(seed)
    today = dt.datetime.now(tz=dt.UTC).date()
    start = dt.date(today.year - 10, today.month, 1)
    myr = actions.do_create_wallet(owner=user, name="Tunai", kind="cash", currency_code="MYR")
    idr = actions.do_create_wallet(owner=user, name="BRI", kind="bank", currency_code="IDR")
    rates, day, rate = [], start, Decimal(3000)
    while day <= today:
        rates.append(ExchangeRate(currency="MYR", valid_on=day, idr_per_unit=rate, source="bench"))
        day += dt.timedelta(days=7)
        rate = (rate * Decimal(1 + rng.uniform(-0.01, 0.011))).quantize(Decimal("0.01"))
    ExchangeRate.objects.bulk_create(rates)
    goal = actions.do_create_goal(
        owner=user, data=actions.GoalInput(name="Warung", target="20000", currency="MYR")
    )
    days = (today - start).days
    per_month: dict[tuple[int, int], int] = defaultdict(int)
    entries, remittances = [], []
    spend = ["food", "food", "food", "phone", "transport", "personal", "health", "gifts", "rent"]
    for i in range(n_entries):
        day = start + dt.timedelta(days=int(days * i / n_entries))
        month = (day.year, day.month)
        if per_month[month] == 0:
            kind, category, amount = "in", "salary", 180000
        elif per_month[month] == 1:
            kind, category, amount = "out", "sending_home", 100000
        elif per_month[month] == 2:
            kind, category, amount = "out", "savings", 20000
        else:
            kind, category, amount = "out", rng.choice(spend), rng.randint(200, 8000)
        per_month[month] += 1
        wallet = idr if (category == "food" and rng.random() < 0.1) else myr
        if wallet is idr:
            amount *= 3500
        entries.append(
            Entry(public_id=uuid.uuid4(), owner=user, wallet=wallet, kind=kind, category=category,
                  amount_minor=amount, fee_minor=1200 if category == "sending_home" else 0,
                  currency=wallet.currency, occurred_on=day, goal=goal if category == "savings" else None)
        )  # fmt: skip
    Entry.objects.bulk_create(entries, batch_size=2000)
    for e in entries:
        if e.category == "sending_home":
            remittances.append(Remittance(entry=e, provider="Bank", sending_country="MY", rate_received=Decimal(3400),
                                          received_minor=340000 * 100, reference_rate=Decimal(3500),
                                          cost_percent=Decimal("4.057143")))  # fmt: skip
    Remittance.objects.bulk_create(remittances, batch_size=2000)
    for category, amount in (("food", "600"), ("phone", "50"), ("transport", "100")):
        actions.do_set_budget(owner=user, month=today.replace(day=1), category=category, amount=amount,
                              currency_code="MYR")  # fmt: skip
    return {"myr": myr, "idr": idr, "count": len(entries)}


def naive_month_report(user: Any, month: dt.date) -> dict[str, Any]:
    """What one writes first: every entry of hers into Python, filter and convert one by one."""
    from perisai.finance.actions import load_rate_book
    from perisai.finance.models import Entry
    from perisai.finance.money import from_minor

    book = load_rate_book()
    end = (month + dt.timedelta(days=32)).replace(day=1)
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    trend: dict[dt.date, Decimal] = defaultdict(Decimal)
    sent_home = Decimal(0)
    for e in Entry.objects.filter(owner=user).select_related("wallet"):
        rate = book.rate(e.currency, e.occurred_on) or Decimal(0)
        idr = from_minor(e.amount_minor, 2) * rate
        if month <= e.occurred_on < end:
            by_category[e.category] += idr
        if e.occurred_on >= month.replace(year=month.year - 1) and e.occurred_on < end:
            trend[e.occurred_on.replace(day=1)] += idr
        if e.category == "sending_home" and e.occurred_on.year == month.year:
            sent_home += idr
    return {"categories": by_category, "trend": trend, "sent_home": sent_home}


def timed(fn: Any, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def bench_report(user: Any, runs: int) -> dict[str, float]:
    from perisai.finance import selectors

    month = dt.datetime.now(tz=dt.UTC).date().replace(day=1)
    selectors.monthly_report(user=user, month=month)  # warm caches (currencies, first query plans)
    fast = timed(lambda: selectors.monthly_report(user=user, month=month), runs)
    naive = timed(lambda: naive_month_report(user, month), max(3, runs // 2))
    return {"report_ms": statistics.median(fast) * 1000, "naive_ms": statistics.median(naive) * 1000}


# ---- sync ----


def queued_items(wallet: Any, n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    today = dt.datetime.now(tz=dt.UTC).date()
    items = []
    for i in range(n):
        item = {"id": str(uuid.uuid4()), "wallet": str(wallet.public_id), "category": rng.choice(["food", "phone", "transport"]),
                "amount": f"{rng.randint(1, 500)},{rng.randint(0, 99):02d}", "occurred_on": (today - dt.timedelta(days=i % 60)).isoformat(),
                "note": "pasar" if i % 3 else ""}  # fmt: skip
        if i % 10 == 0:
            item.update(category="sending_home", amount="1000", fee="12", rate_received="3450", provider="Bank",
                        sending_country="MY")  # fmt: skip
        items.append(item)
    return items


def naive_sync(user: Any, items: list[dict[str, Any]]) -> None:
    """One entry at a time: look it up, check it, save it (and its transfer details), audit it."""
    from django.db import transaction

    from perisai.core import audit
    from perisai.finance import actions
    from perisai.finance.models import Entry

    with transaction.atomic():
        ctx = actions._context(user)
        for raw in items:
            item = actions.EntryItem(**raw)
            if Entry.objects.filter(public_id=item.id).exists():
                continue
            checked = actions.check_entry(item, ctx)
            entry = Entry.objects.create(public_id=item.id, owner=user, **checked.entry_values())
            if checked.remittance:
                from perisai.finance.models import Remittance

                Remittance.objects.create(entry=entry, **checked.remittance)
            audit.record(actor=user, action="finance.entry.create", target=entry)


def bench_sync(runs: int) -> dict[str, float]:
    from django.test import Client

    from perisai.finance import actions

    api, again, naive = [], [], []
    for r in range(runs):
        user = make_user(f"sync-{r}-{uuid.uuid4().hex[:6]}")
        wallet = actions.do_create_wallet(owner=user, name="Tunai", kind="cash", currency_code="MYR")
        client = Client()
        client.force_login(user)
        body = json.dumps({"items": queued_items(wallet, 500, r)})
        t = time.perf_counter()
        response = client.post("/api/v1/finance/sync", body, content_type="application/json")
        api.append(time.perf_counter() - t)
        assert response.status_code == 200 and response.json()["counts"]["created"] == 500, response.content[
            :300
        ]
        t = time.perf_counter()
        response = client.post("/api/v1/finance/sync", body, content_type="application/json")
        again.append(time.perf_counter() - t)
        assert response.json()["counts"]["unchanged"] == 500
        other = make_user(f"naive-{r}-{uuid.uuid4().hex[:6]}")
        other_wallet = actions.do_create_wallet(owner=other, name="Tunai", kind="cash", currency_code="MYR")
        items = queued_items(other_wallet, 500, 100 + r)
        t = time.perf_counter()
        naive_sync(other, items)
        naive.append(time.perf_counter() - t)
    med = statistics.median
    return {"sync_s": med(api), "resync_s": med(again), "naive_s": med(naive)}


# ---- page weight ----


class ByteCounter:
    """WSGI middleware: every response's bytes as sent and as gzip would send them."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.rows: list[tuple[str, int, int]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        headers_size = [0]

        def counting_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers_size[0] = len(status) + sum(len(k) + len(v) + 4 for k, v in headers)
            return start_response(status, headers, exc_info)

        body = b"".join(self.app(environ, counting_start))
        with self.lock:
            self.rows.append((environ.get("PATH_INFO", ""), headers_size[0] + len(body),
                              headers_size[0] + len(gzip.compress(body, 6))))  # fmt: skip
        return [body]


def bench_pages(user: Any) -> dict[str, Any]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.test import Client
    from playwright.sync_api import sync_playwright

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    counter = ByteCounter(StaticFilesHandler(WSGIHandler()))
    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    pages = ["/finance/", "/finance/catat/", "/finance/laporan/", "/finance/kiriman/", "/finance/utang/"]
    results: dict[str, Any] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])  # fmt: skip
            context = browser.new_context(
                viewport={"width": 360, "height": 740}, is_mobile=True, locale="id-ID"
            )
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            page = context.new_page()
            counter.rows.clear()
            page.goto(base + pages[0], wait_until="networkidle")
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=20000)
            page.wait_for_timeout(500)  # the service worker's downloads finish
            first = list(counter.rows)
            for path in pages[1:]:
                page.goto(base + path, wait_until="networkidle")
            all_pages = list(counter.rows)
            context.close()
            context = browser.new_context(
                viewport={"width": 360, "height": 740}, is_mobile=True, locale="id-ID"
            )
            page = context.new_page()
            counter.rows.clear()
            page.goto(base + "/registry/lapor-diri/", wait_until="networkidle")
            baseline = list(counter.rows)
            browser.close()
    finally:
        server.shutdown()
    for name, rows in (("first_page", first), ("all_pages", all_pages), ("baseline", baseline)):
        results[name] = {"requests": len(rows), "raw_kb": sum(r[1] for r in rows) / 1024,
                         "gzip_kb": sum(r[2] for r in rows) / 1024}  # fmt: skip
    results["largest"] = sorted(all_pages, key=lambda r: -r[2])[:6]
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="perisai-bench-finance-"))
    try:
        setup_django(var)
        from django.db import connection

        print(f"database: {connection.vendor}; entries: {args.entries}; runs: {args.runs}")
        user = make_user("bench-ten-years")
        t = time.perf_counter()
        data = fill_years(user, args.entries)
        print(f"generated {data['count']} entries over 10 years in {time.perf_counter() - t:.1f} s")
        report = bench_report(user, args.runs)
        print(f"monthly report:           median {report['report_ms']:.1f} ms (target < 200 ms)")
        print(
            f"  naive (all in Python):  median {report['naive_ms']:.1f} ms  -> {report['naive_ms'] / report['report_ms']:.1f}x slower"
        )
        sync = bench_sync(max(3, args.runs // 2))
        print(f"sync of 500 queued entries (HTTP API): median {sync['sync_s'] * 1000:.0f} ms (target < 2 s)")
        print(f"  the same 500 sent again (unchanged): median {sync['resync_s'] * 1000:.0f} ms")
        print(
            f"  naive per-entry loop:                median {sync['naive_s'] * 1000:.0f} ms -> {sync['naive_s'] / sync['sync_s']:.1f}x slower"
        )
        if not args.no_browser:
            weight = bench_pages(user)
            for name, label in (("first_page", "first load of /finance/ (with the offline shell)"),
                                ("all_pages", "first load of 5 money pages"),
                                ("baseline", "baseline: /registry/lapor-diri/")):  # fmt: skip
                w = weight[name]
                print(
                    f"{label}: {w['requests']} requests, {w['raw_kb']:.1f} KB sent, {w['gzip_kb']:.1f} KB gzip"
                )
            print(f"  share of the 300 KB budget (gzip, 5 pages): {weight['all_pages']['gzip_kb'] / 300:.0%}")
            print("  largest responses (path, bytes, gzip bytes):", weight["largest"])
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
