"""Recovery study (issue 12): calibrate channel-history against observations simulated at known
parameters, and count how many of them fall inside their 90% posterior intervals.

Run with `python benchmarks/recovery.py [--particles 100] [--generations 4] [--workers 2]
[--seed 0] [--truth-seed 0] [--data-seed 0] [--kernel mcmc] [--out results/recovery]
[--note FILE]`.

1. The truth is a draw from the calibration's own prior (`np.random.default_rng(truth seed)`,
   the same prior sampling as a calibration's first generation); draws whose yearly inflow
   reaches the scenario's cap (`max_level`) are rejected and counted, since the cap makes the
   walk's levels unidentifiable and such runs cost minutes each.
2. The synthetic observations: one run at the truth with the data seed, to the calibration's
   last target day; every target row (same series, dates and sites) gets the run's value as a
   point, bounds included, through `scenario_fit.problem_for(..., given=rows)`.
3. The calibration is the project's ABC-SMC (`abc_smc.calibrate`, as `channelsim calibrate`),
   each generation committed to OUT's results store: Ctrl-C keeps the whole generations and
   the same command resumes (with a smaller --generations it simulates nothing and writes the
   note from the generations stored).

The note (default OUT/RECOVERY.md; benchmarks/RECOVERY.md is one) gives per parameter the
truth, the prior's and the posterior's 90% intervals (the prior's from the first generation,
which is a sample of it) and whether the truth is inside; ESS and tolerance per generation;
proposals and wall time. Everything is written generically over the problem's names and priors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from channelsim.analysis import abc_smc, priors, scenario_fit
from channelsim.analysis.commands import _commit
from channelsim.engine import Sim
from channelsim.experiments import Processes, Serial
from channelsim.results import Results
from channelsim.store import STORE_FILE

SCENARIO = "channel-history"
MAX_DRAWS = 1000  # prior draws tried for a truth before giving up


def draw_truth(problem: abc_smc.Problem, seed: int) -> tuple[np.ndarray, int]:
    """The first prior draw (external scale) whose inflow stays under the cap, and how many
    draws before it were rejected."""
    rng = np.random.default_rng(seed)
    prs, model = list(problem.priors), problem.model
    for rejected in range(MAX_DRAWS):
        x = priors.sample(prs, rng, problem.walk)
        theta = np.array([priors.to_external(p, v) for p, v in zip(prs, x, strict=True)])
        cap = getattr(model, "max_level", None)
        levels = model.scenario_at(theta, model.end).arrivals.per_year.values()
        if cap is None or max(levels) < cap:
            return theta, rejected
    raise SystemExit(f"no prior draw of {MAX_DRAWS} stays under the inflow cap")


def synthetic_rows(problem: abc_smc.Problem, theta: np.ndarray, seed: int
                   ) -> list[tuple[scenario_fit.Row, ...]]:
    """Every target's rows with the values of one run at `theta`: points, bounds included."""
    model = problem.model
    sim = Sim(model.scenario_at(theta, model.end), seed=seed)
    sim.run()
    res = Results.from_sim(sim)
    out = []
    for series, _, _, rows in model.targets:
        values = scenario_fit.simulated(res, series, list(rows))
        out.append(tuple(replace(r, value=float(v), low=np.nan, high=np.nan)
                         for r, v in zip(rows, values, strict=True)))
    return out


def weighted_interval(values: np.ndarray, weights: np.ndarray, level: float = 0.9
                      ) -> tuple[float, float]:
    """The central interval of a weighted sample (inverse of its step CDF)."""
    order = np.argsort(values)
    cdf = np.cumsum(weights[order]) / weights.sum()
    tail = (1.0 - level) / 2.0
    lo, hi = np.searchsorted(cdf, [tail, 1.0 - tail], side="left")
    return float(values[order][lo]), float(values[order][min(hi, len(values) - 1)])


def summarise(problem: abc_smc.Problem, result: abc_smc.Result, truth: np.ndarray
              ) -> list[dict[str, Any]]:
    """Per parameter: truth, prior and posterior 90% intervals, and the posterior's width over
    the prior's on the kernel's (internal) scale, where log-uniform ones are logs."""
    first, last = result.generations[0], result.last
    prior, post = result.draws(first), result.draws()
    rows = []
    for k, name in enumerate(problem.names):
        lo, hi = weighted_interval(post[:, k], last.weights)
        width = np.subtract(*weighted_interval(last.thetas[:, k], last.weights)[::-1])
        prior_width = np.subtract(*weighted_interval(first.thetas[:, k], first.weights)[::-1])
        rows.append({"parameter": name, "truth": float(truth[k]),
                     "prior_90": list(weighted_interval(prior[:, k], first.weights)),
                     "mean": float(last.weights @ post[:, k]), "posterior_90": [lo, hi],
                     "width_ratio": float(width / prior_width) if prior_width else None,
                     "inside": bool(lo <= truth[k] <= hi)})
    return rows


def note(info: dict[str, Any]) -> str:
    s = info["settings"]
    inside = sum(r["inside"] for r in info["parameters"])
    n = len(info["parameters"])
    lines = [
        "# Recovery study of channel-history (issue 12)", "",
        "Observations simulated at known parameters, then calibrated with the project's "
        "ABC-SMC; made by", "",
        f"    {info['command']}", "",
        f"at commit {info['commit']}, {info['started']} to {info['ended']} UTC, load average "
        f"{info['load'][0]:.1f} at the start and {info['load'][1]:.1f} at the end (nice "
        f"{info['nice']}, {s['workers']} worker(s)).", "",
        f"**{inside} of {n} true parameters are inside their 90% posterior intervals** after "
        f"{len(info['generations'])} generations of {s['particles']} particles, kernel "
        f"{s['kernel']} (final ESS {info['generations'][-1]['ess']:.1f}, "
        f"{info['generations'][-1].get('distinct', '-')} distinct particles).", "",
        "## The truth and the synthetic observations", "",
        f"The truth is prior draw {info['rejected']} (counting from 0) of the stream "
        f"`np.random.default_rng({s['truth_seed']})`; {info['rejected']} earlier draw(s) "
        "reached the inflow cap and were rejected, and no draw was rejected for any other "
        "reason. The "
        f"observations are one run at the truth with seed {s['data_seed']}, to "
        f"{info['end']}: each target row (same series, dates and sites as the real ones) "
        "holds the run's value as a point, the real data's bounds included.", "",
        "| target | rows |", "|---|---|",
        *(f"| {t} | {c} |" for t, c in info["targets"]), "",
        "## Generations", "",
        "| generation | tolerance | ESS | distinct | acceptance | proposals | seconds |",
        "|---|---|---|---|---|---|---|",
        *(f"| {i} | {'none' if g['epsilon'] is None else format(g['epsilon'], '.4g')} | "
          f"{g['ess']:.1f} | {g.get('distinct', '-')} | {g['acceptance']:.1%} | "
          f"{g['proposals']:,} | {g['seconds']:.0f} |"
          for i, g in enumerate(info["generations"])),
        f"| all | | | | | {info['proposals']:,} | {info['generation_seconds']:.0f} |", "",
        f"{info['proposals']:,} proposals in {info['generation_seconds'] / 60:.1f} minutes of "
        "generations (wall time on the shared cores; a proposal is a run until it is accepted "
        "or its distance is sure to exceed the tolerance; for mcmc, one Metropolis-Hastings "
        "step, and a step the prior refuses is counted but not simulated).", "",
        "## Parameters", "",
        "The prior's 90% interval is that of the first generation (a sample of the prior); the "
        "posterior's is the weighted 5-95% range of the last generation; the width ratio is "
        "the posterior interval's over the prior's on the kernel's scale (logs for log-uniform "
        "priors): near 1, the data taught little about that parameter.", "",
        "| parameter | truth | prior 90% | posterior mean | posterior 90% | width / prior's "
        "| inside |", "|---|---|---|---|---|---|---|",
        *(f"| {r['parameter']} | {r['truth']:.4g} | {r['prior_90'][0]:.4g} - "
          f"{r['prior_90'][1]:.4g} | {r['mean']:.4g} | {r['posterior_90'][0]:.4g} - "
          f"{r['posterior_90'][1]:.4g} | {r['width_ratio']:.2f} | "
          f"{'yes' if r['inside'] else '**no**'} |" for r in info["parameters"]), "",
    ]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--particles", type=int, default=100)
    p.add_argument("--generations", type=int, default=4)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=0, help="the calibration's seed")
    p.add_argument("--truth-seed", type=int, default=0, help="the stream the truth is drawn from")
    p.add_argument("--data-seed", type=int, default=0, help="the run seed of the observations")
    p.add_argument("--kernel", choices=abc_smc.KERNELS, default="mcmc",
                   help="the perturbation kernel, as `channelsim calibrate --kernel`")
    p.add_argument("--out", type=Path, default=Path("results/recovery"))
    p.add_argument("--note", type=Path, default=None, help="the note (default OUT/RECOVERY.md)")
    args = p.parse_args()
    started, load0 = datetime.now(UTC), os.getloadavg()[0]
    base = scenario_fit.problem_for(SCENARIO)
    truth, rejected = draw_truth(base, args.truth_seed)
    print(f"truth: prior draw {rejected} ({rejected} rejected at the inflow cap)", flush=True)
    t0 = time.perf_counter()
    given = synthetic_rows(base, truth, args.data_seed)
    print(f"observations simulated at the truth in {time.perf_counter() - t0:.1f} s", flush=True)
    problem = scenario_fit.problem_for(SCENARIO, given)
    args.out.mkdir(parents=True, exist_ok=True)

    def show(g: dict[str, Any]) -> None:
        print(f"generation {g['generation'] + 1}/{args.generations}: tolerance "
              f"{g['epsilon']:.4g}, ESS {g['ess']:.1f}, {g['distinct']} distinct, "
              f"acceptance {g['acceptance']:.1%}, "
              f"{g['simulations']} proposals in {g['seconds']:.0f} s, about "
              f"{g['seconds_left']:.0f} s left", flush=True)

    backend = Processes(args.workers) if args.workers > 1 else Serial()
    try:
        result = abc_smc.calibrate(problem, args.particles, args.generations, seed=args.seed,
                                   backend=backend, store_path=str(args.out / STORE_FILE),
                                   progress=show, kernel=args.kernel)
    except KeyboardInterrupt:
        print("interrupted: every whole generation is kept; the same command resumes, and with "
              "--generations K it writes the note from K whole ones", file=sys.stderr)
        raise SystemExit(130) from None
    gens = result.generations
    info = {
        "command": " ".join(["python benchmarks/recovery.py", *sys.argv[1:]]),
        "commit": _commit(), "started": started.strftime("%Y-%m-%d %H:%M"),
        "ended": datetime.now(UTC).strftime("%H:%M"), "load": [load0, os.getloadavg()[0]],
        "nice": os.nice(0), "settings": {k: v for k, v in vars(args).items()
                                         if k not in ("out", "note")},
        "rejected": rejected, "end": problem.model.end,
        "targets": [[t[0], len(t[3])] for t in problem.model.targets],
        "generations": [{"epsilon": g.epsilon if np.isfinite(g.epsilon) else None,
                         "ess": g.ess, "distinct": g.distinct, "acceptance": g.acceptance,
                         "proposals": int(g.tries.sum()), "seconds": g.seconds} for g in gens],
        "proposals": int(sum(g.tries.sum() for g in gens)),
        "generation_seconds": sum(g.seconds for g in gens),
        "parameters": summarise(problem, result, truth),
    }
    (args.out / "recovery.json").write_text(json.dumps(info, indent=1))
    path = args.note or args.out / "RECOVERY.md"
    path.write_text(note(info))
    inside = sum(r["inside"] for r in info["parameters"])
    print(f"{inside} of {len(truth)} true parameters inside their 90% intervals; note: {path}")


if __name__ == "__main__":
    main()
