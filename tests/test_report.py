"""`channelsim report` on a run, a comparison, a sweep, a sensitivity analysis and a fit of a
small scenario: the figures are there by title, the map names the sites, nothing outside the
file is referenced, and the PNGs are written."""

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from channelsim import cli

pytest.importorskip("plotly")

SCENARIO = """
name = "pair"
start = 2020-01-01
end = 2020-02-29
[arrivals]
per_year = { 2020 = 3000 }
[sites.calais]
name = "Calais"
lat = 50.95
lon = 1.86
officers = 100
arrival_share = 0.7
initial_people = 300
[sites.dunkirk]
name = "Dunkirk"
lat = 51.0
lon = 2.3
officers = 50
arrival_share = 0.3
[routes.calais_ferry]
site = "calais"
mode = "lorry_ferry"
opportunities = 20
interception = { base = 0.5, officers = 1.0 }
[routes.calais_boat]
site = "calais"
mode = "small_boat"
opportunities = 1
people_per_opportunity = 30
sea_viable = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
[routes.dunkirk_ferry]
site = "dunkirk"
mode = "lorry_ferry"
opportunities = 10
interception = { base = 0.5, officers = 1.0 }
"""

SERIES = ["People present by site (daily)", "Crossings by route (monthly)",
          "Crossings by mode (monthly)", "Attempts by site (monthly)",
          "Interceptions by site (monthly)"]


@pytest.fixture(scope="module")
def experiments(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    path = root / "pair.toml"
    path.write_text(SCENARIO)
    common = ["--workers", "1", "--json"]
    assert cli.main(["run", str(path), "--reps", "3", "--out", str(root / "run"), *common]) == 0
    assert cli.main(["compare", str(path), str(path), "--set-b", "sites.calais.officers=600",
                     "--reps", "3", "--out", str(root / "cmp"), *common]) == 0
    assert cli.main(["sweep", str(path), "--param", "sites.calais.officers=50:600:3",
                     "--reps", "2", "--out", str(root / "sweep"), *common]) == 0
    return root


def _report(folder, tmp_path, *more):
    out = tmp_path / "report.html"
    assert cli.main(["report", str(folder), "-o", str(out), *more]) == 0
    return out.read_text(encoding="utf-8")


def _outside_references(page: str) -> list[str]:
    """http(s) references in the page once plotly.js (embedded verbatim) is taken out, and
    any tag that would load a script, style or font from elsewhere."""
    import plotly.offline

    js = plotly.offline.get_plotlyjs()
    assert page.count(js) == 1, "plotly.js is embedded once, as installed"
    rest = page.replace(js, "")
    found = re.findall(r"https?://\S{0,60}", rest)
    found += re.findall(r"<script[^>]*\bsrc=|<link\b|@import|url\(", rest)
    return found


def test_report_of_replicates(experiments, tmp_path):
    page = _report(experiments / "run", tmp_path)
    for title in ["Scorecard", "Scorecard by site", *SERIES,
                  "Map: people present and crossings, 2020-01-01 to 2020-02-29 (pair)",
                  "Parameters of pair and their sources", "Reproduce"]:
        assert title in page
    assert "chance only: 3 replicates on seeds 0-2" in page
    assert '"Calais"' in page and '"Dunkirk"' in page  # the map's sites, as drawn
    assert "calais_boat:" in page  # a route on the map, with its crossings
    assert _outside_references(page) == []


def test_report_of_a_comparison_has_forest_and_displacement(experiments, tmp_path):
    page = _report(experiments / "cmp" / "results.duckdb", tmp_path)
    for title in ["Scorecard: B against A", "Paired effects of B against A (% of A)",
                  "Displacement between sites: effect on attempts",
                  "Displacement between sites: effect on crossings", *SERIES,
                  "(A: pair)", "(B: pair)", "What B: pair changes"]:
        assert title in page
    assert "sites.calais.officers" in page and "paired 90% CI over 3 common seeds" in page
    assert _outside_references(page) == []


def test_a_report_says_what_the_intervals_include_as_the_command_did(experiments, tmp_path):
    """A comparison run at posterior draws: its intervals are not chance only."""
    folder = tmp_path / "cmp"
    shutil.copytree(experiments / "cmp", folder)
    summary = json.loads((folder / "summary.json").read_text())
    summary["uncertainty"] = "chance and parameters (posterior p.json, 3 draws)"
    (folder / "summary.json").write_text(json.dumps(summary))
    page = _report(folder, tmp_path)
    assert "chance and parameters (posterior p.json, 3 draws): paired 90% CI over 3" in page
    assert "chance only" not in page


def test_report_of_a_sweep_has_response_curves(experiments, tmp_path):
    page = _report(experiments / "sweep", tmp_path)
    for title in ["Sweep points", "Response: crossings against sites.calais.officers",
                  "Response: deaths against sites.calais.officers", "Reproduce"]:
        assert title in page
    assert "Map: people present" not in page
    assert _outside_references(page) == []


def test_pngs_are_written(experiments, tmp_path):
    _report(experiments / "cmp", tmp_path, "--png", str(tmp_path / "png"))
    pngs = sorted((tmp_path / "png").glob("*.png"))
    names = [p.name for p in pngs]
    assert any("paired-effects" in n for n in names) and any("map" in n for n in names)
    assert len(pngs) >= 10
    for p in pngs:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000


def test_observed_series_overlaid_where_they_exist():
    import pandas as pd

    from channelsim.report import observed

    boats = observed.small_boats(pd.Timestamp("2020-01-01"), pd.Timestamp("2020-12-31"))
    assert boats is not None and len(boats.dates) == 12 and sum(boats.values) > 8000
    assert observed.present("calais", pd.Timestamp("2014-01-01"),
                            pd.Timestamp("2016-12-31")) is not None
    assert observed.present("nowhere", pd.Timestamp("2014-01-01"),
                            pd.Timestamp("2016-12-31")) is None


def test_a_figure_on_one_date_is_a_dot_with_whiskers_over_half_a_year_either_side():
    import matplotlib
    import pandas as pd
    import plotly.graph_objects as go

    from channelsim.report import html, png
    from channelsim.report.figures import Band, Chart
    from channelsim.report.observed import Observed

    day = pd.Timestamp("2023-01-01")
    mean = Band("forecast", [day], np.array([460.0]), lo90=np.array([200.0]),
                hi90=np.array([670.0]))
    chart = Chart("one year", "boats", [mean], [Observed("observed", [day], [602.0], ["x"])])
    assert chart.x_range() == (day - pd.Timedelta(days=200), day + pd.Timedelta(days=200))
    (dot,) = html._band_traces(go, mean, "#1f77b4")
    assert dot.mode == "markers"
    assert list(dot.error_y.array) == [210.0] and list(dot.error_y.arrayminus) == [260.0]
    assert html._chart(chart).layout.xaxis.range[0] == pd.Timestamp("2022-06-15")
    two = Chart("two years", "boats", [Band("m", [day, day + pd.Timedelta(days=365)],
                                            np.array([1.0, 2.0]))])
    assert two.x_range() is None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = png._chart(plt, chart)
    lo, hi = fig.axes[0].get_xlim()
    assert hi - lo == 400  # days, matplotlib's date unit
    plt.close(fig)


def test_bad_results_exit_2(tmp_path, capsys, experiments):
    assert cli.main(["report", str(tmp_path / "missing")]) == 2
    assert "no such experiment folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert cli.main(["report", str(tmp_path / "empty")]) == 2
    assert "missing results.duckdb" in capsys.readouterr().err
    assert cli.main(["report", str(experiments / "run"), "-o", str(tmp_path / "r.html"),
                     "--period", "2030-01-01:2030-02-01"]) == 2
    assert "within the run" in capsys.readouterr().err
    assert cli.main(["report", str(experiments / "run"), "-o", str(tmp_path)]) == 2
    assert "cannot write the report" in capsys.readouterr().err


def test_report_of_a_sensitivity_analysis_ranks_the_indices(tmp_path):
    from channelsim.report.figures import fmt
    from tests.test_sensitivity_cli import CALIBRATED, PARAMS

    path = tmp_path / "pair.toml"
    path.write_text(CALIBRATED)
    out = tmp_path / "sens"
    assert cli.main(["sensitivity", str(path), "--n", "3", "--workers", "1", "--json",
                     "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    page = _report(out, tmp_path, "--png", str(tmp_path / "png"))
    for title in ["Parameters varied (morris, n = 3", "Sensitivity of crossings (morris, mu_star)",
                  "Sensitivity of interceptions (morris, mu_star)",
                  "Every scorecard figure&#x27;s parameters, ranked by mu_star",
                  "Parameters of pair and their sources", "Reproduce"]:
        assert title in page
    assert all(p in page for p in PARAMS) and "Map: people present" not in page
    top = summary["indices"]["crossings"][0]  # the table's first row for crossings, as ranked
    assert (f"<td>crossings</td><td>1</td><td>{top['parameter']}</td>"
            f"<td>{fmt(top['mu_star'])}</td>") in page
    assert _outside_references(page) == []
    pngs = list((tmp_path / "png").glob("*sensitivity-of-crossings*.png"))
    assert pngs and pngs[0].stat().st_size > 5000


def test_report_of_a_fit_draws_each_target_series_and_the_scores(tmp_path, capsys):
    from channelsim.report.figures import fmt
    from tests.test_fit import SHORT

    path = tmp_path / "short.toml"
    path.write_text(SHORT)
    out = tmp_path / "fit"
    assert cli.main(["fit", str(path), "--posterior", "none", "--reps", "3", "--workers", "1",
                     "--out", str(out), "--json"]) == 0
    result = json.loads((out / "fit.json").read_text())
    page = _report(out, tmp_path, "--png", str(tmp_path / "png"))
    for title in ["Fit: small_boat_arrivals_monthly", "Scores by series (fitted years)",
                  "Held-out years: forecast, observed and naive",
                  "Held-out forecast: small_boat_arrivals_monthly", "Reproduce"]:
        assert title in page
    scores = result["series"]["small_boat_arrivals_monthly"]
    assert (f"<td>small_boat_arrivals_monthly</td><td>{fmt(scores['ard'])}</td>"
            f"<td>{scores['coverage_50']:.0%}</td>") in page
    assert "intervals include: chance only (3 runs)" in page
    assert "no test of a forecast" in page  # no posterior: the held-out year says so
    # the scenario's parameters with their sources, and its hash and version (fit.json)
    assert "Parameters of fit-test and their sources" in page and "sb_people_2018" in page
    assert f"fit-test: {result['scenario_hash']}" in page and result["version"] in page
    assert _outside_references(page) == []
    pngs = sorted((tmp_path / "png").glob("*.png"))
    assert [p.name for p in pngs] == ["01-fit-small-boat-arrivals-monthly.png",
                                      "02-held-out-forecast-small-boat-arrivals-monthly.png"]
    assert all(p.stat().st_size > 5000 for p in pngs)
    (out / "results.duckdb").unlink()
    assert cli.main(["report", str(out)]) == 2  # a fit's folder without its store
    assert "not a finished fit, missing results.duckdb" in capsys.readouterr().err


def test_report_of_a_calibration_then_with_its_fit(tmp_path, monkeypatch):
    """A tiny calibration (4 particles, 2 generations, 8 months) reported alone, then again
    once `channelsim fit` has written its tables into the same folder."""
    from tests.test_fit import SHORT

    path = tmp_path / "short.toml"
    path.write_text(SHORT)
    out = tmp_path / "cal"
    common = ["--workers", "1", "--json", "--out", str(out)]
    argv = ["calibrate", str(path), "--particles", "4", "--generations", "2", *common]
    monkeypatch.setattr("sys.argv", ["channelsim", *argv])  # the command posterior.json keeps
    assert cli.main(argv) == 0
    posterior = json.loads((out / "posterior.json").read_text())
    page = _report(out, tmp_path)
    for title in ["Posterior by parameter", "Posterior: inflow.first_level",
                  "Posterior: behaviour.attempt_probability",
                  "Posterior: routes.calais_boat.death", "Generations (ABC-SMC)",
                  "Not run yet: the fit and the held-out forecast",
                  f"channelsim fit {path} --posterior {out}/posterior.json --out {out}",
                  "Parameters of fit-test and their sources", "Reproduce",
                  posterior["made"]["commit"], "particles 4, generations 2, seed 0"]:
        assert title in page, title
    assert "log-uniform" in page and "none (the prior)" in page  # a prior; generation 0
    assert "Fit: small_boat_arrivals_monthly" not in page
    assert _outside_references(page) == []

    assert cli.main(["fit", str(path), "--posterior", str(out / "posterior.json"),
                     "--reps", "3", *common]) == 0
    page = _report(out, tmp_path, "--png", str(tmp_path / "png"))
    for title in ["Posterior by parameter", "Generations (ABC-SMC)",
                  "Fit: small_boat_arrivals_monthly", "Scores by series (fitted years)",
                  "Held-out forecast: small_boat_arrivals_monthly",
                  "intervals include: chance and parameters (posterior"]:
        assert title in page, title
    assert "Not run yet" not in page
    assert _outside_references(page) == []
    names = [p.name for p in sorted((tmp_path / "png").glob("*.png"))]
    assert names[:2] == ["01-posterior-inflow-first-level.png",
                         "02-posterior-inflow-step.png"]
    marginals = sum("-posterior-" in n for n in names)  # one per fitted parameter, first
    assert f"{marginals + 1:02d}-fit-small-boat-arrivals-monthly.png" in names
    assert all((tmp_path / "png" / n).stat().st_size > 5000 for n in names)


def test_the_inflow_band_walks_each_particle_through_its_fitted_log_levels():
    """One year's target fits no later level (the test above); with two, the band's middle is
    the weighted median of the particles' levels, the top capped by max_level."""
    from channelsim.report.calibration import _inflow, quantiles

    names = ["inflow.first_level", "inflow.step", "inflow.log_level.2015",
             "inflow.log_level.2016"]
    draws = np.array([[1000.0, 0.1, np.log(1000.0) + 1, np.log(1000.0) + 2],
                      [2000.0, 0.1, np.log(2000.0), np.log(2000.0)],
                      [4000.0, 0.1, np.log(4000.0) - 1, np.log(4000.0) + 3]])
    weights = np.array([0.6, 0.2, 0.2])
    cal = SimpleNamespace(inflow=SimpleNamespace(max_level=50000.0))  # all _inflow reads
    chart = _inflow(names, draws, weights, cal)
    band = chart.bands[0]
    assert band.x == [2014, 2015, 2016]
    levels = np.exp(draws[:, [2, 3]])  # a fitted log level is the year's level itself
    expected = [quantiles(draws[:, 0], weights, [0.5])[0],
                *(quantiles(levels[:, k], weights, [0.5])[0] for k in range(2))]
    assert band.mid == pytest.approx(expected)
    assert band.hi90[2] == pytest.approx(50000.0)  # 4000 e^3 is over the cap
    assert _inflow(names[:2], draws[:, :2], weights, cal) is None


def test_reports_at_posterior_draws_use_every_replicate_of_each_arm(tmp_path):
    """At posterior draws each replicate is its own scenario, so its own hash: the series
    have bands and the map is the mean over every replicate, not the first run's."""
    from channelsim.report.figures import Chart, Map, sections
    from channelsim.report.load import load
    from tests.test_posterior import DRAWS, NAMES, SHORT

    path, post = tmp_path / "q1.toml", tmp_path / "posterior.json"
    path.write_text(SHORT)
    post.write_text(json.dumps({"names": NAMES, "draws": DRAWS, "weights": [0.3, 0.3, 0.4],
                                "settings": {"seed": 11}}))
    common = ["--reps", "3", "--posterior", str(post), "--workers", "1"]
    assert cli.main(["run", str(path), "--out", str(tmp_path / "run"), *common]) == 0
    assert cli.main(["compare", str(path), str(path), "--set-b", "sites.calais.officers=2000",
                     "--out", str(tmp_path / "cmp"), *common]) == 0
    for folder, arms in (("run", 1), ("cmp", 2)):
        exp = load(tmp_path / folder)
        assert exp.sites["scenario_hash"].nunique() > arms  # the draws differ
        figures = [f for s in sections(exp) for f in s.figures]
        charts = [f for f in figures if isinstance(f, Chart) and f.title in SERIES]
        assert len(charts) == len(SERIES)
        for chart in charts:
            assert all(b.lo90 is not None for b in chart.bands), chart.title
        if folder == "cmp":
            assert {b.name[:3] for b in charts[0].bands} == {"A: ", "B: "}
        (params,) = [f for f in figures if f.title.startswith("Parameters of")]
        assert "the values are replicate 0's" in params.note  # not read as the base's values
        assert "arrivals.per_year" in params.note and "attempt_probability" in params.note
        if folder == "run":
            (drawn,) = [f for f in figures if isinstance(f, Map)]
            mean = exp.sites.groupby(["site", "seed"])["waiting"].mean().groupby("site").mean()
            assert {s.name: s.people for s in drawn.sites} == pytest.approx(
                {exp.definitions[exp.hashes[0]]["sites"][sid]["name"]: v
                 for sid, v in mean.items()})


def test_a_sweep_at_posterior_draws_draws_each_points_replicates(tmp_path):
    """A sweep point's replicates are scenarios of their own at posterior draws, none with the
    point's hash: the response curves are drawn from them, and the report names the scenario
    and lists its parameters."""
    from channelsim.report.figures import Chart, sections
    from channelsim.report.load import load
    from tests.test_posterior import DRAWS, NAMES, SHORT

    path, post = tmp_path / "q1.toml", tmp_path / "posterior.json"
    path.write_text(SHORT)
    post.write_text(json.dumps({"names": NAMES, "draws": DRAWS, "weights": [0.3, 0.3, 0.4],
                                "settings": {"seed": 11}}))
    assert cli.main(["sweep", str(path), "--param", "behaviour.discouragement=0.2:0.8:2",
                     "--reps", "2", "--posterior", str(post), "--workers", "1",
                     "--out", str(tmp_path / "sweep")]) == 0
    exp = load(tmp_path / "sweep")
    points = exp.summary["points"]
    assert not set(exp.runs["scenario_hash"]) & {p["scenario_hash"] for p in points}
    (chart,) = [f for s in sections(exp) for f in s.figures if isinstance(f, Chart)
                and f.title == "Response: crossings against behaviour.discouragement"]
    (band,) = chart.bands
    assert band.lo90 is not None  # two replicates a point, not one
    assert list(band.mid) == pytest.approx(  # the median of two is their mean
        [p["summary"]["scorecard"]["crossings"]["mean"] for p in points])
    page = _report(tmp_path / "sweep", tmp_path)
    assert "channelsim report: q1 (sweep)" in page and "Parameters of q1" in page


def test_close_sites_names_are_set_apart_and_one_modes_routes_differ_by_site():
    """Calais and Dunkirk are half a degree apart: names set below both overlapped, and both
    sites' boats were one red in the legend."""
    from channelsim.report.figures import Site, place_labels
    from channelsim.report.style import MODE_COLOURS, route_colour

    sites = [Site("Calais", 1.86, 50.95, 1.0), Site("Dunkirk", 2.30, 51.01, 1.0),
             Site("Ouistreham", -0.25, 49.28, 1.0)]
    place_labels(sites)
    assert [s.label for s in sites] == ["left", "right", "below"]
    shades = {route_colour("small_boat", i) for i in range(3)}
    assert route_colour("small_boat", 0) == MODE_COLOURS["small_boat"] and len(shades) == 3


def test_a_forecast_folder_is_reported_with_its_bands_and_the_months_observed(tmp_path):
    """`report` refused a finished forecast ("not a finished experiment, missing
    summary.json"): it now draws each mode's months with their bands, the observed small
    boats over them, and the command that made it."""
    from channelsim.report.figures import Chart, sections
    from channelsim.report.load import load
    from tests.test_fit import SHORT

    path = tmp_path / "short.toml"
    path.write_text(SHORT)
    out = tmp_path / "fc"
    assert cli.main(["forecast", str(path), "--until", "2019-02-28", "--posterior", "none",
                     "--workers", "1", "--reps", "2", "--set", "sites.calais.officers=900",
                     "--out", str(out)]) == 0
    exp = load(out)
    figures = [f for s in sections(exp) for f in s.figures]
    charts = {f.title: f for f in figures if isinstance(f, Chart)}
    boats = charts["Forecast: small boat crossings by month"]
    (band,) = boats.bands
    assert [x.strftime("%Y-%m") for x in band.x] == ["2019-01", "2019-02"]
    assert band.lo90 is not None and band.hi50 is not None
    (seen,) = boats.observed
    assert seen.values == [45.0, 88.0]  # January and February 2019, Home Office
    page = _report(out, tmp_path)
    assert f"channelsim forecast {path} --until 2019-02-28 --reps 2 --seed 0 --set " \
           "sites.calais.officers=900" in page
    assert not _outside_references(page)


def test_a_site_between_two_close_neighbours_keeps_its_name_below():
    """Three sites 0.3 degrees apart: the middle one's name was set beside it, over the name
    of the neighbour on that side (set towards it)."""
    from channelsim.report.figures import Site, place_labels

    sites = [Site("A", 1.0, 51.0, 1.0), Site("B", 1.3, 51.0, 1.0), Site("C", 1.6, 51.0, 1.0)]
    place_labels(sites)
    assert [s.label for s in sites] == ["left", "below", "right"]
    alone = [Site("A", 1.0, 51.0, 1.0)]
    place_labels(alone)
    assert alone[0].label == "below"


def test_a_forecasts_command_names_its_posterior_and_what_an_old_file_did_not_record(tmp_path):
    """The Reproduce table's command left out --posterior: a forecast of the history run with
    `--posterior none` (or of a file with a posterior of its own) was made again with other
    draws. A forecast.json written before overrides were recorded gave its command as whole."""
    from channelsim.report.figures import sections
    from channelsim.report.load import load

    def command(folder):
        (table,) = [f for s in sections(load(folder)) for f in s.figures
                    if f.title == "Reproduce"]
        return dict(table.rows)["command"]

    out = tmp_path / "none"
    assert cli.main(["forecast", "channel-history", "--until", "2023-01-31", "--reps", "1",
                     "--posterior", "none", "--workers", "1", "--out", str(out)]) == 0
    assert command(out) == ("channelsim forecast channel-history --until 2023-01-31 --reps 1 "
                            "--seed 0 --posterior none")
    shipped = tmp_path / "post.json"
    shipped.write_bytes((Path(cli.__file__).parent / "scenarios" /
                         "channel-history.posterior.json").read_bytes())
    out = tmp_path / "drawn"
    assert cli.main(["forecast", "channel-history", "--until", "2023-01-31", "--reps", "1",
                     "--posterior", str(shipped), "--set", "behaviour={discouragement = 0.3}",
                     "--workers", "1", "--out", str(out)]) == 0
    assert command(out).endswith(
        f"--set 'behaviour={{discouragement = 0.3}}' --posterior {shipped}")  # as a shell reads
    summary = json.loads((out / "forecast.json").read_text())
    del summary["overrides"], summary["posterior"]
    (out / "forecast.json").write_text(json.dumps(summary))
    assert command(out).endswith("--seed 0 (--set and --posterior not recorded)")


def test_a_forecast_json_without_its_keys_is_refused_by_name(tmp_path, capsys):
    """A forecast.json lacking what every version wrote was a KeyError traceback (exit 1)."""
    from tests.test_fit import SHORT

    path, folder = tmp_path / "short.toml", tmp_path / "fc"
    path.write_text(SHORT)
    assert cli.main(["forecast", str(path), "--until", "2019-01-31", "--reps", "1",
                     "--workers", "1", "--out", str(folder)]) == 0
    capsys.readouterr()
    for text, named in (("{}", "reps"), ('{"scenario": "s", "until": "2019-01-31"}', "seeds"),
                        ("[1]", "a table")):
        (folder / "forecast.json").write_text(text)
        assert cli.main(["report", str(folder)]) == 2
        err = capsys.readouterr().err
        assert "forecast.json has no" in err and named in err, err
