"""A scenario's [calibration] as an ABC problem: parameters and the latent inflow set into the
scenario, one run, its series against the observed ones, one distance.

The inflow's parameters are the first year's level, the step size of the log random walk, and
the log level of each later year (`inflow.log_level.YEAR`) up to the last target
year, whose joint prior is the walk's (a centred walk: the data pin the levels, not the
standard-normal steps that a non-centred walk would fit). Later years walk on with steps from
the caller's stream (a forecast).

A calibration run stops at the last target year and is abandoned as soon as the rows already
simulated put its distance above the tolerance: the accepted runs and their distances are
exactly those of whole runs, at a fraction of the cost.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from .. import scenario
from ..engine import CHUNK_DAYS, Sim
from ..results import Results, boats_used
from ..scenario import MODES, Prior, ScenarioError
from . import abc_smc, scores
from .priors import Walk
from .targets import BOAT, SIMULATED, unsimulated

INFLOW = ("inflow.first_level", "inflow.step")
LOG_LEVEL = "inflow.log_level."
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
    from . import observed  # pandas: a run at a posterior draw needs set_draw, not the data

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
        if name in ("boats", "per_boat"):
            crossed = res.route["crossings"][days][:, routes]
            boats = boats_used(crossed, res.route["people_per_boat"][days][:, routes])
            out[k] = boats if name == "boats" else crossed.sum() / boats if boats else 0.0
        else:
            out[k] = res.route[name][days][:, routes].sum()
    return out


def distance(sim: np.ndarray, rows: list[Row], kind: str, n: int | None = None) -> float:
    """log_rmse on log(1 + x), the averaged relative difference, or the CRPS of log(1 + x);
    a bound counts only by how far the run falls outside it. `sim` is one run's values or
    replicates' ([replicate, row]): log_rmse and ard average the replicates' distances, crps_log
    scores them as an ensemble (each point row's fair CRPS, which rewards a spread as wide as
    the observations' scatter about the runs, where one run's distance penalises any spread).
    With `n` (the target's number of rows) the rows given are the first of them, and the
    result is a lower bound of the whole target's distance (each row's term is >= 0, to a
    rounding error)."""
    ens = np.atleast_2d(sim)
    if kind == "crps_log" and ens.shape[0] < 2:
        raise ValueError("crps_log scores two or more replicates of a draw, not one run")
    obs = np.array([r.value for r in rows])
    low = np.array([r.low for r in rows])
    high = np.array([r.high for r in rows])
    point = ~np.isnan(obs)
    ref = np.where(point, obs, np.where(~np.isnan(low) & (ens < low), low,
                                        np.where(~np.isnan(high) & (ens > high), high, ens)))
    if kind == "crps_log":
        log_ens, log_ref = np.log1p(ens), np.log1p(ref)
        # a bound row has no observation to be scattered about: its replicates' mean excess
        terms = np.where(point, scores.crps_rows(log_ens, log_ref[0], fair=True),
                         np.abs(log_ens - log_ref).mean(axis=0))
        return float(terms.sum() / (n or len(rows)))
    return float(np.mean([_one(x, r, kind, n) for x, r in zip(ens, ref, strict=True)]))


def _one(sim: np.ndarray, ref: np.ndarray, kind: str, n: int | None) -> float:
    """One run's log_rmse or ard against `ref`, the observations with bounds met where kept."""
    if kind == "log_rmse":
        return float(np.sqrt(np.sum((np.log1p(sim) - np.log1p(ref)) ** 2) / (n or len(ref))))
    keep = ref > 0
    count = n or int(keep.sum())
    return float(np.sum(np.abs(sim[keep] - ref[keep]) / ref[keep]) / count) if count else 0.0


def walk(values: dict[str, float], years: list[int], rng: np.random.Generator | None = None,
         max_level: float | None = None) -> dict[int, float]:
    """Inflow levels by year: the fitted log levels, then (past the last fitted year) steps of
    the fitted size drawn from `rng`; clipped to `max_level`."""
    logs = [float(np.log(values["inflow.first_level"]))]
    for y in years[1:]:
        value = values.get(f"{LOG_LEVEL}{y}")
        if value is None:
            if rng is None:
                raise ValueError("years past the fitted inflow walk need a stream to walk on")
            value = logs[-1] + values["inflow.step"] * rng.standard_normal()
        logs.append(float(value))
    levels = values["inflow.first_level"] * np.exp(np.array(logs) - logs[0])
    if max_level is not None:
        levels = np.minimum(levels, max_level)
    return {y: float(v) for y, v in zip(years, levels, strict=True)}


@dataclass(frozen=True)
class ScenarioModel:
    """Runs the scenario at parameter values and returns the weighted distance to the data."""

    raw: dict[str, Any]
    source: str
    names: tuple[str, ...]
    targets: tuple[tuple[str, str, float, tuple[Row, ...]], ...]  # series, distance, weight
    max_level: float | None = None  # the inflow's cap, people a year
    end: str | None = None  # the last day a target needs (ISO): calibration runs stop there
    replicates: int = 1  # runs a draw, with seeds from its stream, scored together

    def scenario_at(self, theta: np.ndarray, end: str | None = None,
                    rng: np.random.Generator | None = None) -> scenario.Scenario:
        """The scenario at a draw, run to `end` (default: the scenario's); years past the
        fitted walk draw their steps from `rng`."""
        raw = copy.deepcopy(self.raw)
        if end is not None:
            raw["end"] = end
        set_draw(raw, self.source, self.names, theta, rng, self.max_level)
        return scenario.from_dict(raw, self.source)

    def scored_by(self, kind: str, replicates: int | None = None) -> ScenarioModel:
        """This model with every target's distance `kind` (and `replicates` runs a draw)."""
        return dataclasses.replace(
            self, replicates=replicates or self.replicates,
            targets=tuple((series, kind, weight, rows) for series, _, weight, rows in self.targets))

    def __call__(self, theta: np.ndarray, rng: np.random.Generator,
                 epsilon: float = np.inf) -> float:
        sims = self.simulations(theta, rng)
        n_days = sims[0].world.n_days
        for day in range(CHUNK_DAYS, n_days, CHUNK_DAYS):  # side by side, scored as they go
            for sim in sims:
                sim.advance(day)
            if self.score([Results.from_sim(sim) for sim in sims], day) > epsilon:
                return np.inf
        for sim in sims:
            sim.advance(n_days)
        return self.score([Results.from_sim(sim) for sim in sims])

    def score(self, runs: list[Results], day: int | None = None) -> float:
        """The weighted distance of the replicates' runs; before `day` (the first day not
        yet simulated) a lower bound from the rows already complete."""
        total = weights = 0.0
        for (_, _, weight, _), part in zip(self.targets, self.parts(runs, day), strict=True):
            total += weight * part
            weights += weight
        return total / weights

    def parts(self, runs: list[Results], day: int | None = None) -> list[float]:
        """Each target's own distance, unweighted (0 where no row is complete before `day`):
        which series a change of parameters brings closer and which it pushes away."""
        out = []
        for series, kind, _, rows in self.targets:
            done = list(rows) if day is None else [r for r in rows if r.last < day]
            if not done:
                out.append(0.0)
                continue
            sim = np.array([simulated(res, series, done) for res in runs])
            out.append(distance(sim, done, kind, None if day is None else len(rows)))
        return out

    def simulations(self, theta: np.ndarray, rng: np.random.Generator) -> list[Sim]:
        """The draw's replicates, not yet run, their seeds from `rng`."""
        sc = self.scenario_at(theta, self.end)
        return [Sim(sc, seed=int(rng.integers(2**31))) for _ in range(self.replicates)]


def set_draw(raw: dict[str, Any], source: str, names: tuple[str, ...], theta: np.ndarray,
             rng: np.random.Generator | None = None, max_level: float | None = None) -> None:
    """Put a draw's values into a scenario's raw table, in place: the latent inflow replaces
    arrivals.per_year, every other name is a dotted key to one number."""
    values = dict(zip(names, theta, strict=True))
    if stray := [n for n in names if n.startswith("inflow.") and n not in INFLOW
                 and not n.startswith(LOG_LEVEL)]:
        raise ScenarioError(source, [(stray[0], "not a parameter of the inflow walk (a "
                                      "posterior of the non-centred walk, whose steps were "
                                      "inflow.z.YEAR, needs a new calibration)")],
                            "cannot take the posterior")
    if "inflow.first_level" in values:
        sc = scenario.from_dict(raw, source)
        years = list(range(sc.start.year, sc.end.year + 1))
        raw.setdefault("arrivals", {})["per_year"] = walk(values, years, rng, max_level)
    for name, value in values.items():
        if not name.startswith("inflow."):
            *path, last = name.split(".")
            node = scenario.value_at(raw, ".".join(path)) if path else raw
            if not isinstance(node, dict) or not isinstance(node.get(last), int | float):
                raise ScenarioError(source, [(name, "the draw names no single number in "
                                              "this scenario (a dotted key path is needed)")],
                                    "cannot take the posterior")
            node[last] = float(value)


def problem_for(name_or_path: str | Path, given: Sequence[Sequence[Row]] | None = None
                ) -> abc_smc.Problem:
    """The ABC problem of a scenario's [calibration]; bad paths or series name their key.
    `given` (rows for each target, in order) replaces the observed rows, e.g. with simulated
    ones for a recovery study; they enter the problem's label, so its store key differs."""
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
    priors: list[Prior | None] = []
    walk = None
    last_target = max(y for t in cal.targets for y in t.years)
    if cal.inflow is not None:
        # levels to the last target year: no calibration run sees a later one (the held-out
        # year's included), so each walks on from its prior, which is its posterior; fitting
        # it would only add noise to the importance weights
        years = range(sc.start.year + 1, min(last_target, sc.end.year) + 1)
        names += [*INFLOW, *(f"{LOG_LEVEL}{y}" for y in years)]
        priors += [cal.inflow.first_level, cal.inflow.step, *(None for _ in years)]
        walk = Walk(0, 1, tuple(range(2, 2 + len(years))))
    problems = []
    for key, prior in cal.parameters.items():
        node = scenario.value_at(raw, key)
        if not isinstance(node, int | float) or isinstance(node, bool):
            problems.append((f"calibration.parameters.{key}", "must name a number in the "
                             "scenario (a dotted key path to a single value, not a table or "
                             "a dated schedule)"))
        names.append(key)
        priors.append(prior)
    n_days = (sc.end - sc.start).days + 1
    targets = []
    problems += unsimulated(cal)
    for i, t in enumerate(cal.targets):
        if t.series not in SIMULATED:
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
    label = f"{sc.name}:{sc.digest()}"
    if given is not None:
        if len(given) != len(targets):
            raise ValueError(f"{len(given)} sets of rows given for {len(targets)} targets")
        targets = [(*t[:3], tuple(g)) for t, g in zip(targets, given, strict=True)]
        label += ":rows:" + hashlib.sha256(repr(targets).encode()).hexdigest()[:16]
    end = min(sc.end, date(last_target, 12, 31)).isoformat()
    model = ScenarioModel(raw, source, tuple(names), tuple(targets),
                          cal.inflow.max_level if cal.inflow else None, end, cal.replicates)
    return abc_smc.Problem(tuple(names), tuple(priors), model, label, walk)
