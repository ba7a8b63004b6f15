"""Returns: detained people are released, transferred people come back to the coast (or not),
and people on the road reach the site they were heading for, each on their release day."""

from __future__ import annotations

import numba

from ..population import N_ACTIVE, ExitReason, Status
from .base import Process


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    p, rec = s.people, s.rec
    for uid in p.active[: p.counts[N_ACTIVE]]:
        status = p.status[uid]
        if p.release_day[uid] != day or status == Status.WAITING or status >= Status.CROSSED:
            continue
        site = p.site[uid]
        if status == Status.DISPERSED and p.exit_reason[uid] == ExitReason.STAYED_AWAY:
            p.status[uid] = Status.LEFT
            p.exit_day[uid] = day
            rec.stayed_away[day, site] += 1
            continue
        if status == Status.DETAINED:
            rec.releases[day, site] += 1
        elif status == Status.DISPERSED:
            rec.returns[day, site] += 1
        else:
            rec.relocations[day, site] += 1
        p.status[uid] = Status.WAITING
        p.release_day[uid] = -1


class Returns(Process):
    name = "returns"
    site_results = ("releases", "returns", "stayed_away", "relocations")
    kernel = staticmethod(step)
