"""Lorry drivers: forced entries at traffic lights make more of them refuse to stop.

refusing <- refusing + (1 - refusing) * (1 - exp(-sensitivity * f)) - decay * refusing
with f the day's forced entries per lorry at lights: each entry turns some of the drivers
still stopping into refusers, and refusal relaxes when entries stop. For small
sensitivity * f it tends to sensitivity * f / (sensitivity * f + decay), below 1 without a
cap. It cuts the lorries reachable at lights the next
day and causes road incidents (a driver running a red light among people on the road).
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..random import poisson_on
from .base import Process

Pars = namedtuple("Pars", ["on", "at_site", "share", "sensitivity", "decay", "incident_rate",
                           "refusing"])


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    cfg, w, rec = s.drivers, s.world, s.rec
    if not cfg.on:
        return
    n_sites = cfg.refusing.shape[0]
    at_lights, forced = np.zeros(n_sites), np.zeros(n_sites)
    for r in range(w.route_site.shape[0]):
        lights = w.traffic_light_share[r]
        at_lights[w.route_site[r]] += w.opportunities[day, r] * lights
        forced[w.route_site[r]] += rec.attempts[day, r] * (lights > 0)
    for j in range(n_sites):
        if not cfg.at_site[j]:
            continue
        per_lorry = forced[j] * cfg.share[j] / max(at_lights[j], 1.0)
        r = cfg.refusing[j]
        cfg.refusing[j] = r - np.expm1(-cfg.sensitivity[j] * per_lorry) * (1.0 - r) \
            - cfg.decay[j] * r
        rec.road_incidents[day, j] = poisson_on(
            s.keys.road, day, cfg.incident_rate[j] * cfg.refusing[j] * at_lights[j], j)
    rec.refusing_share[day] = cfg.refusing


class Drivers(Process):
    name = "drivers"
    site_results = ("road_incidents", "refusing_share")
    streams = ("road",)
    kernel = staticmethod(step)

    def init(self, sim) -> Pars:
        configs = [s.drivers for s in sim.scenario.sites.values()]

        def each(attr: str) -> np.ndarray:
            return np.array([float(getattr(c, attr)) if c else 0.0 for c in configs])

        return Pars(
            on=any(configs), at_site=np.array([c is not None for c in configs]),
            share=each("traffic_light_share"), sensitivity=each("sensitivity"),
            decay=each("decay"), incident_rate=each("road_incident_rate"),
            refusing=np.zeros(len(configs)),
        )
