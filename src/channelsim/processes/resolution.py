"""Resolving attempts: harm, interception and success, per route and attempt.

Interception hazard on route r at site s: h = a + b * E / (A + k) + c * I, with E the officers
guarding the route, A today's attempts on it and I its infrastructure index: more attempts per
officer lower the chance of being stopped (crossers per officer drive apprehension, Espenshade
1994). A coordinated group's diversion removes a share of the officer term for its members; a
paid attempt's hazard is scaled by the smuggler's factor, a solo attempt's rises with
enforcement where smugglers operate. p = 1 - exp(-h). Boats are deadlier when overloaded and
in rough weather.
"""

from __future__ import annotations

import numpy as np

from ..population import Status
from .base import Process


def enforcement_terms(world, day: int, attempts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(officer term, other terms) of the interception hazard for each route today."""
    officers = world.officers[day, world.route_site] * world.officer_share
    officer_term = world.icpt_officers * officers / (attempts + world.icpt_congestion)
    return officer_term, world.icpt_base + world.icpt_infra * world.infrastructure[day]


def interception_probability(world, day: int, attempts: np.ndarray) -> np.ndarray:
    """For a solo, ungrouped attempt on each route, without smugglers."""
    officer_term, rest = enforcement_terms(world, day, attempts)
    return -np.expm1(-(officer_term + rest))


class Resolution(Process):
    name = "resolution"
    route_results = ("attempts", "interceptions", "crossings", "deaths", "injuries",
                     "p_intercept", "paid_attempts", "paid_crossings", "revenue",
                     "grouped_attempts", "grouped_crossings")
    streams = ("harm", "intercept", "success", "group")

    def step(self, sim) -> None:
        day, world, people, rng, rec, st = (sim.day, sim.world, sim.people, sim.rng, sim.rec,
                                            sim.state)
        uids, route = sim.today.attempters, sim.today.route
        n_routes = world.n_routes
        attempts = np.bincount(route, minlength=n_routes)
        people.attempts[uids] += 1

        price = st.price[route]
        has_market = ~np.isnan(price)
        # a smuggler is hired by those who can pay; the fee is due on arrival in the UK
        # (price_boat_deposit_2019_2020), so failed tries cost nothing but time
        paid = has_market & (people.funds[uids] >= price)
        grouped = rng["group"].below(day, uids, world.group_share[route])

        officer_term, rest = enforcement_terms(world, day, attempts)
        hazard = officer_term[route] * np.where(grouped, 1.0 - world.diversion[route], 1.0)
        hazard = hazard + rest[route]
        solo_penalty = 1.0 + world.solo_penalty[route] * st.enforcement[route]
        hazard *= np.where(paid, world.paid_factor[route], np.where(has_market, solo_penalty, 1))
        p = -np.expm1(-hazard)

        u_harm = rng["harm"].uniform(day, uids)
        death = world.death[route] * self.boat_danger(sim)[route]
        dies = u_harm < death
        injured = ~dies & (u_harm < death + world.injury[route])
        intercepted = ~dies & rng["intercept"].below(day, uids, p)
        crosses = ~dies & ~intercepted & rng["success"].below(day, uids, world.success[route])

        fee = paid & crosses
        people.funds[uids[fee]] -= price[fee].astype(np.float32)
        people.injuries[uids[injured]] += 1
        people.interceptions[uids[intercepted]] += 1
        ended = dies | crosses
        people.status[uids[dies]] = Status.DEAD
        people.status[uids[crosses]] = Status.CROSSED
        people.exit_day[uids[ended]] = day
        sim.today.intercepted = uids[intercepted]

        def count(mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
            w = None if weights is None else weights[mask]
            return np.bincount(route[mask], weights=w, minlength=n_routes)

        out = rec.route
        out["attempts"][day] = attempts
        out["interceptions"][day] = count(intercepted)
        out["crossings"][day] = count(crosses)
        out["deaths"][day] = count(dies)
        out["injuries"][day] = count(injured)
        out["p_intercept"][day] = interception_probability(world, day, attempts)
        out["paid_attempts"][day] = count(paid)
        out["paid_crossings"][day] = count(paid & crosses)
        out["revenue"][day] = count(fee, price)  # fee implies a market, so a finite price
        out["grouped_attempts"][day] = count(grouped)
        out["grouped_crossings"][day] = count(grouped & crosses)

    @staticmethod
    def boat_danger(sim) -> np.ndarray:
        """Death-risk multiplier per route: (people per boat / usual)^exponent, and more on
        rough days (the weather draw near the limit of what is viable)."""
        world = sim.world
        load = sim.rec.route["people_per_boat"][sim.day]
        usual = world.per_opportunity[sim.day]
        crowding = np.where(world.has_boats, np.nan_to_num(load / np.maximum(usual, 1e-9),
                                                            nan=1.0), 1.0)
        weather = 1.0 + world.bad_weather_factor * sim.today.rough_sea
        return np.where(world.has_boats, crowding ** world.death_crowding * weather, 1.0)
