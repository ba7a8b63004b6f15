"""A calibration's posterior in every experiment: replicate i runs posterior draw i with seed i,
in every arm of a comparison, so intervals carry the parameters' uncertainty as well as chance.

Draw i is picked by weight from a stream of (calibration seed, i) alone, and years past the
fitted inflow walk walk on from a stream of the same, so replicate i is the same whatever the
number of replicates and in whichever experiment it appears.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .. import scenario
from ..scenario import ScenarioError

STREAM = 0x9057E  # the posterior's own stream, apart from the calibration's and every run's
NONE = "none"
CHANCE_ONLY = "chance only"


@dataclass(frozen=True)
class Posterior:
    path: str
    names: tuple[str, ...]
    draws: np.ndarray  # [particle, parameter], external scale
    weights: np.ndarray
    seed: int  # the calibration's

    def index(self, i: int) -> int:
        """The particle replicate i uses."""
        u = np.random.default_rng([self.seed, STREAM, i]).random()
        return min(int(np.searchsorted(np.cumsum(self.weights), u, side="right")),
                   len(self.weights) - 1)

    def draw(self, i: int) -> dict[str, float]:
        return dict(zip(self.names, self.draws[self.index(i)].tolist(), strict=True))

    def scenario(self, name_or_path: str | Path, overrides: list[str], i: int,
                 end: str | None = None) -> scenario.Scenario:
        """The scenario at draw i; `--set` overrides come after the draw, so a lever set on
        the command line is never replaced by it."""
        from .scenario_fit import set_draw  # the calibration code, only when a posterior is used

        path = scenario.resolve_path(name_or_path)
        source = str(path)
        raw = scenario.read_raw(path)
        if end is not None:
            raw["end"] = end
        inflow = raw.get("calibration", {}).get("inflow", {})
        walk_on = np.random.default_rng([self.seed, STREAM, i, 1])
        set_draw(raw, source, self.names, self.draws[self.index(i)], walk_on,
                 inflow.get("max_level"))
        for item in overrides:
            scenario.apply_override(raw, item, source)
        return scenario.from_dict(raw, source)

    def replaces(self, name_or_path: str | Path, overrides: Sequence[str] = ()) -> list[str]:
        """The fitted parameters that a file of the user's (or a file it extends) sets itself:
        each draw replaces them, which a file written to hold one fixed would not expect. A
        key an override sets (or a table above it) is left out: the override comes after the
        draw, so neither the draw nor the file's value is run."""
        keys = [n for n in self.names if not n.startswith("inflow.")]
        if any(n.startswith("inflow.") for n in self.names):
            keys.append("arrivals.per_year")  # the walk replaces it
        keys = [k for k in keys if not any(scenario.near(k, item) for item in overrides)]
        found: list[str] = []
        if not scenario.is_path(name_or_path):
            return found  # a bundled scenario's own values are the priors' hand-set ones
        path = scenario.resolve_path(name_or_path)
        for _ in range(scenario.MAX_EXTENDS):
            own = tomllib.loads(path.read_text(encoding="utf-8"))  # read_raw checked it
            found += [f"{path}: {key}" for key in keys if scenario.value_at(own, key) is not None]
            parent = own.get("extends")
            if not isinstance(parent, str) or not scenario.is_path(parent):
                break  # the chain ends, or goes on into bundled scenarios
            path = scenario.parent_of(path, parent)
        return found

    def describe(self, n: int) -> str:
        from ..report_text import counted

        return f"chance and parameters (posterior {self.path}, {counted(n, 'draw')})"


def bundled(name_or_path: str | Path) -> Path | None:
    """The posterior a bundled scenario ships (scenarios/NAME.posterior.json), if any."""
    if scenario.is_path(name_or_path):
        return None
    path = resources.files("channelsim") / "scenarios" / f"{name_or_path}.posterior.json"
    return Path(str(path)) if path.is_file() else None


def choose(option: str | None, name_or_path: str | Path) -> Posterior | None:
    """`--posterior`: a file, `none`, or (not given) the bundled scenario's own if it ships
    one."""
    if option is not None and option.strip().lower() == NONE:
        return None
    path = Path(option) if option is not None else bundled(name_or_path)
    return load(path) if path is not None else None


def load(path: Path) -> Posterior:
    """A posterior.json as `channelsim calibrate` writes it; bad files name what is wrong."""
    def bad(problem: str) -> ScenarioError:
        return ScenarioError("--posterior", [(str(path)[:200], problem)],
                             "cannot use the posterior")

    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise bad("no such file; give a posterior.json written by `channelsim calibrate`, "
                  "or `none` for chance only") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(f"cannot be read as JSON ({exc})") from None
    try:
        names = tuple(str(n) for n in data["names"])
        draws = np.asarray(data["draws"], dtype=float)
        weights = np.asarray(data["weights"], dtype=float)
        seed = int(data["settings"]["seed"])
    except (TypeError, KeyError, ValueError) as exc:
        raise bad(f"is not a calibration's posterior (needs names, draws, weights and "
                  f"settings.seed; {type(exc).__name__}: {exc})") from None
    if draws.ndim != 2 or draws.shape != (len(weights), len(names)) or not len(weights):
        raise bad(f"draws must be a table of {len(weights)} particles by {len(names)} "
                  f"parameters, got shape {draws.shape}")
    if not (np.isfinite(draws).all() and np.isfinite(weights).all() and (weights >= 0).all()
            and weights.sum() > 0):
        raise bad("draws and weights must be finite and the weights non-negative, not all 0")
    return Posterior(str(path), names, draws, weights / weights.sum(), seed)
