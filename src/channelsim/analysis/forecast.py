"""`channelsim forecast`: crossings by mode by month with 50% and 90% bands, from posterior
draws and the latent inflow walked forward past its fitted years (steps of the draw's fitted
size from the replicate's own stream).

The months shown start with the first year the calibration did not fit (its first held-out
year, else the year after its last target).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from .. import scenario
from ..engine import run
from ..scenario import MODES, ScenarioError
from . import scores


@dataclass(frozen=True)
class ForecastTask:
    index: int
    scenario: dict[str, Any]
    seed: int
    first: str  # first month shown, YYYY-MM

    def run(self) -> tuple[int, list[str], np.ndarray]:
        """Months shown and crossings [mode, month]."""
        res = run(scenario.from_dict(self.scenario), seed=self.seed)
        months = res.dates.astype("datetime64[M]")
        shown = np.unique(months[months >= np.datetime64(self.first)])
        out = np.zeros((len(MODES), len(shown)))
        pos = np.searchsorted(shown, months)
        keep = months >= np.datetime64(self.first)
        for m, _ in enumerate(MODES):
            daily = res.route["crossings"][:, res.route_mode == m].sum(axis=1)
            np.add.at(out[m], pos[keep], daily[keep])
        return self.index, [str(x) for x in shown], out


def first_month(sc: scenario.Scenario) -> str:
    cal = sc.calibration
    if cal is None:
        return f"{sc.start.year}-01"
    year = min(cal.heldout_years) if cal.heldout_years else \
        max(y for t in cal.targets for y in t.years) + 1
    return f"{year}-01"


def tasks(name: str, overrides: list[str], post: Any, seeds: list[int], until: date
          ) -> list[ForecastTask]:
    sc = scenario.load(name, overrides)
    first = first_month(sc)
    if until < date.fromisoformat(f"{first}-01") or until <= sc.start:
        raise ScenarioError("--until", [(until.isoformat(), f"must be on or after {first}-01, "
                                         "the first day of the first month the calibration "
                                         "did not fit")],
                            "nothing to forecast")
    end = until.isoformat()
    out = []
    for i, seed in enumerate(seeds):
        at = (post.scenario(name, overrides, seed, end=end) if post else
              scenario.load(name, [*overrides, f"end={end}"]))
        out.append(ForecastTask(i, at.model_dump(mode="json"), seed, first))
    return out


def forecast(tasks_: list[ForecastTask], backend: Any, uncertainty: str
             ) -> tuple[dict[str, Any], pd.DataFrame]:
    runs: dict[int, np.ndarray] = {}
    months: list[str] = []
    with backend:
        for i, shown, values in backend.map(tasks_):
            runs[i], months = values, shown
    ens = np.stack([runs[i] for i in range(len(tasks_))])  # [replicate, mode, month]
    routes = {r["mode"] for r in tasks_[0].scenario["routes"].values()}
    rows, crossings = [], {}
    for m, mode in enumerate(MODES):
        b = scores.bands(ens[:, m, :])
        if mode not in routes:  # a mode with a route is shown, its zeros too
            continue
        crossings[mode] = {month: {q: float(v[k]) for q, v in b.items()}
                           for k, month in enumerate(months)}
        rows += [{"mode": mode, "month": month, **crossings[mode][month]} for month in months]
    result = {"reps": len(tasks_), "uncertainty": uncertainty, "months": months,
              "crossings": crossings}
    # named columns: a forecast of no mode is an empty table, not no table
    return result, pd.DataFrame(rows, columns=["mode", "month", *b])

