"""Time from asking the explorer a question to its chart data, for the history: a new lever
value (B's runs to make, A's cached by the server's start-up warming) and the same again.

Not a test: it prints figures for benchmarks/EXPLORER.md. The server is `channelsim serve`
in a subprocess with a fresh results folder; the times are from POST /api/jobs to the job's
answer (waited for as the page waits: each request answers when the job changes), then from
the click on Run to the chart in chromium.

    .venv/bin/python benchmarks/explorer_latency.py [--reps 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import sys
import time

import httpx

from load import SCENARIO, press_run, serving


def answer(base: str, question: dict) -> tuple[float, float | None, dict]:
    """Seconds from the POST to the answer and to the first answer so far (the page draws
    it: None if there was none), and the finished job."""
    t0 = time.perf_counter()
    first = None
    job = httpx.post(base + "/api/jobs", json=question, timeout=60).json()
    while job["state"] in ("queued", "running"):
        job = httpx.get(f"{base}/api/jobs/{job['job']}", params={"after": job["version"]},
                        timeout=60).json()
        if first is None and "partial" in job:
            first = time.perf_counter() - t0
    if job["state"] != "done":
        raise SystemExit(f"the question failed: {job.get('error')}")
    return time.perf_counter() - t0, first, job


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    started = time.perf_counter()
    with serving() as (_, base):
        up = time.perf_counter() - started
        warm, _, _ = answer(base, {"scenario": SCENARIO, "reps": args.reps})
        print(f"server up in {up:.1f} s; the baseline ({args.reps} runs of A, run by the "
              f"server's start-up warming) ready {up + warm:.1f} s after start")
        for label, value in (("new lever value", 1700), ("same question again", 1700)):
            q = {"scenario": SCENARIO, "reps": args.reps,
                 "levers": {"sites.calais.officers": value}}
            seconds, first, job = answer(base, q)
            so_far = "" if first is None else f", the first replicates' chart at {first:.2f} s"
            print(f"POST to chart data, {label}: {seconds:.2f} s "
                  f"({job['answer']['ran']} runs made{so_far})")
        if not args.no_browser:
            for label, seconds in press_run(base + "/", None):
                print(f"Run to chart in chromium, {SCENARIO}, {label}: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
