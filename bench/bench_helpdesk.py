"""The help bot over HTTP under gunicorn: messages per second and latency, against a trivial endpoint.

    .venv/bin/python bench/bench_helpdesk.py [--rate 300] [--seconds 20] [--workers 3] [--database-url URL]
        [--var DIR] [--per-request-connections]

In one run, on loopback, with the same server, middleware and load generator:
- baseline: GET /healthz (a view that returns "ok", through the whole middleware stack);
- the bot: POST /helpdesk/chat/ (the web chat's JSON answer: classify, run the flow, store the encrypted
  messages, open cases for emergencies and hand-offs) with real conversations: 3,000 simulated people each
  send a message from the held-out NLU set (informal Indonesian, English, Malay, Javanese, code-mixed;
  about 8% emergencies), then answer the menus ("1", "1", "2"...);
- both at a fixed offered rate (open loop: latency is counted from when a request was due, so a slow
  server cannot hide its queue), then as fast as 16 concurrent clients can go (closed loop).
The database is a private SQLite file under a temporary PERISAI_VAR_DIR (bootstrapped once, about 40 s;
`--var DIR` keeps it between runs), or PostgreSQL with --database-url. The server runs the shipped settings
(persistent database connections); `--per-request-connections` serves with CONN_MAX_AGE = 0 instead (a new
database connection for every request, the setting shipped before), for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
HELDOUT = ROOT / "perisai" / "helpdesk" / "nlu" / "data" / "heldout.jsonl"
ANSWERS = ["1", "1", "2", "ya", "Malaysia", "1", "tidak", "MENU", "3", "4"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds, from when the request was due
    lag: list[float] = field(default_factory=list)  # open loop: seconds the generator started a request late
    errors: int = 0
    started: float = 0.0
    finished: float = 0.0

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.latencies)
        n = len(ordered)

        def pct(p: float) -> float:
            return ordered[min(n - 1, int(p * n))] * 1000 if n else float("nan")

        span = max(self.finished - self.started, 1e-9)
        return {
            "requests": n + self.errors,
            "errors": self.errors,
            "rate": n / span,
            "p50": pct(0.50),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "max": ordered[-1] * 1000 if n else float("nan"),
            "mean": statistics.fmean(ordered) * 1000 if n else float("nan"),
            "lag_p99": sorted(self.lag)[int(0.99 * len(self.lag))] * 1000 if self.lag else float("nan"),
        }


Request = tuple[str, str, bytes | None, dict[str, str]]


def one(port: int, request: Request) -> bool:
    method, path, body, headers = request
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except OSError:
        return False
    finally:
        connection.close()


def open_loop(port: int, make: Callable[[int], Request], rate: float, seconds: float) -> Result:
    """Offer `rate` requests per second for `seconds`; latency counts from each request's due time.

    One asyncio loop sends them (a thread per request would spend the client's share of the two cores on
    switching threads, and start requests late); how late the generator itself started each request is
    kept in `Result.lag`, so a run in which the client, not the server, fell behind can be told apart."""
    return asyncio.run(_open_loop(port, make, rate, seconds))


async def _send(port: int, request: Request) -> bool:
    method, path, body, headers = request
    payload = body or b""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {len(payload)}\r\n\r\n"
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    try:
        writer.write(head.encode() + payload)
        data = await asyncio.wait_for(reader.read(), timeout=30)  # sync workers close the connection
        return data[9:12] == b"200"
    except (TimeoutError, OSError):
        return False
    finally:
        writer.close()


async def _open_loop(port: int, make: Callable[[int], Request], rate: float, seconds: float) -> Result:
    loop = asyncio.get_running_loop()
    result = Result()
    total = int(rate * seconds)
    start = loop.time() + 0.2
    result.started = start

    async def job(i: int, due: float) -> None:
        ok = await _send(port, make(i))
        if ok:
            result.latencies.append(loop.time() - due)
        else:
            result.errors += 1

    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        result.lag.append(max(0.0, loop.time() - due))
        tasks.append(asyncio.create_task(job(i, due)))
    await asyncio.gather(*tasks)
    result.finished = loop.time()
    return result


def closed_loop(port: int, make: Callable[[int], Request], clients: int, seconds: float) -> Result:
    """`clients` concurrent clients, each sending its next request as soon as the last is answered."""
    result = Result()
    lock = threading.Lock()
    counter = iter(range(10**9))
    stop = time.perf_counter() + seconds
    result.started = time.perf_counter()

    def client() -> None:
        while time.perf_counter() < stop:
            with lock:
                i = next(counter)
            began = time.perf_counter()
            ok = one(port, make(i))
            with lock:
                if ok:
                    result.latencies.append(time.perf_counter() - began)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.finished = time.perf_counter()
    return result


class Conversations:
    """Simulated people: each starts with a real message, then answers the menus."""

    def __init__(self, people: int, seed: int = 7) -> None:
        rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
        rng = random.Random(seed)
        self.openers = [r["text"] for r in rows]
        rng.shuffle(self.openers)
        self.tokens = [secrets.token_urlsafe(24) for _ in range(people)]
        self.lock = threading.Lock()
        self.sent = [0] * people

    def request(self, i: int) -> Request:
        person = i % len(self.tokens)
        with self.lock:
            k = self.sent[person]
            self.sent[person] += 1
        text = self.openers[(person + k) % len(self.openers)] if k % 6 == 0 else ANSWERS[k % len(ANSWERS)]
        body = urllib.parse.urlencode({"token": self.tokens[person], "text": text}).encode()
        return (
            "POST",
            "/helpdesk/chat/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )


PER_REQUEST_SETTINGS = """
from perisai.settings.local import *  # noqa: F403
from perisai.settings.local import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 0
"""


def healthz(i: int) -> Request:
    return ("GET", "/healthz", None, {})


CPU_PROBE = r"""
import json, os, sys, time
sys.path.insert(0, os.environ["BENCH_DIR"])
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from bench_helpdesk import Conversations
people = Conversations(600, seed=11)
client = Client(HTTP_HOST="127.0.0.1")
def send(i):
    method, path, body, headers = people.request(i)
    return client.post(path, body, content_type=headers["Content-Type"], HTTP_ACCEPT="application/json")
for i in range(600):
    send(i)
out = {}
for name, call in (("healthz", lambda i: client.get("/healthz")), ("bot", send)):
    start = time.process_time()
    for i in range(600, 1200):
        call(i)
    out[name] = (time.process_time() - start) / 600 * 1000
with CaptureQueriesContext(connection) as queries:
    for i in range(1200, 1300):
        send(i)
out["queries"] = len(queries) / 100
print(json.dumps(out))
"""


def cpu_cost(env: dict[str, str]) -> dict[str, float]:
    """CPU milliseconds per request in one process (Django's test client, one reused connection): what each
    request costs whatever else the machine is doing. Includes the first classify of each worker."""
    probe = subprocess.run(
        [sys.executable, "-c", CPU_PROBE],
        cwd=ROOT,
        env={**env, "BENCH_DIR": str(Path(__file__).resolve().parent)},
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(probe.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--var", default="", help="keep the bootstrapped database here between runs")
    parser.add_argument(
        "--per-request-connections",
        action="store_true",
        help="serve with CONN_MAX_AGE = 0 (a new database connection per request), not the shipped setting",
    )
    args = parser.parse_args()

    var = Path(args.var) if args.var else Path(tempfile.mkdtemp(prefix="perisai-bench-helpdesk-"))
    env = dict(
        os.environ,
        PERISAI_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="perisai.settings.local",
        DEBUG="false",
        PERISAI_LOG_LEVEL="WARNING",
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    marker = var / "bench-bootstrapped"
    if not marker.exists():
        print("bootstrapping the database (once)...", flush=True)
        subprocess.run(
            [str(BIN / "perisai"), "bootstrap"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        marker.write_text("ok")
    cost = cpu_cost(env)
    settings_dir = None
    if args.per_request_connections:
        settings_dir = Path(tempfile.mkdtemp(prefix="perisai-bench-helpdesk-settings-"))
        (settings_dir / "bench_helpdesk_per_request.py").write_text(PER_REQUEST_SETTINGS)
        env["DJANGO_SETTINGS_MODULE"] = "bench_helpdesk_per_request"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(settings_dir), env.get("PYTHONPATH")]))
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "perisai.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not one(port, healthz(0)):
            time.sleep(0.3)
        people = Conversations(3000)
        print("warming up (every worker loads the classifier)...", flush=True)
        open_loop(port, people.request, 60, 8)
        load = os.getloadavg()[0]
        rows = []
        for name, make in (
            ("GET /healthz (baseline)", healthz),
            ("POST /helpdesk/chat/ (bot)", people.request),
        ):
            rows.append(
                (name, "open loop", args.rate, open_loop(port, make, args.rate, args.seconds).summary())
            )
        for name, make in (
            ("GET /healthz (baseline)", healthz),
            ("POST /helpdesk/chat/ (bot)", people.request),
        ):
            rows.append(
                (
                    name,
                    f"closed, {args.clients} clients",
                    0,
                    closed_loop(port, make, args.clients, args.seconds).summary(),
                )
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.var:
            shutil.rmtree(var, ignore_errors=True)
        if settings_dir:
            shutil.rmtree(settings_dir, ignore_errors=True)

    connections = (
        "a new connection per request (CONN_MAX_AGE = 0)"
        if args.per_request_connections
        else "shipped settings (persistent connections)"
    )
    print()
    print(
        f"cores: {os.cpu_count()}, load average before: {load:.2f}, gunicorn sync workers: {args.workers}, "
        f"database: {'PostgreSQL' if args.database_url else 'SQLite'}"
        f", {connections}"
    )
    print()
    print(
        f"CPU per request in one process: bot {cost['bot']:.2f} ms ({cost['queries']:.1f} queries), "
        f"healthz {cost['healthz']:.2f} ms; ratio {cost['bot'] / cost['healthz']:.0f}x; "
        f"2 free cores would answer about {2000 / cost['bot']:.0f} bot messages/s"
    )
    print()
    print("| endpoint | load | offered/s | achieved/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, mode, offered, s in rows:
        print(
            f"| {name} | {mode} | {offered or '—'} | {s['rate']:.0f} | {s['p50']:.1f} | {s['p95']:.1f} | "
            f"{s['p99']:.1f} | {s['max']:.0f} | {s['errors']} |"
        )
    base, bot = rows[0][3], rows[1][3]
    base_max, bot_max = rows[2][3], rows[3][3]
    print()
    print(
        f"- load generator (open loop): requests started late by at most {base['lag_p99']:.1f} ms (baseline) and "
        f"{bot['lag_p99']:.1f} ms (bot) at p99, counted in the latencies above"
    )
    print(f"- bot p99 / baseline p99 at {args.rate:.0f}/s: {bot['p99'] / base['p99']:.1f}x")
    print(f"- bot throughput / baseline throughput (closed loop): {bot_max['rate'] / base_max['rate']:.2f}")
    ok = bot["rate"] >= 0.97 * args.rate and bot["p99"] < 200 and bot["errors"] == 0
    print(
        f"- target (>= {args.rate:.0f} messages/s with p99 < 200 ms, no errors): {'met' if ok else 'NOT met'}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
