"""Bad input and the failures of a results store or a backend, which the command line reports
with exit code 2, and the helpers their messages share.

They live apart from the scenario's models, the store and the backends so that the command line
can catch them without loading pydantic, DuckDB, numba and the engine for commands that use
none of them (`--help`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

MAX_LINE = 300  # a message fits on a screen even when a key or value in it is huge


class ScenarioError(Exception):
    """A scenario that cannot be used; `problems` are (key path, what is wrong) pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]],
                 headline: str = "not a valid scenario"):
        self.source = source
        self.problems = problems
        self.headline = headline
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{clip(self.source, MAX_LINE)}: {self.headline}"]
        lines += [f"  {clip(key, MAX_LINE) or '(top level)'}: {clip(msg, MAX_LINE)}"
                  for key, msg in self.problems[:12]]
        if len(self.problems) > 12:
            lines.append(f"  ... and {len(self.problems) - 12} more")
        return "\n".join(_printable(line) for line in lines)


def clip(text: str, width: int = 60) -> str:
    """A key or value from the input, cut to fit a message."""
    return text if len(text) <= width else text[:width] + "..."


def did_you_mean(name: str, allowed: Iterable[str]) -> str:
    """"did you mean 'x'? " for the allowed name nearest a mistyped one, or nothing."""
    hint = difflib.get_close_matches(name, list(allowed), n=1)
    return f"did you mean '{hint[0]}'? " if hint else ""


class Override(str):
    """A `key=value` override that remembers the option it was given with (`--set-b`, or a
    sweep's `--param` and its range), so that a message about it names what the user typed.
    A plain string is a `--set`."""

    option: str
    typed: str

    def __new__(cls, item: str, option: str = "--set", typed: str = "") -> Override:
        self = super().__new__(cls, item)
        self.option, self.typed = option, typed or item
        return self


def option_of(item: str) -> str:
    return item.option if isinstance(item, Override) else "--set"


def named(item: str) -> str:
    """The override as the user typed it, e.g. `--set-b sites.calais.officers=5`."""
    return f"{option_of(item)} {clip(item.typed if isinstance(item, Override) else item)}"


def _printable(text: str) -> str:
    """Control characters from a file or an override escaped, never sent to the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


class StoreError(Exception):
    """A results store that cannot be used (locked by another process, foreign or old file)."""


class BackendError(Exception):
    """A backend that cannot be used (an unreachable scheduler, a worker that died)."""
