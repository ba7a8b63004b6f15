"""`channelsim sensitivity`: SALib's Morris screening or Sobol indices of every scorecard
figure over a scenario's [calibration] parameters.

Each parameter is varied over its prior's range: uniform as is, log-uniform on the log scale
(so the design spreads over orders of magnitude as the prior does), normal over mean +- 2 sd
within its bounds. Every row of the design runs the same seeds, so the indices measure the
parameters, not which seeds a row drew; a row's figure is the mean over them. The latent
inflow's yearly steps are not screened: the scenario's own arrivals are kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import scenario
from ..experiments import sweep
from ..scenario import Prior, ScenarioError
from ..store import Key, Store
from . import sensitivity

METHODS = ("morris", "sobol")
DEFAULT_N = {"morris": 10, "sobol": 64}  # trajectories; base samples (rows: n * (k + 2))
MAX_ROWS = 20_000
MEASURES = {"morris": ("mu_star", "mu_star_conf"), "sobol": ("ST", "ST_conf")}
TABLE = """
CREATE TABLE IF NOT EXISTS sensitivity (
    scenario_hash VARCHAR, method VARCHAR, figure VARCHAR, parameter VARCHAR,
    measure VARCHAR, value DOUBLE, conf DOUBLE, low DOUBLE, high DOUBLE, rank INTEGER);
"""


@dataclass(frozen=True)
class Axis:
    """One parameter as SALib sees it: a range, on the log scale if `log`."""

    key: str
    low: float
    high: float
    log: bool
    span: tuple[float, float]  # the range in the scenario's units, as the prior gives it

    def value(self, u: float) -> float:
        return float(math.exp(u) if self.log else u)


def axes(sc: scenario.Scenario, source: str) -> list[Axis]:
    cal = sc.calibration
    if cal is None or not cal.parameters:
        raise ScenarioError(source, [("calibration.parameters", "the scenario has no "
                                      "[calibration] parameters to vary")], "cannot screen")
    return [_axis(key, prior) for key, prior in cal.parameters.items()]


def _axis(key: str, p: Prior) -> Axis:
    if p.distribution == "log-uniform":  # exp(log(low)) is not always low
        return Axis(key, math.log(p.low), math.log(p.high), True, (p.low, p.high))
    if p.distribution == "uniform":
        return Axis(key, p.low, p.high, False, (p.low, p.high))
    low, high = p.mean - 2 * p.sd, p.mean + 2 * p.sd
    low, high = (max(low, p.low) if p.low is not None else low,
                 min(high, p.high) if p.high is not None else high)
    return Axis(key, low, high, False, (low, high))


def design(method: str, ax: list[Axis], n: int, seed: int) -> np.ndarray:
    """The design's rows in SALib's own space (log where the axis is)."""
    names, bounds = [a.key for a in ax], [(a.low, a.high) for a in ax]
    if method == "morris":
        return sensitivity.morris_design(names, bounds, trajectories=n, seed=seed)
    return sensitivity.sobol_design(names, bounds, n=n, seed=seed)


@dataclass(frozen=True)
class Design:
    """A screening's parameters, SALib's rows and the scenario each row runs."""

    base: scenario.Scenario
    method: str
    n: int
    seed: int
    axes: tuple[Axis, ...]
    x: np.ndarray
    scenarios: tuple[scenario.Scenario, ...]

    @classmethod
    def of(cls, name: str, overrides: list[str], method: str, n: int | None, seed: int
           ) -> Design:
        base = scenario.load(name, overrides)
        ax = axes(base, name)
        n = n or DEFAULT_N[method]
        if n < 2:  # one trajectory or base sample: a bootstrap interval of width 0
            raise ScenarioError("--n", [(str(n), f"{method} needs at least 2 for its 95% "
                                        "bootstrap interval")], "too small")
        rows = n * (len(ax) + 1) if method == "morris" else n * (len(ax) + 2)
        if rows > MAX_ROWS:
            raise ScenarioError("--n", [(str(n), f"{method} with {len(ax)} parameters makes "
                                        f"{rows:,} design rows; at most {MAX_ROWS:,}")],
                                "too large")
        x = design(method, ax, n, seed)
        scs = tuple(scenario.load(name, overrides + sweep.overrides(
            {a.key: a.value(u) for a, u in zip(ax, row, strict=True)})) for row in x)
        return cls(base, method, n, seed, tuple(ax), x, scs)

    def result(self, store: Store, seeds: list[int], keys: list[Key]) -> dict[str, Any]:
        """The indices from the runs in `store`, saved there too; the command's summary."""
        names, y = figures(store, list(self.scenarios), seeds)
        indices, constant = analyse(self.method, list(self.axes), self.x, names, y, self.seed)
        save(store, self.base.digest(), self.method, indices)
        store.add_scenarios([self.base])  # for the report's provenance
        main, conf = MEASURES[self.method]
        return {
            "scenario": self.base.name, "scenario_hash": self.base.digest(),
            "method": self.method, "n": self.n, "measure": main,
            "interval": f"{main} +- {conf} (95%, bootstrap)",
            "reps": len(seeds), "seeds": seeds, "rows": len(self.x), "runs": len(keys),
            "parameters": [{"key": a.key, "low": a.span[0], "high": a.span[1],
                            "scale": "log" if a.log else "linear"} for a in self.axes],
            "indices": indices, "constant": constant,
            "design_hashes": [s.digest() for s in self.scenarios],
        }


def figures(store: Store, scs: list[scenario.Scenario], seeds: list[int]
            ) -> tuple[list[str], np.ndarray]:
    """The numeric scorecard figures and, per design row, their mean over the seeds."""
    cards = [[s["scorecard"] for s in store.summaries([(sc.digest(), seed) for seed in seeds])]
             for sc in scs]
    names = [k for k, v in cards[0][0].items() if isinstance(v, int | float)
             and not isinstance(v, bool)]
    y = np.array([[np.mean([c[k] if c[k] is not None else np.nan for c in row])
                   for k in names] for row in cards], dtype=float)
    return names, y


def analyse(method: str, ax: list[Axis], x: np.ndarray, names: list[str], y: np.ndarray,
            seed: int) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Per figure, the parameters ranked with their indices and 95% intervals; and the
    figures left out because they did not vary (no index is defined)."""
    varied = [j for j in range(len(names))
              if np.all(np.isfinite(y[:, j])) and np.ptp(y[:, j]) > 0]
    keys, bounds = [a.key for a in ax], [(a.low, a.high) for a in ax]
    if method == "morris":
        found = sensitivity.morris_indices(keys, bounds, x, y[:, varied], seed=seed)
    else:
        found = sensitivity.sobol_indices(keys, bounds, y[:, varied], seed=seed)
    main, conf = MEASURES[method]
    out = {}
    for j, idx in zip(varied, found, strict=True):
        ranked = sensitivity.ranked(idx, main)
        out[names[j]] = [{"parameter": p, "rank": r + 1, **idx[p],
                          "low": idx[p][main] - idx[p][conf],
                          "high": idx[p][main] + idx[p][conf]} for r, p in enumerate(ranked)]
    return out, [names[j] for j in range(len(names)) if j not in varied]


def save(store: Store, h: str, method: str, indices: dict[str, list[dict[str, Any]]]) -> None:
    """The indices into the store's `sensitivity` table, replacing this analysis's rows."""
    main, conf = MEASURES[method]
    store.con.execute(TABLE)
    store.con.execute("DELETE FROM sensitivity WHERE scenario_hash = ? AND method = ?",
                      [h, method])
    rows = [(h, method, figure, i["parameter"], main, i[main], i[conf], i["low"], i["high"],
             i["rank"]) for figure, items in indices.items() for i in items]
    if rows:
        store.con.executemany("INSERT INTO sensitivity VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              rows)


def print_ranked(result: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    from ..report_text import counted, emit, figure_columns

    main = result["measure"]
    console.print(f"{result['scenario']}: {result['method']} over {len(result['parameters'])} "
                  f"parameters, {result['rows']} design rows x {counted(result['reps'], 'seed')} "
                  f"(shared); {result['interval']}")
    table = Table("figure")
    figure_columns(table, "rank")
    table.add_column("parameter")
    figure_columns(table, main, "95% interval")
    for figure, items in result["indices"].items():
        for i in items:
            table.add_row(figure if i["rank"] == 1 else "", str(i["rank"]), i["parameter"],
                          f"{i[main]:.3g}", f"{i['low']:.3g} to {i['high']:.3g}")
    emit(console, table)
    if result["constant"]:
        console.print(f"not varied by these parameters (no index): "
                      f"{', '.join(result['constant'])}")
