"""Resolving attempts: the repeated-trials law of the border literature."""

import numpy as np

import channelsim
from channelsim import scenario
from channelsim.population import Status
from channelsim.processes.resolution import interception_probability
from channelsim.world import World

from .conftest import retry_scenario, tiny


def test_attempts_per_crossing_follow_the_geometric_law():
    """With fixed interception probability p and warn-and-release, the attempts a person needs
    are geometric: mean 1/(1-p), variance p/(1-p)^2 (Massey and Singer 1995, p about 0.35)."""
    p, n = 0.35, 20_000
    res = channelsim.run(scenario.from_dict(retry_scenario(p, n, days=60)), seed=11)
    people = res.people
    assert np.all(people["status"] == Status.CROSSED)  # P(not crossed in 60 tries) = p**60
    attempts = people["attempts"].astype(float)
    mean, se = 1 / (1 - p), np.sqrt(p) / (1 - p) / np.sqrt(n)
    # 4 standard errors: a false alarm has probability 6e-5, and p off by 0.01 would shift
    # the mean by 0.024, which is 3.7 standard errors (the test has power to see it)
    assert abs(attempts.mean() - mean) < 4 * se
    share_first = (attempts == 1).mean()
    assert abs(share_first - (1 - p)) < 4 * np.sqrt(p * (1 - p) / n)
    assert res.summary()["scorecard"]["interceptions"] == int(attempts.sum()) - n


def test_more_officers_per_attempt_raise_interception():
    world = World.build(scenario.from_dict(tiny()))
    few = interception_probability(world, 0, np.array([100, 10, 10, 10]))
    many = interception_probability(world, 0, np.array([5, 10, 10, 10]))
    assert many[0] > few[0]  # the same officers spread over fewer attempts
    assert np.all((few >= 0) & (few <= 1))


def test_harm_rates_match_their_probabilities():
    """Deaths per attempt on a route with death risk d: within 4 binomial standard errors."""
    d, n = 0.02, 20_000
    raw = retry_scenario(0.0, n, days=1)
    raw["routes"]["r"]["death"] = d
    res = channelsim.run(scenario.from_dict(raw), seed=5)
    deaths = res.summary()["scorecard"]["deaths"]
    assert abs(deaths / n - d) < 4 * np.sqrt(d * (1 - d) / n)
