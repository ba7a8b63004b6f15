"""Load on the explorer: 20 users at once for 60 s against `channelsim serve` on 127.0.0.1,
then the time from pressing Run to the chart in chromium for the history.

Not a test: it prints figures for benchmarks/RESULTS.md. Each user loops over what a page
does (the scenarios, their levers, a comparison already in the cache, and now and then one
of a few others). The server is a subprocess, so its memory is its own (VmRSS).

    .venv/bin/python benchmarks/load.py [--users 20] [--seconds 60] [--screenshot PATH]
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

SCENARIO = "channel-history"
QUESTIONS = [{"sites.calais.officers": v} for v in (800, 1500, 2500)]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving() -> Iterator[tuple[subprocess.Popen, str]]:
    """`channelsim serve` on a free local port with a fresh results folder, once it answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen([str(Path(sys.executable).with_name("channelsim")), "serve",
                                   "--port", str(port), "--results", tmp])
        try:
            for _ in range(600):
                try:
                    httpx.get(base + "/api/scenarios", timeout=5)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            yield server, base
        finally:
            server.terminate()
            server.wait(30)


def user(base: str, stop: float, seed: int, out: list, lock: threading.Lock) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=120) as c:
        while time.perf_counter() < stop:
            kind = rng.choice(["page", "scenarios", "levers", "compare", "compare"])
            t0 = time.perf_counter()
            try:
                if kind == "page":
                    r = c.get("/")
                elif kind == "scenarios":
                    r = c.get("/api/scenarios")
                elif kind == "levers":
                    r = c.get(f"/api/levers/{SCENARIO}")
                else:
                    r = c.post("/api/compare", json={"scenario": SCENARIO, "reps": 3,
                                                     "levers": rng.choice(QUESTIONS)})
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            with lock:
                out.append((kind, time.perf_counter() - t0, ok))


def press_run(base: str, screenshot: Path | None) -> list[tuple[str, float]]:
    """Seconds from the click on Run to the chart drawn, uncached and cached."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=[
            "--headless", "--no-sandbox", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base)
        page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        # the page may open on this scenario already: choosing it again redraws the levers
        # (asynchronously), so wait for that redraw, not the first one
        page.evaluate("delete document.body.dataset.levers")
        page.select_option("#scenario", SCENARIO)
        page.wait_for_selector(f"body[data-levers='{SCENARIO}']", timeout=60_000)
        for n, (label, value) in enumerate([("new question (3 runs of B)", "1200"),
                                            ("same question again (cached)", "1200")], 1):
            page.fill("[data-key='sites.calais.officers']", value)
            t0 = time.perf_counter()
            page.click("#run")
            page.wait_for_selector(f"body[data-done='{n}']", timeout=300_000)
            page.wait_for_selector("#chart .main-svg")
            times.append((label, time.perf_counter() - t0))
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--screenshot", type=Path, default=None)
    args = ap.parse_args()
    with serving() as (server, base):
        rss0 = rss_mib(server.pid)
        t0 = time.perf_counter()
        for q in QUESTIONS:  # the questions the users ask, into the cache
            httpx.post(base + "/api/compare", timeout=600,
                       json={"scenario": SCENARIO, "reps": 3, "levers": q}).raise_for_status()
        warm = time.perf_counter() - t0
        rss_warm = rss_mib(server.pid)
        results: list = []
        lock = threading.Lock()
        stop = time.perf_counter() + args.seconds
        users = [threading.Thread(target=user, args=(base, stop, i, results, lock))
                 for i in range(args.users)]
        for u in users:
            u.start()
        for u in users:
            u.join()
        rss_end = rss_mib(server.pid)
        clicks = press_run(base + "/", args.screenshot)
    lat = sorted(t for _, t, _ in results)
    p95 = lat[int(0.95 * (len(lat) - 1))] if lat else float("nan")
    fails = sum(1 for *_, ok in results if not ok)
    print(f"warming the cache ({len(QUESTIONS)} questions, {len(QUESTIONS) * 3 + 3} runs): "
          f"{warm:.1f} s")
    print(f"{args.users} users for {args.seconds:.0f} s: {len(results)} requests "
          f"({len(results) / args.seconds:.1f}/s), {fails} failures, p95 latency "
          f"{p95 * 1000:.0f} ms, median {lat[len(lat) // 2] * 1000:.0f} ms")
    for kind in ("page", "scenarios", "levers", "compare"):
        ts = sorted(t for k, t, _ in results if k == kind)
        if ts:
            top = ts[int(0.95 * (len(ts) - 1))]
            print(f"  {kind:<10} {len(ts):>6} requests, p95 {top * 1000:.0f} ms")
    print(f"server memory (VmRSS): {rss0:.0f} MiB at start, {rss_warm:.0f} MiB warm, "
          f"{rss_end:.0f} MiB at the end")
    for label, seconds in clicks:
        print(f"Run to chart in chromium, {SCENARIO}, {label}: {seconds:.2f} s")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
