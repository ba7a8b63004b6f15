"""`channelsim fit`: posterior predictive runs against the calibration's target series, and the
held-out years forecast against what was observed and against the naive forecast (last year's
value; the same month last year for months).

Replicate i runs posterior draw i with seed i to the end of the last held-out year; a run
returns only the simulated value of each observed row, never its per-person tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import scenario
from ..engine import run
from ..store import Store
from . import observed, scores
from .scenario_fit import Row, problem_for, rows_for, simulated

HEADLINE = "small_boat_arrivals_monthly"  # the held-out year's headline: its months summed


@dataclass(frozen=True)
class FitTask:
    """One replicate: the simulated value of every observed row of every series."""

    index: int
    scenario: dict[str, Any]
    seed: int
    rows: tuple[tuple[str, tuple[Row, ...]], ...]

    def run(self) -> tuple[int, dict[str, list[float]]]:
        res = run(scenario.from_dict(self.scenario), seed=self.seed)
        return self.index, {s: simulated(res, s, list(r)).tolist() for s, r in self.rows}


@dataclass(frozen=True)
class Series:
    name: str
    rows: tuple[Row, ...]
    dates: tuple[str, ...]  # each row's first day
    heldout: tuple[bool, ...]
    naive: tuple[float, ...]  # the same period a year before, observed (NaN if none)


def series_of(name_or_path: str, end: str) -> list[Series]:
    """The calibration's target series over their fitted and held-out years, point rows only
    (bounds are not forecasts to score)."""
    sc = scenario.load(name_or_path)
    cal = sc.calibration
    start, n_days = np.datetime64(sc.start), (np.datetime64(end) - np.datetime64(sc.start))
    n_days = int(n_days.astype(int)) + 1
    out = []
    for t in cal.targets:
        both = t.model_copy(update={"years": sorted({*t.years, *cal.heldout_years})})
        rows = [r for r in rows_for(both, start, n_days) if not np.isnan(r.value)]
        day0 = pd.Timestamp(sc.start)
        dates = [day0 + pd.Timedelta(days=r.first) for r in rows]
        points = observed.points(t.series)
        known = {(d.date(), s, m): v for d, s, m, v in
                 zip(points["start"], points["site"], points["mode"], points["value"],
                     strict=True)}
        naive = [known.get(((d - pd.DateOffset(years=1)).date(), r.site, r.mode), np.nan)
                 for d, r in zip(dates, rows, strict=True)]
        out.append(Series(t.series, tuple(rows), tuple(d.date().isoformat() for d in dates),
                          tuple(d.year in cal.heldout_years for d in dates), tuple(naive)))
    return out


def tasks(name_or_path: str, overrides: list[str], post: Any, seeds: list[int],
          ) -> tuple[list[FitTask], list[Series], list[int]]:
    problem_for(name_or_path)  # refuses a calibration that cannot be fitted, naming why
    sc = scenario.load(name_or_path, overrides)
    years = sc.calibration.heldout_years or [max(y for t in sc.calibration.targets
                                                 for y in t.years)]
    end = min(sc.end.isoformat(), f"{max(years)}-12-31")
    series = series_of(name_or_path, end)
    rows = tuple((s.name, s.rows) for s in series)
    out = []
    for i, seed in enumerate(seeds):
        at = (post.scenario(name_or_path, overrides, seed, end=end) if post else
              scenario.load(name_or_path, [*overrides, f"end={end}"]))
        out.append(FitTask(i, at.model_dump(mode="json"), seed, rows))
    return out, series, sorted(years)


def fit(tasks_: list[FitTask], series: list[Series], heldout_years: list[int], backend: Any,
        uncertainty: str) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """Run the replicates; the scores by series, the held-out forecasts, and the tables."""
    sims: dict[str, np.ndarray] = {s.name: np.empty((len(tasks_), len(s.rows))) for s in series}
    with backend:
        for i, values in backend.map(tasks_):
            for name, v in values.items():
                sims[name][i] = v
    table_rows, band_rows, held_rows = [], [], []
    out: dict[str, Any] = {"reps": len(tasks_), "uncertainty": uncertainty, "series": {},
                           "heldout": {}}
    for s in series:
        ens, obs = sims[s.name], np.array([r.value for r in s.rows])
        fitted = ~np.array(s.heldout, dtype=bool)
        if fitted.any():
            e, o = ens[:, fitted], obs[fitted]
            figures = {"ard": scores.ard(e, o), "coverage_50": scores.coverage(e, o, 0.5),
                       "coverage_90": scores.coverage(e, o, 0.9), "crps": scores.crps(e, o),
                       "n": int(fitted.sum())}
            out["series"][s.name] = figures
            table_rows.append({"series": s.name, **figures})
        b = scores.bands(ens)
        for k, r in enumerate(s.rows):
            band_rows.append({"series": s.name, "date": s.dates[k], "site": r.site,
                              "heldout": s.heldout[k], "observed": r.value,
                              **{q: float(v[k]) for q, v in b.items()}})
        for k in np.flatnonzero(~fitted):
            held_rows.append({"series": s.name, "date": s.dates[k], "site": s.rows[k].site,
                              "observed": obs[k], "mean": float(b["mean"][k]),
                              "p05": float(b["p05"][k]), "p95": float(b["p95"][k]),
                              "naive": s.naive[k]})
    headline = next((s for s in series if s.name == HEADLINE), None)
    for year in heldout_years if headline else []:
        k = [j for j, d in enumerate(headline.dates) if d.startswith(str(year))]
        if not k:
            continue
        total = sims[HEADLINE][:, k].sum(axis=1)
        obs = np.array([headline.rows[j].value for j in k])
        naive = np.array([headline.naive[j] for j in k])
        months = sims[HEADLINE][:, k]
        out["heldout"][str(year)] = {
            "series": HEADLINE, "forecast": {"mean": float(total.mean()),
                                             "p05": float(np.percentile(total, 5)),
                                             "p95": float(np.percentile(total, 95))},
            "observed": float(obs.sum()), "naive": float(naive.sum()),
            "months": {"ard_forecast": scores.ard(months, obs),
                       "ard_naive": scores.ard(naive[None, :], obs),
                       "coverage_90": scores.coverage(months, obs, 0.9)}}
    tables = {"fit_series": pd.DataFrame(table_rows), "fit_bands": pd.DataFrame(band_rows),
              "heldout": pd.DataFrame(held_rows)}
    return out, tables


def store_tables(path: str, tables: dict[str, pd.DataFrame]) -> None:
    """The fit's tables in the results store, replacing an earlier fit's."""
    with Store(path) as st:
        for name, df in tables.items():
            st.con.register("fit_table", df)
            try:
                st.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM fit_table")
            finally:
                st.con.unregister("fit_table")
