"""The recovery study's hook (benchmarks/recovery.py): rows given to a calibration problem are
the rows it scores against, so observations simulated at a draw are matched exactly by the
same run."""

import numpy as np
import pytest
from benchmarks import recovery

from channelsim.analysis import scenario_fit

YEAR_2014 = ('extends = "channel-history"\nname = "year-2014"\nend = 2014-12-31\n'
             'calibration.targets = [{ series = "juxtaposed_detections", years = [2014] }, '
             '{ series = "deaths", years = [2014], weight = 0.5 }]\n'
             '[sources]\n"calibration.targets" = "assumption: a test"\n')


@pytest.fixture(scope="module")
def problem(tmp_path_factory):
    path = tmp_path_factory.mktemp("recovery") / "year.toml"
    path.write_text(YEAR_2014)
    return path, scenario_fit.problem_for(path)


def test_the_rows_given_are_the_rows_scored(problem):
    path, observed = problem
    theta, _ = recovery.draw_truth(observed, 0)
    seed = int(np.random.default_rng(5).integers(2**31))  # the seed the model draws from it
    given = recovery.synthetic_rows(observed, theta, seed)
    fitted = scenario_fit.problem_for(path, given)
    assert [t[3] for t in fitted.model.targets] == given
    # same rows, dates and sites as the observed ones; only the values change
    for (_, _, _, rows), new in zip(observed.model.targets, given, strict=True):
        assert [(r.first, r.last, r.site, r.mode) for r in rows] == \
               [(r.first, r.last, r.site, r.mode) for r in new]
    assert fitted.label != observed.label and fitted.names == observed.names
    # a store keeps the two calibrations apart
    assert fitted.key(0, 10, 0.5, "olcm") != observed.key(0, 10, 0.5, "olcm")
    # the run the observations came from is at distance 0 from them, not from the real data
    assert fitted.model(theta, np.random.default_rng(5)) == 0.0
    assert observed.model(theta, np.random.default_rng(5)) > 0.0


def test_rows_must_match_the_targets(problem):
    path, observed = problem
    with pytest.raises(ValueError, match="1 sets of rows given for 2 targets"):
        scenario_fit.problem_for(path, [observed.model.targets[0][3]])


def test_the_weighted_interval_is_the_inverse_of_the_step_cdf():
    values = np.array([3.0, 1.0, 2.0, 4.0])
    weights = np.array([0.4, 0.1, 0.4, 0.1])  # cumulative by value: 0.1, 0.5, 0.9, 1
    assert recovery.weighted_interval(values, weights) == (1.0, 4.0)  # 5% and 95%
    assert recovery.weighted_interval(values, weights, level=0.5) == (2.0, 3.0)  # 25%, 75%
