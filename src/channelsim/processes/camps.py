"""Camps and their clearance: public-order incidents, dismantling, buses, care and scattering.

People waiting at a site form its camp. A clearance comes on a scheduled date, when the camp
passes a size, or after public-order incidents, whose daily chance rises with overcrowding (in
the Calais report brawls preceded the clearance). It buses up to buses x seats adults to
centres across France (back after a delay, with a probability), takes minors into care, and a
share of the rest scatter to other sites; arrivals go on, so the camp regrows.
"""

from __future__ import annotations

import numpy as np

from ..policies.interception import transfer
from ..population import ExitReason, Status
from ..sampling import categorical
from ..scenario import Transfer
from .base import Process
from .relocation import overcrowding, send


class Camps(Process):
    name = "camps"
    site_results = ("public_order_incidents", "clearances", "bused", "into_care", "scattered")
    streams = ("incident", "camp", "bus_queue", "scatter", "scatter_site", "transfer_delay",
               "transfer_return")

    def init(self, sim) -> None:
        world = sim.world
        self.rules = []  # (site, rule, scheduled days, first day of triggers)
        for s, site in enumerate(sim.scenario.sites.values()):
            rules = site.clearance if isinstance(site.clearance, list) else [site.clearance]
            for rule in filter(None, rules):
                days = {world.day_of(d) for d in rule.dates}
                start = world.day_of(rule.triggers_from) if rule.triggers_from else 0
                self.rules.append((s, rule, days, start))
        self.last = np.full(world.n_sites, -10**6)
        self.incidents = np.zeros(world.n_sites, dtype=np.int64)

    def step(self, sim) -> None:
        if not self.rules:
            return
        day = sim.day
        crowding = overcrowding(sim)
        u = sim.rng["incident"].uniform(day, np.arange(sim.world.n_sites))
        incident_rate = np.zeros(sim.world.n_sites)
        for s, rule, _, start in self.rules:
            if day >= start:
                incident_rate[s] = max(incident_rate[s], rule.incident_rate)
        new = u < incident_rate * crowding
        self.incidents += new
        sim.rec.site["public_order_incidents"][day] = new
        for s, rule, days, start in self.rules:
            if self.last[s] == day:
                continue  # one clearance a site a day, whichever rule called it
            rested = day - self.last[s] >= rule.cooldown_days and day >= start
            camp = sim.rec.site["waiting"][max(day - 1, 0), s]
            if (day in days
                    or (rested and rule.threshold is not None and camp >= rule.threshold)
                    or (rested and rule.incident_rate > 0
                        and self.incidents[s] >= rule.incidents_to_clear)):
                self.clear(sim, s, rule)

    def clear(self, sim, s: int, cfg) -> None:
        people, day, rec, rng = sim.people, sim.day, sim.rec.site, sim.rng
        self.last[s], self.incidents[s] = day, 0
        active = people.active
        camp = active[(people.status[active] == Status.WAITING) & (people.site[active] == s)]
        camp = camp[rng["camp"].below(day, camp, cfg.camp_share)]  # who lives in this camp
        minors = camp[people.minor[camp]]
        people.status[minors] = Status.LEFT
        people.exit_day[minors] = day
        people.exit_reason[minors] = ExitReason.INTO_CARE
        adults = camp[~people.minor[camp]]
        seats = cfg.buses * cfg.seats
        order = np.argsort(rng["bus_queue"].uniform(day, adults), kind="stable")
        bused, rest = adults[order[:seats]], adults[order[seats:]]
        transfer(sim, bused, Transfer(type="transfer", return_probability=cfg.return_probability,
                                      return_delay_days=cfg.return_delay_days))
        scatter = rest[rng["scatter"].below(day, rest, cfg.scatter_share)]
        others = np.delete(np.arange(sim.world.n_sites), s)
        if len(others) and len(scatter):
            weights = sim.world.arrival_share[others]
            weights = weights if weights.sum() > 0 else np.ones(len(others))
            pick = categorical(rng["scatter_site"].uniform(day, scatter), weights)
            send(sim, scatter, others[pick])
        else:
            scatter = scatter[:0]
        rec["clearances"][day, s] += 1
        rec["bused"][day, s] += len(bused)
        rec["into_care"][day, s] += len(minors)
        rec["scattered"][day, s] += len(scatter)
