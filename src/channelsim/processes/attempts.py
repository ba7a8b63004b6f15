"""The daily decision to attempt, limited by the day's opportunities on each route.

A waiting person tries with a daily probability when their site has a route open today, picks
a route by its weight, and boards only if the route still has room: lorries reachable, sailings,
or boats on a viable sea day. Who gets the room is decided by a per-person queue draw.
"""

from __future__ import annotations

import numba
import numpy as np

from ..population import Status
from ..random import unit
from ..sampling import first_k_per_group, stochastic_round
from .base import Process

ROUTE_ZERO = np.zeros(1, dtype=np.int64)  # the one weather draw a day shares index 0


@numba.njit(cache=True, nogil=True)
def _choose(active, status, site, cum, p_attempt, base_decide, base_route):
    """Who wants to try today and on which route, in one pass over the active people.

    cum[s] holds site s's cumulative route weights normalised to 1 (all zero: nothing open)."""
    n_routes = cum.shape[1]
    uids = np.empty(active.shape[0], dtype=np.int32)
    routes = np.empty(active.shape[0], dtype=np.int64)
    k = 0
    for uid in active:
        s = site[uid]
        if status[uid] != 1 or cum[s, n_routes - 1] == 0.0:  # 1 = Status.WAITING
            continue
        if unit(uid, base_decide) >= p_attempt:
            continue
        u = unit(uid, base_route)
        r = 0
        while r < n_routes - 1 and cum[s, r] <= u:
            r += 1
        uids[k] = uid
        routes[k] = r
        k += 1
    return uids[:k], routes[:k]


assert Status.WAITING == 1, "_choose hard-codes the WAITING code"


class Attempts(Process):
    name = "attempts"
    route_results = ("capacity", "demand")
    streams = ("weather", "capacity", "decide", "route_choice", "queue")

    def step(self, sim) -> None:
        day, world, people, rng = sim.day, sim.world, sim.people, sim.rng
        capacity = self.capacity(sim)
        sim.rec.route["capacity"][day] = capacity
        # weights[s, r]: how much a person at site s prefers route r today (0 if closed)
        weights = np.zeros((world.n_sites, world.n_routes))
        open_routes = np.flatnonzero(capacity > 0)
        weights[world.route_site[open_routes], open_routes] = world.weight[open_routes]
        total = weights.sum(axis=1, keepdims=True)
        cum = np.cumsum(weights, axis=1) / np.where(total > 0, total, 1.0)
        movers, route = _choose(
            people.active, people.status, people.site, cum,
            sim.scenario.behaviour.attempt_probability,
            rng["decide"].base(day), rng["route_choice"].base(day),
        )
        sim.rec.route["demand"][day] = np.bincount(route, minlength=world.n_routes)
        boarded = first_k_per_group(route, rng["queue"].uniform(day, movers), capacity)
        sim.today.attempters = movers[boarded]
        sim.today.route = route[boarded]

    def capacity(self, sim) -> np.ndarray:
        """Places on each route today: opportunities x people per opportunity, on sea days only
        for boats. One weather draw per day is shared by every boat route (one sea)."""
        day, world = sim.day, sim.world
        weather = sim.rng["weather"].uniform(day, ROUTE_ZERO)
        calm = weather < world.sea_viable[:, world.month[day]]
        places = world.opportunities[day] * world.per_opportunity[day] * calm
        return stochastic_round(places, sim.rng["capacity"].uniform(day, world.route_index))
