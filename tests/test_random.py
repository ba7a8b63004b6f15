"""Named random streams and common random numbers: paired runs stay paired."""

import numba
import numpy as np
from scipy.special import ndtri

import channelsim
from channelsim import engine, scenario
from channelsim.random import Stream, drawn_below, persistent_unit
from channelsim.world import World

from .conftest import tiny


def test_draws_are_a_function_of_seed_stream_day_and_uid():
    s = Stream(7, "decide")
    a = s.uniform(3, np.array([5, 9, 2]))
    b = s.uniform(3, np.array([2, 5]))
    assert a[0] == b[1] and a[2] == b[0]  # who else draws does not matter
    assert not np.array_equal(s.uniform(4, np.array([5])), a[:1])
    assert not np.array_equal(Stream(7, "exit").uniform(3, np.array([5])), a[:1])
    assert not np.array_equal(Stream(8, "decide").uniform(3, np.array([5])), a[:1])


def test_drawn_below_keeps_the_uids_whose_draw_is_below_the_chance_in_order():
    stream = Stream(7, "rumour")
    uids = np.array([5, 2, 900, 3, 41, 77, 12000], dtype=np.int32)
    for chance in (0.0, 0.3, 0.7, 1.0):
        expected = uids[stream.uniform(9, uids) < chance]
        assert np.array_equal(drawn_below(uids, stream.base(9), chance), expected)


def test_draws_are_uniform():
    """Mean and variance of 200,000 draws within 4 standard errors of U(0, 1)'s."""
    n = 200_000
    u = Stream(1, "x").uniform(0, np.arange(n))
    assert u.min() >= 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 4 * np.sqrt(1 / 12 / n)
    assert abs(u.var() - 1 / 12) < 4 * np.sqrt(1 / 180 / n)  # Var of (U - 1/2)^2 is 1/180
    counts = np.bincount((u * 10).astype(int), minlength=10)
    chi2 = ((counts - n / 10) ** 2 / (n / 10)).sum()
    assert chi2 < 27.9  # 99.9th percentile of chi-square with 9 degrees of freedom


def test_each_declared_stream_has_its_own_key_in_each_seed(tiny_scenario):
    one, two = engine.Sim(tiny_scenario, seed=1).keys, engine.Sim(tiny_scenario, seed=2).keys
    assert set(one._fields) == {n for p in engine.default_plan() for n in p.streams}
    assert len(set(one)) == len(one) and not set(one) & set(two)


def test_changing_police_at_one_site_leaves_everyone_else_unchanged():
    """Doubling officers at Ouistreham changes outcomes there, and nothing for people who never
    visit Ouistreham: their draws, and so their outcomes, are the same person by person."""
    busy = {"arrivals.per_year": {"2020": 12_000}}
    base = channelsim.run(scenario.from_dict(tiny(**busy)), seed=4)
    more = channelsim.run(
        scenario.from_dict(tiny(**busy, **{"sites.ouistreham.officers": 20})), seed=4
    )
    site = base.people["site"]
    ouistreham = base.site_ids.index("ouistreham")
    assert np.array_equal(site, more.people["site"])
    elsewhere = site != ouistreham
    assert elsewhere.sum() > 1000 and (~elsewhere).sum() > 100
    for col in ("status", "attempts", "interceptions", "exit_day", "injuries"):
        assert np.array_equal(base.people[col][elsewhere], more.people[col][elsewhere]), col
    changed = base.people["interceptions"][~elsewhere] != more.people["interceptions"][~elsewhere]
    assert changed.any()


def test_poisson_counts_have_the_right_mean_and_variance():
    """Over 20,000 days, mean and variance within 4 standard errors, by inversion (lam 3, 80)
    and by the normal branch (lam 900)."""
    s, n = Stream(2, "arrivals"), 20_000
    for lam in (3.0, 80.0, 900.0):
        k = np.array([s.poisson(day, lam) for day in range(n)], dtype=float)
        assert abs(k.mean() - lam) < 4 * np.sqrt(lam / n)
        # Var of a sample variance for Poisson: (mu4 - sigma^4) / n = (lam + 2 lam^2) / n
        assert abs(k.var() - lam) < 4 * np.sqrt((lam + 2 * lam**2) / n)


@numba.njit
def _days_of_weather(key, n_days, weights):
    return np.array([persistent_unit(key, d, weights) for d in range(n_days)])


def test_persistent_weather_is_uniform_each_day_with_the_lag_one_correlation_asked():
    """20,000 days at persistence 0.8: the draws' normal scores have mean 0 and variance 1,
    and neighbours the correlation sum_k w_k w_(k+1) of the weights (0.8 up to truncation),
    each within 4 standard errors of an AR(1)'s (Bartlett: Var r1 = (1 - rho^2) / n)."""
    n, rho = 20_000, 0.8
    weights = World.build(scenario.from_dict(tiny(**{"weather.persistence": rho}))).weather_weights
    z = ndtri(_days_of_weather(np.uint64(Stream(3, "weather").key), n, weights))
    inflation = (1 + rho) / (1 - rho)  # the variance of a mean of correlated draws
    assert abs(z.mean()) < 4 * np.sqrt(inflation / n)
    assert abs(z.var() - 1) < 4 * np.sqrt(2 * (1 + rho**2) / (1 - rho**2) / n)
    r1 = np.corrcoef(z[:-1], z[1:])[0, 1]
    expected = float(weights[:-1] @ weights[1:])
    assert abs(expected - rho) < 0.001
    assert abs(r1 - expected) < 4 * np.sqrt((1 - rho**2) / n)


def test_weather_without_persistence_is_the_independent_daily_draw():
    stream = Stream(3, "weather")
    weights = World.build(scenario.from_dict(tiny())).weather_weights
    assert weights.tolist() == [1.0]
    expected = [stream.uniform(d, np.array([0]))[0] for d in range(50)]
    assert _days_of_weather(np.uint64(stream.key), 50, weights).tolist() == expected
