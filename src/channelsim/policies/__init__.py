"""Interventions as data-driven modules, named by `type` in scenario files."""

from .interception import INTERCEPTION_POLICIES, apply_interception_policy

__all__ = ["INTERCEPTION_POLICIES", "apply_interception_policy"]
