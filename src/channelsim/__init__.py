"""channelsim: an agent-based simulator of irregular migration across the English Channel.

The names below load on first use, so that `import channelsim` (and the command line's help,
`validate` and `scenarios`) does not wait for numba and the compiled kernels.
"""

from importlib import import_module

__version__ = "0.2.0"

_LAZY = {"Sim": "engine", "run": "engine", "Results": "results", "Scenario": "scenario",
         "ScenarioError": "errors", "load": "scenario"}

__all__ = ["Results", "Scenario", "ScenarioError", "Sim", "__version__", "compare", "load", "run"]


def __getattr__(name: str):
    if name == "compare":
        return import_module(".experiments.paired", __name__).compare_scenarios
    if name not in _LAZY:
        raise AttributeError(f"module 'channelsim' has no attribute {name!r}")
    return getattr(import_module(f".{_LAZY[name]}", __name__), name)
