"""Learning and rumours: beliefs Beta(a, b) about each route's chance of success.

A person's own failures add to b. Each group (people of one origin at one site) remembers the
recent outcomes of its members' attempts; each day some people take on part of their group's
view (rumours), and newcomers start from it. Beliefs then drive route choice and relocation.
"""

from __future__ import annotations

import numba
import numpy as np

from ..population import Status
from ..random import unit
from .base import Process


def group_rate(sim) -> np.ndarray:
    """(sites, origins, routes): each group's recent success rate per attempt, shrunk towards
    the prior with the prior's strength; rumours carry it at that strength."""
    cfg, st = sim.scenario.learning, sim.state
    k = cfg.prior_strength
    return (st.wins + cfg.prior_success * k) / (st.wins + st.losses + k)


def newcomer_beliefs(sim, uids: np.ndarray) -> None:
    people, k = sim.people, sim.scenario.learning.prior_strength
    rate = group_rate(sim)[people.site[uids], people.origin[uids]]
    people.belief_a[uids] = rate * k
    people.belief_b[uids] = (1 - rate) * k


@numba.njit(cache=True, nogil=True)
def _outcomes(uids, route, status, site, origin, belief_b, wins, losses):
    """Today's attempts: the group remembers each outcome; a failure adds to one's own b."""
    for i in range(uids.shape[0]):
        uid, r = uids[i], route[i]
        if status[uid] == 4:  # 4 = Status.CROSSED
            wins[site[uid], origin[uid], r] += 1.0
        else:
            losses[site[uid], origin[uid], r] += 1.0
            belief_b[uid, r] += 1.0


@numba.njit(cache=True, nogil=True)
def _rumours(active, status, site, origin, belief_a, belief_b, rate, strength, weight, p, base):
    """Waiting people who hear their group today move their beliefs towards its view."""
    for uid in active:
        if status[uid] != 1 or unit(uid, base) >= p:  # 1 = Status.WAITING
            continue
        view = rate[site[uid], origin[uid]]
        for r in range(view.shape[0]):
            belief_a[uid, r] = (1 - weight) * belief_a[uid, r] + weight * strength * view[r]
            belief_b[uid, r] = (1 - weight) * belief_b[uid, r] + weight * strength * (1 - view[r])


assert Status.WAITING == 1 and Status.CROSSED == 4, "the kernels hard-code these codes"


class Learning(Process):
    name = "learning"
    streams = ("rumour",)

    def init(self, sim) -> None:
        shape = (sim.world.n_sites, len(sim.world.origin_ids), sim.world.n_routes)
        sim.state.wins = np.zeros(shape)
        sim.state.losses = np.zeros(shape)
        if sim.scenario.learning is not None:
            newcomer_beliefs(sim, np.arange(sim.people.n))

    def step(self, sim) -> None:
        cfg = sim.scenario.learning
        if cfg is None:
            return
        people, st, day, today = sim.people, sim.state, sim.day, sim.today
        uids, route = today.attempters, today.route
        st.wins *= np.exp(-1.0 / cfg.memory_days)
        st.losses *= np.exp(-1.0 / cfg.memory_days)
        _outcomes(uids, route, people.status, people.site, people.origin, people.belief_b,
                  st.wins, st.losses)

        _rumours(people.active, people.status, people.site, people.origin, people.belief_a,
                 people.belief_b, group_rate(sim), cfg.prior_strength, cfg.rumour_weight,
                 cfg.rumour_probability, sim.rng["rumour"].base(day))
