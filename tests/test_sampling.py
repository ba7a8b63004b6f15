"""Draw helpers: the boarding queue, categorical choice, stochastic rounding."""

import numpy as np
import pytest

from channelsim.sampling import lowest_k_cut, pick, select, stable_order, stochastic_round


def test_lowest_k_cut_keeps_the_lowest_priorities_in_each_group():
    """Uniform priorities (the gathered candidates suffice) and skewed ones (a group whose k
    lowest lie above the bound is gathered whole): exact either way."""
    rng = np.random.default_rng(0)
    group = rng.integers(0, 5, 3000)
    k = np.array([10, 0, 5000, 1, 300])
    for priority in (rng.random(3000), rng.random(3000) ** 0.1):
        cut = lowest_k_cut(group, priority, k, np.bincount(group, minlength=5))
        keep = priority <= cut[group]
        for g in range(5):
            members = np.flatnonzero(group == g)
            expected = members[np.argsort(priority[members])[: k[g]]]
            assert set(np.flatnonzero(keep & (group == g))) == set(expected)


def test_lowest_k_cut_refuses_sizes_that_do_not_count_the_groups():
    group = np.array([0, 1, 1])
    with pytest.raises(ValueError, match="size must count"):
        lowest_k_cut(group, np.array([0.1, 0.2, 0.3]), np.array([0, 1]), np.array([1, 5]))


def test_select_finds_the_kth_smallest_with_ties_and_in_any_order():
    rng = np.random.default_rng(1)
    for n in (1, 2, 3, 10, 257):
        ordered = np.sort(rng.random(n))
        for values in (rng.random(n), rng.integers(0, 4, n).astype(float), ordered, ordered[::-1]):
            for k in {0, n // 3, n - 1}:
                assert select(values.copy(), k) == np.sort(values)[k]


def test_stable_order_is_numpys_stable_argsort():
    """Ties keep their order (the kernels rely on it for queues drawn by group), at every
    length a merge's runs can leave, for the floats and integers the kernels sort."""
    rng = np.random.default_rng(2)
    for n in (0, 1, 2, 3, 5, 8, 9, 100, 1023):
        for keys in (rng.random(n), rng.integers(0, 4, n).astype(float), rng.integers(0, 7, n),
                     np.arange(n)[::-1].copy()):
            assert np.array_equal(stable_order(keys), np.argsort(keys, kind="stable"))


def test_categorical_and_rounding_are_unbiased():
    n = 100_000
    u = (np.arange(n) + 0.5) / n  # evenly spread uniforms: shares come out exactly
    cum = np.cumsum([1.0, 0.0, 3.0]) / 4.0
    picks = np.array([pick(cum, x) for x in u])
    assert np.allclose(np.bincount(picks, minlength=3) / n, [0.25, 0.0, 0.75], atol=1e-4)
    rounded = stochastic_round(np.full(n, 2.3), u)
    assert set(np.unique(rounded)) == {2, 3} and abs(rounded.mean() - 2.3) < 1e-4


def test_geometric_at_least_1_have_the_stated_mean():
    from channelsim.sampling import geometric_at_least_1

    n = 200_000
    u = (np.arange(n) + 0.5) / n
    for mean in (1.0, 5.0, 30.0):
        days = geometric_at_least_1(u, mean)
        assert days.min() >= 1 and abs(days.mean() - mean) < 0.01 * mean
