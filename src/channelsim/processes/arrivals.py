"""Arrivals on the French coast: an inflow series (trend x seasonality) split by origin group."""

from __future__ import annotations

import numpy as np

from ..population import Status
from ..sampling import categorical, standard_normal
from .base import Process
from .learning import newcomer_beliefs


class Arrivals(Process):
    name = "arrivals"
    site_results = ("arrivals",)
    streams = ("arrivals", "arrival_site", "origin", "minor", "risk_tolerance", "funds")

    def init(self, sim) -> None:
        initial = np.array([s.initial_people for s in sim.scenario.sites.values()])
        sites = np.repeat(np.arange(len(initial)), initial)
        self._add(sim, len(sites), sites=sites, day=0)

    def step(self, sim) -> None:
        day = sim.day
        count = sim.rng["arrivals"].poisson(day, sim.world.daily_inflow[day])
        uids = self._add(sim, count, sites=None, day=day)
        sim.rec.site["arrivals"][day] += np.bincount(
            sim.people.site[uids], minlength=sim.world.n_sites
        )

    def _add(self, sim, count: int, sites: np.ndarray | None, day: int) -> np.ndarray:
        people, world, rng = sim.people, sim.world, sim.rng
        uids = people.add(count, arrival_day=day, status=Status.WAITING)
        if count == 0:
            return uids
        if sites is None:
            sites = categorical(rng["arrival_site"].uniform(day, uids), world.arrival_share)
        people.site[uids] = sites
        people.origin[uids] = categorical(rng["origin"].uniform(day, uids), world.origin_share)
        minor_share = sim.scenario.arrivals.minor_share
        people.minor[uids] = rng["minor"].below(day, uids, minor_share)
        mean = sim.scenario.behaviour.risk_tolerance_mean
        # u ** (1/m - 1) lies in [0, 1] with mean m
        exponent = 1.0 / max(mean, 1e-6) - 1.0
        people.risk_tolerance[uids] = rng["risk_tolerance"].uniform(day, uids) ** exponent
        behaviour = sim.scenario.behaviour
        if behaviour.funds_median > 0:
            z = standard_normal(rng["funds"].uniform(day, uids), rng["funds"].uniform(day, uids, 1))
            people.funds[uids] = behaviour.funds_median * np.exp(behaviour.funds_spread * z)
        if sim.scenario.learning is not None and hasattr(sim.state, "wins"):
            newcomer_beliefs(sim, uids)  # initial people get theirs when learning starts
        return uids
