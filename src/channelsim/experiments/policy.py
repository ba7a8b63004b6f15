"""The policy figures of a paired comparison: what a prevented crossing costs the public, and
how much of the main site's fall in crossings reappears at the other sites.

Each is a ratio of paired mean differences, R = mean(u) / mean(v), u and v taken seed by seed.
Its 90% interval is the delta method's,
    Var(R) ~ (Var(u) - 2 R Cov(u, v) + R^2 Var(v)) / (n mean(v)^2),
with Student's t at n - 1 degrees of freedom. A ratio over a fall that may not be there means
nothing: when the denominator's own 90% interval includes zero the interval is left out, and
when its mean is not positive so is the estimate, each with the reason.
"""

from __future__ import annotations

import math
from typing import Any

from .stats import t_quantile


def policy(a: list[dict[str, Any]], b: list[dict[str, Any]], main: str) -> dict[str, Any]:
    """cost_per_prevented_crossing and displacement_share of B against A, from run summaries
    a[i] and b[i] on the same seed. `main` is A's main site (`world.main_site`), the one its
    scorecard's share_displaced is measured from, whether or not its crossings fall most."""
    prevented = [x["scorecard"]["crossings"] - y["scorecard"]["crossings"]
                 for x, y in zip(a, b, strict=True)]
    extra_cost = [y["scorecard"]["public_cost"] - x["scorecard"]["public_cost"]
                  for x, y in zip(a, b, strict=True)]
    sites = list(a[0]["crossings_by_site"])

    def fall(site: str) -> list[float]:
        return [x["crossings_by_site"][site] - y["crossings_by_site"][site]
                for x, y in zip(a, b, strict=True)]

    elsewhere = [-sum(fall(s)[i] for s in sites if s != main) for i in range(len(a))]
    return {
        "main_site": main,
        "cost_per_prevented_crossing": ratio(
            extra_cost, prevented, "public cost difference B - A over crossings prevented",
            "no crossings prevented"),
        "displacement_share": ratio(
            elsewhere, fall(main), f"rise in crossings at the other sites over the fall at {main}",
            f"crossings at {main} did not fall"),
    }


def ratio(u: list[float], v: list[float], denominator: str, undefined: str) -> dict[str, Any]:
    """mean(u) / mean(v) with its delta-method 90% interval, or the reason it has none."""

    n = len(v)
    mu, mv = sum(u) / n, sum(v) / n
    out: dict[str, Any] = {"estimate": None, "ci90": None, "reason": None,
                           "denominator": denominator}
    if mv <= 0:
        out["reason"] = undefined
        return out
    r = mu / mv
    out["estimate"] = r
    if n < 2:
        out["reason"] = "one replicate: no interval"
        return out
    var_u = sum((x - mu) ** 2 for x in u) / (n - 1)
    var_v = sum((y - mv) ** 2 for y in v) / (n - 1)
    cov = sum((x - mu) * (y - mv) for x, y in zip(u, v, strict=True)) / (n - 1)
    t = t_quantile(0.95, n - 1)
    if mv - t * math.sqrt(var_v / n) <= 0:
        out["reason"] = f"{undefined} significantly (its 90% interval includes zero)"
        return out
    half = t * math.sqrt(max(var_u - 2 * r * cov + r * r * var_v, 0.0) / n) / mv
    out["ci90"] = [r - half, r + half]
    return out
