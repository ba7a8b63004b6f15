"""A question being answered: its runs done so far, then its answer or why it failed, so the
page can show progress while the runs go and a repeated question can join the running one.
Each change bumps the job's version, which a waiting request is woken by: the page asks for
the next change rather than polling on a clock, so an answer reaches it the moment it is made."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Job:
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    total: int | None = None  # runs to make; None while waiting for the runner
    done: int = 0
    started: float = field(default_factory=time.perf_counter)
    answer: dict[str, Any] | None = None
    partial: dict[str, Any] | None = None  # the answer on the seeds finished so far
    error: str | None = None
    status: int = 200  # the HTTP status of its answer: 500 failed, 503 worth asking again
    finished: threading.Event = field(default_factory=threading.Event)
    version: int = 0  # bumped by every change the page would show
    changed: threading.Condition = field(default_factory=threading.Condition)

    def touch(self) -> None:
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> None:
        """Until the job has changed since version `seen`, at most `timeout` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.version > seen, timeout)

    def finish(self, answer: dict[str, Any] | None = None, error: str | None = None,
               status: int = 500) -> None:
        """The first outcome stands: storing runs after their answer was given may fail, and
        that does not take the answer back."""
        if self.finished.is_set():
            return
        self.answer, self.error = answer, error
        self.status = status if error else 200
        self.finished.set()
        self.touch()

    def view(self) -> dict[str, Any]:
        """What the progress endpoint says: state, runs done of total, seconds, the answer. The
        version is read first: a change made while this is read then shows again, never lost."""
        version = self.version
        state = ("failed" if self.error else "done") if self.finished.is_set() else (
            "queued" if self.total is None else "running")
        out = {"job": self.id, "state": state, "done": self.done, "total": self.total,
               "seconds": round(time.perf_counter() - self.started, 2), "version": version}
        if self.error:
            out["error"] = self.error
            out["retry"] = self.status == 503
        if self.answer is not None:
            out["answer"] = self.answer
        elif self.partial is not None:
            out["partial"] = self.partial
        return out
