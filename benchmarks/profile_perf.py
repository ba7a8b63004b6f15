"""Where the compiled day loop's time goes, function by function, under Linux `perf`.

`profile_loop.py` times whole processes; this names the kernels and helpers inside them (and
libm's pow and exp, numba's reference counting), which perf cannot name by itself: the
machine code numba loads has no symbols perf can see. The script runs the history's day loop
--reps times, then writes /tmp/perf-<pid>.map (the address and name of every function numba
has loaded), the file perf reads for code generated at run time:

    perf record -F 4000 -o /tmp/perf.data .venv/bin/python benchmarks/profile_perf.py
    perf report -i /tmp/perf.data --stdio --sort sym | head -40

The samples include the process's start-up and each Sim's set-up; the kernels' names are
numba's mangled ones, shortened here to the part after `channelsim`.
"""

from __future__ import annotations

import argparse
import os

from numba.core.registry import cpu_target

from channelsim import engine, scenario
from channelsim.analysis import posterior


def perf_map(path: str) -> int:
    """Write perf's map of the functions numba has loaded; return how many."""
    jit = cpu_target.target_context.codegen()._engine  # numba keeps no public handle
    found = []
    for name in jit._defined_symbols:
        address = jit._ee.get_function_address(name)
        if address:
            found.append((address, name))
    found.sort()
    ends = [a for a, _ in found[1:]] + [found[-1][0] + 4096]
    with open(path, "w") as out:
        for (address, name), end in zip(found, ends, strict=True):
            short = name.split("channelsim", 1)[1] if "channelsim" in name else name
            out.write(f"{address:x} {min(end - address, 1 << 20):x} {short[:120]}\n")
    return len(found)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=6)
    p.add_argument("--hand-set", action="store_true",
                   help="the scenario's hand-set values, not its posterior's draw 0")
    args = p.parse_args()
    name = "channel-history"
    post = None if args.hand_set else posterior.choose(None, name)
    sc = post.scenario(name, [], 0) if post else scenario.load(name)
    for _ in range(args.reps):
        engine.Sim(sc, seed=0).run()
    print(f"{perf_map(f'/tmp/perf-{os.getpid()}.map')} functions mapped")


if __name__ == "__main__":
    main()
