"""The enforcement response: each site applies its interception policy to those it stopped."""

from __future__ import annotations

import numba

from ..policies.interception import intercepted
from ..population import Status
from .base import INTERCEPTED, Process


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    p, t, rec = s.people, s.today, s.rec
    stopped = t.intercepted[: t.counts[INTERCEPTED]]
    intercepted(s, day, stopped)
    for uid in stopped:
        if p.status[uid] == Status.DETAINED:
            rec.detentions[day, p.site[uid]] += 1
        elif p.status[uid] == Status.DISPERSED:
            rec.transfers[day, p.site[uid]] += 1


class Enforcement(Process):
    name = "enforcement"
    site_results = ("detentions", "transfers")
    streams = ("transfer_delay", "transfer_return")
    kernel = staticmethod(step)
