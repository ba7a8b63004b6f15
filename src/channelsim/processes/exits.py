"""Exits from the coast: asylum in France or moving on, more likely after failures and time.

Daily hazard h = base + per_failed_attempt * attempts + per_month_at_coast * months at the coast.
Everyone still waiting has failed every attempt they made, so attempts count failures. Of h, a
share (`asylum_share`, dated) is asylum in France and the rest moving on; faster French asylum
(`asylum_speed`, dated) multiplies the asylum part, so more leave and more of them claim asylum.
The rule is applied to each waiting person at the end of the day, in the pass over everyone
that also counts the day (day_end.py), so this process has no kernel of its own.
"""

from __future__ import annotations

from collections import namedtuple

import numba

from ..population import ExitReason
from .base import Process

DAYS_PER_MONTH = 30.44

Pars = namedtuple("Pars", ["on", "base", "per_attempt", "per_day"])


@numba.njit(cache=True, nogil=True)
def hazard(cfg: Pars, attempts, days_at_coast) -> float:
    return cfg.base + cfg.per_attempt * attempts + cfg.per_day * days_at_coast


@numba.njit(cache=True, nogil=True)
def today(w, day) -> tuple[float, float]:
    """(factor on h, share of leavers claiming asylum) for the day: asylum h * share * speed,
    moving on h * (1 - share)."""
    asylum = w.asylum_share[day] * w.asylum_speed[day]
    factor = asylum + 1.0 - w.asylum_share[day]
    return factor, asylum / factor if factor > 0 else 0.0


@numba.njit(cache=True, nogil=True)
def reason(asylum_share: float, u: float) -> int:
    return ExitReason.ASYLUM_FRANCE if u < asylum_share else ExitReason.MOVED_ON


class Exits(Process):
    name = "exits"
    site_results = ("exits",)
    streams = ("exit", "exit_reason")
    kernel = None

    def init(self, sim) -> Pars:
        cfg = sim.scenario.exits
        return Pars(
            on=bool(cfg.base_hazard or cfg.per_failed_attempt or cfg.per_month_at_coast),
            base=float(cfg.base_hazard), per_attempt=float(cfg.per_failed_attempt),
            per_day=cfg.per_month_at_coast / DAYS_PER_MONTH,
        )
