"""Scenario files: TOML data validated by a pydantic schema, with errors a person can act on.

A scenario is pure data. Every error names the file, the dotted key path and what is allowed,
so `channelsim validate` can tell a user exactly which line to fix.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import types
import typing
import unicodedata
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ScenarioError, clip, did_you_mean, named, option_of

Prob = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(strict=True, ge=0.0)]
MAX_ID = 40  # site, route and origin ids are table keys and labels in every output
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=MAX_ID)]
# A value that may change on dates: a number, or {YYYY-MM-DD = value, ...}, each held to the next.
Schedule = NonNeg | Annotated[dict[date, NonNeg], Field(min_length=1)]
ShareSchedule = Prob | Annotated[dict[date, Prob], Field(min_length=1)]
# A switch that may change on dates: true/false, or {YYYY-MM-DD = true, ...}.
Switch = bool | Annotated[dict[date, bool], Field(min_length=1)]
MAX_NAME_BYTES = 100  # two names and a hash make a comparison's folder name (255 bytes)
MAX_GROUPS = 100  # sites and origin groups are stored as small integers

MODES = ("lorry_ferry", "lorry_tunnel", "small_boat")


def _name_usable(name: str) -> str:
    """The name becomes the default results folder: it must be a name a file system takes."""
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ValueError("may not hold control or invisible format characters")
    if len(name.encode()) > MAX_NAME_BYTES:
        raise ValueError(f"is {len(name.encode())} bytes in UTF-8; at most {MAX_NAME_BYTES}")
    return name


class Model(BaseModel):
    # inf or NaN is no count, rate or share: refused everywhere, not met later as an overflow
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class WarnRelease(Model):
    """Intercepted people are warned and released on the spot; they may try again tomorrow."""

    type: Literal["warn_release"]


class Detain(Model):
    """Intercepted people are held for `days`, then released at the same site."""

    type: Literal["detain"]
    days: Annotated[int, Field(strict=True, ge=1, le=365)]


class Transfer(Model):
    """Intercepted people are bused to a distant centre; some come back after a delay."""

    type: Literal["transfer"]
    return_probability: Prob
    return_delay_days: Annotated[float, Field(strict=True, ge=1.0, le=365.0)]


Policy = Annotated[Union[WarnRelease, Detain, Transfer], Field(discriminator="type")]  # noqa: UP007


class Clearance(Model):
    """Dismantling a camp: on dates, past a size, or after public-order incidents. Up to
    buses x seats are bused to centres (back after a delay, with a probability), minors are
    taken into care, and a share of the rest scatter to other sites."""

    dates: list[date] = []
    threshold: Annotated[int, Field(strict=True, ge=1)] | None = None
    # public-order incidents at the site (sites.<id>.incidents) since the last clearance
    # that call this one; none: incidents do not trigger it
    incidents_to_clear: Annotated[int, Field(strict=True, ge=1)] | None = None
    buses: Annotated[int, Field(strict=True, ge=0)] = 25
    seats: Annotated[int, Field(strict=True, ge=1)] = 20
    return_probability: Prob = 0.5
    return_delay_days: Annotated[float, Field(strict=True, ge=1.0, le=365.0)] = 30.0
    scatter_share: Prob = 0.5
    camp_share: Prob = 1.0  # share of the people waiting at the site who live in this camp
    cooldown_days: Annotated[int, Field(strict=True, ge=0)] = 30
    triggers_from: date | None = None  # size and incident triggers apply from this date


class Incidents(Model):
    """Public-order incidents in a camp (brawls, fights between gangs): a daily chance
    rate * (camp / capacity)^2 * (1 + rivalry * gangs at the site / 10)."""

    rate: Prob = 0.0  # daily chance of an incident when the camp is at its capacity
    rivalry: NonNeg = 0.0  # how much more likely per ten smuggling gangs at the site


class Drivers(Model):
    """Lorry drivers at traffic lights: forced entries raise the share refusing to stop."""

    traffic_light_share: Prob = 0.5  # share of the site's lorry opportunities at lights
    # refusal rises by sensitivity * forced entries per lorry at lights * (1 - refusing)
    sensitivity: NonNeg = 0.05
    decay: Prob = 0.02  # daily relaxation of refusal
    road_incident_rate: NonNeg = 0.01  # incidents per refusing lorry at lights per day


class Site(Model):
    name: str
    lat: Annotated[float, Field(strict=True, ge=40.0, le=60.0)]
    lon: Annotated[float, Field(strict=True, ge=-10.0, le=10.0)]
    officers: Schedule = 0.0
    uk_officers: Schedule = 0.0
    # one policy, or {date = policy, ...}: each in force from its date (warn and release before)
    policy: Policy | Annotated[dict[date, Policy], Field(min_length=1)] = WarnRelease(
        type="warn_release")
    initial_people: Annotated[int, Field(strict=True, ge=0)] = 0
    # share of newcomers who arrive at this site first (at most 1; the sites' shares are
    # normalised on each date)
    arrival_share: ShareSchedule = 1.0
    # camp size before overcrowding
    capacity: Annotated[int, Field(strict=True, ge=1)] | None = None
    clearance: Clearance | list[Clearance] | None = None  # one rule, or several
    incidents: Incidents | None = None
    drivers: Drivers | None = None
    # UK border checks in France (Le Touquet): off, a stowaway found on arrival is in the UK
    juxtaposed_controls: Switch = True
    boat_supply: Schedule = 1.0  # boats and engines reaching this site's smugglers (1 = usual)


class Interception(Model):
    """p = 1 - exp(-(base + officers * E / (A + congestion) + infrastructure * I))."""

    base: NonNeg = 0.1
    officers: NonNeg = 0.0
    congestion: Annotated[float, Field(strict=True, gt=0.0)] = 10.0
    infrastructure: NonNeg = 0.0


class Market(Model):
    """Smugglers on a route: price = base * (enforcement / reference)^enforcement_elasticity
    * (demand / supply)^demand_elasticity; gangs grow with their margin and shrink without."""

    smuggler: Literal["optional", "required"] = "optional"
    base_price: NonNeg = 1000.0  # GBP for a package at the reference enforcement
    # a package: this share of the price paid on buying it, the rest on arrival in the UK,
    # and this many attempts included before another must be bought
    deposit_share: Prob = 0.0
    attempts_included: Annotated[int, Field(strict=True, ge=1, le=100)] = 100
    reference_enforcement: Annotated[float, Field(strict=True, gt=0.0)] = 1.0
    enforcement_elasticity: NonNeg = 0.15
    demand_elasticity: NonNeg = 0.3
    paid_interception_factor: Annotated[float, Field(strict=True, gt=0.0, le=1.0)] = 0.7
    solo_enforcement_penalty: NonNeg = 0.5
    gangs: Annotated[float, Field(strict=True, gt=0.0)] = 10.0
    # places a gang sells a day
    places_per_gang: Annotated[float, Field(strict=True, gt=0.0)] = 10.0
    gang_cost_per_day: NonNeg = 2000.0
    gang_growth: NonNeg = 0.01


class Groups(Model):
    """Coordinated attempts: a share go in groups whose diversions draw officers away."""

    share: Prob = 0.5
    diversion: Prob = 0.4  # share of the officer term a group's diversion removes


class Boats(Model):
    """People per boat rise when boats are scarce; death risk rises with crowding and weather."""

    max_people_per_boat: Annotated[float, Field(strict=True, gt=0.0)] = 80.0
    # people per boat = usual * (1 / supply)^crowding_elasticity: fewer boats, fuller boats
    crowding_elasticity: NonNeg = 0.7
    death_crowding_exponent: NonNeg = 1.5
    bad_weather_death_factor: NonNeg = 2.0
    supply_factor: Schedule = 1.0  # 0.5 = half the boats (disruption of boat and engine supply)
    # without a smuggler a boat must be bought (GBP); such boats are the buyers' own
    solo_boat_cost: NonNeg = 0.0


class Route(Model):
    site: str
    mode: Literal["lorry_ferry", "lorry_tunnel", "small_boat"]
    opportunities: Schedule
    people_per_opportunity: Schedule = 1.0
    # lorries: when more search than the day's places, they reach lorries further out,
    # places x (searchers / places)^search_elasticity (0: a hard cap; 1: no cap)
    search_elasticity: Prob = 0.0
    officer_share: Prob = 1.0
    infrastructure: Schedule = 0.0
    interception: Interception = Interception()
    success: Prob = 1.0
    injury: Prob = 0.0
    death: Prob = 0.0
    sea_viable: Annotated[list[Prob], Field(min_length=12, max_length=12)] = [1.0] * 12
    weight: NonNeg = 1.0
    market: Market | None = None
    groups: Groups | None = None
    boats: Boats | None = None


class Arrivals(Model):
    per_year: dict[int, NonNeg]
    seasonality: Annotated[list[NonNeg], Field(min_length=12, max_length=12)] = [1.0] * 12
    origins: Annotated[dict[Slug, NonNeg], Field(max_length=MAX_GROUPS)] = {"other": 1.0}
    minor_share: Prob = 0.0
    # people arriving at a site from one origin form groups of about this size, which decide,
    # choose and board together
    group_size: Annotated[float, Field(strict=True, ge=1.0, le=50.0)] = 1.0

    @model_validator(mode="after")
    def _positive_weights(self) -> Arrivals:
        if sum(self.origins.values()) <= 0:
            raise ValueError("origins: at least one origin group needs a positive share")
        if sum(self.seasonality) <= 0:
            raise ValueError("seasonality: at least one month needs a positive weight")
        return self


class Behaviour(Model):
    attempt_probability: Prob = 0.3
    risk_tolerance_mean: Prob = 0.5
    harm_aversion: NonNeg = 0.0  # route value x exp(-aversion * (1 - tolerance) * death risk)
    # how much a poor chance holds people back: they go with (chance / prior)^discouragement
    discouragement: Annotated[float, Field(strict=True, ge=0.0, le=5.0)] = 0.0
    funds_median: NonNeg = 0.0  # GBP on arrival (log-normal)
    funds_spread: NonNeg = 0.8  # sigma of log funds
    living_cost_per_day: NonNeg = 0.0  # GBP a day spent while on the coast


class Learning(Model):
    """Beliefs Beta(a, b) about each route's success, from own tries and rumours."""

    prior_success: Annotated[float, Field(strict=True, gt=0.0, lt=1.0)] = 0.5
    prior_strength: Annotated[float, Field(strict=True, gt=0.0)] = 4.0
    rumour_probability: Prob = 0.1
    rumour_weight: Prob = 0.5
    # how long a group remembers outcomes
    memory_days: Annotated[float, Field(strict=True, gt=0.0)] = 30.0
    # news of other sites' routes arrives this many days late (on average)
    news_lag_days: Annotated[float, Field(strict=True, gt=0.0)] = 14.0
    turned_back_weight: NonNeg = 0.5  # a night turned back from a full route, as failures


class Relocation(Model):
    """Moving between sites: daily chance = rate * (value gap - distance cost), travel by road."""

    rate: Prob = 0.1
    distance_cost_per_100km: NonNeg = 0.05
    crowding_cost: NonNeg = 0.2  # value lost per unit of camp overcrowding
    waiting_cost: NonNeg = 0.0  # value lost per share of attempts turned back (full routes)
    pressure_cost: NonNeg = 0.0  # value lost per daily share of the camp held by police
    km_per_day: Annotated[float, Field(strict=True, gt=0.0)] = 150.0


class Funding(Model):
    """UK payments per year buying officers and infrastructure at French sites."""

    payments: dict[int, NonNeg] = {}  # GBP per year
    officer_share: Prob = 0.3  # of each payment, the rest buys infrastructure
    officer_cost_per_year: Annotated[float, Field(strict=True, gt=0.0)] = 60000.0
    infrastructure_cost_per_unit: Annotated[float, Field(strict=True, gt=0.0)] = 20_000_000.0
    depreciation_per_year: Prob = 0.15
    allocation: dict[str, Prob] = {}  # site -> share of the money


class Costs(Model):
    """Unit public costs, GBP, to report cost by payer (France pays its officers and
    operations, the UK its payments and deployed officers)."""

    officer_per_day: NonNeg = 200.0
    detention_per_day: NonNeg = 100.0
    transfer_per_person: NonNeg = 300.0
    clearance_per_person: NonNeg = 400.0
    uk_found_on_arrival_per_person: NonNeg = 0.0  # the UK's cost of a stowaway found there


class Exits(Model):
    """Daily hazard = base + per_failed_attempt * failures + per_month_at_coast * months,
    split into asylum in France (asylum_share of it, times asylum_speed) and moving on."""

    base_hazard: Prob = 0.0
    per_failed_attempt: NonNeg = 0.0
    per_month_at_coast: NonNeg = 0.0
    asylum_share: ShareSchedule = 0.5  # of those leaving, the share who claim asylum
    asylum_speed: Schedule = 1.0  # faster French asylum: 2 = the asylum exit twice as likely


class Campaign(Model):
    """An information campaign at a site ("explain that it is impossible to cross"): from
    `start`, newcomers' believed chances are cut by `belief_cut` and rumours are heard less
    (`rumour_damping`), both fading by half every `half_life_days`."""

    site: str
    start: date
    belief_cut: Prob = 0.5
    rumour_damping: Prob = 0.5
    half_life_days: Annotated[float, Field(strict=True, gt=0.0)] = 90.0


class LegalRoute(Model):
    """A safe legal route: on the first day of each month up to `quota_per_month` eligible
    people waiting on the coast are taken to the UK."""

    quota_per_month: Schedule
    origins: list[Slug] = []  # eligible origin groups (all if empty)
    eligible_share: Prob = 1.0  # of those, the share who qualify


class Pull(Model):
    """The UK's pull on inflow: arrivals x multiplier x (recent success per attempt /
    reference_success)^elasticity, the success smoothed over `window_days`."""

    multiplier: Annotated[float, Field(strict=True, gt=0.0, le=10.0)] = 1.0
    elasticity: Annotated[float, Field(strict=True, ge=0.0, le=5.0)] = 0.0
    reference_success: Annotated[float, Field(strict=True, gt=0.0, le=1.0)] = 0.3
    window_days: Annotated[float, Field(strict=True, ge=1.0)] = 90.0


class Hauliers(Model):
    """Fines on hauliers per stowaway found: drivers check their lorries and refuse to stop,
    so a share 1 - exp(-response_per_1000 * fine / 1000) of lorries within reach is closed."""

    fine_per_stowaway: Schedule = 0.0  # GBP
    response_per_1000: NonNeg = 0.0


class Weather(Model):
    """The one sea's weather from day to day: `persistence` is the correlation of one day's
    sea state with the next (0: each day drawn afresh; calm and storms come in spells)."""

    persistence: Annotated[float, Field(strict=True, ge=0.0, le=0.95)] = 0.0


class Scenario(Model):
    # also the default results folder: no path separators, not hidden
    name: Annotated[str, Field(pattern=r"^[^/\\.][^/\\]*$", max_length=80),
                    AfterValidator(_name_usable)]
    description: str = ""
    start: date
    end: date
    arrivals: Arrivals
    weather: Weather = Weather()
    behaviour: Behaviour = Behaviour()
    exits: Exits = Exits()
    learning: Learning | None = None
    relocation: Relocation | None = None
    funding: Funding | None = None
    costs: Costs = Costs()
    campaigns: list[Campaign] = []
    legal_route: LegalRoute | None = None
    pull: Pull | None = None
    hauliers: Hauliers | None = None
    calibration: Calibration | None = None
    main_site: str | None = None  # the port displacement is measured from (default: first)
    # where each number comes from: dotted key (or a prefix of it) -> "evidence_id[, id]: note"
    # or "assumption: reason"; see provenance.py
    sources: dict[str, str] = {}
    sites: Annotated[dict[Slug, Site], Field(max_length=MAX_GROUPS)]
    routes: dict[Slug, Route]

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if self.end < self.start:
            raise ValueError(f"end: {self.end} is before the start, {self.start}; allowed: "
                             f"{self.start} or later")
        if (self.end - self.start).days > 30000:
            raise ValueError("the period is longer than 80 years")
        if not self.sites:
            raise ValueError("sites: a scenario needs at least one site")
        for rid, route in self.routes.items():
            if route.site not in self.sites:
                raise ValueError(f"routes.{rid}.site: {unknown('site', route.site, self.sites)}")
        for sid, site in self.sites.items():
            if site.incidents is not None and site.capacity is None:
                raise ValueError(f"sites.{sid}.incidents: incidents grow with the camp's fill, "
                                 f"so the site needs a capacity")
        for rid, route in self.routes.items():
            if route.boats is not None and route.mode != "small_boat":
                raise ValueError(f"routes.{rid}.boats: only small_boat routes have boats")
        named = {f"funding.allocation.{s}": s for s in (self.funding.allocation
                                                         if self.funding else {})}
        named |= {f"campaigns.{i}.site": c.site for i, c in enumerate(self.campaigns)}
        if self.main_site is not None:
            named["main_site"] = self.main_site
        for key, site in named.items():
            if site not in self.sites:
                raise ValueError(f"{key}: {unknown('site', site, self.sites)}")
        for group in self.legal_route.origins if self.legal_route else []:
            if group not in self.arrivals.origins:
                raise ValueError(f"legal_route.origins: "
                                 f"{unknown('origin group', group, self.arrivals.origins)}")
        if not any(_positive(s.arrival_share) for s in self.sites.values()):
            raise ValueError("sites: at least one site needs a positive arrival_share")
        return self

    def digest(self) -> str:
        """A short hash of the validated content, recorded with every result."""
        text = json.dumps(self.model_dump(mode="json", exclude={"sources"}), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def unknown(kind: str, name: str, defined: typing.Iterable[str]) -> str:
    """The message for a reference to an id that is not defined, with the nearest one."""
    defined = list(defined)
    return (f"no {kind} named '{name[:MAX_ID]}'; {did_you_mean(name, defined)}defined: "
            f"{', '.join(defined)}")


def _positive(schedule: float | dict) -> bool:
    return any(v > 0 for v in (schedule.values() if isinstance(schedule, dict) else [schedule]))


# ---------------------------------------------------------------- loading and errors


def bundled_names() -> list[str]:
    folder = resources.files("channelsim") / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def value_at(raw: dict[str, Any], key: str) -> Any:
    """The value at a dotted key of a raw table, or None where the path leads nowhere."""
    node: Any = raw
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def is_path(name_or_path: str | Path) -> bool:
    """A path has a slash or ends in .toml; anything else names a bundled scenario, so a file
    of that name in the current folder never shadows it."""
    text = str(name_or_path)
    return isinstance(name_or_path, Path) or "/" in text or "\\" in text or text.endswith(".toml")


def resolve_path(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    if is_path(name_or_path):
        path = Path(name_or_path)
        if path.is_file():
            return path
        raise ScenarioError(text[:200], [("", "no such file")])
    names = bundled_names()
    if text in names:
        return Path(str(resources.files("channelsim") / "scenarios" / f"{text}.toml"))
    local = f" A file is given as a path: ./{text}." if Path(text).is_file() else ""
    raise ScenarioError(
        text[:200],
        [("", f"no bundled scenario of that name; {did_you_mean(text, names)}bundled: "
              f"{', '.join(names)}.{local}")],
    )


def load(name_or_path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Read, override (`dotted.key=value`) and validate a scenario file or bundled name."""
    path = resolve_path(name_or_path)
    source = str(path)
    raw = read_raw(path)
    for item in overrides:
        apply_override(raw, item, source)
    try:
        sc = from_dict(raw, source)
        from .limits import check_memory  # it reads the population's columns

        check_memory(sc, source)
    except ScenarioError as exc:
        raise _blame_overrides(exc, overrides, path) from None
    return sc


def _blame_overrides(exc: ScenarioError, overrides: list[str] | tuple[str, ...], path: Path
                     ) -> ScenarioError:
    """Problems at a key an override set, under it or above it (a section it made up) are the
    override's; the others are every override's when the file alone is valid (an `end` that
    falls before the file's `start`), and the file's otherwise."""
    if not overrides:
        return exc
    file_valid = cache(lambda: _valid(path))  # loading the file again only if it matters
    problems, options, blamed = [], [], 0
    for key, msg in exc.problems:
        items = [i for i in overrides if near(key, i)] or (
            list(overrides) if file_valid() else [])
        options = list(dict.fromkeys(options + [option_of(i) for i in items]))
        blamed += bool(items)
        problems.append((f"{key} ({', '.join(named(i) for i in items)})" if items else key, msg))
    if not blamed:
        return exc
    source = ", ".join(options)
    return ScenarioError(source if blamed == len(problems) else f"{exc.source} with {source}",
                         problems, exc.headline)


def near(key: str, item: str) -> bool:
    """Whether `key` is at, under or above the key the override sets: a problem there is the
    override's, and a fitted value there is the override's, not a draw's."""
    own = item.partition("=")[0].strip()
    return key == own or key.startswith(own + ".") or own.startswith(key + ".")


def _valid(path: Path) -> bool:
    try:
        load(path)
    except ScenarioError:
        return False
    return True


def parent_of(path: Path, parent: str) -> Path:
    """The file a scenario at `path` extends: a path relative to it, or a bundled name."""
    return resolve_path(path.parent / parent if is_path(parent) else parent)


def read_raw(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's table, merged over the scenario it `extends` (a path relative to the file,
    or a bundled name), recursively."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(source, [("", f"the file is {size:,} bytes; a scenario file "
                                              f"is at most {MAX_FILE_BYTES:,}")])
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, [("", f"malformed TOML: {exc}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(source, [("", f"cannot read the file: {exc}")]) from None
    except RecursionError:
        raise ScenarioError(source, [("", f"nested deeper than {MAX_DEPTH} levels")]) from None
    check_depth(raw, source)
    parent = raw.pop("extends", None)
    if parent is None:
        return raw
    if not isinstance(parent, str):
        raise ScenarioError(source, [("extends", "must be a scenario name or a file path")])
    if not isinstance(raw.get("sources", {}), dict):
        raise ScenarioError(source, [("sources", "must be a table of key = \"source\"")])
    if len(seen) >= MAX_EXTENDS:
        raise ScenarioError(source, [("extends", f"a chain of more than {MAX_EXTENDS} files "
                                                 "extending one another")])
    parent_path = parent_of(path, parent)
    if parent_path.resolve() in seen:
        raise ScenarioError(source, [("extends", f"'{parent}' extends this file again (a cycle)")])
    base = read_raw(parent_path, (*seen, path.resolve()))
    base.pop("description", None)  # a child describes itself
    merged = merge(base, raw)
    merged["sources"] = base.get("sources", {}) | _uncited(raw, path) | raw.get("sources", {})
    return merged


MAX_DEPTH, MAX_EXTENDS = 16, 16  # a scenario's tables are nested 4 deep, chains are short
MAX_FILE_BYTES, MAX_OVERRIDE = 1_000_000, 10_000


def check_depth(value: Any, source: str, key: str = "") -> None:
    """Refuse values nested deeper than any scenario needs, before they reach the schema."""
    stack = [(value, key, 0)]
    while stack:
        node, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ScenarioError(source, [(where, f"nested deeper than {MAX_DEPTH} levels")])
        items = node.items() if isinstance(node, dict) else enumerate(
            node) if isinstance(node, list) else ()
        stack += [(v, f"{where}.{k}" if where else str(k), depth + 1) for k, v in items]


UNCITED = "uncited"


def _uncited(child: dict[str, Any], path: Path) -> dict[str, str]:
    """The child's numbers that its own [sources] does not cover, marked so that the parent's
    citation of the value it replaced does not carry over to it."""
    from .provenance import covering, numbers

    own = child.get("sources", {})
    return {key: f"{UNCITED}: set by {path.name} without a source"
            for key, _ in numbers(child) if covering(key, own) is None}


# tables that are one value: shares that sum to a whole, and a policy (its keys depend on its
# type), replaced whole by a child
WHOLE_TABLES = ("origins", "allocation", "policy")


def merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child values over base values, table by table. A dated series ({date = value}), a
    yearly one ({2014 = value}) and a table of shares (origins, allocation) are replaced
    whole, so a child never inherits stray dates or groups."""
    out = dict(base)
    for key, value in child.items():
        old = out.get(key)
        if (isinstance(value, dict) and isinstance(old, dict) and key not in WHOLE_TABLES
                and not is_series(value) and not is_series(old)):
            out[key] = merge(old, value)
        else:
            out[key] = value
    return out


def is_series(table: dict[str, Any]) -> bool:
    return bool(table) and all(re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", str(k)) for k in table)


def from_dict(raw: dict[str, Any], source: str = "<scenario>") -> Scenario:
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        # a value that may be a number or a dated table (or one policy or a dated table of
        # them) fails every form; report only the form the file wrote
        meant = [e for e in errors if _form_written(e["loc"], raw)] or errors
        raise ScenarioError(source, [_explain(err) for err in meant]) from None


# how pydantic names the alternatives of a union in an error location
_FORM = re.compile(r"^(dict\[|tagged-union\[|constrained-|function-|float$|int$|str$)")


def _form_written(loc: tuple, raw: dict[str, Any]) -> bool:
    """Whether an error belongs to the form of the value the file wrote."""
    for i, part in enumerate(loc):
        if isinstance(part, str) and _FORM.match(part):
            value: Any = raw
            for key in loc[:i]:
                value = value.get(str(key)) if isinstance(value, dict) else None
            dated = isinstance(value, dict) and "type" not in value
            return dated == part.startswith("dict[")
    return True


def apply_override(raw: dict[str, Any], item: str, source: str) -> None:
    key, sep, text = item.partition("=")
    key = key.strip()
    if not sep or not key:
        raise _refused(item, "", "not of the form dotted.key=value")
    if len(item) > MAX_OVERRIDE:
        raise _refused(item, key, f"an override is at most {MAX_OVERRIDE:,} characters")
    value = _override_value(item, key, text.strip())
    check_depth(value, named(item), key)
    node = raw
    parts = key.split(".")
    if len(parts) > MAX_DEPTH:
        raise _refused(item, key, f"nested deeper than {MAX_DEPTH} levels")
    if len(parts) > 2 and parts[0] in ("sites", "routes") and isinstance(raw.get(parts[0]), dict) \
            and parts[1] not in raw[parts[0]]:
        kind = parts[0][:-1]
        raise _refused(item, key, unknown(kind, parts[1], raw[parts[0]]))
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise _refused(item, key, f"'{part}' holds a value, not a table")
        node = child
    node[parts[-1]] = value


# a value opening a table, a list or a quoted string is meant as TOML, never as a bare word
TOML_OPENERS = ("{", "[", '"', "'")
VALUE_FORMS = 'a number, a date, true or false, "text", [a, list] or {key = value, ...}'


def _override_value(item: str, key: str, text: str) -> Any:
    """The value as TOML; a bare word that is not TOML is a string (`policy.type=detain`)."""
    prefix = "v = "
    try:
        return tomllib.loads(prefix + text)["v"]
    except tomllib.TOMLDecodeError as exc:
        if not text.startswith(TOML_OPENERS):
            return text
        where = re.sub(r"at line 1, column (\d+)",
                       lambda m: f"at character {int(m[1]) - len(prefix)}", str(exc))
        reason = where.replace("at end of document", "at its end")
        raise _refused(item, key, f"the value is not valid TOML: {reason[:1].lower()}"
                                  f"{reason[1:]}; write {VALUE_FORMS}") from None
    except RecursionError:
        raise _refused(item, key, f"nested deeper than {MAX_DEPTH} levels") from None


def _refused(item: str, key: str, why: str) -> ScenarioError:
    """An override that cannot be applied, named as the user typed it."""
    where = f"{clip(key)} ({named(item)})" if key else named(item)
    return ScenarioError(option_of(item), [(where, why)])


def _explain(err: dict[str, Any]) -> tuple[str, str]:
    loc = tuple(err["loc"])
    path, model = _display_path(loc)
    kind = err["type"]
    if kind == "extra_forbidden" and model is not None:
        allowed = list(model.model_fields)
        return path, (f"unknown key; {did_you_mean(str(loc[-1]), allowed)}allowed: "
                      f"{', '.join(allowed)}")
    if kind == "missing":
        return path, "required key is missing"
    if kind == "union_tag_invalid":
        return path, f"unknown type; allowed: {', '.join(_policy_tags())}"
    if kind == "value_error":
        msg = str(err["msg"]).removeprefix("Value error, ")
        key, sep, rest = msg.partition(": ")
        if not path and sep and " " not in key:
            return key, rest  # a cross-field check names its own key path
        return path, msg
    given = err.get("input")
    shown = f" (got {given!r})" if not isinstance(given, dict | list) else ""
    return path, f"{err['msg']}{shown}"


def _policy_tags() -> list[str]:
    return [_tag(t) for t in (WarnRelease, Detain, Transfer)]


def _display_path(loc: tuple) -> tuple[str, type[BaseModel] | None]:
    """Walk the schema along a pydantic error location: the user-facing path and the model
    that holds the last key (to list its allowed keys). Union tags are dropped from the path."""
    shown: list[str] = []
    node: Any = Scenario
    for i, part in enumerate(loc):
        node = _unwrap(node)
        last = i == len(loc) - 1
        if part == "[key]":
            continue  # the error is about the key itself, already on the path
        if isinstance(part, str) and _FORM.match(part):
            options = [_unwrap(a) for a in typing.get_args(node)] if typing.get_origin(
                node) in (Union, types.UnionType) else []
            dict_option = next((o for o in options if typing.get_origin(o) is dict), None)
            other = next((o for o in options if typing.get_origin(o) is not dict), None)
            node = dict_option if part.startswith("dict[") else other
            continue
        if isinstance(node, type) and issubclass(node, BaseModel):
            shown.append(str(part))
            if last:
                return ".".join(shown), node
            field = node.model_fields.get(str(part))
            node = field.annotation if field else None
        elif typing.get_origin(node) is dict:
            shown.append(str(part))
            node = typing.get_args(node)[1]
        elif typing.get_origin(node) in (Union, types.UnionType):
            options = [_unwrap(a) for a in typing.get_args(node)]
            tagged = [o for o in options if _tag(o) == part]
            if tagged:
                node = tagged[0]
                continue
            shown.append(str(part))
            node = next((o for o in options if typing.get_origin(o) is dict), None)
        else:
            shown.append(str(part))
            node = None
    parent = _unwrap(node)
    return ".".join(shown), None if not isinstance(parent, type) else parent


def _unwrap(node: Any) -> Any:
    while typing.get_origin(node) is Annotated:
        node = typing.get_args(node)[0]
    return node


def _tag(model: Any) -> str | None:
    if isinstance(model, type) and issubclass(model, BaseModel) and "type" in model.model_fields:
        return typing.get_args(model.model_fields["type"].annotation)[0]
    return None


# ---------------------------------------------------------------- calibration (priors only)

# the observed tables a target may name (data/observed/, channelsim.analysis.observed)
OBSERVED_SERIES = ("small_boat_arrivals_monthly", "small_boat_arrivals_yearly",
                   "small_boats_yearly", "people_per_boat", "french_preventions",
                   "juxtaposed_detections", "camp_counts", "prices", "deaths")
Series = Literal[OBSERVED_SERIES]


class Prior(Model):
    """A parameter's prior: uniform or log-uniform between `low` and `high`, or normal with
    `mean` and `sd`, optionally truncated to `low`/`high`."""

    distribution: Literal["uniform", "log-uniform", "normal"]
    low: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: Annotated[float, Field(gt=0.0)] | None = None

    @model_validator(mode="after")
    def _complete(self) -> Prior:
        if self.distribution == "normal":
            if self.mean is None or self.sd is None:
                raise ValueError("a normal prior needs mean and sd")
        else:
            if self.low is None or self.high is None:
                raise ValueError(f"a {self.distribution} prior needs low and high")
            if self.mean is not None or self.sd is not None:
                raise ValueError(f"a {self.distribution} prior takes low and high, not mean/sd")
        if self.distribution == "log-uniform" and self.low is not None and self.low <= 0:
            raise ValueError(f"a log-uniform prior needs low > 0 (got {self.low})")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self


class LatentInflow(Model):
    """People reaching the coast per year as a latent process fitted with the rest: the first
    year's level, then a log random walk whose yearly steps are `step` x a standard normal,
    times the scenario's month-of-year seasonality. It replaces `arrivals.per_year`."""

    first_level: Prior  # people reaching the coast in the scenario's first year
    step: Prior  # sd of the yearly change in log inflow
    # a yearly level above this is clipped to it: an unbounded walk can ask for millions of
    # people, and a run's cost grows with the people it simulates
    max_level: Annotated[float, Field(gt=0.0)] | None = None


class Target(Model):
    series: Series
    years: Annotated[list[int], Field(min_length=1)]
    weight: Annotated[float, Field(gt=0.0)] = 1.0
    # log_rmse: root mean square of log(1 + sim) - log(1 + obs); ard: mean |sim - obs| / obs;
    # crps_log: the replicates' CRPS on log(1 + x) (needs calibration.replicates >= 2)
    distance: Literal["log_rmse", "ard", "crps_log"] = "log_rmse"


class Calibration(Model):
    """What `channelsim calibrate` fits: parameters by scenario key path with their priors,
    the latent inflow, the observed series to match, and the years never fitted."""

    parameters: dict[str, Prior] = {}
    inflow: LatentInflow | None = None
    targets: Annotated[list[Target], Field(min_length=1)]
    heldout_years: list[int] = []
    # runs of each draw (seeds from its stream), scored together: crps_log needs two or more
    replicates: Annotated[int, Field(ge=1, le=8)] = 1

    @model_validator(mode="after")
    def _consistent(self) -> Calibration:
        for i, target in enumerate(self.targets):
            shared = sorted(set(target.years) & set(self.heldout_years))
            if shared:
                raise ValueError(f"targets.{i}.years: {shared} are held out (heldout_years)")
            if target.distance == "crps_log" and self.replicates < 2:
                raise ValueError(f"targets.{i}.distance: crps_log scores replicates of a draw "
                                 "together; set calibration.replicates to 2 or more")
        if not self.parameters and self.inflow is None:
            raise ValueError("parameters: nothing to fit (no parameters and no inflow)")
        return self


Scenario.model_rebuild()
