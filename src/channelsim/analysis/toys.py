"""Models with known answers, to test the calibration and sensitivity machinery against."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class NormalMean:
    """n draws from Normal(mu, sigma) with sigma known; the distance is |mean - observed mean|.
    With a Normal(m0, s0) prior the posterior of mu is normal, in closed form."""

    observed_mean: float
    n: int
    sigma: float

    def __call__(self, theta: np.ndarray, rng: np.random.Generator,
                 epsilon: float = np.inf) -> float:
        data = rng.normal(theta[0], self.sigma, self.n)
        return abs(float(data.mean()) - self.observed_mean)

    def posterior(self, m0: float, s0: float) -> tuple[float, float]:
        precision = 1.0 / s0**2 + self.n / self.sigma**2
        mean = (m0 / s0**2 + self.n * self.observed_mean / self.sigma**2) / precision
        return mean, precision**-0.5


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3 (Ishigami and Homma 1990)."""
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    """Its first- and total-order Sobol indices, in closed form."""
    pi = np.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return [v1 / var, v2 / var, 0.0], [(v1 + v13) / var, v2 / var, v13 / var]


@dataclass(frozen=True)
class NoncentredWalk:
    """Noisy observations of a log random walk from 0, fitted as (step, z_1..z_n) with the
    yearly log levels step x cumsum(z): the region the data accept is a thin curved sheet
    (step and z trade off as 1/step), the shape a global Gaussian kernel proposes around."""

    observed: tuple[float, ...]  # log levels of years 1..n
    noise: float = 0.3

    def __call__(self, theta: np.ndarray, rng: np.random.Generator,
                 epsilon: float = np.inf) -> float:
        logs = theta[0] * np.cumsum(theta[1:]) + self.noise * rng.standard_normal(len(theta) - 1)
        return float(np.sqrt(np.mean((logs - np.asarray(self.observed)) ** 2)))
