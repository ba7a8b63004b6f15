"""What a site does with the people it intercepts: warn and release, detain, or transfer.

A scenario's `policy.type` is resolved up front into a code per day and site with its
parameters (`policy_arrays`), so the daily kernel only branches on the code. Adding a policy
is a schema class in scenario.py, a code here and its branch in `intercepted`.
"""

from __future__ import annotations

import numba
import numpy as np

from ..population import ExitReason, Status, hold
from ..random import day_base, unit
from ..sampling import geometric_at_least_1
from ..scenario import Detain, Transfer, WarnRelease

WARN_RELEASE, DETAIN, TRANSFER = 0, 1, 2
CODES = {WarnRelease: WARN_RELEASE, Detain: DETAIN, Transfer: TRANSFER}


def policy_arrays(schedules: list, n_days: int) -> dict[str, np.ndarray]:
    """From each site's [(first day, policy)], the daily (days, sites) arrays the kernel reads:
    the policy's code, days held (detain), and return probability and mean delay (transfer)."""
    shape = (n_days, len(schedules))
    out = {"policy": np.zeros(shape, dtype=np.int8), "policy_days": np.zeros(shape),
           "policy_return": np.zeros(shape), "policy_delay": np.ones(shape)}
    for s, steps in enumerate(schedules):
        for first, policy in steps:
            when = slice(max(first, 0), None)
            out["policy"][when, s] = CODES[type(policy)]
            if isinstance(policy, Detain):
                out["policy_days"][when, s] = policy.days
            if isinstance(policy, Transfer):
                out["policy_return"][when, s] = policy.return_probability
                out["policy_delay"][when, s] = policy.return_delay_days
    return out


# The helpers work on a list of people and take the State, of which they read the parts once:
# called once a person with the parts (namedtuples of arrays), numba would count references
# to every array at each call.

@numba.njit(cache=True, nogil=True)
def intercepted(s, day, uids) -> None:
    """Apply the policy in force today at each person's site. Warn and release does
    nothing: the person is back in the camp and may try again tomorrow."""
    p, w = s.people, s.world
    away = np.empty(uids.shape[0], dtype=np.int64)
    chance, delay = np.empty(uids.shape[0]), np.empty(uids.shape[0])
    n = 0
    for uid in uids:
        site = p.site[uid]
        code = w.policy[day, site]
        if code == DETAIN:
            p.status[uid] = Status.DETAINED
            hold(p, uid, day + int(w.policy_days[day, site]))
        elif code == TRANSFER:
            away[n] = uid
            chance[n], delay[n] = w.policy_return[day, site], w.policy_delay[day, site]
            n += 1
    if n:
        transfer(s, day, away[:n], chance[:n], delay[:n])


@numba.njit(cache=True, nogil=True)
def transfer(s, day, uids, return_probability, delay_mean) -> None:
    """Bused to a centre away from the coast; whether and when each comes back is drawn now
    (return_probability and delay_mean: one per person)."""
    p, keys = s.people, s.keys
    b_delay, b_return = day_base(keys.transfer_delay, day), day_base(keys.transfer_return, day)
    for i in range(uids.shape[0]):
        uid = uids[i]
        p.status[uid] = Status.DISPERSED
        hold(p, uid, day + geometric_at_least_1(unit(uid, b_delay), delay_mean[i]))
        if unit(uid, b_return) >= return_probability[i]:
            p.exit_reason[uid] = ExitReason.STAYED_AWAY
