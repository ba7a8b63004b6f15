"""Observed series to lay over the simulated ones, from the rows of data/evidence.csv.

Only rows dated to a month (an id ending _YYYY_MM) with a number are used: monthly small-boat
arrivals for the UK as a whole, and counts of people at a site. Which rows count for which
site is said here once, by the prefix of their ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..provenance import evidence

MONTH = re.compile(r"_(\d{4})_(\d{2})$")
SMALL_BOATS = "sb_people_"  # small-boat arrivals, people per month, UK
PRESENT = {"calais_migrants_": "calais", "jungle_census_": "calais",
           "jungle_prefecture_": "calais", "calais_after_jungle_": "calais",
           "dunkirk_camp_": "dunkirk", "loonplage_camp_": "dunkirk",
           "ouistreham_migrants_": "ouistreham"}


@dataclass(frozen=True)
class Observed:
    name: str
    dates: list[pd.Timestamp]
    values: list[float]
    ids: list[str]


def _monthly(prefixes: tuple[str, ...]) -> list[tuple[pd.Timestamp, float, str]]:
    out = []
    for eid, row in evidence().items():
        m = MONTH.search(eid)
        if not m or not eid.startswith(prefixes) or not row.get("value_num"):
            continue
        if eid[: m.start() + 1] not in prefixes:
            continue  # e.g. sb_people_2022_h1 is not a month
        try:
            value = float(row["value_num"])
        except ValueError:
            continue
        out.append((pd.Timestamp(int(m[1]), int(m[2]), 1), value, eid))
    return sorted(out)


def small_boats(start: pd.Timestamp, end: pd.Timestamp) -> Observed | None:
    """Small-boat arrivals in the UK by month, within [start, end]."""
    rows = [r for r in _monthly((SMALL_BOATS,)) if start <= r[0] <= end]
    if not rows:
        return None
    return Observed("observed: small-boat arrivals, UK (Home Office)",
                    [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def present(site: str, start: pd.Timestamp, end: pd.Timestamp) -> Observed | None:
    """Counts of people at `site` (camp censuses, authorities' and NGOs' counts)."""
    prefixes = tuple(p for p, s in PRESENT.items() if s == site)
    rows = [r for r in _monthly(prefixes) if start <= r[0] <= end] if prefixes else []
    if not rows:
        return None
    return Observed(f"observed: people at {site}", [r[0] for r in rows],
                    [r[1] for r in rows], [r[2] for r in rows])
