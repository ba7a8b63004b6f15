"""One question of the explorer: a scenario with levers against itself without, run paired
on the same seeds through the results store, so a question asked before answers at once."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from .. import scenario
from ..experiments import Serial, compare, execute, plan
from ..report import coast
from ..store import Store
from . import levers

MAX_REPS = 20
HEADLINE = ("crossings", "attempts", "interceptions", "deaths", "peak_present",
            "share_displaced", "public_cost", "smuggler_revenue", "legal_arrivals")
CACHE_FILE = "explorer.duckdb"
MAX_ANSWERS = 64


class Explorer:
    """The scenarios it may read and the store it caches in; one question at a time, since
    a DuckDB connection serves one thread."""

    def __init__(self, results: Path, scenarios: Path | None = None):
        self.results = results
        self.scenarios = scenarios
        results.mkdir(parents=True, exist_ok=True)
        self.store = Store(results / CACHE_FILE)
        self.lock = threading.Lock()
        # answers already given, by (A's hash, B's hash, seeds): the store has their runs, this
        # spares the queries that read them back
        self.answers: OrderedDict[tuple, dict[str, Any]] = OrderedDict()

    def close(self) -> None:
        self.store.con.close()

    def names(self) -> list[str]:
        if self.scenarios is None:
            return scenario.bundled_names()
        return sorted(p.stem for p in self.scenarios.glob("*.toml"))

    def load(self, name: str, overrides: list[str] = ()) -> scenario.Scenario:
        if name not in self.names():
            raise levers.LeverError(f"no scenario '{name}'; choose one of "
                                    f"{', '.join(self.names())}")
        path = name if self.scenarios is None else self.scenarios / f"{name}.toml"
        return scenario.load(path, list(overrides))

    def ask(self, name: str, chosen: dict[str, Any], reps: int, seed: int) -> dict[str, Any]:
        if not 1 <= reps <= MAX_REPS:
            raise levers.LeverError(f"reps: {reps} is out of range, 1 to {MAX_REPS} "
                                    "(use `channelsim compare` for more)")
        a = self.load(name)
        sets = levers.overrides(a, chosen)
        b = self.load(name, sets)
        seeds = list(range(seed, seed + reps))
        t0 = time.perf_counter()
        key = (a.digest(), b.digest(), tuple(seeds))
        with self.lock:
            if key in self.answers:
                self.answers.move_to_end(key)
                return self.answers[key] | {"ran": 0,
                                            "seconds": round(time.perf_counter() - t0, 3)}
            _, todo = plan(self.store, [a, b], seeds)
            execute(self.store, todo, Serial())
            result = compare(self.store.summaries([(a.digest(), s) for s in seeds]),
                             self.store.summaries([(b.digest(), s) for s in seeds]))
            series = self._series([a.digest(), b.digest()], seeds)
            people, crossed = self._map(b.digest(), seeds)
        answer = {
            "scenario": name, "overrides": sets, "reps": reps, "seeds": seeds,
            "hash_a": a.digest(), "hash_b": b.digest(), "ran": len(todo),
            "seconds": round(time.perf_counter() - t0, 3),
            "effects": [{"figure": k, **result["effects"]["scorecard"][k]}
                        for k in HEADLINE if result["effects"]["scorecard"].get(k)],
            "by_site": {sid: result["effects"]["attempts_by_site"][sid]
                        for sid in result["effects"]["attempts_by_site"]},
            "comparison": result,
            "series": series,
            "map": self._geometry(b, people, crossed),
        }
        with self.lock:
            self.answers[key] = answer
            while len(self.answers) > MAX_ANSWERS:
                self.answers.popitem(last=False)
        return answer

    def _series(self, hashes: list[str], seeds: list[int]) -> dict[str, Any]:
        """Monthly crossings, all routes, for A and B: median and 5th/95th percentiles."""
        rows = self.store.con.execute(
            "WITH m AS (SELECT scenario_hash, seed, date_trunc('month', date) AS month, "
            "sum(crossings) AS n FROM daily_routes WHERE scenario_hash IN (?, ?) AND seed "
            "BETWEEN ? AND ? GROUP BY ALL) SELECT scenario_hash, month, median(n), "
            "quantile_cont(n, 0.05), quantile_cont(n, 0.95) FROM m GROUP BY ALL ORDER BY 2",
            [*hashes, seeds[0], seeds[-1]]).fetchall()
        out: dict[str, Any] = {}
        for label, h in zip(("a", "b"), hashes, strict=True):
            mine = [r for r in rows if r[0] == h]
            out[label] = {"month": [str(r[1])[:10] for r in mine],
                          "median": [r[2] for r in mine], "p05": [r[3] for r in mine],
                          "p95": [r[4] for r in mine]}
        return out

    def _map(self, h: str, seeds: list[int]) -> tuple[dict[str, float], dict[str, float]]:
        people = dict(self.store.con.execute(
            "SELECT site, avg(waiting) FROM daily_sites WHERE scenario_hash = ? AND seed "
            "BETWEEN ? AND ? GROUP BY site", [h, seeds[0], seeds[-1]]).fetchall())
        crossed = dict(self.store.con.execute(
            "SELECT route, sum(crossings) / ? FROM daily_routes WHERE scenario_hash = ? AND "
            "seed BETWEEN ? AND ? GROUP BY route",
            [len(seeds), h, seeds[0], seeds[-1]]).fetchall())
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
            routes.append({"id": rid, "mode": mode, "lon": [s.lon, x], "lat": [s.lat, y],
                           "crossings": float(crossed.get(rid, 0.0))})
        box = coast.box([s["lon"] for s in sites], [s["lat"] for s in sites])
        rings = [[[round(float(x), 3), round(float(y), 3)] for x, y in ring]
                 for ring in coast.land(*box)]
        return {"box": box, "coast": rings, "sites": sites, "routes": routes}
