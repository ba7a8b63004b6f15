"""What a run produces: daily arrays by site and route, the per-person table, and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from . import __version__, arrow
from .population import COLUMNS, N_STATUS, ExitReason, Status
from .scenario import MODES

if TYPE_CHECKING:
    from .engine import Sim
    from .world import World

FLOAT_RESULTS = {"p_intercept", "people_per_boat", "price", "gangs", "revenue",
                 "refusing_share"}
# stocks recorded at the end of each day, per site
SITE_STOCKS = ("waiting", "detained", "dispersed", "travelling")


class Recorder:
    """Daily arrays, allocated from what the plan's processes declare they write; `arrays`
    holds the same arrays as a namedtuple (`kind`) for the kernels."""

    def __init__(self, world: World, plan, kind: type):
        shape_s, shape_r = (world.n_days, world.n_sites), (world.n_days, world.n_routes)
        names_s = [n for p in plan for n in p.site_results] + list(SITE_STOCKS)
        names_r = [n for p in plan for n in p.route_results]
        self.site = {
            n: np.zeros(shape_s, dtype=np.float64 if n in FLOAT_RESULTS else np.int32)
            for n in names_s
        }
        self.route = {
            n: np.zeros(shape_r, dtype=np.float64 if n in FLOAT_RESULTS else np.int32)
            for n in names_r
        }
        self.status = np.zeros((world.n_days, N_STATUS), dtype=np.int64)
        self.arrays = kind(**self.site, **self.route, status=self.status,
                           active_person_days=np.zeros(1, dtype=np.int64))

    @property
    def active_person_days(self) -> int:
        return int(self.arrays.active_person_days[0])


@dataclass
class Results:
    """One run. Arrays are indexed [day, site] or [day, route]; `people` holds one row a person."""

    scenario_name: str
    scenario_hash: str
    seed: int
    version: str
    dates: np.ndarray
    site_ids: list[str]
    route_ids: list[str]
    origin_ids: list[str]
    route_site: np.ndarray
    route_mode: np.ndarray
    officers: np.ndarray
    costs: dict[str, np.ndarray]  # payer -> (days, sites) public cost in GBP
    main_site: int
    site: dict[str, np.ndarray]
    route: dict[str, np.ndarray]
    status: np.ndarray
    people: dict[str, np.ndarray]
    seconds: float = 0.0  # the run's wall time
    timings: dict[str, float] = field(default_factory=dict)  # by process, if it was timed
    active_person_days: int = 0

    @classmethod
    def from_sim(cls, sim: Sim) -> Results:
        w = sim.world
        return cls(
            scenario_name=sim.scenario.name,
            scenario_hash=sim.scenario.digest(),
            seed=sim.seed,
            version=__version__,
            dates=w.dates,
            site_ids=w.site_ids,
            route_ids=w.route_ids,
            origin_ids=w.origin_ids,
            route_site=w.route_site,
            route_mode=w.route_mode,
            officers=w.officers,
            costs=public_costs(sim),
            main_site=w.main_site,
            site=sim.rec.site,
            route=sim.rec.route,
            status=sim.rec.status,
            # the run's own columns, not copies: the Sim is done with them
            people={k: getattr(sim.people, k) for k in COLUMNS},
            seconds=sim.seconds,
            timings=dict(sim.timings) if sim.timed else {},
            active_person_days=sim.rec.active_person_days,
        )

    # ------------------------------------------------------------------ tables

    def daily_sites(self) -> pa.Table:
        n_days, n_sites = len(self.dates), len(self.site_ids)
        cols: dict[str, Any] = {
            "date": np.repeat(self.dates, n_sites),
            "site": arrow.labels(self.site_ids, np.tile(np.arange(n_sites), n_days)),
            "officers": self.officers.ravel(),
        }
        cols |= {f"cost_{payer}": cost.ravel() for payer, cost in self.costs.items()}
        cols |= {name: arr.ravel() for name, arr in self.site.items()}
        for name in ("attempts", "interceptions", "crossings", "deaths", "injuries"):
            cols[name] = self.by_site(self.route[name]).ravel()
        return arrow.table(cols)

    def daily_routes(self) -> pa.Table:
        n_days, n_routes = len(self.dates), len(self.route_ids)
        cols: dict[str, Any] = {
            "date": np.repeat(self.dates, n_routes),
            "route": arrow.labels(self.route_ids, np.tile(np.arange(n_routes), n_days)),
            "site": arrow.labels(self.site_ids, np.tile(self.route_site, n_days)),
            "mode": arrow.labels(MODES, np.tile(self.route_mode, n_days)),
        }
        cols |= {name: arr.ravel() for name, arr in self.route.items()}
        return arrow.table(cols)

    def people_table(self) -> pa.Table:
        """One row a person; `site`, `status` and `exit_reason` are small integer codes whose
        names are in `codes_table` (text for a million people took most of a store's write)."""
        p = self.people
        start = self.dates[0]
        crossed = p["status"] == Status.CROSSED
        days_to_cross = np.where(crossed, p["exit_day"] - p["arrival_day"], -1)
        return arrow.table({
            "uid": np.arange(len(p["status"]), dtype=np.int32),
            "origin_group": arrow.labels(self.origin_ids, p["origin"]),
            "minor": p["minor"],
            "arrival_date": start + p["arrival_day"].astype("timedelta64[D]"),
            "site": p["site"],
            "status": p["status"],
            "exit_reason": p["exit_reason"],
            "attempts": p["attempts"],
            "interceptions": p["interceptions"],
            "injuries": p["injuries"],
            "days_to_cross": days_to_cross.astype(np.int32),
        })

    def codes_table(self) -> pa.Table:
        """What the people table's codes stand for: (variable, code, name)."""
        names = {"site": self.site_ids, "status": [s.name.lower() for s in Status],
                 "exit_reason": [r.name.lower() for r in ExitReason]}
        rows = [(var, code, name) for var, ns in names.items() for code, name in enumerate(ns)]
        variable, code, name = zip(*rows, strict=True)
        return arrow.table({"variable": arrow.text(variable),
                            "code": np.array(code, dtype=np.int8), "name": arrow.text(name)})

    def _people_per_boat(self) -> dict[str, float | None]:
        """People per boat launched, per boat route: attempts over boats used."""
        r = self.route
        return {
            rid: _ratio(float(r["attempts"][:, i].sum()),
                        boats_used(r["attempts"][:, i], r["people_per_boat"][:, i]))
            for i, rid in enumerate(self.route_ids)
            if not np.isnan(r["people_per_boat"][:, i]).all()
        }

    def by_site(self, per_route: np.ndarray) -> np.ndarray:
        """Sum a (days, routes) array into (days, sites)."""
        return _group(per_route, self.route_site, len(self.site_ids))

    def _years(self) -> tuple[list[str], np.ndarray]:
        """The run's years and where each starts among the days (days are consecutive)."""
        years = self.dates.astype("datetime64[Y]").astype(int) + 1970
        first = np.flatnonzero(np.diff(years, prepend=years[0] - 1))
        return [str(y) for y in years[first]], first

    def _yearly(self, daily: np.ndarray) -> np.ndarray:
        """Sum a (days, k) array into (years, k)."""
        return np.add.reduceat(daily, self._years()[1], axis=0)

    def _nested_by_year(self, yearly: np.ndarray, ids: list[str] | tuple[str, ...]
                        ) -> dict[str, dict[str, int]]:
        names = self._years()[0]
        return {k: dict(zip(names, _ints(yearly[:, i]), strict=True)) for i, k in enumerate(ids)}

    def _days_to_cross(self) -> dict[str, float | None]:
        """Days from arrival at the coast to the crossing, over the people who crossed (those
        present at the start count from the first day, so their waits are understated)."""
        p = self.people
        crossed = p["status"] == Status.CROSSED
        days = (p["exit_day"][crossed] - p["arrival_day"][crossed]).astype(np.int64)
        if not len(days):
            return {"median": None, "p90": None}
        median, p90 = np.percentile(days, [50, 90])
        return {"median": float(median), "p90": float(p90)}

    def _share_days_at_capacity(self) -> dict[str, dict[str, float]]:
        """Per route and year, the share of the year's days in the run on which the route was
        full: someone who wanted a place was turned back. Attempts record only the turned
        back, so a day filled exactly, with nobody left over, is not counted as full."""
        names, first = self._years()
        full = self._yearly((self.route["turned_back"] > 0).astype(np.int64))
        days = np.diff(np.append(first, len(self.dates)))
        return {rid: dict(zip(names, (full[:, i] / days).tolist(), strict=True))
                for i, rid in enumerate(self.route_ids)}

    def _scorecard_by_site(self, present: np.ndarray) -> dict[str, dict[str, Any]]:
        """The additive figures of the scorecard, site by site (route figures at the routes'
        site, movements where they are recorded), so that each sums to its total; `arrived`
        leaves out those present at the start, who are in the scorecard's `arrivals`."""
        r, s = self.route, self.site
        per_route = {k: self.by_site(r[k]).sum(0) for k in
                     ("crossings", "attempts", "interceptions", "deaths", "injuries",
                      "turned_back", "found_on_arrival")}
        per_site = {k: s[v].sum(0) for k, v in (
            ("arrived", "arrivals"), ("detentions", "detentions"), ("transfers", "transfers"),
            ("clearances", "clearances"), ("bused", "bused"),
            ("public_order_incidents", "public_order_incidents"),
            ("road_incidents", "road_incidents"), ("relocations", "moves_to"))}
        per_site["exits"] = s["exits"].sum(0) + s["stayed_away"].sum(0)
        cost = {f"public_cost_{payer}": c.sum(0) for payer, c in self.costs.items()}
        return {sid: {k: int(v[i]) for k, v in (per_route | per_site).items()}
                | {"peak_present": int(present[:, i].max(initial=0)),
                   "public_cost": float(sum(c[i] for c in cost.values()))}
                | {k: float(v[i]) for k, v in cost.items()}
                for i, sid in enumerate(self.site_ids)}

    # ----------------------------------------------------------------- summary

    def summary(self) -> dict[str, Any]:
        """The run's headline figures: totals by route, site and year, and the scorecard."""
        r, s = self.route, self.site
        crossings = int(r["crossings"].sum())
        attempts = int(r["attempts"].sum())
        p = self.people
        crossed = p["status"] == Status.CROSSED
        present = s["waiting"]
        grouped = r["grouped_attempts"].sum(axis=0) > 0
        peak_idx = present.argmax(axis=0)
        crossings_yearly = self._yearly(r["crossings"])
        by_year = dict(zip(self._years()[0], _ints(crossings_yearly.sum(1)), strict=True))
        by_mode_yearly = _group(crossings_yearly, self.route_mode, len(MODES))
        return {
            "scenario": self.scenario_name,
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "version": self.version,
            "start": str(self.dates[0]),
            "end": str(self.dates[-1]),
            "scorecard": {
                "arrivals": int(len(p["status"])),
                "crossings": crossings,
                "attempts": attempts,
                "interceptions": int(r["interceptions"].sum()),
                "people_intercepted": int((p["interceptions"] > 0).sum()),
                "attempts_per_crossing": attempts / crossings if crossings else None,
                "deaths": int(r["deaths"].sum()),
                "injuries": int(r["injuries"].sum()),
                "detentions": int(s["detentions"].sum()),
                "transfers": int(s["transfers"].sum()),
                "exits": int(s["exits"].sum() + s["stayed_away"].sum()),
                "peak_present": int(present.sum(axis=1).max()) if len(present) else 0,
                "peak_camp": int(present.max()) if present.size else 0,
                "share_displaced": _ratio(attempts - int(r["attempts"][:, self.route_site
                                                                      == self.main_site].sum()),
                                          attempts),
                "smuggler_revenue": float(r["revenue"].sum()),
                "smuggled_share": _ratio(int(r["paid_crossings"].sum()), crossings),
                # on the routes where groups go, so the two share their routes and days
                "grouped_success": _ratio(int(r["grouped_crossings"][:, grouped].sum()),
                                          int(r["grouped_attempts"][:, grouped].sum())),
                "solo_success": _ratio(
                    int((r["crossings"] - r["grouped_crossings"])[:, grouped].sum()),
                    int((r["attempts"] - r["grouped_attempts"])[:, grouped].sum())),
                "public_cost": float(sum(c.sum() for c in self.costs.values())),
                "public_cost_france": float(self.costs["france"].sum()),
                "public_cost_uk": float(self.costs["uk"].sum()),
                "public_cost_per_interception": _ratio(
                    float(sum(c.sum() for c in self.costs.values())),
                    int(r["interceptions"].sum())),
                "clearances": int(s["clearances"].sum()),
                "bused": int(s["bused"].sum()),
                "public_order_incidents": int(s["public_order_incidents"].sum()),
                "road_incidents": int(s["road_incidents"].sum()),
                "relocations": int(s["moves_to"].sum()),
                "turned_back": int(r["turned_back"].sum()),
                "found_on_arrival": int(r["found_on_arrival"].sum()),
                "legal_arrivals": int(s["legal_arrivals"].sum()),
                "smuggler_packages_sold": int(r["packages_sold"].sum()),
                "max_interceptions_per_person": int(p["interceptions"].max(initial=0)),
                "mean_attempts_per_crosser": float(p["attempts"][crossed].mean())
                if crossed.any()
                else None,
            },
            "crossings_by_route": dict(zip(self.route_ids, _ints(r["crossings"].sum(0)),
                                           strict=True)),
            "crossings_by_mode": dict(zip(MODES, _ints(np.bincount(
                self.route_mode, weights=r["crossings"].sum(0), minlength=len(MODES))),
                strict=True)),
            "crossings_by_site": dict(zip(self.site_ids,
                                          _ints(self.by_site(r["crossings"]).sum(0)),
                                          strict=True)),
            "crossings_by_year": by_year,
            "crossings_by_mode_by_year": self._nested_by_year(by_mode_yearly, MODES),
            "crossings_by_site_by_year": self._nested_by_year(self.by_site(crossings_yearly),
                                                              self.site_ids),
            "scorecard_by_site": self._scorecard_by_site(present),
            "days_to_cross": self._days_to_cross(),
            "incidents_by_site": dict(zip(self.site_ids,
                                          _ints(s["public_order_incidents"].sum(0)),
                                          strict=True)),
            "share_days_at_capacity_by_route_by_year": self._share_days_at_capacity(),
            "attempts_by_site": dict(zip(self.site_ids,
                                         _ints(self.by_site(r["attempts"]).sum(0)),
                                         strict=True)),
            "mean_price_by_route": {
                rid: float(np.nanmean(r["price"][:, i]))
                for i, rid in enumerate(self.route_ids) if not np.isnan(r["price"][:, i]).all()
            },
            "mean_people_per_boat_by_route": self._people_per_boat(),
            "peak_present_by_site": dict(zip(self.site_ids, _ints(present.max(axis=0)),
                                             strict=True)),
            "peak_present_date_by_site": {
                sid: str(self.dates[i]) for sid, i in zip(self.site_ids, peak_idx, strict=True)
            },
            "final_status": {
                st.name.lower(): int(n) for st, n in zip(Status, self.status[-1], strict=True)
            },
        }


def boats_used(attempts: np.ndarray, per_boat: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.nansum(np.where(attempts > 0, attempts / per_boat, 0.0)))


def public_costs(sim: Sim) -> dict[str, np.ndarray]:
    """Public cost by payer, GBP per day and site. France pays its own officers, detention,
    transfers and clearances; the UK pays its payments, the officers it deploys and the
    stowaways found on arrival where there are no juxtaposed controls."""
    w, rec, unit = sim.world, sim.rec.site, sim.scenario.costs
    found = _group(sim.rec.route["found_on_arrival"], w.route_site, w.uk_payment.shape[1])
    france = (w.french_officers * unit.officer_per_day
              + rec["detained"] * unit.detention_per_day
              + rec["transfers"] * unit.transfer_per_person
              + rec["bused"] * unit.clearance_per_person)
    uk = (w.uk_payment + w.uk_officers * unit.officer_per_day
          + found * unit.uk_found_on_arrival_per_person)
    return {"france": france, "uk": uk}


def _group(values: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    """Sum the columns of a (rows, k) array into n groups, column j into groups[j]."""
    out = np.zeros((values.shape[0], n), dtype=values.dtype)
    for j, g in enumerate(groups):  # few columns, long ones: np.add.at took 1.7 ms here
        out[:, g] += values[:, j]
    return out


def _ratio(num: float, den: float) -> float | None:
    return float(num / den) if den else None


def _ints(values: np.ndarray) -> list[int]:
    return [int(v) for v in values]
