"""Turning uniform draws into the draws the processes need, in numba for the daily kernels.

The elementwise helpers are numba ufuncs: kernels call them on scalars, Python on arrays."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def pick(cum: np.ndarray, u: float) -> int:
    """Index drawn by u from cumulative weights normalised to end at 1."""
    j = 0
    while j < cum.shape[0] - 1 and cum[j] <= u:
        j += 1
    return j


@numba.vectorize(["int64(float64, float64)"], cache=True)
def stochastic_round(x, u):
    """Round x down or up with probability given by its fractional part (unbiased)."""
    base = np.floor(x)
    return np.int64(base + (1.0 if u < x - base else 0.0))


@numba.vectorize(["int64(float64, float64)"], cache=True)
def geometric_days(u, mean):
    """Whole days, at least 1, geometric with the given mean (>= 1): the discrete form of an
    exponential delay whose mean is exactly `mean`."""
    if mean <= 1.0:
        return 1
    return np.int64(1 + np.floor(np.log1p(-u) / np.log1p(-1.0 / mean)))


@numba.njit(cache=True, nogil=True)
def first_k_per_group(group: np.ndarray, priority: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Mask keeping, in each group g, the k[g] members with the lowest priority.

    Members are bucketed by group in one pass (a counting sort); only oversubscribed groups
    need a selection, found by partitioning their priorities at the k-th smallest."""
    n, n_groups = group.shape[0], k.shape[0]
    start = np.zeros(n_groups + 1, dtype=np.int64)
    for g in group:
        start[g + 1] += 1
    start = np.cumsum(start)
    fill = start[:-1].copy()
    members = np.empty(n, dtype=np.int64)
    for i in range(n):
        members[fill[group[i]]] = i
        fill[group[i]] += 1
    keep = np.ones(n, dtype=np.bool_)
    for g in range(n_groups):
        lo, hi = start[g], start[g + 1]
        if hi - lo <= k[g]:
            continue
        if k[g] <= 0:
            keep[members[lo:hi]] = False
            continue
        pr = priority[members[lo:hi]]
        cut = np.partition(pr, k[g] - 1)[k[g] - 1]
        for j in range(lo, hi):
            keep[members[j]] = priority[members[j]] <= cut
    return keep
