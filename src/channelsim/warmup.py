"""The first run's compile: the engine's kernels compiled in worker processes at once, with
progress and an estimate of the time left.

numba compiles a kernel the first time it is called and keeps it in the cache (compiled.py).
One after another, the engine's kernels took about 150 s on 2 cores. Here each worker calls
its share of them on a one-week run of a bundled scenario, filling the cache in parallel; then
this process compiles the day loop (`engine.run_days`), which finds the processes' kernels in
the cache and only links them. `channelsim compile` does this ahead of time (`make` runs it at
install); a first `run` does it when it finds the cache empty.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from concurrent import futures

# each part's compile, seconds measured one after another on this project's 2-core machine
# while it was shared (load about 4); only their ratios count: the estimate of the time left
# is scaled by how fast the finished parts went
COSTS = {"state": 46, "arrivals": 11, "relocation": 38, "attempts": 54, "resolution": 55,
         "drivers": 5, "enforcement": 10, "returns": 2, "camps": 49, "legal_route": 5,
         "market": 6, "learning": 15, "day_end": 22, "run_days": 41}
SCENARIO, OVERRIDES = "channel-history", ["end=2014-01-07"]
MAX_WORKERS = 4


def compile_kernels(report: Callable[[str], None], workers: int | None = None) -> float:
    """Fill numba's cache with every kernel of the engine; returns the seconds it took.
    `report` gets a line as each part is done ("compiling kernels 3/14, about 40 s left")."""
    workers = max(1, min(workers or os.cpu_count() or 1, MAX_WORKERS))
    t0 = time.perf_counter()
    parallel = sorted((p for p in COSTS if p not in ("state", "run_days")), key=COSTS.get,
                      reverse=True)  # longest first: the workers finish close together
    total, done = len(COSTS), 0
    unit = _Estimate(workers)
    report(f"compiling kernels 0/{total} in {workers} processes, about "
           f"{unit.left(list(COSTS)):.0f} s left")
    context = multiprocessing.get_context("spawn")
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is this process's
    try:
        pool = futures.ProcessPoolExecutor(workers, mp_context=context)
        pending = {pool.submit(_compile, part): part for part in parallel}
    finally:
        signal.signal(signal.SIGINT, previous)
    left = ["state", *parallel, "run_days"]
    try:
        for fut in futures.as_completed(pending):
            fut.result()
            part = pending[fut]
            if "state" in left:  # the first to finish built the State first
                left.remove("state")
                done += 1
            left.remove(part)
            done += 1
            unit.update(time.perf_counter() - t0, [p for p in COSTS if p not in left])
            report(f"compiling kernels {done}/{total} ({part}), about {unit.left(left):.0f} s "
                   "left")
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list(getattr(pool, "_processes", {}).values()):  # no public handle
            proc.terminate()
        raise
    pool.shutdown()
    _short_run().run()  # the day loop, from the processes' cached kernels
    report(f"compiling kernels {total}/{total} (run_days): done in "
           f"{time.perf_counter() - t0:.0f} s")
    return time.perf_counter() - t0


class _Estimate:
    """Seconds left: the parts' measured costs at the pace the finished ones went. Every
    worker builds the State first (the first part it is given waits for it), and the day loop
    comes last, on one process; the others share the workers."""

    SERIAL = ("state", "run_days")

    def __init__(self, workers: int):
        self.workers, self.pace = workers, 1.0

    def _cost(self, parts: list[str]) -> float:
        return sum(COSTS[p] if p in self.SERIAL else COSTS[p] / self.workers for p in parts)

    def update(self, elapsed: float, finished: list[str]) -> None:
        self.pace = elapsed / self._cost(finished)

    def left(self, parts: list[str]) -> float:
        return self.pace * self._cost(parts)


def _short_run():
    from . import scenario
    from .engine import Sim

    return Sim(scenario.load(SCENARIO, OVERRIDES), seed=0)


def _compile(part: str) -> None:
    """One part's kernel, called on a short run (whose State is compiled with the first)."""
    sim = _short_run()
    if part == "day_end":
        from .day_end import end_day

        end_day(sim.st, 0)
        return
    next(p for p in sim.kernels if p.name == part).step(sim)
