"""How well an ensemble of runs forecasts observations, as the field reports it: Flee's averaged
relative difference (Suleimenova et al. 2017) of the ensemble mean, the share of observations
inside the central 50% and 90% predictive bands, and the CRPS of the ensemble (Gneiting and
Raftery 2007), all averaged over the observations.

`ens` is [replicate, observation]; `obs` the observations, in the same order.
"""

from __future__ import annotations

import numpy as np


def ard(ens: np.ndarray, obs: np.ndarray) -> float:
    """Mean over observations of |ensemble mean - observed| / observed (observed > 0 only)."""
    keep = obs > 0
    return float(np.mean(np.abs(ens.mean(axis=0)[keep] - obs[keep]) / obs[keep]))


def coverage(ens: np.ndarray, obs: np.ndarray, level: float) -> float:
    """Share of observations inside the ensemble's central `level` band (ends included)."""
    lo, hi = np.percentile(ens, [50 * (1 - level), 50 * (1 + level)], axis=0)
    return float(np.mean((obs >= lo) & (obs <= hi)))


def crps(ens: np.ndarray, obs: np.ndarray) -> float:
    """The ensemble CRPS, E|X - y| - E|X - X'| / 2 over the replicates, averaged over the
    observations; in the observations' units, 0 for a sure and right forecast."""
    return float(np.mean(crps_rows(ens, obs)))


def crps_rows(ens: np.ndarray, obs: np.ndarray, fair: bool = False) -> np.ndarray:
    """Each observation's ensemble CRPS; `fair` takes E|X - X'| over distinct replicates
    (Ferro 2014), an unbiased estimate of the CRPS of the distribution the replicates are
    drawn from, and the mean over pairs of replicates of a pair's, so never negative."""
    m = ens.shape[0]
    pairs = m * (m - 1) if fair else m * m
    spread = np.abs(ens[:, None, :] - ens[None, :, :]).sum(axis=(0, 1)) / pairs
    return np.abs(ens - obs).mean(axis=0) - 0.5 * spread


def bands(ens: np.ndarray) -> dict[str, np.ndarray]:
    """Per observation: the ensemble's mean and 5th, 25th, 75th and 95th percentiles."""
    p05, p25, p75, p95 = np.percentile(ens, [5, 25, 75, 95], axis=0)
    return {"mean": ens.mean(axis=0), "p05": p05, "p25": p25, "p75": p75, "p95": p95}
