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

import numba
import numpy as np

from ..population import Status
from ..random import unit
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


# outcome codes of one attempt
FAILED, INTERCEPTED, CROSSED, DIED = 0, 1, 2, 3
# columns of the per-route tally, in the order of Resolution.route_results after p_intercept
TALLY = ("interceptions", "crossings", "deaths", "injuries", "paid_attempts", "paid_crossings",
         "revenue", "grouped_attempts", "grouped_crossings")


@numba.njit(cache=True, nogil=True)
def _resolve(uids, route, funds, officer_term, rest, diversion, group_share, price, paid_factor,
             solo_mult, death, injury, success, b_group, b_harm, b_intercept, b_success):
    """Each attempt's outcome in one pass, drawing exactly as Stream.below would, and the
    day's tally per route (columns as TALLY)."""
    n = uids.shape[0]
    outcome = np.full(n, FAILED, dtype=np.int8)
    injured = np.zeros(n, dtype=np.bool_)
    paid = np.zeros(n, dtype=np.bool_)
    tally = np.zeros((officer_term.shape[0], 9))
    for i in range(n):
        uid, r = uids[i], route[i]
        market = not np.isnan(price[r])
        paid[i] = market and funds[uid] >= price[r]
        grouped = unit(uid, b_group) < group_share[r]
        hazard = officer_term[r] * ((1.0 - diversion[r]) if grouped else 1.0) + rest[r]
        if paid[i]:
            hazard *= paid_factor[r]
        elif market:
            hazard *= solo_mult[r]
        u_harm = unit(uid, b_harm)
        if u_harm < death[r]:
            outcome[i] = DIED
        else:
            injured[i] = u_harm < death[r] + injury[r]
            if unit(uid, b_intercept) < -np.expm1(-hazard):
                outcome[i] = INTERCEPTED
            elif unit(uid, b_success) < success[r]:
                outcome[i] = CROSSED
        crossed = outcome[i] == CROSSED
        tally[r, 0] += outcome[i] == INTERCEPTED
        tally[r, 1] += crossed
        tally[r, 2] += outcome[i] == DIED
        tally[r, 3] += injured[i]
        tally[r, 4] += paid[i]
        tally[r, 5] += paid[i] and crossed
        tally[r, 6] += price[r] if paid[i] and crossed else 0.0
        tally[r, 7] += grouped
        tally[r, 8] += grouped and crossed
    return outcome, injured, paid, tally


class Resolution(Process):
    name = "resolution"
    route_results = ("attempts", "p_intercept", *TALLY)
    streams = ("harm", "intercept", "success", "group")

    def step(self, sim) -> None:
        day, world, people, rng, st = sim.day, sim.world, sim.people, sim.rng, sim.state
        uids, route = sim.today.attempters, sim.today.route
        attempts = np.bincount(route, minlength=world.n_routes)
        people.attempts[uids] += 1
        officer_term, rest = enforcement_terms(world, day, attempts)
        # a smuggler is hired by those who can pay; the fee is due on arrival in the UK
        # (price_boat_deposit_2019_2020), so failed tries cost nothing but time
        outcome, injured, paid, tally = _resolve(
            uids, route, people.funds, officer_term, rest, world.diversion, world.group_share,
            st.price, world.paid_factor, 1.0 + world.solo_penalty * st.enforcement,
            world.death * self.boat_danger(sim), world.injury, world.success,
            rng["group"].base(day), rng["harm"].base(day), rng["intercept"].base(day),
            rng["success"].base(day),
        )
        crossed, died = uids[outcome == CROSSED], uids[outcome == DIED]
        fee = paid & (outcome == CROSSED)
        people.funds[uids[fee]] -= st.price[route[fee]].astype(np.float32)
        people.injuries[uids[injured]] += 1
        sim.today.intercepted = uids[outcome == INTERCEPTED]
        people.interceptions[sim.today.intercepted] += 1
        people.status[died] = Status.DEAD
        people.status[crossed] = Status.CROSSED
        people.exit_day[crossed] = day
        people.exit_day[died] = day

        out = sim.rec.route
        out["attempts"][day] = attempts
        out["p_intercept"][day] = interception_probability(world, day, attempts)
        for j, name in enumerate(TALLY):
            out[name][day] = tally[:, j]

    @staticmethod
    def boat_danger(sim) -> np.ndarray:
        """Death-risk multiplier per route: (people per boat / usual)^exponent, and more on
        rough days (the weather draw near the limit of what is viable)."""
        world = sim.world
        load = sim.rec.route["people_per_boat"][sim.day]
        usual = world.per_opportunity[sim.day]
        with np.errstate(invalid="ignore"):
            crowding = np.where(world.has_boats & (load > 0), load / np.maximum(usual, 1e-9), 1.0)
        weather = 1.0 + world.bad_weather_factor * sim.today.rough_sea
        return np.where(world.has_boats, crowding ** world.death_crowding * weather, 1.0)
