"""Experiments at scale: the same numbers on every backend, exact paired comparisons, a store
that survives SIGKILL and Ctrl-C, and sweep designs."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest

import channelsim
from channelsim import cli, scenario, store
from channelsim.experiments import compare, sweep
from channelsim.experiments.paired import effect, t_quantile

from .conftest import tiny

DATA_TABLES = ("daily_sites", "daily_routes", "people", "codes")


def toml_file(raw: dict, path: Path) -> Path:
    """A scenario dict as a TOML file of quoted dotted keys (enough for the test scenarios)."""
    lines = []

    def walk(node: dict, prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f'{prefix}"{key}".')
            else:
                lines.append(f'{prefix}"{key}" = {json.dumps(value)}')

    walk(raw, "")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.ERROR) as lc:
        yield lc.scheduler_address


def same_results(a: Path, b: Path) -> None:
    """Byte-identical data tables; the same summary and runs but for when they were made."""
    for name in DATA_TABLES:
        assert (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes(), name
    summaries = [json.loads((d / "summary.json").read_text()) for d in (a, b)]
    for s in summaries:
        s.pop("written")
    assert summaries[0] == summaries[1]
    timing = ["started", "finished", "seconds"]
    runs = [pq.read_table(d / "runs.parquet").drop_columns(timing) for d in (a, b)]
    assert runs[0].equals(runs[1])


def test_serial_processes_and_dask_give_identical_results(tmp_path, cluster):
    path = toml_file(tiny(), tmp_path / "tiny.toml")
    backends = {"serial": ["--workers", "1"], "processes": ["--workers", "2"],
                "dask_local": ["--dask-local", "2"], "scheduler": ["--scheduler", cluster]}
    for name, options in backends.items():
        args = ["run", str(path), "--reps", "3", "--seed", "5", "--out", str(tmp_path / name)]
        assert cli.main(args + options) == 0, name
    for name in backends:
        same_results(tmp_path / "serial", tmp_path / name)


def test_comparing_a_scenario_with_itself_gives_exactly_zero(tmp_path, capsys):
    path = toml_file(tiny(), tmp_path / "tiny.toml")
    out = tmp_path / "cmp"
    assert cli.main(["compare", str(path), str(path), "--reps", "3", "--workers", "1",
                     "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    figures = [e for section in result["effects"].values() for e in section.values() if e]
    assert len(figures) > 20
    for e in figures:
        assert e["effect"] == 0.0 and e["ci90"] == [0.0, 0.0] and e["a"] == e["b"]
    assert query(out, "select count(*) from runs") == [(3,)]  # run once, not twice


def test_pairing_narrows_the_interval_on_a_lever_that_matters():
    base = scenario.from_dict(tiny())
    more = scenario.from_dict(tiny(**{"sites.calais.officers": 300}))
    seeds = range(12)
    result = compare([channelsim.run(base, s).summary() for s in seeds],
                     [channelsim.run(more, s).summary() for s in seeds], "calais")
    crossings = result["effects"]["scorecard"]["crossings"]
    lo, hi = crossings["ci90"]
    ulo, uhi = crossings["unpaired_ci90"]
    assert hi - lo < (uhi - ulo) / 2 and crossings["variance_reduction"] > 4
    assert hi < 0 < uhi  # pairing finds the effect that unpaired runs cannot tell from noise


def test_t_quantile_matches_the_tables():
    for df, expected in ((1, 6.3138), (2, 2.9200), (5, 2.0150), (9, 1.8331), (30, 1.6973)):
        assert t_quantile(0.95, df) == pytest.approx(expected, abs=5e-5)


def test_effect_of_single_pairs_has_no_interval():
    e = effect([1.0], [3.0])
    assert e["effect"] == 2.0 and e["ci90"] is None and e["variance_reduction"] is None


def _slow_run_command(path: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "channelsim.cli", "run", str(path), "--reps", "6",
            "--workers", "2", "--out", str(out)]


def _slow_scenario(tmp_path: Path) -> Path:
    # five years of the tiny scenario with more arrivals: runs of a few tenths of a second,
    # so that a signal sent after the first run is committed lands while the others are
    # under way
    return toml_file(tiny(end="2024-12-31", **{"arrivals.per_year": {"2020": 10_000}}),
                     tmp_path / "slow.toml")


def _start_and_signal(cmd: list[str], sig: int, after: int) -> tuple[int, str]:
    """Start `cmd`, wait until `after` runs are reported finished, send `sig`; (code, stderr)."""
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=os.environ | {"PYTHONUNBUFFERED": "1"})
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if sum("runs finished" in s for s in seen) >= after:
            if sig == signal.SIGKILL:
                os.kill(proc.pid, sig)
            else:
                os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C reaches the whole group
            break
    code = proc.wait(timeout=60)
    rest = proc.stderr.read()
    proc.stderr.close()
    return code, "".join(seen) + rest


def query(out: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(out / store.STORE_FILE), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _runs(out: Path) -> list[tuple]:
    return query(out, "select scenario_hash, seed, status from runs")


def test_an_ensemble_killed_midway_resumes_to_the_uninterrupted_results(tmp_path):
    path = _slow_scenario(tmp_path)
    out = tmp_path / "killed"
    code, _ = _start_and_signal(_slow_run_command(path, out), signal.SIGKILL, after=2)
    assert code == -signal.SIGKILL
    before = _runs(out)
    finished = [r for r in before if r[2] == "finished"]
    assert 2 <= len(finished) < 6 and len(finished) < len(before)  # some runs were cut off

    resumed = subprocess.run(_slow_run_command(path, out), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming: {len(finished)} of 6 runs" in resumed.stderr
    after = _runs(out)
    assert len(after) == len({(h, s) for h, s, _ in after}) == 6
    assert {status for *_, status in after} == {"finished"}
    per_run = query(out, "select seed, count(*) from people group by seed")
    assert len(per_run) == 6

    clean = tmp_path / "clean"
    assert cli.main(["run", str(path), "--reps", "6", "--workers", "1",
                     "--out", str(clean)]) == 0
    same_results(out, clean)


def test_ctrl_c_stops_cleanly_keeping_finished_runs(tmp_path):
    path = _slow_scenario(tmp_path)
    out = tmp_path / "stopped"
    code, stderr = _start_and_signal(_slow_run_command(path, out), signal.SIGINT, after=1)
    assert code == cli.INTERRUPTED and "Traceback" not in stderr
    assert "runs are finished and kept in" in stderr and "run the same command again" in stderr
    runs = _runs(out)
    assert 1 <= sum(status == "finished" for *_, status in runs) < 6


def test_more_reps_later_reuses_the_finished_runs(tmp_path, capsys):
    path = toml_file(tiny(), tmp_path / "tiny.toml")
    out = tmp_path / "r"
    base = ["run", str(path), "--workers", "1", "--out", str(out), "--json"]
    assert cli.main(base + ["--reps", "2"]) == 0
    started = dict(query(out, "select seed, started from runs"))
    capsys.readouterr()
    assert cli.main(base + ["--reps", "4"]) == 0
    captured = capsys.readouterr()
    assert "resuming: 2 of 4 runs" in captured.err
    assert json.loads(captured.out)["seeds"] == [0, 1, 2, 3]
    again = dict(query(out, "select seed, started from runs"))
    assert {s: again[s] for s in started} == started  # not run again


def test_the_store_redoes_a_run_left_unfinished(tmp_path):
    sc = scenario.from_dict(tiny())
    with store.Store(tmp_path / store.STORE_FILE) as st:
        st.start((sc.digest(), 0), sc.name)  # as a crash would leave it
        st.commit(store.Record.of(channelsim.run(sc, seed=1)))
        keys, todo = channelsim.experiments.plan(st, [sc], [0, 1])
        assert keys == [(sc.digest(), 0), (sc.digest(), 1)]
        assert [seed for _, seed in todo] == [0]


def test_a_run_just_committed_is_exported_as_the_store_reads_it_back(tmp_path, monkeypatch):
    """export writes the run it has just committed from the run's record, not read back from
    the store: the same tables (types, column and row order) as a later export reads back."""
    sc = scenario.from_dict(tiny())
    rec = store.Record.of(channelsim.run(sc, seed=3))
    read_back = []
    select = store.Store.select
    monkeypatch.setattr(store.Store, "select",
                        lambda st, query, *a: read_back.append(query) or select(st, query, *a))
    with store.Store(tmp_path / store.STORE_FILE) as st:
        st.start(rec.key, rec.scenario)
        st.commit(rec)
        st.export(tmp_path / "record", [rec.key], {})
    assert read_back == ["SELECT t.* FROM runs t"]
    with store.Store(tmp_path / store.STORE_FILE) as st:
        st.export(tmp_path / "store", [rec.key], {})
    assert len(read_back) == 1 + len(DATA_TABLES) + 1
    for name in (*DATA_TABLES, "runs"):
        made, read = (pq.read_table(tmp_path / d / f"{name}.parquet") for d in ("record", "store"))
        assert made.schema.equals(read.schema, check_metadata=True)
        assert repr(made.to_pylist()) == repr(read.to_pylist())  # (nan as nan)
    routes = pq.read_table(tmp_path / "record" / "daily_routes.parquet")
    assert routes.column("route").to_pylist()[:2] == ["calais_boat", "calais_ferry"]  # sorted


def test_a_store_from_an_earlier_channelsim_is_refused_clearly(tmp_path, capsys):
    out = tmp_path / "old"
    out.mkdir()
    con = duckdb.connect(str(out / store.STORE_FILE))
    con.execute("create table runs (seed int)")
    con.close()
    path = toml_file(tiny(), tmp_path / "tiny.toml")
    assert cli.main(["run", str(path), "--out", str(out)]) == cli.BAD_INPUT
    assert "earlier channelsim" in capsys.readouterr().err


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys, monkeypatch):
    from channelsim.experiments import backends

    monkeypatch.setattr(backends, "CONNECT_TIMEOUT", "1s")
    path = toml_file(tiny(), tmp_path / "tiny.toml")
    code = cli.main(["run", str(path), "--scheduler", "tcp://127.0.0.1:9", "--out",
                     str(tmp_path / "r")])
    assert code == cli.BAD_INPUT
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


# ------------------------------------------------------------------ sweeps


def test_grid_takes_every_combination_with_whole_numbers_kept_whole():
    params = [sweep.parse_param("sites.calais.officers=100:300:3"),
              sweep.parse_param("behaviour.attempt_probability=0.2:0.4:2")]
    points = sweep.design(params, "grid")
    assert points == [
        {"sites.calais.officers": o, "behaviour.attempt_probability": p}
        for o in (100, 200, 300) for p in (0.2, 0.4)
    ]
    assert sweep.overrides(points[0]) == ["sites.calais.officers=100",
                                          "behaviour.attempt_probability=0.2"]


def test_latin_hypercube_fills_every_stratum_once_and_repeats_with_its_seed():
    params = [sweep.parse_param("a=0.0:1.0"), sweep.parse_param("b=10:20.5")]
    points = sweep.design(params, "lhs", points=8, seed=3)
    for key, low, high in (("a", 0, 1), ("b", 10, 20.5)):
        strata = sorted(int((pt[key] - low) / (high - low) * 8) for pt in points)
        assert strata == list(range(8))
    assert points == sweep.design(params, "lhs", points=8, seed=3)
    assert points != sweep.design(params, "lhs", points=8, seed=4)
    # without --points, as many points as the grid would have had
    assert len(sweep.design([sweep.parse_param("a=0:1:3"), sweep.parse_param("b=0:1:4")],
                            "lhs")) == 12


@pytest.mark.parametrize("text, says", [
    ("sites.calais.officers", "not of the form"),
    ("sites.calais.officers=a:10:3", "must be numbers"),
    ("sites.calais.officers=10:5:3", "below HIGH"),
    ("sites.calais.officers=1:10:1", "from 2 to"),
    ("sites.calais.officers=1:10:x", "whole number"),
])
def test_bad_params_name_the_key_and_the_form(text, says):
    with pytest.raises(scenario.ScenarioError) as info:
        sweep.parse_param(text)
    assert says in info.value.render() and "e.g. sites.calais.officers=200:2000:10" in \
        info.value.render()


def test_sweep_runs_each_point_on_the_same_seeds(tmp_path, capsys):
    path = toml_file(tiny(), tmp_path / "tiny.toml")
    out = tmp_path / "sw"
    assert cli.main(["sweep", str(path), "--param", "arrivals.per_year.2020=1000:5000:3",
                     "--reps", "2", "--workers", "1", "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    values = [p["values"]["arrivals.per_year.2020"] for p in result["points"]]
    assert values == [1000, 3000, 5000] and result["seeds"] == [0, 1]
    arrivals = [p["summary"]["scorecard"]["arrivals"]["mean"] for p in result["points"]]
    assert arrivals[0] < arrivals[1] < arrivals[2]
    definitions = dict(query(out, "select scenario_hash, definition from scenarios"))
    for point in result["points"]:
        per_year = json.loads(definitions[point["scenario_hash"]])["arrivals"]["per_year"]
        assert per_year["2020"] == point["values"]["arrivals.per_year.2020"]
    assert np.unique([p["scenario_hash"] for p in result["points"]]).size == 3
