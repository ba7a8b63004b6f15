"""Scenario files a user uploads to the explorer, kept in its results folder (the only place
besides the bundled scenarios it reads). Checked before they are kept: a name usable as a
file name, valid TOML that extends at most a bundled scenario (a path could reach any file on
the server), a valid scenario, and runs no larger than the history's."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from .. import limits, scenario
from ..scenario import ScenarioError

FOLDER = "uploads"
MAX_BYTES = 48 * 1024  # the history, the largest bundled scenario, is 26 KiB
MAX_WORK = 5 * 10**9  # person-days a run of an upload may take (the history: about 1.6e9)
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def names(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def save(folder: Path, name: str, text: str, taken: list[str]) -> scenario.Scenario:
    """Keep `text` as upload `name` if it is a scenario the explorer can run; ScenarioError
    (naming the upload, the key and what is allowed) if not."""
    source = f"upload '{name[:40]}'"
    if not NAME.fullmatch(name):
        raise ScenarioError(source, [("name", "1 to 40 of a-z, 0-9, - and _, starting with "
                                              "a letter or digit")])
    if name in taken:
        raise ScenarioError(source, [("name", f"'{name}' is taken; taken: {', '.join(taken)}")])
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise ScenarioError(source, [("", f"the file is {size:,} bytes; an upload is at most "
                                          f"{MAX_BYTES:,}")], "too large")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, [("", f"malformed TOML: {exc}")]) from None
    parent, bundled = raw.get("extends"), scenario.bundled_names()
    if parent is not None and (not isinstance(parent, str) or parent not in bundled):
        raise ScenarioError(source, [("extends", "an upload may extend only a bundled "
                                                 f"scenario: {', '.join(bundled)}")])
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.part"
    partial.write_text(text, encoding="utf-8")
    try:
        sc = scenario.load(partial)
        if limits.work([sc], 1) > MAX_WORK:
            raise ScenarioError(source, [("arrivals.per_year, start, end", (
                f"a run would take up to {limits.work([sc], 1):,} person-days; an upload's "
                f"run is at most {MAX_WORK:,}"))], "too large to run here")
    except ScenarioError as exc:
        partial.unlink()
        if exc.source == source:
            raise
        raise ScenarioError(source, exc.problems, exc.headline) from None
    partial.replace(folder / f"{name}.toml")
    return sc
