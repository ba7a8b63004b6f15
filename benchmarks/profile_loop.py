"""Time by process inside the compiled day loop, from the CPU's cycle counter.

Stepping the processes one by one from Python (`channelsim.run(..., timed=True)`) adds about
a microsecond of call overhead to each, which is most of a small process's time. Here the
day loop is compiled like `engine.run_days`, from the plan whose order it follows (tests
check that run_days equals the plan stepped kernel by kernel), with the cycle counter read
between kernels; the shares are of the run's wall time.

Run with `python benchmarks/profile_loop.py [scenario]`.
"""

from __future__ import annotations

import sys
import time

import numba
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

import channelsim
from channelsim import engine
from channelsim.day_end import end_day


@intrinsic
def _cycles(typingctx):
    def codegen(context, builder, signature, args):
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.IntType(64), []), "llvm.readcyclecounter")
        return builder.call(fn, [])
    return types.uint64(), codegen


_LOOPS: dict[tuple[str, ...], numba.core.registry.CPUDispatcher] = {}


def counted_loop(kernels: list) -> tuple[list[str], numba.core.registry.CPUDispatcher]:
    """engine.run_days for the plan's kernels, adding each kernel's cycles to counts[i] (compiled
    once a session: it cannot be cached on disk, and compiling takes most of a minute)."""
    names = [p.name for p in kernels] + ["day_end"]
    if tuple(names) in _LOOPS:
        return names, _LOOPS[tuple(names)]
    lines = ["def loop(s, first, stop, counts):", "    for day in range(first, stop):",
             "        c = cycles()"]
    for i, name in enumerate(names):
        call = f"{name}(s, day)"
        lines += ([f"        if not {call}:", "            return day"] if i == 0
                  else [f"        {call}"])
        lines += ["        now = cycles()", f"        counts[{i}] += now - c", "        c = now"]
    lines.append("    return stop")
    namespace = {"cycles": _cycles, "day_end": end_day} | {p.name: p.kernel for p in kernels}
    exec("\n".join(lines), namespace)  # noqa: S102 - source built above from the plan
    _LOOPS[tuple(names)] = numba.njit(nogil=True)(namespace["loop"])
    return names, _LOOPS[tuple(names)]


def shares(sc: channelsim.Scenario, seed: int = 0) -> dict[str, float]:
    """Seconds by process (and the day's end) in one compiled run of the scenario."""
    sim = engine.Sim(sc, seed=seed)
    names, loop = counted_loop(sim.kernels)
    counts = np.zeros(len(names), dtype=np.uint64)
    loop(sim.st, 0, 0, counts)  # compile outside the timing
    started, n_days = time.perf_counter(), sim.world.n_days
    while sim.day < n_days:
        reached = loop(sim.st, sim.day, min(sim.day + engine.CHUNK_DAYS, n_days), counts)
        if reached == sim.day:
            sim._grow()
        sim.day = reached
    seconds = time.perf_counter() - started
    total = float(counts.sum())
    return {n: seconds * float(c) / total for n, c in zip(names, counts, strict=True)}


def main() -> None:
    sc = channelsim.load(sys.argv[1] if len(sys.argv) > 1 else "channel-history")
    timings = shares(sc)
    total = sum(timings.values())
    for name, s in sorted(timings.items(), key=lambda kv: -kv[1]):
        print(f"{name:12s} {s:7.3f} s {s / total:6.1%}")


if __name__ == "__main__":
    main()
