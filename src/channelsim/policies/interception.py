"""What a site does with the people it intercepts: warn and release, detain, or transfer.

A scenario's `policy.type` is resolved up front into a code per day and site with its
parameters (`policy_arrays`), so the daily kernel only branches on the code. Adding a policy
is a schema class in scenario.py, a code here and its branch in `intercepted`.
"""

from __future__ import annotations

import numba
import numpy as np

from ..population import ExitReason, Status
from ..random import day_base, unit
from ..sampling import geometric_days
from ..scenario import Detain, Transfer, WarnRelease

WARN_RELEASE, DETAIN, TRANSFER = 0, 1, 2
CODES = {WarnRelease: WARN_RELEASE, Detain: DETAIN, Transfer: TRANSFER}
LAST_DAY = np.iinfo(np.int16).max  # release days are int16


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


# Per-person helpers take the State's parts (people p, world w, stream keys), which the
# calling kernel took from the State once, not the State: each access to a part of the State
# counts references to all its arrays. (numba's inline="always" would copy the parts at every
# call in the loop, which costs as much.)

@numba.njit(cache=True, nogil=True)
def intercepted(p, w, keys, day, uid) -> None:
    """Apply the policy in force today at the person's site. Warn and release does nothing:
    the person is back in the camp and may try again tomorrow."""
    site = p.site[uid]
    code = w.policy[day, site]
    if code == DETAIN:
        p.status[uid] = Status.DETAINED
        p.release_day[uid] = day + int(w.policy_days[day, site])
    elif code == TRANSFER:
        transfer(p, keys, day, uid, w.policy_return[day, site], w.policy_delay[day, site])


@numba.njit(cache=True, nogil=True)
def transfer(p, keys, day, uid, return_probability, delay_mean) -> None:
    """Bused to a centre away from the coast; whether and when each comes back is drawn now."""
    p.status[uid] = Status.DISPERSED
    delay = geometric_days(unit(uid, day_base(keys.transfer_delay, day)), delay_mean)
    p.release_day[uid] = min(day + delay, LAST_DAY)
    if unit(uid, day_base(keys.transfer_return, day)) >= return_probability:
        p.exit_reason[uid] = ExitReason.STAYED_AWAY
