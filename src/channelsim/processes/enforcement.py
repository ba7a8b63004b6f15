"""The enforcement response: each site applies its interception policy to those it stopped."""

from __future__ import annotations

import numpy as np

from ..policies import apply_interception_policy
from ..population import Status
from .base import Process


class Enforcement(Process):
    name = "enforcement"
    site_results = ("detentions", "transfers")
    streams = ("transfer_delay", "transfer_return")

    def step(self, sim) -> None:
        uids = sim.today.intercepted
        if len(uids) == 0:
            return
        people, world = sim.people, sim.world
        sites = people.site[uids]
        for s in np.unique(sites):
            apply_interception_policy(sim, uids[sites == s], world.policy_on(sim.day, s))
        status = people.status[uids]
        for name, code in (("detentions", Status.DETAINED), ("transfers", Status.DISPERSED)):
            sim.rec.site[name][sim.day] = np.bincount(
                sites[status == code], minlength=world.n_sites
            )
