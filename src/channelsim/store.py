"""The results store: one DuckDB file per experiment, each run committed as it finishes.

A run is keyed by (scenario hash, seed). Its data rows and its `finished` status go in one
transaction, so a crash leaves every run either whole or absent from the data tables, and
running the same experiment again keeps finished runs and redoes the others. The Parquet
files and summary.json beside the store are exports of it, each file replaced whole.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import __version__, arrow, jsontext
from .errors import StoreError
from .results import Results
from .scenario import Scenario

STORE_FILE = "results.duckdb"
POSTERIOR_FILE = "posterior.json"  # what `calibrate` writes beside its store
FORMAT = "2"  # bumped when the tables change shape, so an old file is refused, not misread
Key = tuple[str, int]

# each data table: how a run makes it, and its row order within a run
DATA: dict[str, tuple[Callable[[Results], pa.Table], str]] = {
    "daily_sites": (Results.daily_sites, "date, site"),
    "daily_routes": (Results.daily_routes, "date, route"),
    "people": (Results.people_table, "uid"),
    "codes": (Results.codes_table, "variable, code"),  # the names of the people table's codes
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS scenarios (
    scenario_hash VARCHAR PRIMARY KEY, scenario VARCHAR, definition VARCHAR);
CREATE TABLE IF NOT EXISTS runs (
    scenario_hash VARCHAR, seed BIGINT, scenario VARCHAR, version VARCHAR, status VARCHAR,
    started TIMESTAMP, finished TIMESTAMP, seconds DOUBLE, active_person_days BIGINT,
    summary VARCHAR, PRIMARY KEY (scenario_hash, seed));
"""


@dataclass(frozen=True)
class Record:
    """A finished run as the store keeps it: its tables and summary. Made where the run
    happened, so that in an ensemble the workers build them in parallel and the one process
    that writes the store only writes."""

    scenario_hash: str
    seed: int
    scenario: str
    version: str
    seconds: float
    active_person_days: int
    summary: dict[str, Any]
    tables: dict[str, pa.Table]

    @classmethod
    def of(cls, r: Results, tables: Iterable[str] | None = None) -> Record:
        """`tables`: which of DATA to keep (all by default; the explorer skips the people)."""
        keep = DATA if tables is None else tables
        return cls(r.scenario_hash, r.seed, r.scenario_name, r.version,
                   r.seconds, r.active_person_days, r.summary(),
                   {name: _compact(DATA[name][0](r)) for name in keep})

    @property
    def key(self) -> Key:
        return self.scenario_hash, self.seed


class Store:
    """An open results store; use as a context manager so the file is closed (and checkpointed)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.con = duckdb.connect(str(self.path))
        except duckdb.Error as exc:
            reason = str(exc).splitlines()[0]
            raise StoreError(f"{self.path}: cannot open the results store ({reason})") from None
        try:
            self._prepare()
        except duckdb.Error as exc:  # e.g. a store in a folder made read-only
            self.con.close()
            reason = str(exc).splitlines()[0]
            raise StoreError(f"{self.path}: cannot write the results store ({reason})") from None
        except BaseException:
            self.con.close()
            raise
        self._last: Record | None = None  # the run committed last, while the store holds it

    def _prepare(self) -> None:
        found = {r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        if found and "meta" not in found:
            raise StoreError(f"{self.path} was written by an earlier channelsim; "
                             "remove it or choose another --out")
        self.con.execute(SCHEMA)
        self.con.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", [FORMAT])
        fmt = self.con.execute("SELECT value FROM meta WHERE key = 'format'").fetchall()[0][0]
        if fmt != FORMAT:
            raise StoreError(f"{self.path} has store format {fmt}, this channelsim writes "
                             f"{FORMAT}; remove it or choose another --out")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.con.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.con.begin()
        try:
            with _interruptible():
                yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    # ------------------------------------------------------------------ writing

    def add_scenarios(self, scenarios: Iterable[Scenario]) -> None:
        """Record each scenario's definition under its hash, so every run can be reproduced."""
        for sc in scenarios:
            self.con.execute("INSERT OR IGNORE INTO scenarios VALUES (?, ?, ?)",
                             [sc.digest(), sc.name, json.dumps(sc.model_dump(mode="json"))])

    def start(self, key: Key, scenario_name: str) -> None:
        """Mark a run as running, dropping whatever an earlier attempt at it left."""
        with self._transaction():
            self._drop_data(key)
            self.con.execute(
                "INSERT INTO runs (scenario_hash, seed, scenario, version, status, started) "
                "VALUES (?, ?, ?, ?, 'running', ?) ON CONFLICT DO UPDATE SET "
                "scenario = excluded.scenario, version = excluded.version, status = 'running', "
                "started = excluded.started, finished = NULL, seconds = NULL, "
                "active_person_days = NULL, summary = NULL",
                [*key, scenario_name, __version__, _now()],
            )

    def commit(self, rec: Record) -> None:
        """A finished run: its data rows and its status, in one transaction."""
        with self._transaction():
            self._drop_data(rec.key)
            for name, batch in rec.tables.items():
                self.con.register("batch", batch)
                try:
                    self.con.execute(f"CREATE TABLE IF NOT EXISTS {name} AS SELECT "
                                     "''::VARCHAR AS scenario_hash, 0::BIGINT AS seed, * "
                                     "FROM batch LIMIT 0")
                    self._add_new_columns(name)
                    self.con.execute(f"INSERT INTO {name} BY NAME "
                                     "SELECT ? AS scenario_hash, ? AS seed, * FROM batch",
                                     list(rec.key))
                finally:
                    self.con.unregister("batch")
            self.con.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, 'finished', ?, ?, ?, ?, ?) "
                "ON CONFLICT DO UPDATE SET scenario = excluded.scenario, "
                "version = excluded.version, status = 'finished', "
                "started = coalesce(runs.started, excluded.started), "
                "finished = excluded.finished, seconds = excluded.seconds, "
                "active_person_days = excluded.active_person_days, summary = excluded.summary",
                [*rec.key, rec.scenario, rec.version, _now(), _now(), rec.seconds,
                 rec.active_person_days, json.dumps(rec.summary)],
            )
        self._last = rec

    def _add_new_columns(self, name: str) -> None:
        """Columns a newer channelsim records are added; older runs hold NULL in them."""
        have = {row[0] for row in self.con.execute(f"DESCRIBE {name}").fetchall()}
        for column, kind, *_ in self.con.execute("DESCRIBE batch").fetchall():
            if column not in have:
                self.con.execute(f'ALTER TABLE {name} ADD COLUMN "{column}" {kind}')

    def _drop_data(self, key: Key) -> None:
        self._last = None
        for name in self._data_tables():
            self.con.execute(f"DELETE FROM {name} WHERE scenario_hash = ? AND seed = ?", list(key))

    def _data_tables(self) -> list[str]:
        found = {r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        return [name for name in DATA if name in found]

    # ------------------------------------------------------------------ reading

    def finished(self, keys: Iterable[Key]) -> set[Key]:
        """Those of `keys` finished by this version of channelsim (others must be run again)."""
        rows = self.con.execute(
            "SELECT scenario_hash, seed FROM runs WHERE status = 'finished' AND version = ?",
            [__version__]).fetchall()
        return set(keys) & {(h, int(s)) for h, s in rows}

    def summaries(self, keys: list[Key]) -> list[dict[str, Any]]:
        """Each run's summary, in the order of `keys` (all of them must be finished)."""
        rows = self.select("SELECT t.summary FROM runs t", keys).column("summary").to_pylist()
        if len(rows) != len(keys) or None in rows:
            raise StoreError(f"{self.path}: not every run asked for is finished")
        return [json.loads(s) for s in rows]

    def select(self, query: str, keys: list[Key], order: str = "") -> pa.Table:
        """`query` (over a table aliased t) restricted to `keys`, rows in the order of `keys`."""
        self.con.register("wanted", arrow.table({
            "scenario_hash": arrow.text([h for h, _ in keys]),
            "seed": np.array([s for _, s in keys], dtype=np.int64),
            "position": np.arange(len(keys)),
        }))
        try:
            sql = f"{query} JOIN wanted USING (scenario_hash, seed) ORDER BY position"
            return self.con.sql(sql + (f", {order}" if order else "")).to_arrow_table()
        finally:
            self.con.unregister("wanted")

    def _committed(self, name: str, wanted: list[Key], order: str) -> pa.Table | None:
        """Data table `name` of the one run in `wanted` as `_select` would read it back, made
        from the run's record if this store committed it last (reading a run's tables back
        took about as long as writing them); None otherwise."""
        rec = self._last
        if rec is None or wanted != [rec.key] or name not in rec.tables:
            return None
        table, n = rec.tables[name], rec.tables[name].num_rows
        schema = self.con.sql(f"SELECT * FROM {name} LIMIT 0").to_arrow_table().schema
        if sorted(schema.names) != sorted(["scenario_hash", "seed", *table.column_names]):
            return None  # the store has columns this run lacks (NULL in it)
        table = table.append_column("scenario_hash", arrow.labels(
            [rec.scenario_hash], np.zeros(n, dtype=np.int32)))
        table = table.append_column("seed", arrow.column(np.full(n, rec.seed, dtype=np.int64)))
        table = table.select(schema.names).cast(schema)
        rows = pc.sort_indices(table, [(key.strip(), "ascending") for key in order.split(",")])
        in_order = n == 0 or pc.all(pc.equal(rows, arrow.column(np.arange(n, dtype=np.uint64))))
        return table if in_order else table.take(rows)  # (the people are: no copy)

    # ------------------------------------------------------------------ exports

    def export(self, folder: str | Path, keys: list[Key], summary: dict[str, Any]) -> None:
        """Write the runs of `keys` as Parquet tables and `summary` as summary.json."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        wanted = list(dict.fromkeys(keys))
        present = self._data_tables()
        queries = {name: (f"SELECT t.* FROM {name} t", order)
                   for name, (_, order) in DATA.items() if name in present}
        queries["runs"] = ("SELECT t.* FROM runs t", "")
        for name, (query, order) in queries.items():
            with _interruptible():
                table = self._committed(name, wanted, order)
                if table is None:
                    table = self.select(query, wanted, order)
            _write_whole(folder / f"{name}.parquet",
                         lambda path, t=table: pq.write_table(t, path, compression="zstd"))
        meta = {"written": datetime.now(UTC).isoformat(timespec="seconds")}
        text = jsontext.dumps(summary | meta, indent=2) + "\n"
        _write_whole(folder / "summary.json", lambda path: Path(path).write_text(text))


def write(out_dir: str | Path, runs: list[Results], summary: dict[str, Any]) -> Path:
    """Write in-memory runs and their summary into `out_dir`, replaced as a whole."""
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        with Store(tmp / STORE_FILE) as st:
            for r in runs:
                st.commit(Record.of(r))
            st.export(tmp, [(r.scenario_hash, r.seed) for r in runs], summary)
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


@contextmanager
def _interruptible() -> Iterator[None]:
    """DuckDB turns a Ctrl-C during a query into RuntimeError('Query interrupted'): make it
    the KeyboardInterrupt it was, so it is handled as one."""
    try:
        yield
    except RuntimeError as exc:
        if str(exc) != "Query interrupted":
            raise
        raise KeyboardInterrupt from None


def _compact(table: pa.Table) -> pa.Table:
    """Text columns dictionary-encoded: a fraction of the bytes to send from a worker, and
    still VARCHAR in the store."""
    for i, col in enumerate(table.schema):
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            table = table.set_column(i, col.name, pc.dictionary_encode(table.column(i)))
    return table


def _now() -> datetime:
    """UTC, without a zone: DuckDB's TIMESTAMP holds none."""
    return datetime.now(UTC).replace(tzinfo=None)


def _write_whole(path: Path, write_to: Callable[[Path], object]) -> None:
    """Write through a temporary file beside `path`, so readers see the old file or the new."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write_to(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _replace(new: Path, target: Path) -> None:
    """Move `new` to `target`; an existing target is moved aside first and removed after."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
