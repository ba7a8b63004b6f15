"""Relocation: people move between sites when another looks better, and travel takes days.

A site's value to a person is the best believed chance among its routes open today (times the
route's weight; beliefs about other sites come from news, learning.py), less the costs of
being there: its overcrowding, how often people are turned back from its full routes (the
wait), and the police pressure (the daily share of its camp detained, transferred or bused),
and less the distance to it. The daily chance of moving is `rate` times the gap between the
best other site and the current one. The wait and the pressure are smoothed over a week.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..population import N_ACTIVE, Status, hold
from ..random import day_base, drawn_below, unit
from .base import Process

Pars = namedtuple("Pars", ["on", "rate", "crowding_cost", "waiting_cost", "pressure_cost",
                           "distance_cost", "km_per_day", "turned_back", "pressure",
                           "penalty"])
SMOOTHING = 1 / 7


@numba.njit(cache=True, nogil=True)
def overcrowding(s, day) -> np.ndarray:
    """How far each camp was over its capacity yesterday (0 when within it)."""
    waiting = s.rec.waiting[max(day - 1, 0)]
    return np.maximum(0.0, waiting / s.world.site_capacity - 1.0)


@numba.njit(cache=True, nogil=True)
def site_costs(s, day) -> np.ndarray:
    """What being at each site costs in value: overcrowding, the wait for a place and police
    pressure, each from yesterday (the last two smoothed)."""
    cfg, w, rec = s.relocation, s.world, s.rec
    y = max(day - 1, 0)
    n_sites = cfg.turned_back.shape[0]
    turned, tried, held = np.zeros(n_sites), np.zeros(n_sites), np.zeros(n_sites)
    for r in range(w.route_site.shape[0]):
        turned[w.route_site[r]] += rec.turned_back[y, r]
        tried[w.route_site[r]] += rec.turned_back[y, r] + rec.attempts[y, r]
    for j in range(n_sites):
        held[j] = rec.detentions[y, j] + rec.transfers[y, j] + rec.bused[y, j]
        if tried[j] > 0:
            cfg.turned_back[j] += SMOOTHING * (turned[j] / tried[j] - cfg.turned_back[j])
        cfg.pressure[j] += SMOOTHING * (held[j] / max(rec.waiting[y, j], 1) - cfg.pressure[j])
    return (cfg.crowding_cost * overcrowding(s, day) + cfg.waiting_cost * cfg.turned_back
            + cfg.pressure_cost * cfg.pressure)


@numba.njit(cache=True, nogil=True)
def send(s, day, uids, dest) -> None:
    """Put people on the road to their destinations: travelling until the distance is
    covered (a list, for the reason given in policies/interception.py)."""
    p, w, rec, km_per_day = s.people, s.world, s.rec, s.relocation.km_per_day
    for i in range(uids.shape[0]):
        uid = uids[i]
        days = max(1.0, np.ceil(w.distance_km[p.site[uid], dest[i]] / km_per_day))
        p.status[uid] = Status.TRAVELLING
        p.site[uid] = dest[i]
        hold(p, uid, day + int(days))
        rec.moves_to[day, dest[i]] += 1


@numba.njit(cache=True, nogil=True)
def open_values(w, day) -> np.ndarray:
    """Each route's value today before beliefs: its weight if it is open, else 0."""
    return w.weight * (w.opportunities[day] > 0)


@numba.njit(inline="always")
def best_other_site(route_value, route_site, belief_a, belief_b, use_beliefs, uid, here,
                    penalty, distance_cost) -> tuple[int, float]:
    """The site a person would rather be at, and how much better it is than where they are
    (negative if it is worse): each site's value is its best route open today (route_value,
    from open_values), as they believe in it, less the site's costs (relocation.penalty,
    today's) and the distance. Called once a person, it takes arrays, not the State (see
    attempts.pays)."""
    n_sites = penalty.shape[0]
    value = np.zeros(n_sites)
    for r in range(route_site.shape[0]):
        v = route_value[r]
        if use_beliefs:
            v *= belief_a[uid, r] / (belief_a[uid, r] + belief_b[uid, r])
        value[route_site[r]] = max(value[route_site[r]], v)
    best, best_v = -1, -1e300
    for j in range(n_sites):
        if j != here:
            v = value[j] - penalty[j] - distance_cost[here, j]
            if v > best_v:
                best, best_v = j, v
    return best, best_v - (value[here] - penalty[here])


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    """Waiting people who decide to move today set off for the best other site."""
    cfg, w, p = s.relocation, s.world, s.people
    if not cfg.on:
        return
    cfg.penalty[:] = site_costs(s, day)
    base = day_base(s.keys.relocate, day)
    # a move needs u < rate * gap, and no gap exceeds the best route value plus the largest
    # cost: draw first, and value the sites only for the few whose draw leaves a move possible
    ceiling = cfg.rate * (w.weight.max() + cfg.penalty.max()) if w.weight.shape[0] else 0.0
    drawn = drawn_below(p.active[: p.counts[N_ACTIVE]], base, ceiling)
    movers = np.empty(drawn.shape[0], dtype=np.int64)
    dest = np.empty(drawn.shape[0], dtype=np.int64)
    route_value, use_beliefs, penalty, distance = (open_values(w, day), s.learning.on,
                                                   cfg.penalty, cfg.distance_cost)
    belief_a, belief_b = p.belief_a, p.belief_b
    k = 0
    for uid in drawn:
        if p.status[uid] != Status.WAITING:
            continue
        best, gap = best_other_site(route_value, w.route_site, belief_a, belief_b, use_beliefs,
                                    uid, p.site[uid], penalty, distance)
        if best >= 0 and gap > 0 and unit(uid, base) < cfg.rate * gap:
            movers[k], dest[k] = uid, best
            k += 1
    send(s, day, movers[:k], dest[:k])  # no one's choice depended on another's


class Relocation(Process):
    name = "relocation"
    site_results = ("moves_to",)  # counted at the destination, on the day of leaving
    streams = ("relocate",)
    kernel = staticmethod(step)

    def init(self, sim) -> Pars:
        cfg = sim.scenario.relocation
        return Pars(
            on=cfg is not None,
            rate=float(cfg.rate) if cfg else 0.0,
            crowding_cost=float(cfg.crowding_cost) if cfg else 0.0,
            waiting_cost=float(cfg.waiting_cost) if cfg else 0.0,
            pressure_cost=float(cfg.pressure_cost) if cfg else 0.0,
            distance_cost=(cfg.distance_cost_per_100km if cfg else 0.0)
            * sim.world.distance_km / 100.0,
            km_per_day=float(cfg.km_per_day) if cfg else 150.0,
            turned_back=np.zeros(sim.world.n_sites), pressure=np.zeros(sim.world.n_sites),
            penalty=np.zeros(sim.world.n_sites),  # today's site costs, for relocation and
            # for those scattered by a clearance
        )
