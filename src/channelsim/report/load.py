"""An experiment folder read back: what kind it is, its summary, daily tables and scenarios.

The daily tables come from the Parquet exports beside the store (what `run`, `compare` and
`sweep` write), the scenarios' definitions from the store itself, so a report needs nothing
but the folder. A fit's folder (what `fit` writes) has fit.json and its tables in the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from ..store import STORE_FILE, Store, StoreError

KINDS = ("run", "replicates", "comparison", "sweep", "sensitivity", "fit")
FIT_TABLES = ("fit_series", "fit_bands", "heldout")


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

    @property
    def hashes(self) -> list[str]:
        """The experiment's scenarios in their order: A then B, or the sweep's points."""
        if self.kind == "comparison":
            return list(dict.fromkeys([self.summary["a"]["scenario_hash"],
                                       self.summary["b"]["scenario_hash"]]))
        if self.kind == "sweep":
            return list(dict.fromkeys(p["scenario_hash"] for p in self.summary["points"]))
        if self.kind == "fit":
            return [self.summary["scenario"]]
        return [self.summary["scenario_hash"]]

    @property
    def seeds(self) -> list[int]:
        return list(self.summary.get("seeds") or [self.summary["seed"]])

    @property
    def version(self) -> str:
        return ", ".join(sorted(set(self.runs["version"]))) or "version not recorded"

    def label(self, h: str) -> str:
        if self.kind == "comparison":
            which = [w for w in ("a", "b") if self.summary[w]["scenario_hash"] == h]
            name = self.definitions.get(h, {}).get("name", h[:8])
            return " = ".join(w.upper() for w in which) + f": {name}"
        if self.kind == "fit":
            return h
        return self.definitions.get(h, {}).get("name", h[:8])


def load(results: str | Path) -> Experiment:
    path = Path(results)
    folder = path.parent if path.name == STORE_FILE or path.suffix == ".duckdb" else path
    if not folder.is_dir():
        raise ReportError(f"{results}: no such experiment folder (give the folder that "
                          f"`channelsim run/compare/sweep/fit --out` wrote, or its {STORE_FILE})")
    if (folder / "fit.json").is_file() and not (folder / "summary.json").is_file():
        return _fit(folder)
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
            rows = st.con.execute("SELECT scenario_hash, definition FROM scenarios").fetchall()
    except StoreError as exc:
        raise ReportError(str(exc)) from None
    definitions = {h: json.loads(d) for h, d in rows}
    for df in (sites, routes):
        df["date"] = pd.to_datetime(df["date"])
    return Experiment(folder, _kind(summary), summary, sites, routes, runs, definitions)


def _fit(folder: Path) -> Experiment:
    if not (folder / STORE_FILE).is_file():
        raise ReportError(f"{folder}: not a finished fit, missing {STORE_FILE}")
    try:
        summary = json.loads((folder / "fit.json").read_text())
        with Store(folder / STORE_FILE) as st:
            tables = {t: st.con.execute(f"SELECT * FROM {t}").df() for t in FIT_TABLES}
    except (OSError, ValueError, StoreError, duckdb.Error) as exc:
        raise ReportError(f"{folder}: cannot read the fit's fit.json and {STORE_FILE} "
                          f"({exc})") from None
    runs = pd.DataFrame(columns=["scenario_hash", "seed", "version", "summary"])
    return Experiment(folder, "fit", summary, pd.DataFrame(), pd.DataFrame(), runs, {}, tables)


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
