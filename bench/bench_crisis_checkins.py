"""Check-ins over HTTP on loopback: 32 connections against gunicorn (sync workers), the check-in link's POST
against a trivial JSON endpoint through the same middleware in the same run; then a surge during which the
server is killed with SIGKILL, and every acknowledged check-in is looked for in the database.

    .venv/bin/python bench/bench_crisis_checkins.py [--var /tmp/crisis-bench-var] [--seconds 3] [--windows 6] [--workers 3] [--per-request-connections]

Uses the private SQLite database of bench_crisis_population.py (people to check in). The server runs the
project's settings (perisai.settings.local with DEBUG off) plus one URL, /bench/hello/, a PUBLIC view that
returns {"ok": true}: everything else (middleware, sessions, CSRF, two-factor, axes) is the same. Database
connections are the shipped setting (persistent, CONN_MAX_AGE = 600 for SQLite);
`--per-request-connections` serves with CONN_MAX_AGE = 0 instead (a new connection per request, the setting
shipped before), for comparison.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SETTINGS = """
from perisai.settings.local import *  # noqa
DEBUG = False
ROOT_URLCONF = "bench_crisis_http_urls"
LOGGING = {{"version": 1, "disable_existing_loggers": False, "root": {{"level": "ERROR"}}}}
{conn_max_age}"""
URLS = """
from django.http import JsonResponse
from django.urls import path

from perisai.core.permissions import PUBLIC, requires
from perisai.urls import urlpatterns as project


@requires(PUBLIC)
def hello(request):
    return JsonResponse({"ok": True})


# Last, so that resolving it walks the project's URLs as a real route does.
urlpatterns = [*project, path("bench/hello/", hello)]
"""
REF = re.compile(rb'id="checkin-ref">([0-9a-f-]{36})<')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    env: dict[str, str], port: int, workers: int, worker_class: str, threads: int
) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "perisai.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
            "--backlog", "2048", "--log-level", "error",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/hello/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


class Load:
    """``connections`` threads, each sending requests back to back for ``seconds``."""

    def __init__(self, port: int, connections: int, request: Any) -> None:
        self.port, self.connections, self.request = port, connections, request
        self.latencies: list[float] = []
        self.acked: list[bytes] = []
        self.errors = 0
        self.lock = threading.Lock()

    def run(self, seconds: float, stop: threading.Event | None = None) -> float:
        stop = stop or threading.Event()
        deadline = time.perf_counter() + seconds
        threads = [
            threading.Thread(target=self._worker, args=(i, deadline, stop), daemon=True)
            for i in range(self.connections)
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - start

    def _worker(self, index: int, deadline: float, stop: threading.Event) -> None:
        """A lean HTTP/1.1 client (one request per connection, as sync workers close it): the client's own
        CPU use is small next to the server's, and the same for both endpoints."""
        n = 0
        while time.perf_counter() < deadline and not stop.is_set():
            method, path, body, headers = self.request(index, n)
            n += 1
            head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            raw = (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
            started = time.perf_counter()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
                    sock.sendall(raw)
                    chunks = []
                    while True:
                        chunk = sock.recv(65536)
                        if not chunk:
                            break
                        chunks.append(chunk)
                data = b"".join(chunks)
                status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
            except (OSError, ValueError):
                with self.lock:
                    self.errors += 1
                if stop.is_set():
                    return
                time.sleep(0.01)
                continue
            elapsed = time.perf_counter() - started
            with self.lock:
                if status == 200:
                    self.latencies.append(elapsed)
                    found = REF.search(data)
                    if found:
                        self.acked.append(found.group(1))
                else:
                    self.errors += 1


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "crisis-bench-var"))
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measuring window")
    parser.add_argument("--windows", type=int, default=6, help="alternating hello / check-in windows")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--per-request-connections",
        action="store_true",
        help="CONN_MAX_AGE = 0 (a new database connection per request) instead of the shipped setting",
    )
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="perisai-bench-checkins-"))
    (work / "bench_crisis_http_settings.py").write_text(
        SETTINGS.format(
            conn_max_age='DATABASES["default"]["CONN_MAX_AGE"] = 0\n' if args.per_request_connections else ""
        )
    )
    (work / "bench_crisis_http_urls.py").write_text(URLS)
    env = dict(os.environ)
    env.update(
        PERISAI_VAR_DIR=args.var,
        DJANGO_SETTINGS_MODULE="bench_crisis_http_settings",
        DEBUG="false",
        PYTHONPATH=os.pathsep.join([str(work), str(ROOT), env.get("PYTHONPATH", "")]),
    )
    os.environ.update(env)
    sys.path.insert(0, str(work))
    subprocess.run(
        [sys.executable, "-m", "perisai", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )

    import django

    django.setup()
    from django.utils import timezone

    from perisai.crisis.models import CheckIn, Crisis
    from perisai.crisis.tokens import checkin_token
    from perisai.registry.models import Person

    def new_crisis(title: str) -> Any:
        return Crisis.objects.create(
            title=title,
            type="other",
            country_id="MY",
            status="active",
            exercise=True,
            declared_at=timezone.now(),
        )

    crisis = new_crisis("Bench check-ins")
    people = list(
        Person.objects.filter(status="active").order_by("pk").values_list("pk", flat=True)[:200_000]
    )
    tokens = [checkin_token(crisis.pk, pid) for pid in people]
    statuses = ("safe", "safe", "safe", "not_there")  # "need help" would open cases (not in an exercise)
    db_path = Path(args.var) / "perisai.sqlite3"

    def checkin_request(index: int, n: int) -> tuple[str, str, bytes, dict[str, str]]:
        token = tokens[(index * 7919 + n * args.connections) % len(tokens)]
        body = f"status={statuses[n % len(statuses)]}&message=bench".encode()
        return "POST", f"/crisis/k/{token}/", body, {"Content-Type": "application/x-www-form-urlencoded"}

    def hello_request(index: int, n: int) -> tuple[str, str, bytes, dict[str, str]]:
        return "GET", "/bench/hello/", b"", {}

    port = free_port()
    server = start_server(env, port, args.workers, args.worker_class, args.threads)
    rows = []
    try:
        for _ in range(3):  # warm every worker: its first page loads the catalogues and templates (seconds)
            Load(port, args.connections, hello_request).run(2.0)
            Load(port, args.connections, checkin_request).run(3.0)
        # Short alternating windows: the machine is shared, so both endpoints see the same background load.
        pooled: dict[str, list[float]] = {"hello": [], "check-in": []}
        counts: dict[str, list[tuple[int, float]]] = {"hello": [], "check-in": []}
        errors = {"hello": 0, "check-in": 0}
        for _ in range(args.windows):
            for name, request in (("hello", hello_request), ("check-in", checkin_request)):
                load = Load(port, args.connections, request)
                elapsed = load.run(args.seconds)
                pooled[name] += load.latencies
                counts[name].append((len(load.latencies), elapsed))
                errors[name] += load.errors
        pair_ratios = [
            (c[0] / c[1]) / (h[0] / h[1]) for h, c in zip(counts["hello"], counts["check-in"], strict=True)
        ]
        for name, label in (("hello", "hello (GET, JSON)"), ("check-in", "check-in (POST, HTML page)")):
            total = sum(c for c, _e in counts[name])
            seconds = sum(e for _c, e in counts[name])
            rows.append(
                (label, total / seconds, pct(pooled[name], 0.5), pct(pooled[name], 0.99), errors[name])
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()

    # The surge (a crisis of its own): check-ins as fast as they come; SIGKILL the whole server in the middle.
    crisis = new_crisis("Bench check-ins, surge")
    tokens[:] = [checkin_token(crisis.pk, pid) for pid in people]
    port = free_port()
    server = start_server(env, port, args.workers, args.worker_class, args.threads)
    stop = threading.Event()
    surge = Load(port, args.connections, checkin_request)
    before = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM crisis_checkin").fetchone()[0]
    killer = threading.Timer(args.seconds * 2, lambda: (os.killpg(server.pid, signal.SIGKILL), stop.set()))
    killer.start()
    surge.run(args.seconds * 4, stop)
    server.wait()
    db = sqlite3.connect(db_path)
    after = db.execute("SELECT COUNT(*) FROM crisis_checkin").fetchone()[0]
    acked = {a.decode().replace("-", "") for a in surge.acked}
    stored = {
        r[0] for r in db.execute("SELECT public_id FROM crisis_checkin WHERE crisis_id = ?", (crisis.pk,))
    }
    missing = acked - stored
    CheckIn.objects.count()  # keep the Django connection honest (nothing else)

    ratio = rows[1][1] / rows[0][1]
    connections = (
        "per request (CONN_MAX_AGE = 0)"
        if args.per_request_connections
        else "persistent (the shipped setting)"
    )
    print("# Check-ins over HTTP\n")
    print(
        f"Command: `.venv/bin/python bench/bench_crisis_checkins.py --var {args.var} --seconds {args.seconds:g} "
        f"--windows {args.windows} --worker-class {args.worker_class} --threads {args.threads} "
        f"--workers {args.workers}{' --per-request-connections' if args.per_request_connections else ''}`\n"
    )
    print(
        f"- gunicorn {args.workers} sync workers, {args.connections} client connections (threads, a new TCP "
        f"connection per request: sync workers do not keep connections alive), loopback, SQLite (WAL), "
        f"database connections {connections}; "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average at the end {os.getloadavg()[0]:.1f} (other work shares the machine)"
    )
    print(
        "- each check-in: token check, INSERT of the check-in, UPDATE/INSERT of the roster entry, one commit, an HTML page\n"
    )
    print("| endpoint | requests/s | p50 (ms) | p99 (ms) | errors |")
    print("|---|---|---|---|---|")
    for name, rps, p50, p99, errors in rows:
        print(f"| {name} | {rps:,.0f} | {p50:.1f} | {p99:.1f} | {errors} |")
    print(
        f"\n**check-in / hello throughput: {ratio:.2f}** over {args.windows} alternating windows of "
        f"{args.seconds:g} s each (per window: median {statistics.median(pair_ratios):.2f}, "
        f"range {min(pair_ratios):.2f}-{max(pair_ratios):.2f})\n"
    )
    print(
        f"- **SIGKILL during a surge**: {len(acked):,} check-ins acknowledged to clients before the kill, "
        f"{after - before:,} stored; **{len(missing)} acknowledged but missing**; "
        f"{len(stored) - len(acked & stored):,} stored without an acknowledgement (in flight at the kill); "
        f"{surge.errors:,} requests failed (refused after the kill)"
    )
    assert not missing, "an acknowledged check-in was lost"


if __name__ == "__main__":
    main()
