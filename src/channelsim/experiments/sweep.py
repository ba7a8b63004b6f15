"""Sweeps: a scenario run at many points of a parameter space, each point a set of overrides.

`--param KEY=LOW:HIGH:STEPS` spans one dotted scenario key. A grid takes every combination
of STEPS evenly spaced values; a Latin hypercube takes N points that cover each range in N
equal strata, drawn from a seeded generator so the design is reproducible. Whole-number
bounds give whole-number values (for counts such as initial_people). Every point runs on the
same seeds, so differences between points are paired as in `compare`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import Override, ScenarioError

DESIGNS = ("grid", "lhs")
MAX_POINTS = 10_000  # each point is a scenario loaded, planned and run
EXAMPLE = "e.g. sites.calais.officers=200:2000:10"


@dataclass(frozen=True)
class Param:
    key: str
    low: float
    high: float
    steps: int | None
    whole: bool
    text: str  # as typed, KEY=LOW:HIGH:STEPS, for messages about the values it gives


def parse_param(text: str) -> Param:
    """`KEY=LOW:HIGH:STEPS` (STEPS may be left out for a Latin hypercube)."""
    key, sep, spec = text.partition("=")
    key = key.strip()

    def bad(why: str) -> ScenarioError:
        return ScenarioError("--param", [(key or text, f"'{text}': {why}; {EXAMPLE}")])

    parts = spec.split(":")
    if not sep or not key or len(parts) not in (2, 3):
        raise bad("not of the form KEY=LOW:HIGH:STEPS")
    try:
        low, high = (_number(p) for p in parts[:2])
    except ValueError:
        raise bad("LOW and HIGH must be numbers") from None
    if not low < high:
        raise bad("LOW must be below HIGH")
    steps = None
    if len(parts) == 3:
        try:
            steps = int(parts[2])
        except ValueError:
            raise bad("STEPS must be a whole number") from None
        if not 2 <= steps <= MAX_POINTS:
            raise bad(f"STEPS must be from 2 to {MAX_POINTS:,}")
    return Param(key, low, high, steps, isinstance(low, int) and isinstance(high, int), text)


def design(params: list[Param], kind: str, points: int | None = None, seed: int = 0
           ) -> list[dict[str, int | float]]:
    """The design's points, each a {key: value} dict, in a reproducible order."""
    keys = [p.key for p in params]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise ScenarioError("--param", [(k, "given more than once") for k in twice])
    if kind == "grid":
        if points is not None:
            raise ScenarioError("--points", [("", "only a Latin hypercube (--design lhs) "
                                                  "takes a number of points")])
        missing = [p.key for p in params if p.steps is None]
        if missing:
            raise ScenarioError("--param", [(k, f"a grid needs STEPS; {EXAMPLE}") for k in missing])
        _within(math.prod(p.steps for p in params), "--param", "a grid of")
        axes = [_values(p, np.linspace(p.low, p.high, p.steps)) for p in params]
        return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*axes)]
    if kind != "lhs":
        raise ScenarioError("--design", [("", f"'{kind}' is not a design; allowed: "
                                              f"{', '.join(DESIGNS)}")])
    if points is None:
        if any(p.steps is None for p in params):
            raise ScenarioError("--design", [("lhs", "give the number of points with --points, "
                                                     "or STEPS on every --param")])
        points = math.prod(p.steps for p in params)  # the budget of the grid
    _within(points, "--points", "a Latin hypercube of")
    rng = np.random.default_rng(seed)
    columns = []
    for p in params:
        strata = (rng.permutation(points) + rng.random(points)) / points
        columns.append(_values(p, p.low + strata * (p.high - p.low), unique=False))
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def _within(points: int, option: str, what: str) -> None:
    if points > MAX_POINTS:
        raise ScenarioError(option, [("", f"{what} {points:,} points; at most {MAX_POINTS:,} "
                                          "(fewer steps, or --design lhs with --points)")])


def overrides(point: dict[str, int | float], params: Sequence[Param] = ()) -> list[str]:
    """The point as `--set` style overrides; given the sweep's params, a message about one
    names the `--param` it comes from."""
    typed = {p.key: p.text for p in params}
    return [Override(f"{key}={value!r}", "--param", typed[key]) if key in typed
            else f"{key}={value!r}" for key, value in point.items()]


def summary(name: str, kind: str, params: list[Param], seeds: list[int],
            points: list[dict[str, Any]], hashes: list[str], ensembles: list[dict[str, Any]]
            ) -> dict[str, Any]:
    """The sweep's figures: each point's values, scenario hash and ensemble summary."""
    return {
        "scenario": name, "design": kind, "params": [p.key for p in params],
        "reps": len(seeds), "seeds": seeds,
        "points": [{"values": values, "scenario_hash": h, "summary": s}
                   for values, h, s in zip(points, hashes, ensembles, strict=True)],
    }


def _values(p: Param, raw: np.ndarray, unique: bool = True) -> list[int | float]:
    values = [int(v) for v in np.rint(raw)] if p.whole else [float(v) for v in raw]
    return list(dict.fromkeys(values)) if unique else values


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value
