"""Returns: detained people are released, transferred people come back to the coast (or not),
and people on the road reach the site they were heading for."""

from __future__ import annotations

import numpy as np

from ..population import ExitReason, Status
from .base import Process


class Returns(Process):
    name = "returns"
    site_results = ("releases", "returns", "stayed_away", "relocations")

    def step(self, sim) -> None:
        people, day = sim.people, sim.day
        due = people.due(day)
        if len(due) == 0:
            return
        status = people.status[due]
        n_sites = sim.world.n_sites
        released = due[status == Status.DETAINED]
        away = people.exit_reason[due] == ExitReason.STAYED_AWAY
        back = due[(status == Status.DISPERSED) & ~away]
        gone = due[(status == Status.DISPERSED) & away]
        arrived = due[status == Status.TRAVELLING]
        for uids in (released, back, arrived):
            people.status[uids] = Status.WAITING
            people.release_day[uids] = -1
        people.status[gone] = Status.LEFT
        people.exit_day[gone] = day
        sim.rec.site["releases"][day] = np.bincount(people.site[released], minlength=n_sites)
        sim.rec.site["returns"][day] = np.bincount(people.site[back], minlength=n_sites)
        sim.rec.site["stayed_away"][day] = np.bincount(people.site[gone], minlength=n_sites)
        sim.rec.site["relocations"][day] = np.bincount(people.site[arrived], minlength=n_sites)
