"""A scenario's [calibration] as an ABC problem: parameters and the latent inflow set into the
scenario, one run, its series against the observed ones, one distance.

The inflow's parameters are the first year's level, the step size of the log random walk, and
one standard-normal step a year (`inflow.z.YEAR`): the walk's prior is then exactly the stated
one, and the steps are fitted with everything else.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import scenario
from ..engine import run
from ..results import Results
from ..scenario import MODES, Prior, ScenarioError
from . import abc_smc, observed

STEP_PRIOR = Prior(distribution="normal", mean=0.0, sd=1.0)
BOAT, LORRY = (MODES.index("small_boat"),), (MODES.index("lorry_ferry"),
                                               MODES.index("lorry_tunnel"))
# what each observed series is in a run: (route array, modes) summed over the row's days, or
# a site stock averaged over them
SIMULATED = {
    "small_boat_arrivals_monthly": ("crossings", BOAT),
    "small_boat_arrivals_yearly": ("crossings", BOAT),
    "french_preventions": ("interceptions", BOAT),
    "juxtaposed_detections": ("interceptions", LORRY),
    "deaths": ("deaths", None),  # the row's mode: small_boat or all
    "camp_counts": ("waiting", None),
}


@dataclass(frozen=True)
class Row:
    first: int  # day index, inclusive
    last: int
    site: str
    mode: str
    value: float  # NaN for a bound
    low: float
    high: float


def rows_for(target: scenario.Target, start: np.datetime64, n_days: int) -> list[Row]:
    df = observed.load(target.series)
    df = df[df["start"].dt.year.isin(target.years)]
    day0 = np.datetime64(start, "D")
    out = []
    for r in df.itertuples():
        first = int((np.datetime64(r.start.date(), "D") - day0).astype(int))
        last = int((np.datetime64(r.end.date(), "D") - day0).astype(int))
        if first >= 0 and last < n_days:
            out.append(Row(first, last, r.site, r.mode, r.value, r.low, r.high))
    return out


def simulated(res: Results, series: str, rows: list[Row]) -> np.ndarray:
    name, modes = SIMULATED[series]
    out = np.empty(len(rows))
    for k, row in enumerate(rows):
        days = slice(row.first, row.last + 1)
        if name == "waiting":
            out[k] = res.site[name][days, res.site_ids.index(row.site)].mean()
            continue
        wanted = modes if modes is not None else (BOAT if row.mode == "small_boat"
                                                  else tuple(range(len(MODES))))
        routes = np.isin(res.route_mode, wanted)
        out[k] = res.route[name][days][:, routes].sum()
    return out


def distance(sim: np.ndarray, rows: list[Row], kind: str) -> float:
    """log_rmse on log(1 + x), or the averaged relative difference; a bound counts only by how
    far the run falls outside it."""
    obs = np.array([r.value for r in rows])
    low = np.array([r.low for r in rows])
    high = np.array([r.high for r in rows])
    point = ~np.isnan(obs)
    ref = np.where(point, obs, np.where(~np.isnan(low) & (sim < low), low,
                                        np.where(~np.isnan(high) & (sim > high), high, sim)))
    if kind == "log_rmse":
        return float(np.sqrt(np.mean((np.log1p(sim) - np.log1p(ref)) ** 2)))
    keep = ref > 0
    return float(np.mean(np.abs(sim[keep] - ref[keep]) / ref[keep])) if keep.any() else 0.0


@dataclass(frozen=True)
class ScenarioModel:
    """Runs the scenario at parameter values and returns the weighted distance to the data."""

    raw: dict[str, Any]
    source: str
    names: tuple[str, ...]
    targets: tuple[tuple[str, str, float, tuple[Row, ...]], ...]  # series, distance, weight
    max_level: float | None = None  # the inflow's cap, people a year

    def scenario_at(self, theta: np.ndarray) -> scenario.Scenario:
        raw = copy.deepcopy(self.raw)
        values = dict(zip(self.names, theta, strict=True))
        if "inflow.first_level" in values:
            sc = scenario.from_dict(self.raw, self.source)
            years = list(range(sc.start.year, sc.end.year + 1))
            steps = np.array([values[f"inflow.z.{y}"] for y in years[1:]])
            levels = values["inflow.first_level"] * np.exp(
                values["inflow.step"] * np.concatenate([[0.0], np.cumsum(steps)]))
            if self.max_level is not None:
                levels = np.minimum(levels, self.max_level)
            raw["arrivals"]["per_year"] = {y: float(v) for y, v in zip(years, levels,
                                                                       strict=True)}
        for name, value in values.items():
            if not name.startswith("inflow."):
                *path, last = name.split(".")
                node = raw
                for part in path:
                    node = node[part]
                node[last] = float(value)
        return scenario.from_dict(raw, self.source)

    def __call__(self, theta: np.ndarray, rng: np.random.Generator) -> float:
        res = run(self.scenario_at(theta), seed=int(rng.integers(2**31)))
        total = weights = 0.0
        for series, kind, weight, rows in self.targets:
            total += weight * distance(simulated(res, series, list(rows)), list(rows), kind)
            weights += weight
        return total / weights


def problem_for(name_or_path: str | Path) -> abc_smc.Problem:
    """The ABC problem of a scenario's [calibration]; bad paths or series name their key."""
    path = scenario.resolve_path(name_or_path)
    source = str(path)
    raw = scenario.read_raw(path)
    sc = scenario.from_dict(raw, source)
    cal = sc.calibration
    if cal is None:
        raise ScenarioError(source, [("calibration", "the scenario has no [calibration] "
                                      "section to fit")])
    raw = {k: v for k, v in raw.items() if k != "calibration"}
    names: list[str] = []
    priors: list[Prior] = []
    if cal.inflow is not None:
        years = range(sc.start.year + 1, sc.end.year + 1)
        names += ["inflow.first_level", "inflow.step", *(f"inflow.z.{y}" for y in years)]
        priors += [cal.inflow.first_level, cal.inflow.step, *(STEP_PRIOR for _ in years)]
    problems = []
    for key, prior in cal.parameters.items():
        node: Any = raw
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, int | float) or isinstance(node, bool):
            problems.append((f"calibration.parameters.{key}", "must name a number in the "
                             "scenario (a dotted key path to a single value, not a table or "
                             "a dated schedule)"))
        names.append(key)
        priors.append(prior)
    n_days = (sc.end - sc.start).days + 1
    targets = []
    for i, t in enumerate(cal.targets):
        if t.series not in SIMULATED:
            problems.append((f"calibration.targets.{i}.series", f"'{t.series}' is not "
                             f"simulated yet; allowed: {', '.join(SIMULATED)}"))
            continue
        rows = rows_for(t, np.datetime64(sc.start), n_days)
        unknown = sorted({r.site for r in rows if r.site and r.site not in sc.sites})
        if unknown:
            problems.append((f"calibration.targets.{i}.series", f"observed sites {unknown} "
                             f"are not in the scenario's sites ({', '.join(sc.sites)})"))
        if not rows:
            problems.append((f"calibration.targets.{i}.years", f"no observation of "
                             f"{t.series} in {t.years} within the scenario's period"))
        targets.append((t.series, t.distance, t.weight, tuple(rows)))
    if problems:
        raise ScenarioError(source, problems, "cannot calibrate")
    model = ScenarioModel(raw, source, tuple(names), tuple(targets),
                          cal.inflow.max_level if cal.inflow else None)
    return abc_smc.Problem(tuple(names), tuple(priors), model, f"{sc.name}:{sc.digest()}")
