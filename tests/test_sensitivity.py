"""SALib's use recovers known indices: Sobol on the Ishigami function, Morris on a linear one."""

import numpy as np
import pytest

from channelsim.analysis import sensitivity, toys

NAMES = ["x1", "x2", "x3"]
PI = [(-np.pi, np.pi)] * 3


def test_sobol_recovers_the_ishigami_indices_within_their_intervals():
    first, total = toys.ishigami_indices()
    assert first[0] == pytest.approx(0.3139, abs=1e-4) and total[2] == pytest.approx(0.2437,
                                                                                    abs=1e-4)
    (idx,) = sensitivity.sobol(NAMES, PI, toys.ishigami, n=4096, seed=1)
    for name, s1, st in zip(NAMES, first, total, strict=True):
        assert abs(idx[name]["S1"] - s1) <= idx[name]["S1_conf"], name
        assert abs(idx[name]["ST"] - st) <= idx[name]["ST_conf"], name
        assert idx[name]["ST_conf"] < 0.05  # intervals narrow enough to mean something
    assert sensitivity.ranked(idx, "ST") == ["x1", "x2", "x3"]


def test_morris_gives_the_slopes_of_a_linear_model():
    coef = np.array([3.0, -1.0, 0.0])
    bounds = [(0.0, 1.0), (0.0, 2.0), (0.0, 1.0)]
    (idx,) = sensitivity.morris(NAMES, bounds, lambda x: x @ coef, trajectories=10, seed=0)
    for name, c, (low, high) in zip(NAMES, coef, bounds, strict=True):
        assert idx[name]["mu_star"] == pytest.approx(abs(c) * (high - low))  # scaled effects
        assert idx[name]["sigma"] == pytest.approx(0.0, abs=1e-9)  # no interaction


def test_several_outputs_each_get_their_indices():
    out = sensitivity.sobol(NAMES, PI, lambda x: np.column_stack([x[:, 0], x[:, 1] ** 2]),
                            n=512)
    assert len(out) == 2
    assert out[0]["x1"]["ST"] > 0.9 and out[1]["x2"]["ST"] > 0.9


def test_bad_bounds_name_the_parameter():
    with pytest.raises(ValueError, match="x2: low"):
        sensitivity.sobol(NAMES, [(0, 1), (1, 1), (0, 1)], toys.ishigami)
