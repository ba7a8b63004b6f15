"""A fit in the report (what `channelsim fit` writes): each target series observed over the
runs' 50% and 90% bands and their mean, the scores by series, and the held-out years'
forecast against what was observed and against the naive forecast (last year's value)."""

from __future__ import annotations

import pandas as pd

from .figures import Band, Chart, Figure, Section, Table, fmt
from .load import Experiment
from .observed import Observed


def sections(exp: Experiment) -> list[Section]:
    s = exp.summary
    includes = f"intervals include: {s['uncertainty']} ({s['reps']} runs)"
    bands, held = exp.tables["fit_bands"], exp.tables["heldout"]
    charts: list[Figure] = [_series(name, part, includes)
                            for name, part in bands.groupby("series", sort=False)]
    out = [Section("Fit against the target series", [_scores(s, includes), *charts])]
    forecast: list[Figure] = [_heldout(s, includes)] if s["heldout"] else []
    forecast += [_forecast(name, part, includes)
                 for name, part in held.groupby("series", sort=False)]
    if forecast:
        out.append(Section("Held-out forecast", forecast))
    repro = [["kind", "fit"], ["scenario", s["scenario"]], ["runs", str(s["reps"])],
             ["seeds", ", ".join(map(str, s["seeds"]))], ["intervals include", s["uncertainty"]]]
    out.append(Section("Reproduction", [Table("Reproduce", ["", ""], repro)]))
    return out


def _scores(s: dict, includes: str) -> Table:
    rows = [[name, fmt(f["ard"]), f"{f['coverage_50']:.0%}", f"{f['coverage_90']:.0%}",
             fmt(f["crps"]), str(f["n"])] for name, f in s["series"].items()]
    return Table("Scores by series (fitted years)",
                 ["series", "ARD", "coverage_50", "coverage_90", "CRPS", "observations"], rows,
                 note="ARD: mean absolute relative miss of the runs' mean; coverage: share of "
                      "the observations inside the runs' central 50% and 90% bands; CRPS: the "
                      f"continuous ranked probability score, in the series' units. {includes}")


def _dates(part: pd.DataFrame) -> list[pd.Timestamp]:
    return list(pd.to_datetime(part["date"]))


def _by_site(part: pd.DataFrame, name: str):
    """Each site's rows (camp counts are by site), named; a national series is one."""
    for site, p in part.groupby(part["site"].fillna(""), sort=False):
        yield site or name, p


def _series(name: str, part: pd.DataFrame, includes: str) -> Chart:
    bands, obs = [], []
    for label, p in _by_site(part, name):
        bands.append(Band(f"runs' mean: {label}", _dates(p), p["mean"].to_numpy(float),
                          p["p25"].to_numpy(float), p["p75"].to_numpy(float),
                          p["p05"].to_numpy(float), p["p95"].to_numpy(float)))
        obs.append(Observed(f"observed: {label}", _dates(p), list(p["observed"]),
                            ["held out" if h else "fitted" for h in p["heldout"]]))
    years = sorted({d.year for d in _dates(part[part["heldout"].astype(bool)])})
    held = f"; held out: {', '.join(map(str, years))}" if years else ""
    return Chart(f"Fit: {name}", name, bands, obs,
                 note=f"line: mean of the runs; shaded: 50% and 90% of them; crosses: "
                      f"observed{held}; {includes}")


def _heldout(s: dict, includes: str) -> Table:
    rows = []
    for year, h in s["heldout"].items():
        f, m = h["forecast"], h["months"]
        rows.append([year, h["series"], f"{fmt(f['mean'], True)} ({fmt(f['p05'], True)} to "
                     f"{fmt(f['p95'], True)})", fmt(h["observed"], True), fmt(h["naive"], True),
                     fmt(m["ard_forecast"]), fmt(m["ard_naive"]), f"{m['coverage_90']:.0%}"])
    note = includes
    if s["uncertainty"] == "chance only":
        note += ("; without a posterior these are the scenario's own values: a year is held "
                 "out only from a calibration, so this is no test of a forecast")
    return Table("Held-out years: forecast, observed and naive (the year's total)",
                 ["year", "series", "forecast mean (90%)", "observed", "naive (last year)",
                  "ARD by month", "naive's ARD", "months in 90% band"], rows, note=note)


def _forecast(name: str, part: pd.DataFrame, includes: str) -> Chart:
    bands, obs = [], []
    for label, p in _by_site(part, name):
        x = _dates(p)
        bands.append(Band(f"forecast, mean of the runs: {label}", x, p["mean"].to_numpy(float),
                          lo90=p["p05"].to_numpy(float), hi90=p["p95"].to_numpy(float)))
        bands.append(Band(f"naive, last year's value: {label}", x, p["naive"].to_numpy(float),
                          dash=True))
        obs.append(Observed(f"observed: {label}", x, list(p["observed"]),
                            ["held out"] * len(p)))
    return Chart(f"Held-out forecast: {name}", name, bands, obs,
                 note=f"shaded: 90% of the runs; dashed: the naive forecast; {includes}")
