"""Scenarios that are valid but probably not what was meant: warned of, never refused.

A site without officers for the whole run, or arrival shares that do not add up to 1 (the
engine normalises them each day, so 0.5 and 0.7 silently become 42% and 58%), are legal
choices and common slips alike; `validate` and `run` say so on stderr and go on.
"""

from __future__ import annotations

import numpy as np

from .scenario import Scenario
from .world import resolve

SHARE_TOLERANCE = 0.05  # sums within 5% of 1 are taken as rounded shares


def doubts(sc: Scenario) -> list[str]:
    """A line for each suspicious choice, naming the key."""
    dates = np.arange(np.datetime64(sc.start, "D"), np.datetime64(sc.end, "D") + 1)
    out = []
    for sid, site in sc.sites.items():
        officers = resolve(site.officers, dates) + resolve(site.uk_officers, dates)
        if not officers.any():
            out.append(f"sites.{sid}.officers: no officers at {site.name} for the whole run "
                       f"({sc.start} to {sc.end}), so nobody is intercepted there by police")
    shares = np.stack([resolve(s.arrival_share, dates) for s in sc.sites.values()], axis=1)
    total = shares.sum(axis=1)
    off = np.abs(total - 1.0) > SHARE_TOLERANCE
    if len(sc.sites) > 1 and off.any():
        day = int(np.argmax(off))
        out.append(f"sites.*.arrival_share: the sites' shares add up to {total[day]:.3g} on "
                   f"{dates[day]} (and on {int(off.sum()):,} days in all), not 1; they are "
                   "scaled to add up to 1")
    return out
