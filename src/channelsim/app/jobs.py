"""A question being answered: its runs done so far, then its answer or why it failed, so the
page can show progress while the runs go and a repeated question can join the running one."""

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

    def finish(self, answer: dict[str, Any] | None = None, error: str | None = None,
               status: int = 500) -> None:
        self.answer, self.error = answer, error
        self.status = status if error else 200
        self.finished.set()

    def view(self) -> dict[str, Any]:
        """What the progress endpoint says: state, runs done of total, seconds, the answer."""
        state = ("failed" if self.error else "done") if self.finished.is_set() else (
            "queued" if self.total is None else "running")
        out = {"job": self.id, "state": state, "done": self.done, "total": self.total,
               "seconds": round(time.perf_counter() - self.started, 2)}
        if self.error:
            out["error"] = self.error
            out["retry"] = self.status == 503
        if self.answer is not None:
            out["answer"] = self.answer
        elif self.partial is not None:
            out["partial"] = self.partial
        return out
