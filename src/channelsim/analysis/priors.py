"""Priors on an internal scale where the perturbation kernel works: log for log-uniform
parameters (their range spans orders of magnitude), the value itself otherwise; and one joint
prior, the centred log random walk of a latent yearly level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario import Prior


@dataclass(frozen=True)
class Walk:
    """A centred log random walk: the parameters at `levels` are the log levels of successive
    years after the first, each the one before plus a normal of sd `step` (the parameter at
    index `step`, external scale), starting from the log of the parameter at `first`.

    Fitting the log levels themselves, rather than standard-normal steps times the step size,
    keeps the region the data accept straight in the fitted coordinates: a non-centred walk
    turns it into a thin curved sheet in (step, steps) that a Gaussian kernel misses."""

    first: int
    step: int
    levels: tuple[int, ...]


def to_external(prior: Prior | None, x: np.ndarray) -> np.ndarray:
    """`None` is a walk's log level, fitted and reported as itself."""
    if prior is not None and prior.distribution == "log-uniform":
        return np.exp(x)
    return np.asarray(x, float)


def _bounds(prior: Prior) -> tuple[float, float]:
    low = -np.inf if prior.low is None else prior.low
    high = np.inf if prior.high is None else prior.high
    if prior.distribution == "log-uniform":
        return float(np.log(low)), float(np.log(high))
    return low, high


def _start(priors: list[Prior | None], x: np.ndarray, walk: Walk) -> tuple[float, float]:
    """The walk's first log level and its step, from the draw."""
    return (float(np.log(to_external(priors[walk.first], x[walk.first]))),
            float(to_external(priors[walk.step], x[walk.step])))


def sample(priors: list[Prior | None], rng: np.random.Generator,
           walk: Walk | None = None) -> np.ndarray:
    """One draw on the internal scale; a truncated normal by rejection (bounds are wide); the
    walk's levels after the parameters it starts from."""
    out = np.empty(len(priors))
    for k, prior in enumerate(priors):
        if prior is None:
            continue
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
    if walk is not None:
        level, step = _start(priors, out, walk)
        for k in walk.levels:
            level = out[k] = level + step * rng.standard_normal()
    return out


def log_density(priors: list[Prior | None], x: np.ndarray, walk: Walk | None = None) -> float:
    """Log prior density on the internal scale, up to a constant; -inf outside the bounds."""
    total = 0.0
    for k, prior in enumerate(priors):
        if prior is None:
            continue
        low, high = _bounds(prior)
        if not low <= x[k] <= high:
            return -np.inf
        if prior.distribution == "normal":
            total += -0.5 * ((x[k] - prior.mean) / prior.sd) ** 2
    if walk is not None:
        first, step = _start(priors, x, walk)
        if not step > 0:
            return -np.inf
        steps = np.diff(np.concatenate([[first], x[list(walk.levels)]]))
        total += float(-0.5 * np.sum((steps / step) ** 2) - len(steps) * np.log(step))
    return total
