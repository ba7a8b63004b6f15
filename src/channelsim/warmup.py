"""The first run's compile: the engine's kernels compiled in worker processes at once, with
progress and an estimate of the time left.

numba compiles a kernel the first time it is called and keeps it in the cache (compiled.py).
Here each worker compiles its share of the parts against the State's type, which it reads off
a one-week run of a bundled scenario built without its compiled State (`Sim(start=False)`),
so the State's constructor is compiled once, as a part of its own, not by every worker. This
process meanwhile compiles the day loop (`engine.run_days`), which calls the kernels through
their addresses and so needs neither them nor their code. `channelsim compile` does this ahead
of time (`make` runs it at install); a first `run` does it when it finds the cache empty.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from concurrent import futures
from functools import cache

# each part's compile, CPU seconds measured in this module's pool of 2 workers on this project's
# 2-core machine (benchmarks/STARTUP.md; the first part each worker is given includes the
# worker's imports, about 1 s); the estimate of the time left is scaled by how fast the
# finished parts went
COSTS = {"state": 6.5, "arrivals": 2.3, "relocation": 3.8, "attempts": 10, "resolution": 12,
         "drivers": 0.8, "enforcement": 1.2, "returns": 0.5, "camps": 9.8, "legal_route": 0.9,
         "market": 0.9, "learning": 2.2, "day_end": 4.5}
SCENARIO, OVERRIDES = "channel-history", ["end=2014-01-07"]
MAX_WORKERS = 4


def compile_kernels(report: Callable[[str], None], workers: int | None = None) -> float:
    """Fill numba's cache with every kernel of the engine; returns the seconds it took.
    `report` gets a line as each part is done ("compiling kernels 3/14, about 40 s left")."""
    workers = max(1, min(workers or os.cpu_count() or 1, MAX_WORKERS))
    t0 = time.perf_counter()
    parallel = sorted(COSTS, key=COSTS.get, reverse=True)  # longest first: they finish close
    total = len(COSTS) + 1  # and run_days
    unit = _Estimate(workers)
    report(f"compiling kernels 0/{total} in {workers} processes, about "
           f"{unit.left(parallel):.0f} s left")
    context = multiprocessing.get_context("spawn")
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is this process's
    try:
        pool = futures.ProcessPoolExecutor(workers, mp_context=context)
        pending = {pool.submit(_compile, part): part for part in parallel}
    finally:
        signal.signal(signal.SIGINT, previous)
    left = list(parallel)
    try:
        _compile_run_days()  # here while the workers start: it needs the State's type only
        done = 1
        report(f"compiling kernels 1/{total} (run_days), about {unit.left(left):.0f} s left")
        for fut in futures.as_completed(pending):
            worker = fut.result()
            part = pending[fut]
            left.remove(part)
            done += 1
            unit.update(time.perf_counter() - t0, worker, part)
            report(f"compiling kernels {done}/{total} ({part}), about {unit.left(left):.0f} s "
                   "left")
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list(getattr(pool, "_processes", {}).values()):  # no public handle
            proc.terminate()
        raise
    pool.shutdown()
    return time.perf_counter() - t0


def _compile_run_days() -> None:
    """The day loop, which calls the kernels through their addresses: it compiles in a
    fraction of a second and does not need them compiled."""
    from numba.core import types

    from .engine import run_days

    run_days.compile((_state_type(), types.int64[::1], types.int64, types.int64))


class _Estimate:
    """Seconds left: the parts' measured costs, shared among the workers, at the pace the
    finished ones went. The pace is the time gone over the busiest worker's finished parts:
    while its first part runs, the other workers' are running too, so the finished parts'
    costs shared among all the workers would say the compile goes up to `workers` times
    slower than it does."""

    def __init__(self, workers: int):
        self.workers, self.pace, self.busy = workers, 1.0, {}

    def _cost(self, parts: list[str]) -> float:
        return sum(COSTS[p] for p in parts) / self.workers

    def update(self, elapsed: float, worker: int, part: str) -> None:
        """`part` is done, by `worker` (any id), `elapsed` seconds since the start."""
        self.busy[worker] = self.busy.get(worker, 0.0) + COSTS[part]
        self.pace = elapsed / max(self.busy.values())

    def left(self, parts: list[str]) -> float:
        return self.pace * self._cost(parts)


def _short_run(start: bool = True):
    from . import scenario
    from .engine import Sim

    return Sim(scenario.load(SCENARIO, OVERRIDES), seed=0, start=start)


@cache
def _state_type():
    return _short_run(start=False).state_type()


def _compile(part: str) -> int:
    """One part's kernels: the State's constructor and day 0's start, or a process's day
    compiled against the State's type (the day's end for "day_end"); returns the worker's
    process id."""
    if part == "state":
        _short_run()
        return os.getpid()
    from numba.core import types

    from .day_end import end_day
    from .engine import default_plan

    kernel = end_day if part == "day_end" else next(
        p.kernel for p in default_plan() if p.name == part)
    kernel.compile((_state_type(), types.int64))
    return os.getpid()
