"""What every daily process declares: its name and the daily results it writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ..engine import Sim


class Process:
    """One step of the daily plan. Subclasses declare the per-site and per-route daily counters
    they fill (allocated by the recorder) and the random streams they draw from."""

    name: ClassVar[str] = "process"
    site_results: ClassVar[tuple[str, ...]] = ()
    route_results: ClassVar[tuple[str, ...]] = ()
    streams: ClassVar[tuple[str, ...]] = ()

    def init(self, sim: Sim) -> None:
        """Called once before day 0."""

    def step(self, sim: Sim) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{self.name}>"
