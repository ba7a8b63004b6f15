"""The [calibration] section: priors, targets and held-out years, checked with a clear message,
and its priors cited as 'prior: <reason>'."""

import subprocess
import sys

import pytest

from channelsim import provenance, scenario

CALIBRATION = """
[calibration]
heldout_years = [2023]
[calibration.inflow]
first_level = { distribution = "log-uniform", low = 100.0, high = 10000.0 }
step = { distribution = "normal", mean = 0.3, sd = 0.1, low = 0.0 }
[calibration.parameters]
"behaviour.discouragement" = { distribution = "uniform", low = 0.1, high = 0.9 }
[[calibration.targets]]
series = "small_boat_arrivals_monthly"
years = [2018, 2019]
"""
SOURCES = ('[sources]\n"calibration.parameters" = "prior: a test"\n'
           '"calibration.inflow" = "prior: a test"\n"calibration.targets" = "assumption: a test"\n'
           '"calibration.heldout_years" = "assumption: a test"\n')


def child(tmp_path, calibration=CALIBRATION, sources=SOURCES):
    path = tmp_path / "child.toml"
    path.write_text('extends = "channel-history"\nname = "child"\n' + sources + calibration)
    return path


def test_the_bundled_history_holds_priors_for_inflow_and_parameters():
    cal = scenario.load("channel-history").calibration
    assert cal.inflow.first_level.distribution == "log-uniform"
    assert "behaviour.attempt_probability" in cal.parameters
    assert cal.heldout_years == [2023]
    assert all(2023 not in t.years for t in cal.targets)


def test_a_child_replaces_the_calibration(tmp_path):
    cal = scenario.load(child(tmp_path)).calibration
    assert cal.inflow.step.distribution == "normal" and cal.inflow.step.low == 0.0
    assert [t.years for t in cal.targets] == [[2018, 2019]]


@pytest.mark.parametrize("bad, key, message", [
    ('low = 0.9, high = 0.1', "calibration.parameters.behaviour.discouragement",
     "low (0.9) must be below high (0.1)"),
    ('low = 0.1, high = 0.9, sd = 0.2', "calibration.parameters.behaviour.discouragement",
     "a uniform prior takes low and high, not mean/sd"),
])
def test_a_bad_prior_names_its_key(tmp_path, bad, key, message):
    text = CALIBRATION.replace("low = 0.1, high = 0.9", bad)
    with pytest.raises(scenario.ScenarioError) as err:
        scenario.load(child(tmp_path, text))
    assert (key, message) in err.value.problems


def test_log_uniform_needs_a_positive_low(tmp_path):
    text = CALIBRATION.replace("low = 100.0", "low = 0.0")
    with pytest.raises(scenario.ScenarioError, match="log-uniform prior needs low > 0"):
        scenario.load(child(tmp_path, text))


def test_a_target_year_may_not_be_held_out(tmp_path):
    text = CALIBRATION.replace("years = [2018, 2019]", "years = [2022, 2023]")
    with pytest.raises(scenario.ScenarioError) as err:
        scenario.load(child(tmp_path, text))
    assert ("calibration", "targets.0.years: [2023] are held out (heldout_years)"
            ) in err.value.problems


def test_an_unknown_series_lists_the_allowed_ones(tmp_path):
    text = CALIBRATION.replace('"small_boat_arrivals_monthly"', '"boats"')
    with pytest.raises(scenario.ScenarioError, match="small_boat_arrivals_monthly"):
        scenario.load(child(tmp_path, text))


def test_priors_must_be_cited_as_priors(tmp_path):
    rows = {p.key: p for p in provenance.trace(scenario.read_raw(child(tmp_path)))}
    assert rows["calibration.parameters.behaviour.discouragement.low"].problem is None
    assert rows["calibration.inflow.first_level.high"].problem is None
    as_assumption = SOURCES.replace('"calibration.parameters" = "prior:',
                                    '"calibration.parameters" = "assumption:')
    rows = {p.key: p for p in provenance.trace(scenario.read_raw(
        child(tmp_path, sources=as_assumption)))}
    assert rows["calibration.parameters.behaviour.discouragement.low"].problem == (
        "a calibration prior is cited as 'prior: <reason>'")


def test_prior_is_only_for_calibration(tmp_path):
    path = tmp_path / "child.toml"
    path.write_text('extends = "channel-history"\nname = "child"\n[sites.calais]\n'
                    'initial_people = 5\n[sources]\n"sites.calais.initial_people" = "prior: x"\n')
    rows = {p.key: p for p in provenance.trace(scenario.read_raw(path))}
    assert rows["sites.calais.initial_people"].problem == (
        "'prior:' is only for the priors in [calibration]")
    path.write_text(path.read_text().replace('"prior: x"', '"prior:"').replace(
        "[sites.calais]\ninitial_people = 5\n", "").replace(
        '"sites.calais.initial_people"', '"calibration.parameters"') + CALIBRATION)
    rows = {p.key: p for p in provenance.trace(scenario.read_raw(path))}
    assert rows["calibration.parameters.behaviour.discouragement.low"].problem == (
        "a prior needs a reason after 'prior:'")


def test_validate_refuses_a_bad_calibration_with_exit_code_2(tmp_path):
    text = CALIBRATION.replace("years = [2018, 2019]", "years = [2023]")
    proc = subprocess.run([sys.executable, "-m", "channelsim.cli", "validate",
                           str(child(tmp_path, text))], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "calibration: targets.0.years: [2023] are held out" in proc.stderr
    assert "Traceback" not in proc.stderr
