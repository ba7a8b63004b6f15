"""The day's end: one pass over the people still on the coast.

In that pass, waiting people may leave the coast (the exits process's rule), those who
finished today (crossed, left or died) leave the active index, the day's stocks are counted
by site and status, and each person still here tosses the coin that says whether they would
try tomorrow (the attempts process's daily chance; attempts keeps those who are waiting at an
open site when the day comes). A pass over everyone costs about as much as the little work
done in it, so one pass does what three did.
"""

from __future__ import annotations

import numba
import numpy as np

from .population import N_ACTIVE, N_STATUS, Status
from .processes import exits
from .processes.base import SWEPT, TRIES
from .random import day_base, unit, units


@numba.njit(cache=True, nogil=True)
def end_day(s, day) -> None:
    """Days are counted as the people active before the finished leave (so crossing day
    counts); the active index keeps its order."""
    p, rec, t, cfg = s.people, s.rec, s.today, s.exits
    n_active = p.counts[N_ACTIVE]
    rec.active_person_days[0] += n_active
    active = p.active[:n_active]
    # the draws first, in passes numba turns into vector instructions
    u_exit = units(active, day_base(s.keys.exit, day))
    tries_tomorrow = units(active, day_base(s.keys.decide, day + 1))
    b_reason, chance = day_base(s.keys.exit_reason, day), s.attempts.attempt_probability
    # counts by (site, status) in four interleaved tables: most people share a site and
    # status, and one counter bumped for each would make every increment wait for the last
    n_sites = rec.waiting.shape[1]
    tables = np.zeros((4, n_sites, N_STATUS), dtype=np.int64)
    kept, tries = 0, 0
    # (indices unsigned where they can be: numba then skips the check for negative ones,
    # which took half of this loop's time)
    for i in range(n_active):
        uid = np.uintp(active[i])
        st = p.status[uid]
        if st == Status.WAITING and cfg.on and u_exit[i] < exits.hazard(
                cfg, p.attempts[uid], day - p.arrival_day[uid]):
            p.status[uid] = Status.LEFT
            st = p.status[uid]
            p.exit_day[uid] = day
            p.exit_reason[uid] = exits.reason(cfg, unit(uid, b_reason))
            rec.exits[day, p.site[uid]] += 1
        tables[np.uintp(i & 3), np.uintp(p.site[uid]), np.uintp(st)] += 1
        stays = st < Status.CROSSED  # not crossed, left or dead
        p.active[kept] = uid
        kept += stays
        t.tries[tries] = uid
        tries += stays and tries_tomorrow[i] < chance
    p.counts[N_ACTIVE] = kept
    t.counts[TRIES], t.counts[SWEPT] = tries, kept
    table = tables.sum(axis=0)
    rec.waiting[day] = table[:, Status.WAITING]
    rec.detained[day] = table[:, Status.DETAINED]
    rec.dispersed[day] = table[:, Status.DISPERSED]
    rec.travelling[day] = table[:, Status.TRAVELLING]
    ended = table.sum(axis=0)
    if day > 0:
        ended[Status.CROSSED:] += rec.status[day - 1, Status.CROSSED:]
    rec.status[day] = ended


assert Status.CROSSED == 4 and Status.LEFT > 4 and Status.DEAD > 4
