"""Many runs: replicates over seeds, paired comparisons, sweeps, and where they run."""

from .backends import BackendError, Dask, Processes, Serial
from .ensemble import combine, run_ensemble, summarise
from .paired import compare
from .runner import execute, plan

__all__ = ["BackendError", "Dask", "Processes", "Serial", "combine", "compare", "execute", "plan",
           "run_ensemble", "summarise"]
