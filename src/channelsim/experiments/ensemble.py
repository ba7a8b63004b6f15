"""Replicates of one scenario over consecutive seeds, summarised with 90% intervals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine import run
from ..results import Results
from ..scenario import Scenario

IDENTITY_KEYS = ("scenario", "scenario_hash", "version", "start", "end")


def run_ensemble(
    scenario: Scenario,
    seed: int = 0,
    reps: int = 1,
    debug: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[Results]:
    """Run seeds seed, seed+1, ... seed+reps-1 one after the other."""
    results = []
    n_days = (scenario.end - scenario.start).days + 1
    for i in range(reps):
        def tick(done: int, total: int, i: int = i) -> None:
            if progress is not None:
                progress(i * n_days + done, reps * n_days)

        results.append(run(scenario, seed=seed + i, debug=debug, progress=tick))
    return results


def summarise(runs: list[Results]) -> dict[str, Any]:
    """One run: its summary. Several: every figure as mean and 5th/95th percentiles."""
    return combine([r.summary() for r in runs])


def combine(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """`summarise` from the runs' summaries (as the results store keeps them)."""
    if len(summaries) == 1:
        return summaries[0] | {"reps": 1}
    first = summaries[0]
    out: dict[str, Any] = {k: first[k] for k in IDENTITY_KEYS}
    out["seeds"] = [s["seed"] for s in summaries]
    # each run's, seed by seed: at posterior draws every replicate is a scenario of its own
    out["scenario_hashes"] = [s["scenario_hash"] for s in summaries]
    out["reps"] = len(summaries)
    for key, value in first.items():
        if isinstance(value, dict):
            out[key] = _combine([s[key] for s in summaries])
    return out


def _combine(dicts: list[dict[str, Any]]) -> dict[str, Any]:
    out = {}
    for key in dicts[0]:
        values = [d.get(key) for d in dicts]
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            arr = np.asarray(values, dtype=float)
            lo, hi = np.percentile(arr, [5, 95])
            out[key] = {"mean": float(arr.mean()), "p05": float(lo), "p95": float(hi)}
        elif all(isinstance(v, dict) for v in values):  # site -> year -> count and the like
            out[key] = _combine(values)
        elif all(isinstance(v, int | float | type(None)) for v in values):
            present = [v for v in values if v is not None]
            out[key] = _combine([{key: v} for v in present])[key] if present else None
        else:
            out[key] = values  # dates of peaks and the like: one per run
    return out
