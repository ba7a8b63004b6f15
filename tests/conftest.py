"""Small scenarios for tests, built as dicts so each test states what it varies."""

from __future__ import annotations

import copy
import math

import pytest

from channelsim import scenario as sc_mod

BASE = {
    "name": "tiny",
    "start": "2020-01-01",
    "end": "2020-03-31",
    "arrivals": {"per_year": {"2020": 3000}, "origins": {"a": 1.0, "b": 1.0}},
    "behaviour": {"attempt_probability": 0.5},
    "exits": {"base_hazard": 0.002, "per_failed_attempt": 0.001},
    "sites": {
        "calais": {"name": "Calais", "lat": 50.95, "lon": 1.86, "officers": 100,
                   "arrival_share": 0.6, "initial_people": 300},
        "dunkirk": {"name": "Dunkirk", "lat": 51.0, "lon": 2.3, "officers": 50,
                    "arrival_share": 0.3, "policy": {"type": "detain", "days": 2}},
        "ouistreham": {"name": "Ouistreham", "lat": 49.28, "lon": -0.25, "officers": 10,
                       "arrival_share": 0.1,
                       "policy": {"type": "transfer", "return_probability": 0.6,
                                  "return_delay_days": 10}},
    },
    "routes": {
        "calais_ferry": {"site": "calais", "mode": "lorry_ferry", "opportunities": 20,
                         "people_per_opportunity": 2,
                         "interception": {"base": 0.5, "officers": 1.0, "congestion": 10},
                         "death": 0.001, "injury": 0.01, "success": 0.9},
        "calais_boat": {"site": "calais", "mode": "small_boat", "opportunities": 1,
                        "people_per_opportunity": 30,
                        "sea_viable": [0.5] * 12, "death": 0.002},
        "dunkirk_ferry": {"site": "dunkirk", "mode": "lorry_ferry", "opportunities": 10,
                          "people_per_opportunity": 2,
                          "interception": {"base": 0.5, "officers": 1.0}},
        "ouistreham_ferry": {"site": "ouistreham", "mode": "lorry_ferry", "opportunities": 3,
                             "people_per_opportunity": 3,
                             "interception": {"base": 1.0, "officers": 2.0}},
    },
}


def tiny(**changes) -> dict:
    """The tiny scenario with dotted-key changes: tiny(**{"sites.calais.officers": 5})."""
    raw = copy.deepcopy(BASE)
    for key, value in changes.items():
        node = raw
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return raw


def retry_scenario(p: float, people: int, days: int = 60) -> dict:
    """One site, one route, fixed interception probability p, warn and release, no harm,
    no exits, room for everyone every day: the repeated-trials model of the border literature."""
    return {
        "name": "retry",
        "start": "2020-01-01",
        "arrivals": {"per_year": {"2020": 0}},
        "behaviour": {"attempt_probability": 1.0},
        "sites": {"s": {"name": "S", "lat": 50.0, "lon": 1.0, "initial_people": people}},
        "routes": {"r": {"site": "s", "mode": "lorry_ferry", "opportunities": people,
                         "interception": {"base": -math.log1p(-p), "officers": 0.0}}},
        "end": _plus_days("2020-01-01", days - 1),
    }


def _plus_days(start: str, n: int) -> str:
    from datetime import date, timedelta

    return str(date.fromisoformat(start) + timedelta(days=n))


@pytest.fixture
def tiny_scenario():
    return sc_mod.from_dict(tiny())
