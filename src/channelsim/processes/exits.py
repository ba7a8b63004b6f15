"""Exits from the coast: asylum in France or moving on, more likely after failures and time.

Daily hazard h = base + per_failed_attempt * attempts + per_month_at_coast * months at the coast.
Everyone still waiting has failed every attempt they made, so attempts count failures.
"""

from __future__ import annotations

import numpy as np

from ..population import ExitReason, Status
from .base import Process

DAYS_PER_MONTH = 30.44


class Exits(Process):
    name = "exits"
    site_results = ("exits",)
    streams = ("exit", "exit_reason")

    def step(self, sim) -> None:
        people, day, rng, cfg = sim.people, sim.day, sim.rng, sim.scenario.exits
        if cfg.base_hazard == 0 and cfg.per_failed_attempt == 0 and cfg.per_month_at_coast == 0:
            return
        active = people.active
        waiting = active[people.status[active] == Status.WAITING]
        months = (day - people.arrival_day[waiting]) / DAYS_PER_MONTH
        hazard = (
            cfg.base_hazard
            + cfg.per_failed_attempt * people.attempts[waiting]
            + cfg.per_month_at_coast * months
        )
        leaving = waiting[rng["exit"].uniform(day, waiting) < hazard]
        asylum = rng["exit_reason"].uniform(day, leaving) < cfg.asylum_share
        people.status[leaving] = Status.LEFT
        people.exit_day[leaving] = day
        people.exit_reason[leaving] = np.where(
            asylum, ExitReason.ASYLUM_FRANCE, ExitReason.MOVED_ON
        )
        sim.rec.site["exits"][day] = np.bincount(
            people.site[leaving], minlength=sim.world.n_sites
        )
