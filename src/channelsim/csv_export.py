"""`channelsim export`: the tables of a results store as CSV files, for spreadsheets and R.

Every experiment (run, compare, sweep, calibrate) keeps its results in one results.duckdb, so
one command covers them all: each table (or each named with --table) is written by DuckDB as
DIR/<table>.csv with a header row, nested values as text. The store is opened read-only, and
each file appears whole or not at all.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from .store import STORE_FILE, StoreError


def tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                      "ORDER BY table_name").fetchall()]


def export(results: Path, names: list[str], folder: Path) -> list[tuple[Path, int]]:
    """Write the named tables (all if none) of the store at `results` (a results folder or
    its results.duckdb) into `folder`; the files written and their rows."""
    path = results / STORE_FILE if results.is_dir() else results
    if not path.is_file():
        raise StoreError(f"{results}: no results store here (a results folder holding "
                         f"{STORE_FILE}, or the file itself)")
    try:
        os.fsencode(folder).decode("utf-8")
    except UnicodeDecodeError:
        raise StoreError(f"--csv {folder!r}: not valid UTF-8; name a folder in UTF-8") from None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open the results store "
                         f"({str(exc).splitlines()[0]})") from None
    with con:
        found = tables(con)
        unknown = [n for n in names if n not in found]
        if unknown:
            raise StoreError(f"--table {unknown[0]}: no such table in {path}; its tables: "
                             f"{', '.join(found)}")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"--csv {folder}: cannot create the folder: {exc.strerror}"
                             ) from None
        return [_write(con, name, folder) for name in names or found]


def _write(con: duckdb.DuckDBPyConnection, table: str, folder: Path) -> tuple[Path, int]:
    target = folder / f"{table}.csv"
    partial = folder / f".{table}.csv.partial"
    quoted = '"' + table.replace('"', '""') + '"'
    literal = "'" + str(partial).replace("'", "''") + "'"
    try:
        con.execute(f"COPY (SELECT * FROM {quoted}) TO {literal} (HEADER, DELIMITER ',')")
        os.replace(partial, target)
    except (duckdb.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"--csv {folder}: cannot write {target.name} "
                         f"({str(exc).splitlines()[0]})") from None
    rows = con.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]
    return target, rows
