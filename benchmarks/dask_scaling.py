"""Ensemble speed-up of 2 Dask workers over 1 (DESIGN section 5: at least 1.8x, runs of a second).

Run with `python benchmarks/dask_scaling.py [--runs 8] [--scenario channel-history]`. Each
LocalCluster is started and warmed up (every worker runs a short scenario, so imports and
compiled kernels are loaded) before the clock starts; the ensemble then runs into a fresh
results store, as `channelsim run --reps N --dask-local W` does. The seconds a run takes inside
its worker show whether other load slowed a measurement. With no core to spare (2 workers on 2
cores), the process that receives and commits the runs takes its share from the workers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import channelsim
from channelsim.experiments import Dask, execute, plan
from channelsim.store import STORE_FILE, Store


def _warm_up() -> None:
    channelsim.run(channelsim.load("channel-history", ["end=2014-01-31"]), seed=0)


def ensemble(sc: channelsim.Scenario, workers: int, runs: int) -> dict[str, float]:
    """Wall seconds for the ensemble, and the mean seconds of a run inside a worker."""
    with Dask(workers=workers) as backend, tempfile.TemporaryDirectory() as tmp, \
            Store(Path(tmp) / STORE_FILE) as st:
        backend.client.run(_warm_up)
        t0 = time.perf_counter()
        _, todo = plan(st, [sc], range(runs))
        inside: list[float] = []
        execute(st, todo, backend, on_done=lambda rec: inside.append(rec.seconds))
        return {"wall": time.perf_counter() - t0, "per_run": statistics.mean(inside)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="channel-history")
    p.add_argument("--runs", type=int, default=8)
    args = p.parse_args()
    sc = channelsim.load(args.scenario)
    print(f"{args.scenario}, an ensemble of {args.runs} runs, {os.cpu_count()} cores")
    result = {n: ensemble(sc, n, args.runs) for n in (1, 2)}
    print("| Dask workers | ensemble s | s a run inside a worker | speed-up |")
    print("|---:|---:|---:|---:|")
    for n, t in result.items():
        print(f"| {n} | {t['wall']:.1f} | {t['per_run']:.2f} | "
              f"{result[1]['wall'] / t['wall']:.2f}x |")


if __name__ == "__main__":
    main()
