"""The levers the explorer offers, checked and turned into `--set` overrides.

A lever is a dotted scenario key with a kind and a range; the overrides it makes are the
ones `channelsim compare A A --set-b ...` takes, so the explorer's comparison is the
command's. Anything not listed here is refused with the list of what is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..scenario import Scenario

POLICIES = {
    "warn_release": '{type = "warn_release"}',
    "detain": '{type = "detain", days = 2}',
    "transfer": '{type = "transfer", return_probability = 0.5, return_delay_days = 14.0}',
}


class LeverError(ValueError):
    """A lever that does not exist or a value it cannot take; the message says which."""


@dataclass(frozen=True)
class Lever:
    pattern: str  # the dotted key, <site> standing for a site id
    kind: str  # number, choice, switch, sites
    label: str
    low: float = 0.0
    high: float = 0.0
    choices: tuple[str, ...] = ()


LEVERS = (
    Lever("sites.<site>.officers", "number", "officers at the site", 0, 20_000),
    Lever("sites.<site>.policy", "choice", "interception policy", choices=tuple(POLICIES)),
    Lever("sites.<site>.clearances", "switch", "camp clearances (off: none)"),
    Lever("sites.<site>.juxtaposed_controls", "switch", "UK border checks in France"),
    Lever("sites.<site>.boat_supply", "number", "boat supply (1 = usual)", 0, 5),
    Lever("uk_payments", "number", "UK payments (x the scenario's)", 0, 10),
    Lever("campaigns", "sites", "information campaign from the start, at these sites"),
    Lever("legal_route.quota_per_month", "number", "safe legal route, people a month",
          0, 20_000),
)


def catalogue(sc: Scenario) -> list[dict[str, Any]]:
    """Every lever of a scenario with its current value, for the page's form; a number the
    scenario gives as a dated schedule shows the value in force at its end, and the schedule."""
    out = []
    for lever in LEVERS:
        keys = ([lever.pattern.replace("<site>", s) for s in sc.sites]
                if "<site>" in lever.pattern else [lever.pattern])
        for key in keys:
            value, note = current(sc, key), ""
            if isinstance(value, dict):
                schedule = sorted(value.items())
                since, value = in_force(sc, value)
                note = ("dated: " + ", ".join(f"{d}: {v:g}" for d, v in schedule)
                        + f"; the lever sets the value from {since} on")
            out.append({"key": key, "kind": lever.kind, "label": lever.label,
                        "low": lever.low, "high": lever.high, "choices": list(lever.choices),
                        "sites": list(sc.sites), "value": value, "note": note})
    return out


def in_force(sc: Scenario, schedule: dict[date, float]) -> tuple[date, float]:
    """The date of a schedule's last change by the scenario's end, and its value."""
    dates = sorted(schedule)
    since = max([d for d in dates if d <= sc.end], default=dates[0])
    return since, schedule[since]


def current(sc: Scenario, key: str) -> Any:
    """The scenario's value for a lever: a number, a dated schedule (a dict), or None."""
    parts = key.split(".")
    if parts[0] == "sites":
        site = sc.sites[parts[1]]
        if parts[2] == "policy":
            return site.policy.type if hasattr(site.policy, "type") else None
        if parts[2] == "clearances":
            return site.clearance is not None
        if parts[2] == "juxtaposed_controls":
            jc = site.juxtaposed_controls
            return jc if isinstance(jc, bool) else None
        return site.officers if parts[2] == "officers" else site.boat_supply
    if key == "uk_payments":
        return 1.0
    if key == "campaigns":
        return []
    return 0 if sc.legal_route is None else sc.legal_route.quota_per_month


def _lever(key: str, sites: dict[str, Any]) -> Lever:
    m = re.fullmatch(r"sites\.([^.]+)\.(.+)", key)
    if m:
        if m[1] not in sites:
            raise LeverError(f"'{key}': no site '{m[1]}'; sites: {', '.join(sites)}")
        key = f"sites.<site>.{m[2]}"
    for lever in LEVERS:
        if lever.pattern == key:
            return lever
    allowed = ", ".join(lv.pattern for lv in LEVERS)
    raise LeverError(f"'{key}' is not a lever; allowed: {allowed}")


def overrides(sc: Scenario, levers: dict[str, Any]) -> list[str]:
    """The `--set` overrides that put `levers` on scenario `sc`, checked first."""
    out = []
    start = sc.start.isoformat()
    for key, value in levers.items():
        lever = _lever(key, sc.sites)
        if lever.kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise LeverError(f"'{key}': {value!r} is not a number")
            if not lever.low <= value <= lever.high:
                raise LeverError(f"'{key}': {value} is out of range, "
                                 f"{lever.low:g} to {lever.high:g}")
        elif lever.kind == "switch" and not isinstance(value, bool):
            raise LeverError(f"'{key}': {value!r} is not true or false")
        elif lever.kind == "choice" and value not in lever.choices:
            raise LeverError(f"'{key}': {value!r} is not one of {', '.join(lever.choices)}")
        elif lever.kind == "sites" and (not isinstance(value, list)
                                        or any(v not in sc.sites for v in value)):
            raise LeverError(f"'{key}': give a list of sites from {', '.join(sc.sites)}")
        out += _to_overrides(sc, key, value, start)
    return out


def _to_overrides(sc: Scenario, key: str, value: Any, start: str) -> list[str]:
    parts = key.split(".")
    if isinstance(was := current(sc, key), dict):  # a dated schedule: from its last change on
        since, _ = in_force(sc, was)
        table = ", ".join(f"{d} = {value if d == since else v!r}" for d, v in sorted(was.items()))
        return [f"{key}={{{table}}}"]
    if parts[0] == "sites" and parts[2] == "policy":
        return [f"{key}={POLICIES[value]}"]
    if parts[0] == "sites" and parts[2] == "clearances":
        if value and not current(sc, key):  # the switch would be accepted and do nothing
            raise LeverError(f"'{key}': the scenario has no camp clearance rules at "
                             f"{parts[1]} to switch on; the switch can only turn rules off")
        if value:
            return []  # the scenario's own rules
        # no rule can fire: no dates, no size or incident trigger reached, nobody bused
        return [f"sites.{parts[1]}.clearance={{buses = 0, dates = []}}"]
    if parts[0] == "sites" and parts[2] == "juxtaposed_controls":
        return [f"{key}={'true' if value else 'false'}"]
    if key == "uk_payments":
        if sc.funding is None or not sc.funding.payments:
            if value == 1:
                return []
            raise LeverError(f"'{key}': the scenario has no UK payments to scale; "
                             "only 1 (as is) is possible")
        table = ", ".join(f"{y} = {v * value!r}" for y, v in sc.funding.payments.items())
        return [f"funding.payments={{{table}}}"]
    if key == "campaigns":
        if not value:
            return []
        items = ", ".join(f'{{site = "{s}", start = {start}}}' for s in value)
        return [f"campaigns=[{items}]"]
    return [f"{key}={value!r}"]
