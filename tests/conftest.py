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
    return changed(BASE, changes)


def changed(base: dict, changes: dict) -> dict:
    """A deep copy of a scenario dict with dotted-key values set."""
    raw = copy.deepcopy(base)
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


SYSTEM = {
    "name": "system",
    "start": "2020-01-01",
    "end": "2020-09-30",
    "arrivals": {"per_year": {"2020": 8000}, "origins": {"a": 1.0, "b": 1.0},
                 "group_size": 3.0},
    "behaviour": {"attempt_probability": 0.4, "funds_median": 3000, "funds_spread": 0.8,
                  "discouragement": 0.5},
    "exits": {"base_hazard": 0.002, "per_failed_attempt": 0.0005},
    "learning": {"prior_success": 0.5, "prior_strength": 4, "rumour_probability": 0.2},
    "relocation": {"rate": 0.2, "distance_cost_per_100km": 0.01, "crowding_cost": 0.1},
    "funding": {"payments": {"2020": 10_000_000}, "officer_share": 0.5,
                "allocation": {"calais": 0.6, "dunkirk": 0.3, "ouistreham": 0.1}},
    "sites": {
        "calais": {"name": "Calais", "lat": 50.95, "lon": 1.86, "officers": 150,
                   "arrival_share": 0.7, "initial_people": 500, "capacity": 800,
                   "clearance": {"threshold": 1500, "buses": 25, "seats": 20,
                                 "scatter_share": 0.5, "return_delay_days": 20}},
        "dunkirk": {"name": "Dunkirk", "lat": 51.0, "lon": 2.3, "officers": 60,
                    "arrival_share": 0.25, "initial_people": 150},
        "ouistreham": {"name": "Ouistreham", "lat": 49.28, "lon": -0.25, "officers": 20,
                       "arrival_share": 0.05, "initial_people": 30,
                       "drivers": {"traffic_light_share": 0.8, "sensitivity": 0.3}},
    },
    "routes": {
        "calais_ferry": {"site": "calais", "mode": "lorry_ferry", "opportunities": 25,
                         "people_per_opportunity": 2, "officer_share": 0.6,
                         "interception": {"base": 0.6, "officers": 1.0, "congestion": 20,
                                          "infrastructure": 0.5},
                         "market": {"smuggler": "optional", "base_price": 800,
                                    "gangs": 10, "places_per_gang": 5,
                                    "solo_enforcement_penalty": 1.0}},
        "calais_boat": {"site": "calais", "mode": "small_boat", "opportunities": 3.0,
                        "people_per_opportunity": 25, "officer_share": 0.4,
                        "interception": {"base": 0.3, "officers": 0.5, "congestion": 40},
                        "death": 0.001, "sea_viable": [0.5] * 12,
                        "market": {"smuggler": "required", "base_price": 2500,
                                   "gangs": 5, "places_per_gang": 10},
                        "boats": {"max_people_per_boat": 70}},
        "dunkirk_ferry": {"site": "dunkirk", "mode": "lorry_ferry", "opportunities": 12,
                          "people_per_opportunity": 2,
                          "interception": {"base": 0.6, "officers": 1.0, "congestion": 20},
                          "market": {"smuggler": "optional", "base_price": 800,
                                     "gangs": 5, "places_per_gang": 5,
                                     "solo_enforcement_penalty": 1.0}},
        "dunkirk_boat": {"site": "dunkirk", "mode": "small_boat", "opportunities": 1.5,
                         "people_per_opportunity": 25,
                         "interception": {"base": 0.3, "officers": 0.5, "congestion": 40},
                         "death": 0.001, "sea_viable": [0.5] * 12,
                         "market": {"smuggler": "required", "base_price": 2500,
                                    "gangs": 3, "places_per_gang": 10},
                         "boats": {"max_people_per_boat": 70}},
        "ouistreham_ferry": {"site": "ouistreham", "mode": "lorry_ferry", "opportunities": 6,
                             "people_per_opportunity": 3,
                             "interception": {"base": 1.0, "officers": 2.0, "congestion": 10},
                             "groups": {"share": 0.5, "diversion": 0.5}},
    },
}


def system(**changes) -> dict:
    """A small scenario with every mechanism on, with dotted-key changes as in tiny()."""
    return changed(SYSTEM, changes)
