"""History simulations per second of a calibration of channel-history on local workers (issue 12:
the goal is 5,000 in 30 minutes on 2 cores, 2.8 a second).

Run with `python benchmarks/calibration_speed.py [--particles 16] [--generations 3]
[--workers 2]`. The workers are started and warmed up (imports and compiled kernels loaded)
before the clock starts. A particle's proposals that a generation's tolerance rejects stop
early, so later generations count simulations that did not all run to the end: the rate is
of proposals decided, which is what bounds a calibration's time.
"""

from __future__ import annotations

import argparse
import time

from channelsim.analysis import abc_smc, scenario_fit
from channelsim.experiments import Processes


def _warm_up() -> float:
    import channelsim

    t0 = time.perf_counter()
    channelsim.run(channelsim.load("channel-history", ["end=2014-01-31"]), seed=0)
    return time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--particles", type=int, default=16)
    p.add_argument("--generations", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    problem = scenario_fit.problem_for("channel-history")
    backend = Processes(args.workers)
    t0 = time.perf_counter()
    with backend:
        list(backend.pool.map(_warm_up_task, range(args.workers)))
        started = time.perf_counter() - t0
        print(f"workers started and warm in {started:.1f} s", flush=True)
        print("| generation | tolerance | simulations | seconds | simulations/s |")
        print("|---|---|---|---|---|", flush=True)
        total = {"simulations": 0.0, "seconds": 0.0}

        def show(row: dict) -> None:
            for k in total:
                total[k] += row[k]
            print(f"| {row['generation']} | {row['epsilon']:.3g} | {row['simulations']} | "
                  f"{row['seconds']:.1f} | {row['simulations'] / row['seconds']:.2f} |",
                  flush=True)

        abc_smc.calibrate(problem, args.particles, args.generations, seed=args.seed,
                          backend=_Open(backend), progress=show)
    print(f"all: {total['simulations']:.0f} simulations in {total['seconds']:.1f} s, "
          f"{total['simulations'] / total['seconds']:.2f} simulations/s on {args.workers} "
          "workers")


def _warm_up_task(_: int) -> float:
    return _warm_up()


class _Open:
    """The started pool, entered once: calibrate's own `with` must not start it again."""

    def __init__(self, backend: Processes):
        self.backend = backend

    def __enter__(self) -> _Open:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def map(self, tasks):
        return self.backend.map(tasks)


if __name__ == "__main__":
    main()
