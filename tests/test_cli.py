"""The command line as a user meets it: run, --json, --set, validate, scenarios list."""

import json
import subprocess
import sys

from channelsim import cli


def _tiny_file(tmp_path):
    text = (
        'name = "tiny"\nstart = 2020-01-01\nend = 2020-02-29\n'
        '[arrivals]\nper_year = { 2020 = 2000 }\n'
        '[sites.calais]\nname = "Calais"\nlat = 50.9\nlon = 1.8\nofficers = 50\n'
        'initial_people = 200\n'
        '[routes.calais_ferry]\nsite = "calais"\nmode = "lorry_ferry"\nopportunities = 10\n'
    )
    path = tmp_path / "tiny.toml"
    path.write_text(text)
    return path


def test_run_json_prints_one_object_and_writes_results(tmp_path, capsys):
    path = _tiny_file(tmp_path)
    out = tmp_path / "res"
    assert cli.main(["run", str(path), "--seed", "3", "--json", "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["seed"] == 3 and summary["scorecard"]["arrivals"] > 200
    for name in ("daily_sites", "daily_routes", "people", "codes", "runs"):
        assert (out / f"{name}.parquet").is_file()
    assert (out / "results.duckdb").is_file() and (out / "summary.json").is_file()


def test_run_with_reps_reports_intervals(tmp_path, capsys):
    path = _tiny_file(tmp_path)
    code = cli.main(["run", str(path), "--reps", "3", "--json", "--out", str(tmp_path / "r"),
                     "--set", "sites.calais.officers=80"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["reps"] == 3 and summary["seeds"] == [0, 1, 2]
    card = summary["scorecard"]["crossings"]
    assert card["p05"] <= card["mean"] <= card["p95"]


def test_human_summary_has_the_tables(tmp_path, capsys):
    path = _tiny_file(tmp_path)
    assert cli.main(["run", str(path), "--out", str(tmp_path / "r")]) == 0
    text = capsys.readouterr().out
    for piece in ("Scorecard", "attempts per crossing", "By site", "Crossings by route",
                  "Crossings by year", "peak present"):
        assert piece in text


def test_bad_arguments_exit_2():
    proc = subprocess.run([sys.executable, "-m", "channelsim.cli", "run", "--reps", "0"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_help_of_every_command_prints(capsys):
    """A help text is a format string: a bare '%' in one broke `channelsim --help` once."""
    verbs = [a for a in cli._parser()._subparsers._group_actions[0].choices]
    for argv in [[]] + [[verb] for verb in verbs]:
        try:
            cli.main([*argv, "--help"])
        except SystemExit as exc:
            assert exc.code == 0, argv
        assert "usage: channelsim" in capsys.readouterr().out, argv


def test_scenarios_list_names_the_default(capsys):
    assert cli.main(["scenarios", "list"]) == 0
    assert "channel-history" in capsys.readouterr().out


def test_compare_prints_the_paired_effect(tmp_path, capsys):
    path = _tiny_file(tmp_path)
    assert cli.main(["compare", str(path), str(path), "--set-b", "sites.calais.officers=150",
                     "--reps", "3", "--workers", "1", "--out", str(tmp_path / "c")]) == 0
    text = capsys.readouterr().out
    for piece in ("paired runs", "effect B - A", "unpaired", "variance reduction", "crossings"):
        assert piece in text


def test_sweep_prints_a_row_a_point(tmp_path, capsys):
    path = _tiny_file(tmp_path)
    assert cli.main(["sweep", str(path), "--param", "sites.calais.officers=10:90:3",
                     "--workers", "1", "--out", str(tmp_path / "s")]) == 0
    text = capsys.readouterr().out
    assert "grid sweep of 3 points" in text
    assert all(f" {v} " in text for v in (10, 50, 90))


def test_bad_sweep_input_exits_2_naming_the_key(tmp_path, capsys):
    path = _tiny_file(tmp_path)
    out = str(tmp_path / "s")
    assert cli.main(["sweep", str(path), "--param", "sites.calais.officers=10:5:3",
                     "--out", out]) == 2
    assert "sites.calais.officers" in capsys.readouterr().err
    assert cli.main(["sweep", str(path), "--param", "sites.calais.officerz=1:5:2",
                     "--out", out]) == 2
    assert "did you mean 'officers'" in capsys.readouterr().err
    assert cli.main(["sweep", str(path), "--param", "sites.calais.officers=1:5",
                     "--out", out]) == 2
    assert "a grid needs STEPS" in capsys.readouterr().err


def test_scenarios_show_prints_each_number_with_its_source(capsys):
    assert cli.main(["scenarios", "show", "calais-clearance"]) == 0
    out = capsys.readouterr().out
    assert "report_calais_buses_25" in out and "assumption" in out
    assert cli.main(["scenarios", "show"]) == 2
    assert "name a scenario" in capsys.readouterr().err


def test_python_compare_gives_paired_effects():
    import channelsim

    a = channelsim.load("calais-clearance", ["end=2020-10-15"])
    b = channelsim.load("calais-clearance", ["end=2020-10-15", "sites.calais.officers=3000"])
    result = channelsim.compare(a, b, reps=2)
    assert result["effects"]["scorecard"]["crossings"]["effect"] < 0
    assert channelsim.compare(a, a, reps=2)["effects"]["scorecard"]["crossings"]["effect"] == 0


def test_an_unusable_out_folder_or_bounds_exit_2(tmp_path, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("")
    assert cli.main(["run", "calais-clearance", "--out", str(blocker / "sub")]) == 2
    assert "cannot create the folder" in capsys.readouterr().err
    for bad in (["--reps", "10000000000"], ["--seed", "-1"], ["--seed", "x"]):
        proc = subprocess.run([sys.executable, "-m", "channelsim.cli", "run", *bad],
                              capture_output=True, text=True)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
