"""The best monthly ARD a model blind to each month's weather could reach on small-boat arrivals.

The model draws each day's sea state at random (routes.*.sea_viable), so its runs' mean is a
smooth yearly level times a seasonal shape. This script scores an oracle of that form against
the observed months: it knows each year's observed total exactly and spreads it by the
observed mean share of each month (the shape from the other years, so it is not fitted to the
year it scores, and, as a second line, from all years). No model of this form does better than
the oracle except by luck, which puts a floor under the ARD goal of issue 12.

    .venv/bin/python benchmarks/ard_floor.py [--first 2018] [--last 2022]
"""

from __future__ import annotations

import argparse

import numpy as np

from channelsim.analysis import observed, scores


def oracle(table: np.ndarray, leave_out: bool) -> np.ndarray:
    """`table` is [year, month] of observed counts; each year's total spread by the mean
    monthly share of the other years (or of all years)."""
    totals = table.sum(axis=1, keepdims=True)
    shares = table / totals
    fit = np.empty_like(table, dtype=float)
    for y in range(len(table)):
        pool = np.delete(shares, y, axis=0) if leave_out else shares
        shape = pool.mean(axis=0)
        fit[y] = totals[y] * shape / shape.sum()
    return fit


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first", type=int, default=2018)
    ap.add_argument("--last", type=int, default=2022)
    a = ap.parse_args()
    rows = observed.points("small_boat_arrivals_monthly", a.first, a.last)
    years = sorted(rows["start"].dt.year.unique())
    table = rows.pivot_table(index=rows["start"].dt.year, columns=rows["start"].dt.month,
                             values="value").reindex(years).to_numpy(float)
    if np.isnan(table).any():
        raise SystemExit("a year in the range lacks a month: pick whole years")
    print(f"small_boat_arrivals_monthly {a.first}-{a.last}, {table.size} months")
    for leave_out, label in [(True, "shape from the other years"), (False, "shape from all years")]:
        fit = oracle(table, leave_out)
        by_year = ", ".join(f"{y} {scores.ard(fit[None, i], table[i]):.2f}"
                            for i, y in enumerate(years))
        whole = scores.ard(fit.reshape(1, -1), table.ravel())
        print(f"oracle ARD ({label}): {whole:.2f}  ({by_year})")

if __name__ == "__main__":
    main()
