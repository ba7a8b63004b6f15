"""The progress of an experiment's runs: a bar on a terminal, otherwise a line per finished run,
so that the log of a batch job shows progress too (apart from the command line, which imports
rich's progress only for the commands that run)."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

if TYPE_CHECKING:
    from .store import Record


class RunsProgress:
    """Runs done, rate and time left."""

    def __init__(self, err: Console, label: str, total: int, done: int):
        self.err, self.label, self.total, self.done = err, label, total, done
        self.first, self.t0 = done, time.perf_counter()
        self.bar: Progress | None = None

    def __enter__(self) -> RunsProgress:
        if self.err.is_terminal and self.done < self.total:
            self.bar = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("runs"), RateColumn(), TimeRemainingColumn(), console=self.err,
                transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=self.total, completed=self.done)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self, record: Record) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done)
            return
        rate = (self.done - self.first) / (time.perf_counter() - self.t0)
        print(f"{self.label}: {self.done}/{self.total} runs finished, {rate:.2g} runs/s, "
              f"about {(self.total - self.done) / rate:.0f} s left", file=sys.stderr, flush=True)


class RateColumn(ProgressColumn):
    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.2g} runs/s" if speed else "", style="progress.data.speed")
