"""Resolving attempts: harm, interception and success, per route and attempt.

Interception hazard on route r at site s: h = a + b * E / (A + k) + c * I, with E the officers
guarding the route, A today's attempts on it and I its infrastructure index: more attempts per
officer lower the chance of being stopped (crossers per officer drive apprehension, Espenshade
1994). A coordinated group's diversion removes a share of the officer term for its members; a
paid attempt's hazard is scaled by the smuggler's factor, a solo attempt's rises with
enforcement where smugglers operate. p = 1 - exp(-h). Boats are deadlier when overloaded and
in rough weather.

On a lorry route whose site has no juxtaposed controls, the base and infrastructure terms (the
UK's checks at the port) stop no one in France: a stowaway they would have found, or whom the
UK finds on arrival, is in the UK, a crossing, counted as found on arrival.

A group acts together: members of one group boarding the same route on the same day stage a
diversion (with the route's `groups.share` chance, drawn for the group). Paying a smuggler
means buying a package: the deposit is paid at the first attempt, the balance on arrival,
and it covers a number of attempts. A boat without a smuggler is bought, and lost.
"""

from __future__ import annotations

import numba
import numpy as np

from ..population import Status
from ..random import day_base, unit
from ..sampling import kept_or_zero, stable_order
from .attempts import pays
from .base import BOARDED, INTERCEPTED, Process


@numba.njit(cache=True, nogil=True)
def enforcement_terms(w, day, attempts) -> tuple[np.ndarray, np.ndarray]:
    """(officer term, other terms) of the interception hazard for each route today."""
    officers = w.officers[day][w.route_site] * w.officer_share
    officer_term = w.icpt_officers * officers / (attempts + w.icpt_congestion)
    return officer_term, w.icpt_base + w.icpt_infra * w.infrastructure[day]


@numba.njit(cache=True, nogil=True)
def controls_in_france(w, day) -> np.ndarray:
    """Per route, whether the UK's checks happen in France (always, except on lorry routes
    at a site without juxtaposed controls)."""
    return ~w.is_lorry | (w.juxtaposed[day][w.route_site] > 0)


@numba.njit(cache=True, nogil=True)
def together(s, day, n) -> np.ndarray:
    """For each of today's n attempts, whether it is a coordinated group attempt: two or more
    of one group on one route, and the group staged a diversion (the route's groups.share)."""
    p, t, w = s.people, s.today, s.world
    n_routes = w.route_site.shape[0]
    key = np.empty(n, dtype=np.int64)
    for i in range(n):
        key[i] = np.int64(p.group[t.uid[i]]) * n_routes + t.route[i]
    order = stable_order(key)
    out = np.zeros(n, dtype=np.bool_)
    b_group = day_base(s.keys.group, day)
    i = 0
    while i < n:
        j = i
        while j + 1 < n and key[order[j + 1]] == key[order[i]]:
            j += 1
        first = order[i]
        if j > i and unit(p.group[t.uid[first]], b_group) < w.group_share[t.route[first]]:
            for m in range(i, j + 1):
                out[order[m]] = True
        i = j + 1
    return out


def interception_probability(world, day: int, attempts: np.ndarray) -> np.ndarray:
    """For a solo, ungrouped attempt on each route, without smugglers."""
    officer_term, rest = enforcement_terms(world.arrays(), day, np.asarray(attempts, float))
    return -np.expm1(-(officer_term + rest))


NO_MARKET, PAID, SOLO = 0, 1, 2  # how an attempt stands with the route's smugglers


@numba.njit(cache=True, nogil=True)
def stop_probability(officer_term, rest, diversion, paid_factor, solo_mult) -> np.ndarray:
    """p = 1 - exp(-h) per (route, in a group or not, NO_MARKET / PAID / SOLO): the six
    hazards of the module docstring, computed once a day rather than once an attempt."""
    out = np.empty((officer_term.shape[0], 2, 3))
    for r in range(officer_term.shape[0]):
        for grouped in range(2):
            hazard = officer_term[r] * ((1.0 - diversion[r]) if grouped else 1.0) + rest[r]
            out[r, grouped, NO_MARKET] = -np.expm1(-hazard)
            out[r, grouped, PAID] = -np.expm1(-(hazard * paid_factor[r]))
            out[r, grouped, SOLO] = -np.expm1(-(hazard * solo_mult[r]))
    return out


@numba.njit(cache=True, nogil=True)
def boat_danger(s, day) -> np.ndarray:
    """Death-risk multiplier per route: (people per boat / usual)^exponent, and more on rough
    days (the weather draw near the limit of what is viable)."""
    w, load_today, rough = s.world, s.rec.people_per_boat[day], s.today.rough_sea
    out = np.ones(w.route_site.shape[0])
    for r in range(out.shape[0]):
        if w.has_boats[r]:
            load = load_today[r]
            crowding = load / max(w.per_opportunity[day, r], 1e-9) if load > 0 else 1.0
            weather = 1.0 + w.bad_weather_factor[r] * rough[r]
            out[r] = crowding ** w.death_crowding[r] * weather
    return out


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    """Each attempt's outcome, and the day's counts per route."""
    w, p, t, rec, k = s.world, s.people, s.today, s.rec, s.keys
    price, n = s.market.price, t.counts[BOARDED]
    left, bought = p.package_left, p.package_mode
    sold, revenue = rec.packages_sold[day], rec.revenue[day]
    n_routes = w.route_site.shape[0]
    attempts = np.zeros(n_routes)
    for i in range(n):
        attempts[t.route[i]] += 1
    officer_term, rest = enforcement_terms(w, day, attempts)
    in_france = controls_in_france(w, day)
    rest_in_france = kept_or_zero(in_france, rest)
    p_stop = stop_probability(officer_term, rest_in_france, w.diversion,
                              w.paid_factor, 1.0 + w.solo_penalty * s.market.enforcement)
    found_there = -np.expm1(-rest)  # the checks' chance, where they are in the UK
    death = w.death * boat_danger(s, day)
    b_harm = day_base(k.harm, day)
    b_intercept, b_success = day_base(k.intercept, day), day_base(k.success, day)
    grouped_today = together(s, day, n)
    n_intercepted = 0
    for i in range(n):
        uid, r = t.uid[i], t.route[i]
        p.attempts[uid] += 1
        market = not np.isnan(price[r])
        paid = market and pays(left[uid], bought[uid], p.funds[uid], w.route_mode[r], price[r])
        if paid:
            use_package(left, bought, p.funds, sold, revenue, uid, r, w.route_mode[r],
                        w.attempts_included[r], np.float32(w.deposit_share[r] * price[r]))
        elif w.has_boats[r] and market:
            p.funds[uid] = max(np.float32(0.0), p.funds[uid] - np.float32(w.solo_boat_cost[r]))
        grouped = grouped_today[i]
        u_harm = unit(uid, b_harm)
        crossed = False
        if u_harm < death[r]:
            p.status[uid] = Status.DEAD
            p.exit_day[uid] = day
            rec.deaths[day, r] += 1
        else:
            if u_harm < death[r] + w.injury[r]:
                p.injuries[uid] += 1
                rec.injuries[day, r] += 1
            terms = PAID if paid else (SOLO if market else NO_MARKET)
            if unit(uid, b_intercept) < p_stop[r, 1 if grouped else 0, terms]:
                p.interceptions[uid] += 1
                t.intercepted[n_intercepted] = uid
                n_intercepted += 1
                rec.interceptions[day, r] += 1
            elif in_france[r]:
                crossed = unit(uid, b_success) < w.success[r]
            else:  # in the UK whether found or not
                crossed = True
                found = 1.0 - (1.0 - found_there[r]) * w.success[r]
                rec.found_on_arrival[day, r] += unit(uid, b_success) < found
            if crossed:
                p.status[uid] = Status.CROSSED
                p.exit_day[uid] = day
                rec.crossings[day, r] += 1
        if paid:
            rec.paid_attempts[day, r] += 1
            if crossed:  # the balance, paid on arrival
                balance = np.float32((1.0 - w.deposit_share[r]) * price[r])
                p.funds[uid] = max(np.float32(0.0), p.funds[uid] - balance)
                rec.paid_crossings[day, r] += 1
                rec.revenue[day, r] += balance
        if grouped:
            rec.grouped_attempts[day, r] += 1
            rec.grouped_crossings[day, r] += crossed
    t.counts[INTERCEPTED] = n_intercepted
    rec.attempts[day] = attempts
    rec.p_intercept[day] = -np.expm1(-(officer_term + rest_in_france))


@numba.njit(inline="always")
def use_package(package_left, package_mode, funds, sold, revenue, uid, r, mode, included,
                deposit) -> None:
    """One attempt of the person's package for route r's mode, buying a new one (its deposit
    paid now) when they hold none with attempts left. Called once a boarder, it takes arrays,
    not the State (see attempts.pays)."""
    if package_left[uid] <= 0 or package_mode[uid] != mode:
        funds[uid] = max(np.float32(0.0), funds[uid] - deposit)
        package_left[uid] = np.int8(included)
        package_mode[uid] = np.int8(mode)
        sold[r] += 1
        revenue[r] += deposit
    package_left[uid] -= 1


class Resolution(Process):
    name = "resolution"
    route_results = ("attempts", "p_intercept", "interceptions", "crossings", "deaths",
                     "injuries", "paid_attempts", "paid_crossings", "revenue",
                     "grouped_attempts", "grouped_crossings", "found_on_arrival",
                     "packages_sold")
    streams = ("harm", "intercept", "success", "group")
    kernel = staticmethod(step)
