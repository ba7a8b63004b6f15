"""Many runs: replicates over seeds, and their summaries with uncertainty."""

from .ensemble import run_ensemble, summarise

__all__ = ["run_ensemble", "summarise"]
