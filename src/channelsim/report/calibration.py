"""A calibration in the report (what `channelsim calibrate` writes): each parameter's weighted
posterior over its prior's range, the inflow's yearly levels as a band, the generations, the
fit and held-out forecast once `channelsim fit` has written them into the same folder, and
what reproduces it (command, commit, settings, seed, times)."""

from __future__ import annotations

import shlex
from typing import Any

import numpy as np

from ..analysis.scenario_fit import LOG_LEVEL, walk
from ..analysis.scenario_sensitivity import _axis
from ..scenario import Calibration, Prior
from ..store import POSTERIOR_FILE
from . import fit
from .figures import Band, Chart, Figure, Histogram, Section, Table, _provenance, fmt
from .load import Experiment, scenario_argument

BINS = 20


def sections(exp: Experiment) -> list[Section]:
    s = exp.summary
    names = list(s["names"])
    draws = np.asarray(s["draws"], dtype=float)
    weights = np.asarray(s["weights"], dtype=float)
    weights = weights / weights.sum()
    cal = _calibration(exp)
    priors = {n: _prior(cal, n) for n in names} if cal else {}
    ess = 1 / float(np.sum(weights ** 2))
    note = (f"{len(weights)} particles of the last generation, weighted (effective sample "
            f"size {ess:.0f}); dashed lines: the prior's range")
    posterior: list[Figure] = [_table(names, draws, weights, priors)]
    inflow = _inflow(names, draws, weights, cal)
    if inflow is not None:
        posterior.append(inflow)
    posterior += [_histogram(n, draws[:, k], weights, priors.get(n), note)
                  for k, n in enumerate(names) if not n.startswith(LOG_LEVEL)]  # in the band
    # the generations first: a collapsed ESS says how far to trust everything after
    out = [Section("Generations", [_generations(s)]), Section("Posterior", posterior)]
    if exp.fit is not None:
        out += fit.fitted(exp.fit, exp.tables)
    else:
        out.append(Section("Fit against the target series", [_fit_command(exp)]))
    out.append(Section("Provenance and reproduction", _provenance(exp, _made(s))))
    return out


WALK = "walk"  # a fitted log level's prior is the inflow walk's joint density, not its own


def _calibration(exp: Experiment) -> Calibration | None:
    d = exp.definitions.get(exp.hashes[0], {})
    return Calibration.model_validate(d["calibration"]) if d.get("calibration") else None


def _prior(cal: Calibration, name: str) -> Prior | str | None:
    if name.startswith(LOG_LEVEL):
        return WALK
    if name.startswith("inflow."):
        return getattr(cal.inflow, name.removeprefix("inflow."), None) if cal.inflow else None
    return cal.parameters.get(name)


def quantiles(values: np.ndarray, weights: np.ndarray, q: list[float]) -> np.ndarray:
    """Weighted quantiles (q in 0-1) of one parameter's particles, along the last axis."""
    order = np.argsort(values, axis=-1)
    v = np.take_along_axis(values, order, axis=-1)
    cum = np.cumsum(weights[order], axis=-1) - weights[order] / 2
    if v.ndim == 1:
        return np.interp(q, cum, v)
    return np.array([np.interp(q, c, row) for c, row in zip(cum, v, strict=True)]).T


def _prior_text(p: Prior | str | None) -> tuple[str, str]:
    if p is WALK:
        return "walk: normal step, sd inflow.step", "n/a"
    if p is None:
        return "not known (the store holds no definition of the scenario)", "n/a"
    a = _axis("", p)
    low, high = (np.exp([a.low, a.high]) if a.log else (a.low, a.high))
    text = (f"normal (mean {fmt(p.mean)}, sd {fmt(p.sd)})" if p.distribution == "normal"
            else p.distribution)
    return text, f"{fmt(float(low))} to {fmt(float(high))}"


def _table(names: list[str], draws: np.ndarray, weights: np.ndarray,
           priors: dict[str, Prior | str | None]) -> Table:
    rows = []
    for k, name in enumerate(names):
        x = draws[:, k]
        mean = float(weights @ x)
        sd = float(np.sqrt(weights @ (x - mean) ** 2))
        p05, p50, p95 = quantiles(x, weights, [0.05, 0.5, 0.95])
        rows.append([name, *_prior_text(priors.get(name)), fmt(mean), fmt(sd), fmt(p50),
                     f"{fmt(p05)} to {fmt(p95)}"])
    return Table("Posterior by parameter",
                 ["parameter", "prior", "prior range", "mean", "sd", "median", "90% interval"],
                 rows, note="weighted over the last generation's particles; normal priors' "
                            "range: mean +- 2 sd (within any bounds)")


def _histogram(name: str, x: np.ndarray, weights: np.ndarray, prior: Prior | None,
               note: str) -> Histogram:
    axis = _axis(name, prior) if prior is not None else None
    log = axis is not None and axis.log
    values = np.log10(x) if log else x
    span = ((axis.low / np.log(10), axis.high / np.log(10)) if log else (axis.low, axis.high)
            ) if axis is not None else (float(values.min()), float(values.max()))
    low, high = min(span[0], float(values.min())), max(span[1], float(values.max()))
    edges = np.linspace(low, high if high > low else low + 1, BINS + 1)
    heights, _ = np.histogram(values, edges, weights=weights)
    return Histogram(f"Posterior: {name}", f"log10 of {name}" if log else name, edges,
                     heights, span if axis is not None else None, note=note)


def _inflow(names: list[str], draws: np.ndarray, weights: np.ndarray,
            cal: Calibration | None) -> Chart | None:
    """Each particle's yearly levels (its first level, then its fitted log levels), as a band."""
    fitted = sorted(int(n.removeprefix(LOG_LEVEL)) for n in names if n.startswith(LOG_LEVEL))
    if "inflow.first_level" not in names or not fitted:
        return None
    years = [fitted[0] - 1, *fitted]
    cap = cal.inflow.max_level if cal is not None and cal.inflow else None
    levels = np.array([list(walk(dict(zip(names, d, strict=True)), years,
                                 max_level=cap).values()) for d in draws])  # [particle, year]
    q = quantiles(levels.T, weights, [0.05, 0.25, 0.5, 0.75, 0.95])
    band = Band("inflow level (weighted median)", years, q[2], q[1], q[3], q[0], q[4])
    return Chart("Posterior: the inflow's yearly level", "people a year", [band],
                 xlabel="year",
                 note="each particle's first level and fitted yearly levels"
                      + (f", capped at {fmt(cap, True)}" if cap else "")
                      + "; line: weighted median; shaded: 50% and 90% of the particles' "
                        "weight")


def _generations(s: dict[str, Any]) -> Table:
    rows = [[str(i), "none (the prior)" if g["epsilon"] is None else fmt(g["epsilon"]),
             f"{g['ess']:.1f}", fmt(g.get("distinct")), f"{g['acceptance']:.1%}",
             fmt(g["simulations"], True), fmt(g["seconds"])]
            for i, g in enumerate(s["generations"])]
    return Table("Generations (ABC-SMC)",
                 ["generation", "tolerance", "ESS", "distinct", "acceptance", "proposals",
                  "seconds"], rows,
                 note=f"{len(s['generations'])} generations of "
                      f"{s['settings']['particles']} particles, kernel "
                      f"{s['settings'].get('kernel', 'olcm')}, {fmt(s['simulations'], True)} "
                      "proposals; tolerance: the weighted distance a proposal had to beat; "
                      "ESS: effective sample size of the weights; distinct: particles unlike "
                      "every other (copies that did not move are not); acceptance: accepted "
                      "over proposals (MCMC steps for mcmc)")


def _fit_command(exp: Experiment) -> Table:
    folder = shlex.quote(str(exp.folder))
    command = (f"channelsim fit {shlex.quote(scenario_argument(exp.summary))} --posterior "
               f"{folder}/{POSTERIOR_FILE} --out {folder}")
    return Table("Not run yet: the fit and the held-out forecast", ["run this, then the "
                 "report again"], [[command]],
                 note="the fit's posterior predictive runs go into this folder's store, "
                      "and this report then shows every target series against them and "
                      "the held-out years' forecast")


def _made(s: dict[str, Any]) -> list[list[str]]:
    m, st = s["made"], s["settings"]
    return [["command", m.get("command", "")], ["commit", m.get("commit", "")],
            ["made at", m.get("at", "")],
            ["settings", ", ".join(f"{k} {v}" for k, v in st.items())],
            ["proposals simulated", fmt(s.get("simulations"), True)],
            ["seconds", f"{fmt(m.get('seconds'))} (generations: "
                        f"{fmt(m.get('generation_seconds'))})"]]
