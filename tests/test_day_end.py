"""The day's end pass: exits, the finished leaving the active index, the day's stocks, and
tomorrow's coins for trying, all from one pass over the people on the coast."""

import numpy as np

from channelsim import engine, scenario
from channelsim.day_end import end_day
from channelsim.population import ExitReason, Status
from channelsim.processes.base import SWEPT, TRIES
from channelsim.random import Stream

from .conftest import tiny


def sim_with(**changes) -> engine.Sim:
    return engine.Sim(scenario.from_dict(tiny(**changes)), seed=4)


def test_the_finished_leave_the_active_index_in_order_and_the_day_is_counted():
    sim = sim_with(**{"exits.base_hazard": 0.0, "exits.per_failed_attempt": 0.0})
    people = sim.people
    people.status[[1, 3]] = Status.CROSSED
    people.status[5] = Status.DEAD
    people.status[[7, 8]] = Status.DETAINED
    before = people.active.copy()
    end_day(sim.st, 0)
    assert list(people.active) == [u for u in before if u not in (1, 3, 5)]
    rec = sim.rec
    assert rec.status[0, Status.CROSSED] == 2 and rec.status[0, Status.DEAD] == 1
    assert rec.status[0, Status.DETAINED] == 2
    assert rec.site["detained"][0].sum() == 2
    assert rec.site["waiting"][0].sum() == len(before) - 5
    assert rec.active_person_days == len(before)


def test_tomorrows_coins_are_the_daily_decision_draws_of_those_still_here():
    """The list of who would try tomorrow is the kept people whose draw on the `decide`
    stream for tomorrow is below the daily chance: the draw attempts made itself before."""
    sim = sim_with()
    people, today = sim.people, sim.today
    people.status[:50] = Status.CROSSED
    end_day(sim.st, 0)
    kept = people.active
    chance = sim.scenario.behaviour.attempt_probability
    expected = kept[Stream(4, "decide").uniform(1, kept) < chance]
    assert np.array_equal(today.tries[: today.counts[TRIES]], expected)
    assert today.counts[SWEPT] == len(kept) and 0 < len(expected) < len(kept)


def test_waiting_people_exit_at_the_days_end_with_a_reason():
    sim = sim_with(**{"exits.base_hazard": 1.0, "exits.asylum_share": 0.5})
    people = sim.people
    people.status[:10] = Status.DETAINED
    n = people.n
    end_day(sim.st, 0)
    assert np.all(people.status[10:] == Status.LEFT) and np.all(people.exit_day[10:] == 0)
    reasons = np.bincount(people.exit_reason[10:], minlength=len(ExitReason))
    assert reasons[ExitReason.ASYLUM_FRANCE] > 0 and reasons[ExitReason.MOVED_ON] > 0
    assert sim.rec.site["exits"][0].sum() == n - 10 and list(people.active) == list(range(10))
