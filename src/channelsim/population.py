"""People as a structure of arrays: uid = row, one typed numpy column per attribute.

Columns grow by doubling their capacity, so adding people never copies per person, and the
daily kernels work on `active` (the uids not yet crossed, left or dead) rather than on everyone
who ever arrived.
"""

from __future__ import annotations

from collections import namedtuple
from enum import IntEnum

import numba
import numpy as np

from . import compiled  # noqa: F401  (numba's cache is set up before any kernel)


class Status(IntEnum):
    TRAVELLING = 0  # moving between sites (relocation)
    WAITING = 1  # in a camp at a site, may attempt
    DETAINED = 2  # held after an interception, released on `release_day`
    DISPERSED = 3  # transferred to a centre away from the coast, back on `release_day` or never
    CROSSED = 4  # reached the UK
    LEFT = 5  # asylum in France, moved on, or stayed away after a transfer
    DEAD = 6


N_STATUS = len(Status)


class ExitReason(IntEnum):
    NONE = 0
    ASYLUM_FRANCE = 1
    MOVED_ON = 2
    STAYED_AWAY = 3  # transferred and did not come back
    INTO_CARE = 4  # a minor taken into care when a camp was cleared
    LEGAL_ROUTE = 5  # taken to the UK on a safe legal route


# name -> (dtype, initial value). Days are counted from the scenario's start date.
COLUMNS: dict[str, tuple[type, int | float]] = {
    "origin": (np.int8, 0),
    "minor": (np.bool_, False),
    "arrival_day": (np.int16, 0),
    "site": (np.int8, 0),
    "status": (np.int8, Status.WAITING),
    "attempts": (np.int16, 0),
    "interceptions": (np.int16, 0),
    "injuries": (np.int16, 0),
    "release_day": (np.int16, -1),
    "exit_day": (np.int16, -1),
    "exit_reason": (np.int8, ExitReason.NONE),
    "risk_tolerance": (np.float32, 0.5),
    "funds": (np.float32, 0.0),
    "group": (np.int32, 0),  # the uid of the group's first member (alone: one's own uid)
    "package_left": (np.int8, 0),  # attempts left on the smuggler's package bought
    "package_mode": (np.int8, -1),  # the mode of the route it was bought for (-1: none)
}
# name -> dtype of columns with one value per route: Beta(a, b) beliefs about its success
ROUTE_COLUMNS: dict[str, type] = {"belief_a": np.float32, "belief_b": np.float32}


# the kernels' view of the population: every column at full capacity, the active index
# (its first counts[N_ACTIVE] entries), the release calendar (for each day the last person
# held until then, and for each person the one held until the same day before them; -1 ends
# a list) and the counts
Columns = namedtuple("Columns", [*COLUMNS, *ROUTE_COLUMNS, "active", "due_next", "due_head",
                                 "counts"])
UNSIZED = ("due_head", "counts")  # not one entry per person: kept as they are on growth
N, N_ACTIVE = 0, 1  # positions in Columns.counts
LAST_DAY = np.iinfo(np.int16).max  # release days are int16: later holds end there


class People:
    """The population of a run. `people.cols` is what the kernels see; attribute access
    (`people.status`) gives a view of the rows of everyone who has arrived."""

    def __init__(self, capacity: int = 1024, n_routes: int = 1, n_days: int = 1):
        cap = max(int(capacity), 16)
        cols = {k: np.full(cap, v, dtype=t) for k, (t, v) in COLUMNS.items()}
        cols |= {k: np.zeros((cap, n_routes), dtype=t) for k, t in ROUTE_COLUMNS.items()}
        self.cols = Columns(**cols, active=np.empty(cap, dtype=np.int32),
                            due_next=np.full(cap, -1, dtype=np.int32),
                            due_head=np.full(n_days, -1, dtype=np.int32),
                            counts=np.zeros(2, dtype=np.int64))

    def __getattr__(self, name: str) -> np.ndarray:
        if name in COLUMNS or name in ROUTE_COLUMNS:
            return getattr(self.cols, name)[: self.n]
        raise AttributeError(name)

    @property
    def n(self) -> int:
        return int(self.cols.counts[N])

    @property
    def capacity(self) -> int:
        return self.cols.status.shape[0]

    @property
    def active(self) -> np.ndarray:
        return self.cols.active[: self.cols.counts[N_ACTIVE]]

    @property
    def nbytes(self) -> int:
        return sum(c.nbytes for c in self.cols)

    def add(self, count: int, **values: np.ndarray | int | float) -> np.ndarray:
        """Append `count` people with the given column values; return their uids."""
        count = int(count)
        if count <= 0:
            return np.empty(0, dtype=np.int32)
        unknown = set(values) - set(COLUMNS) - set(ROUTE_COLUMNS)
        if unknown:
            raise KeyError(f"unknown person columns: {sorted(unknown)}")
        start, stop = self.n, self.n + count
        self.reserve(stop)
        for name, value in values.items():
            getattr(self.cols, name)[start:stop] = value
        uids = np.arange(start, stop, dtype=np.int32)
        counts = self.cols.counts
        self.cols.active[counts[N_ACTIVE]: counts[N_ACTIVE] + count] = uids
        counts += count
        return uids

    def reserve(self, needed: int) -> None:
        """Room for `needed` people; columns grow by doubling, so growth is rare."""
        if needed <= self.capacity:
            return
        cap, n = max(needed, 2 * self.capacity), self.n
        grown = {}
        for name, col in zip(Columns._fields, self.cols, strict=True):
            if name in UNSIZED:
                grown[name] = col
                continue
            fill = COLUMNS[name][1] if name in COLUMNS else 0
            grown[name] = np.full((cap, *col.shape[1:]), fill, dtype=col.dtype)
            grown[name][:n] = col[:n]
        self.cols = Columns(**grown)


@numba.njit(cache=True, nogil=True)
def hold(p: Columns, uid, until) -> None:
    """Hold someone (detained, transferred, travelling) until a day, entering them in that
    day's list of the release calendar (a hold past the last day is never released)."""
    until = min(until, LAST_DAY)
    p.release_day[uid] = until
    if until < p.due_head.shape[0]:
        p.due_next[uid] = p.due_head[until]
        p.due_head[until] = uid
