"""Does the calibration's distance favour or penalise a parameter's value, and through which
target?

At posterior particles of a channel-history posterior (the shipped one unless --posterior
says), the same particle and seed are run with parameter --name set to each of --values (or
moved by each of --shifts from the particle's own value), and the ABC distance the
calibration accepts on is computed for each, with each target's own part. Paired differences
from the first value, with their standard errors over particles x seeds, say whether the value
raises a run's distance and which series it brings closer or pushes away. With --crps each
draw is scored as a calibration with `replicates = 2` and the `crps_log` distance on every
target scores it: two runs, seeds from the draw's stream.

    python benchmarks/parameter_distance.py --particles 8 --seeds 5 --values 0 0.33 0.7 0.9
    python benchmarks/parameter_distance.py --particles 8 --seeds 3 --crps
    python benchmarks/parameter_distance.py --name inflow.log_level.2022 --shifts 0 0.3 0.6
"""

from __future__ import annotations

import argparse
import statistics
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np

from channelsim.analysis import posterior, scenario_fit

SCENARIO, PERSISTENCE = "channel-history", "weather.persistence"


@cache
def _problem_and_posterior(path: str | None, crps: bool):
    """Read once a worker, not once a run."""
    problem = scenario_fit.problem_for(SCENARIO)
    post = posterior.load(Path(path) if path else posterior.bundled(SCENARIO))
    if tuple(post.names) != tuple(problem.names):
        raise SystemExit(f"{path or 'the shipped posterior'} fits other parameters than "
                         f"{SCENARIO}'s [calibration]")
    return (problem.model.scored_by("crps_log", replicates=2) if crps else problem.model), post


def _one(task: tuple[str | None, bool, str, int, int, float, bool]) -> list[float]:
    """[total distance, each target's part] of one particle and seed at one value."""
    path, crps, name, particle, seed, value, shift = task
    model, post = _problem_and_posterior(path, crps)
    theta = post.draws[particle].copy()
    at = list(post.names).index(name)
    theta[at] = theta[at] + value if shift else value
    runs = [sim.run() for sim in model.simulations(theta, np.random.default_rng(seed))]
    return [model.score(runs), *model.parts(runs)]


def _paired(d: np.ndarray, j: int) -> tuple[float, float]:
    """Mean and standard error of value j's difference from the first, over draws."""
    if not j:
        return 0.0, 0.0
    diff = d[:, j] - d[:, 0]
    return diff.mean(), (statistics.stdev(diff) / len(diff) ** 0.5 if len(diff) > 1 else np.nan)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posterior", help="a posterior.json (default: the shipped one)")
    ap.add_argument("--name", default=PERSISTENCE, help="a fitted parameter")
    values = ap.add_mutually_exclusive_group()
    values.add_argument("--values", type=float, nargs="+", help="values to set it to")
    values.add_argument("--shifts", type=float, nargs="+",
                        help="amounts added to each particle's own value")
    ap.add_argument("--particles", type=int, default=8)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--crps", action="store_true", help="two runs a draw, crps_log distances")
    args = ap.parse_args()
    shift = args.shifts is not None
    if args.values is None and not shift and args.name != PERSISTENCE:
        raise SystemExit(f"--name {args.name}: give --values or --shifts (the default values "
                         f"are {PERSISTENCE}'s)")
    grid = args.shifts if shift else (args.values or [0.0, 0.33, 0.7, 0.9])
    model, post = _problem_and_posterior(args.posterior, args.crps)
    if args.name not in post.names:
        raise SystemExit(f"--name {args.name}: not fitted; fitted are {', '.join(post.names)}")
    cells = [(p, s) for p in range(args.particles) for s in range(args.seeds)]
    tasks = [(args.posterior, args.crps, args.name, p, s, v, shift)
             for p, s in cells for v in grid]
    with ProcessPoolExecutor(args.workers) as pool:
        d = np.array(list(pool.map(_one, tasks))).reshape(len(cells), len(grid), -1)
    scored = "two runs' crps_log" if args.crps else "one run's distance"
    print(f"{len(cells)} draws a value ({args.particles} posterior particles x {args.seeds} "
          f"seeds), {scored} to {model.end}")
    column = f"{args.name} {'moved by' if shift else 'at'}"
    print(f"| {column} | mean distance | paired difference from the first | its SE |")
    print("|---|---|---|---|")
    for j, v in enumerate(grid):
        mean, se = _paired(d[:, :, 0], j)
        print(f"| {v:g} | {d[:, j, 0].mean():.3f} | {mean:+.3f} | {se:.3f} |")
    print("\nEach target's own part (unweighted): its mean at the first value, then each other "
          "value's paired difference (SE)")
    print("| target | weight | " + " | ".join(f"{v:g}" for v in grid) + " |")
    print("|---|---|" + "---|" * len(grid))
    for k, (series, _, weight, _) in enumerate(model.targets, start=1):
        cells_k = [f"{d[:, 0, k].mean():.3f}"] + [
            "{:+.3f} ({:.3f})".format(*_paired(d[:, :, k], j)) for j in range(1, len(grid))]
        print(f"| {series} | {weight:g} | " + " | ".join(cells_k) + " |")


if __name__ == "__main__":
    main()
