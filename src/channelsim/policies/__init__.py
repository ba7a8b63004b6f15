"""Interventions as data-driven modules, named by `type` in scenario files."""

from .funding import funded
from .interception import INTERCEPTION_POLICIES, apply_interception_policy

__all__ = ["INTERCEPTION_POLICIES", "apply_interception_policy", "funded"]
