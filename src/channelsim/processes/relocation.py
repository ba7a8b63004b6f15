"""Relocation: people move between sites when another looks better, and travel takes days.

A site's value to a person is the best believed chance among its routes open today (times the
route's weight), less its overcrowding and the distance to it; the daily chance of moving is
`rate` times the gap between the best other site and the current one.
"""

from __future__ import annotations

import numba
import numpy as np

from ..population import Status
from ..random import unit
from .base import Process


@numba.njit(cache=True, nogil=True)
def _movers(active, status, site, belief_a, belief_b, use_beliefs, route_site, route_value,
            site_penalty, distance_cost, rate, base):
    """(uid, destination) of waiting people who decide to move today."""
    n_sites, n_routes = distance_cost.shape[0], route_site.shape[0]
    uids = np.empty(active.shape[0], dtype=np.int32)
    dest = np.empty(active.shape[0], dtype=np.int64)
    value = np.empty(n_sites)
    k = 0
    # a move needs u < rate * gap, and no gap exceeds the best route value: draw first, and
    # value the sites only for the few whose draw leaves a move possible
    ceiling = rate * (route_value.max() + site_penalty.max()) if n_routes else 0.0
    for uid in active:
        if status[uid] != 1:  # 1 = Status.WAITING
            continue
        u = unit(uid, base)
        if u >= ceiling:
            continue
        value[:] = 0.0
        for r in range(n_routes):
            v = route_value[r]
            if use_beliefs:
                v *= belief_a[uid, r] / (belief_a[uid, r] + belief_b[uid, r])
            if v > value[route_site[r]]:
                value[route_site[r]] = v
        here = site[uid]
        best, best_v = -1, -1e300
        for j in range(n_sites):
            if j != here:
                v = value[j] - site_penalty[j] - distance_cost[here, j]
                if v > best_v:
                    best, best_v = j, v
        gap = best_v - (value[here] - site_penalty[here])
        if best >= 0 and gap > 0 and u < rate * gap:
            uids[k] = uid
            dest[k] = best
            k += 1
    return uids[:k], dest[:k]


def send(sim, uids: np.ndarray, dest: np.ndarray) -> None:
    """Put people on the road to `dest`: travelling until the distance is covered."""
    people, world = sim.people, sim.world
    km_per_day = sim.scenario.relocation.km_per_day if sim.scenario.relocation else 150.0
    days = np.maximum(1, np.ceil(world.distance_km[people.site[uids], dest] / km_per_day))
    people.status[uids] = Status.TRAVELLING
    people.site[uids] = dest
    people.hold(uids, np.minimum(sim.day + days, np.iinfo(np.int16).max).astype(np.int64))
    sim.rec.site["moves_to"][sim.day] += np.bincount(dest, minlength=world.n_sites)


def overcrowding(sim) -> np.ndarray:
    """How far each camp was over its capacity yesterday (0 when within it)."""
    waiting = sim.rec.site["waiting"][max(sim.day - 1, 0)]
    return np.maximum(0.0, waiting / sim.world.site_capacity - 1.0)


class Relocation(Process):
    name = "relocation"
    site_results = ("moves_to",)  # counted at the destination, on the day of leaving
    streams = ("relocate",)

    def step(self, sim) -> None:
        cfg = sim.scenario.relocation
        if cfg is None:
            return
        world, people, day = sim.world, sim.people, sim.day
        route_value = world.weight * (world.opportunities[day] > 0)
        uids, dest = _movers(
            people.active, people.status, people.site, people.belief_a, people.belief_b,
            sim.scenario.learning is not None, world.route_site, route_value,
            cfg.crowding_cost * overcrowding(sim),
            cfg.distance_cost_per_100km * world.distance_km / 100.0, cfg.rate,
            sim.rng["relocate"].base(day),
        )
        send(sim, uids, dest)
