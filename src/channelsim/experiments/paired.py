"""Paired comparison: the effect of scenario B against A, run on the same seeds.

Random numbers are drawn per (seed, stream, day, person), so runs of A and B on one seed share
their chance events and differ only through the policy. The effect is the mean of the paired
differences B - A, with a 90% confidence interval from Student's t. For contrast the same runs
also give the interval an unpaired design would have had, and the variance reduction
Var(a) + Var(b) over Var(b - a): how many times more unpaired runs the same precision needs.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine import run
from ..scenario import Scenario
from ..world import main_site
from .ensemble import combine
from .policy import policy
from .stats import t_quantile


def compare(a: list[dict[str, Any]], b: list[dict[str, Any]], main: str) -> dict[str, Any]:
    """Effects of B against A from run summaries, a[i] and b[i] from the same seed; `main`:
    A's main site, for the policy figures."""
    if [s["seed"] for s in a] != [s["seed"] for s in b]:
        raise ValueError("the runs of A and B must be on the same seeds, in the same order")
    effects: dict[str, dict[str, Any]] = {}
    for section, first_a in a[0].items():
        first_b = b[0].get(section)
        if not isinstance(first_a, dict) or not isinstance(first_b, dict):
            continue
        figures = {}
        for key in (k for k in first_a if k in first_b):
            pairs = [(x[section][key], y[section][key]) for x, y in zip(a, b, strict=True)]
            if not all(_number(v) or v is None for pair in pairs for v in pair):
                continue  # dates of peaks and the like
            present = [(x, y) for x, y in pairs if x is not None and y is not None]
            figures[key] = effect([x for x, _ in present], [y for _, y in present]) \
                if present else None
        effects[section] = figures
    return {"a": combine(a), "b": combine(b), "reps": len(a), "seeds": [s["seed"] for s in a],
            "effects": effects, "policy": policy(a, b, main)}


def compare_scenarios(a: Scenario, b: Scenario, reps: int = 10, seed: int = 0) -> dict[str, Any]:
    """Paired runs of two scenarios on seeds seed..seed+reps-1, in this process: the effect
    of B against A on every figure (the Python form of `channelsim compare`)."""
    seeds = range(seed, seed + reps)
    return compare([run(a, seed=s).summary() for s in seeds],
                   [run(b, seed=s).summary() for s in seeds], main_site(a))


def effect(a: list[float], b: list[float]) -> dict[str, Any]:
    """Means of A and B, the mean paired effect B - A, and the 90% intervals paired and not."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = y - x
    n, mean = len(d), float(d.mean())
    out: dict[str, Any] = {"a": float(x.mean()), "b": float(y.mean()), "effect": mean,
                           "ci90": None, "unpaired_ci90": None, "variance_reduction": None}
    if n < 2:
        return out
    var_paired = float(d.var(ddof=1))
    var_unpaired = float(x.var(ddof=1) + y.var(ddof=1))
    half = t_quantile(0.95, n - 1) * math.sqrt(var_paired / n)
    half_unpaired = t_quantile(0.95, 2 * n - 2) * math.sqrt(var_unpaired / n)
    out["ci90"] = [mean - half, mean + half]
    out["unpaired_ci90"] = [mean - half_unpaired, mean + half_unpaired]
    if var_paired > 0:
        out["variance_reduction"] = var_unpaired / var_paired
    return out


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
