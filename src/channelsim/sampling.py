"""Turning uniform draws into the draws the processes need, without loops over people."""

from __future__ import annotations

import numpy as np


def categorical(u: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Index drawn from `weights` (one row shared, or one row per draw) for each uniform `u`."""
    cum = np.cumsum(weights, axis=-1)
    total = cum[..., -1:]
    if weights.ndim == 1:
        return np.searchsorted(cum / total, u, side="right").clip(max=len(weights) - 1)
    picks = (u[:, None] * total >= cum).sum(axis=1)
    return picks.clip(max=weights.shape[1] - 1)


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Round x down or up with probability given by its fractional part (unbiased)."""
    base = np.floor(x)
    return (base + (u < x - base)).astype(np.int64)


def exponential_days(u: np.ndarray, mean: np.ndarray | float) -> np.ndarray:
    """Whole days, at least 1, from an exponential with the given mean."""
    return np.maximum(1, np.ceil(-np.log1p(-u) * mean)).astype(np.int64)


def first_k_per_group(group: np.ndarray, priority: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Mask keeping, in each group g, the k[g] members with the lowest priority."""
    order = np.lexsort((priority, group))
    g_sorted = group[order]
    starts = np.searchsorted(g_sorted, np.arange(len(k)))
    rank = np.arange(len(order)) - starts[g_sorted]
    keep = np.zeros(len(group), dtype=bool)
    keep[order] = rank < k[g_sorted]
    return keep
