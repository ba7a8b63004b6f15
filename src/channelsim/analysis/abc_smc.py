"""ABC-SMC (Beaumont et al. 2009; Del Moral et al. 2012 for the adaptive tolerance), our own
rather than pyABC's because its parallel samplers do not reproduce (pyABC issues 392 and 400).

Two ways to move from one generation to the next. Importance sampling (`olcm`, `global`):
each new particle perturbs one of the last generation with a Gaussian kernel (its own locally
optimal covariance, Filippi et al. 2013, or twice the population's, Beaumont et al. 2009) until
a proposal falls within the new tolerance, and is weighted by prior over proposal density.
MCMC moves (`mcmc`, Del Moral et al. 2012 with one simulation per particle; Drovandi and
Pettitt 2011): the particles beyond the new tolerance are replaced by copies of those within,
and every particle then takes Metropolis-Hastings steps that keep the ABC posterior at that
tolerance; the weights stay equal, so a prior with a sharp funnel (the inflow walk's) cannot
collapse them onto a few particles, as it does the importance weights.

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
REPLENISH = STREAM + 1  # which particles the ones beyond the tolerance copy (mcmc)
KERNELS = ("mcmc", "olcm", "global")
MAX_TRIES = 200_000  # proposals for one particle before the tolerance is declared unreachable
# mcmc: steps per particle so that it moves at least once with this chance, at the last
# generation's acceptance rate (Drovandi and Pettitt 2011), within bounds; the first MCMC
# generation assumes half its steps are accepted
MOVED = 0.95
MIN_STEPS, MAX_STEPS, FIRST_ACCEPTANCE = 2, 30, 0.5


class Model(Protocol):
    """Simulates at parameter values (external scale) and returns the distance to the data;
    it may stop early and return inf once the distance is sure to exceed `epsilon`."""

    def __call__(self, theta: np.ndarray, rng: np.random.Generator,
                 epsilon: float = np.inf) -> float: ...


@dataclass(frozen=True)
class Problem:
    names: tuple[str, ...]
    priors: tuple[Prior | None, ...]  # None: a log level of `walk`
    model: Model  # picklable (a module-level function or object) for worker processes
    label: str = ""  # what is fitted, for the store's key
    walk: priors.Walk | None = None  # the joint prior of a latent log random walk

    def distance(self, x: np.ndarray, rng: np.random.Generator, epsilon: float) -> float:
        """The model's distance at a point on the internal scale."""
        theta = np.array([priors.to_external(p, v) for p, v in zip(self.priors, x, strict=True)])
        return float(self.model(theta, rng, epsilon))

    def key(self, seed: int, particles: int, quantile: float, kernel: str) -> str:
        text = json.dumps([self.label, self.names, [p and p.model_dump() for p in self.priors],
                           seed, particles, quantile, kernel], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Generation:
    index: int
    epsilon: float
    thetas: np.ndarray  # [particle, parameter], internal scale
    weights: np.ndarray  # sum to 1
    distances: np.ndarray
    tries: np.ndarray  # proposals made for each particle
    seconds: float
    accepted: np.ndarray  # of them, accepted (1 each, but for MCMC steps)

    @property
    def ess(self) -> float:
        return float(1.0 / np.sum(self.weights**2))

    @property
    def acceptance(self) -> float:
        return float(self.accepted.sum() / self.tries.sum())

    @property
    def distinct(self) -> int:
        """Particles unlike every other: what equal weights hide when copies did not move."""
        return len(np.unique(self.thetas, axis=0))


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
    # Cholesky factor of the perturbation covariance, [parameter, parameter], or one per
    # last-generation particle, [particle, parameter, parameter]
    chol: np.ndarray | None = None

    def run(self) -> tuple[int, np.ndarray, float, int, int]:
        rng = np.random.default_rng([self.seed, STREAM, self.generation, self.particle])
        prs, walk = list(self.problem.priors), self.problem.walk
        for tries in range(1, MAX_TRIES + 1):
            if self.previous is None:
                x = priors.sample(prs, rng, walk)
            else:
                j = min(int(np.searchsorted(self.cumulative, rng.random(), side="right")),
                        len(self.previous) - 1)
                chol = self.chol[j] if self.chol.ndim == 3 else self.chol
                x = self.previous[j] + chol @ rng.standard_normal(len(prs))
                if not np.isfinite(priors.log_density(prs, x, walk)):
                    continue
            d = self.problem.distance(x, rng, self.epsilon)
            if d <= self.epsilon:
                return self.particle, x, d, tries, 1
        raise RuntimeError(f"generation {self.generation}, particle {self.particle}: no "
                           f"proposal within tolerance {self.epsilon:.4g} in {MAX_TRIES} tries")


@dataclass(frozen=True)
class MoveTask:
    """One particle's Metropolis-Hastings steps at a fixed tolerance (Marjoram et al. 2003):
    a Gaussian step from where it is, accepted with the prior's ratio and if its simulation
    falls within the tolerance. The prior's test comes first, so a step it refuses costs no
    simulation."""

    problem: Problem
    seed: int
    generation: int
    particle: int
    epsilon: float
    start: np.ndarray  # internal scale
    distance: float  # the start's
    chol: np.ndarray  # Cholesky factor of the step's covariance
    steps: int

    def run(self) -> tuple[int, np.ndarray, float, int, int]:
        rng = np.random.default_rng([self.seed, STREAM, self.generation, self.particle])
        prs, walk = list(self.problem.priors), self.problem.walk
        x, d, accepted = self.start, self.distance, 0
        log_p = priors.log_density(prs, x, walk)
        for _ in range(self.steps):
            y = x + self.chol @ rng.standard_normal(len(prs))
            log_q = priors.log_density(prs, y, walk)
            if np.log(rng.random()) >= log_q - log_p:
                continue
            dy = self.problem.distance(y, rng, self.epsilon)
            if dy <= self.epsilon:
                x, d, log_p, accepted = y, dy, log_q, accepted + 1
        return self.particle, x, d, self.steps, accepted


@dataclass
class Result:
    problem: Problem
    generations: list[Generation] = field(default_factory=list)

    @property
    def last(self) -> Generation:
        return self.generations[-1]

    def draws(self, gen: Generation | None = None) -> np.ndarray:
        """A population (the last by default) on the external scale, [particle, parameter]."""
        thetas = (gen or self.last).thetas
        return np.column_stack([priors.to_external(p, thetas[:, k])
                                for k, p in enumerate(self.problem.priors)])

    def mean(self) -> np.ndarray:
        return self.last.weights @ self.draws()

    def sd(self) -> np.ndarray:
        d = self.draws()
        return np.sqrt(self.last.weights @ (d - self.mean()) ** 2)


def _cov(thetas: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.atleast_2d(np.cov(thetas.T, aweights=w, bias=True))


def _cholesky(covs: np.ndarray) -> np.ndarray:
    """Cholesky factors of covariances [kernel, parameter, parameter]; a small ridge keeps them
    positive definite when particles coincide."""
    ridge = 1e-12 * max(1.0, float(np.trace(covs.mean(axis=0))))
    return np.linalg.cholesky(covs + ridge * np.eye(covs.shape[-1]))


def perturbation(gen: Generation, epsilon: float, kernel: str = "olcm") -> np.ndarray:
    """Cholesky factors of the proposal covariance.

    global: twice the weighted covariance of the last population (Beaumont et al. 2009), one
    factor. olcm: for each last-generation particle, the weighted mean of (theta_k - theta_j)
    (theta_k - theta_j)' over the particles k already within the new tolerance (Filippi et al.
    2013): proposals spread along the region the next generation accepts, as seen from where
    they start, so a curved or narrow posterior is not swamped by one wide kernel."""
    if kernel == "global":
        covs = 2.0 * _cov(gen.thetas, gen.weights)[None]
    else:
        near = gen.distances <= epsilon
        w = gen.weights[near] / gen.weights[near].sum()
        off = w @ gen.thetas[near] - gen.thetas  # [particle, parameter]
        covs = _cov(gen.thetas[near], w)[None] + off[:, :, None] * off[:, None, :]
    chol = _cholesky(covs)
    return chol[0] if kernel == "global" else chol


def weights(problem: Problem, thetas: np.ndarray, prev: Generation, chol: np.ndarray
            ) -> np.ndarray:
    """Prior density over the mixture of kernels the proposals came from (each kernel's own
    normalisation counts when their covariances differ), on the log scale so that far
    proposals do not underflow."""
    chols = np.broadcast_to(chol, (len(prev.thetas), *chol.shape[-2:]))
    inv = np.linalg.inv(chols)  # [old, parameter, parameter]
    z = np.einsum("opq,noq->nop", inv, thetas[:, None, :] - prev.thetas[None, :, :])
    log_det = np.log(np.diagonal(chols, axis1=1, axis2=2)).sum(axis=1)  # [old]
    with np.errstate(divide="ignore"):  # a particle of weight 0 proposes nothing
        log_weight = np.log(prev.weights)
    log_kernel = -0.5 * np.sum(z**2, axis=2) - log_det + log_weight  # [new, old]
    top = log_kernel.max(axis=1, keepdims=True)
    log_mixture = top[:, 0] + np.log(np.exp(log_kernel - top).sum(axis=1))
    log_prior = np.array([priors.log_density(list(problem.priors), t, problem.walk)
                          for t in thetas])
    log_w = log_prior - log_mixture
    w = np.exp(log_w - log_w.max())
    return w / w.sum()


def steps(last: Generation) -> int:
    """MCMC steps per particle: enough that each moves at least once with chance MOVED, if the
    last generation's acceptance rate holds (the prior's, generation 0's, says nothing)."""
    rate = FIRST_ACCEPTANCE if last.index == 0 else last.acceptance
    if rate >= 1:
        return MIN_STEPS
    need = MAX_STEPS if rate <= 0 else int(np.ceil(np.log(1 - MOVED) / np.log(1 - rate)))
    return int(np.clip(need, MIN_STEPS, MAX_STEPS))


def move_tasks(problem: Problem, seed: int, t: int, last: Generation, epsilon: float
               ) -> list[MoveTask]:
    """Generation t by MCMC: the particles beyond `epsilon` replaced by copies of those within
    (each copy's source drawn from the generation's own stream), then every particle's
    steps, with the population-within-tolerance's covariance scaled by 2.38^2 / dimensions
    (Roberts and Rosenthal 2001)."""
    within = np.flatnonzero(last.distances <= epsilon)
    source = np.arange(len(last.distances))
    beyond = np.flatnonzero(last.distances > epsilon)
    rng = np.random.default_rng([seed, REPLENISH, t])
    source[beyond] = within[rng.integers(len(within), size=len(beyond))]
    dims = last.thetas.shape[1]
    chol = _cholesky(2.38**2 / dims * _cov(last.thetas[within], last.weights[within])[None])[0]
    n = steps(last)
    return [MoveTask(problem, seed, t, i, epsilon, last.thetas[j], float(last.distances[j]),
                     chol, n) for i, j in enumerate(source)]


def calibrate(problem: Problem, particles: int, generations: int, seed: int = 0,
              quantile: float = 0.5, backend: Any = None, store_path: str | None = None,
              progress: Callable[[dict[str, Any]], None] | None = None,
              kernel: str = "mcmc") -> Result:
    """Run (or resume) an ABC-SMC calibration to `generations` generations."""
    if particles < 2 or generations < 1 or not 0 < quantile < 1:
        raise ValueError("need particles >= 2, generations >= 1 and 0 < quantile < 1")
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {', '.join(KERNELS)}, not {kernel!r}")
    key = problem.key(seed, particles, quantile, kernel)
    store = abc_store.AbcStore(store_path) if store_path else None
    result = Result(problem, store.load(key) if store else [])
    backend = backend or Serial()
    try:
        with backend:
            while len(result.generations) < generations:
                t = len(result.generations)
                started = time.perf_counter()
                eps = np.inf if t == 0 else float(np.quantile(result.last.distances, quantile))
                if t == 0:
                    tasks = [ParticleTask(problem, seed, t, i, eps) for i in range(particles)]
                elif kernel == "mcmc":
                    tasks = move_tasks(problem, seed, t, result.last, eps)
                else:
                    chol = perturbation(result.last, eps, kernel)
                    cumulative = np.cumsum(result.last.weights)
                    tasks = [ParticleTask(problem, seed, t, i, eps, result.last.thetas,
                                          cumulative, chol) for i in range(particles)]
                thetas = np.empty((particles, len(problem.names)))
                dist = np.empty(particles)
                tries, accepted = (np.empty(particles, dtype=np.int64) for _ in range(2))
                for i, x, d, n, a in backend.map(tasks):
                    thetas[i], dist[i], tries[i], accepted[i] = x, d, n, a
                w = (weights(problem, thetas, result.last, chol)
                     if t > 0 and kernel != "mcmc" else np.full(particles, 1.0 / particles))
                gen = Generation(t, eps, thetas, w, dist, tries,
                                 time.perf_counter() - started, accepted)
                if store:
                    store.commit(key, gen, problem)
                result.generations.append(gen)
                if progress:
                    left = (generations - t - 1) * gen.seconds
                    progress({"generation": t, "epsilon": eps, "acceptance": gen.acceptance,
                              "ess": gen.ess, "distinct": gen.distinct,
                              "simulations": int(tries.sum()), "seconds": gen.seconds,
                              "seconds_left": left})
    finally:
        if store:
            store.close()
    return result
