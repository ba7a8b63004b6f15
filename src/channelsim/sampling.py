"""Turning uniform draws into the draws the processes need, in numba for the daily kernels.

The elementwise helpers are numba ufuncs: kernels call them on scalars, Python on arrays."""

from __future__ import annotations

import numba
import numpy as np

from . import compiled  # noqa: F401  (numba's cache is set up before any kernel)


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
def geometric_at_least_1(u, mean):
    """A whole number, at least 1, geometric with the given mean (>= 1): the discrete form
    of an exponential delay (in days) or a group's size, whose mean is exactly `mean`."""
    if mean <= 1.0:
        return 1
    return np.int64(1 + np.floor(np.log1p(-u) / np.log1p(-1.0 / mean)))


@numba.njit(cache=True, nogil=True)
def kept_or_zero(keep: np.ndarray, x: np.ndarray) -> np.ndarray:
    """np.where(keep, x, 0.0) for 1-d arrays: numba's np.where took 2 s to compile, again in
    every process of the first run's compile (warmup.py), for a loop this short."""
    out = np.zeros(x.shape[0])
    for i in range(x.shape[0]):
        if keep[i]:
            out[i] = x[i]
    return out


@numba.njit(cache=True, nogil=True)
def stable_order(keys: np.ndarray) -> np.ndarray:
    """np.argsort(keys, kind="stable") for keys without NaN: the indices that put keys in
    ascending order, ties in their order. A bottom-up merge sort: numba's own sorts took
    1.8-3 s each to compile, in every kernel that used one, for queues of a few thousand."""
    n = keys.shape[0]
    order, spare = np.arange(n), np.empty(n, dtype=np.int64)
    width = 1
    while width < n:  # merge neighbouring sorted runs of `width` into runs of twice that
        for lo in range(0, n, 2 * width):
            mid, hi = min(lo + width, n), min(lo + 2 * width, n)
            i, j = lo, mid
            for k in range(lo, hi):
                if j >= hi or (i < mid and keys[order[i]] <= keys[order[j]]):
                    spare[k] = order[i]
                    i += 1
                else:
                    spare[k] = order[j]
                    j += 1
        order, spare = spare, order
        width *= 2
    return order


@numba.njit(cache=True, nogil=True)
def select(x: np.ndarray, k: int) -> float:
    """The k-th smallest of x (from 0), reordering x in place: Hoare's selection, as in
    Wirth's Algorithms + Data Structures (np.partition copies first and took five times as
    long on the day's queues)."""
    lo, hi = 0, x.shape[0] - 1
    while lo < hi:
        pivot, i, j = x[k], lo, hi
        while i <= j:
            while x[i] < pivot:
                i += 1
            while pivot < x[j]:
                j -= 1
            if i <= j:
                x[i], x[j] = x[j], x[i]
                i += 1
                j -= 1
        if j < k:
            lo = i
        if k < i:
            hi = j
    return x[k]


@numba.njit(cache=True, nogil=True)
def lowest_k_cut(group: np.ndarray, priority: np.ndarray, k: np.ndarray,
                 size: np.ndarray) -> np.ndarray:
    """Per group g (of size[g] members), the cut that keeps its k[g] lowest priorities:
    member i is among them when priority[i] <= cut[group[i]] (+inf where a group has room for
    all, -inf where it has none).

    Only oversubscribed groups need a selection. For priorities uniform on [0, 1) (the queue
    draws) the k lowest of c members almost surely lie below a bound a few standard
    deviations above k / c, so only those candidates are gathered and partitioned; a group
    with too few candidates (any other distribution) is gathered whole. Exact either way."""
    if size.sum() != group.shape[0]:  # the gathering below relies on it
        raise ValueError("lowest_k_cut: size must count the members of each group")
    n_groups = k.shape[0]
    cut = np.full(n_groups, np.inf)
    bound = np.full(n_groups, -np.inf)  # gather below this: nothing where all have room
    start = np.zeros(n_groups + 1, dtype=np.int64)  # a region of the pool per group
    over = False
    for g in range(n_groups):
        start[g + 1] = start[g] + size[g]
        if size[g] <= k[g]:
            continue
        over = True
        if k[g] <= 0:
            cut[g] = -np.inf
        else:
            bound[g] = min(1.0, (k[g] + 4.0 * np.sqrt(k[g]) + 8.0) / size[g])
    if not over:
        return cut
    pool = np.empty(group.shape[0])
    for _ in range(2):  # candidates below the bound; then, where too few, everyone
        fill = start[:-1].copy()
        for i in range(group.shape[0]):
            # written without branching: each member is put at its group's next free
            # place, which moves on only if it is a candidate (it stays in the region)
            g, x = np.uintp(group[i]), priority[i]
            pool[fill[g]] = x
            fill[g] += x < bound[g]
        short = False
        for g in range(n_groups):
            if bound[g] == -np.inf:
                continue
            if fill[g] - start[g] >= k[g]:
                cut[g] = select(pool[start[g]: fill[g]], k[g] - 1)
                bound[g] = -np.inf
            else:
                bound[g] = np.inf
                short = True
        if not short:
            break
    return cut
