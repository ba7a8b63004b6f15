"""Fuzz `channelsim validate` and `run` with mutated scenario files and overrides.

CASES cases from benchmarks/fuzz_cases.py (the bundled files mutated, with overrides) go
through `validate` in this process: any exception other than an exit is a traceback a user
would see. Then RUNS of them (half valid, half refused) go through `channelsim run` in
processes of their own under an address-space limit (RLIMIT_AS) and a time limit, counting
exit codes, tracebacks, runs over the limits and runs whose resident memory (VmHWM, polled)
passed 1 GiB.

Usage: python benchmarks/fuzz.py [--cases 10000] [--runs 40] [--seed 0]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

from fuzz_cases import Case, cases, validate

ADDRESS_SPACE = 2 << 30  # RLIMIT_AS of a run: numba and LLVM reserve more than they use
RESIDENT = 1 << 30  # the memory a run may hold (its peak resident set)
SECONDS = 300  # a run's time limit


def fuzz_validate(n: int, first_seed: int) -> tuple[Counter[str], list[Case], list[Case]]:
    outcomes: Counter[str] = Counter()
    valid: list[Case] = []
    refused: list[Case] = []

    @seed(first_seed)
    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(cases())
    def one(case: Case) -> None:
        try:
            code, _ = validate(case)
        except Exception:  # a traceback a user would see
            outcomes["traceback"] += 1
            if outcomes["traceback"] <= 3:
                print(case.overrides, traceback.format_exc(limit=3), file=sys.stderr)
            return
        outcomes[f"exit {code}"] += 1
        (valid if code == 0 else refused).append(case)

    one()
    return outcomes, valid, refused


def _resident_peak(pid: int) -> int:
    """The process's peak resident bytes so far (VmHWM: its own, unlike ru_maxrss, which
    keeps the forking parent's peak across exec)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) * 1024


def run(case: Case, folder: Path) -> tuple[str, float, int]:
    """Outcome, seconds and peak resident bytes of `channelsim run` on the case."""
    argv = [sys.executable, "-m", "channelsim.cli", "run", *case.write(folder),
            "--out", str(folder / "out"), "--workers", "1"]

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    t0 = time.perf_counter()
    with open(folder / "stderr", "w+b") as err:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=limit)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _resident_peak(proc.pid))
            if time.perf_counter() - t0 > SECONDS:
                proc.kill()
                proc.wait()
                return "over the time limit", time.perf_counter() - t0, peak
            time.sleep(0.05)
        err.seek(0)
        text = err.read().decode(errors="replace")
    seconds = time.perf_counter() - t0
    if "Traceback" in text or "MemoryError" in text:
        print(case.overrides, text[-1500:], file=sys.stderr)
        return "traceback", seconds, peak
    if proc.returncode not in (0, 2):
        print(case.overrides, proc.returncode, text[-800:], file=sys.stderr)
        return f"killed or crashed (exit {proc.returncode})", seconds, peak
    return f"exit {proc.returncode}", seconds, peak


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=10_000)
    p.add_argument("--runs", type=int, default=40)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()

    t0 = time.perf_counter()
    outcomes, valid, refused = fuzz_validate(args.cases, args.seed)
    tried = sum(outcomes.values())
    print(f"validate: {tried:,} cases in {time.perf_counter() - t0:.0f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items()))
          + f"; tracebacks {outcomes['traceback']:,}", flush=True)

    sample = valid[:args.runs // 2] + refused[:args.runs - min(len(valid), args.runs // 2)]
    runs: Counter[str] = Counter()
    worst, slowest = 0, 0.0
    for case in sample:
        with tempfile.TemporaryDirectory() as folder:
            outcome, seconds, peak = run(case, Path(folder))
        runs[outcome] += 1
        runs["resident memory over 1 GiB"] += peak > RESIDENT
        worst, slowest = max(worst, peak), max(slowest, seconds)
    over = runs["over the time limit"] + sum(v for k, v in runs.items() if k.startswith("killed"))
    print(f"run: {len(sample)} cases ({min(len(valid), args.runs // 2)} valid) under "
          f"RLIMIT_AS {ADDRESS_SPACE >> 30} GiB and {SECONDS} s: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(runs.items()))
          + f"; tracebacks {runs['traceback']}, over the limits {over}; peak resident "
          f"{worst / 2**20:,.0f} MiB, slowest {slowest:.0f} s")


if __name__ == "__main__":
    main()
