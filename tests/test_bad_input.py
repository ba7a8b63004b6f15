"""The issue's reproducers: each bad input exits 2 with a message naming the key, no traceback."""

import json
import math
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channelsim import cli, jsontext, scenario

DEEP = "[" * 1200 + "]" * 1200


def _refused(capsys, argv, *words):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.splitlines()) <= 20 and len(err) <= 4000, err  # one screen
    for word in words:
        assert word in err, err
    return err


@pytest.mark.parametrize("override, words", [
    (f"name={DEEP}", ["--set", "nested deeper"]),
    ("sites.calais.officers=abc", ["--set sites.calais.officers=abc", "valid number"]),
    ("sites.calias.officers=1500", ["did you mean 'calais'"]),
    ("sites.calais.arrival_share=1.7", ["arrival_share", "less than or equal to 1"]),
    ("sites.calais.arrival_share={2015-01-01=0.5, 2016-01-01=1.7}", ["2016-01-01"]),
    ("arrivals.per_year={2020=inf}", ["per_year.2020", "finite"]),
    ('name="a\\u0000b"', ["name", "control"]),
    (f'name="{"é" * 160}"', ["name", "at most 80 characters"]),  # 320 bytes
    (f'name="{"é" * 79}"', ["name", "158 bytes"]),
    ("sites.calais.initial_people=4611686018427387904", ["initial_people", "GiB"]),
    ("arrivals.per_year={2020=1e9}", ["per_year", "at most"]),
    (f"sites={{{'a' * 100_000} = {{}}}}", ["at most 10,000"]),
])
def test_bad_overrides_are_refused(capsys, override, words):
    _refused(capsys, ["validate", "channel-history", "--set", override], *words)


@pytest.mark.parametrize("override, words", [
    ('name="a\\u0000b"', ["name", "control"]),
    ("arrivals.per_year={2020=inf}", ["per_year.2020", "finite"]),
    ("sites.calais.initial_people=4611686018427387904", ["initial_people", "GiB"]),
    (f"sites={{{'a' * 100_000} = {{}}}}", ["at most 10,000"]),
])
def test_a_run_refuses_before_writing_anything(tmp_path, capsys, override, words):
    out = tmp_path / "out"
    _refused(capsys, ["run", "channel-history", "--set", override, "--out", str(out)], *words)
    assert not out.exists()


HEAVY = [["--set", f"name={DEEP}"], ["--set", "sites.calais.initial_people=4611686018427387904"],
         ["--set", "arrivals.per_year={2020=1e9}"], ["--set", f"sites={{{'a' * 100_000} = {{}}}}"]]


def test_refusing_the_heavy_reproducers_stays_under_1_gib():
    code = ("import json, sys\nfrom channelsim import cli\n"
            "codes = [cli.main(['validate', 'channel-history', *a])\n"
            "         for a in json.loads(sys.argv[1])]\n"
            "peak = [x for x in open('/proc/self/status') if x.startswith('VmHWM')][0]\n"
            "print(json.dumps([codes, int(peak.split()[1])]))")  # its own peak, in KiB
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(HEAVY)], capture_output=True,
                          text=True, timeout=600)
    codes, peak_kib = json.loads(proc.stdout)
    assert codes == [2] * len(HEAVY) and "Traceback" not in proc.stderr
    assert peak_kib * 1024 < 2**30


def test_long_site_id_in_a_file_is_refused(tmp_path, capsys):
    path = tmp_path / "long.toml"
    path.write_text(f'extends = "channel-history"\nname = "long"\n'
                    f'[sites.{"a" * 100_000}]\nname = "A"\nlat = 50.0\nlon = 1.0\n')
    _refused(capsys, ["validate", str(path)], "at most 40 characters")


def test_sources_not_a_table_in_an_extending_file(tmp_path, capsys):
    path = tmp_path / "s.toml"
    path.write_text('extends = "channel-history"\nname = "s"\nsources = "x"\n')
    _refused(capsys, ["validate", str(path)], "sources", "table")


def test_a_long_extends_chain_is_refused(tmp_path, capsys):
    for i in range(1200):
        (tmp_path / f"c{i}.toml").write_text(f'extends = "c{i + 1}.toml"\nname = "c{i}"\n')
    (tmp_path / "c1200.toml").write_text('extends = "channel-history"\n')
    _refused(capsys, ["validate", str(tmp_path / "c0.toml")], "extends", "chain")


def test_a_local_file_never_shadows_a_bundled_parent(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "channel-history").write_text('name = "evil"\n')
    (tmp_path / "y.toml").write_text('extends = "channel-history"\nname = "y"\n')
    assert scenario.load("y.toml").sites  # the bundled parent's sites
    assert scenario.load("channel-history").name == "channel-history"


def test_suspicious_scenarios_warn(capsys):
    assert cli.main(["validate", "channel-history", "--set", "sites.calais.officers=0",
                     "--set", "sites.calais.arrival_share=0.2"]) == 0
    err = capsys.readouterr().err
    assert "sites.calais.officers: no officers" in err and "add up to" in err


def test_compare_refuses_different_periods(capsys):
    _refused(capsys, ["compare", "ouistreham", "channel-history"], "--different-periods")


@pytest.mark.parametrize("out, words", [("", ["--out", "empty"]),
                                        (os.fsdecode(b"\xff\xfe"), ["--out", "UTF-8"])])
def test_bad_out_is_refused(capsys, out, words):
    _refused(capsys, ["run", "calais-clearance", "--out", out], *words)


def test_dangling_symlink_store_is_refused(tmp_path, capsys):
    (tmp_path / "results.duckdb").symlink_to(tmp_path / "nowhere")
    _refused(capsys, ["run", "calais-clearance", "--out", str(tmp_path)], "symbolic link")
    assert not (tmp_path / "nowhere").exists()


def test_empty_scheduler_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "calais-clearance", "--scheduler", ""])
    assert exc.value.code == 2 and "--scheduler" in capsys.readouterr().err


def test_huge_experiments_need_yes(tmp_path, capsys):
    _refused(capsys, ["run", "channel-history", "--reps", "1000000", "--out", str(tmp_path)],
             "--yes")
    assert not (tmp_path / "results.duckdb").exists()


@pytest.mark.parametrize("params", [["K=0:1:99999999999999999999"],
                                    ["sites.calais.officers=0:1000:1000",
                                     "sites.calais.initial_people=0:1000:1000"]])
def test_huge_sweeps_are_refused(capsys, params):
    argv = ["sweep", "calais-clearance"] + [a for p in params for a in ("--param", p)]
    _refused(capsys, argv, "--param", "10,000")


def test_store_that_cannot_be_written_is_a_store_error(tmp_path, monkeypatch):
    import duckdb

    from channelsim import store

    def fail(self):
        raise duckdb.TransactionException("read-only")

    monkeypatch.setattr(store.Store, "_prepare", fail)
    with pytest.raises(store.StoreError, match="cannot write"):
        store.Store(tmp_path / "results.duckdb")


def test_json_is_strict():
    text = jsontext.dumps({"a": math.inf, "b": [math.nan, 1.5]})
    assert json.loads(text) == {"a": None, "b": [None, 1.5]} and "Infinity" not in text


def test_a_variant_run_does_not_take_the_bundled_folder():
    args = cli._parser().parse_args(["run", "--set", "sites.calais.officers=1"])
    sc = scenario.load("channel-history", args.overrides)
    assert cli._out(args, sc.name, [sc]).name.startswith("channel-history-")
    reps = cli._parser().parse_args(["run", "--reps", "20"])
    assert cli._out(reps, sc.name, [sc]).name == "channel-history-seeds0-19"


def test_compares_of_different_levers_keep_their_own_folders(tmp_path, monkeypatch, capsys):
    from .test_cli import _tiny_file

    path = _tiny_file(tmp_path)
    monkeypatch.chdir(tmp_path)
    for officers in (60, 90):
        assert cli.main(["compare", str(path), str(path), "--workers", "1", "--reps", "1",
                         "--set-b", f"sites.calais.officers={officers}"]) == 0
    assert len(list((tmp_path / "results").iterdir())) == 2


VALUES = st.one_of(
    st.integers(min_value=-2**70, max_value=2**70), st.floats(), st.text(max_size=30),
    st.sampled_from(["[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "{a = 1}", "true",
                     "2020-01-01", "{2020-01-01 = 2}", '"\\u0000"']))
KEYS = st.sampled_from([
    "name", "start", "end", "arrivals.per_year", "arrivals.per_year.2020", "arrivals.origins",
    "sites.calais.officers", "sites.calais.arrival_share", "sites.calais.initial_people",
    "sites.calias.officers", "sites.calais.policy", "routes.calais_ferry.site",
    "routes.calais_ferry.opportunities", "sources", "extends", "main_site", "x.y.z"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=3))
def test_fuzzed_overrides_never_crash_validate(overrides):
    items = [f"{k}={v!r}" if not isinstance(v, str) else f"{k}={v}" for k, v in overrides]
    try:
        scenario.load("channel-history", items)
    except scenario.ScenarioError as exc:
        assert exc.render()



@pytest.mark.parametrize("argv, words", [
    (["run", "channel-history", "--set", "notasection.x=1"],
     ["notasection (--set notasection.x=1): unknown key", "allowed: name,", "routes"]),
    (["run", "calais-clearance", "--set", "end=2019-01-01"],
     ["error: --set:", "end (--set end=2019-01-01)", "before the start, 2020-08-15"]),
    (["validate", "calais-clearance", "--set", "start=2021-01-01"],  # the file's end is wrong now
     ["error: --set:", "end (--set start=2021-01-01)", "allowed: 2021-01-01 or later"]),
    (["sweep", "calais-clearance", "--param", "sites.calais.officerz=200:2000:3"],
     ["error: --param:", "(--param sites.calais.officerz=200:2000:3)",
      "did you mean 'officers'"]),
    (["compare", "calais-clearance", "calais-clearance", "--set-b", "sites.calais.oficers=5"],
     ["error: --set-b:", "(--set-b sites.calais.oficers=5)", "did you mean 'officers'"]),
    (["run", "channel-history", "--set", "sites.calais.officers={2014-01-01 = 500"],
     ["(--set sites.calais.officers={2014-01-01 = 500)", "not valid TOML",
      "unclosed inline table"]),
    (["validate", "channel-history", "--set", "arrivals.seasonality=[1, 2"],
     ["arrivals.seasonality (--set", "not valid TOML", "unclosed array"]),
])
def test_a_message_names_the_override_that_caused_it(capsys, argv, words):
    err = _refused(capsys, argv, *words)
    assert ".toml" not in err  # the bundled file is not to blame


def test_a_bare_word_is_still_a_string(capsys):
    assert cli.main(["validate", "channel-history", "--set", "sites.calais.policy.type=detain",
                     "--set", "sites.calais.policy.days=2"]) == 0


def test_an_unknown_option_gets_the_commands_usage_and_a_suggestion(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "--sed", "3"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.startswith("usage: channelsim run ")
    assert "unrecognized arguments: --sed; did you mean '--seed'?" in err
