"""Arrivals on the French coast: an inflow series (trend x seasonality) split by origin group.

The UK's pull scales the day's inflow by multiplier * (recent success / reference)^elasticity,
so that a claim about pull is a parameter to test. Newcomers of one origin reaching a site on
the same day form groups (about `group_size` people each), which decide, choose a route and
board together from then on.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..population import N_ACTIVE, N, Status
from ..random import day_base, poisson_on, unit
from ..sampling import geometric_at_least_1, pick
from .base import Process
from .learning import newcomer_beliefs

Pars = namedtuple("Pars", ["site_cum", "origin_cum", "minor_share", "risk_exponent",
                           "funds_median", "funds_spread", "group_size", "open_group",
                           "open_places", "pull", "recent"])
# pull: (multiplier, elasticity, reference success, daily smoothing); recent: smoothed
# (crossings, attempts) a day


@numba.njit(cache=True, nogil=True)
def pull_factor(s, day) -> float:
    """How many times the scheduled inflow arrives today: the UK's pull, updated with
    yesterday's success per attempt (at the reference success on the first day)."""
    a, rec = s.arrivals, s.rec
    multiplier, elasticity, reference, smoothing = a.pull[0], a.pull[1], a.pull[2], a.pull[3]
    if elasticity == 0.0:
        return multiplier
    if day > 0:
        a.recent[0] += smoothing * (rec.crossings[day - 1].sum() - a.recent[0])
        a.recent[1] += smoothing * (rec.attempts[day - 1].sum() - a.recent[1])
    return multiplier * (a.recent[0] / max(a.recent[1], 1e-9) / reference) ** elasticity


@numba.njit(cache=True, nogil=True)
def join_group(a, uid, site, origin, u) -> int:
    """The group a newcomer joins: the one still forming today for their site and origin,
    or a new one of their own, of a size drawn with mean `group_size` (u draws it)."""
    if a.open_places[site, origin] > 0:
        a.open_places[site, origin] -= 1
        return a.open_group[site, origin]
    a.open_group[site, origin] = uid
    a.open_places[site, origin] = geometric_at_least_1(u, a.group_size) - 1
    return uid


@numba.njit(cache=True, nogil=True)
def newcomers(s, start, stop, day, choose_site) -> None:
    """Attributes of uids start..stop-1 in one pass: site (unless already set), origin group,
    minor, risk tolerance u^(1/m - 1) (in [0, 1], mean m) and log-normal funds (Box-Muller)."""
    p, k, a = s.people, s.keys, s.arrivals
    b_site, b_origin = day_base(k.arrival_site, day), day_base(k.origin, day)
    b_minor, b_risk = day_base(k.minor, day), day_base(k.risk_tolerance, day)
    b_funds, b_funds_2 = day_base(k.funds, day), day_base(k.funds, day, 1)
    b_group = day_base(k.group_size, day)
    a.open_places[:] = 0  # groups form among the day's newcomers
    for uid in range(start, stop):
        if choose_site:
            p.site[uid] = pick(a.site_cum[day], unit(uid, b_site))
        p.origin[uid] = pick(a.origin_cum, unit(uid, b_origin))
        p.group[uid] = join_group(a, uid, p.site[uid], p.origin[uid], unit(uid, b_group))
        p.minor[uid] = unit(uid, b_minor) < a.minor_share
        p.risk_tolerance[uid] = unit(uid, b_risk) ** a.risk_exponent
        if a.funds_median > 0.0:
            z = (np.sqrt(-2.0 * np.log1p(-unit(uid, b_funds)))
                 * np.cos(2.0 * np.pi * unit(uid, b_funds_2)))
            p.funds[uid] = a.funds_median * np.exp(a.funds_spread * z)
    if s.learning.on:
        newcomer_beliefs(s, start, stop, day)


@numba.njit(cache=True, nogil=True)
def step(s, day) -> bool:
    """Today's newcomers; False (and nothing done) if the columns have no room for them."""
    p, rec = s.people, s.rec
    count = poisson_on(s.keys.arrivals, day, s.world.daily_inflow[day] * pull_factor(s, day))
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
    streams = ("arrivals", "arrival_site", "origin", "minor", "risk_tolerance", "funds",
               "group_size")
    kernel = staticmethod(step)

    def init(self, sim) -> Pars:
        world, sc = sim.world, sim.scenario
        mean = sc.behaviour.risk_tolerance_mean
        pull = sc.pull
        shape = (world.n_sites, len(world.origin_ids))
        return Pars(
            site_cum=np.cumsum(world.arrival_share, axis=1),
            origin_cum=np.cumsum(world.origin_share) / world.origin_share.sum(),
            minor_share=float(sc.arrivals.minor_share),
            risk_exponent=1.0 / max(mean, 1e-6) - 1.0,
            funds_median=float(sc.behaviour.funds_median),
            funds_spread=float(sc.behaviour.funds_spread),
            group_size=float(sc.arrivals.group_size),
            open_group=np.zeros(shape, dtype=np.int32),
            open_places=np.zeros(shape, dtype=np.int64),
            pull=np.array([pull.multiplier, pull.elasticity, pull.reference_success,
                           1.0 / pull.window_days] if pull else [1.0, 0.0, 1.0, 1.0]),
            recent=np.array([pull.reference_success if pull else 1.0, 1.0]),
        )

    def start(self, sim) -> None:
        """The people at each site on the first day (with beliefs if learning is on)."""
        initial = np.array([s.initial_people for s in sim.scenario.sites.values()])
        uids = sim.people.add(int(initial.sum()), arrival_day=0, status=Status.WAITING,
                              site=np.repeat(np.arange(len(initial)), initial))
        if len(uids):
            newcomers(sim.st, int(uids[0]), int(uids[-1]) + 1, 0, False)
