"""A scenario's [calibration] as an ABC problem: what it fits, how a draw enters the scenario,
and how runs are scored against the observed series."""

import dataclasses

import numpy as np
import pytest

from channelsim import scenario
from channelsim.analysis import scenario_fit
from channelsim.analysis.scenario_fit import Row


def test_the_history_fits_inflow_levels_and_its_parameters():
    pb = scenario_fit.problem_for("channel-history")
    assert pb.names[:3] == ("inflow.first_level", "inflow.step", "inflow.log_level.2015")
    # the walk is fitted to the last target year, where calibration runs stop; the held-out
    # 2023 walks on from its prior
    assert pb.names[9] == "inflow.log_level.2022"
    assert pb.names[10] == "behaviour.attempt_probability"
    assert pb.walk == scenario_fit.Walk(0, 1, tuple(range(2, 10)))
    assert "routes.calais_boat.death" in pb.names and pb.model.end == "2022-12-31"
    series = [t[0] for t in pb.model.targets]
    assert series[0] == "small_boat_arrivals_monthly"
    assert len(pb.model.targets[0][3]) == 60  # months of 2018-2022; 2023 held out


def test_a_draw_sets_the_inflow_walk_and_the_parameters():
    pb = scenario_fit.problem_for("channel-history")
    theta = np.zeros(len(pb.names))
    theta[2:10] = np.log(1000.0) - 0.5  # 2017-2022 flat at 2016's level
    values = {"inflow.first_level": 1000.0, "inflow.step": 0.5,
              "inflow.log_level.2015": np.log(1000.0) + 0.5,
              "inflow.log_level.2016": np.log(1000.0) - 0.5, "behaviour.attempt_probability": 0.2,
              "exits.base_hazard": 0.001, "routes.calais_ferry.interception.base": 1.0,
              "routes.calais_boat.interception.base": 0.4, "routes.calais_boat.death": 1e-4,
              "relocation.rate": 0.01}
    for k, v in values.items():
        theta[pb.names.index(k)] = v
    sc = pb.model.scenario_at(theta, rng=np.random.default_rng(0))
    per_year = sc.arrivals.per_year
    assert per_year[2014] == pytest.approx(1000.0)
    assert per_year[2015] == pytest.approx(1000.0 * np.exp(0.5))
    assert per_year[2016] == pytest.approx(1000.0 * np.exp(-0.5))
    assert per_year[2022] == pytest.approx(per_year[2016])
    # 2023-2025 walk on from 2022 with the fitted step size and the stream's normals
    z = np.random.default_rng(0).standard_normal(3)
    assert per_year[2023] == pytest.approx(per_year[2022] * np.exp(0.5 * z[0]))
    assert per_year[2025] == pytest.approx(per_year[2022] * np.exp(0.5 * z.sum()))
    with pytest.raises(ValueError, match="need a stream"):
        pb.model.scenario_at(theta)
    assert pb.model.scenario_at(theta, end="2022-12-31").end.year == 2022
    assert sc.routes["calais_boat"].interception.base == 0.4
    assert sc.routes["calais_boat"].interception.officers == 0.15  # the rest untouched
    assert sc.behaviour.attempt_probability == 0.2
    theta[pb.names.index("inflow.log_level.2015")] = 40.0  # a walk far above the cap
    assert scenario_fit.problem_for("channel-history").model.max_level == 200_000
    assert max(pb.model.scenario_at(theta, pb.model.end).arrivals.per_year.values()) == 200_000


def _child(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text('extends = "channel-history"\nname = "c"\n' + text)
    return path


def test_a_parameter_must_name_one_number(tmp_path):
    path = _child(tmp_path, '[calibration.parameters]\n"sites.calais.officers" = '
                            '{ distribution = "uniform", low = 1.0, high = 2.0 }\n')
    with pytest.raises(scenario.ScenarioError) as err:
        scenario_fit.problem_for(path)
    assert err.value.problems[0][0] == "calibration.parameters.sites.calais.officers"
    assert "not a table or a dated schedule" in err.value.problems[0][1]


def test_a_series_not_simulated_is_refused_by_name(tmp_path):
    path = _child(tmp_path, '[[calibration.targets]]\nseries = "prices"\nyears = [2020]\n')
    with pytest.raises(scenario.ScenarioError, match="'prices' is not simulated yet; allowed"):
        scenario_fit.problem_for(path)


def test_distance_is_zero_on_the_data_and_grows_away_from_it():
    rows = [Row(0, 30, "", "small_boat", 100.0, np.nan, np.nan),
            Row(31, 60, "", "small_boat", 200.0, np.nan, np.nan)]
    assert scenario_fit.distance(np.array([100.0, 200.0]), rows, "log_rmse") == 0.0
    assert scenario_fit.distance(np.array([150.0, 300.0]), rows, "ard") == pytest.approx(0.5)
    far = scenario_fit.distance(np.array([1000.0, 2000.0]), rows, "log_rmse")
    near = scenario_fit.distance(np.array([120.0, 240.0]), rows, "log_rmse")
    assert far > near > 0


def test_a_bound_counts_only_outside_it():
    rows = [Row(0, 0, "calais", "", np.nan, 100.0, 300.0), Row(0, 0, "calais", "", np.nan,
                                                              50.0, np.nan)]
    assert scenario_fit.distance(np.array([200.0, 1e6]), rows, "log_rmse") == 0.0
    assert scenario_fit.distance(np.array([600.0, 1e6]), rows, "ard") == pytest.approx(0.5)


def test_a_run_is_scored_on_its_own_series():
    """Observations made from a run are matched exactly by that run."""
    pb = scenario_fit.problem_for("channel-history")
    from channelsim.engine import run

    theta = np.zeros(len(pb.names))
    base = {"inflow.first_level": 2000.0, "inflow.step": 0.3, "behaviour.attempt_probability":
            0.3, "exits.base_hazard": 0.001, "routes.calais_ferry.interception.base": 1.6,
            "routes.calais_boat.interception.base": 0.3, "routes.calais_boat.death": 2e-4,
            "relocation.rate": 0.005}
    for k, v in base.items():
        theta[pb.names.index(k)] = v
    theta[list(pb.walk.levels)] = np.log(2000.0)
    res = run(pb.model.scenario_at(theta, pb.model.end), seed=0)
    for series, kind, _, rows in pb.model.targets:
        sim = scenario_fit.simulated(res, series, list(rows))
        assert (sim >= 0).all()
        made = [Row(r.first, r.last, r.site, r.mode, s, np.nan, np.nan)
                for r, s in zip(rows, sim, strict=True)]
        assert scenario_fit.distance(sim, made, kind) == 0.0
    boats = scenario_fit.simulated(res, "small_boat_arrivals_monthly",
                                   list(pb.model.targets[0][3]))
    boat_routes = [i for i, r in enumerate(res.route_ids) if r.endswith("_boat")]
    years = res.dates.astype("datetime64[Y]").astype(int) + 1970
    in_fit = (years >= 2018) & (years <= 2022)
    assert boats.sum() == res.route["crossings"][in_fit][:, boat_routes].sum()


def _ensemble(spread, n, seed):
    """Observations z ~ N(0, 1) and two replicates z' ~ N(0, spread^2) a row, on the scale
    log(1 + x) the distance takes (10 added so every x is positive)."""
    rng = np.random.default_rng(seed)
    obs = np.expm1(10.0 + rng.standard_normal(n))
    return np.expm1(10.0 + spread * rng.standard_normal((2, n))), obs


def test_the_crps_distance_rewards_the_observations_spread_and_one_runs_distance_none():
    """On rows whose observations scatter as N(0, 1) about the runs' centre, the two-replicate
    CRPS is lowest for replicates that scatter alike and matches the normal's CRPS (for
    replicates N(0, s^2): E|X - y| - E|X - X'| / 2 = sqrt(2 / pi) (sqrt(1 + s^2) - s / sqrt(2)));
    one run's log_rmse is lowest with no spread at all, the bias that kept the calibrated
    weather too calm. 20,000 rows: each row's term has SD at most 0.92 (0.91 at s = 2), so a
    mean's SE is at most 0.0066, and the expectations differ by 0.045 or more."""
    n = 20_000
    rows = lambda obs: [Row(i, i, "", "small_boat", v, np.nan, np.nan)  # noqa: E731
                        for i, v in enumerate(obs)]
    crps, rmse = {}, {}
    for s in (0.0, 0.5, 1.0, 2.0):
        ens, obs = _ensemble(s, n, seed=7)
        crps[s] = scenario_fit.distance(ens, rows(obs), "crps_log")
        rmse[s] = scenario_fit.distance(ens[0], rows(obs), "log_rmse")
        expected = np.sqrt(2 / np.pi) * (np.sqrt(1 + s * s) - s / np.sqrt(2))
        assert crps[s] == pytest.approx(expected, abs=4 * 0.0066)
    assert crps[1.0] < min(crps[0.0], crps[0.5], crps[2.0])
    assert rmse[0.0] < min(rmse[0.5], rmse[1.0], rmse[2.0])


def test_the_crps_distance_on_few_rows_and_bounds():
    rows = [Row(0, 30, "", "small_boat", 100.0, np.nan, np.nan),
            Row(31, 60, "", "small_boat", 200.0, np.nan, np.nan),
            Row(0, 0, "calais", "", np.nan, 100.0, 300.0)]
    same = np.array([[100.0, 200.0, 250.0], [100.0, 200.0, 120.0]])
    assert scenario_fit.distance(same, rows, "crps_log") == 0.0  # on the data, within the bound
    pair = np.array([[99.0, 300.0, 600.0], [150.0, 200.0, 300.0]])
    a, b, y = np.log1p(pair[0, :2]), np.log1p(pair[1, :2]), np.log1p([100.0, 200.0])
    by_pair = (np.abs(a - y) + np.abs(b - y) - np.abs(a - b)) / 2
    outside = (np.log1p(600.0) - np.log1p(300.0)) / 2  # the replicates' mean excess
    assert scenario_fit.distance(pair, rows, "crps_log") == pytest.approx(
        (by_pair.sum() + outside) / 3)
    # log_rmse and ard average the replicates' own distances
    for kind in ("ard", "log_rmse"):
        assert scenario_fit.distance(pair, rows, kind) == pytest.approx(np.mean(
            [scenario_fit.distance(x, rows, kind) for x in pair]))
    with pytest.raises(ValueError, match="two or more replicates"):
        scenario_fit.distance(pair[0], rows, "crps_log")


def test_the_fair_crps_is_the_mean_over_pairs_of_a_pairs():
    """Ferro's fair CRPS of m replicates equals the mean, over the m (m - 1) / 2 pairs, of each
    pair's CRPS, so it is never negative (checked for 3 and 5 replicates)."""
    from itertools import combinations

    from channelsim.analysis import scores

    rng = np.random.default_rng(3)
    for m in (3, 5):
        ens, obs = rng.standard_normal((m, 50)), rng.standard_normal(50)
        by_pair = np.mean([scores.crps_rows(ens[[i, j]], obs, fair=True)
                           for i, j in combinations(range(m), 2)], axis=0)
        assert scores.crps_rows(ens, obs, fair=True) == pytest.approx(by_pair)
        assert (by_pair > -1e-12).all()


def test_crps_needs_replicates(tmp_path):
    text = ('[[calibration.targets]]\nseries = "small_boat_arrivals_monthly"\nyears = [2019]\n'
            'distance = "crps_log"\n')
    with pytest.raises(scenario.ScenarioError, match="set calibration.replicates to 2"):
        scenario.load(str(_child(tmp_path, text)))
    pb = scenario_fit.problem_for(_child(tmp_path, "[calibration]\nreplicates = 2\n" + text))
    assert pb.model.replicates == 2 and pb.model.targets[-1][1] == "crps_log"


@pytest.mark.parametrize(("replicates", "kind"), [(1, None), (2, "crps_log")])
def test_a_run_stopped_above_the_tolerance_is_one_that_would_have_ended_above_it(
        tmp_path, replicates, kind):
    """The lower bound from the rows already simulated never exceeds the whole distance, so
    early stopping changes no decision; a run within the tolerance gives its exact distance.
    Replicates are run side by side with seeds from the draw's stream and scored together."""
    pb = scenario_fit.problem_for(_child(tmp_path, f"[calibration]\nreplicates = {replicates}\n"))
    if kind:  # every target scored so
        pb = dataclasses.replace(pb, model=pb.model.scored_by(kind))
    theta = np.array([{"inflow.first_level": 1500.0, "inflow.step": 0.3,
                       "behaviour.attempt_probability": 0.35, "exits.base_hazard": 0.0012,
                       "routes.calais_ferry.interception.base": 1.6,
                       "routes.calais_boat.interception.base": 0.3,
                       "routes.calais_boat.death": 2e-4, "relocation.rate": 0.02}.get(n, 0.0)
                      for n in pb.names])
    theta[list(pb.walk.levels)] = np.log(1500.0)
    model = pb.model
    whole = model(theta, np.random.default_rng(1))
    assert np.isfinite(whole)
    assert model(theta, np.random.default_rng(1), epsilon=whole) == whole
    assert model(theta, np.random.default_rng(1), epsilon=0.5 * whole) == np.inf
    seeds = np.random.default_rng(1).integers(2**31, size=replicates)
    runs = [scenario_fit.Sim(model.scenario_at(theta, model.end), seed=int(seed)).run()
            for seed in seeds]
    assert model.score(runs) == whole
    assert [sim.seed for sim in model.simulations(theta, np.random.default_rng(1))] == list(seeds)
    weights = np.array([weight for _, _, weight, _ in model.targets])
    assert weights @ model.parts(runs) / weights.sum() == pytest.approx(whole, rel=1e-12)
    bounds = [model.score(runs, day) for day in range(0, len(runs[0].dates), 200)]
    assert all(b <= whole + 1e-12 for b in bounds) and bounds == sorted(bounds)


def test_a_posterior_of_the_non_centred_walk_is_refused():
    raw = scenario.read_raw(scenario.resolve_path("channel-history"))
    with pytest.raises(scenario.ScenarioError, match="inflow.z.YEAR, needs a new calibration"):
        scenario_fit.set_draw(raw, "p.json", ("inflow.first_level", "inflow.step",
                                              "inflow.z.2015"), np.array([1e3, 0.5, 1.0]))
