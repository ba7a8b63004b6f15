"""The daily decision to attempt, limited by the day's opportunities on each route.

A waiting person tries with a daily probability when their site has a route open today, and
picks a route by its value to them: the route's weight, times their believed chance of success
(with learning), zero if it needs a smuggler they cannot pay, discounted by its death risk as
far as they are averse to risk. They board only if the route has room today: lorries reachable
(fewer where drivers refuse to stop), sailings, or boats on a viable sea day; boats fill
beyond their usual load when demand exceeds them. A per-person queue draw decides who boards.
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
def _choose(active, status, site, belief_a, belief_b, use_beliefs, funds, risk, site_weights,
            price, required, death, aversion, p_attempt, base_decide, base_route):
    """Who tries today and on which route, in one pass over the active people.

    site_weights[s, r] is route r's weight if it is open today at site s, else 0."""
    n_routes = site_weights.shape[1]
    uids = np.empty(active.shape[0], dtype=np.int32)
    routes = np.empty(active.shape[0], dtype=np.int64)
    value = np.empty(n_routes)
    k = 0
    site_open = site_weights.sum(axis=1) > 0.0
    for uid in active:
        if status[uid] != 1:  # 1 = Status.WAITING
            continue
        s = site[uid]
        # the decision draw first: most people do not try on a given day, and their route
        # values need not be computed (the outcome is the same either way)
        if not site_open[s] or unit(uid, base_decide) >= p_attempt:
            continue
        total = 0.0
        for r in range(n_routes):
            v = site_weights[s, r]
            if v > 0.0:
                if use_beliefs:
                    v *= belief_a[uid, r] / (belief_a[uid, r] + belief_b[uid, r])
                if required[r] and funds[uid] < price[r]:
                    v = 0.0
                if aversion > 0.0:
                    v *= np.exp(-aversion * (1.0 - risk[uid]) * death[r])
            value[r] = v
            total += v
        if total <= 0.0:
            continue
        u = unit(uid, base_route) * total
        r = 0
        acc = value[0]
        while r < n_routes - 1 and acc <= u:
            r += 1
            acc += value[r]
        uids[k] = uid
        routes[k] = r
        k += 1
    return uids[:k], routes[:k]


assert Status.WAITING == 1, "_choose hard-codes the WAITING code"


class Attempts(Process):
    name = "attempts"
    route_results = ("capacity", "demand", "people_per_boat")
    streams = ("weather", "capacity", "decide", "route_choice", "queue")

    def step(self, sim) -> None:
        day, world, people, rng, sc = sim.day, sim.world, sim.people, sim.rng, sim.scenario
        boats, places = self.scheduled_places(sim)
        open_routes = np.flatnonzero(places > 0)
        site_weights = np.zeros((world.n_sites, world.n_routes))
        site_weights[world.route_site[open_routes], open_routes] = world.weight[open_routes]
        movers, route = _choose(
            people.active, people.status, people.site, people.belief_a, people.belief_b,
            sc.learning is not None, people.funds, people.risk_tolerance, site_weights,
            sim.state.price, world.smuggler_required, world.death, sc.behaviour.harm_aversion,
            sc.behaviour.attempt_probability,
            rng["decide"].base(day), rng["route_choice"].base(day),
        )
        demand = np.bincount(route, minlength=world.n_routes)
        per_boat = self.people_per_boat(sim, boats, demand)
        places = np.where(np.isnan(per_boat), places, boats * np.nan_to_num(per_boat))
        capacity = stochastic_round(places, rng["capacity"].uniform(day, world.route_index))
        boarded = first_k_per_group(route, rng["queue"].uniform(day, movers), capacity)
        sim.today.attempters = movers[boarded]
        sim.today.route = route[boarded]
        out = sim.rec.route
        out["capacity"][day], out["demand"][day], out["people_per_boat"][day] = (
            capacity, demand, per_boat)

    def scheduled_places(self, sim) -> tuple[np.ndarray, np.ndarray]:
        """(boats or lorries, places) on each route today before crowding: opportunities x
        people per opportunity; boats only on sea days (one weather draw shared by the one
        sea) and as many as the supply and the gangs allow; lorries fewer where drivers
        refuse to stop at lights."""
        day, world, st = sim.day, sim.world, sim.state
        weather = sim.rng["weather"].uniform(day, ROUTE_ZERO)[0]
        sea = world.sea_viable[:, world.month[day]]
        # how close today is to the limit of what is viable: 0 calm, 1 at the limit
        closeness = np.clip(weather / np.maximum(sea, 1e-9), 0.0, 1.0)
        sim.today.rough_sea = np.clip((closeness - 0.7) / 0.3, 0.0, 1.0)
        units = world.opportunities[day] * world.supply_factor[day] * (weather < sea)
        base = world.per_opportunity[day]
        # where a smuggler is required, the gangs' places cap the route; elsewhere people
        # can go alone, so the gangs limit only who pays, not who tries
        gang_units = st.gangs * world.places_per_gang / np.maximum(base, 1e-9)
        capped = world.smuggler_required & ~np.isnan(gang_units)
        units = np.where(capped, np.minimum(units, np.nan_to_num(gang_units)), units)
        units = units * (1.0 - st.refusing[world.route_site] * world.traffic_light_share)
        return units, units * base

    def people_per_boat(self, sim, boats: np.ndarray, demand: np.ndarray) -> np.ndarray:
        """Boats load more people when there are more people than places (nan: not a boat
        route with crowding): base * (demand / places)^elasticity, up to the maximum."""
        world = sim.world
        base = world.per_opportunity[sim.day]
        with np.errstate(divide="ignore", invalid="ignore"):
            pressure = np.where(boats > 0, demand / np.maximum(boats * base, 1e-9), 1.0)
        load = base * np.maximum(pressure, 1.0) ** world.crowding_elasticity
        return np.where(world.has_boats, np.minimum(load, world.max_per_boat), np.nan)
