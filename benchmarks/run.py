"""Issue 6's speed figures in one run on one core: channelsim against the Mesa reference.

Run with `make bench`. Writes benchmarks/RESULTS.md and prints it. Absolute figures on a shared
machine are noisy; the ratios, measured side by side in one run, are what to compare.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import time
from pathlib import Path

import mesa
import numpy as np

import channelsim
from channelsim import scenario
from engine_speed import measure, million
from mesa_reference import run as run_mesa

SMALL = ["end=2014-12-31"]  # the history scenario's first year
# sections of the full model that the Mesa reference (the foundation rules) does not have
BEYOND_FOUNDATION = {"": ("learning", "relocation", "funding", "sources"),
                     "behaviour": ("harm_aversion", "funds_median", "funds_spread"),
                     "sites": ("uk_officers", "capacity", "clearance", "drivers"),
                     "routes": ("market", "groups", "boats")}
TARGETS = {"ratio": 100.0, "apd_per_second": 20e6, "bytes_per_person": 150.0, "history_s": 2.0}


def foundation(name: str, overrides: list[str]) -> channelsim.Scenario:
    """The bundled scenario with only the foundation rules, which both implementations have:
    the mechanisms of the full model removed, and each site's first interception policy."""
    raw = scenario.read_raw(scenario.resolve_path(name))
    for key in BEYOND_FOUNDATION[""]:
        raw.pop(key, None)
    for key in BEYOND_FOUNDATION["behaviour"]:
        raw.get("behaviour", {}).pop(key, None)
    for group in ("sites", "routes"):
        for item in raw[group].values():
            for key in BEYOND_FOUNDATION[group]:
                item.pop(key, None)
            if isinstance(item.get("policy"), dict) and "type" not in item["policy"]:
                item["policy"] = item["policy"][min(item["policy"])]
    raw["name"] = f"{name} (foundation rules)"
    for item in overrides:
        scenario.apply_override(raw, item, name)
    return scenario.from_dict(raw, name)


def measure_mesa(sc: channelsim.Scenario, seed: int = 0, repeat: int = 1) -> dict:
    """The fastest of `repeat` runs, its time paired with its own active person-days."""
    best = {"apd_per_second": 0.0}
    for i in range(repeat):
        t0 = time.perf_counter()
        model = run_mesa(sc, seed=seed + i)
        seconds = time.perf_counter() - t0
        rate = model.active_person_days / seconds
        if rate > best["apd_per_second"]:
            best = {"seconds": seconds, "active_person_days": model.active_person_days,
                    "apd_per_second": rate}
    return best


def pin_to_one_core() -> int:
    """Run everything on one core (the last one allowed); return how many were allowed."""
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {max(allowed)})
    return len(allowed)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def engine_commit() -> str:
    """The commit measured, marked if src/ has uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=Path(__file__).resolve().parents[1],
                              capture_output=True, text=True, check=True).stdout.strip()
    try:
        dirty = " with uncommitted changes in src/" if git("status", "--porcelain", "src") else ""
        return git("rev-parse", "--short", "HEAD") + dirty
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def report(rows: list[dict], full: dict, mil: dict, nproc: int) -> str:
    history = rows[-1]
    ratio = history["cs"]["apd_per_second"] / history["mesa"]["apd_per_second"]
    lines = [
        "# Speed: channelsim against the same rules in Mesa",
        "",
        f"Measured {datetime.date.today().isoformat()} by `make bench` (benchmarks/run.py) on "
        f"{cpu_model()}, nproc {nproc}, pinned to one core; Python {platform.python_version()}, "
        f"numpy {np.__version__}, Mesa {mesa.__version__}, channelsim {channelsim.__version__} "
        f"at commit {engine_commit()}.",
        "",
        "The figures are ratios measured in one run on a shared machine: absolute numbers move "
        "with the machine's other load, so compare the columns side by side, not across runs. "
        "channelsim's times are the best of several runs (different seeds); Mesa's "
        "the best of the runs stated. Active person-days are the people present (not yet crossed, "
        "left or dead) summed over days, counted the same way in both; the ratio is of the rates.",
        "",
        "| scenario | days | people | channelsim s | channelsim M apd/s | Mesa s (runs) "
        "| Mesa M apd/s | ratio | channelsim peak bytes/person |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cs, me = r["cs"], r["mesa"]
        lines.append(
            f"| {r['label']} | {cs['days']} | {cs['people']:,} | {cs['seconds']:.2f} | "
            f"{cs['apd_per_second'] / 1e6:.2f} | {me['seconds']:.1f} ({r['mesa_runs']}) | "
            f"{me['apd_per_second'] / 1e6:.2f} | "
            f"{cs['apd_per_second'] / me['apd_per_second']:.1f}x | "
            f"{cs['peak_bytes_per_person']:.0f} |"
        )
    lines.append(
        f"| channel-history, full model (channelsim only) | {full['days']} | "
        f"{full['people']:,} | {full['seconds']:.2f} | {full['apd_per_second'] / 1e6:.2f} | "
        f"- | - | - | {full['peak_bytes_per_person']:.0f} |"
    )
    lines.append(
        f"| synthetic million (channelsim only) | {mil['days']} | {mil['people']:,} | "
        f"{mil['seconds']:.2f} | {mil['apd_per_second'] / 1e6:.2f} | - | - | - | "
        f"{mil['peak_bytes_per_person']:.0f} |"
    )
    checks = [
        ("at least 100x the Mesa reference on the same scenario (channel-history, foundation)",
         f"{ratio:.1f}x", ratio >= TARGETS["ratio"]),
        ("at least 20 million active person-days/s with a million people",
         f"{mil['apd_per_second'] / 1e6:.1f} M",
         mil["apd_per_second"] >= TARGETS["apd_per_second"]),
        ("at most 150 bytes per person (peak traced, synthetic million)",
         f"{mil['peak_bytes_per_person']:.0f} B",
         mil["peak_bytes_per_person"] <= TARGETS["bytes_per_person"]),
        ("the history scenario (full model) in under 2 seconds",
         f"{full['seconds']:.2f} s", full["seconds"] < TARGETS["history_s"]),
    ]
    lines += ["", "| target (issue 6, DESIGN section 5) | measured | met |", "|---|---:|---|"]
    lines += [f"| {what} | {value} | {'yes' if ok else 'no'} |" for what, value, ok in checks]
    lines += ["", "channelsim's time by process (benchmarks/profile_loop.py: the compiled loop "
              "with the CPU's cycle counter read between kernels; `day_end` is the pass that "
              "applies exits, drops the finished, counts the day and tosses tomorrow's coins):",
              ""]
    for label, timings in (("channel-history, full model", full["timings"]),
                           ("channel-history, foundation rules", history["cs"]["timings"]),
                           ("synthetic million", mil["timings"])):
        total = sum(timings.values())
        shares = ", ".join(f"{k} {v / total:.0%}" for k, v in timings.items())
        lines.append(f"- {label}: {shares}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="channelsim runs per scenario")
    args = parser.parse_args()
    nproc = pin_to_one_core()
    rows = []
    for label, overrides, mesa_runs in (
            ("channel-history, foundation rules, 2014 only", SMALL, 3),
            ("channel-history, foundation rules (2014-2025)", [], 3)):
        sc = foundation("channel-history", overrides)
        rows.append({"label": label, "mesa_runs": mesa_runs,
                     "cs": measure(sc, repeat=args.repeat),
                     "mesa": measure_mesa(sc, repeat=mesa_runs)})
    full = measure(channelsim.load("channel-history"), repeat=args.repeat)
    mil = measure(million(args.people), repeat=args.repeat)
    text = report(rows, full, mil, nproc)
    Path(__file__).with_name("RESULTS.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
