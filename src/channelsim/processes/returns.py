"""Returns: detained people are released, transferred people come back to the coast (or not),
and people on the road reach the site they were heading for, each on their release day.

Today's releases are read from the release calendar (population.hold), so a day costs the
people released, not a look at everyone."""

from __future__ import annotations

import numba

from ..population import ExitReason, Status
from .base import Process


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    p, rec = s.people, s.rec
    uid = p.due_head[day]
    while uid >= 0:
        status, site = p.status[uid], p.site[uid]
        # an entry is current while its person is still held until today
        if p.release_day[uid] == day and status in (Status.DETAINED, Status.DISPERSED,
                                                    Status.TRAVELLING):
            if status == Status.DISPERSED and p.exit_reason[uid] == ExitReason.STAYED_AWAY:
                p.status[uid] = Status.LEFT
                p.exit_day[uid] = day
                rec.stayed_away[day, site] += 1
            else:
                if status == Status.DETAINED:
                    rec.releases[day, site] += 1
                elif status == Status.DISPERSED:
                    rec.returns[day, site] += 1
                else:
                    rec.relocations[day, site] += 1
                p.status[uid] = Status.WAITING
                p.release_day[uid] = -1
        uid = p.due_next[uid]


class Returns(Process):
    name = "returns"
    site_results = ("releases", "returns", "stayed_away", "relocations")
    kernel = staticmethod(step)
