"""An experiment folder read back: what kind it is, its summary, daily tables and scenarios.

The daily tables come from the Parquet exports beside the store (what `run`, `compare` and
`sweep` write), the scenarios' definitions from the store itself, so a report needs nothing
but the folder. A fit's folder (what `fit` writes) has fit.json and its tables in the store.
A calibration's folder (what `calibrate` writes) has posterior.json, and a fit's fit.json and
tables too once `channelsim fit --posterior DIR/posterior.json --out DIR` has run.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from ..store import POSTERIOR_FILE, STORE_FILE, Store, StoreError

KINDS = ("run", "replicates", "comparison", "sweep", "sensitivity", "fit", "calibration",
         "forecast")
FIT_TABLES = ("fit_series", "fit_bands", "heldout")
FORECAST_FILE = "forecast.json"
FORECAST_KEYS = ("scenario", "until", "seeds", "reps", "uncertainty", "months")


class ReportError(Exception):
    """Results that cannot be reported on; the message says what is missing."""


@dataclass
class Experiment:
    folder: Path
    kind: str  # one of KINDS
    summary: dict[str, Any]
    sites: pd.DataFrame  # daily_sites rows of every run
    routes: pd.DataFrame  # daily_routes rows of every run
    runs: pd.DataFrame  # scenario_hash, seed, version, summary (parsed)
    definitions: dict[str, dict[str, Any]]  # scenario hash -> definition
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # a fit's FIT_TABLES
    fit: dict[str, Any] | None = None  # a calibration's fit.json, if its fit has run

    @property
    def hashes(self) -> list[str]:
        """The experiment's scenarios in their order: A then B, or the sweep's points, each
        named by its first run's scenario (at posterior draws a point's own hash has no run)."""
        if self.kind == "comparison":
            return list(dict.fromkeys([self.summary["a"]["scenario_hash"],
                                       self.summary["b"]["scenario_hash"]]))
        if self.kind == "sweep":
            return list(dict.fromkeys(p["summary"]["scenario_hash"]
                                      for p in self.summary["points"]))
        if self.kind == "fit":  # a fit.json before the hash was recorded: its scenario
            return [self.summary.get("scenario_hash", self.summary["scenario"])]
        if self.kind == "forecast":  # its store keeps no scenario: named as the command did
            return [self.summary["scenario"]]
        if self.kind == "calibration":  # the label is NAME:HASH
            return [self.summary["scenario"].rpartition(":")[2]]
        return [self.summary["scenario_hash"]]

    def of(self, h: str, df: pd.DataFrame) -> pd.DataFrame:
        """The rows of `df` from every run of arm h (named by its first run's scenario): at
        posterior draws each replicate has a scenario, so a hash, of its own."""
        arm = self._arm(h)
        seeds = _seeds(arm)
        hashes = dict(zip(seeds, arm.get("scenario_hashes", [h] * len(seeds)), strict=True))
        return df[df["seed"].map(hashes) == df["scenario_hash"]]

    def _arm(self, h: str) -> dict[str, Any]:
        """The summary of arm h: A's or B's in a comparison, a sweep point's, else the
        experiment's."""
        if self.kind == "comparison":
            return next(self.summary[w] for w in ("a", "b")
                        if self.summary[w]["scenario_hash"] == h)
        if self.kind == "sweep":
            return next(p["summary"] for p in self.summary["points"]
                        if p["summary"]["scenario_hash"] == h)
        return self.summary

    @property
    def seeds(self) -> list[int]:
        if self.kind == "calibration":
            return [self.summary["settings"]["seed"]]
        return _seeds(self.summary)

    @property
    def version(self) -> str:
        own = self.summary.get("version") or self.summary.get("made", {}).get("version")
        return (", ".join(sorted(set(self.runs["version"]))) or own
                or "version not recorded")

    def label(self, h: str) -> str:
        if self.kind == "comparison":
            which = [w for w in ("a", "b") if self.summary[w]["scenario_hash"] == h]
            name = self.definitions.get(h, {}).get("name", h[:8])
            return " = ".join(w.upper() for w in which) + f": {name}"
        if self.kind in ("fit", "forecast") and h not in self.definitions:
            return h
        if self.kind == "calibration" and h not in self.definitions:
            return self.summary["scenario"].rpartition(":")[0]
        return self.definitions.get(h, {}).get("name", h[:8])


def _seeds(summary: dict[str, Any]) -> list[int]:
    """The seeds of a run's or an ensemble's summary."""
    return list(summary.get("seeds") or [summary["seed"]])


def load(results: str | Path) -> Experiment:
    path = Path(results)
    folder = path.parent if path.name == STORE_FILE or path.suffix == ".duckdb" else path
    if not folder.is_dir():
        raise ReportError(f"{results}: no such experiment folder (give the folder that "
                          f"`channelsim run/compare/sweep/fit --out` wrote, or its {STORE_FILE})")
    if (folder / POSTERIOR_FILE).is_file():
        return _calibration(folder)
    if (folder / "fit.json").is_file() and not (folder / "summary.json").is_file():
        return _fit(folder)
    if (folder / FORECAST_FILE).is_file() and not (folder / "summary.json").is_file():
        return _forecast(folder)
    needed = [STORE_FILE, "summary.json", "daily_sites.parquet", "daily_routes.parquet",
              "runs.parquet"]
    missing = [n for n in needed if not (folder / n).is_file()]
    if missing:
        raise ReportError(f"{folder}: not a finished experiment, missing {', '.join(missing)}")
    try:
        summary = json.loads((folder / "summary.json").read_text())
        sites = pq.read_table(folder / "daily_sites.parquet").to_pandas()
        routes = pq.read_table(folder / "daily_routes.parquet").to_pandas()
        runs = pq.read_table(folder / "runs.parquet",
                             columns=["scenario_hash", "seed", "version", "summary"]).to_pandas()
    except (OSError, ValueError) as exc:
        raise ReportError(f"{folder}: cannot read the results ({exc})") from None
    runs["summary"] = [json.loads(s) if s else None for s in runs["summary"]]
    try:
        with Store(folder / STORE_FILE) as st:
            definitions = _definitions(st)
    except StoreError as exc:
        raise ReportError(str(exc)) from None
    for df in (sites, routes):
        df["date"] = pd.to_datetime(df["date"])
    return Experiment(folder, _kind(summary), summary, sites, routes, runs, definitions)


def _definitions(st: Store) -> dict[str, dict[str, Any]]:
    rows = st.con.execute("SELECT scenario_hash, definition FROM scenarios").fetchall()
    return {h: json.loads(d) for h, d in rows}


def _fit(folder: Path) -> Experiment:
    if not (folder / STORE_FILE).is_file():
        raise ReportError(f"{folder}: not a finished fit, missing {STORE_FILE}")
    try:
        summary = json.loads((folder / "fit.json").read_text())
        with Store(folder / STORE_FILE) as st:
            tables = {t: st.con.execute(f"SELECT * FROM {t}").df() for t in FIT_TABLES}
            definitions = _definitions(st)
    except (OSError, ValueError, StoreError, duckdb.Error) as exc:
        raise ReportError(f"{folder}: cannot read the fit's fit.json and {STORE_FILE} "
                          f"({exc})") from None
    return Experiment(folder, "fit", summary, pd.DataFrame(), pd.DataFrame(), _no_runs(),
                      definitions, tables)


def _forecast(folder: Path) -> Experiment:
    """forecast.json and the bands it was printed from (the store's forecast table)."""
    if not (folder / STORE_FILE).is_file():
        raise ReportError(f"{folder}: not a finished forecast, missing {STORE_FILE}")
    try:
        summary = json.loads((folder / FORECAST_FILE).read_text())
        with Store(folder / STORE_FILE) as st:
            tables = {"forecast": st.con.execute("SELECT * FROM forecast").df()}
    except (OSError, ValueError, StoreError, duckdb.Error) as exc:
        raise ReportError(f"{folder}: cannot read the forecast's {FORECAST_FILE} and "
                          f"{STORE_FILE} ({exc})") from None
    lost = [k for k in FORECAST_KEYS if k not in summary] if isinstance(summary, dict) else [
        "a table"]
    if lost:  # every version wrote these; a file without them was not written by forecast
        raise ReportError(f"{folder}: {FORECAST_FILE} has no {', '.join(lost)}")
    return Experiment(folder, "forecast", summary, pd.DataFrame(), pd.DataFrame(), _no_runs(),
                      {}, tables)


def _calibration(folder: Path) -> Experiment:
    """posterior.json, the scenario it was fitted to (recorded in the store by `calibrate`, or
    for an older store the one its command names, if that still has the same hash), and
    the fit's tables if a fit has been written into the same folder."""
    if not (folder / STORE_FILE).is_file():
        raise ReportError(f"{folder}: not a finished calibration, missing {STORE_FILE}")
    try:
        summary = json.loads((folder / POSTERIOR_FILE).read_text())
        fit = (json.loads((folder / "fit.json").read_text())
               if (folder / "fit.json").is_file() else None)
        with Store(folder / STORE_FILE) as st:
            definitions = _definitions(st)
            tables = ({t: st.con.execute(f"SELECT * FROM {t}").df() for t in FIT_TABLES}
                      if fit is not None else {})
    except (OSError, ValueError, StoreError, duckdb.Error) as exc:
        raise ReportError(f"{folder}: cannot read the calibration's {POSTERIOR_FILE} and "
                          f"{STORE_FILE} ({exc})") from None
    missing = [k for k in ("scenario", "settings", "made", "generations", "names", "draws",
                           "weights") if k not in summary]
    if missing:
        raise ReportError(f"{folder / POSTERIOR_FILE}: not a calibration's posterior, "
                          f"missing {', '.join(missing)}")
    digest = summary["scenario"].rpartition(":")[2]
    if digest not in definitions:
        from .. import scenario
        from ..scenario import ScenarioError

        try:
            sc = scenario.load(scenario_argument(summary))
        except (ScenarioError, OSError):
            sc = None
        if sc is not None and sc.digest() == digest:
            definitions[digest] = sc.model_dump(mode="json")
    return Experiment(folder, "calibration", summary, pd.DataFrame(), pd.DataFrame(),
                      _no_runs(), definitions, tables, fit)


def scenario_argument(posterior: dict[str, Any]) -> str:
    """The scenario as `calibrate` was given it (a bundled name or a path), else the name in
    the posterior's label."""
    words = shlex.split(posterior["made"].get("command", ""))
    after = words[words.index("calibrate") + 1:] if "calibrate" in words else []
    return after[0] if after else posterior["scenario"].rpartition(":")[0]


def _no_runs() -> pd.DataFrame:
    return pd.DataFrame(columns=["scenario_hash", "seed", "version", "summary"])


def _kind(summary: dict[str, Any]) -> str:
    if "indices" in summary and "method" in summary:
        return "sensitivity"
    if "effects" in summary:
        return "comparison"
    if "points" in summary:
        return "sweep"
    if "scorecard" in summary:
        return "replicates" if summary.get("reps", 1) > 1 else "run"
    raise ReportError("summary.json is of no kind this report knows (a run, replicates, "
                      "a comparison, a sweep or a sensitivity analysis)")
