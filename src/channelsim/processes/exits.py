"""Exits from the coast: asylum in France or moving on, more likely after failures and time.

Daily hazard h = base + per_failed_attempt * attempts + per_month_at_coast * months at the coast.
Everyone still waiting has failed every attempt they made, so attempts count failures.
"""

from __future__ import annotations

import numba
import numpy as np

from ..population import ExitReason, Status
from ..random import unit
from .base import Process

DAYS_PER_MONTH = 30.44


@numba.njit(cache=True, nogil=True)
def _leaving(active, status, attempts, arrival_day, day, base, per_attempt, per_day, key):
    """Waiting people whose exit draw falls below their hazard, in one pass."""
    out = np.empty(active.shape[0], dtype=np.int32)
    k = 0
    for uid in active:
        if status[uid] != 1:  # 1 = Status.WAITING
            continue
        hazard = base + per_attempt * attempts[uid] + per_day * (day - arrival_day[uid])
        if unit(uid, key) < hazard:
            out[k] = uid
            k += 1
    return out[:k]


assert Status.WAITING == 1, "_leaving hard-codes the WAITING code"


class Exits(Process):
    name = "exits"
    site_results = ("exits",)
    streams = ("exit", "exit_reason")

    def step(self, sim) -> None:
        people, day, rng, cfg = sim.people, sim.day, sim.rng, sim.scenario.exits
        if cfg.base_hazard == 0 and cfg.per_failed_attempt == 0 and cfg.per_month_at_coast == 0:
            return
        leaving = _leaving(
            people.active, people.status, people.attempts, people.arrival_day, day,
            cfg.base_hazard, cfg.per_failed_attempt, cfg.per_month_at_coast / DAYS_PER_MONTH,
            rng["exit"].base(day),
        )
        asylum = rng["exit_reason"].below(day, leaving, cfg.asylum_share)
        people.status[leaving] = Status.LEFT
        people.exit_day[leaving] = day
        people.exit_reason[leaving] = np.where(
            asylum, ExitReason.ASYLUM_FRANCE, ExitReason.MOVED_ON
        )
        sim.rec.site["exits"][day] = np.bincount(
            people.site[leaving], minlength=sim.world.n_sites
        )
