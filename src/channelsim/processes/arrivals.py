"""Arrivals on the French coast: an inflow series (trend x seasonality) split by origin group."""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..population import N_ACTIVE, N, Status
from ..random import day_base, poisson_on, unit
from ..sampling import pick
from .base import Process
from .learning import newcomer_beliefs

Pars = namedtuple("Pars", ["site_cum", "origin_cum", "minor_share", "risk_exponent",
                           "funds_median", "funds_spread"])


@numba.njit(cache=True, nogil=True)
def newcomers(s, start, stop, day, choose_site) -> None:
    """Attributes of uids start..stop-1 in one pass: site (unless already set), origin group,
    minor, risk tolerance u^(1/m - 1) (in [0, 1], mean m) and log-normal funds (Box-Muller)."""
    p, k, a = s.people, s.keys, s.arrivals
    b_site, b_origin = day_base(k.arrival_site, day), day_base(k.origin, day)
    b_minor, b_risk = day_base(k.minor, day), day_base(k.risk_tolerance, day)
    b_funds, b_funds_2 = day_base(k.funds, day), day_base(k.funds, day, 1)
    for uid in range(start, stop):
        if choose_site:
            p.site[uid] = pick(a.site_cum, unit(uid, b_site))
        p.origin[uid] = pick(a.origin_cum, unit(uid, b_origin))
        p.minor[uid] = unit(uid, b_minor) < a.minor_share
        p.risk_tolerance[uid] = unit(uid, b_risk) ** a.risk_exponent
        if a.funds_median > 0.0:
            z = (np.sqrt(-2.0 * np.log1p(-unit(uid, b_funds)))
                 * np.cos(2.0 * np.pi * unit(uid, b_funds_2)))
            p.funds[uid] = a.funds_median * np.exp(a.funds_spread * z)
    if s.learning.on:
        newcomer_beliefs(s, start, stop)


@numba.njit(cache=True, nogil=True)
def step(s, day) -> bool:
    """Today's newcomers; False (and nothing done) if the columns have no room for them."""
    p, rec = s.people, s.rec
    count = poisson_on(s.keys.arrivals, day, s.world.daily_inflow[day])
    start = p.counts[N]
    if start + count > p.status.shape[0]:
        return False
    for uid in range(start, start + count):
        p.arrival_day[uid] = day
        p.status[uid] = Status.WAITING
        p.active[p.counts[N_ACTIVE]] = uid
        p.counts[N_ACTIVE] += 1
    p.counts[N] += count
    newcomers(s, start, start + count, day, True)
    for uid in range(start, start + count):
        rec.arrivals[day, p.site[uid]] += 1
    return True


class Arrivals(Process):
    name = "arrivals"
    site_results = ("arrivals",)
    streams = ("arrivals", "arrival_site", "origin", "minor", "risk_tolerance", "funds")
    kernel = staticmethod(step)

    def init(self, sim) -> Pars:
        world, sc = sim.world, sim.scenario
        mean = sc.behaviour.risk_tolerance_mean
        return Pars(
            site_cum=np.cumsum(world.arrival_share) / world.arrival_share.sum(),
            origin_cum=np.cumsum(world.origin_share) / world.origin_share.sum(),
            minor_share=float(sc.arrivals.minor_share),
            risk_exponent=1.0 / max(mean, 1e-6) - 1.0,
            funds_median=float(sc.behaviour.funds_median),
            funds_spread=float(sc.behaviour.funds_spread),
        )

    def start(self, sim) -> None:
        """The people at each site on the first day (with beliefs if learning is on)."""
        initial = np.array([s.initial_people for s in sim.scenario.sites.values()])
        uids = sim.people.add(int(initial.sum()), arrival_day=0, status=Status.WAITING,
                              site=np.repeat(np.arange(len(initial)), initial))
        if len(uids):
            newcomers(sim.st, int(uids[0]), int(uids[-1]) + 1, 0, False)
