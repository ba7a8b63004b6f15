"""A fit in the report (what `channelsim fit` writes): each target series observed over the
runs' 50% and 90% bands and their mean, the scores by series, and the held-out years'
forecast against what was observed and against the naive forecast (last year's value)."""

from __future__ import annotations

import pandas as pd

from ..report_text import counted
from .figures import Band, Chart, Figure, Section, Table, _provenance, fmt
from .load import Experiment
from .observed import Observed


def sections(exp: Experiment) -> list[Section]:
    s = exp.summary
    more = [["runs", str(s["reps"])], ["intervals include", s["uncertainty"]]]
    return [*fitted(s, exp.tables),
            Section("Provenance and reproduction", _provenance(exp, more))]


def fitted(s: dict, tables: dict[str, pd.DataFrame]) -> list[Section]:
    """The fit's sections from its fit.json (`s`) and its tables in the store."""
    includes = f"intervals include: {s['uncertainty']} ({counted(s['reps'], 'run')})"
    bands, held = tables["fit_bands"], tables["heldout"]
    charts: list[Figure] = [_series(name, part, includes) for name, part in _by_site(bands)]
    out = [Section("Fit against the target series", [_scores(s, includes), *charts])]
    forecast: list[Figure] = [_heldout(s, includes)] if s["heldout"] else []
    forecast += [_forecast(name, part, includes) for name, part in _by_site(held)]
    if forecast:
        out.append(Section("Held-out forecast", forecast))
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


def _by_site(table: pd.DataFrame):
    """Each series' rows, a series by site (camp counts) one chart per site, named for both."""
    if table.empty:  # no held-out year
        return
    keys = [table["series"], table["site"].fillna("")]
    for (series, site), part in table.groupby(keys, sort=False):
        yield f"{series} ({site})" if site else series, part


def _series(name: str, part: pd.DataFrame, includes: str) -> Chart:
    band = Band("runs' mean", _dates(part), part["mean"].to_numpy(float),
                part["p25"].to_numpy(float), part["p75"].to_numpy(float),
                part["p05"].to_numpy(float), part["p95"].to_numpy(float))
    obs = Observed("observed", _dates(part), list(part["observed"]),
                   ["held out" if h else "fitted" for h in part["heldout"]])
    years = sorted({d.year for d in _dates(part[part["heldout"].astype(bool)])})
    held = f"; held out: {', '.join(map(str, years))}" if years else ""
    return Chart(f"Fit: {name}", name, [band], [obs],
                 note=f"line: mean of the runs; shaded: 50% and 90% of them (one date: a dot "
                      f"and its 90% whiskers); crosses: observed{held}; {includes}")


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
    x = _dates(part)
    mean = Band("forecast: mean of the runs", x, part["mean"].to_numpy(float),
                lo90=part["p05"].to_numpy(float), hi90=part["p95"].to_numpy(float))
    naive = Band("naive: last year's value", x, part["naive"].to_numpy(float), dash=True)
    obs = Observed("observed", x, list(part["observed"]), ["held out"] * len(part))
    return Chart(f"Held-out forecast: {name}", name, [mean, naive], [obs],
                 note=f"shaded (one date: whiskers): 90% of the runs; dashed (one date: a "
                      f"diamond): the naive forecast; {includes}")
