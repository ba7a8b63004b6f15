"""Arrivals on the French coast: an inflow series (trend x seasonality) split by origin group."""

from __future__ import annotations

import numba
import numpy as np

from ..population import Status
from ..random import unit
from .base import Process
from .learning import newcomer_beliefs


@numba.njit(cache=True, nogil=True)
def _pick(cum: np.ndarray, u: float) -> int:
    """Index drawn by u from normalised cumulative weights (as sampling.categorical)."""
    j = 0
    while j < cum.shape[0] - 1 and cum[j] <= u:
        j += 1
    return j


@numba.njit(cache=True, nogil=True)
def _newcomers(uids, choose_site, site, origin, minor, risk, funds, site_cum, origin_cum,
               minor_share, risk_exponent, funds_median, funds_spread, b_site, b_origin,
               b_minor, b_risk, b_funds, b_funds_2):
    """Each newcomer's attributes in one pass: site (unless given), origin group, minor,
    risk tolerance u^(1/m - 1) (in [0, 1], mean m) and log-normal funds (Box-Muller)."""
    for uid in uids:
        if choose_site:
            site[uid] = _pick(site_cum, unit(uid, b_site))
        origin[uid] = _pick(origin_cum, unit(uid, b_origin))
        minor[uid] = unit(uid, b_minor) < minor_share
        risk[uid] = unit(uid, b_risk) ** risk_exponent
        if funds_median > 0.0:
            z = (np.sqrt(-2.0 * np.log1p(-unit(uid, b_funds)))
                 * np.cos(2.0 * np.pi * unit(uid, b_funds_2)))
            funds[uid] = funds_median * np.exp(funds_spread * z)


class Arrivals(Process):
    name = "arrivals"
    site_results = ("arrivals",)
    streams = ("arrivals", "arrival_site", "origin", "minor", "risk_tolerance", "funds")

    def init(self, sim) -> None:
        world = sim.world
        self.site_cum = np.cumsum(world.arrival_share) / world.arrival_share.sum()
        self.origin_cum = np.cumsum(world.origin_share) / world.origin_share.sum()
        initial = np.array([s.initial_people for s in sim.scenario.sites.values()])
        sites = np.repeat(np.arange(len(initial)), initial)
        self._add(sim, len(sites), day=0, sites=sites)

    def step(self, sim) -> None:
        day = sim.day
        count = sim.rng["arrivals"].poisson(day, sim.world.daily_inflow[day])
        uids = self._add(sim, count, day=day)
        sim.rec.site["arrivals"][day] += np.bincount(
            sim.people.site[uids], minlength=sim.world.n_sites
        )

    def _add(self, sim, count: int, day: int, sites: np.ndarray | None = None) -> np.ndarray:
        people, rng, sc = sim.people, sim.rng, sim.scenario
        uids = people.add(count, arrival_day=day, status=Status.WAITING)
        if count == 0:
            return uids
        if sites is not None:
            people.site[uids] = sites
        mean = sc.behaviour.risk_tolerance_mean
        _newcomers(
            uids, sites is None, people.site, people.origin, people.minor, people.risk_tolerance,
            people.funds, self.site_cum, self.origin_cum, sc.arrivals.minor_share,
            1.0 / max(mean, 1e-6) - 1.0, sc.behaviour.funds_median, sc.behaviour.funds_spread,
            rng["arrival_site"].base(day), rng["origin"].base(day), rng["minor"].base(day),
            rng["risk_tolerance"].base(day), rng["funds"].base(day), rng["funds"].base(day, 1),
        )
        if sc.learning is not None and hasattr(sim.state, "wins"):
            newcomer_beliefs(sim, uids)  # initial people get theirs when learning starts
        return uids
