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

    def __call__(self, theta: np.ndarray, rng: np.random.Generator) -> float:
        data = rng.normal(theta[0], self.sigma, self.n)
        return abs(float(data.mean()) - self.observed_mean)

    def posterior(self, m0: float, s0: float) -> tuple[float, float]:
        precision = 1.0 / s0**2 + self.n / self.sigma**2
        mean = (m0 / s0**2 + self.n * self.observed_mean / self.sigma**2) / precision
        return mean, precision**-0.5
