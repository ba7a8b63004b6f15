"""A forecast in the report (what `channelsim forecast` writes): crossings by mode by month,
the runs' mean with their 50% and 90% bands, and the months observed laid over the small
boats (those in a held-out year are a test of the forecast; the fitted years are not)."""

from __future__ import annotations

import shlex

import pandas as pd

from ..report_text import counted
from .figures import Band, Chart, Figure, Section, Table, _seed_text
from .load import Experiment
from .observed import small_boats


def sections(exp: Experiment) -> list[Section]:
    s, table = exp.summary, exp.tables["forecast"]
    includes = f"intervals include: {s['uncertainty']}"  # which counts its draws
    charts: list[Figure] = [_chart(mode, part, includes)
                            for mode, part in table.groupby("mode", sort=False)]
    if not charts:
        charts = [Table("No route of any mode", ["", ""], [], note=includes)]
    return [Section(f"Crossings by mode and month to {s['until']}", charts),
            Section("Provenance and reproduction", [_reproduce(s)])]


def _chart(mode: str, part: pd.DataFrame, includes: str) -> Chart:
    x = list(pd.to_datetime(part["month"]))
    band = Band("forecast: mean of the runs", x, part["mean"].to_numpy(float),
                part["p25"].to_numpy(float), part["p75"].to_numpy(float),
                part["p05"].to_numpy(float), part["p95"].to_numpy(float))
    seen = small_boats(min(x), max(x)) if mode == "small_boat" else None
    return Chart(f"Forecast: {mode.replace('_', ' ')} crossings by month", "crossings a month",
                 [band], [seen] if seen else [],
                 note="line: mean of the runs; shaded: 50% and 90% of them"
                      + ("; crosses: observed (Home Office), months the calibration did not fit"
                         if seen else "")
                      + f"; {includes}")


def _reproduce(s: dict) -> Table:
    """The command that makes the forecast again; a forecast.json of an older version did
    not record all of its options, and the command says which."""
    command = ["channelsim", "forecast", s["scenario"], "--until", s["until"],
               "--reps", str(s["reps"]), "--seed", str(s["seeds"][0]),
               *(part for o in s.get("overrides", []) for part in ("--set", o)),
               *(["--posterior", s["posterior"]] if s.get("posterior") else [])]
    lost = [option for key, option in (("overrides", "--set"), ("posterior", "--posterior"))
            if key not in s]
    rows = [["command", shlex.join(command)
             + (f" ({' and '.join(lost)} not recorded)" if lost else "")],
            ["intervals include", s["uncertainty"]], ["runs", counted(s["reps"], "run")],
            ["seeds", _seed_text(s["seeds"])],
            ["channelsim version", s.get("version", "not recorded")]]
    return Table("Reproduce", ["", ""], rows)
