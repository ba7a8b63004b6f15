"""Resolving attempts: harm, interception and success, per route.

Interception per attempt on route r: p = 1 - exp(-(a + b * E / (A + k) + c * I)), with E the
officers guarding the route, A the attempts on it today and I its infrastructure index: more
attempts per officer lower p (crossers per officer drive apprehension, as in Espenshade 1994).
"""

from __future__ import annotations

import numpy as np

from ..population import Status
from .base import Process


def interception_probability(world, day: int, attempts: np.ndarray) -> np.ndarray:
    officers = world.officers[day, world.route_site] * world.officer_share
    hazard = (
        world.icpt_base
        + world.icpt_officers * officers / (attempts + world.icpt_congestion)
        + world.icpt_infra * world.infrastructure[day]
    )
    return -np.expm1(-hazard)


class Resolution(Process):
    name = "resolution"
    route_results = ("attempts", "interceptions", "crossings", "deaths", "injuries", "p_intercept")
    streams = ("harm", "intercept", "success")

    def step(self, sim) -> None:
        day, world, people, rng, rec = sim.day, sim.world, sim.people, sim.rng, sim.rec
        uids, route = sim.today.attempters, sim.today.route
        n_routes = world.n_routes
        attempts = np.bincount(route, minlength=n_routes)
        p = interception_probability(world, day, attempts)
        people.attempts[uids] += 1

        u_harm = rng["harm"].uniform(day, uids)
        dies = u_harm < world.death[route]
        injured = ~dies & (u_harm < world.death[route] + world.injury[route])
        intercepted = ~dies & rng["intercept"].below(day, uids, p[route])
        crosses = ~dies & ~intercepted & rng["success"].below(day, uids, world.success[route])

        people.injuries[uids[injured]] += 1
        people.interceptions[uids[intercepted]] += 1
        ended = dies | crosses
        people.status[uids[dies]] = Status.DEAD
        people.status[uids[crosses]] = Status.CROSSED
        people.exit_day[uids[ended]] = day
        sim.today.intercepted = uids[intercepted]

        out = rec.route
        out["attempts"][day] = attempts
        out["interceptions"][day] = np.bincount(route[intercepted], minlength=n_routes)
        out["crossings"][day] = np.bincount(route[crosses], minlength=n_routes)
        out["deaths"][day] = np.bincount(route[dies], minlength=n_routes)
        out["injuries"][day] = np.bincount(route[injured], minlength=n_routes)
        out["p_intercept"][day] = p
