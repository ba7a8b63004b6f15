"""`channelsim sensitivity` end to end on a two-month scenario: SALib's design run with shared
seeds into the --out store, the indices ranked with intervals, stored and reproducible."""

import json

import duckdb
import pytest

from channelsim import cli
from tests.test_report import SCENARIO

CALIBRATED = SCENARIO + """
[calibration.parameters]
"routes.calais_ferry.interception.base" = { distribution = "log-uniform", low = 0.1, high = 5.0 }
"sites.calais.officers" = { distribution = "uniform", low = 10.0, high = 400.0 }
"routes.calais_boat.people_per_opportunity" = { distribution = "normal", mean = 30.0, sd = 5.0 }

[[calibration.targets]]
series = "small_boat_arrivals_monthly"
years = [2020]
"""
PARAMS = ["routes.calais_ferry.interception.base", "sites.calais.officers",
          "routes.calais_boat.people_per_opportunity"]


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    p = tmp_path_factory.mktemp("sens") / "pair.toml"
    p.write_text(CALIBRATED)
    return p


def sensitivity(capsys, *args):
    code = cli.main(["sensitivity", *args, "--workers", "1", "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if code == 0 else None


def test_morris_runs_the_design_on_shared_seeds_and_stores_ranked_indices(path, tmp_path,
                                                                         capsys):
    out = tmp_path / "morris"
    code, got = sensitivity(capsys, str(path), "--method", "morris", "--n", "4", "--reps", "2",
                            "--seed", "3", "--out", str(out))
    assert code == 0
    assert got["rows"] == 4 * (3 + 1) and got["seeds"] == [3, 4]
    assert [p["key"] for p in got["parameters"]] == PARAMS
    assert got["parameters"][0]["scale"] == "log"
    # the prior's own bounds, not exp(log(low)) (0.10000000000000002)
    assert (got["parameters"][0]["low"], got["parameters"][0]["high"]) == (0.1, 5.0)
    assert got["parameters"][2]["low"] == pytest.approx(20.0)  # normal: mean - 2 sd
    for figure in ("crossings", "interceptions", "attempts"):
        items = got["indices"][figure]
        assert sorted(i["parameter"] for i in items) == sorted(PARAMS)
        values = [i["mu_star"] for i in items]
        assert values == sorted(values, reverse=True) and [i["rank"] for i in items] == [1, 2, 3]
        assert all(i["low"] <= i["mu_star"] <= i["high"] for i in items)
    # the ferry's base chance of being stopped drives interceptions (most attempts are on
    # the ferry); how many board a boat barely touches them
    inter = [i["parameter"] for i in got["indices"]["interceptions"]]
    assert inter[0] == "routes.calais_ferry.interception.base"
    assert inter[-1] == "routes.calais_boat.people_per_opportunity"
    assert "transfers" in got["constant"]  # no policy transfers: no index, said so
    con = duckdb.connect(str(out / "results.duckdb"), read_only=True)
    seeds = con.execute("SELECT scenario_hash, list(seed ORDER BY seed) FROM runs "
                        "GROUP BY 1").fetchall()
    assert {tuple(s) for _, s in seeds} == {(3, 4)}  # every row of the design, the same seeds
    assert len(seeds) == len(set(got["design_hashes"]))
    stored = con.execute("SELECT count(*), count(DISTINCT figure) FROM sensitivity "
                         "WHERE method = 'morris'").fetchone()
    assert stored == (3 * len(got["indices"]), len(got["indices"]))
    con.close()
    again_code, again = sensitivity(capsys, str(path), "--method", "morris", "--n", "4",
                                    "--reps", "2", "--seed", "3", "--out", str(out))
    assert again_code == 0 and again["indices"] == got["indices"]  # resumed, same numbers


def test_sobol_gives_first_and_total_order_with_intervals(path, tmp_path, capsys):
    code, got = sensitivity(capsys, str(path), "--method", "sobol", "--n", "8",
                            "--out", str(tmp_path / "sobol"))
    assert code == 0 and got["rows"] == 8 * (3 + 2) and got["measure"] == "ST"
    for i in got["indices"]["crossings"]:
        assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(i)
        assert i["low"] == pytest.approx(i["ST"] - i["ST_conf"])


def test_bad_input_exits_2_naming_the_problem(path, tmp_path, capsys):
    plain = tmp_path / "plain.toml"
    plain.write_text(SCENARIO)
    assert cli.main(["sensitivity", str(plain), "--out", str(tmp_path / "x")]) == 2
    assert "calibration.parameters" in capsys.readouterr().err
    assert cli.main(["sensitivity", str(path), "--method", "sobol", "--n", "100000",
                     "--out", str(tmp_path / "y")]) == 2
    assert "design rows" in capsys.readouterr().err


def test_a_narrow_ranking_keeps_names_and_intervals_whole():
    """print_ranked printed its table as rich laid it out: at 80 columns the parameters'
    names were cut (`routes.calais_fe…`) and intervals split over lines."""
    from channelsim.analysis.scenario_sensitivity import print_ranked
    from tests.test_report_text import _printed

    items = [{"parameter": p, "rank": r + 1, "mu_star": 90_500.0, "low": 83_900.0,
              "high": 97_100.0} for r, p in enumerate(PARAMS)]
    result = {"scenario": "s", "method": "morris", "parameters": PARAMS, "rows": 8, "reps": 1,
              "interval": "mu_star +- mu_star_conf (95%, bootstrap)", "measure": "mu_star",
              "indices": {"crossings": items, "public_cost_per_interception": items},
              "constant": []}
    for width in (60, 80):
        text = _printed(print_ranked, result, width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert "…" not in text and all(p in text for p in PARAMS)
        assert text.count("8.39e+04 to 9.71e+04") == 2 * len(PARAMS)
        assert "public_cost_per_interception" in text


@pytest.mark.parametrize("method", ["morris", "sobol"])
def test_one_trajectory_or_base_sample_is_refused(path, tmp_path, method, capsys):
    """--n 1 ran, and printed 95% intervals of width 0 ("0.748 to 0.748") for indices one
    sample cannot give (a Sobol S1 of 1.84)."""
    assert cli.main(["sensitivity", str(path), "--method", method, "--n", "1",
                     "--out", str(tmp_path / "s")]) == 2
    assert "at least 2" in capsys.readouterr().err
