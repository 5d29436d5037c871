"""Registration form round trip on a throttled "slow 3G" phone, against baselines in the same run.

Profile (WebPageTest "3G Slow"): 400 ms round-trip latency, 400 kbit/s down and up, applied by Chromium's
DevTools protocol. The round trip is: press "Daftar" on a filled form -> POST -> redirect -> the citizen's card
is loaded. Baselines in the same run: the same round trip unthrottled, and a GET of the (tiny) health page on the
same throttled link (the floor one request costs on that network).

    .venv/bin/python bench/bench_registration_3g.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(var: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ, PERISAI_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="perisai.settings.local", DEBUG="true"
    )
    perisai = [sys.executable, "-m", "perisai"]
    subprocess.run([*perisai, "bootstrap"], cwd=ROOT, env=env, check=True, capture_output=True)
    proc = subprocess.Popen(
        [*perisai, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def nik(i: int) -> str:
    return f"35070145099{5000 + i:05d}"[:16]


def round_trip(page, base: str, i: int) -> float:  # type: ignore[no-untyped-def]
    page.goto(base + "/registry/lapor-diri/")
    page.fill("#id_full_name", f"Bench Person {i}")
    page.fill("#id_nik", nik(i))
    page.fill("#id_phone", f"+60 12 {300 + i:03d} {1000 + i:04d}")
    page.select_option("#id_country", "MY")
    page.fill("#id_city_name", "Johor Bahru")
    start = time.perf_counter()
    with page.expect_navigation(url="**/registry/saya/", wait_until="load"):
        page.click("button[type=submit]:has-text('Daftar')")
    elapsed = time.perf_counter() - start
    page.context.clear_cookies()
    return elapsed


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="perisai-bench-3g-"))
    port = free_port()
    server = start_server(var, port)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            context = browser.new_context(
                viewport={"width": 360, "height": 740}, is_mobile=True, locale="id-ID"
            )
            page = context.new_page()
            fast = [round_trip(page, base, i) for i in range(args.runs)]
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            slow = [round_trip(page, base, 100 + i) for i in range(args.runs)]
            floor = []
            for _ in range(args.runs):
                t = time.perf_counter()
                page.goto(base + "/healthz")
                floor.append(time.perf_counter() - t)
            browser.close()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(var, ignore_errors=True)
    med = statistics.median
    print(f"runs per case: {args.runs}")
    print(
        f"registration round trip, slow 3G:   median {med(slow):.2f} s, max {max(slow):.2f} s (target < 3 s)"
    )
    print(f"registration round trip, no limit:  median {med(fast):.3f} s")
    print(f"one GET of /healthz, slow 3G:       median {med(floor):.2f} s")
    print(f"ratio slow-3G round trip / one slow-3G request: {med(slow) / med(floor):.2f}")


if __name__ == "__main__":
    main()
