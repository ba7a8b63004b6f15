"""What every daily process declares: its name, parameters and states, results and streams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..engine import Sim

# positions in the State's today.counts: the day's hand-overs between processes
BOARDED = 0  # today.uid/route[:n]: who boards today and on which route (attempts)
INTERCEPTED = 1  # today.intercepted[:n]: who was stopped (resolution)
TRIES = 2  # today.tries[:n]: who would try today by their coin (tossed at the last day's end)
SWEPT = 3  # the active index's length after the last day's end: later entries are newcomers


class Process:
    """One step of the daily plan (Starsim's module): `init` returns the process's parameters
    and states as a namedtuple of numbers and arrays, which the engine puts in the run's
    State under the process's name; `kernel(state, day)` is the compiled day's work. It is
    called by the engine's compiled loop, or one process at a time by `step` (for timings
    and the daily invariants). Subclasses also declare the per-site and per-route daily
    counters they fill (allocated by the recorder) and the random streams they draw from.
    A process whose rule runs in the day's end pass over everyone (day_end.py) has no
    kernel."""

    name: ClassVar[str] = "process"
    site_results: ClassVar[tuple[str, ...]] = ()
    route_results: ClassVar[tuple[str, ...]] = ()
    streams: ClassVar[tuple[str, ...]] = ()
    kernel: ClassVar[Any]

    def init(self, sim: Sim) -> tuple:
        """This process's parameters and states (an empty tuple if it has none)."""
        return ()

    def start(self, sim: Sim) -> None:
        """Called once the run's State exists, before day 0 (initial people, opening prices)."""

    def step(self, sim: Sim) -> bool | None:
        return self.kernel(sim.st, sim.day)

    def __repr__(self) -> str:
        return f"<{self.name}>"
