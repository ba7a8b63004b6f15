"""The daily processes, one module each, in the order the engine runs them."""

from .arrivals import Arrivals
from .attempts import Attempts
from .base import Process
from .enforcement import Enforcement
from .exits import Exits
from .resolution import Resolution
from .returns import Returns

__all__ = ["Arrivals", "Attempts", "Enforcement", "Exits", "Process", "Resolution", "Returns"]
