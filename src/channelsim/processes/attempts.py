"""The daily decision to attempt, limited by the day's opportunities on each route.

A waiting person tries with a daily probability when their site has a route open today, and
picks a route by its value to them: the route's weight, times their believed chance of success
(with learning), zero if it needs a smuggler they cannot pay, discounted by its death risk as
far as they are averse to risk. They board only if the route has room today: lorries reachable
(fewer where drivers refuse to stop), sailings, or boats on a viable sea day; boats fill
beyond their usual load when demand exceeds them. A per-person queue draw decides who boards.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..population import N_ACTIVE, Status
from ..random import day_base, unit, units
from ..sampling import lowest_k_cut, stochastic_round
from .base import BOARDED, SWEPT, TRIES, Process

Pars = namedtuple("Pars", ["attempt_probability", "harm_aversion", "site_start",
                           "site_routes"])


@numba.njit(cache=True, nogil=True)
def choose(s, day, site_weights) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Who tries today, on which route, their place in its queue, and the demand per route.

    site_weights[r] is route r's weight if it is open today, else 0. Everyone's coin for today
    was tossed at the last day's end (day_end.py), listing who would try; people who arrived
    since toss theirs here. Those listed try if they are waiting at an open site. Route
    values are computed for them alone; where a route's value does not depend on the person
    (no beliefs, no aversion to risk, no fee they might not afford) it is the site's weights,
    accumulated once for all."""
    p, w, cfg = s.people, s.world, s.attempts
    price, use_beliefs, aversion = s.market.price, s.learning.on, cfg.harm_aversion
    n_sites = cfg.site_start.shape[0] - 1
    site_open = np.zeros(n_sites, dtype=np.bool_)
    personal = np.zeros(n_sites, dtype=np.bool_)
    cum = np.zeros(site_weights.shape[0])  # along each site's routes
    for j in range(n_sites):
        total = 0.0
        for i in range(cfg.site_start[j], cfg.site_start[j + 1]):
            r = cfg.site_routes[i]
            total += site_weights[r]
            cum[i] = total
            personal[j] |= site_weights[r] > 0.0 and (
                use_beliefs or aversion > 0.0 or w.smuggler_required[r])
        site_open[j] = total > 0.0
    t = s.today
    listed, newcomers = t.tries[: t.counts[TRIES]], p.active[t.counts[SWEPT]: p.counts[N_ACTIVE]]
    uids = np.empty(listed.shape[0] + newcomers.shape[0], dtype=np.int32)
    # (indices unsigned in the loops over people: numba then skips the check for negative
    # ones, a large part of such a loop's time)
    k = 0
    for uid in listed:
        uids[k] = uid
        k += (p.status[np.uintp(uid)] == Status.WAITING) & site_open[np.uintp(p.site[uid])]
    base_decide = day_base(s.keys.decide, day)
    for uid in newcomers:
        uids[k] = uid
        k += (p.status[uid] == Status.WAITING and site_open[p.site[uid]]
              and unit(uid, base_decide) < cfg.attempt_probability)
    # their draws first, in loops numba turns into vector instructions
    u_route = units(uids[:k], day_base(s.keys.route_choice, day))
    queue = units(uids[:k], day_base(s.keys.queue, day))
    routes = np.empty(k, dtype=np.int64)
    demand = np.zeros(site_weights.shape[0], dtype=np.int64)
    value = np.empty(site_weights.shape[0])
    n = 0
    for j in range(k):
        uid = np.uintp(uids[j])
        here = np.uintp(p.site[uid])
        first, last = cfg.site_start[here], cfg.site_start[here + 1]
        own = personal[here]
        if own:
            total = 0.0
            for i in range(first, last):
                r = cfg.site_routes[i]
                v = site_weights[r]
                if v > 0.0:
                    if use_beliefs:
                        v *= p.belief_a[uid, r] / (p.belief_a[uid, r] + p.belief_b[uid, r])
                    if w.smuggler_required[r] and p.funds[uid] < price[r]:
                        v = 0.0
                    if aversion > 0.0:
                        v *= np.exp(-aversion * (1.0 - p.risk_tolerance[uid]) * w.death[r])
                total += v
                value[i] = total
            if total <= 0.0:
                continue
        else:
            total = cum[last - 1]
        # the first route whose cumulative value exceeds u, counted without branching (the
        # values never decrease); two loops rather than one over a chosen array: an array
        # variable set in the loop would count references on every person
        u = u_route[j] * total
        i = first
        if own:
            for m in range(first, last - 1):
                i += value[m] <= u
        else:
            for m in range(first, last - 1):
                i += cum[m] <= u
        r = cfg.site_routes[i]
        uids[n], routes[n], queue[n] = uid, r, queue[j]
        demand[r] += 1
        n += 1
    return uids[:n], routes[:n], queue[:n], demand


@numba.njit(cache=True, nogil=True)
def scheduled_units(s, day) -> np.ndarray:
    """Boats or lorries on each route today before crowding, and how rough the sea is (0 calm,
    1 at the limit of what is viable; one weather draw a day for the one sea). Boats sail only
    on viable days and as many as the supply allows; where a smuggler is required the gangs'
    places cap the route too (elsewhere people can go alone, so the gangs limit only who
    pays); lorries are fewer where drivers refuse to stop at lights."""
    w, rough = s.world, s.today.rough_sea
    weather = unit(0, day_base(s.keys.weather, day))
    sea = w.sea_viable[:, w.month[day]]
    n = sea.shape[0]
    units = np.empty(n)
    for r in range(n):
        closeness = min(max(weather / max(sea[r], 1e-9), 0.0), 1.0)
        rough[r] = min(max((closeness - 0.7) / 0.3, 0.0), 1.0)
        u = w.opportunities[day, r] * w.supply_factor[day, r] * (1.0 if weather < sea[r] else 0.0)
        if w.smuggler_required[r] and not np.isnan(w.places_per_gang[r]):
            u = min(u, s.market.gangs[r] * w.places_per_gang[r]
                    / max(w.per_opportunity[day, r], 1e-9))
        units[r] = u * (1.0 - s.drivers.refusing[w.route_site[r]] * w.traffic_light_share[r])
    return units


@numba.njit(cache=True, nogil=True)
def per_boat(s, day, boats, demand) -> np.ndarray:
    """People per boat (nan where a route has no boats): boats load more when more people
    want to go than their usual load takes, usual * (demand / places)^elasticity, up to the
    maximum."""
    w = s.world
    out = np.full(boats.shape[0], np.nan)
    for r in range(boats.shape[0]):
        if w.has_boats[r]:
            usual = w.per_opportunity[day, r]
            places = boats[r] * usual
            pressure = max(demand[r] / places, 1.0) if places > 0 else 1.0
            out[r] = min(usual * pressure ** w.crowding_elasticity[r], w.max_per_boat[r])
    return out


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    w, t, rec = s.world, s.today, s.rec
    n_routes = w.route_site.shape[0]
    units = scheduled_units(s, day)
    places = units * w.per_opportunity[day]
    site_weights = np.where(places > 0, w.weight, 0.0)
    movers, route, queue, demand = choose(s, day, site_weights)
    load = per_boat(s, day, units, demand)
    base = day_base(s.keys.capacity, day)
    capacity = np.empty(n_routes, dtype=np.int64)
    for r in range(n_routes):
        today = units[r] * load[r] if w.has_boats[r] else places[r]  # boats as loaded today
        capacity[r] = stochastic_round(today, unit(r, base))
    cut = lowest_k_cut(route, queue, capacity, demand)  # the first in each route's queue board
    n = 0
    for i in range(movers.shape[0]):
        t.uid[n], t.route[n] = movers[i], route[i]
        n += queue[i] <= cut[np.uintp(route[i])]  # (kept by moving on, without a branch)
    t.counts[BOARDED] = n
    rec.capacity[day], rec.demand[day], rec.people_per_boat[day] = capacity, demand, load


class Attempts(Process):
    name = "attempts"
    route_results = ("capacity", "demand", "people_per_boat")
    streams = ("weather", "capacity", "decide", "route_choice", "queue")
    kernel = staticmethod(step)

    def init(self, sim) -> Pars:
        world, sc = sim.world, sim.scenario
        order = np.argsort(world.route_site, kind="stable")
        start = np.searchsorted(world.route_site[order], np.arange(world.n_sites + 1))
        return Pars(
            attempt_probability=float(sc.behaviour.attempt_probability),
            harm_aversion=float(sc.behaviour.harm_aversion),
            site_start=start.astype(np.int64),
            site_routes=order.astype(np.int64),
        )
