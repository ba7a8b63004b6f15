"""The daily loop: the plan's order, per-process timings, and the invariants on a whole run."""

import channelsim
from channelsim import engine


def test_plan_order_is_the_documented_day():
    names = [p.name for p in engine.default_plan()]
    assert names == ["arrivals", "relocation", "attempts", "resolution", "drivers",
                     "enforcement", "returns", "camps", "market", "exits", "learning"]


def test_invariants_hold_every_day_of_the_default_scenario():
    """Everyone arrived is in exactly one status, flows add up, nothing negative, each day."""
    sc = channelsim.load("channel-history")
    sim = engine.Sim(sc, seed=3, debug=True)  # check_invariants runs after every day
    res = sim.run()
    final = res.status[-1]
    assert final.sum() == len(res.people["status"])
    assert res.summary()["scorecard"]["crossings"] > 0
    assert set(res.timings) == {p.name for p in sim.plan} | {"record"}


def test_invariant_checker_catches_a_broken_state(tiny_scenario):
    sim = engine.Sim(tiny_scenario, seed=1)
    for p in sim.plan:
        p.init(sim)
    sim.day = 0
    sim.rec.record_day(sim, sim.people.drop_finished())
    sim.people.status[0] = channelsim.population.Status.CROSSED  # crossed with no crossing flow
    try:
        engine.check_invariants(sim)
    except engine.InvariantError as exc:
        assert "CROSSED" in str(exc)
    else:
        raise AssertionError("the invariant checker missed a person crossing without a flow")
