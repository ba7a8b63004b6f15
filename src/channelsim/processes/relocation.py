"""Relocation: people move between sites when another looks better, and travel takes days.

A site's value to a person is the best believed chance among its routes open today (times the
route's weight), less its overcrowding and the distance to it; the daily chance of moving is
`rate` times the gap between the best other site and the current one.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..population import N_ACTIVE, Status, hold
from ..random import day_base, drawn_below, unit
from .base import Process

Pars = namedtuple("Pars", ["on", "rate", "crowding_cost", "distance_cost", "km_per_day"])


@numba.njit(cache=True, nogil=True)
def overcrowding(s, day) -> np.ndarray:
    """How far each camp was over its capacity yesterday (0 when within it)."""
    waiting = s.rec.waiting[max(day - 1, 0)]
    return np.maximum(0.0, waiting / s.world.site_capacity - 1.0)


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
def step(s, day) -> None:
    """Waiting people who decide to move today set off for the best other site."""
    cfg, w, p = s.relocation, s.world, s.people
    if not cfg.on:
        return
    n_sites, n_routes = w.distance_km.shape[0], w.route_site.shape[0]
    route_value = w.weight * (w.opportunities[day] > 0)
    site_penalty = cfg.crowding_cost * overcrowding(s, day)
    base, use_beliefs = day_base(s.keys.relocate, day), s.learning.on
    value = np.empty(n_sites)
    # a move needs u < rate * gap, and no gap exceeds the best route value: draw first, and
    # value the sites only for the few whose draw leaves a move possible
    ceiling = cfg.rate * (route_value.max() + site_penalty.max()) if n_routes else 0.0
    drawn = drawn_below(p.active[: p.counts[N_ACTIVE]], base, ceiling)
    movers = np.empty(drawn.shape[0], dtype=np.int64)
    dest = np.empty(drawn.shape[0], dtype=np.int64)
    k = 0
    for uid in drawn:
        if p.status[uid] != Status.WAITING:
            continue
        u = unit(uid, base)
        value[:] = 0.0
        for r in range(n_routes):
            v = route_value[r]
            if use_beliefs:
                v *= p.belief_a[uid, r] / (p.belief_a[uid, r] + p.belief_b[uid, r])
            if v > value[w.route_site[r]]:
                value[w.route_site[r]] = v
        here = p.site[uid]
        best, best_v = -1, -1e300
        for j in range(n_sites):
            if j != here:
                v = value[j] - site_penalty[j] - cfg.distance_cost[here, j]
                if v > best_v:
                    best, best_v = j, v
        gap = best_v - (value[here] - site_penalty[here])
        if best >= 0 and gap > 0 and u < cfg.rate * gap:
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
            distance_cost=(cfg.distance_cost_per_100km if cfg else 0.0)
            * sim.world.distance_km / 100.0,
            km_per_day=float(cfg.km_per_day) if cfg else 150.0,
        )
