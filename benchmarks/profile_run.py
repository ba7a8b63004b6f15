"""Where the warm history run's time goes: CPU and wall seconds of each phase of one whole
`channelsim run channel-history --json` in this process (fresh --out), medians of --reps runs.

Each run is a fresh interpreter (this script calls itself with --once), so imports and numba's
set-up are counted as a user meets them. Phases are marked by wrapping the functions that
begin and end them; CPU seconds count every thread (DuckDB's too) and hold on a busy machine
better than wall seconds.

    .venv/bin/python benchmarks/profile_run.py --reps 5
    .venv/bin/python benchmarks/profile_run.py --python ../main/.venv/bin/python  # beside it

With --python, each repetition runs that interpreter's channelsim too, alternating with this
one's, and the table gives both columns: on a busy machine only such a pairing compares.
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
from pathlib import Path

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
    p.add_argument("--python", action="append", default=[], metavar="PYTHON",
                   help="another interpreter (another checkout's venv) to profile alongside")
    p.add_argument("--once", metavar="OUT", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.once:
        sys.stdout = open(os.devnull, "w")  # the command's JSON
        print(json.dumps(once(args.once)), file=sys.stderr)
        return
    pythons = [sys.executable, *args.python]
    runs: dict[str, list] = {py: [] for py in pythons}
    starts = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="profile-") as tmp:
        for i in range(args.reps):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            starts.append(time.perf_counter() - t0)
            for k, py in enumerate(pythons):
                done = subprocess.run([py, __file__, "--once", f"{tmp}/r{i}-{k}"],
                                      capture_output=True, text=True, check=True)
                runs[py].append(json.loads(done.stderr.strip().splitlines()[-1]))
    print(f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
          f"medians of {args.reps} runs; CPU s (wall s) of " + ", ".join(pythons) + "\n")
    heads = ["this checkout", *(str(Path(py).parents[2]) for py in args.python)]
    print("| phase | " + " | ".join(heads) + " |\n|---|" + "---:|" * len(pythons))
    print(f"| Python start-up (`python -c pass`, wall) | ({statistics.median(starts):.3f}) |"
          + " |" * (len(pythons) - 1))
    names = [name for name, _, _ in runs[sys.executable][0]]
    for k, name in enumerate(names):
        cells = [f"{statistics.median(r[k][2] for r in runs[py]):.3f} "
                 f"({statistics.median(r[k][1] for r in runs[py]):.3f})" for py in pythons]
        print(f"| {name} | " + " | ".join(cells) + " |")
    totals = [f"{statistics.median(sum(x[2] for x in r) for r in runs[py]):.3f} "
              f"({statistics.median(sum(x[1] for x in r) for r in runs[py]):.3f})"
              for py in pythons]
    print("| total in the process | " + " | ".join(totals) + " |")


if __name__ == "__main__":
    main()
