"""channelsim's foundation rules written idiomatically in Mesa 3, one object per person.

The yardstick of DESIGN section 5 ("at least 100 times faster than the same rules in Mesa").
"""

from .model import ChannelModel, run

__all__ = ["ChannelModel", "run"]
