"""People as a structure of arrays: uid = row, one typed numpy column per attribute.

Columns grow by doubling their capacity, so adding people never copies per person, and the
daily processes work on `active` (the uids not yet crossed, left or dead) rather than on everyone
who ever arrived.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


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
}
# name -> dtype of columns with one value per route: Beta(a, b) beliefs about its success
ROUTE_COLUMNS: dict[str, type] = {"belief_a": np.float32, "belief_b": np.float32}


class People:
    """The population of a run. Attribute access (`people.status`) gives a view of live rows."""

    def __init__(self, capacity: int = 1024, n_routes: int = 1):
        self.n = 0
        self._capacity = max(int(capacity), 16)
        self._cols = {k: np.full(self._capacity, v, dtype=t) for k, (t, v) in COLUMNS.items()}
        self._cols |= {k: np.zeros((self._capacity, n_routes), dtype=t)
                       for k, t in ROUTE_COLUMNS.items()}
        self.active = np.empty(0, dtype=np.int32)
        self._releases: dict[int, list[np.ndarray]] = {}
        self._refresh_views()

    def _refresh_views(self) -> None:
        """Expose each column's live rows as a plain attribute (`people.status`): a view,
        so writes go to the column; renewed whenever rows are added."""
        for name, col in self._cols.items():
            setattr(self, name, col[: self.n])

    @property
    def nbytes(self) -> int:
        return sum(c.nbytes for c in self._cols.values()) + self.active.nbytes

    def add(self, count: int, **values: np.ndarray | int | float) -> np.ndarray:
        """Append `count` people with the given column values; return their uids."""
        count = int(count)
        if count <= 0:
            return np.empty(0, dtype=np.int32)
        unknown = set(values) - set(self._cols)
        if unknown:
            raise KeyError(f"unknown person columns: {sorted(unknown)}")
        self._reserve(self.n + count)
        start, stop = self.n, self.n + count
        for name, value in values.items():
            self._cols[name][start:stop] = value
        self.n = stop
        self._refresh_views()
        uids = np.arange(start, stop, dtype=np.int32)
        self.active = np.concatenate([self.active, uids])
        return uids

    def _reserve(self, needed: int) -> None:
        if needed <= self._capacity:
            return
        new_capacity = max(needed, 2 * self._capacity)
        for name, col in self._cols.items():
            fill = COLUMNS[name][1] if name in COLUMNS else 0
            grown = np.full((new_capacity, *col.shape[1:]), fill, dtype=col.dtype)
            grown[: self.n] = col[: self.n]
            self._cols[name] = grown
        self._capacity = new_capacity

    def hold(self, uids: np.ndarray, until: np.ndarray) -> None:
        """Hold people (detained, transferred) until the given days; `due` hands them back."""
        self._cols["release_day"][uids] = until
        for day in np.unique(until):
            self._releases.setdefault(int(day), []).append(uids[until == day])

    def due(self, day: int) -> np.ndarray:
        """People whose hold ends today, found without scanning everyone who is active."""
        parts = self._releases.pop(day, [])
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)

    def drop_finished(self) -> np.ndarray:
        """Remove people who crossed, left or died from the active index; count them by status."""
        status = self._cols["status"][self.active]
        finished = status >= Status.CROSSED
        self.active = self.active[~finished]
        return np.bincount(status[finished], minlength=N_STATUS)
