"""Bad input and the failures of a results store or a backend, which the command line reports
with exit code 2.

They live apart from the scenario's models, the store and the backends so that the command line
can catch them without loading pydantic, DuckDB, numba and the engine for commands that use
none of them (`--help`).
"""

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


def _printable(text: str) -> str:
    """Control characters from a file or an override escaped, never sent to the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


class StoreError(Exception):
    """A results store that cannot be used (locked by another process, foreign or old file)."""


class BackendError(Exception):
    """A backend that cannot be used (an unreachable scheduler, a worker that died)."""
