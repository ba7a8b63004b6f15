"""What a user waits for: whole-process timings of the first commands, beside a numpy yardstick.

Each figure is the median of 5 runs of the installed `channelsim` command, each into a fresh
--out; the first run's compile (into an empty NUMBA_CACHE_DIR) and the fresh clone are run once
each (`--compile-reps` for more). The yardstick, one million people for a year of a plain-numpy
retry loop, is measured in the same run, so the ratios hold on a busy machine too. Writes
benchmarks/STARTUP.md (not RESULTS.md, which `make bench` rewrites) and prints it.

    .venv/bin/python benchmarks/startup.py            # about 4 minutes on 2 cores
    .venv/bin/python benchmarks/startup.py --no-compile
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
COMMAND = [str(Path(sys.executable).with_name("channelsim"))]
HISTORY = ["run", "channel-history", "--json"]
NOTES = "## Notes"  # STARTUP.md from this heading on is written by hand and kept
COMPILING = "compiling"  # in the message a run prints before it compiles
# what the issue asks of each (seconds, or yardsticks for the history run)
TARGETS = {"help": ("< 0.5 s", lambda s, y: s < 0.5),
           "history": ("<= 2 s and <= 3 yardsticks", lambda s, y: s <= 2 and s <= 3 * y),
           "compile": ("< 30 s", lambda s, y: s < 30),
           "clone": ("compiles nothing", None)}


def yardstick(people: int = 1_000_000, days: int = 365, seed: int = 0) -> float:
    """Seconds for a year of the simplest retry loop in plain numpy: each day everyone still
    waiting tries with probability 0.3 and crosses with probability 0.1."""
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    waiting = np.ones(people, dtype=bool)
    for _ in range(days):
        who = np.flatnonzero(waiting)
        tries = who[rng.random(who.size) < 0.3]
        waiting[tries[rng.random(tries.size) < 0.1]] = False
    return time.perf_counter() - t0


def timed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    """Wall seconds of one whole command, and its stderr; a failure stops the benchmark."""
    t0 = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, done.stderr


def median_of(reps: int, make_args, env: dict[str, str], cwd: Path) -> tuple[float, list[str]]:
    runs = [timed(make_args(i), env, cwd) for i in range(reps)]
    return statistics.median(s for s, _ in runs), [e for _, e in runs]


def fresh_clone(work: Path) -> Path:
    """A clone of this checkout's commit in a temporary folder, run from its own sources."""
    status = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout
    if status.strip():
        raise SystemExit("src/ has uncommitted changes: a clone would hold other sources")
    clone = work / "clone"
    subprocess.run(["git", "-c", "advice.detachedHead=false", "clone", "--quiet",
                    "--no-hardlinks", str(REPO), str(clone)],
                   check=True)
    return clone


def measure(reps: int, compile_reps: int, with_compile: bool) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    yard = statistics.median(yardstick() for _ in range(reps))
    rows = [{"what": "numpy yardstick: 1M people for a year", "key": "yardstick",
             "seconds": yard}]
    with tempfile.TemporaryDirectory(prefix="startup-") as tmp:
        work = Path(tmp)
        timed([*COMMAND, *HISTORY, "--out", str(work / "warm-up")], env, work)  # fills the cache
        for key, what, args in [
                ("help", "channelsim --help", ["--help"]),
                ("validate", "channelsim validate channel-history",
                 ["validate", "channel-history"]),
                ("scenarios", "channelsim scenarios list", ["scenarios", "list"])]:
            seconds, _ = median_of(reps, lambda i, a=args: [*COMMAND, *a], env, work)
            rows.append({"what": what, "key": key, "seconds": seconds})
        seconds, _ = median_of(reps, lambda i: [*COMMAND, *HISTORY, "--out", str(work / f"w{i}")],
                               env, work)
        rows.append({"what": "channelsim run channel-history --json (warm)", "key": "history",
                     "seconds": seconds})
        if with_compile:
            seconds, errs = median_of(  # each into its own empty cache
                compile_reps, lambda i: ["env", f"NUMBA_CACHE_DIR={work / f'empty-cache-{i}'}",
                                         *COMMAND, *HISTORY, "--out", str(work / f"c{i}")],
                env, work)
            assert all(COMPILING in e for e in errs), "a first run did not say it compiles"
            rows.append({"what": f"first run, empty NUMBA_CACHE_DIR ({compile_reps} run(s))",
                         "key": "compile", "seconds": seconds})
        clone = fresh_clone(work)
        clone_env = env | {"PYTHONPATH": str(clone / "src")}
        seconds, errs = median_of(
            compile_reps, lambda i: [sys.executable, "-m", "channelsim.cli", *HISTORY,
                                     "--out", str(work / f"k{i}")], clone_env, clone)
        compiled = any(COMPILING in e for e in errs)
        rows.append({"what": "a fresh clone of this commit, its first run", "key": "clone",
                     "seconds": seconds, "met": not compiled,
                     "note": "compiled" if compiled else "compiled nothing"})
    for row in rows:
        row["yardsticks"] = row["seconds"] / yard
        target = TARGETS.get(row["key"])
        if target is not None:
            row["target"] = target[0]
            if target[1] is not None:
                row["met"] = target[1](row["seconds"], yard)
    return rows


def table(rows: list[dict], reps: int, loads: tuple[float, float]) -> str:
    lines = [
        "# Start-up: what a user waits for",
        "",
        f"Measured {datetime.date.today()} by `benchmarks/startup.py` on {platform.machine()}, "
        f"{os.cpu_count()} cores (shared), Python {platform.python_version()}: whole-process "
        f"wall times, medians of {reps} runs with a fresh --out each (a machine shared with "
        "other jobs times noisily; the yardstick is measured in the same run). Load average "
        f"{loads[0]:.1f} at the start, {loads[1]:.1f} at the end.",
        "",
        "| what | seconds | yardsticks | target | met |",
        "|---|---:|---:|---|---|",
    ]
    for r in rows:
        met = {True: "yes", False: "no", None: ""}[r.get("met")]
        note = f" ({r['note']})" if "note" in r else ""
        lines.append(f"| {r['what']} | {r['seconds']:.2f} | {r['yardsticks']:.2f} | "
                     f"{r.get('target', '')} | {met}{note} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--compile-reps", type=int, default=1)
    p.add_argument("--no-compile", action="store_true", help="skip the first run's compile")
    p.add_argument("--output", type=Path, default=HERE / "STARTUP.md")
    args = p.parse_args()
    load = os.getloadavg()[0]
    rows = measure(args.reps, args.compile_reps, not args.no_compile)
    text = table(rows, args.reps, (load, os.getloadavg()[0]))
    old = args.output.read_text() if args.output.exists() else ""
    if NOTES in old:  # the notes below the table are kept (earlier figures, the profile)
        text += "\n" + old[old.index(NOTES):]
    args.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
