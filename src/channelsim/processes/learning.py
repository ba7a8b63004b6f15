"""Learning, rumours and news: beliefs Beta(a, b) about each route's chance of success.

A person's own failures (and nights turned back, in attempts.py) add to b. People of one
origin at one site remember the recent outcomes of their attempts there: that is their view
of the site's own routes. What happens at other sites reaches them as news, late: their view
of another site's routes follows the outcomes there with a lag of about `news_lag_days`. Each
day some people take on part of their view (rumours), and newcomers start from it. An
information campaign at a site cuts newcomers' beliefs and the rumours heard there. Beliefs
then drive the wish to try, route choice and relocation, so a route that fails more at one
site makes people there look to the others.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..population import N_ACTIVE, Status
from ..random import day_base, drawn_below, unit
from .base import BOARDED, Process

Pars = namedtuple("Pars", ["on", "prior_strength", "prior_success", "keep", "rumour_weight",
                           "rumour_probability", "news_speed", "wins", "losses", "news",
                           "rate"])


@numba.njit(cache=True, nogil=True)
def update_rate(s) -> None:
    """Each group's view (sites, origins, routes): for its own site's routes, its recent
    success rate per attempt shrunk towards the prior with the prior's strength; for other
    sites' routes, the news, which moves each day a step towards the rate seen there."""
    lr, route_site = s.learning, s.world.route_site
    k = lr.prior_strength
    local = (lr.wins + lr.prior_success * k) / (lr.wins + lr.losses + k)
    for r in range(route_site.shape[0]):
        there = local[route_site[r], :, r]
        lr.news[:, r] += lr.news_speed * (there - lr.news[:, r])
        for j in range(local.shape[0]):
            lr.rate[j, :, r] = there if j == route_site[r] else lr.news[:, r]


@numba.njit(cache=True, nogil=True)
def newcomer_beliefs(s, start, stop, day) -> None:
    p, lr, cut = s.people, s.learning, s.world.campaign_cut[day]
    for uid in range(start, stop):
        view = lr.rate[p.site[uid], p.origin[uid]]
        told = 1.0 - cut[p.site[uid]]
        for r in range(view.shape[0]):
            p.belief_a[uid, r] = view[r] * told * lr.prior_strength
            p.belief_b[uid, r] = (1 - view[r] * told) * lr.prior_strength


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    """Today's attempts: the group remembers each outcome, a failure adds to one's own b; then
    waiting people who hear their group today move their beliefs towards its view."""
    lr, p, t = s.learning, s.people, s.today
    if not lr.on:
        return
    wins, losses = lr.wins, lr.losses
    wins *= lr.keep  # in place: forgetting older outcomes
    losses *= lr.keep
    for i in range(t.counts[BOARDED]):
        uid, r = t.uid[i], t.route[i]
        if p.status[uid] == Status.CROSSED:
            wins[p.site[uid], p.origin[uid], r] += 1.0
        else:
            losses[p.site[uid], p.origin[uid], r] += 1.0
            p.belief_b[uid, r] += 1.0
    update_rate(s)
    base, w, strength = day_base(s.keys.rumour, day), lr.rumour_weight, lr.prior_strength
    heard = 1.0 - s.world.campaign_damping[day]  # campaigns: fewer hear the rumours
    for uid in drawn_below(p.active[: p.counts[N_ACTIVE]], base, lr.rumour_probability):
        if p.status[uid] != Status.WAITING or unit(uid, base) >= lr.rumour_probability * heard[
                p.site[uid]]:
            continue
        view = lr.rate[p.site[uid], p.origin[uid]]
        for r in range(view.shape[0]):
            p.belief_a[uid, r] = (1 - w) * p.belief_a[uid, r] + w * strength * view[r]
            p.belief_b[uid, r] = (1 - w) * p.belief_b[uid, r] + w * strength * (1 - view[r])


class Learning(Process):
    name = "learning"
    streams = ("rumour",)
    kernel = staticmethod(step)

    def init(self, sim) -> Pars:
        cfg, world = sim.scenario.learning, sim.world
        shape = (world.n_sites, len(world.origin_ids), world.n_routes)
        return Pars(
            on=cfg is not None,
            prior_strength=float(cfg.prior_strength) if cfg else 1.0,
            prior_success=float(cfg.prior_success) if cfg else 0.5,
            keep=float(np.exp(-1.0 / cfg.memory_days)) if cfg else 1.0,
            rumour_weight=float(cfg.rumour_weight) if cfg else 0.0,
            rumour_probability=float(cfg.rumour_probability) if cfg else 0.0,
            news_speed=float(-np.expm1(-1.0 / cfg.news_lag_days)) if cfg else 0.0,
            wins=np.zeros(shape), losses=np.zeros(shape),
            news=np.full(shape[1:], float(cfg.prior_success) if cfg else 0.5),
            # the groups' view, renewed when their memory changes (each day's step): with no
            # outcomes yet it is the prior
            rate=np.full(shape, float(cfg.prior_success) if cfg else 0.5),
        )
