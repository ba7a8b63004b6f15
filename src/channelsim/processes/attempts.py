"""The daily decision to attempt, limited by the day's opportunities on each route.

A waiting person tries with a daily probability when their site has a route open today, picks
a route by its weight, and boards only if the route still has room: lorries reachable, sailings,
or boats on a viable sea day. Who gets the room is decided by a per-person queue draw.
"""

from __future__ import annotations

import numpy as np

from ..population import Status
from ..sampling import categorical, first_k_per_group, stochastic_round
from .base import Process


class Attempts(Process):
    name = "attempts"
    route_results = ("capacity", "demand")
    streams = ("weather", "capacity", "decide", "route_choice", "queue")

    def step(self, sim) -> None:
        day, world, people, rng = sim.day, sim.world, sim.people, sim.rng
        capacity = self.capacity(sim)
        sim.rec.route["capacity"][day] = capacity

        active = people.active
        waiting = active[people.status[active] == Status.WAITING]
        # weights[s, r]: how much a person at site s prefers route r today (0 if closed)
        weights = np.zeros((world.n_sites, world.n_routes))
        open_routes = capacity > 0
        weights[world.route_site[open_routes], np.flatnonzero(open_routes)] = world.weight[
            open_routes
        ]
        site_has_route = weights.sum(axis=1) > 0
        candidates = waiting[site_has_route[people.site[waiting]]]
        keen = rng["decide"].uniform(day, candidates) < sim.scenario.behaviour.attempt_probability
        movers = candidates[keen]
        route = categorical(
            rng["route_choice"].uniform(day, movers), weights[people.site[movers]]
        )
        sim.rec.route["demand"][day] = np.bincount(route, minlength=world.n_routes)
        boarded = first_k_per_group(route, rng["queue"].uniform(day, movers), capacity)
        sim.today.attempters = movers[boarded]
        sim.today.route = route[boarded]

    def capacity(self, sim) -> np.ndarray:
        """Places on each route today: opportunities x people per opportunity, on sea days only
        for boats. One weather draw per day is shared by every boat route (one sea)."""
        day, world = sim.day, sim.world
        gen = sim.rng["weather"].generator(day)
        calm = gen.random() < world.sea_viable[:, world.month[day]]
        places = world.opportunities[day] * world.per_opportunity[day] * calm
        u = sim.rng["capacity"].generator(day).random(world.n_routes)
        return stochastic_round(places, u)
