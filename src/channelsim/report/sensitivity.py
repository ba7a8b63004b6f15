"""A sensitivity analysis in the report: per scorecard figure, the parameters ranked by their
index with its 95% interval, as forest plots for the headline figures and one table for all."""

from __future__ import annotations

from typing import Any

from .figures import Figure, Forest, Table, fmt
from .load import Experiment

HEADLINE = ("crossings", "attempts", "interceptions", "deaths", "peak_present",
            "public_cost", "smuggler_revenue", "share_displaced")
MEANING = {
    "mu_star": "Morris mu*: the mean absolute elementary effect, scaled to the parameter's "
               "whole range (log range for a log scale): about how much the figure moves, in "
               "its own units, from the range's low end to its high end; sigma large beside it "
               "means interactions or a bend",
    "ST": "Sobol total order: the share of the figure's variance over the parameters' ranges "
          "that goes with this parameter, alone and with others (0 to 1)",
}


def figures(exp: Experiment) -> list[Figure]:
    s = exp.summary
    measure = s["measure"]
    note = (f"{MEANING[measure]}. Bars: {s['interval']}, over the design only: its "
            f"{s['rows']} rows all ran the same {s['reps']} seed(s) "
            f"({', '.join(map(str, s['seeds']))}), each row's figure the mean over them.")
    out: list[Figure] = [_ranges(s)]
    for figure in [f for f in HEADLINE if f in s["indices"]]:
        items = s["indices"][figure]
        out.append(Forest(f"Sensitivity of {figure} ({s['method']}, {measure})", measure,
                          [i["parameter"] for i in items], [i[measure] for i in items],
                          [i["low"] for i in items], [i["high"] for i in items], note=note))
    rows = [[figure, str(i["rank"]), i["parameter"], fmt(i[measure]),
             f"{fmt(i['low'])} to {fmt(i['high'])}"]
            for figure, items in s["indices"].items() for i in items]
    left = (f" Not varied by these parameters, so without an index: "
            f"{', '.join(s['constant'])}." if s["constant"] else "")
    out.append(Table(f"Every scorecard figure's parameters, ranked by {measure}",
                     ["figure", "rank", "parameter", measure, "95% interval"], rows,
                     note=note + left))
    return out


def _ranges(s: dict[str, Any]) -> Table:
    rows = [[p["key"], fmt(p["low"]), fmt(p["high"]), p["scale"]] for p in s["parameters"]]
    return Table(f"Parameters varied ({s['method']}, n = {s['n']}, {s['rows']} design rows)",
                 ["parameter", "low", "high", "scale"], rows,
                 note="the ranges of the scenario's [calibration] priors (normal: mean +- 2 "
                      "sd); log scale: sampled evenly in the logarithm")
