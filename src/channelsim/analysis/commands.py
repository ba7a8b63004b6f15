"""The calibration verbs' work, kept out of cli.py so the command line starts fast: cli.py
registers them and imports this module only when one is used."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from .. import __version__, scenario
from ..store import POSTERIOR_FILE, STORE_FILE, Store
from . import abc_smc, scenario_fit


def _commit() -> str:
    """The source's git commit, so a posterior says what made it ("unknown" if installed)."""
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent,
                              capture_output=True, text=True, timeout=5,
                              check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _record(out: Path, sc: scenario.Scenario) -> None:
    """The scenario's definition in OUT's store, so the report can give its provenance."""
    with Store(out / STORE_FILE) as st:
        st.add_scenarios([sc])


def calibrate(name: str, particles: int, generations: int, seed: int, out: Path | None,
              backend: Any, err: Console, kernel: str = "mcmc") -> tuple[dict[str, Any], Path]:
    """ABC-SMC on the scenario's [calibration]; the posterior goes to OUT/posterior.json and
    every generation into OUT's results store (running the same command again resumes)."""
    problem = scenario_fit.problem_for(name)
    out = out or Path("results") / f"calibrate-{problem.label.split(':')[0]}"
    out.mkdir(parents=True, exist_ok=True)
    _record(out, scenario.load(name))
    started = time.perf_counter()
    replicates = problem.model.replicates  # runs a proposal

    def show(p: dict[str, Any]) -> None:
        err.print(f"generation {p['generation'] + 1}/{generations}: tolerance "
                  f"{p['epsilon']:.4g}, acceptance {p['acceptance']:.1%}, ESS {p['ess']:.0f}, "
                  f"{p['distinct']} distinct, {_proposals(p['simulations'], replicates)}, about "
                  f"{p['seconds_left']:.0f} s left")

    result = abc_smc.calibrate(problem, particles, generations, seed=seed, backend=backend,
                               store_path=str(out / STORE_FILE), progress=show,
                               kernel=kernel)
    seconds = time.perf_counter() - started
    sims = int(sum(g.tries.sum() for g in result.generations))
    draws = result.draws()
    summary = {
        "scenario": problem.label,
        "settings": {"particles": particles, "generations": generations, "seed": seed,
                     "quantile": 0.5, "kernel": kernel, "replicates": replicates},
        "made": {"command": " ".join(["channelsim", *sys.argv[1:]]), "commit": _commit(),
                 "version": __version__, "at": datetime.now(UTC).isoformat(timespec="seconds"),
                 "seconds": round(seconds, 1),
                 # the generations' own time: a resumed calibration's whole wall time
                 "generation_seconds": round(sum(g.seconds for g in result.generations), 1)},
        "generations": [{"epsilon": g.epsilon if g.epsilon < float("inf") else None,
                         "acceptance": g.acceptance, "ess": g.ess, "distinct": g.distinct,
                         "simulations": int(g.tries.sum()), "seconds": g.seconds}
                        for g in result.generations],
        "simulations": sims,
        "parameters": {n: {"mean": float(m), "sd": float(s)} for n, m, s in
                       zip(problem.names, result.mean(), result.sd(), strict=True)},
        "names": list(problem.names),
        "draws": draws.tolist(),
        "weights": result.last.weights.tolist(),
    }
    (out / POSTERIOR_FILE).write_text(json.dumps(summary, indent=1))
    return summary, out


def _proposals(n: int, replicates: int) -> str:
    """"1,600 proposals", or with replicates "1,600 proposals of 2 runs"."""
    return f"{n:,} proposals" + (f" of {replicates} runs" if replicates > 1 else "")


def print_calibration(summary: dict[str, Any], console: Console) -> None:
    from rich.table import Table

    from ..report_text import emit

    last = summary["generations"][-1]
    eps = "none" if last["epsilon"] is None else f"{last['epsilon']:.4g}"
    made = summary["made"]  # a resumed calibration's generations ran in earlier commands
    proposals = _proposals(summary["simulations"], summary["settings"].get("replicates", 1))
    console.print(f"{summary['scenario']}: {len(summary['generations'])} generations, "
                  f"tolerance {eps}, ESS {last['ess']:.0f}, {proposals} "
                  f"in {made['generation_seconds']:,.0f} s of generations "
                  f"({made['seconds']:,.1f} s in this command)")
    table = Table("parameter")
    for column in ("posterior mean", "sd"):
        table.add_column(column, justify="right", no_wrap=True)
    for name, p in summary["parameters"].items():
        table.add_row(name, f"{p['mean']:.4g}", f"{p['sd']:.3g}")
    emit(console, table)


def fit(name: str, overrides: list[str], post: Any, seeds: list[int], out: Path | None,
        backend: Any, uncertainty: str) -> tuple[dict[str, Any], Path]:
    """Posterior predictive runs scored against the target series; the tables go into OUT's
    results store (fit_series, fit_bands, heldout) for `channelsim report`."""
    from . import fit as fitting

    tasks, series, years = fitting.tasks(name, overrides, post, seeds)
    out = out or Path("results") / f"fit-{Path(name).stem}"
    out.mkdir(parents=True, exist_ok=True)
    result, tables = fitting.fit(tasks, series, years, backend, uncertainty)
    base = scenario.load(name, overrides)
    result = {"scenario": name, "scenario_hash": base.digest(), "version": __version__,
              "seeds": seeds} | result
    _record(out, base)
    fitting.store_tables(str(out / STORE_FILE), tables)
    (out / "fit.json").write_text(json.dumps(result, indent=1))
    return result, out


def print_fit(result: dict[str, Any], console: Console) -> None:
    from rich.table import Table

    from ..report_text import emit

    kind = "runs" if result["uncertainty"] == "chance only" else "posterior predictive runs"
    console.print(f"{result['scenario']}: {result['reps']} {kind}")
    table = Table("series", "ARD", "in 50% band", "in 90% band", "CRPS", "observations")
    for name, s in result["series"].items():
        table.add_row(name, f"{s['ard']:.2f}", f"{s['coverage_50']:.0%}",
                      f"{s['coverage_90']:.0%}", f"{s['crps']:.4g}", str(s["n"]))
    emit(console, table)
    for year, h in result["heldout"].items():
        f, m = h["forecast"], h["months"]
        console.print(f"held out {year}, {h['series']} in the year: forecast {f['mean']:,.0f} "
                      f"[{f['p05']:,.0f}, {f['p95']:,.0f}], observed {h['observed']:,.0f}, "
                      f"naive (last year) {h['naive']:,.0f}; by month ARD {m['ard_forecast']:.2f}"
                      f" against the naive {m['ard_naive']:.2f}, {m['coverage_90']:.0%} of "
                      "months in the 90% band", highlight=False)
    if result["heldout"] and result["uncertainty"] == "chance only":
        console.print("without a posterior these are the scenario's own values: a year is held "
                      "out only from a calibration, so this is no test of a forecast",
                      highlight=False)


def forecast(name: str, overrides: list[str], post: Any, seeds: list[int], until: Any,
             out: Path | None, backend: Any, uncertainty: str) -> tuple[dict[str, Any], Path]:
    """Crossings by mode by month with bands; the table goes into OUT's results store."""
    from . import fit as fitting
    from . import forecast as forecasting
    from . import posterior

    tasks = forecasting.tasks(name, overrides, post, seeds, until)
    out = out or Path("results") / f"forecast-{Path(name).stem}"
    out.mkdir(parents=True, exist_ok=True)
    result, table = forecasting.forecast(tasks, backend, uncertainty)
    drawn, default = post.path if post else None, posterior.bundled(name)
    result = {"scenario": name, "overrides": overrides, "until": until.isoformat(),
              "version": __version__, "seeds": seeds,
              # the --posterior that makes it again; None: the default
              "posterior": None if drawn == default else str(drawn or posterior.NONE)} | result
    fitting.store_tables(str(out / STORE_FILE), {"forecast": table})
    (out / "forecast.json").write_text(json.dumps(result, indent=1))
    return result, out


def print_forecast(result: dict[str, Any], console: Console) -> None:
    from rich.table import Table

    from ..report_text import counted, emit, figure_columns

    console.print(f"{result['scenario']}: crossings by month to {result['until']}, "
                  f"{counted(result['reps'], 'run')}, mean [50% band] [90% band]")
    modes = list(result["crossings"])
    if not modes:  # a mode is shown if the scenario has a route of it
        console.print("no route of any mode", highlight=False)
        return
    table = Table("month")
    figure_columns(table, *modes)
    for month in result["months"]:
        cells = [result["crossings"][m][month] for m in modes]
        table.add_row(month, *(f"{c['mean']:,.0f} [{c['p25']:,.0f}-{c['p75']:,.0f}] "
                               f"[{c['p05']:,.0f}-{c['p95']:,.0f}]" for c in cells))
    emit(console, table)
