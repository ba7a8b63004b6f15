"""The day's end: one pass over the people still on the coast.

In that pass, waiting people may leave the coast (the exits process's rule) and spend the
day's living costs, those who finished today (crossed, left or died) leave the active index,
the day's stocks are counted by site and status, and each person still here tosses the coin
that says whether they would try tomorrow (the attempts process's daily chance; attempts keeps
those who are waiting at an open site when the day comes). The coin is their group's, so a
group's members want to go on the same nights. A pass over everyone costs about as much as
the little work done in it, so one pass does what three did.
"""

from __future__ import annotations

import numba
import numpy as np

from .population import N_ACTIVE, N_STATUS, Status
from .processes import exits
from .processes.base import SWEPT, TRIES
from .random import day_base, unit, units, units_of

BLOCK = 4096  # people whose draws are made together (a few pages of memory)


@numba.njit(cache=True, nogil=True)
def end_day(s, day) -> None:
    """Days are counted as the people active before the finished leave (so crossing day
    counts); the active index keeps its order."""
    p, rec, t, cfg = s.people, s.rec, s.today, s.exits
    n_active = p.counts[N_ACTIVE]
    rec.active_person_days[0] += n_active
    b_exit, b_try = day_base(s.keys.exit, day), day_base(s.keys.decide, day + 1)
    b_reason, chance = day_base(s.keys.exit_reason, day), s.attempts.attempt_probability
    factor, asylum_share = exits.today(s.world, day)
    living = np.float32(s.attempts.living_cost)
    # counts by (site, status) in four interleaved tables: most people share a site and
    # status, and one counter bumped for each would make every increment wait for the last
    n_sites = rec.waiting.shape[1]
    tables = np.zeros((4, n_sites, N_STATUS), dtype=np.int64)
    kept, tries = 0, 0
    for first in range(0, n_active, BLOCK):
        # a block's draws first, in loops numba turns into vector instructions (compacting
        # the index only ever writes to places already read)
        block = p.active[first: min(first + BLOCK, n_active)]
        u_exit, u_try = units(block, b_exit), units_of(p.group, block, b_try)
        # (indices unsigned where they can be: numba then skips the check for negative
        # ones, which took half of this loop's time)
        for j in range(block.shape[0]):
            uid = np.uintp(block[j])
            st = p.status[uid]
            if st == Status.WAITING and cfg.on and u_exit[j] < factor * exits.hazard(
                    cfg, p.attempts[uid], day - p.arrival_day[uid]):
                p.status[uid] = Status.LEFT
                st = p.status[uid]
                p.exit_day[uid] = day
                p.exit_reason[uid] = exits.reason(asylum_share, unit(uid, b_reason))
                rec.exits[day, p.site[uid]] += 1
            if st == Status.WAITING and living > 0:
                p.funds[uid] = max(p.funds[uid] - living, np.float32(0.0))
            tables[np.uintp(j & 3), np.uintp(p.site[uid]), np.uintp(st)] += 1
            stays = st < Status.CROSSED  # not crossed, left or dead
            p.active[kept] = uid
            kept += stays
            t.tries[tries] = uid
            tries += stays & (u_try[j] < chance)
    p.counts[N_ACTIVE] = kept
    t.counts[TRIES], t.counts[SWEPT] = tries, kept
    # the four tables summed by addition (numba's sum(axis=...) took 3.5 s of the compile,
    # its axis check's message most of it)
    table = tables[0] + tables[1] + tables[2] + tables[3]
    rec.waiting[day] = table[:, Status.WAITING]
    rec.detained[day] = table[:, Status.DETAINED]
    rec.dispersed[day] = table[:, Status.DISPERSED]
    rec.travelling[day] = table[:, Status.TRAVELLING]
    ended = np.zeros(N_STATUS, dtype=np.int64)
    for j in range(n_sites):
        ended += table[j]
    if day > 0:
        ended[Status.CROSSED:] += rec.status[day - 1, Status.CROSSED:]
    rec.status[day] = ended


assert Status.CROSSED == 4 and Status.LEFT > 4 and Status.DEAD > 4
