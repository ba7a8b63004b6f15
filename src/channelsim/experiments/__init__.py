"""Many runs: replicates over seeds, paired comparisons, sweeps, and where they run.

The names below load on first use: `experiments.sweep` (which the command line's parser
reads) must not bring in the engine and numba."""

from importlib import import_module

_WHERE = {"BackendError": "..errors", "Dask": ".backends", "Processes": ".backends",
          "Serial": ".backends", "combine": ".ensemble", "run_ensemble": ".ensemble",
          "summarise": ".ensemble", "compare": ".paired", "compare_scenarios": ".paired",
          "execute": ".runner", "plan": ".runner", "runs": ".runner"}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)
