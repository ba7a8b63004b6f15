"""Where the warm history run's time goes: CPU and wall seconds of each phase of one whole
`channelsim run channel-history --json` in this process (fresh --out), medians of --reps runs.

Each run is a fresh interpreter (this script calls itself with --once), so imports and numba's
set-up are counted as a user meets them. Phases are marked by wrapping the functions that
begin and end them; CPU seconds count every thread (DuckDB's too) and hold on a busy machine
better than wall seconds.

    .venv/bin/python benchmarks/profile_run.py --reps 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

OTHER = "other (summaries read back, between phases)"


def once(out: str) -> list[tuple[str, float, float]]:
    """One run with marks: [(phase, wall, cpu)], each phase's own seconds."""
    marks = [("", time.perf_counter(), time.process_time())]

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter(), time.process_time()))

    import channelsim.cli as cli
    mark("import cli (argparse, rich, pydantic scenario, numpy)")
    import channelsim.engine as engine
    mark("import engine (numba, its CPU target, the kernels' modules)")
    import channelsim.store as store
    mark("import store (duckdb, pyarrow)")

    def wrap(owner, name: str, before: str, after: str) -> None:
        raw = vars(owner)[name]
        f = raw.__func__ if isinstance(raw, classmethod) else raw

        def marked(*a, **k):
            mark(before)
            result = f(*a, **k)
            mark(after)
            return result

        setattr(owner, name, classmethod(marked) if isinstance(raw, classmethod) else marked)

    wrap(engine.World, "build", "load the scenario, open the store, plan the runs",
         "world build")
    wrap(engine.Sim, "run", "Sim set-up (people, recorder, processes, State)",
         "the day loop (its first call loads run_days from the cache)")
    wrap(store.Record, "of", OTHER, "Record.of: the run's tables and summary")
    wrap(store.Store, "commit", OTHER, "store commit (one transaction)")
    wrap(store.Store, "export", OTHER, "export: Parquet files and summary.json")
    cli.main(["run", "channel-history", "--json", "--out", out])
    mark("close the store, print the report")
    phases: dict[str, list[float]] = {}
    for (_, t0, c0), (name, t, c) in zip(marks, marks[1:], strict=False):
        wall, cpu = phases.setdefault(name, [0.0, 0.0])
        phases[name] = [wall + t - t0, cpu + c - c0]
    return [(name, wall, cpu) for name, (wall, cpu) in phases.items()]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--once", metavar="OUT", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.once:
        sys.stdout = open(os.devnull, "w")  # the command's JSON
        print(json.dumps(once(args.once)), file=sys.stderr)
        return
    runs, starts = [], []
    with tempfile.TemporaryDirectory(prefix="profile-") as tmp:
        for i in range(args.reps):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            starts.append(time.perf_counter() - t0)
            done = subprocess.run([sys.executable, __file__, "--once", f"{tmp}/r{i}"],
                                  capture_output=True, text=True, check=True)
            runs.append(json.loads(done.stderr.strip().splitlines()[-1]))
    print(f"load average {os.getloadavg()[0]:.1f}; medians of {args.reps} runs\n")
    print("| phase | CPU s | wall s |\n|---|---:|---:|")
    print(f"| Python start-up (`python -c pass`, wall) | | {statistics.median(starts):.3f} |")
    for k, (name, _, _) in enumerate(runs[0]):
        cpu = statistics.median(r[k][2] for r in runs)
        wall = statistics.median(r[k][1] for r in runs)
        print(f"| {name} | {cpu:.3f} | {wall:.3f} |")
    print(f"| total in the process | {statistics.median(sum(x[2] for x in r) for r in runs):.3f}"
          f" | {statistics.median(sum(x[1] for x in r) for r in runs):.3f} |")


if __name__ == "__main__":
    main()
