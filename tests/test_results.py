"""Results: reproducible to the byte, tables that add up, an all-or-nothing store."""

import json

import duckdb
import numpy as np
import pandas as pd
import pytest

import channelsim
from channelsim import scenario, store
from channelsim.experiments import run_ensemble, summarise
from channelsim.population import Status

from .conftest import tiny


def test_same_seed_gives_byte_identical_parquet(tmp_path):
    sc = scenario.from_dict(tiny())
    for name in ("a", "b"):
        store.write(tmp_path / name, [channelsim.run(sc, seed=9)], {})
    for table in ("daily_sites", "daily_routes", "people", "codes"):
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
    named = dict(con.execute(
        "select c.name, count(*) from people p join codes c on c.scenario_hash = p.scenario_hash"
        " and c.seed = p.seed and c.variable = 'status' and c.code = p.status group by c.name"
    ).fetchall())
    assert named["crossed"] == sum(r.summary()["final_status"]["crossed"] for r in runs)
    sites = con.execute("select distinct c.name from people p join codes c using "
                        "(scenario_hash, seed) where c.variable = 'site' and c.code = p.site"
                        ).fetchall()
    assert {name for name, in sites} <= set(sc.sites)
    crossings = con.execute("select sum(crossings) from daily_routes").fetchone()[0]
    assert crossings == sum(int(r.route["crossings"].sum()) for r in runs)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["reps"] == 2 and set(summary["scorecard"]["crossings"]) == {"mean", "p05", "p95"}


def test_summary_totals_agree_with_the_people_table():
    res = channelsim.run(scenario.from_dict(tiny()), seed=3)
    s = res.summary()
    people = res.people_table().to_pandas()
    assert s["scorecard"]["crossings"] == (people.status == Status.CROSSED).sum()
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


def test_nested_figures_sum_to_their_totals():
    """Bookkeeping, not behaviour: every breakdown by year, mode and site adds up to the
    total it breaks down, and days to cross and days at capacity come from the run's records."""
    res = channelsim.run(scenario.from_dict(tiny(end="2021-01-31")), seed=2)
    s = res.summary()
    card = s["scorecard"]
    for by_year, flat in (("crossings_by_mode_by_year", "crossings_by_mode"),
                          ("crossings_by_site_by_year", "crossings_by_site")):
        assert list(s[by_year]) == list(s[flat])
        assert {k: sum(v.values()) for k, v in s[by_year].items()} == s[flat]
        for year, total in s["crossings_by_year"].items():
            assert sum(v[year] for v in s[by_year].values()) == total
    assert list(s["crossings_by_year"]) == ["2020", "2021"]
    sites = s["scorecard_by_site"]
    for key in ("crossings", "attempts", "interceptions", "deaths", "injuries", "detentions",
                "transfers", "exits", "turned_back", "relocations", "public_order_incidents",
                "clearances", "bused", "road_incidents", "found_on_arrival"):
        assert sum(v[key] for v in sites.values()) == card[key], key
    for key in ("public_cost", "public_cost_france", "public_cost_uk"):
        assert np.isclose(sum(v[key] for v in sites.values()), card[key])
    assert {k: v["crossings"] for k, v in sites.items()} == s["crossings_by_site"]
    assert s["incidents_by_site"] == {k: v["public_order_incidents"] for k, v in sites.items()}
    people = res.people_table().to_pandas()
    waits = people.days_to_cross[people.status == Status.CROSSED]
    assert s["days_to_cross"] == {"median": float(waits.median()),
                                  "p90": float(np.percentile(waits, 90))}
    full = s["share_days_at_capacity_by_route_by_year"]
    daily = res.daily_routes().to_pandas()
    daily["year"] = pd.to_datetime(daily.date).dt.year.astype(str)
    expect = daily.assign(full=daily.turned_back > 0).groupby(["route", "year"]).full.mean()
    assert {(r, y): v for r, ys in full.items() for y, v in ys.items()} == pytest.approx(
        expect.to_dict())
    assert 0 < max(v for ys in full.values() for v in ys.values()) <= 1


def test_an_ensemble_gives_nested_figures_intervals():
    runs = run_ensemble(scenario.from_dict(tiny()), reps=3)
    s = summarise(runs)
    by_year = s["crossings_by_site_by_year"]["calais"]["2020"]
    assert by_year["p05"] <= by_year["mean"] <= by_year["p95"]
    assert by_year["mean"] == np.mean([r.summary()["crossings_by_site"]["calais"] for r in runs])
    assert set(s["scorecard_by_site"]["dunkirk"]["attempts"]) == {"mean", "p05", "p95"}
