"""Learning and rumours: beliefs Beta(a, b) about each route's chance of success.

A person's own failures add to b. Each group (people of one origin at one site) remembers the
recent outcomes of its members' attempts; each day some people take on part of their group's
view (rumours), and newcomers start from it. Beliefs then drive route choice and relocation.
"""

from __future__ import annotations

import numpy as np

from ..population import Status
from .base import Process


def group_view(sim, sites: np.ndarray, origins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) a group's rumours carry, per person and route: the group's recent success
    rate per attempt, shrunk towards the prior, with the prior's strength."""
    cfg, st = sim.scenario.learning, sim.state
    k = cfg.prior_strength
    wins, losses = st.wins[sites, origins], st.losses[sites, origins]
    rate = (wins + cfg.prior_success * k) / (wins + losses + k)
    return (rate * k).astype(np.float32), ((1 - rate) * k).astype(np.float32)


def newcomer_beliefs(sim, uids: np.ndarray) -> None:
    people = sim.people
    a, b = group_view(sim, people.site[uids], people.origin[uids])
    people.belief_a[uids] = a
    people.belief_b[uids] = b


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
        crossed = people.status[uids] == Status.CROSSED
        key = (people.site[uids], people.origin[uids], route)
        st.wins *= np.exp(-1.0 / cfg.memory_days)
        st.losses *= np.exp(-1.0 / cfg.memory_days)
        np.add.at(st.wins, key, crossed)
        np.add.at(st.losses, key, ~crossed)
        failed = ~crossed
        people.belief_b[uids[failed], route[failed]] += 1.0

        active = people.active
        waiting = active[people.status[active] == Status.WAITING]
        hearing = waiting[sim.rng["rumour"].below(day, waiting, cfg.rumour_probability)]
        a, b = group_view(sim, people.site[hearing], people.origin[hearing])
        w = cfg.rumour_weight
        people.belief_a[hearing] = (1 - w) * people.belief_a[hearing] + w * a
        people.belief_b[hearing] = (1 - w) * people.belief_b[hearing] + w * b
