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
        places = np.where(world.has_boats, boats * per_boat, places)  # boats as loaded today
        capacity = stochastic_round(places, rng["capacity"].uniform(day, world.route_index))
        boarded = first_k_per_group(route, rng["queue"].uniform(day, movers), capacity)
        sim.today.attempters = movers[boarded]
        sim.today.route = route[boarded]
        out = sim.rec.route
        out["capacity"][day], out["demand"][day], out["people_per_boat"][day] = (
            capacity, demand, per_boat)

    def scheduled_places(self, sim) -> tuple[np.ndarray, np.ndarray]:
        """(boats or lorries, places) on each route today before crowding (see _units)."""
        day, world, st = sim.day, sim.world, sim.state
        weather = sim.rng["weather"].uniform(day, ROUTE_ZERO)[0]
        units, rough = _units(
            weather, world.sea_viable[:, world.month[day]], world.opportunities[day],
            world.supply_factor[day], world.per_opportunity[day], st.gangs,
            world.places_per_gang, world.smuggler_required, st.refusing[world.route_site],
            world.traffic_light_share)
        sim.today.rough_sea = rough
        return units, units * world.per_opportunity[day]

    def people_per_boat(self, sim, boats: np.ndarray, demand: np.ndarray) -> np.ndarray:
        world = sim.world
        return _per_boat(boats, demand, world.per_opportunity[sim.day], world.has_boats,
                         world.crowding_elasticity, world.max_per_boat)


@numba.njit(cache=True, nogil=True)
def _units(weather, sea, opportunities, supply, per_opportunity, gangs, places_per_gang,
           required, refusing, light_share):
    """Boats or lorries on each route today, and how rough the sea is (0 calm, 1 at the
    limit of what is viable; one weather draw a day for the one sea). Boats sail only on
    viable days and as many as the supply allows; where a smuggler is required the gangs'
    places cap the route too (elsewhere people can go alone, so the gangs limit only who
    pays); lorries are fewer where drivers refuse to stop at lights."""
    n = sea.shape[0]
    units, rough = np.empty(n), np.empty(n)
    for r in range(n):
        closeness = min(max(weather / max(sea[r], 1e-9), 0.0), 1.0)
        rough[r] = min(max((closeness - 0.7) / 0.3, 0.0), 1.0)
        u = opportunities[r] * supply[r] * (1.0 if weather < sea[r] else 0.0)
        if required[r] and not np.isnan(places_per_gang[r]):
            u = min(u, gangs[r] * places_per_gang[r] / max(per_opportunity[r], 1e-9))
        units[r] = u * (1.0 - refusing[r] * light_share[r])
    return units, rough


@numba.njit(cache=True, nogil=True)
def _per_boat(boats, demand, per_opportunity, has_boats, elasticity, most):
    """People per boat (nan where a route has no boats): boats load more when more people
    want to go than their usual load takes, usual * (demand / places)^elasticity, up to the
    maximum."""
    out = np.full(boats.shape[0], np.nan)
    for r in range(boats.shape[0]):
        if has_boats[r]:
            places = boats[r] * per_opportunity[r]
            pressure = max(demand[r] / places, 1.0) if places > 0 else 1.0
            out[r] = min(per_opportunity[r] * pressure ** elasticity[r], most[r])
    return out
