"""Sites and routes as arrays, with every schedule resolved to a daily array up front.

The daily loop then only indexes `[day]`; nothing about dates or TOML is looked up per day.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from .policies.funding import funded
from .scenario import MODES, Scenario, WarnRelease


def resolve(schedule: float | dict[date, float], dates: np.ndarray,
            before: float = 0.0) -> np.ndarray:
    """A number, or a step function {date: value}, as one float per day.

    Before the first dated value the schedule is `before`: 0 for what does not exist yet,
    the usual state for a switch or a factor that a date changes."""
    if not isinstance(schedule, dict):
        return np.full(len(dates), float(schedule))
    out = np.full(len(dates), float(before))
    for when in sorted(schedule):
        out[dates >= np.datetime64(when, "D")] = schedule[when]
    return out


@dataclass
class World:
    scenario: Scenario
    dates: np.ndarray  # datetime64[D], one per day
    year: np.ndarray
    month: np.ndarray  # 0..11
    site_ids: list[str]
    route_ids: list[str]
    origin_ids: list[str]
    # sites
    officers: np.ndarray  # (days, sites): all officers on duty (French, UK, funded)
    french_officers: np.ndarray  # (days, sites): the scenario's own French officers
    uk_officers: np.ndarray  # (days, sites): British officers deployed in France
    funded_officers: np.ndarray  # (days, sites): officers bought with UK payments
    uk_payment: np.ndarray  # (days, sites): GBP a day paid by the UK
    site_capacity: np.ndarray  # (sites,) camp size before overcrowding (inf if none)
    distance_km: np.ndarray  # (sites, sites)
    main_site: int
    policies: list  # per site: [(first day, policy), ...] in date order (policies/interception.py)
    policy: np.ndarray  # (days, sites): the code of the policy in force, and its parameters
    policy_days: np.ndarray
    policy_return: np.ndarray
    policy_delay: np.ndarray
    arrival_share: np.ndarray  # (days, sites): where newcomers arrive, shares summing to 1
    juxtaposed: np.ndarray  # (days, sites): 1 where the UK's controls are in France
    incident_rate: np.ndarray  # (sites,) daily chance of a public-order incident at capacity
    incident_rivalry: np.ndarray  # (sites,)
    campaign_cut: np.ndarray  # (days, sites): how much newcomers' beliefs are cut
    campaign_damping: np.ndarray  # (days, sites): how much less rumours are heard
    # routes
    route_site: np.ndarray  # (routes,)
    route_mode: np.ndarray  # index into MODES
    opportunities: np.ndarray  # (days, routes)
    per_opportunity: np.ndarray  # (days, routes)
    infrastructure: np.ndarray  # (days, routes): scheduled plus funded at the route's site
    supply_factor: np.ndarray  # (days, routes): boat supply (1 = as scheduled)
    sea_viable: np.ndarray  # (routes, 12)
    weather_weights: np.ndarray  # past days' weights in today's sea state (random.py)
    icpt_base: np.ndarray
    icpt_officers: np.ndarray
    icpt_congestion: np.ndarray
    icpt_infra: np.ndarray
    officer_share: np.ndarray
    success: np.ndarray
    injury: np.ndarray
    death: np.ndarray
    weight: np.ndarray
    # smugglers, groups, boats, drivers per route (neutral values where a route has none)
    smuggler_required: np.ndarray
    places_per_gang: np.ndarray  # nan where no market
    paid_factor: np.ndarray
    solo_penalty: np.ndarray
    group_share: np.ndarray
    diversion: np.ndarray
    has_boats: np.ndarray
    crowding_elasticity: np.ndarray
    max_per_boat: np.ndarray
    death_crowding: np.ndarray
    bad_weather_factor: np.ndarray
    traffic_light_share: np.ndarray  # of a lorry route's opportunities, where drivers react
    is_lorry: np.ndarray
    search_elasticity: np.ndarray  # lorry places' rise with searchers beyond them
    deposit_share: np.ndarray  # of a package's price, paid on buying it
    attempts_included: np.ndarray  # in a package
    solo_boat_cost: np.ndarray  # GBP for a boat of one's own (inf where a smuggler is required)
    haulier_closed: np.ndarray  # (days,) share of lorries within reach closed by fines' checks
    haulier_fine: np.ndarray  # (days,) GBP per stowaway found
    # arrivals
    daily_inflow: np.ndarray  # (days,) expected arrivals before the UK's pull
    origin_share: np.ndarray
    asylum_share: np.ndarray  # (days,) of those leaving the coast, the share claiming asylum
    asylum_speed: np.ndarray  # (days,)

    @property
    def n_days(self) -> int:
        return len(self.dates)

    @property
    def n_sites(self) -> int:
        return len(self.site_ids)

    @property
    def n_routes(self) -> int:
        return len(self.route_ids)

    def day_of(self, when) -> int:
        """The index of a calendar date in the run (negative before the start)."""
        return day_index(self.dates, when)

    def policy_on(self, day: int, site: int):
        """The interception policy in force at a site on a day."""
        current = self.policies[site][0][1]
        for first, policy in self.policies[site]:
            if first > day:
                break
            current = policy
        return current

    def arrays(self) -> WorldArrays:
        """What the daily kernels read: every array field, under the same names."""
        return WorldArrays(**{name: getattr(self, name) for name in WorldArrays._fields})

    @classmethod
    def build(cls, sc: Scenario) -> World:
        from .policies.interception import policy_arrays  # numba: not for `validate`

        dates = np.arange(np.datetime64(sc.start, "D"), np.datetime64(sc.end, "D") + 1)
        years = dates.astype("datetime64[Y]").astype(int) + 1970
        months = dates.astype("datetime64[M]").astype(int) % 12
        sites = list(sc.sites.values())
        routes = list(sc.routes.values())
        site_ids = list(sc.sites)

        def per_route(attr: str) -> np.ndarray:
            return np.array([float(getattr(r, attr)) for r in routes])

        def per_route_icpt(attr: str) -> np.ndarray:
            return np.array([float(getattr(r.interception, attr)) for r in routes])

        def daily(items, attr: str) -> np.ndarray:
            cols = [resolve(getattr(x, attr), dates) for x in items]
            return np.stack(cols, axis=1) if cols else np.zeros((len(dates), 0))

        french, uk = daily(sites, "officers"), daily(sites, "uk_officers")
        funded_officers, funded_infra, uk_payment = funded(sc, years)
        route_site = np.array([site_ids.index(r.site) for r in routes], dtype=np.int8)
        boats = [r.boats for r in routes]
        policies = [_policy_schedule(s.policy, dates) for s in sites]
        site_boats = {sid: resolve(s.boat_supply, dates, before=1.0)
                      for sid, s in sc.sites.items()}
        supply = [(resolve(b.supply_factor, dates, before=1.0) if b else np.ones(len(dates)))
                  * site_boats[r.site] for b, r in zip(boats, routes, strict=True)]
        fines = resolve(sc.hauliers.fine_per_stowaway, dates) if sc.hauliers else np.zeros(
            len(dates))
        response = sc.hauliers.response_per_1000 if sc.hauliers else 0.0
        exits = sc.exits
        return cls(
            scenario=sc,
            dates=dates,
            year=years,
            month=months,
            site_ids=site_ids,
            route_ids=list(sc.routes),
            origin_ids=list(sc.arrivals.origins),
            officers=french + uk + funded_officers,
            french_officers=french,
            uk_officers=uk,
            funded_officers=funded_officers,
            uk_payment=uk_payment,
            site_capacity=np.array([s.capacity or np.inf for s in sites], dtype=float),
            distance_km=_distances(sites),
            main_site=site_ids.index(main_site(sc)),
            policies=policies,
            **policy_arrays(policies, len(dates)),
            arrival_share=_shares(daily(sites, "arrival_share")),
            juxtaposed=np.stack([resolve(s.juxtaposed_controls, dates, before=1.0)
                                 for s in sites], axis=1),
            incident_rate=np.array([s.incidents.rate if s.incidents else 0.0 for s in sites]),
            incident_rivalry=np.array([s.incidents.rivalry if s.incidents else 0.0
                                       for s in sites]),
            **_campaigns(sc, dates, site_ids),
            route_site=route_site,
            route_mode=np.array([MODES.index(r.mode) for r in routes], dtype=np.int8),
            opportunities=daily(routes, "opportunities"),
            per_opportunity=daily(routes, "people_per_opportunity"),
            infrastructure=daily(routes, "infrastructure") + funded_infra[:, route_site],
            supply_factor=np.stack(supply, axis=1) if supply else np.zeros((len(dates), 0)),
            sea_viable=np.array([r.sea_viable for r in routes]).reshape(len(routes), 12),
            weather_weights=_persistence_weights(sc.weather.persistence),
            icpt_base=per_route_icpt("base"),
            icpt_officers=per_route_icpt("officers"),
            icpt_congestion=per_route_icpt("congestion"),
            icpt_infra=per_route_icpt("infrastructure"),
            officer_share=per_route("officer_share"),
            success=per_route("success"),
            injury=per_route("injury"),
            death=per_route("death"),
            weight=per_route("weight"),
            search_elasticity=per_route("search_elasticity"),
            smuggler_required=np.array([bool(r.market and r.market.smuggler == "required")
                                        for r in routes], dtype=bool),
            places_per_gang=_opt(routes, "market", "places_per_gang", np.nan),
            paid_factor=_opt(routes, "market", "paid_interception_factor", 1.0),
            solo_penalty=_opt(routes, "market", "solo_enforcement_penalty", 0.0),
            group_share=_opt(routes, "groups", "share", 0.0),
            diversion=_opt(routes, "groups", "diversion", 0.0),
            has_boats=np.array([r.boats is not None for r in routes], dtype=bool),
            crowding_elasticity=_opt(routes, "boats", "crowding_elasticity", 0.0),
            max_per_boat=_opt(routes, "boats", "max_people_per_boat", np.inf),
            death_crowding=_opt(routes, "boats", "death_crowding_exponent", 0.0),
            bad_weather_factor=_opt(routes, "boats", "bad_weather_death_factor", 0.0),
            traffic_light_share=np.array([
                sc.sites[r.site].drivers.traffic_light_share
                if sc.sites[r.site].drivers and r.mode != "small_boat" else 0.0
                for r in routes]),
            is_lorry=np.array([r.mode != "small_boat" for r in routes], dtype=bool),
            deposit_share=_opt(routes, "market", "deposit_share", 0.0),
            attempts_included=_opt(routes, "market", "attempts_included", 100.0),
            solo_boat_cost=np.array([
                np.inf if r.market and r.market.smuggler == "required"
                else (r.boats.solo_boat_cost if r.boats else 0.0) for r in routes]),
            haulier_closed=-np.expm1(-response * fines / 1000.0),
            haulier_fine=fines,
            daily_inflow=_daily_inflow(sc, dates, years, months),
            origin_share=_normalise(list(sc.arrivals.origins.values())),
            asylum_share=resolve(exits.asylum_share, dates, before=0.5),
            asylum_speed=resolve(exits.asylum_speed, dates, before=1.0),
        )


WorldArrays = namedtuple("WorldArrays", [
    f.name for f in fields(World)
    if f.type == "np.ndarray" and f.name not in ("dates", "year", "french_officers",
                                                  "uk_officers", "funded_officers", "uk_payment")
])


def main_site(sc: Scenario) -> str:
    """The site displacement is measured from: the scenario's `main_site`, else its first."""
    return sc.main_site or next(iter(sc.sites))


def day_index(dates: np.ndarray, when) -> int:
    return int((np.datetime64(when, "D") - dates[0]).astype(int))


def _policy_schedule(policy, dates: np.ndarray) -> list:
    """[(first day, policy)] from one policy or {date: policy}; warn and release before the
    first date."""
    if not isinstance(policy, dict):
        return [(0, policy)]
    steps = [(day_index(dates, d), p) for d, p in sorted(policy.items())]
    if steps[0][0] > 0:
        steps.insert(0, (0, WarnRelease(type="warn_release")))
    return steps


def _opt(routes, part: str, attr: str, default: float) -> np.ndarray:
    """One float per route from an optional sub-table, `default` where a route has none."""
    return np.array([float(getattr(getattr(r, part), attr)) if getattr(r, part) else default
                     for r in routes])


def _distances(sites) -> np.ndarray:
    """Great-circle distances in km; roads are longer, so they are scaled by 1.3."""
    lat = np.radians([s.lat for s in sites])[:, None]
    lon = np.radians([s.lon for s in sites])[:, None]
    h = (np.sin((lat - lat.T) / 2) ** 2
         + np.cos(lat) * np.cos(lat.T) * np.sin((lon - lon.T) / 2) ** 2)
    return 1.3 * 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _normalise(values: list[float]) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    return arr / arr.sum()


def _shares(weights: np.ndarray) -> np.ndarray:
    """(days, sites) weights as shares of each day (equal shares on a day with none)."""
    total = weights.sum(axis=1, keepdims=True)
    return np.where(total > 0, weights / np.where(total > 0, total, 1.0),
                    1.0 / weights.shape[1])


def _campaigns(sc: Scenario, dates: np.ndarray, site_ids: list[str]) -> dict[str, np.ndarray]:
    """Each campaign's belief cut and rumour damping per day at its site, halving every
    half-life from its start; campaigns at one site combine as independent cuts."""
    keep_cut = np.ones((len(dates), len(site_ids)))
    keep_heard = np.ones((len(dates), len(site_ids)))
    for c in sc.campaigns:
        age = (dates - np.datetime64(c.start, "D")).astype(float)
        fade = np.where(age >= 0, 0.5 ** (np.maximum(age, 0) / c.half_life_days), 0.0)
        j = site_ids.index(c.site)
        keep_cut[:, j] *= 1.0 - c.belief_cut * fade
        keep_heard[:, j] *= 1.0 - c.rumour_damping * fade
    return {"campaign_cut": 1.0 - keep_cut, "campaign_damping": 1.0 - keep_heard}


def _daily_inflow(sc: Scenario, dates, years, months) -> np.ndarray:
    """Expected arrivals per day: each year's total spread over its days by month seasonality.

    A year missing from `per_year` holds the nearest earlier year's value (0 before the first).
    Weights are normalised over the whole calendar year, so a part-year run gets its share."""
    season = np.asarray(sc.arrivals.seasonality, dtype=float)
    per_year = np.zeros(len(dates))
    for y in sorted(sc.arrivals.per_year):
        per_year[years >= y] = sc.arrivals.per_year[y]
    norm = {}
    for y in np.unique(years):
        days = np.arange(np.datetime64(f"{y}-01-01"), np.datetime64(f"{y + 1}-01-01"))
        norm[y] = season[days.astype("datetime64[M]").astype(int) % 12].sum()
    return per_year * season[months] / np.array([norm[y] for y in years])


def _persistence_weights(rho: float, tail: float = 0.01) -> np.ndarray:
    """Weights rho^k of the last days' innovations, up to where rho^k falls below `tail`,
    scaled to unit norm: an AR(1) of lag-one correlation rho, truncated (rho = 0: one)."""
    n = 1 if rho <= 0.0 else int(np.ceil(np.log(tail) / np.log(rho)))
    w = rho ** np.arange(max(n, 1), dtype=float)
    return w / np.sqrt(np.sum(w * w))
