"""The daily processes, one module each, in the order the engine runs them."""

from . import (
               arrivals,
               attempts,
               camps,
               drivers,
               enforcement,
               exits,
               learning,
               legal_route,
               market,
               relocation,
               resolution,
               returns,
)
from .arrivals import Arrivals
from .attempts import Attempts
from .base import Process
from .camps import Camps
from .drivers import Drivers
from .enforcement import Enforcement
from .exits import Exits
from .learning import Learning
from .legal_route import LegalRoute
from .market import Market
from .relocation import Relocation
from .resolution import Resolution
from .returns import Returns

__all__ = ["Arrivals", "Attempts", "Camps", "Drivers", "Enforcement", "Exits", "Learning",
           "LegalRoute", "Market", "Process", "Relocation", "Resolution", "Returns", "arrivals",
           "attempts", "camps", "drivers", "enforcement", "exits", "learning", "legal_route",
           "market", "relocation", "resolution", "returns"]
