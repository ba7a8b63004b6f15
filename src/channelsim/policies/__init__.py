"""Interventions as data-driven modules, named by `type` in scenario files."""
