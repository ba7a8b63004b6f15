"""The daily loop: an inspectable plan of processes, per-process timings, daily invariants.

`run(scenario, seed)` is a pure function: the same scenario and seed give the same Results.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np

from .population import N_STATUS, People, Status
from .processes import (
    Arrivals,
    Attempts,
    Camps,
    Drivers,
    Enforcement,
    Exits,
    Learning,
    Market,
    Process,
    Relocation,
    Resolution,
    Returns,
)
from .random import Streams
from .results import Recorder, Results
from .scenario import Scenario
from .world import World


def default_plan() -> list[Process]:
    """The order of a day (DESIGN section 3). A process whose scenario section is absent
    does nothing, so a scenario switches mechanisms on by describing them."""
    return [Arrivals(), Relocation(), Attempts(), Resolution(), Drivers(), Enforcement(),
            Returns(), Camps(), Market(), Exits(), Learning()]


@dataclass
class Today:
    """What one process hands the next within a day."""

    attempters: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    route: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    intercepted: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    rough_sea: np.ndarray = field(default_factory=lambda: np.zeros(0))


class InvariantError(AssertionError):
    pass


class Sim:
    def __init__(self, scenario: Scenario, seed: int = 0, debug: bool = False,
                 plan: list[Process] | None = None):
        self.scenario = scenario
        self.seed = int(seed)
        self.debug = debug
        self.world = World.build(scenario)
        self.plan = plan if plan is not None else default_plan()
        self.rng = Streams(seed, declared={name for p in self.plan for name in p.streams})
        expected = sum(s.initial_people for s in scenario.sites.values())
        expected += int(self.world.daily_inflow.sum() * 1.1)
        self.people = People(capacity=expected + 1024, n_routes=self.world.n_routes)
        self.rec = Recorder(self.world, self.plan)
        self.timings = {p.name: 0.0 for p in self.plan} | {"record": 0.0}
        self.day = 0
        self.today = Today()
        self.state = SimpleNamespace()  # aggregate actors: market, drivers, group memory
        self.active_person_days = 0

    def run(self, progress: Callable[[int, int], None] | None = None) -> Results:
        for process in self.plan:
            process.init(self)
        n_days = self.world.n_days
        for day in range(n_days):
            self.day = day
            self.today = Today()
            for process in self.plan:
                t0 = time.perf_counter()
                process.step(self)
                self.timings[process.name] += time.perf_counter() - t0
            t0 = time.perf_counter()
            self.active_person_days += len(self.people.active)
            self.rec.record_day(self, self.people.drop_finished())
            self.timings["record"] += time.perf_counter() - t0
            if self.debug:
                check_invariants(self)
            if progress is not None:
                progress(day + 1, n_days)
        return Results.from_sim(self)


def run(scenario: Scenario, seed: int = 0, debug: bool = False,
        progress: Callable[[int, int], None] | None = None) -> Results:
    """Simulate a scenario with one seed; see Results for what comes back."""
    return Sim(scenario, seed=seed, debug=debug).run(progress=progress)


def check_invariants(sim: Sim) -> None:
    """Everyone arrived is in exactly one status; flows add up; nothing is negative."""
    people, rec, day = sim.people, sim.rec, sim.day
    status = people.status
    problems = []
    if status.size and (status.min() < 0 or status.max() >= N_STATUS):
        problems.append("a status code is out of range")
    counts = np.bincount(status, minlength=N_STATUS)
    if counts.sum() != people.n:
        problems.append(f"statuses count {counts.sum()} people, {people.n} arrived")
    initial = sum(s.initial_people for s in sim.scenario.sites.values())
    arrived = initial + rec.site["arrivals"][: day + 1].sum()
    if arrived != people.n:
        problems.append(f"{people.n} people exist but {arrived} arrived")
    route, site = rec.route, rec.site
    flows = {
        Status.CROSSED: route["crossings"][: day + 1].sum(),
        Status.DEAD: route["deaths"][: day + 1].sum(),
        Status.LEFT: sum(site[k][: day + 1].sum() for k in ("exits", "stayed_away", "into_care")),
    }
    for st, total in flows.items():
        if counts[st] != total:
            problems.append(f"{counts[st]} people are {st.name} but the flows add to {total}")
    alive = np.flatnonzero(status < Status.CROSSED)
    if not np.array_equal(np.sort(people.active), alive):
        problems.append("the active index does not match the non-terminal statuses")
    held = np.isin(status, (Status.DETAINED, Status.DISPERSED, Status.TRAVELLING))
    if np.any(people.release_day[held] <= day):
        problems.append("someone is held past their release day")
    for name, arr in {**rec.site, **rec.route}.items():
        if np.any(arr[day] < 0):
            problems.append(f"negative {name} on day {day}")
    p = rec.route["p_intercept"][day]
    if np.any((p < 0) | (p > 1)):
        problems.append("an interception probability is outside [0, 1]")
    if np.any(people.funds < 0):
        problems.append("someone has negative funds")
    price = rec.route["price"][day]
    if np.any(price[~np.isnan(price)] <= 0):
        problems.append("a smuggling price is not positive")
    if problems:
        raise InvariantError(f"day {day} ({sim.world.dates[day]}): " + "; ".join(problems))
