"""Camps and their clearance: public-order incidents, dismantling, buses, care and scattering.

People waiting at a site form its camp. Public-order incidents (brawls, fights between
gangs) come with a daily chance rate * (camp / capacity)^2 * (1 + rivalry * gangs / 10): more
likely as the camp fills and as more smuggling gangs compete there. A clearance comes on a
scheduled date, when the camp passes a size, or after a number of incidents since the last
one (in the Calais report brawls preceded the clearance). It buses up to buses x seats adults to
centres across France (back after a delay, with a probability), takes minors into care, and a
share of the rest scatter to other sites; arrivals go on, so the camp regrows.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..policies.interception import transfer
from ..population import N_ACTIVE, ExitReason, Status
from ..random import day_base, unit
from ..sampling import pick, stable_order
from .base import Process
from .relocation import best_other_site, open_values, send

# one entry per clearance rule (a site may have several), and per site the day of its last
# clearance and the incidents since
Pars = namedtuple("Pars", ["site", "scheduled", "start", "threshold",
                           "incidents_to_clear", "cooldown", "camp_share", "seats",
                           "return_probability", "return_delay", "scatter_share", "last",
                           "incidents"])


@numba.njit(cache=True, nogil=True)
def public_order(s, day) -> None:
    """Today's public-order incidents, at most one a site, from yesterday's camp."""
    cfg, w, rec = s.camps, s.world, s.rec
    gangs = np.zeros(cfg.last.shape[0])
    for r in range(w.route_site.shape[0]):
        if s.market.on[r]:
            gangs[w.route_site[r]] += s.market.gangs[r]
    base = day_base(s.keys.incident, day)
    for j in range(gangs.shape[0]):
        fill = rec.waiting[max(day - 1, 0), j] / w.site_capacity[j]
        chance = w.incident_rate[j] * fill**2 * (1.0 + w.incident_rivalry[j] * gangs[j] / 10.0)
        new = unit(j, base) < chance
        cfg.incidents[j] += new
        rec.public_order_incidents[day, j] = new


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    cfg = s.camps
    public_order(s, day)
    n_rules = cfg.site.shape[0]
    for i in range(n_rules):
        j = cfg.site[i]
        if cfg.last[j] == day:
            continue  # one clearance a site a day, whichever rule called it
        rested = day - cfg.last[j] >= cfg.cooldown[i] and day >= cfg.start[i]
        camp = s.rec.waiting[max(day - 1, 0), j]
        if (cfg.scheduled[day, i]
                or (rested and not np.isnan(cfg.threshold[i]) and camp >= cfg.threshold[i])
                or (rested and 0 < cfg.incidents_to_clear[i] <= cfg.incidents[j])):
            clear(s, day, i)


@numba.njit(cache=True, nogil=True)
def clear(s, day, i) -> None:
    """Clear the camp of rule i's site: care for minors, buses for as many adults as there are
    seats (in a random queue), scattering for a share of the rest."""
    cfg, p, k, w, rec = s.camps, s.people, s.keys, s.world, s.rec
    j = cfg.site[i]
    cfg.last[j], cfg.incidents[j] = day, 0
    b_camp = day_base(k.camp, day)
    adults = np.empty(p.counts[N_ACTIVE], dtype=np.int64)
    n_adults = 0
    for uid in p.active[: p.counts[N_ACTIVE]]:
        if p.status[uid] != Status.WAITING or p.site[uid] != j:
            continue
        if unit(uid, b_camp) >= cfg.camp_share[i]:
            continue  # lives elsewhere than this camp
        if p.minor[uid]:
            p.status[uid] = Status.LEFT
            p.exit_day[uid] = day
            p.exit_reason[uid] = ExitReason.INTO_CARE
            rec.into_care[day, j] += 1
        else:
            adults[n_adults] = uid
            n_adults += 1
    adults = adults[:n_adults]
    b_queue = day_base(k.bus_queue, day)
    queue = np.empty(n_adults)
    for q in range(n_adults):
        queue[q] = unit(adults[q], b_queue)
    order = stable_order(queue)
    n_bused = min(cfg.seats[i], n_adults)
    transfer(s, day, adults[order[:n_bused]], np.full(n_bused, cfg.return_probability[i]),
             np.full(n_bused, cfg.return_delay[i]))
    others = np.empty(cfg.last.shape[0] - 1, dtype=np.int64)  # the other sites
    for o in range(others.shape[0]):
        others[o] = o + (o >= j)
    weights = w.arrival_share[day, others]
    if weights.sum() <= 0:
        weights = np.ones(others.shape[0])
    cum = np.cumsum(weights)
    cum = cum / cum[-1] if others.shape[0] else cum
    b_scatter, b_site = day_base(k.scatter, day), day_base(k.scatter_site, day)
    scatter = np.empty(n_adults, dtype=np.int64)
    dest = np.empty(n_adults, dtype=np.int64)
    n_scatter = 0
    route_value, moves = open_values(w, day), s.relocation
    for q in order[n_bused:]:
        uid = adults[q]
        if others.shape[0] and unit(uid, b_scatter) < cfg.scatter_share[i]:
            # where they think best, as relocation values the sites; else as newcomers go
            there = best_other_site(route_value, w.route_site, p.belief_a, p.belief_b,
                                    s.learning.on, uid, p.site[uid], moves.penalty,
                                    moves.distance_cost)[0] if moves.on else -1
            scatter[n_scatter] = uid
            dest[n_scatter] = there if there >= 0 else others[pick(cum, unit(uid, b_site))]
            n_scatter += 1
    send(s, day, scatter[:n_scatter], dest[:n_scatter])
    rec.scattered[day, j] += n_scatter
    rec.clearances[day, j] += 1
    rec.bused[day, j] += n_bused


class Camps(Process):
    name = "camps"
    site_results = ("public_order_incidents", "clearances", "bused", "into_care", "scattered")
    streams = ("incident", "camp", "bus_queue", "scatter", "scatter_site", "transfer_delay",
               "transfer_return")
    kernel = staticmethod(step)

    def init(self, sim) -> Pars:
        world = sim.world
        rules = []  # (site, rule)
        for j, site in enumerate(sim.scenario.sites.values()):
            listed = site.clearance if isinstance(site.clearance, list) else [site.clearance]
            rules += [(j, rule) for rule in listed if rule is not None]
        scheduled = np.zeros((world.n_days, len(rules)), dtype=np.bool_)
        for i, (_, rule) in enumerate(rules):
            days = [world.day_of(d) for d in rule.dates]
            scheduled[[d for d in days if 0 <= d < world.n_days], i] = True

        def each(get, dtype=float) -> np.ndarray:
            return np.array([get(rule) for _, rule in rules], dtype=dtype)

        return Pars(
            site=np.array([j for j, _ in rules], dtype=np.int64),
            scheduled=scheduled,
            start=each(lambda r: world.day_of(r.triggers_from) if r.triggers_from else 0,
                       np.int64),
            threshold=each(lambda r: np.nan if r.threshold is None else r.threshold),
            incidents_to_clear=each(lambda r: r.incidents_to_clear or 0, np.int64),
            cooldown=each(lambda r: r.cooldown_days, np.int64),
            camp_share=each(lambda r: r.camp_share),
            seats=each(lambda r: r.buses * r.seats, np.int64),
            return_probability=each(lambda r: r.return_probability),
            return_delay=each(lambda r: r.return_delay_days),
            scatter_share=each(lambda r: r.scatter_share),
            last=np.full(world.n_sites, -10**6, dtype=np.int64),
            incidents=np.zeros(world.n_sites, dtype=np.int64),
        )
