"""Student's t without scipy: the one quantile a 90% interval needs."""

from __future__ import annotations

import functools
import math


@functools.cache  # every figure of a comparison asks for the same one or two
def t_quantile(p: float, df: int) -> float:
    """The p-quantile (p >= 0.5) of Student's t, by bisection on its exact distribution
    function (no scipy needed for one number)."""
    lo, hi = 0.0, 1.0
    while _t_cdf(hi, df) < p:
        lo, hi = hi, 2 * hi
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _t_cdf(mid, df) < p else (lo, mid)
    return (lo + hi) / 2


def _t_cdf(t: float, df: int) -> float:
    """P(T <= t) for t >= 0 and whole df: the finite series of Abramowitz and Stegun 26.7.3-4."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2:
        term, total = math.cos(theta), 0.0
        for j in range(1, (df - 1) // 2 + 1):
            total += term
            term *= c2 * 2 * j / (2 * j + 1)
        inside = (2 / math.pi) * (theta + math.sin(theta) * total)
    else:
        term, total = 1.0, 0.0
        for j in range(1, df // 2 + 1):
            total += term
            term *= c2 * (2 * j - 1) / (2 * j)
        inside = math.sin(theta) * total
    return (1 + inside) / 2
