"""`channelsim calibrate`: a posterior file with what made it, a resume that changes nothing,
and bad input refused with exit code 2."""

import json

import pytest

from channelsim.cli import main

SHORT = """extends = "channel-history"
name = "short-history"
end = 2019-12-31
[sources]
"calibration.targets" = "assumption: a test"
[[calibration.targets]]
series = "small_boat_arrivals_monthly"
years = [2018, 2019]
"""


def test_calibrate_writes_a_posterior_and_resumes_to_the_same(tmp_path, capsys):
    path = tmp_path / "short.toml"
    path.write_text(SHORT)
    out = tmp_path / "out"
    argv = ["calibrate", str(path), "--particles", "3", "--generations", "2", "--workers", "1",
            "--out", str(out), "--json"]
    assert main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    posterior = json.loads((out / "posterior.json").read_text())
    assert len(posterior["draws"]) == 3 and len(posterior["draws"][0]) == len(posterior["names"])
    assert posterior["names"][0] == "inflow.first_level"
    assert "inflow.log_level.2019" in posterior["names"]
    assert posterior["settings"]["kernel"] == "mcmc"
    assert set(posterior["made"]) == {"command", "commit", "version", "at", "seconds",
                                      "generation_seconds"}
    assert posterior["generations"][0]["epsilon"] is None  # the prior, accepted whole
    assert printed["draws"] == posterior["draws"]
    assert (out / "results.duckdb").exists()
    assert main(argv) == 0  # every generation is in the store: nothing is simulated again
    again = json.loads(capsys.readouterr().out)
    assert again["draws"] == posterior["draws"] and again["weights"] == posterior["weights"]
    assert main(argv[:-1]) == 0  # the summary line gives the stored generations' time
    line = capsys.readouterr().out.splitlines()[0]
    ran = posterior["made"]["generation_seconds"]
    assert ran == pytest.approx(sum(g["seconds"] for g in posterior["generations"]), abs=0.06)
    assert f"proposals in {ran:,.0f} s of generations (" in line and "in this command)" in line


def test_targets_outside_the_period_are_refused(capsys):
    # calais-2014 inherits the history's calibration, whose targets lie after its year
    assert main(["calibrate", "calais-2014", "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "calais-2014.toml: cannot calibrate" in err
    assert "calibration.targets.0.years: no observation of small_boat_arrivals_monthly" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("flag", ["--particles=1", "--generations=0"])
def test_bad_settings_exit_2(flag, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["calibrate", "channel-history", flag])
    assert exc.value.code == 2
