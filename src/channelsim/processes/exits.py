"""Exits from the coast: asylum in France or moving on, more likely after failures and time.

Daily hazard h = base + per_failed_attempt * attempts + per_month_at_coast * months at the coast.
Everyone still waiting has failed every attempt they made, so attempts count failures.
"""

from __future__ import annotations

from collections import namedtuple

import numba

from ..population import N_ACTIVE, ExitReason, Status
from ..random import day_base, unit
from .base import Process

DAYS_PER_MONTH = 30.44

Pars = namedtuple("Pars", ["on", "base", "per_attempt", "per_day", "asylum_share"])


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    cfg, p, rec = s.exits, s.people, s.rec
    if not cfg.on:
        return
    b_exit, b_reason = day_base(s.keys.exit, day), day_base(s.keys.exit_reason, day)
    for uid in p.active[: p.counts[N_ACTIVE]]:
        if p.status[uid] != Status.WAITING:
            continue
        hazard = (cfg.base + cfg.per_attempt * p.attempts[uid]
                  + cfg.per_day * (day - p.arrival_day[uid]))
        if unit(uid, b_exit) >= hazard:
            continue
        p.status[uid] = Status.LEFT
        p.exit_day[uid] = day
        asylum = unit(uid, b_reason) < cfg.asylum_share
        p.exit_reason[uid] = ExitReason.ASYLUM_FRANCE if asylum else ExitReason.MOVED_ON
        rec.exits[day, p.site[uid]] += 1


class Exits(Process):
    name = "exits"
    site_results = ("exits",)
    streams = ("exit", "exit_reason")
    kernel = staticmethod(step)

    def init(self, sim) -> Pars:
        cfg = sim.scenario.exits
        return Pars(
            on=bool(cfg.base_hazard or cfg.per_failed_attempt or cfg.per_month_at_coast),
            base=float(cfg.base_hazard), per_attempt=float(cfg.per_failed_attempt),
            per_day=cfg.per_month_at_coast / DAYS_PER_MONTH,
            asylum_share=float(cfg.asylum_share),
        )
