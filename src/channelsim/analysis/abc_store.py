"""ABC-SMC generations in the DuckDB results store, one transaction per generation, so a
calibration that is killed keeps every whole generation and none half-written."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np

from ..store import Store

if TYPE_CHECKING:
    from .abc_smc import Generation, Problem

SCHEMA = """
CREATE TABLE IF NOT EXISTS abc_generations (
    calibration VARCHAR, generation INTEGER, epsilon DOUBLE, acceptance DOUBLE, ess DOUBLE,
    simulations BIGINT, seconds DOUBLE, parameters VARCHAR,
    PRIMARY KEY (calibration, generation));
CREATE TABLE IF NOT EXISTS abc_particles (
    calibration VARCHAR, generation INTEGER, particle INTEGER, theta DOUBLE[], weight DOUBLE,
    distance DOUBLE, tries BIGINT, PRIMARY KEY (calibration, generation, particle));
ALTER TABLE abc_particles ADD COLUMN IF NOT EXISTS accepted BIGINT;
"""


class AbcStore:
    def __init__(self, path: str):
        self.store = Store(path)
        self.store.con.execute(SCHEMA)

    def close(self) -> None:
        self.store.con.close()

    def commit(self, key: str, gen: Generation, problem: Problem) -> None:
        con = self.store.con
        with self.store._transaction():  # the store's own: Ctrl-C waits for the commit
            con.execute("INSERT INTO abc_generations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [key, gen.index, gen.epsilon, gen.acceptance, gen.ess,
                         int(gen.tries.sum()), gen.seconds, json.dumps(list(problem.names))])
            con.executemany(
                "INSERT INTO abc_particles (calibration, generation, particle, theta, weight, "
                "distance, tries, accepted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [[key, gen.index, i, gen.thetas[i].tolist(), float(gen.weights[i]),
                  float(gen.distances[i]), int(gen.tries[i]), int(gen.accepted[i])]
                 for i in range(len(gen.weights))])

    def load(self, key: str) -> list[Generation]:
        from .abc_smc import Generation

        con = self.store.con
        heads = con.execute("SELECT generation, epsilon, seconds FROM abc_generations WHERE "
                            "calibration = ? ORDER BY generation", [key]).fetchall()
        out = []
        for index, eps, seconds in heads:
            # a store from before MCMC moves has no `accepted`: one per particle then
            rows = con.execute("SELECT theta, weight, distance, tries, coalesce(accepted, 1) "
                               "FROM abc_particles WHERE calibration = ? AND generation = ? "
                               "ORDER BY particle", [key, index]).fetchall()
            theta, weight, distance, tries, accepted = (list(c) for c in zip(*rows, strict=True))
            out.append(Generation(index, eps, np.array(theta, dtype=float), np.array(weight),
                                  np.array(distance), np.array(tries, dtype=np.int64), seconds,
                                  np.array(accepted, dtype=np.int64)))
        return out
