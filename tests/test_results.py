"""Results: reproducible to the byte, tables that add up, an all-or-nothing store."""

import json

import duckdb
import numpy as np

import channelsim
from channelsim import scenario, store
from channelsim.experiments import run_ensemble, summarise

from .conftest import tiny


def test_same_seed_gives_byte_identical_parquet(tmp_path):
    sc = scenario.from_dict(tiny())
    for name in ("a", "b"):
        store.write(tmp_path / name, [channelsim.run(sc, seed=9)], {})
    for table in ("daily_sites", "daily_routes", "people"):
        a = (tmp_path / "a" / f"{table}.parquet").read_bytes()
        b = (tmp_path / "b" / f"{table}.parquet").read_bytes()
        assert a == b, table


def test_different_seeds_differ():
    sc = scenario.from_dict(tiny())
    a, b = channelsim.run(sc, seed=1), channelsim.run(sc, seed=2)
    assert not np.array_equal(a.route["crossings"], b.route["crossings"])


def test_store_holds_every_table_and_the_summary(tmp_path):
    sc = scenario.from_dict(tiny())
    runs = run_ensemble(sc, seed=0, reps=2)
    out = store.write(tmp_path / "out", runs, summarise(runs))
    con = duckdb.connect(str(out / "results.duckdb"), read_only=True)
    assert con.execute("select count(*) from runs").fetchone()[0] == 2
    people = con.execute("select seed, count(*) from people group by seed order by seed").fetchall()
    assert [s for s, _ in people] == [0, 1]
    crossings = con.execute("select sum(crossings) from daily_routes").fetchone()[0]
    assert crossings == sum(int(r.route["crossings"].sum()) for r in runs)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["reps"] == 2 and set(summary["scorecard"]["crossings"]) == {"mean", "p05", "p95"}


def test_summary_totals_agree_with_the_people_table():
    res = channelsim.run(scenario.from_dict(tiny()), seed=3)
    s = res.summary()
    people = res.people_table().to_pandas()
    assert s["scorecard"]["crossings"] == (people.status == "crossed").sum()
    assert s["scorecard"]["attempts"] == people.attempts.sum()
    assert s["scorecard"]["interceptions"] == people.interceptions.sum()
    assert sum(s["crossings_by_year"].values()) == s["scorecard"]["crossings"]
    assert sum(s["crossings_by_route"].values()) == sum(s["crossings_by_site"].values())


def test_an_interrupted_write_leaves_the_old_results(tmp_path, monkeypatch):
    sc = scenario.from_dict(tiny())
    runs = [channelsim.run(sc, seed=1)]
    out = store.write(tmp_path / "out", runs, {"first": True})

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(store.pq, "write_table", boom)
    try:
        store.write(out, runs, {"first": False})
    except KeyboardInterrupt:
        pass
    assert json.loads((out / "summary.json").read_text())["first"] is True
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left
