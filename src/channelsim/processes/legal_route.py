"""A safe legal route: each month a quota of eligible people waiting on the coast go to the UK.

On the first day of a month with a quota Q, up to Q people who are waiting at any site and
eligible (of an eligible origin, and within the eligible share: a person's eligibility is
drawn once, as it does not change) are taken to the UK, the first Q in a random queue. They
leave the coast with the reason LEGAL_ROUTE; their irregular crossings never happen, so the
irregular crossings fall by at most Q a month.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..population import N_ACTIVE, ExitReason, Status
from ..random import day_base, unit
from ..sampling import stable_order
from ..world import resolve
from .base import Process

Pars = namedtuple("Pars", ["quota", "eligible_origin", "eligible_share"])


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    cfg, p, rec = s.legal_route, s.people, s.rec
    quota = cfg.quota[day]
    if quota <= 0:
        return
    b_eligible, b_queue = day_base(s.keys.legal_eligible, 0), day_base(s.keys.legal_queue, day)
    waiting = np.empty(p.counts[N_ACTIVE], dtype=np.int64)
    queue = np.empty(p.counts[N_ACTIVE])
    n = 0
    for uid in p.active[: p.counts[N_ACTIVE]]:
        if (p.status[uid] == Status.WAITING and cfg.eligible_origin[p.origin[uid]]
                and unit(uid, b_eligible) < cfg.eligible_share):
            waiting[n], queue[n] = uid, unit(uid, b_queue)
            n += 1
    order = stable_order(queue[:n])
    for q in order[: min(quota, n)]:
        uid = waiting[q]
        p.status[uid] = Status.LEFT
        p.exit_day[uid] = day
        p.exit_reason[uid] = ExitReason.LEGAL_ROUTE
        rec.legal_arrivals[day, p.site[uid]] += 1


class LegalRoute(Process):
    name = "legal_route"
    site_results = ("legal_arrivals",)
    streams = ("legal_eligible", "legal_queue")
    kernel = staticmethod(step)

    def init(self, sim) -> Pars:
        world, cfg = sim.world, sim.scenario.legal_route
        quota = np.zeros(world.n_days, dtype=np.int64)
        if cfg is not None:
            first_of_month = world.dates.astype("datetime64[D]") == world.dates.astype(
                "datetime64[M]").astype("datetime64[D]")
            monthly = np.floor(resolve(cfg.quota_per_month, world.dates)).astype(np.int64)
            quota[first_of_month] = monthly[first_of_month]
        origins = cfg.origins if cfg and cfg.origins else world.origin_ids
        return Pars(
            quota=quota,
            eligible_origin=np.array([o in origins for o in world.origin_ids], dtype=np.bool_),
            eligible_share=float(cfg.eligible_share) if cfg else 0.0,
        )
