"""Turning uniform draws into the draws the processes need, without loops over people."""

from __future__ import annotations

import numba
import numpy as np


def categorical(u: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Index drawn from `weights` for each uniform `u`."""
    cum = np.cumsum(weights)
    return np.searchsorted(cum / cum[-1], u, side="right").clip(max=len(weights) - 1)


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Round x down or up with probability given by its fractional part (unbiased)."""
    base = np.floor(x)
    return (base + (u < x - base)).astype(np.int64)


def geometric_days(u: np.ndarray, mean: float) -> np.ndarray:
    """Whole days, at least 1, geometric with the given mean (>= 1): the discrete form of an
    exponential delay whose mean is exactly `mean`."""
    with np.errstate(divide="ignore"):
        return (1 + np.floor(np.log1p(-u) / np.log1p(-1.0 / mean))).astype(np.int64)


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
