"""ABC-SMC (Beaumont et al. 2009; Del Moral et al. 2012 for the adaptive tolerance), our own
rather than pyABC's because its parallel samplers do not reproduce (pyABC issues 392 and 400).

Each particle's draws come from (calibration seed, generation, particle) alone, and a
generation's particles are placed by index, so the result is the same on every backend. Each
generation is committed to the DuckDB store in one transaction: a killed calibration resumes
from the last whole generation and ends with exactly what an uninterrupted one gives.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from ..experiments.backends import Serial
from ..scenario import Prior
from . import abc_store, priors

STREAM = 0x0ABC5AC  # the calibration's stream, apart from every run's own named streams
MAX_TRIES = 200_000  # proposals for one particle before the tolerance is declared unreachable


class Model(Protocol):
    """Simulates at parameter values (external scale) and returns the distance to the data;
    it may stop early and return inf once the distance is sure to exceed `epsilon`."""

    def __call__(self, theta: np.ndarray, rng: np.random.Generator,
                 epsilon: float = np.inf) -> float: ...


@dataclass(frozen=True)
class Problem:
    names: tuple[str, ...]
    priors: tuple[Prior, ...]
    model: Model  # picklable (a module-level function or object) for worker processes
    label: str = ""  # what is fitted, for the store's key

    def key(self, seed: int, particles: int, quantile: float) -> str:
        text = json.dumps([self.label, self.names, [p.model_dump() for p in self.priors],
                           seed, particles, quantile], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Generation:
    index: int
    epsilon: float
    thetas: np.ndarray  # [particle, parameter], internal scale
    weights: np.ndarray  # sum to 1
    distances: np.ndarray
    tries: np.ndarray  # proposals simulated for each particle
    seconds: float

    @property
    def ess(self) -> float:
        return float(1.0 / np.sum(self.weights**2))

    @property
    def acceptance(self) -> float:
        return float(len(self.tries) / self.tries.sum())


@dataclass(frozen=True)
class ParticleTask:
    """One particle of one generation: propose until a proposal falls within the tolerance."""

    problem: Problem
    seed: int
    generation: int
    particle: int
    epsilon: float
    previous: np.ndarray | None = None  # last generation's particles (internal scale)
    cumulative: np.ndarray | None = None  # their cumulative weights
    chol: np.ndarray | None = None  # Cholesky factor of the perturbation covariance

    def run(self) -> tuple[int, np.ndarray, float, int]:
        rng = np.random.default_rng([self.seed, STREAM, self.generation, self.particle])
        prs = list(self.problem.priors)
        for tries in range(1, MAX_TRIES + 1):
            if self.previous is None:
                x = priors.sample(prs, rng)
            else:
                j = min(int(np.searchsorted(self.cumulative, rng.random(), side="right")),
                        len(self.previous) - 1)
                x = self.previous[j] + self.chol @ rng.standard_normal(len(prs))
                if not np.isfinite(priors.log_density(prs, x)):
                    continue
            theta = np.array([priors.to_external(p, v) for p, v in zip(prs, x, strict=True)])
            d = float(self.problem.model(theta, rng, self.epsilon))
            if d <= self.epsilon:
                return self.particle, x, d, tries
        raise RuntimeError(f"generation {self.generation}, particle {self.particle}: no "
                           f"proposal within tolerance {self.epsilon:.4g} in {MAX_TRIES} tries")


@dataclass
class Result:
    problem: Problem
    generations: list[Generation] = field(default_factory=list)

    @property
    def last(self) -> Generation:
        return self.generations[-1]

    def draws(self) -> np.ndarray:
        """The last population on the external scale, [particle, parameter]."""
        return np.column_stack([priors.to_external(p, self.last.thetas[:, k])
                                for k, p in enumerate(self.problem.priors)])

    def mean(self) -> np.ndarray:
        return self.last.weights @ self.draws()

    def sd(self) -> np.ndarray:
        d = self.draws()
        return np.sqrt(self.last.weights @ (d - self.mean()) ** 2)


def perturbation(gen: Generation) -> np.ndarray:
    """Twice the weighted covariance of the last population (Beaumont et al. 2009), as its
    Cholesky factor; a small ridge keeps it positive definite when particles coincide."""
    cov = 2.0 * np.atleast_2d(np.cov(gen.thetas.T, aweights=gen.weights, bias=True))
    ridge = 1e-12 * max(1.0, float(np.trace(cov)))
    return np.linalg.cholesky(cov + ridge * np.eye(len(cov)))


def weights(problem: Problem, thetas: np.ndarray, prev: Generation, chol: np.ndarray
            ) -> np.ndarray:
    """Prior density over the mixture of kernels the proposals came from."""
    inv = np.linalg.inv(chol)
    z = (thetas[:, None, :] - prev.thetas[None, :, :]) @ inv.T  # [new, old, parameter]
    kernel = np.exp(-0.5 * np.sum(z**2, axis=2)) @ prev.weights
    log_prior = np.array([priors.log_density(list(problem.priors), t) for t in thetas])
    w = np.exp(log_prior - log_prior.max()) / kernel
    return w / w.sum()


def calibrate(problem: Problem, particles: int, generations: int, seed: int = 0,
              quantile: float = 0.5, backend: Any = None, store_path: str | None = None,
              progress: Callable[[dict[str, Any]], None] | None = None) -> Result:
    """Run (or resume) an ABC-SMC calibration to `generations` generations."""
    if particles < 2 or generations < 1 or not 0 < quantile < 1:
        raise ValueError("need particles >= 2, generations >= 1 and 0 < quantile < 1")
    key = problem.key(seed, particles, quantile)
    store = abc_store.AbcStore(store_path) if store_path else None
    result = Result(problem, store.load(key) if store else [])
    backend = backend or Serial()
    try:
        with backend:
            while len(result.generations) < generations:
                t = len(result.generations)
                started = time.perf_counter()
                if t == 0:
                    eps, prev, cumulative, chol = np.inf, None, None, None
                else:
                    prev_gen = result.last
                    eps = float(np.quantile(prev_gen.distances, quantile))
                    prev, chol = prev_gen.thetas, perturbation(prev_gen)
                    cumulative = np.cumsum(prev_gen.weights)
                tasks = [ParticleTask(problem, seed, t, i, eps, prev, cumulative, chol)
                         for i in range(particles)]
                thetas = np.empty((particles, len(problem.names)))
                dist, tries = np.empty(particles), np.empty(particles, dtype=np.int64)
                for i, x, d, n in backend.map(tasks):
                    thetas[i], dist[i], tries[i] = x, d, n
                w = (np.full(particles, 1.0 / particles) if t == 0
                     else weights(problem, thetas, result.last, chol))
                gen = Generation(t, eps, thetas, w, dist, tries,
                                 time.perf_counter() - started)
                if store:
                    store.commit(key, gen, problem)
                result.generations.append(gen)
                if progress:
                    left = (generations - t - 1) * gen.seconds
                    progress({"generation": t, "epsilon": eps, "acceptance": gen.acceptance,
                              "ess": gen.ess, "simulations": int(tries.sum()),
                              "seconds": gen.seconds, "seconds_left": left})
    finally:
        if store:
            store.close()
    return result
