"""The policy figures of a paired comparison (experiments/policy.py), on constructed runs whose
answer is known, and through `channelsim compare --json`."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from channelsim import cli
from channelsim.experiments.paired import t_quantile
from channelsim.experiments.policy import policy, ratio

from .test_cli import _tiny_file

DUNKIRK = ('[sites.dunkirk]\nname = "Dunkirk"\nlat = 51.0\nlon = 2.3\nofficers = 50\n'
           '[routes.dunkirk_ferry]\nsite = "dunkirk"\nmode = "lorry_ferry"\nopportunities = 10\n')


def summary(crossings: dict[str, float], cost: float) -> dict:
    return {"scorecard": {"crossings": sum(crossings.values()), "public_cost": cost},
            "crossings_by_site": crossings}


def test_displacement_share_and_cost_per_crossing_on_a_constructed_case():
    """Calais falls by 100 (+-10 by seed), Dunkirk rises by 30 (+-5): the share is 0.3; each
    prevented crossing (70 a seed) costs the 7,000 extra: 100."""
    falls, rises = [90, 110, 95, 105], [25, 35, 30, 30]
    a = [summary({"calais": 1000, "dunkirk": 200}, 1e6) for _ in falls]
    b = [summary({"calais": 1000 - f, "dunkirk": 200 + r}, 1e6 + 100 * (f - r))
         for f, r in zip(falls, rises, strict=True)]
    out = policy(a, b, "calais")
    assert out["main_site"] == "calais"
    share = out["displacement_share"]
    assert share["estimate"] == pytest.approx(0.3)
    lo, hi = share["ci90"]
    assert lo < 0.3 < hi
    # the delta method written out for this case
    u, v = np.array(rises, float), np.array(falls, float)
    r = u.mean() / v.mean()
    var = (u.var(ddof=1) - 2 * r * np.cov(u, v)[0, 1] + r * r * v.var(ddof=1)) / len(u)
    half = t_quantile(0.95, len(u) - 1) * math.sqrt(var) / v.mean()
    assert (lo, hi) == pytest.approx((r - half, r + half))
    cost = out["cost_per_prevented_crossing"]
    assert cost["estimate"] == pytest.approx(100.0)
    assert cost["ci90"] == pytest.approx([100.0, 100.0])  # cost exactly 100 x prevented


def test_the_main_site_is_the_one_given_not_the_one_that_fell_most():
    """Dunkirk falls by 100 and Calais by 10 a seed: the displacement is still over Calais's
    fall, the rise elsewhere being Dunkirk's -100 and Ouistreham's +5."""
    a = [summary({"calais": 1000, "dunkirk": 500, "ouistreham": 10}, 1e6) for _ in range(3)]
    b = [summary({"calais": 990 - i, "dunkirk": 400, "ouistreham": 15}, 1e6) for i in range(3)]
    out = policy(a, b, "calais")
    assert out["main_site"] == "calais"
    assert out["displacement_share"]["estimate"] == pytest.approx(-95 / 11)
    assert "over the fall at calais" in out["displacement_share"]["denominator"]


def test_compare_takes_the_scenarios_main_site(tmp_path, capsys):
    """The tiny scenario with a second site declares no main site: its first, calais.
    Declared dunkirk, it is dunkirk, though B's officers make calais's crossings fall most."""
    path = _tiny_file(tmp_path)
    path.write_text(path.read_text() + DUNKIRK)
    args = ["--set-b", "sites.calais.officers=400", "--reps", "2", "--workers", "1", "--json"]
    for declared, main in ((None, "calais"), ("dunkirk", "dunkirk")):
        more = ["--set", f"main_site={declared}"] if declared else []
        assert cli.main(["compare", str(path), str(path), *more, *args,
                         "--out", str(tmp_path / main)]) == 0
        assert json.loads(capsys.readouterr().out)["policy"]["main_site"] == main


def test_undefined_ratios_say_why():
    assert ratio([1, 2], [0, 0], "d", "no crossings prevented") == {
        "estimate": None, "ci90": None, "reason": "no crossings prevented", "denominator": "d"}
    noisy = ratio([1, 1, 1], [10, -9, 2], "d", "nothing fell")
    assert noisy["estimate"] == pytest.approx(1.0) and noisy["ci90"] is None
    assert "includes zero" in noisy["reason"]
    assert ratio([1], [2], "d", "x")["reason"] == "one replicate: no interval"


def test_compare_json_has_the_policy_figures_and_run_json_the_crossings_by_mode_by_year(
        tmp_path, capsys):
    path = _tiny_file(tmp_path)
    assert cli.main(["compare", str(path), str(path), "--set-b", "sites.calais.officers=400",
                     "--reps", "3", "--workers", "1", "--json",
                     "--out", str(tmp_path / "c")]) == 0
    got = json.loads(capsys.readouterr().out)
    for name in ("cost_per_prevented_crossing", "displacement_share"):
        assert {"estimate", "ci90", "reason"} <= set(got["policy"][name])
    assert cli.main(["run", str(path), "--json", "--out", str(tmp_path / "r")]) == 0
    run = json.loads(capsys.readouterr().out)
    by_year = run["crossings_by_mode_by_year"]
    assert sum(sum(years.values()) for years in by_year.values()) == pytest.approx(
        run["scorecard"]["crossings"])  # bookkeeping
