"""One question of the explorer: a scenario with levers against itself without, run paired
on the same seeds through the results store, so a question asked before answers at once.

A scenario that ships a posterior (a bundled one, or NAME.posterior.json beside NAME.toml in
the explorer's folder) is run as `channelsim compare --posterior` runs it: replicate i takes
posterior draw i with seed i in both arms, so the intervals carry the parameters' uncertainty
as well as chance; an upload runs its own values, chance only. The answer says which.

Runs go to worker processes started once with the server (each runs the first scenario once
as it starts, so no question loads compiled code), one question at a time through a single
runner thread, which alone touches the DuckDB store. A run keeps only the daily tables the
page draws: the per-person table was most of each run's store writes and of the server's
memory. Each run is boiled down to what the page draws (a `Piece`) as it arrives, the answer
is built from those in memory, and the runs are stored after it is given.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import threading
import time
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from .. import scenario
from ..analysis import posterior
from ..errors import BackendError
from ..experiments import Processes, Serial, compare, plan, runs
from ..experiments.backends import Task
from ..report import coast, figures
from ..report.figures import label as figure_label
from ..report.html import LABELS
from ..report_text import RATIOS, fmt
from ..store import Key, Record, Store
from ..world import main_site
from . import levers, uploads
from .jobs import Job

log = logging.getLogger(__name__)

MAX_REPS = 20
HEADLINE = ("crossings", "attempts", "interceptions", "deaths", "peak_present",
            "share_displaced", "public_cost", "smuggler_revenue", "legal_arrivals")
CACHE_FILE = "explorer.duckdb"
MAX_ANSWERS = 64
MAX_JOBS = 256  # finished jobs kept for their progress endpoint
MAX_PIECES = 1024  # runs boiled down to what the page draws, a few KiB each
PAGE_TABLES = ("daily_sites", "daily_routes")
# as many as the page's first question has runs to make (3 replicates of B): on 2 cores the
# 3 share the cores and finish together at 1.5 run times, where 2 workers took 2 (the third
# run alone, one core idle)
WORKERS = 3
WORKER_DIED = ("a worker process died while answering (killed, or out of memory?); the "
               "workers have been restarted: ask again")


class Explorer:
    """The scenarios it may read (bundled or a test's folder, and uploads kept in the results
    folder), the store it caches in and the workers that run."""

    def __init__(self, results: Path, scenarios: Path | None = None, workers: int = WORKERS):
        self.results = results
        self.scenarios = scenarios
        results.mkdir(parents=True, exist_ok=True)
        self.uploads = results / uploads.FOLDER
        self.store = Store(results / CACHE_FILE)
        self.workers = workers
        self.warm: Task | None = None  # what each worker runs as it starts
        self.pool: Processes | Serial = Serial()
        self.runner = ThreadPoolExecutor(1, thread_name_prefix="explorer-runs")
        self.lock = threading.Lock()  # the answers and jobs below, not the store
        # answers already given, by the posterior and the runs (`Question.key`): the store has
        # the runs, this spares the queries that read them back
        self.answers: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.running: dict[tuple, Job] = {}
        self.pieces: OrderedDict[Key, Piece] = OrderedDict()  # the runner thread's alone
        self.started = False

    def start(self, warm: str | None = None) -> None:
        """Start the workers; with `warm`, each worker runs that scenario once as it starts
        (it loads the compiled engine), then its baseline (the page's first question) is asked
        so A's runs are cached before anyone asks."""
        if warm is not None and self.workers > 0:
            self.warm = Task(self.load(warm).model_dump(mode="json"), 0, tables=())
        if self.workers > 0:
            self.pool = Processes(self.workers, self.warm)
        self.pool.__enter__()
        self.started = True
        if warm is not None:
            self.submit(warm, {}, 3, 0)

    def close(self) -> None:
        self.runner.shutdown(wait=False, cancel_futures=True)
        if self.started:
            self.pool.__exit__(SystemExit, None, None)  # workers end now, mid-run or not
        self.runner.shutdown(wait=True)
        self.store.con.close()

    def names(self) -> list[str]:
        own = (scenario.bundled_names() if self.scenarios is None
               else sorted(p.stem for p in self.scenarios.glob("*.toml")))
        return own + [n for n in uploads.names(self.uploads) if n not in own]

    def load(self, name: str, overrides: list[str] = ()) -> scenario.Scenario:
        if name not in self.names():
            raise levers.LeverError(f"no scenario '{name}'; choose one of "
                                    f"{', '.join(self.names())}")
        if name in uploads.names(self.uploads):
            path: str | Path = self.uploads / f"{name}.toml"
        else:
            path = name if self.scenarios is None else self.scenarios / f"{name}.toml"
        return scenario.load(path, list(overrides))

    def posterior_of(self, name: str) -> posterior.Posterior | None:
        """The posterior the scenario ships, if any (an upload ships none)."""
        if name in uploads.names(self.uploads):
            return None
        if self.scenarios is None:
            return posterior.choose(None, name)
        path = self.scenarios / f"{name}.posterior.json"
        return posterior.load(path) if path.is_file() else None

    def question(self, name: str, chosen: dict[str, Any], reps: int, seed: int) -> Question:
        """What the question runs; bad input (a lever, or a lever on a draw) raises here."""
        a = self.load(name)
        sets = levers.overrides(a, chosen)
        b = self.load(name, sets)
        seeds = list(range(seed, seed + reps))
        post = self.posterior_of(name)
        if post is None:
            arms = {s: (a, b) for s in seeds}
        else:
            source = name if self.scenarios is None else self.scenarios / f"{name}.toml"
            arms = {s: (post.scenario(source, [], s), post.scenario(source, sets, s))
                    for s in seeds}
            post = replace(post, path=Path(post.path).name)  # the page names no server path
        return Question(name, a, b, sets, seeds, post, arms)

    def upload(self, name: str, text: str) -> scenario.Scenario:
        return uploads.save(self.uploads, name, text, taken=self.names())

    def job(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def submit(self, name: str, chosen: dict[str, Any], reps: int, seed: int) -> Job:
        """A job for the question, checked first (bad input raises at once): done already if
        the question was answered before, the running one if it is being answered."""
        if not 1 <= reps <= MAX_REPS:
            raise levers.LeverError(f"reps: {reps} is out of range, 1 to {MAX_REPS} "
                                    "(use `channelsim compare` for more)")
        q = self.question(name, chosen, reps, seed)
        key = q.key()
        with self.lock:
            if key in self.answers:
                self.answers.move_to_end(key)
                job = Job(total=0)
                job.finish(self.answers[key] | {"ran": 0, "seconds": 0.0})
            elif key in self.running:
                return self.running[key]
            else:
                job = self.running[key] = Job()
                self.runner.submit(self._work, job, key, q)
            self.jobs[job.id] = job
            while len(self.jobs) > MAX_JOBS:
                self.jobs.popitem(last=False)
        return job

    def _work(self, job: Job, key: tuple, q: Question) -> None:
        made: list[Record] = []
        try:
            answer = self._answer(job, q, made)
            with self.lock:
                self.answers[key] = answer
                while len(self.answers) > MAX_ANSWERS:
                    self.answers.popitem(last=False)
            job.finish(answer)
            for record in made:  # stored once answered: the page does not wait for the store
                self.store.commit(record)
        except (BackendError, BrokenProcessPool):  # a worker died: new workers, ask again
            self._restart()
            job.finish(error=WORKER_DIED, status=503)
        except Exception as exc:  # the page is told (if not answered yet); the server goes on
            log.warning("explorer: a question failed: %s: %s", type(exc).__name__, exc)
            job.finish(error=f"the server failed on this question ({type(exc).__name__})")
        finally:
            with self.lock:
                self.running.pop(key, None)

    def _restart(self) -> None:
        """A pool whose worker died is broken for good: end it and start another (the runner
        thread alone uses the pool, so no run is in flight here)."""
        broken, self.pool = self.pool, Processes(self.workers, self.warm)
        broken.abandon()
        self.pool.__enter__()

    def _answer(self, job: Job, q: Question, made: list[Record]) -> dict[str, Any]:
        """Runs what the store lacks, seed by seed (A and B of a seed together), into `made`
        (for the caller to store), and as each seed has both arms while runs still wait for a
        worker, the answer so far: the page draws it while the rest run."""
        t0 = time.perf_counter()
        _, todo = plan(self.store, [sc for s in q.seeds for sc in q.arms[s]],
                       [s for s in q.seeds for _ in "ab"], paired=True)
        todo.sort(key=lambda pair: pair[1])
        job.total = len(todo)
        job.touch()
        missing = {(sc.digest(), seed) for sc, seed in todo}
        for record in runs(self.store, todo, self.pool, tables=PAGE_TABLES):
            made.append(record)
            self._keep(record.key, Piece.of(json.loads(json.dumps(record.summary)),
                                            record.tables["daily_routes"],
                                            record.tables["daily_sites"]))
            job.done += 1
            missing.discard(record.key)
            ready = [s for s in q.seeds if not set(q.runs[s]) & missing]
            shown = job.partial["reps"] if job.partial else 0
            # once no run waits for a worker the rest end together: a partial drawn then
            # would only hold up the page's drawing of the whole answer
            waiting = len(todo) - job.done > self.workers
            if waiting and shown < len(ready) < len(q.seeds):
                job.partial = self._build(q, ready, job.done, t0)
            job.touch()
        return self._build(q, q.seeds, len(todo), t0)

    def _keep(self, key: Key, piece: Piece) -> None:
        self.pieces[key] = piece
        self.pieces.move_to_end(key)
        while len(self.pieces) > MAX_PIECES:
            self.pieces.popitem(last=False)

    def _piece(self, key: Key) -> Piece:
        """A run's piece from memory, or from the store for a run made before (the summary
        is the store's JSON either way, so the comparison is `channelsim compare`'s)."""
        if key not in self.pieces:  # read as the store reads (duckdb 2 has no fetch_arrow_table)
            self._keep(key, Piece.of(
                self.store.summaries([key])[0],
                self.store.select("SELECT t.date, t.route, t.crossings FROM daily_routes t",
                                  [key], "t.date"),
                self.store.select("SELECT t.date, t.site, t.waiting FROM daily_sites t",
                                  [key], "t.date")))
        return self.pieces[key]

    def _build(self, q: Question, seeds: list[int], ran: int, t0: float) -> dict[str, Any]:
        """The answer on `seeds` (the question's, or those finished so far)."""
        arms = [[self._piece(q.runs[s][arm]) for s in seeds] for arm in (0, 1)]
        result = compare([p.summary for p in arms[0]], [p.summary for p in arms[1]],
                         main_site(q.a))
        series = {label: Piece.bands(arm) for label, arm in zip("ab", arms, strict=True)}
        people, crossed = Piece.means(arms[1])
        return {
            "scenario": q.name, "overrides": q.sets, "reps": len(seeds), "seeds": seeds,
            "hash_a": q.a.digest(), "hash_b": q.b.digest(), "ran": ran,
            "uncertainty": q.post.describe(len(seeds)) if q.post else posterior.CHANCE_ONLY,
            "seconds": round(time.perf_counter() - t0, 3),
            "effects": [{"figure": k, "label": figure_label(k), **e, "text": _text(k, e)}
                        for k in HEADLINE
                        if (e := result["effects"]["scorecard"].get(k))],
            "by_site": {sid: result["effects"]["attempts_by_site"][sid]
                        for sid in result["effects"]["attempts_by_site"]},
            "comparison": result,
            "series": series,
            "map": self._geometry(q.b, people, crossed),
        }

    def _geometry(self, sc: scenario.Scenario, people: dict[str, float],
                  crossed: dict[str, float]) -> dict[str, Any]:
        placed = [figures.Site(s.name, s.lon, s.lat, 0.0) for s in sc.sites.values()]
        figures.place_labels(placed)  # close sites' names apart, as on the report's map
        sites = [{"id": sid, "name": s.name, "lon": s.lon, "lat": s.lat,
                  "people": float(people.get(sid, 0.0)),
                  "textposition": LABELS.get(p.label, "bottom center")}
                 for (sid, s), p in zip(sc.sites.items(), placed, strict=True)]
        routes = []
        for rid, r in sc.routes.items():
            s = sc.sites[r.site]
            mode = r.mode if isinstance(r.mode, str) else str(r.mode)
            _, x, y = coast.landing(mode, s.lon, s.lat)
            n = float(crossed.get(rid, 0.0))
            routes.append({"id": rid, "mode": mode, "lon": [s.lon, x], "lat": [s.lat, y],
                           "crossings": n, "text": fmt(n, whole=True)})
        box = coast.box([s["lon"] for s in sites], [s["lat"] for s in sites])
        return {"box": box, "coast": outlines(box), "sites": sites, "routes": routes}


@dataclass(frozen=True)
class Question:
    """A question's scenario A, B (A with the levers `sets`) and seeds, and per seed the
    scenarios its replicate runs (`arms`: a posterior draw of each, or A and B themselves)
    and their runs' keys (`runs`, hashed once)."""

    name: str
    a: scenario.Scenario
    b: scenario.Scenario
    sets: list[str]
    seeds: list[int]
    post: posterior.Posterior | None
    arms: dict[int, tuple[scenario.Scenario, scenario.Scenario]]

    @cached_property
    def runs(self) -> dict[int, list[Key]]:
        return {s: [(sc.digest(), s) for sc in self.arms[s]] for s in self.seeds}

    def key(self) -> tuple:
        """The answer's identity: the posterior named on it and the runs it is made of."""
        return (self.post.path if self.post else None,
                tuple(k for s in self.seeds for k in self.runs[s]))


@dataclass(frozen=True)
class Piece:
    """What the page draws of one run: its summary, its crossings per month (all routes),
    its people waiting summed over days per site, and its crossings per route."""

    summary: dict[str, Any]
    months: list[str]
    crossings: np.ndarray
    waiting: dict[str, tuple[float, int]]  # site: (people waiting summed over days, days)
    routes: dict[str, float]

    @classmethod
    def of(cls, summary: dict[str, Any], routes: pa.Table, sites: pa.Table) -> Piece:
        """From a run's daily routes (date, route, crossings) and sites (date, site, waiting)."""
        month = routes.column("date").to_numpy().astype("datetime64[M]")
        months, at = np.unique(month, return_inverse=True)
        crossings = routes.column("crossings").to_numpy()
        by_route = _sums(routes.column("route").to_numpy(zero_copy_only=False), crossings)
        site = sites.column("site").to_numpy(zero_copy_only=False)
        waiting = _sums(site, sites.column("waiting").to_numpy())
        days = _sums(site, np.ones(len(site)))
        return cls(summary, [str(m) for m in np.datetime_as_string(months, unit="D")],
                   np.bincount(at, weights=crossings, minlength=len(months)),
                   {k: (waiting[k], int(days[k])) for k in waiting}, by_route)

    @staticmethod
    def bands(arm: list[Piece]) -> dict[str, list]:
        """Monthly crossings across the runs: median and 5th/95th percentiles."""
        x = np.stack([p.crossings for p in arm])
        low, high = np.quantile(x, [0.05, 0.95], axis=0)
        return {"month": arm[0].months, "median": np.median(x, axis=0).tolist(),
                "p05": low.tolist(), "p95": high.tolist()}

    @staticmethod
    def means(arm: list[Piece]) -> tuple[dict[str, float], dict[str, float]]:
        """People waiting per site, averaged over the days of every run, and crossings per
        route per run."""
        people = {site: sum(p.waiting[site][0] for p in arm) / sum(p.waiting[site][1]
                                                                  for p in arm)
                  for site in arm[0].waiting}
        crossed = {r: sum(p.routes[r] for p in arm) / len(arm) for r in arm[0].routes}
        return people, crossed


def _sums(labels: np.ndarray, values: np.ndarray) -> dict[str, float]:
    names, at = np.unique(labels, return_inverse=True)
    return dict(zip(names.tolist(), np.bincount(at, weights=values).tolist(), strict=True))


def _text(figure: str, e: dict[str, Any]) -> dict[str, str]:
    """An effect's numbers as the command line prints them: counts whole, ratios to two
    significant digits when small."""
    whole = figure not in RATIOS
    ci = e.get("ci90")
    return {"a": fmt(e["a"], whole), "b": fmt(e["b"], whole), "effect": fmt(e["effect"], whole),
            "ci90": f"{fmt(ci[0], whole)} to {fmt(ci[1], whole)}" if ci else "n/a"}


@cache
def outlines(box: tuple[float, float, float, float]) -> list[list[list[float]]]:
    """The coast in the box, traced in a process of its own: global-land-mask holds the whole
    globe's grid (900 MiB) once imported, which the server would keep for good."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as p:
        return p.submit(_outlines, box).result()


def _outlines(box: tuple[float, float, float, float]) -> list[list[list[float]]]:
    return [[[round(float(x), 3), round(float(y), 3)] for x, y in ring]
            for ring in coast.land(*box)]
