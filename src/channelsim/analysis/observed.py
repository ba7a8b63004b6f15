"""The observed series the model is fitted to, as tidy tables (data/observed/, built from the
evidence table by data/observed/build.py; each row keeps its evidence id).

A row with `use = point` is a figure to match; `use = bound` gives only `low` and/or `high`
(ranges printed by a source, "over"/"up to" figures, and every unverified row, loosened).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

TABLES = ("small_boat_arrivals_monthly", "small_boat_arrivals_yearly", "small_boats_yearly",
          "people_per_boat", "french_preventions", "juxtaposed_detections", "camp_counts",
          "prices", "deaths")
USES = ("point", "bound")


class ObservedError(ValueError):
    """An unknown series or a malformed table."""


@cache
def _read(name: str) -> pd.DataFrame:
    path = resources.files("channelsim") / "data" / "observed" / f"{name}.csv"
    with path.open(encoding="utf-8") as f:
        df = pd.read_csv(f, dtype={"evidence_id": str, "site": str, "mode": str, "unit": str,
                                   "status": str, "use": str}, keep_default_na=False,
                         na_values={"value": [""], "low": [""], "high": [""]})
    df["start"] = pd.to_datetime(df["start"])
    df["end"] = pd.to_datetime(df["end"])
    bad = sorted(set(df["use"]) - set(USES))
    if bad:
        raise ObservedError(f"{path}: column 'use' has {bad}; allowed: {', '.join(USES)}")
    return df


def load(name: str) -> pd.DataFrame:
    """One observed table (a copy: callers may filter and add columns)."""
    if name not in TABLES:
        raise ObservedError(f"unknown observed series {name!r}; allowed: {', '.join(TABLES)}")
    return _read(name).copy()


def points(name: str, first_year: int | None = None, last_year: int | None = None
           ) -> pd.DataFrame:
    """The rows of a table that are figures to match, optionally within years (by start)."""
    df = load(name)
    years = df["start"].dt.year
    keep = df["use"] == "point"
    if first_year is not None:
        keep &= years >= first_year
    if last_year is not None:
        keep &= years <= last_year
    return df[keep].reset_index(drop=True)
