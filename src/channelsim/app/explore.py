"""One question of the explorer: a scenario with levers against itself without, run paired
on the same seeds through the results store, so a question asked before answers at once.

Runs go to worker processes started once with the server (each loads the compiled engine
once, not per question), one question at a time through a single runner thread, which alone
touches the DuckDB store. A run keeps only the daily tables the page draws: the per-person
table was most of each run's store writes and of the server's memory.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from pathlib import Path
from typing import Any

from .. import scenario
from ..errors import BackendError
from ..experiments import Processes, Serial, compare, execute, plan
from ..report import coast
from ..report_text import RATIOS, fmt
from ..store import Store
from . import levers, uploads
from .jobs import Job

MAX_REPS = 20
HEADLINE = ("crossings", "attempts", "interceptions", "deaths", "peak_present",
            "share_displaced", "public_cost", "smuggler_revenue", "legal_arrivals")
CACHE_FILE = "explorer.duckdb"
MAX_ANSWERS = 64
MAX_JOBS = 256  # finished jobs kept for their progress endpoint
PAGE_TABLES = ("daily_sites", "daily_routes")
WORKERS = 2
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
        self.pool = Processes(workers) if workers > 0 else Serial()
        self.runner = ThreadPoolExecutor(1, thread_name_prefix="explorer-runs")
        self.lock = threading.Lock()  # the answers and jobs below, not the store
        # answers already given, by (A's hash, B's hash, seeds): the store has their runs, this
        # spares the queries that read them back
        self.answers: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.running: dict[tuple, Job] = {}
        self.started = False

    def start(self, warm: str | None = None) -> None:
        """Start the workers; with `warm`, ask that scenario's baseline (the page's first
        question) so the workers load the engine and A's runs are cached before anyone asks."""
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
        a = self.load(name)
        sets = levers.overrides(a, chosen)
        b = self.load(name, sets)
        seeds = list(range(seed, seed + reps))
        key = (a.digest(), b.digest(), tuple(seeds))
        with self.lock:
            if key in self.answers:
                self.answers.move_to_end(key)
                job = Job(total=0)
                job.finish(self.answers[key] | {"ran": 0, "seconds": 0.0})
            elif key in self.running:
                return self.running[key]
            else:
                job = self.running[key] = Job()
                self.runner.submit(self._work, job, key, name, a, b, sets, seeds)
            self.jobs[job.id] = job
            while len(self.jobs) > MAX_JOBS:
                self.jobs.popitem(last=False)
        return job

    def _work(self, job: Job, key: tuple, name: str, a: scenario.Scenario,
              b: scenario.Scenario, sets: list[str], seeds: list[int]) -> None:
        try:
            answer = self._answer(job, name, a, b, sets, seeds)
        except (BackendError, BrokenProcessPool):  # a worker died: new workers, ask again
            self._restart()
            job.finish(error=WORKER_DIED, status=503)
        except Exception as exc:  # the page is told; the server goes on
            job.finish(error=f"the server failed on this question ({type(exc).__name__})")
        else:
            job.finish(answer)
            with self.lock:
                self.answers[key] = answer
                while len(self.answers) > MAX_ANSWERS:
                    self.answers.popitem(last=False)
        finally:
            with self.lock:
                self.running.pop(key, None)

    def _restart(self) -> None:
        """A pool whose worker died is broken for good: end it and start another (the runner
        thread alone uses the pool, so no run is in flight here)."""
        broken, self.pool = self.pool, Processes(self.workers)
        broken.abandon()
        self.pool.__enter__()

    def _answer(self, job: Job, name: str, a: scenario.Scenario, b: scenario.Scenario,
                sets: list[str], seeds: list[int]) -> dict[str, Any]:
        """Runs what the store lacks, seed by seed (A and B of a seed together), and as each
        seed has both arms, the answer so far: the page draws it while the rest run."""
        t0 = time.perf_counter()
        _, todo = plan(self.store, [a, b], seeds)
        todo.sort(key=lambda pair: pair[1])
        job.total = len(todo)
        missing = {(sc.digest(), seed) for sc, seed in todo}

        def tick(record: Any) -> None:
            job.done += 1
            missing.discard(record.key)
            ready = [s for s in seeds if not {(a.digest(), s), (b.digest(), s)} & missing]
            shown = job.partial["reps"] if job.partial else 0
            if shown < len(ready) < len(seeds):
                job.partial = self._build(name, a, b, sets, ready, job.done, t0)

        execute(self.store, todo, self.pool, on_done=tick, tables=PAGE_TABLES)
        return self._build(name, a, b, sets, seeds, len(todo), t0)

    def _build(self, name: str, a: scenario.Scenario, b: scenario.Scenario, sets: list[str],
               seeds: list[int], ran: int, t0: float) -> dict[str, Any]:
        result = compare(self.store.summaries([(a.digest(), s) for s in seeds]),
                         self.store.summaries([(b.digest(), s) for s in seeds]))
        series = self._series([a.digest(), b.digest()], seeds)
        people, crossed = self._map(b.digest(), seeds)
        return {
            "scenario": name, "overrides": sets, "reps": len(seeds), "seeds": seeds,
            "hash_a": a.digest(), "hash_b": b.digest(), "ran": ran,
            "seconds": round(time.perf_counter() - t0, 3),
            "effects": [{"figure": k, **e, "text": _text(k, e)} for k in HEADLINE
                        if (e := result["effects"]["scorecard"].get(k))],
            "by_site": {sid: result["effects"]["attempts_by_site"][sid]
                        for sid in result["effects"]["attempts_by_site"]},
            "comparison": result,
            "series": series,
            "map": self._geometry(b, people, crossed),
        }

    def _series(self, hashes: list[str], seeds: list[int]) -> dict[str, Any]:
        """Monthly crossings, all routes, for A and B: median and 5th/95th percentiles."""
        rows = self.store.con.execute(
            "WITH m AS (SELECT scenario_hash, seed, date_trunc('month', date) AS month, "
            "sum(crossings) AS n FROM daily_routes WHERE scenario_hash IN (?, ?) AND "
            "list_contains(?, seed) GROUP BY ALL) SELECT scenario_hash, month, median(n), "
            "quantile_cont(n, 0.05), quantile_cont(n, 0.95) FROM m GROUP BY ALL ORDER BY 2",
            [*hashes, seeds]).fetchall()
        out: dict[str, Any] = {}
        for label, h in zip(("a", "b"), hashes, strict=True):
            mine = [r for r in rows if r[0] == h]
            out[label] = {"month": [str(r[1])[:10] for r in mine],
                          "median": [r[2] for r in mine], "p05": [r[3] for r in mine],
                          "p95": [r[4] for r in mine]}
        return out

    def _map(self, h: str, seeds: list[int]) -> tuple[dict[str, float], dict[str, float]]:
        people = dict(self.store.con.execute(
            "SELECT site, avg(waiting) FROM daily_sites WHERE scenario_hash = ? AND "
            "list_contains(?, seed) GROUP BY site", [h, seeds]).fetchall())
        crossed = dict(self.store.con.execute(
            "SELECT route, sum(crossings) / ? FROM daily_routes WHERE scenario_hash = ? AND "
            "list_contains(?, seed) GROUP BY route", [len(seeds), h, seeds]).fetchall())
        return people, crossed

    def _geometry(self, sc: scenario.Scenario, people: dict[str, float],
                  crossed: dict[str, float]) -> dict[str, Any]:
        sites = [{"id": sid, "name": s.name, "lon": s.lon, "lat": s.lat,
                  "people": float(people.get(sid, 0.0))} for sid, s in sc.sites.items()]
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
