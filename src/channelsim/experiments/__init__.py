"""Many runs: replicates over seeds, paired comparisons, sweeps, and where they run."""

from .backends import BackendError, Dask, Processes, Serial
from .ensemble import combine, run_ensemble, summarise
from .paired import compare, compare_scenarios
from .runner import execute, plan

__all__ = ["BackendError", "Dask", "Processes", "Serial", "combine", "compare",
           "compare_scenarios", "execute", "plan", "run_ensemble", "summarise"]
