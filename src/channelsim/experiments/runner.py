"""An experiment's (scenario, seed) pairs, run on a backend into a results store, resumably.

Pairs already finished in the store (by this version of channelsim) are kept; the others are
marked running as they are handed to a worker and committed one by one as they finish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from .. import __version__
from ..scenario import Scenario
from ..store import Key, Record, Store
from .backends import BackendError, Task, stop_point

Pair = tuple[Scenario, int]


class Backend(Protocol):
    def map(self, tasks: Iterable[Task]) -> Iterator[Record]: ...


def plan(store: Store, scenarios: list[Scenario], seeds: Iterable[int], paired: bool = False
         ) -> tuple[list[Key], list[Pair]]:
    """Every key of the experiment (in order, each once) and the pairs still to run: each
    scenario with every seed, or (`paired`) scenario k with the k-th seed only, as a posterior
    draw with its replicate's seed. A pair given twice (as in a comparison of a scenario with
    itself) is run once."""
    digests = [sc.digest() for sc in scenarios]  # once each: a digest hashes the whole file
    seeds = list(seeds)
    if paired:
        pairs = {(h, seed): (sc, seed)
                 for sc, h, seed in zip(scenarios, digests, seeds, strict=True)}
    else:
        pairs = {(h, seed): (sc, seed) for sc, h in zip(scenarios, digests, strict=True)
                 for seed in seeds}
    store.add_scenarios(scenarios)
    done = store.finished(pairs)
    return list(pairs), [pair for key, pair in pairs.items() if key not in done]


def execute(store: Store, todo: list[Pair], backend: Backend, debug: bool = False,
            on_done: Callable[[Record], None] | None = None,
            tables: tuple[str, ...] | None = None) -> None:
    """Run `todo` on `backend`, committing each run to `store` as it finishes (with only
    `tables` of its data, if given)."""
    for record in runs(store, todo, backend, debug, tables):
        store.commit(record)
        if on_done is not None:
            on_done(record)
        stop_point()


def runs(store: Store, todo: list[Pair], backend: Backend, debug: bool = False,
         tables: tuple[str, ...] | None = None) -> Iterator[Record]:
    """The records of `todo` as they finish, each marked running in `store` as it is handed
    to a worker and left for the caller to commit (a server answers first, stores after)."""

    def tasks() -> Iterator[Task]:
        for sc, seed in todo:
            store.start((sc.digest(), seed), sc.name)
            yield Task(sc.model_dump(mode="json"), seed, debug, tables)

    for record in backend.map(tasks()):
        if record.version != __version__:
            raise BackendError(f"a worker runs channelsim {record.version}, this is "
                               f"{__version__}: install the same version on every worker")
        yield record
