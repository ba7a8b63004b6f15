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
    out = policy(a, b)
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
