"""ABC-SMC against a posterior known in closed form, the same on every backend, and the same
after a kill and a resume as without."""

from dataclasses import dataclass

import duckdb
import numpy as np
import pytest

from channelsim.analysis import abc_smc, priors, toys
from channelsim.experiments.backends import Dask, Processes, Serial
from channelsim.scenario import Prior

PRIOR = Prior(distribution="normal", mean=0.0, sd=1.0)
TOY = toys.NormalMean(observed_mean=1.3, n=20, sigma=1.0)


def problem(model=TOY):
    return abc_smc.Problem(("mu",), (PRIOR,), model, "normal mean")


@pytest.mark.parametrize("kernel", ["mcmc", "olcm"])
def test_posterior_mean_and_sd_match_the_conjugate_answer(kernel):
    result = abc_smc.calibrate(problem(), particles=1000, generations=8, seed=3, kernel=kernel)
    exact_mean, exact_sd = TOY.posterior(PRIOR.mean, PRIOR.sd)
    # MCMC keeps equal weights; its copies that have not moved apart are not independent
    # draws, so only the distinct particles count (an upper bound on its effective size)
    ess, eps = min(result.last.ess, result.last.distinct), result.last.epsilon
    # accepting |simulated mean - observed| <= eps adds about a uniform(-eps, eps) error to
    # the data, so the ABC posterior's variance is the exact one plus (c eps)^2 / 3, with c
    # the posterior mean's slope in the data; the mean is unbiased (the error is symmetric)
    c = (TOY.n / TOY.sigma**2) * exact_sd**2
    expected_sd = np.sqrt(exact_sd**2 + (c * eps) ** 2 / 3)
    assert c * eps / np.sqrt(3) < 0.3 * exact_sd  # the tolerance is small enough to matter
    assert ess > 500
    # Monte Carlo error of a weighted mean and sd from ess effective draws, at 4 sigma
    assert abs(result.mean()[0] - exact_mean) < 4 * expected_sd / np.sqrt(ess)
    assert abs(result.sd()[0] - expected_sd) < 4 * expected_sd / np.sqrt(2 * ess)
    # and the tolerance shrank every generation
    eps_seq = [g.epsilon for g in result.generations]
    assert all(a > b for a, b in zip(eps_seq, eps_seq[1:], strict=False))


def test_log_uniform_and_uniform_priors_keep_particles_inside_their_bounds():
    priors = (Prior(distribution="log-uniform", low=0.1, high=10.0),
              Prior(distribution="uniform", low=-1.0, high=1.0))
    pb = abc_smc.Problem(("a", "b"), priors, toys.NormalMean(1.0, 10, 1.0))
    draws = abc_smc.calibrate(pb, particles=200, generations=3, seed=0).draws()
    assert (draws[:, 0] >= 0.1).all() and (draws[:, 0] <= 10).all()
    assert (np.abs(draws[:, 1]) <= 1).all()


def _same(a, b):
    assert len(a.generations) == len(b.generations)
    for x, y in zip(a.generations, b.generations, strict=True):
        assert x.epsilon == y.epsilon
        np.testing.assert_array_equal(x.thetas, y.thetas)
        np.testing.assert_array_equal(x.weights, y.weights)
        np.testing.assert_array_equal(x.tries, y.tries)
        np.testing.assert_array_equal(x.accepted, y.accepted)


@pytest.mark.parametrize("kernel", ["mcmc", "olcm"])
@pytest.mark.parametrize("backend", [lambda: Processes(2), lambda: Dask(2)],
                         ids=["processes", "dask-local"])
def test_identical_particles_on_every_backend(backend, kernel):
    serial = abc_smc.calibrate(problem(), particles=40, generations=3, seed=7, backend=Serial(),
                               kernel=kernel)
    other = abc_smc.calibrate(problem(), particles=40, generations=3, seed=7, backend=backend(),
                              kernel=kernel)
    _same(serial, other)


@dataclass(frozen=True)
class Killed:
    """The toy model, killed (Ctrl-C) at its `at`-th simulation in this process."""

    at: int
    calls: list

    def __call__(self, theta, rng, epsilon=np.inf):
        self.calls.append(1)
        if len(self.calls) == self.at:
            raise KeyboardInterrupt
        return TOY(theta, rng, epsilon)


@pytest.mark.parametrize("kernel", ["mcmc", "olcm"])
def test_a_killed_calibration_resumes_to_the_uninterrupted_result(tmp_path, kernel):
    whole = abc_smc.calibrate(problem(), particles=50, generations=4, seed=5,
                              store_path=str(tmp_path / "whole.duckdb"), kernel=kernel)
    store = str(tmp_path / "killed.duckdb")
    # the label keeps the store key of the plain toy, so the resume finds the killed run
    killed = abc_smc.Problem(("mu",), (PRIOR,), Killed(at=200, calls=[]), "normal mean")
    with pytest.raises(KeyboardInterrupt):
        abc_smc.calibrate(killed, particles=50, generations=4, seed=5, store_path=store,
                          kernel=kernel)
    with duckdb.connect(store) as con:
        kept = con.execute("SELECT generation, count(*) FROM abc_particles GROUP BY 1 "
                           "ORDER BY 1").fetchall()
    assert 1 <= len(kept) < 4 and all(n == 50 for _, n in kept)  # whole generations only
    seen = []
    resumed = abc_smc.calibrate(problem(), particles=50, generations=4, seed=5,
                                store_path=store, progress=seen.append, kernel=kernel)
    assert [p["generation"] for p in seen] == list(range(len(kept), 4))
    _same(whole, resumed)


def test_progress_reports_generation_tolerance_acceptance_ess_and_time_left():
    seen = []
    abc_smc.calibrate(problem(), particles=30, generations=2, seed=1, progress=seen.append)
    assert [p["generation"] for p in seen] == [0, 1]
    assert set(seen[1]) >= {"epsilon", "acceptance", "ess", "seconds_left"}
    assert 0 < seen[1]["acceptance"] <= 1 and 1 <= seen[1]["ess"] <= 30


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="particles >= 2"):
        abc_smc.calibrate(problem(), particles=1, generations=2)


def test_the_centred_walk_has_the_walks_prior_density():
    """log_density against a direct computation: log-uniform first level and step (flat on
    the log scale), each log level normal about the last with sd the step."""
    from scipy import stats

    first, step = (Prior(distribution="log-uniform", low=100.0, high=1e4),
                   Prior(distribution="log-uniform", low=0.05, high=1.5))
    prs = [first, step, None, None, None, PRIOR]
    walk = priors.Walk(0, 1, (2, 3, 4))

    def direct(x):
        logs = np.concatenate([[x[0]], x[2:5]])
        return (stats.norm.logpdf(np.diff(logs), 0.0, np.exp(x[1])).sum()
                + stats.norm.logpdf(x[5]))

    rng = np.random.default_rng(0)
    xs = [priors.sample(prs, rng, walk) for _ in range(20)]
    got = np.array([priors.log_density(prs, x, walk) for x in xs])
    want = np.array([direct(x) for x in xs])
    np.testing.assert_allclose(got - got[0], want - want[0], rtol=0, atol=1e-9)
    outside = xs[0].copy()
    outside[1] = np.log(2.0)  # a step above its prior's bound
    assert priors.log_density(prs, outside, walk) == -np.inf
    # the sampled walk's steps over its step size are standard normal
    z = np.concatenate([np.diff(np.concatenate([[x[0]], x[2:5]])) / np.exp(x[1])
                        for x in (priors.sample(prs, rng, walk) for _ in range(2000))])
    assert abs(z.mean()) < 4 / np.sqrt(len(z)) and abs(z.var() - 1) < 4 * np.sqrt(2 / len(z))


def _ess_se(w):
    """The delta-method standard error of ESS = N / mean(w^2) (weights scaled to mean 1),
    for weights that are independent given the last generation, as a generation's are."""
    w = w / w.mean()
    return len(w) * np.sqrt(np.var(w**2) / len(w)) / np.mean(w**2) ** 2


def test_the_local_kernel_keeps_more_of_the_sample_on_a_curved_posterior():
    """A non-centred log walk (the trade-off of step and z is a curved sheet): from the same
    prior population at the same tolerance, the locally optimal kernel's first generation has
    a larger effective sample size than the global kernel's, by more than 3 standard errors
    of the difference."""
    observed = tuple(np.log(np.array([1.5, 1.2, 3.0, 8.0, 12.0, 9.0, 20.0, 30.0, 45.0])))
    step = Prior(distribution="log-uniform", low=0.05, high=1.5)
    pb = abc_smc.Problem(("step", *(f"z{i}" for i in range(9))), (step, *[PRIOR] * 9),
                         toys.NoncentredWalk(observed), "walk")
    runs = {k: abc_smc.calibrate(pb, particles=300, generations=2, seed=0, kernel=k)
            for k in ("olcm", "global")}
    olcm, glob = runs["olcm"], runs["global"]
    np.testing.assert_array_equal(olcm.generations[0].thetas, glob.generations[0].thetas)
    assert olcm.last.epsilon == glob.last.epsilon  # paired: the same target
    gain = olcm.last.ess - glob.last.ess
    assert gain > 3 * np.hypot(_ess_se(olcm.last.weights), _ess_se(glob.last.weights))
    assert olcm.last.tries.sum() < glob.last.tries.sum()  # and it proposes fewer
