"""Where runs happen: in this process, in local worker processes, or on a Dask cluster.

Each backend maps `run_task` over tasks and yields the runs' records as they complete. Only a
few tasks are in flight at a time, so an interrupted experiment has little to cancel and the
results store marks as running only what really is. A run is a pure function of (scenario, seed),
so every backend gives the same numbers.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterable, Iterator
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from .. import scenario
from ..engine import run
from ..errors import BackendError
from ..store import Record

CONNECT_TIMEOUT = "10s"  # how long to wait for a scheduler that may still be starting


STOP = threading.Event()  # Ctrl-C, acted on at the next safe point
POLL_SECONDS = 0.25  # how often a wait for results looks at STOP
GRACE_SECONDS = 2.0  # how long a stopped worker may take to end before it is terminated


@contextmanager
def ctrl_c_deferred() -> Iterator[None]:
    """Ctrl-C only sets STOP; `stop_point()` raises it where nothing is half done. Raised at
    once, it could land inside the worker pool while it holds a lock, and the pool's shutdown
    would then wait for that lock forever."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    STOP.clear()
    previous = signal.signal(signal.SIGINT, lambda *_: STOP.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stop_point() -> None:
    if STOP.is_set():
        STOP.clear()
        raise KeyboardInterrupt


@dataclass(frozen=True)
class Task:
    """One run. The scenario travels as plain data, so any worker can rebuild it."""

    scenario: dict[str, Any]
    seed: int
    debug: bool = False
    tables: tuple[str, ...] | None = None  # the store's data tables to make (None: all)

    def run(self) -> Record:
        return Record.of(run(scenario.from_dict(self.scenario), seed=self.seed, debug=self.debug),
                         self.tables)


def run_task(task: Any) -> Any:
    """Any task with a `run()` (a scenario run, a calibration's particle) is a pure function of
    its fields, so every backend gives the same result."""
    return task.run()


class Serial:
    """Runs one after the other in this process: no start-up cost, for one run or debugging."""

    def __enter__(self) -> Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def map(self, tasks: Iterable[Task]) -> Iterator[Record]:
        for task in tasks:
            stop_point()
            yield run_task(task)


class _Pool:
    """Keeps twice as many tasks in flight as there are workers, so none waits for work."""

    def __init__(self) -> None:
        self.pending: set[Any] = set()

    def map(self, tasks: Iterable[Task]) -> Iterator[Record]:
        tasks = iter(tasks)
        while True:
            for task in islice(tasks, max(0, 2 * self._workers() - len(self.pending))):
                self.pending.add(self._submit(task))
            if not self.pending:
                return
            done, self.pending = self._wait(self.pending)
            stop_point()
            for fut in done:
                yield fut.result()

    def _workers(self) -> int:
        raise NotImplementedError

    def _submit(self, task: Task) -> Any:
        raise NotImplementedError

    def _wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        raise NotImplementedError


class Processes(_Pool):
    """Local worker processes (spawned, so nothing of this process's state is shared).

    With `warm`, a task every worker runs as it starts (its result dropped), and the workers
    start at once rather than at the first submits: a server's first question then loads no
    compiled code."""

    def __init__(self, workers: int, warm: Any = None):
        super().__init__()
        self.workers, self.warm = workers, warm

    def __enter__(self) -> Processes:
        context = multiprocessing.get_context("spawn")
        self.stop = context.Event()
        self.pool = futures.ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_worker_init,
            initargs=(os.getpid(), self.stop, self.warm))
        if self.warm is not None:
            with _children_ignore_sigint():  # a process spawned by each submit (none idle yet)
                for _ in range(self.workers):
                    self.pool.submit(int)
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.pool.shutdown(cancel_futures=True)
            return
        self.stop.set()  # workers end now, not after their current run
        workers = list(getattr(self.pool, "_processes", {}).values())  # no public handle
        self.pool.shutdown(wait=False, cancel_futures=True)
        # a worker compiling the engine holds the interpreter for many seconds at a time and
        # cannot look at `stop`: its unfinished run is lost either way
        for proc in workers:
            proc.join(timeout=GRACE_SECONDS)
            if proc.is_alive():
                proc.terminate()

    def abandon(self) -> None:
        """End a pool whose worker died, without `stop`: a worker killed while waiting on that
        event may hold its lock for good, and setting it would then hang; the workers left are
        terminated instead."""
        workers = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for proc in workers:
            proc.terminate()

    def _workers(self) -> int:
        return self.workers

    def _submit(self, task: Task) -> futures.Future:
        # workers are spawned by the first submits: started with SIGINT ignored, a Ctrl-C
        # while one is still importing cannot end it in a traceback
        with _children_ignore_sigint():
            return self.pool.submit(run_task, task)

    def _wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        done, rest = futures.wait(pending, timeout=POLL_SECONDS,
                                  return_when=futures.FIRST_COMPLETED)
        for fut in done:
            if isinstance(fut.exception(), futures.process.BrokenProcessPool):
                raise BackendError("a worker process died (killed, or out of memory?)")
        return done, rest


def _worker_init(parent: int, stop: Any, warm: Any = None) -> None:
    """Ctrl-C is the parent's to handle (it keeps what is finished, then sets `stop`), and a
    worker whose parent was killed outright exits instead of waiting forever for work."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_stopped, args=(parent, stop), daemon=True).start()
    if warm is not None:
        run_task(warm)


def _exit_when_stopped(parent: int, stop: Any) -> None:
    while not stop.wait(0.5) and os.getppid() == parent:
        pass
    os._exit(1)


@contextmanager
def _children_ignore_sigint() -> Iterator[None]:
    """Processes started inside inherit an ignored SIGINT, so a terminal's Ctrl-C reaches only
    this process, which stops the cluster in order (no tracebacks from every worker)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Dask(_Pool):
    """A Dask cluster: a new LocalCluster of `workers` processes on 127.0.0.1, or the
    existing cluster whose scheduler is at `address`."""

    def __init__(self, workers: int | None = None, address: str | None = None):
        super().__init__()
        self.n_workers, self.address = workers, address
        self.cluster: Any = None

    def __enter__(self) -> Dask:
        # imported here: distributed takes a noticeable time to import, and most runs are local
        from distributed import Client, LocalCluster

        if self.address is None:
            with _children_ignore_sigint():
                # no dashboard; the scheduler's HTTP endpoint on a free port, not 8787
                self.cluster = LocalCluster(
                    n_workers=self.n_workers, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR,
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
            self.client = Client(self.cluster)
            return self
        try:
            self.client = Client(self.address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise BackendError(
                f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.cancel(list(self.pending))
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def _workers(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def _submit(self, task: Task) -> Any:
        return self.client.submit(run_task, task, pure=False)

    def _wait(self, pending: set[Any]) -> tuple[set[Any], set[Any]]:
        from distributed import wait

        try:
            return wait(pending, timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return set(), pending
