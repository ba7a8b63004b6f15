"""The daily loop: an inspectable plan of processes, compiled whole or stepped one by one.

A run's State is one namedtuple of arrays: the people's columns, the world's daily arrays,
each process's parameters and states (under its name), today's hand-overs between processes,
the recorder's daily arrays and the random streams' keys. Each process's day is a numba kernel
over that State (exits' rule runs in the day's end pass, `day_end.end_day`). `run_days` chains
the kernels in the plan's order, then the day's end, for many days in one compiled call (the
fast path; it calls them through their machine code's addresses, `kernel_addresses`);
`Sim.run(timed=True)` or `debug=True` steps the same kernels from Python one process at a
time, for per-process timings and daily invariants. Both run the same code, so they give
identical results (tests/test_engine.py checks it).

`run(scenario, seed)` is a pure function: the same scenario and seed give the same Results.
"""

from __future__ import annotations

import os
import time
from collections import namedtuple
from collections.abc import Callable
from functools import cache

import numba
import numpy as np
from numba.core import cgutils, types
from numba.experimental import structref
from numba.extending import intrinsic

from . import processes as pr
from .compiled import optimised_at
from .day_end import end_day
from .population import N_STATUS, People, Status
from .processes.base import SWEPT, TRIES
from .random import stream_key
from .results import SITE_STOCKS, Recorder, Results
from .scenario import Scenario
from .world import World

CHUNK_DAYS = 128  # days per compiled call: progress reports at about this interval


def default_plan() -> list[pr.Process]:
    """The order of a day (DESIGN section 3), ended by `end_day`. A process whose scenario
    section is absent does nothing, so a scenario switches mechanisms on by describing them.
    Exits come last: their rule runs in the day's end pass."""
    return [pr.Arrivals(), pr.Relocation(), pr.Attempts(), pr.Resolution(), pr.Drivers(),
            pr.Enforcement(), pr.Returns(), pr.Camps(), pr.LegalRoute(), pr.Market(),
            pr.Learning(), pr.Exits()]


def _declared(attr: str) -> list[str]:
    return list(dict.fromkeys(n for p in default_plan() for n in getattr(p, attr)))


# the State's parts (fixed types, so the compiled kernels are cached between sessions)
Today = namedtuple("Today", ["uid", "route", "intercepted", "tries", "counts", "rough_sea"])
Keys = namedtuple("Keys", _declared("streams"))
Record = namedtuple("Record", [*_declared("site_results"), *SITE_STOCKS,
                               *_declared("route_results"), "status", "active_person_days"])
State = namedtuple("State", ["people", "world", "today", "rec", "keys",
                             *(p.name for p in default_plan())])


@structref.register
class StateType(types.StructRef):
    """The State as the kernels receive it: by reference, one pointer for all its arrays
    (passed by value, each call would copy ~200 arrays' descriptors; each kernel then took
    seconds more to compile and ~30 us more to call from Python)."""

    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(typ)) for name, typ in fields)


class StateRef(structref.StructRefProxy):
    """A run's State in a compiled structure; its parts are the State's."""


structref.define_proxy(StateRef, StateType, list(State._fields))


@numba.njit(cache=True)
def _state_ref(people, world, today, rec, keys, arrivals, relocation, attempts, resolution,
               drivers, enforcement, returns, camps, legal_route, market, learning, exits):
    # built in a cached function: StateRef(...) from Python would compile its constructor
    # afresh in every process
    return StateRef(people, world, today, rec, keys, arrivals, relocation, attempts,
                    resolution, drivers, enforcement, returns, camps, legal_route, market,
                    learning, exits)


@intrinsic
def _call(typingctx, address, s, day, result):
    """The kernel at `address` called on (s, day) with numba's own calling convention (its
    errors propagate as a direct call's would); `result` is a value of the kernel's return
    type (True or None). Through an address, the day loop compiles without linking the
    kernels' code into its own and optimising and emitting it all again."""
    restype = types.unliteral(result)

    def codegen(context, builder, sig, args):
        fnty = context.call_conv.get_function_type(restype, (s, day))
        fn = builder.inttoptr(args[0], fnty.as_pointer())
        status, value = context.call_conv.call_function(builder, fn, restype, (s, day),
                                                        args[1:3])
        with cgutils.if_unlikely(builder, status.is_error):
            context.call_conv.return_status_propagate(builder, status)
        return value

    return restype(address, s, day, result), codegen


def day_kernels() -> list:
    """The kernels `run_days` calls, in the plan's order: the processes', then the day's end;
    the first (arrivals) returns whether the people's columns had room."""
    return [p.kernel for p in default_plan() if p.kernel] + [end_day]


@cache
def kernel_addresses(state_type: StateType) -> np.ndarray:
    """The machine code's addresses of `day_kernels()` for this State's type, compiled or
    loaded from the cache; valid while this process's dispatchers hold their code."""
    sig = (state_type, types.int64)
    addresses = []
    for i, kernel in enumerate(day_kernels()):
        kernel.compile(sig)
        res = kernel.overloads[sig]
        expected = types.boolean if i == 0 else types.none
        if res.signature.return_type != expected:  # what run_days's calls assume
            raise TypeError(f"{kernel.__name__} returns {res.signature.return_type}")
        addresses.append(res.library.get_pointer_to_function(res.fndesc.mangled_name))
    return np.array(addresses, dtype=np.int64)


@numba.njit(cache=True, nogil=True)
def run_days(s: StateRef, kernels: np.ndarray, first: int, stop: int) -> int:
    """Days first..stop-1 in the plan's order, `kernels` being `kernel_addresses(...)`;
    returns the day it stopped before, which is earlier than `stop` only when the people's
    columns need more room."""
    for day in range(first, stop):
        if not _call(kernels[0], s, day, True):
            return day
        for k in range(1, kernels.shape[0]):
            _call(kernels[k], s, day, None)
    return stop


def compiled() -> bool:
    """Whether numba's cache holds the compiled loop (not on a first run, which compiles the
    kernels for most of a minute; numba keeps no public flag, so this looks for its index)."""
    try:
        return os.path.exists(run_days._cache._cache_file._index_path)
    except AttributeError:
        return True


class InvariantError(AssertionError):
    pass


class Sim:
    def __init__(self, scenario: Scenario, seed: int = 0, debug: bool = False,
                 capacity: int | None = None, start: bool = True):
        """`capacity`: room for this many people at first (by default 10% above the
        expected arrivals); the columns grow when it runs out. `start=False` builds the parts
        only, neither the compiled State nor day 0's start, so nothing is compiled
        (warmup.py compiles the kernels against `state_type()`)."""
        self.scenario = scenario
        self.seed = int(seed)
        self.debug = debug
        self.world = World.build(scenario)
        self.plan = default_plan()
        initial = sum(s.initial_people for s in scenario.sites.values())
        if capacity is None:
            capacity = initial + int(self.world.daily_inflow.sum() * 1.1) + 1024
        self.people = People(capacity=max(capacity, initial), n_routes=self.world.n_routes,
                             n_days=self.world.n_days)
        self.rec = Recorder(self.world, self.plan, Record)
        self.kernels = [p for p in self.plan if p.kernel]  # exits' rule runs in end_day
        self.timings = {p.name: 0.0 for p in self.kernels} | {"day_end": 0.0}
        self.timed, self.seconds = False, 0.0
        self.day = 0
        self.parts = {p.name: p.init(self) for p in self.plan}
        self.keys = Keys(*(np.uint64(stream_key(self.seed, n)) for n in Keys._fields))
        self.today = self._today()
        if not start:
            return
        self.st = self._state()
        for p in self.plan:
            p.start(self)

    def _today(self, kept: Today | None = None) -> Today:
        """Today's hand-overs, room for everyone; `kept`'s list of who would try and counts
        carry over (growth happens between days)."""
        cap = self.people.capacity
        today = Today(uid=np.empty(cap, dtype=np.int32), route=np.empty(cap, dtype=np.int64),
                      intercepted=np.empty(cap, dtype=np.int32),
                      tries=np.empty(cap, dtype=np.int32), counts=np.zeros(4, dtype=np.int64),
                      rough_sea=np.zeros(self.world.n_routes))
        if kept is not None:
            today.tries[: kept.tries.shape[0]] = kept.tries
            today.counts[TRIES], today.counts[SWEPT] = kept.counts[TRIES], kept.counts[SWEPT]
        return today

    def _parts(self) -> State:
        return State(people=self.people.cols, world=self.world.arrays(), today=self.today,
                     rec=self.rec.arrays, keys=self.keys, **self.parts)

    def _state(self) -> StateRef:
        parts = self._parts()
        types_ = tuple(numba.typeof(part) for part in parts)
        if types_ not in _state_ref.overloads:  # from the cache, or compiled
            with optimised_at(0):  # 4-5 s less to compile than at level 3, as fast to run
                _state_ref.compile(types_)
        return _state_ref(*parts)

    def state_type(self) -> StateType:
        """The type of the State the kernels receive, from its parts' types alone (the
        constructor, `_state_ref`, is not compiled)."""
        return StateType([(name, numba.typeof(part))
                          for name, part in self._parts()._asdict().items()])

    def _grow(self) -> None:
        """More room for people (rare: the first guess is 10% above the expected arrivals)."""
        self.people.reserve(2 * self.people.capacity)
        self.today = self._today(kept=self.today)
        self.st = self._state()

    def run(self, progress: Callable[[int, int], None] | None = None,
            timed: bool = False) -> Results:
        """All days; compiled in chunks, or process by process when timed or debugging."""
        self.advance(self.world.n_days, progress, timed)
        return Results.from_sim(self)

    def advance(self, until: int, progress: Callable[[int, int], None] | None = None,
                timed: bool = False) -> None:
        """The days before `until` not yet run (several runs stepped side by side stop at
        the same days: a calibration's replicates are scored together as they go)."""
        until, started = min(until, self.world.n_days), time.perf_counter()
        self.timed = timed or self.debug
        if not self.timed:
            addresses = kernel_addresses(numba.typeof(self.st))
        while self.day < until:
            if timed or self.debug:
                if not self._step_day():
                    self._grow()
                    continue
                if self.debug:
                    check_invariants(self)
                self.day += 1
            else:
                stop = min(self.day + CHUNK_DAYS, until)
                reached = run_days(self.st, addresses, self.day, stop)
                if reached == self.day:
                    self._grow()
                self.day = reached
            if progress is not None:
                progress(self.day, self.world.n_days)
        self.seconds += time.perf_counter() - started

    def _step_day(self) -> bool:
        """One day, each process called from Python and timed; False if it needs more room
        (arrivals come first and change nothing in that case)."""
        for process in self.kernels:
            t0 = time.perf_counter()
            if process.step(self) is False:
                return False
            self.timings[process.name] += time.perf_counter() - t0
        t0 = time.perf_counter()
        end_day(self.st, self.day)
        self.timings["day_end"] += time.perf_counter() - t0
        return True


def run(scenario: Scenario, seed: int = 0, debug: bool = False,
        progress: Callable[[int, int], None] | None = None, timed: bool = False) -> Results:
    """Simulate a scenario with one seed; see Results for what comes back."""
    return Sim(scenario, seed=seed, debug=debug).run(progress=progress, timed=timed)


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
        Status.LEFT: sum(site[k][: day + 1].sum()
                         for k in ("exits", "stayed_away", "into_care", "legal_arrivals")),
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
