"""Global sensitivity with SALib: Morris screening (elementary effects), then Sobol first- and
total-order indices with bootstrap confidence intervals, over named parameters with bounds.

`model` maps a design (rows of parameter values) to outputs (rows of figures), so a scenario's
design can run its rows with shared seeds and a test can pass a function with known indices.
SALib is imported here, not at start-up.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Model = Callable[[np.ndarray], np.ndarray]  # [rows, parameters] -> [rows, outputs]


def _problem(names: list[str], bounds: list[tuple[float, float]]) -> dict:
    for name, (low, high) in zip(names, bounds, strict=True):
        if not low < high:
            raise ValueError(f"{name}: low ({low}) must be below high ({high})")
    return {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}


def _outputs(model: Model, x: np.ndarray) -> np.ndarray:
    y = np.asarray(model(x), dtype=float)
    return y[:, None] if y.ndim == 1 else y


def morris(names: list[str], bounds: list[tuple[float, float]], model: Model,
           trajectories: int = 20, levels: int = 4, seed: int = 0) -> list[dict[str, dict]]:
    """Per output: name -> {mu_star, mu_star_conf, sigma}."""
    x = morris_design(names, bounds, trajectories, levels, seed)
    return morris_indices(names, bounds, x, _outputs(model, x), levels, seed)


def morris_design(names: list[str], bounds: list[tuple[float, float]], trajectories: int = 20,
                  levels: int = 4, seed: int = 0) -> np.ndarray:
    from SALib.sample import morris as sample

    return sample.sample(_problem(names, bounds), trajectories, num_levels=levels, seed=seed)


def morris_indices(names: list[str], bounds: list[tuple[float, float]], x: np.ndarray,
                   y: np.ndarray, levels: int = 4, seed: int = 0) -> list[dict[str, dict]]:
    """The indices of a design's outputs `y` ([rows] or [rows, outputs])."""
    from SALib.analyze import morris as analyze

    problem = _problem(names, bounds)
    y = y[:, None] if y.ndim == 1 else y
    out = []
    for k in range(y.shape[1]):
        res = analyze.analyze(problem, x, y[:, k], num_levels=levels, seed=seed)
        out.append({n: {"mu_star": float(res["mu_star"][i]),
                        "mu_star_conf": float(res["mu_star_conf"][i]),
                        "sigma": float(res["sigma"][i])} for i, n in enumerate(names)})
    return out


def sobol(names: list[str], bounds: list[tuple[float, float]], model: Model, n: int = 1024,
          seed: int = 0) -> list[dict[str, dict]]:
    """Per output: name -> {S1, S1_conf, ST, ST_conf} (conf: 95% bootstrap half-widths)."""
    x = sobol_design(names, bounds, n, seed)
    return sobol_indices(names, bounds, _outputs(model, x), seed)


def sobol_design(names: list[str], bounds: list[tuple[float, float]], n: int = 1024,
                 seed: int = 0) -> np.ndarray:
    """Saltelli's rows for first and total order: n * (parameters + 2)."""
    from SALib.sample import sobol as sample

    return sample.sample(_problem(names, bounds), n, calc_second_order=False, seed=seed)


def sobol_indices(names: list[str], bounds: list[tuple[float, float]], y: np.ndarray,
                  seed: int = 0) -> list[dict[str, dict]]:
    from SALib.analyze import sobol as analyze

    problem = _problem(names, bounds)
    y = y[:, None] if y.ndim == 1 else y
    out = []
    for k in range(y.shape[1]):
        res = analyze.analyze(problem, y[:, k], calc_second_order=False, seed=seed)
        out.append({name: {key: float(res[key][i]) for key in ("S1", "S1_conf", "ST", "ST_conf")}
                    for i, name in enumerate(names)})
    return out


def ranked(indices: dict[str, dict], key: str) -> list[str]:
    """Parameter names, most influential first."""
    return sorted(indices, key=lambda n: -indices[n][key])
