"""The Mesa reference follows channelsim's rules, so issue 6's speed ratio compares one model.

They share no random numbers, so they are compared in distribution: the mean over K seeds of each
outcome must agree within the standard errors of the two means.
"""

import numpy as np
import pytest
from benchmarks import mesa_reference
from benchmarks.mesa_reference import agents, model

import channelsim
from channelsim import scenario

from .conftest import tiny

OUTCOMES = ("crossings", "interceptions", "exits")
# K seeds per arm. On the tiny scenario (about 1,050 people, 3 sites with all three policies,
# 91 days) the run-to-run sd is about 24 crossings, 190 interceptions and 9.5 exits, so the
# standard error of a difference of means is sqrt(2 / K) = 0.14 sd and the tolerance below
# 0.49 sd. A true difference of (Z + 1.28) * 0.14 = 0.68 sd is caught with 90% power: about 17
# crossings (2%), 130 interceptions (4%) or 6.5 exits (7%). An arm takes about 3 s on one core.
K = 100
# Two-sided p = 4.7e-4 per comparison; over the 9 comparisons of this file (3 outcomes x 3
# scenarios) a correct Mesa model fails less than once in 200 draws of the seeds (Bonferroni).
Z = 3.5


def channelsim_outcomes(sc: scenario.Scenario) -> dict[str, np.ndarray]:
    cards = [channelsim.run(sc, seed=seed).summary()["scorecard"] for seed in range(K)]
    return {k: np.array([c[k] for c in cards], dtype=float) for k in OUTCOMES}


def mesa_outcomes(sc: scenario.Scenario) -> dict[str, np.ndarray]:
    sums = [mesa_reference.run(sc, seed=seed).summary() for seed in range(K)]
    return {k: np.array([s[k] for s in sums], dtype=float) for k in OUTCOMES}


def mean_se(x: np.ndarray) -> tuple[float, float]:
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x)))


def z_gap(a: np.ndarray, b: np.ndarray) -> float:
    """The difference of the two means in units of its standard error."""
    (ma, sa), (mb, sb) = mean_se(a), mean_se(b)
    return (ma - mb) / np.hypot(sa, sb)


def disagreements(a: dict, b: dict) -> dict[str, float]:
    gaps = {k: z_gap(a[k], b[k]) for k in OUTCOMES}
    return {k: round(g, 1) for k, g in gaps.items() if abs(g) >= Z}


def with_policy(policy: dict) -> scenario.Scenario:
    return scenario.from_dict(
        tiny(**{f"sites.{s}.policy": policy for s in ("calais", "dunkirk", "ouistreham")})
    )


@pytest.fixture(scope="module")
def mixed():
    """The tiny scenario: detention at Dunkirk, transfers from Ouistreham, warnings at Calais."""
    sc = scenario.from_dict(tiny())
    return sc, channelsim_outcomes(sc)


def test_mesa_agrees_with_channelsim_in_distribution(mixed):
    sc, expected = mixed
    assert disagreements(expected, mesa_outcomes(sc)) == {}


def test_detention_lowers_interceptions_alike_in_both():
    """Held people cannot retry: detaining everyone for 3 days instead of warning them lowers
    interceptions and crossings in both models, by amounts that agree."""
    warn, detain = with_policy({"type": "warn_release"}), with_policy({"type": "detain", "days": 3})
    cs = {"warn": channelsim_outcomes(warn), "detain": channelsim_outcomes(detain)}
    me = {"warn": mesa_outcomes(warn), "detain": mesa_outcomes(detain)}
    for arm in ("warn", "detain"):
        assert disagreements(cs[arm], me[arm]) == {}, arm
    for outcomes in (cs, me):
        for outcome in ("interceptions", "crossings"):
            assert z_gap(outcomes["detain"][outcome], outcomes["warn"][outcome]) < -Z, outcome


def _ignore_policy(monkeypatch):
    monkeypatch.setattr(agents.Site, "intercepted", lambda self, person: None)


def _ignore_capacity(monkeypatch):
    opened = agents.Route.open

    def open_without_limit(self, sea):
        opened(self, sea)
        self.places = 10**9

    monkeypatch.setattr(agents.Route, "open", open_without_limit)


@pytest.mark.parametrize("break_rule", [_ignore_policy, _ignore_capacity])
def test_the_comparison_catches_a_wrong_rule(mixed, monkeypatch, break_rule):
    """The agreement test has teeth: a Mesa model with one rule wrong fails it."""
    sc, expected = mixed
    break_rule(monkeypatch)
    assert disagreements(expected, mesa_outcomes(sc)) != {}



def test_rules_beyond_the_foundation_are_refused_not_ignored(monkeypatch):
    """Otherwise the speed ratio could silently compare two different models. A setting is
    made unknown here by taking it off the list; at its default it is harmless."""
    monkeypatch.setitem(model.FOUNDATION, "Behaviour", {"attempt_probability"})
    mesa_reference.ChannelModel(scenario.from_dict(tiny()))
    sc = scenario.from_dict(tiny(**{"behaviour.risk_tolerance_mean": 0.9}))
    with pytest.raises(ValueError, match="behaviour.risk_tolerance_mean"):
        mesa_reference.ChannelModel(sc)
