"""How much a scenario or an experiment may ask for, checked before anything runs.

A run holds everyone who ever arrived in typed columns, so its memory is the people it may
hold times the bytes a person takes; both are computed here from the scenario and from the
population's own column types, not guessed. An experiment's work is its runs times their
days times their people; past a stated size it needs --yes.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .errors import ScenarioError

if TYPE_CHECKING:
    from .scenario import Scenario

MEMORY_LIMIT = 1 << 30  # bytes a run may take
# columns grow by doubling (old and new held at once: three times the rows) and the run's
# people table is one more copy
PEAK_COPIES = 4
WORK_LIMIT = 10**12  # person-days an experiment may take without --yes (about 500 history runs)


def bytes_per_person(n_routes: int) -> int:
    """The bytes one person takes in the population's columns (import deferred: numba)."""
    import numpy as np

    from .population import COLUMNS, ROUTE_COLUMNS

    row = sum(np.dtype(t).itemsize for t, _ in COLUMNS.values())
    row += n_routes * sum(np.dtype(t).itemsize for t in ROUTE_COLUMNS.values())
    return row + 2 * np.dtype(np.int32).itemsize  # the active index and the release calendar


def people_bound(sc: Scenario) -> int:
    """At most how many people the run can hold: those present at the start and every
    newcomer the schedule brings, at the UK's strongest pull."""
    inflow = sum(_held(sc.arrivals.per_year, y) * _year_weight(sc, y)
                 for y in range(sc.start.year, sc.end.year + 1))
    if sc.pull is not None:
        inflow *= sc.pull.multiplier * max(1.0, sc.pull.reference_success ** -sc.pull.elasticity)
    return sum(s.initial_people for s in sc.sites.values()) + int(inflow) + 1


def check_memory(sc: Scenario, source: str) -> None:
    people = people_bound(sc)
    need = people * bytes_per_person(len(sc.routes)) * PEAK_COPIES
    if need > MEMORY_LIMIT:
        allowed = MEMORY_LIMIT // (bytes_per_person(len(sc.routes)) * PEAK_COPIES)
        raise ScenarioError(source, [(
            "sites.*.initial_people, arrivals.per_year",
            f"up to {people:,} people over the run would take about {need / 2**30:,.1f} GiB; "
            f"at most {allowed:,} people ({MEMORY_LIMIT / 2**30:.0f} GiB)")],
            "too large to run")


def work(scenarios: list[Scenario], reps: int) -> int:
    """Person-days of an experiment, at most: runs x days x people."""
    return reps * sum(((sc.end - sc.start).days + 1) * people_bound(sc) for sc in scenarios)


def check_work(scenarios: list[Scenario], reps: int, yes: bool) -> None:
    size = work(scenarios, reps)
    if size > WORK_LIMIT and not yes:
        raise ScenarioError("--reps", [("", (
            f"{len(scenarios) * reps:,} runs of up to {size:,} person-days in all; past "
            f"{WORK_LIMIT:,} add --yes to run them, or ask for fewer"))],
            "a large experiment")


def _held(per_year: dict[int, float], year: int) -> float:
    """A year's inflow: the nearest earlier year's value (none before the first)."""
    earlier = [y for y in per_year if y <= year]
    return per_year[max(earlier)] if earlier else 0.0


def _year_weight(sc: Scenario, year: int) -> float:
    """The share of a year's seasonal inflow that falls inside the scenario's period."""
    season = sc.arrivals.seasonality
    inside = 0.0
    for month in range(1, 13):
        days = calendar.monthrange(year, month)[1]
        first, last = date(year, month, 1), date(year, month, days)
        lo, hi = max(first, sc.start), min(last, sc.end)
        if lo <= hi:
            inside += season[month - 1] * ((hi - lo) + timedelta(days=1)).days / days
    return inside / sum(season)
