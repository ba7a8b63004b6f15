"""What a site does with the people it intercepts: warn and release, detain, or transfer.

The registry maps a scenario's `policy.type` to a handler, so adding a policy is adding a
function here and a schema class in scenario.py; nothing is evaluated from the file.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..population import ExitReason, Status
from ..sampling import geometric_days
from ..scenario import Detain, Transfer, WarnRelease


def warn_release(sim, uids: np.ndarray, policy: WarnRelease) -> None:
    """Nothing happens: the person is back in the camp and may try again tomorrow."""


def detain(sim, uids: np.ndarray, policy: Detain) -> None:
    sim.people.status[uids] = Status.DETAINED
    sim.people.hold(uids, np.full(len(uids), sim.day + policy.days))


def transfer(sim, uids: np.ndarray, policy: Transfer) -> None:
    """Bused to a centre away from the coast; whether and when each comes back is drawn now."""
    people, day, rng = sim.people, sim.day, sim.rng
    people.status[uids] = Status.DISPERSED
    delay = geometric_days(rng["transfer_delay"].uniform(day, uids), policy.return_delay_days)
    people.hold(uids, np.minimum(day + delay, np.iinfo(np.int16).max))
    stays_away = ~rng["transfer_return"].below(day, uids, policy.return_probability)
    people.exit_reason[uids[stays_away]] = ExitReason.STAYED_AWAY


INTERCEPTION_POLICIES: dict[type, Callable] = {
    WarnRelease: warn_release,
    Detain: detain,
    Transfer: transfer,
}


def apply_interception_policy(sim, uids: np.ndarray, policy) -> None:
    INTERCEPTION_POLICIES[type(policy)](sim, uids, policy)
