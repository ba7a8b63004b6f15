"""Does the calibration's distance select against the weather's persistence?

At posterior particles of the shipped channel-history posterior, the same particle and seed are
run with `weather.persistence` set to each value asked for, and the ABC distance (the one the
calibration accepts on) is computed for each; the paired differences from the first value, with
their standard errors over particles x seeds, say whether persistence raises a run's distance.
With --crps each draw is scored instead as a calibration with `replicates = 2` and the
`crps_log` distance on every target scores it: two runs, seeds from the draw's stream.

    python benchmarks/persistence_distance.py --particles 8 --seeds 5 --values 0 0.33 0.7 0.9
    python benchmarks/persistence_distance.py --particles 8 --seeds 3 --crps
"""

from __future__ import annotations

import argparse
import statistics
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import numpy as np

from channelsim.analysis import posterior, scenario_fit

SCENARIO, NAME = "channel-history", "weather.persistence"


@cache
def _problem_and_posterior(crps: bool):
    """Read once a worker, not once a run."""
    problem = scenario_fit.problem_for(SCENARIO)
    post = posterior.load(posterior.bundled(SCENARIO))
    assert tuple(post.names) == tuple(problem.names), "the posterior is of another problem"
    return (problem.model.scored_by("crps_log", replicates=2) if crps else problem.model), post


def _one(task: tuple[int, int, float, bool]) -> float:
    particle, seed, value, crps = task
    model, post = _problem_and_posterior(crps)
    theta = post.draws[particle].copy()
    theta[list(post.names).index(NAME)] = value
    return model(theta, np.random.default_rng(seed))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--particles", type=int, default=8)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--values", type=float, nargs="+", default=[0.0, 0.33, 0.7, 0.9])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--crps", action="store_true", help="two runs a draw, crps_log distances")
    args = ap.parse_args()
    cells = [(p, s) for p in range(args.particles) for s in range(args.seeds)]
    tasks = [(p, s, v, args.crps) for p, s in cells for v in args.values]
    with ProcessPoolExecutor(args.workers) as pool:
        d = np.array(list(pool.map(_one, tasks))).reshape(len(cells), len(args.values))
    scored = "two runs' crps_log" if args.crps else "one run's distance"
    print(f"{len(cells)} draws a value ({args.particles} posterior particles x {args.seeds} "
          f"seeds), {scored} to 2022-12-31")
    print("| persistence | mean distance | paired difference from the first | its SE |")
    print("|---|---|---|---|")
    for j, v in enumerate(args.values):
        diff = d[:, j] - d[:, 0]
        se = statistics.stdev(diff) / len(diff) ** 0.5 if j else 0.0
        print(f"| {v:g} | {d[:, j].mean():.3f} | {diff.mean():+.3f} | {se:.3f} |")


if __name__ == "__main__":
    main()
