"""The daily loop: the plan's order, per-process timings, the invariants on a whole run, and
the compiled loop giving exactly what the process-by-process loop gives."""

import numba
import numpy as np
import pytest

import channelsim
from channelsim import engine
from channelsim.day_end import end_day


def test_plan_order_is_the_documented_day():
    names = [p.name for p in engine.default_plan()]
    assert names == ["arrivals", "relocation", "attempts", "resolution", "drivers",
                     "enforcement", "returns", "camps", "legal_route", "market", "learning",
                     "exits"]


def test_invariants_hold_every_day_of_the_default_scenario():
    """Everyone arrived is in exactly one status, flows add up, nothing negative, each day."""
    sc = channelsim.load("channel-history")
    sim = engine.Sim(sc, seed=3, debug=True)  # check_invariants runs after every day
    res = sim.run()
    final = res.status[-1]
    assert final.sum() == len(res.people["status"])
    assert res.summary()["scorecard"]["crossings"] > 0
    assert set(res.timings) == {p.name for p in sim.plan if p.kernel} | {"day_end"}


def test_invariant_checker_catches_a_broken_state(tiny_scenario):
    sim = engine.Sim(tiny_scenario, seed=1)
    end_day(sim.st, 0)
    sim.people.status[0] = channelsim.population.Status.CROSSED  # crossed with no crossing flow
    try:
        engine.check_invariants(sim)
    except engine.InvariantError as exc:
        assert "CROSSED" in str(exc)
    else:
        raise AssertionError("the invariant checker missed a person crossing without a flow")


def same_results(a: channelsim.Results, b: channelsim.Results) -> None:
    for group in ("site", "route", "people"):
        x, y = getattr(a, group), getattr(b, group)
        assert x.keys() == y.keys()
        for k in x:
            assert np.array_equal(x[k], y[k], equal_nan=x[k].dtype.kind == "f"), f"{group}.{k}"
    assert np.array_equal(a.status, b.status)
    assert a.active_person_days == b.active_person_days


def test_compiled_loop_equals_the_plan_stepped_from_python():
    """Every mechanism (learning, relocation, a clearance, markets, drivers, boats, three
    interception policies) through 2016: the same kernels in one compiled loop or called one
    by one give the same numbers, so timings and invariants describe the fast runs too."""
    sc = channelsim.load("channel-history", ["end=2016-12-31"])
    fast = engine.run(sc, seed=5)
    stepped = engine.run(sc, seed=5, timed=True)
    assert sum(stepped.timings.values()) > 0
    same_results(fast, stepped)
    assert fast.site["clearances"].sum() > 0 and fast.route["paid_crossings"].sum() > 0


def test_growing_the_columns_mid_run_changes_nothing(tiny_scenario):
    """Room for people runs out (arrivals stop the day until the columns grow): same run."""
    roomy = engine.run(tiny_scenario, seed=2)
    sim = engine.Sim(tiny_scenario, seed=2, capacity=400)  # 300 people on the first day
    cramped = sim.run()
    assert sim.people.capacity > 400
    same_results(roomy, cramped)


@numba.njit
def _fails_on_day_3(s, day):
    if day == 3:
        raise ValueError("day 3")


@numba.njit
def _loop_through(address, s):
    for day in range(5):
        engine._call(address, s, day, None)


def test_a_kernel_called_through_its_address_raises_as_a_direct_call_would():
    sig = (numba.types.int64, numba.types.int64)
    _fails_on_day_3.compile(sig)
    res = _fails_on_day_3.overloads[sig]
    address = res.library.get_pointer_to_function(res.fndesc.mangled_name)
    with pytest.raises(ValueError, match="day 3"):
        _loop_through(address, 0)
