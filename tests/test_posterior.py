"""Posterior draws in run, compare and sweep: replicate i runs draw i with seed i in every arm,
replicate i is the same in any experiment, and the intervals then carry the parameters'
uncertainty as well as chance."""

import json

import duckdb
import numpy as np
import pytest

from channelsim.analysis import posterior
from channelsim.cli import main

# the history's first quarter with a small inflow: runs of a fraction of a second
SHORT = 'extends = "channel-history"\nname = "q1"\nend = 2014-03-31\n'
NAMES = ["inflow.first_level", "inflow.step", "behaviour.attempt_probability"]
# particles far apart: the inflow's level differs fourfold
DRAWS = [[800.0, 0.3, 0.2], [3200.0, 0.3, 0.6], [1600.0, 0.3, 0.4]]


@pytest.fixture
def files(tmp_path):
    sc = tmp_path / "q1.toml"
    sc.write_text(SHORT)
    post = tmp_path / "posterior.json"
    post.write_text(json.dumps({"names": NAMES, "draws": DRAWS, "weights": [0.3, 0.3, 0.4],
                                "settings": {"seed": 11}}))
    return sc, post


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_replicate_i_takes_draw_i_whatever_the_number_of_replicates(files):
    sc, post = files
    p = posterior.load(post)
    picks = [p.index(i) for i in range(200)]
    assert picks[:5] == [posterior.load(post).index(i) for i in range(5)]
    # picked by weight: 200 picks of weights 0.3/0.3/0.4 within 4 standard errors
    share = np.bincount(picks, minlength=3) / 200
    assert np.all(np.abs(share - [0.3, 0.3, 0.4]) < 4 * np.sqrt(0.3 * 0.7 / 200))
    at = p.scenario(sc, [], 2)
    assert at.arrivals.per_year[2014] == DRAWS[p.index(2)][0]
    assert at.behaviour.attempt_probability == DRAWS[p.index(2)][2]
    # a --set override is applied after the draw: the lever is never replaced by it
    lever = p.scenario(sc, ["behaviour.attempt_probability=0.9"], 2)
    assert lever.behaviour.attempt_probability == 0.9


def test_compare_runs_the_same_draw_in_both_arms(files, tmp_path, capsys):
    sc, post = files
    out = tmp_path / "cmp"
    assert main(["compare", str(sc), str(sc), "--set-b", "sites.calais.officers=2000",
                 "--reps", "3", "--workers", "1", "--posterior", str(post), "--out", str(out),
                 "--json"]) == 0
    result = _json(capsys)
    assert result["uncertainty"] == f"chance and parameters (posterior {post}, 3 draws)"
    with duckdb.connect(str(out / "results.duckdb")) as con:
        rows = con.execute("SELECT r.seed, s.definition FROM runs r JOIN scenarios s ON "
                           "s.scenario_hash = r.scenario_hash ORDER BY r.seed").fetchall()
    by_seed: dict[int, list] = {}
    for seed, text in rows:
        d = json.loads(text)
        by_seed.setdefault(seed, []).append((d["behaviour"]["attempt_probability"],
                                             d["arrivals"]["per_year"]["2014"],
                                             d["sites"]["calais"]["officers"]))
    p = posterior.load(post)
    for seed, arms in by_seed.items():
        assert len(arms) == 2
        (pa, la, oa), (pb, lb, ob) = sorted(arms, key=lambda a: str(a[2]))
        assert pa == pb == DRAWS[p.index(seed)][2] and la == lb == DRAWS[p.index(seed)][0]
        assert {str(oa), str(ob)} != {str(oa)}  # the lever differs, the draw does not


def test_replicate_i_is_reproducible_and_the_intervals_widen(files, tmp_path, capsys):
    sc, post = files
    base = ["run", str(sc), "--workers", "1", "--json"]
    assert main(base + ["--reps", "12", "--posterior", str(post), "--out",
                        str(tmp_path / "p")]) == 0
    with_params = _json(capsys)
    assert main(base + ["--reps", "12", "--posterior", "none", "--out",
                        str(tmp_path / "c")]) == 0
    chance = _json(capsys)
    assert chance["uncertainty"] == "chance only"
    assert with_params["uncertainty"].startswith("chance and parameters")
    # a replicate alone gives the figures it gave among twelve
    assert main(base + ["--seed", "5", "--posterior", str(post), "--out",
                        str(tmp_path / "one")]) == 0
    alone = _json(capsys)
    with duckdb.connect(str(tmp_path / "p" / "results.duckdb")) as con:
        fifth = json.loads(con.execute("SELECT summary FROM runs WHERE seed = 5").fetchone()[0])
    assert alone["scorecard"] == fifth["scorecard"]

    def width(s):
        x = s["scorecard"]["arrivals"]
        return x["p95"] - x["p05"]

    # chance alone moves arrivals by their Poisson noise; the draws' inflows differ fourfold
    assert width(with_params) > 3 * width(chance)


def test_a_bad_posterior_file_is_refused_by_name(files, tmp_path, capsys):
    sc, _ = files
    bad = tmp_path / "bad.json"
    bad.write_text('{"names": ["a"]}')
    assert main(["run", str(sc), "--posterior", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--posterior" in err and "bad.json" in err and "settings.seed" in err
    assert "Traceback" not in err
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"names": ["behaviour.no_such"], "draws": [[1.0]],
                                 "weights": [1.0], "settings": {"seed": 0}}))
    assert main(["run", str(sc), "--posterior", str(wrong), "--out", str(tmp_path / "o")]) == 2
    assert "behaviour.no_such" in capsys.readouterr().err


def test_a_fitted_value_set_in_a_users_file_is_warned_of(files, tmp_path, capsys):
    """The draw replaces it (only --set comes after), so the file's own value would be lost
    without a word; a value it inherits from the bundled parent is the prior's, not warned."""
    sc, post = files
    child = tmp_path / "child.toml"
    child.write_text(f'extends = "{sc.name}"\nname = "child"\n[behaviour]\n'
                     'attempt_probability = 0.5\n[sites.calais]\nofficers = 900\n')
    p = posterior.load(post)
    assert p.replaces(sc) == []  # q1 sets neither a fitted value nor arrivals.per_year
    assert p.replaces(child) == [f"{child}: behaviour.attempt_probability"]
    assert p.replaces("channel-history") == []
    assert main(["run", str(child), "--reps", "1", "--workers", "1", "--posterior", str(post),
                 "--out", str(tmp_path / "w"), "--json"]) == 0
    err = capsys.readouterr().err
    assert f"warning: {child}: behaviour.attempt_probability is fitted" in err
    assert "officers" not in err
    assert main(["run", str(child), "--reps", "1", "--workers", "1", "--out",
                 str(tmp_path / "n"), "--json"]) == 0
    assert "is fitted by the posterior" not in capsys.readouterr().err  # no posterior, no warning


def test_a_sweep_says_what_its_intervals_include(files, tmp_path, capsys):
    """As run and compare do, on the screen and in --json, not only in summary.json."""
    sc, post = files
    base = ["sweep", str(sc), "--param", "sites.calais.officers=100:200:2", "--reps", "1",
            "--workers", "1", "--posterior", str(post)]
    assert main([*base, "--out", str(tmp_path / "j"), "--json"]) == 0
    assert _json(capsys)["uncertainty"] == f"chance and parameters (posterior {post}, 1 draw)"
    assert main([*base, "--out", str(tmp_path / "t")]) == 0
    assert "intervals include: chance and parameters" in capsys.readouterr().out


def test_a_fitted_value_an_override_holds_is_not_warned_of(files, tmp_path, capsys):
    """--set (or a sweep's --param) comes after the draw: the warning told the user to hold
    the value with --set when they had, and named a file value that was not replaced by the
    draw but by their own override."""
    sc, post = files
    child = tmp_path / "child.toml"
    child.write_text(f'extends = "{sc.name}"\nname = "child"\n[behaviour]\n'
                     'attempt_probability = 0.5\n')
    p = posterior.load(post)
    assert p.replaces(child, ["behaviour.attempt_probability=0.4"]) == []
    assert p.replaces(child, ["behaviour={attempt_probability = 0.4}"]) == []  # a table above
    assert p.replaces(child, ["behaviour.discouragement=0.4"]) == [
        f"{child}: behaviour.attempt_probability"]
    base = ["--reps", "1", "--workers", "1", "--posterior", str(post), "--json"]
    assert main(["run", str(child), "--set", "behaviour.attempt_probability=0.4", *base,
                 "--out", str(tmp_path / "r")]) == 0
    assert main(["sweep", str(child), "--param", "behaviour.attempt_probability=0.2:0.4:2",
                 *base, "--out", str(tmp_path / "s")]) == 0
    assert "is fitted by the posterior" not in capsys.readouterr().err
    assert main(["compare", str(sc), str(child), "--set-b", "behaviour.attempt_probability=0.4",
                 *base, "--out", str(tmp_path / "c")]) == 0
    assert "is fitted by the posterior" not in capsys.readouterr().err
