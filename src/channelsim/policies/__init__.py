"""Interventions as data-driven modules, named by `type` in scenario files."""

from .funding import funded
from .interception import CODES, intercepted, policy_arrays, transfer

__all__ = ["CODES", "funded", "intercepted", "policy_arrays", "transfer"]
