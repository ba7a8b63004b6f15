"""channelsim: an agent-based simulator of irregular migration across the English Channel."""

__version__ = "0.2.0"

from .compiled import use_cache_for_these_sources  # noqa: E402

use_cache_for_these_sources()  # before any kernel is defined


from .engine import Sim, run  # noqa: E402
from .experiments.paired import compare_scenarios as compare  # noqa: E402
from .results import Results  # noqa: E402
from .scenario import Scenario, ScenarioError, load  # noqa: E402

__all__ = ["Results", "Scenario", "ScenarioError", "Sim", "__version__", "compare", "load", "run"]
