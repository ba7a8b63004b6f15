"""Lorry drivers: forced entries at traffic lights make more of them refuse to stop.

refusing <- refusing * (1 - decay) + sensitivity * forced entries / lorries at lights; it cuts
the lorries reachable at lights the next day and causes road incidents (a driver running a
red light among people on the road).
"""

from __future__ import annotations

import numpy as np

from .base import Process


class Drivers(Process):
    name = "drivers"
    site_results = ("road_incidents", "refusing_share")
    streams = ("road",)

    def init(self, sim) -> None:
        sim.state.refusing = np.zeros(sim.world.n_sites)
        self.configs = [s.drivers for s in sim.scenario.sites.values()]

    def step(self, sim) -> None:
        world, day, st = sim.world, sim.day, sim.state
        if not any(self.configs):
            return
        lights = world.traffic_light_share
        at_lights = np.bincount(world.route_site, weights=world.opportunities[day] * lights,
                                minlength=world.n_sites)
        forced = np.bincount(world.route_site, minlength=world.n_sites,
                             weights=sim.rec.route["attempts"][day] * (lights > 0))
        for s, cfg in enumerate(self.configs):
            if cfg is None:
                continue
            share = cfg.traffic_light_share
            added = cfg.sensitivity * forced[s] * share / max(at_lights[s], 1.0)
            st.refusing[s] = min(0.95, st.refusing[s] * (1 - cfg.decay) + added)
            sim.rec.site["road_incidents"][day, s] = sim.rng["road"].poisson(
                day, cfg.road_incident_rate * st.refusing[s] * at_lights[s], slot=s)
        sim.rec.site["refusing_share"][day] = st.refusing
