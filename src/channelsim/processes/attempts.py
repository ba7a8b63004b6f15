"""The daily decision to attempt, limited by the day's opportunities on each route.

A waiting person wants to try on a night with a daily probability (their group's coin), and
goes if their hope holds: with c the best chance they see among the routes open today (their
belief in its success, zero if it needs a smuggler or a boat they cannot pay, discounted by its
death risk as far as they are averse to risk), they go with probability min(1, (c /
prior)^discouragement), the prior being the belief a newcomer starts from; so failures, nights
turned back and a campaign's message slow them down, the more so the larger
`behaviour.discouragement` (0: only a route they cannot use stops them). They pick a route by
its value to them (that chance times the route's weight). The day offers places: lorries
reachable (fewer where drivers refuse to stop or hauliers' checks close them), sailings, or
boats on a viable sea day, loaded as the boats of the time are and more when supply is
squeezed. Who gets a place is a queue draw (a group's members stand together); the rest are
turned back, which counts against the route in their beliefs and, through the site's share
turned back, in the wish to move elsewhere. Those who go without a smuggler on a boat route
take a boat of their own, which needs no place.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..population import N_ACTIVE, Status
from ..random import day_base, persistent_unit, unit, units_of
from ..sampling import kept_or_zero, lowest_k_cut, stochastic_round
from .base import BOARDED, SWEPT, TRIES, Process

Pars = namedtuple("Pars", ["attempt_probability", "harm_aversion", "site_start",
                           "site_routes", "living_cost", "turned_back_weight",
                           "discouragement", "prior"])
OWN_BOATS = 10**9  # places for those who bring their own boat: as many as want them


# The helpers below are called once a person and route, so they take numbers: given the
# State or its parts (namedtuples of arrays), each call counted references to every array in
# them, and even inlined, each array passed counted one; those counts took two thirds of a
# history run's time.

@numba.njit(inline="always")
def pays(package_left, package_mode, funds, mode, price) -> bool:
    """Whether a person goes with a smuggler on a route of `mode` at `price`: they hold a
    package bought for its mode with attempts left, or have the funds for a new one (the
    deposit now, the balance on arrival)."""
    if np.isnan(price):
        return False
    if package_left > 0 and package_mode == mode:
        return True
    return funds >= price


@numba.njit(inline="always")
def chance_seen(believed, price, paying, needs_smuggler, has_boats, funds, solo_cost, aversion,
                tolerance, death) -> float:
    """The chance a person sees on a route: believed success, zero if they need a smuggler
    or a boat they cannot pay, discounted by the route's death risk as far as they fear it."""
    c = believed
    if not np.isnan(price) and not paying:
        if needs_smuggler or (has_boats and funds < solo_cost):
            c = 0.0
    if aversion > 0.0:
        c *= np.exp(-aversion * (1.0 - tolerance) * death)
    return c


@numba.njit(cache=True, nogil=True)
def choose(s, day, site_weights) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Who goes today, in which lane, their place in its queue, and the demand per lane.

    Lane r is route r's places; lane n_routes + r its own-boat lane (without a smuggler on a
    boat route with a market). site_weights[r] is route r's weight if it is open today, else
    0. Everyone's coin for today was tossed at the last day's end (day_end.py), listing who
    would try; people who arrived since toss theirs here. Where no route's chance depends on
    the person (no beliefs, no aversion to risk, no market) everyone's hope is whole and the
    values are the site's weights, accumulated once for all."""
    p, w, cfg, prices = s.people, s.world, s.attempts, s.market.price
    market_on, use_beliefs, aversion = s.market.on, s.learning.on, cfg.harm_aversion
    belief_a, belief_b, funds, tolerance = p.belief_a, p.belief_b, p.funds, p.risk_tolerance
    left, bought, w_mode = p.package_left, p.package_mode, w.route_mode
    w_smuggler, w_boats, w_solo, w_death = (w.smuggler_required, w.has_boats, w.solo_boat_cost,
                                            w.death)
    n_sites, n_routes = cfg.site_start.shape[0] - 1, site_weights.shape[0]
    site_open = np.zeros(n_sites, dtype=np.bool_)
    personal = np.zeros(n_sites, dtype=np.bool_)
    cum = np.zeros(n_routes)  # along each site's routes
    for j in range(n_sites):
        total = 0.0
        for i in range(cfg.site_start[j], cfg.site_start[j + 1]):
            r = cfg.site_routes[i]
            total += site_weights[r]
            cum[i] = total
            personal[j] |= site_weights[r] > 0.0 and (
                use_beliefs or aversion > 0.0 or market_on[r])
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
              and unit(p.group[uid], base_decide) < cfg.attempt_probability)
    # their draws first, in loops numba turns into vector instructions; a group's members
    # share theirs, so they hope, choose and queue together
    u_hope = units_of(p.group, uids[:k], day_base(s.keys.hope, day))
    u_route = units_of(p.group, uids[:k], day_base(s.keys.route_choice, day))
    queue = units_of(p.group, uids[:k], day_base(s.keys.queue, day))
    lanes = np.empty(k, dtype=np.int64)
    demand = np.zeros(2 * n_routes, dtype=np.int64)
    value = np.empty(n_routes)
    n = 0
    for j in range(k):
        uid = np.uintp(uids[j])
        here = np.uintp(p.site[uid])
        first, last = cfg.site_start[here], cfg.site_start[here + 1]
        own = personal[here]
        if own:
            total, hope = 0.0, 0.0
            for i in range(first, last):
                r = cfg.site_routes[i]
                if site_weights[r] > 0.0:
                    believed = (belief_a[uid, r] / (belief_a[uid, r] + belief_b[uid, r])
                                if use_beliefs else 1.0)
                    paying = pays(left[uid], bought[uid], funds[uid], w_mode[r], prices[r])
                    c = chance_seen(believed, prices[r], paying, w_smuggler[r], w_boats[r],
                                    funds[uid], w_solo[r], aversion, tolerance[uid], w_death[r])
                    hope = max(hope, c)
                    total += c * site_weights[r]
                value[i] = total
            if total <= 0.0 or u_hope[j] >= (hope / cfg.prior) ** cfg.discouragement:
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
        lane = r
        if market_on[r] and w_boats[r] and not pays(left[uid], bought[uid], funds[uid], w_mode[r],
                                                    prices[r]):
            lane = n_routes + r
        uids[n], lanes[n], queue[n] = uid, lane, queue[j]
        demand[lane] += 1
        n += 1
    return uids[:n], lanes[:n], queue[:n], demand


@numba.njit(cache=True, nogil=True)
def scheduled_units(s, day) -> np.ndarray:
    """Boats or lorries on each route today before crowding, and how rough the sea is (0 calm,
    1 at the limit of what is viable; one weather draw a day for the one sea). Boats sail only
    on viable days and as many as the supply allows; where a smuggler is required the gangs'
    places cap the route too (elsewhere people can go alone, so the gangs limit only who
    pays); lorries are fewer where drivers refuse to stop at lights and where hauliers' checks
    close them."""
    w, rough = s.world, s.today.rough_sea
    weather = persistent_unit(s.keys.weather, day, w.weather_weights)
    sea = w.sea_viable[:, w.month[day]]
    n = sea.shape[0]
    places = np.empty(n)
    for r in range(n):
        closeness = min(max(weather / max(sea[r], 1e-9), 0.0), 1.0)
        rough[r] = min(max((closeness - 0.7) / 0.3, 0.0), 1.0)
        u = w.opportunities[day, r] * w.supply_factor[day, r] * (1.0 if weather < sea[r] else 0.0)
        if w.smuggler_required[r] and not np.isnan(w.places_per_gang[r]):
            u = min(u, s.market.gangs[r] * w.places_per_gang[r]
                    / max(w.per_opportunity[day, r], 1e-9))
        u *= 1.0 - s.drivers.refusing[w.route_site[r]] * w.traffic_light_share[r]
        places[r] = u * (1.0 - w.haulier_closed[day]) if w.is_lorry[r] else u
    return places


@numba.njit(cache=True, nogil=True)
def per_boat(s, day) -> np.ndarray:
    """People per boat (nan where a route has no boats): the usual load of the time, and more
    when boat supply is squeezed, usual * (1 / supply)^elasticity, up to the maximum. More
    people wanting to go than the boats take are turned back, not squeezed in: the boats of
    2018 carried about seven however many waited."""
    w = s.world
    out = np.full(w.route_site.shape[0], np.nan)
    for r in range(out.shape[0]):
        if w.has_boats[r]:
            squeeze = 1.0 / max(w.supply_factor[day, r], 1e-3)
            out[r] = min(w.per_opportunity[day, r] * squeeze ** w.crowding_elasticity[r],
                         w.max_per_boat[r])
    return out


@numba.njit(cache=True, nogil=True)
def searched(places, searchers, elasticity) -> float:
    """Lorry places found by the night's searchers: the scheduled places, and more with
    diminishing returns when searchers outnumber them (parkings and roads further out)."""
    if searchers <= places or places <= 0.0:
        return places
    return places * (searchers / places) ** elasticity


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    w, t, rec = s.world, s.today, s.rec
    n_routes = w.route_site.shape[0]
    units = scheduled_units(s, day)
    places = units * w.per_opportunity[day]
    site_weights = kept_or_zero(places > 0, w.weight)
    movers, lanes, queue, demand = choose(s, day, site_weights)
    load = per_boat(s, day)
    base = day_base(s.keys.capacity, day)
    capacity = np.full(2 * n_routes, OWN_BOATS, dtype=np.int64)
    for r in range(n_routes):
        today = units[r] * load[r] if w.has_boats[r] else searched(places[r], demand[r],
                                                                  w.search_elasticity[r])
        capacity[r] = stochastic_round(today, unit(r, base))
    cut = lowest_k_cut(lanes, queue, capacity, demand)  # the first in each lane's queue board
    n = 0
    for i in range(movers.shape[0]):
        t.uid[n], t.route[n] = movers[i], lanes[i] % n_routes
        n += queue[i] <= cut[np.uintp(lanes[i])]  # (kept by moving on, without a branch)
    t.counts[BOARDED] = n
    turn_back(s, day, movers, lanes, queue, cut)
    rec.capacity[day], rec.people_per_boat[day] = capacity[:n_routes], load
    rec.demand[day] = demand[:n_routes] + demand[n_routes:]


@numba.njit(cache=True, nogil=True)
def turn_back(s, day, movers, lanes, queue, cut) -> None:
    """Those without a place go back to the camp for another night; a night lost counts
    against the route in their beliefs (turned_back_weight failures)."""
    p, rec, n_routes = s.people, s.rec, s.world.route_site.shape[0]
    weight = s.attempts.turned_back_weight if s.learning.on else 0.0
    for i in range(movers.shape[0]):
        if queue[i] > cut[np.uintp(lanes[i])]:
            r = lanes[i] % n_routes
            rec.turned_back[day, r] += 1
            p.belief_b[movers[i], r] += weight


class Attempts(Process):
    name = "attempts"
    route_results = ("capacity", "demand", "people_per_boat", "turned_back")
    streams = ("weather", "capacity", "decide", "hope", "route_choice", "queue")
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
            living_cost=float(sc.behaviour.living_cost_per_day),
            turned_back_weight=float(sc.learning.turned_back_weight) if sc.learning else 0.0,
            discouragement=float(sc.behaviour.discouragement),
            prior=float(sc.learning.prior_success) if sc.learning else 1.0,
        )
