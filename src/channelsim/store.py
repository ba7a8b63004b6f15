"""Writing a run's results: Parquet tables, a DuckDB file and summary.json, all or nothing.

Everything is written into a temporary folder beside the target and moved into place at the
end, so an interrupted run leaves either the previous results or the new ones, never half.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .results import Results

TABLES = {"daily_sites": Results.daily_sites, "daily_routes": Results.daily_routes,
          "people": Results.people_table}


def runs_table(runs: list[Results]) -> pa.Table:
    return pa.table({
        "seed": [r.seed for r in runs],
        "scenario": [r.scenario_name for r in runs],
        "scenario_hash": [r.scenario_hash for r in runs],
        "version": [r.version for r in runs],
        "status": ["finished"] * len(runs),
        "seconds": [sum(r.timings.values()) for r in runs],
        "active_person_days": [r.active_person_days for r in runs],
    })


def tables(runs: list[Results]) -> dict[str, pa.Table]:
    """Each table with a leading `seed` column, the runs stacked in seed order."""
    out = {}
    for name, make in TABLES.items():
        parts = []
        for r in runs:
            t = make(r)
            parts.append(t.add_column(0, "seed", pa.array([r.seed] * t.num_rows, pa.int64())))
        out[name] = pa.concat_tables(parts)
    return out


def write(out_dir: str | Path, runs: list[Results], summary: dict[str, Any]) -> Path:
    """Write the runs' tables and summary into `out_dir` (replaced as a whole)."""
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        data = tables(runs) | {"runs": runs_table(runs)}
        for name, table in data.items():
            pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
        con = duckdb.connect(str(tmp / "results.duckdb"))
        try:
            for name in data:
                con.execute(
                    f"CREATE TABLE {name} AS SELECT * FROM read_parquet(?)",
                    [str(tmp / f"{name}.parquet")],
                )
        finally:
            con.close()
        meta = {"written": datetime.now(UTC).isoformat(timespec="seconds")}
        (tmp / "summary.json").write_text(json.dumps(summary | meta, indent=2) + "\n")
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _replace(new: Path, target: Path) -> None:
    """Move `new` to `target`; an existing target is moved aside first and removed after."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
