"""`channelsim fit`: the scores against hand-computed values, and the verb's JSON and tables."""

import json

import duckdb
import numpy as np
import pytest

from channelsim.analysis import observed, scores
from channelsim.cli import main

ENS = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 30.0]])  # 3 replicates, 2 observations
OBS = np.array([2.0, 40.0])


def test_ard_is_the_mean_relative_miss_of_the_ensemble_mean():
    # means 3 and 20: |3 - 2| / 2 = 0.5 and |20 - 40| / 40 = 0.5
    assert scores.ard(ENS, OBS) == pytest.approx(0.5)
    assert scores.ard(ENS, np.array([0.0, 40.0])) == pytest.approx(0.5)  # observed 0 skipped


def test_coverage_counts_observations_inside_the_central_bands():
    # 50% band of [1, 3, 5] is [2, 4] (numpy's linear percentiles): 2 is inside (the end),
    # 40 is above [15, 25]; the 90% bands [1.2, 4.8] and [11, 29] hold 2 only
    assert scores.coverage(ENS, OBS, 0.5) == 0.5
    assert scores.coverage(ENS, OBS, 0.9) == 0.5
    assert scores.coverage(ENS, np.array([3.0, 20.0]), 0.5) == 1.0


def test_crps_of_an_ensemble_by_hand():
    # observation 1: E|X - 2| = (1 + 1 + 3) / 3 = 5/3; E|X - X'| over the 9 ordered pairs =
    # 2 (2 + 4 + 2) / 9 = 16/9, half is 8/9: CRPS 5/3 - 8/9 = 7/9. Observation 2:
    # E|X - 40| = 20, E|X - X'| = 2 (10 + 20 + 10) / 9 = 80/9, half 40/9: 20 - 40/9 = 140/9.
    # Mean: (7/9 + 140/9) / 2 = 147/18
    assert scores.crps(ENS, OBS) == pytest.approx(147 / 18)
    # a sure forecast: the absolute error
    assert scores.crps(np.full((4, 1), 5.0), np.array([7.0])) == pytest.approx(2.0)


SHORT = """extends = "channel-history"
name = "fit-test"
start = 2018-07-01
end = 2019-02-28
[sources]
"calibration.targets" = "assumption: a test"
"calibration.heldout_years" = "assumption: a test"
[calibration]
heldout_years = [2019]
[[calibration.targets]]
series = "small_boat_arrivals_monthly"
years = [2018]
"""


def test_fit_gives_scores_by_series_and_the_heldout_forecast_and_stores_the_tables(
        tmp_path, capsys):
    path = tmp_path / "short.toml"
    path.write_text(SHORT)
    out = tmp_path / "fit"
    assert main(["fit", str(path), "--posterior", "none", "--reps", "3", "--workers", "1",
                 "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    monthly = result["series"]["small_boat_arrivals_monthly"]
    assert set(monthly) >= {"ard", "coverage_50", "coverage_90", "crps"}
    assert 0 <= monthly["coverage_50"] <= monthly["coverage_90"] <= 1
    held = result["heldout"]["2019"]
    assert set(held["forecast"]) == {"mean", "p05", "p95"}
    assert result["uncertainty"] == "chance only"
    with duckdb.connect(str(out / "results.duckdb")) as con:
        bands = con.execute("SELECT date, heldout, observed, mean, p05, p25, p75, p95 FROM "
                            "fit_bands ORDER BY date").fetchall()
        series = con.execute("SELECT series, ard FROM fit_series").fetchall()
        heldout = con.execute("SELECT sum(observed), sum(naive) FROM heldout").fetchone()
    assert len(bands) == 8 and sum(b[1] for b in bands) == 2
    assert all(b[4] <= b[5] <= b[6] <= b[7] for b in bands)
    assert series == [("small_boat_arrivals_monthly", pytest.approx(monthly["ard"]))]
    assert heldout == (pytest.approx(held["observed"]), pytest.approx(held["naive"]))
    # January and February 2019 observed; the naive forecast is the same months of 2018
    naive = observed.points("small_boat_arrivals_monthly", 2018, 2018)["value"][:2].sum()
    assert held["observed"] == pytest.approx(sum(b[2] for b in bands if b[1]))
    assert held["naive"] == pytest.approx(naive)


def test_forecast_gives_crossings_by_mode_by_month_with_bands(tmp_path, capsys):
    path = tmp_path / "short.toml"
    path.write_text(SHORT)
    out = tmp_path / "fc"
    assert main(["forecast", str(path), "--until", "2019-02-28", "--posterior", "none",
                 "--reps", "2", "--workers", "1", "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["months"] == ["2019-01", "2019-02"]  # from the first held-out year
    boats = result["crossings"]["small_boat"]["2019-01"]
    assert boats["p05"] <= boats["p25"] <= boats["mean"] <= boats["p95"]
    with duckdb.connect(str(out / "results.duckdb")) as con:
        assert con.execute("SELECT count(*) FROM forecast WHERE mode = 'small_boat'"
                           ).fetchone()[0] == 2
    assert main(["forecast", str(path), "--until", "2018-09-30", "--out", str(out)]) == 2
    assert "the first month the calibration did not fit" in capsys.readouterr().err


def test_a_narrow_forecast_keeps_every_band_whole():
    """print_forecast printed its table as rich laid it out: at 40 columns the bands were cut
    (`[1,30…`); it now prints row by row, as every other table."""
    from channelsim.analysis.commands import print_forecast
    from tests.test_report_text import _numbers, _printed

    band = {"mean": 1_384.0, "p05": 1_246.0, "p25": 1_308.0, "p75": 1_460.0, "p95": 1_522.0}
    modes = ("lorry_ferry", "lorry_tunnel", "small_boat")
    result = {"scenario": "s", "until": "2023-02-28", "reps": 2, "months": ["2023-01"],
              "crossings": {m: {"2023-01": band} for m in modes}}
    wide = _printed(print_forecast, result, 1000)
    for width in (40, 60, 80):
        text = _printed(print_forecast, result, width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert "…" not in text and _numbers(wide) <= _numbers(text)
        assert "1,384 [1,308-1,460] [1,246-1,522]" in " ".join(text.split())
        assert all(m in text for m in modes)


def test_a_forecast_in_which_nobody_crosses_shows_its_zeros(tmp_path, capsys):
    """Every mode the scenario has a route of is shown, a real zero too (modes without
    crossings were left out, and with none left storing the table was a traceback)."""
    path = tmp_path / "short.toml"
    path.write_text(SHORT)
    out = tmp_path / "fc"
    argv = ["forecast", str(path), "--until", "2019-01-02", "--posterior", "none",
            "--set", "behaviour.attempt_probability=0", "--workers", "1", "--reps", "1",
            "--out", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr()
    assert "0 [0-0] [0-0]" in printed.out
    assert "(results.duckdb, forecast.json)" in printed.err  # the files it wrote
    result = json.loads((out / "forecast.json").read_text())
    modes = set(result["crossings"])
    assert modes and all(c["mean"] == 0 for m in modes for c in result["crossings"][m].values())
    assert result["overrides"] == ["behaviour.attempt_probability=0"]
    with duckdb.connect(str(out / "results.duckdb")) as con:
        assert con.execute("SELECT count(*) FROM forecast").fetchone()[0] == len(modes) * len(
            result["months"])
