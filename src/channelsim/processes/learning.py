"""Learning and rumours: beliefs Beta(a, b) about each route's chance of success.

A person's own failures add to b. Each group (people of one origin at one site) remembers the
recent outcomes of its members' attempts; each day some people take on part of their group's
view (rumours), and newcomers start from it. Beliefs then drive route choice and relocation.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from ..population import N_ACTIVE, Status
from ..random import day_base, drawn_below
from .base import BOARDED, Process

Pars = namedtuple("Pars", ["on", "prior_strength", "prior_success", "keep", "rumour_weight",
                           "rumour_probability", "wins", "losses", "rate"])


@numba.njit(cache=True, nogil=True)
def update_rate(lr) -> None:
    """Each group's recent success rate per attempt (sites, origins, routes), shrunk towards
    the prior with the prior's strength; rumours carry it at that strength."""
    k = lr.prior_strength
    lr.rate[:] = (lr.wins + lr.prior_success * k) / (lr.wins + lr.losses + k)


@numba.njit(cache=True, nogil=True)
def newcomer_beliefs(s, start, stop) -> None:
    p, lr = s.people, s.learning
    for uid in range(start, stop):
        view = lr.rate[p.site[uid], p.origin[uid]]
        for r in range(view.shape[0]):
            p.belief_a[uid, r] = view[r] * lr.prior_strength
            p.belief_b[uid, r] = (1 - view[r]) * lr.prior_strength


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
    update_rate(lr)
    base, w, strength = day_base(s.keys.rumour, day), lr.rumour_weight, lr.prior_strength
    for uid in drawn_below(p.active[: p.counts[N_ACTIVE]], base, lr.rumour_probability):
        if p.status[uid] != Status.WAITING:
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
            wins=np.zeros(shape), losses=np.zeros(shape),
            # the groups' view, renewed when their memory changes (each day's step): with no
            # outcomes yet it is the prior
            rate=np.full(shape, float(cfg.prior_success) if cfg else 0.5),
        )
