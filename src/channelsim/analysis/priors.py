"""Priors on an internal scale where the perturbation kernel works: log for log-uniform
parameters (their range spans orders of magnitude), the value itself otherwise."""

from __future__ import annotations

import numpy as np

from ..scenario import Prior


def to_external(prior: Prior, x: np.ndarray) -> np.ndarray:
    return np.exp(x) if prior.distribution == "log-uniform" else np.asarray(x, float)


def _bounds(prior: Prior) -> tuple[float, float]:
    low = -np.inf if prior.low is None else prior.low
    high = np.inf if prior.high is None else prior.high
    if prior.distribution == "log-uniform":
        return float(np.log(low)), float(np.log(high))
    return low, high


def sample(priors: list[Prior], rng: np.random.Generator) -> np.ndarray:
    """One draw on the internal scale; a truncated normal by rejection (bounds are wide)."""
    out = np.empty(len(priors))
    for k, prior in enumerate(priors):
        low, high = _bounds(prior)
        if prior.distribution == "normal":
            for _ in range(10_000):
                out[k] = rng.normal(prior.mean, prior.sd)
                if low <= out[k] <= high:
                    break
            else:
                raise ValueError(f"a normal prior (mean {prior.mean}, sd {prior.sd}) almost "
                                 f"never falls inside [{prior.low}, {prior.high}]")
        else:
            out[k] = rng.uniform(low, high)
    return out


def log_density(priors: list[Prior], x: np.ndarray) -> float:
    """Log prior density on the internal scale, up to a constant; -inf outside the bounds."""
    total = 0.0
    for k, prior in enumerate(priors):
        low, high = _bounds(prior)
        if not low <= x[k] <= high:
            return -np.inf
        if prior.distribution == "normal":
            total += -0.5 * ((x[k] - prior.mean) / prior.sd) ** 2
    return total
