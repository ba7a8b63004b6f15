"""Failures of a results store or a backend, which the command line reports with exit code 2.

They live apart from the store and the backends so that the command line can catch them
without loading DuckDB, numba and the engine for commands that use neither.
"""


class StoreError(Exception):
    """A results store that cannot be used (locked by another process, foreign or old file)."""


class BackendError(Exception):
    """A backend that cannot be used (an unreachable scheduler, a worker that died)."""
