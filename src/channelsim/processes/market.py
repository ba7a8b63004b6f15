"""The smuggling market on each route that has one: prices, gangs and revenue.

price = base * (enforcement / reference)^e_enf * (demand / supply)^e_dem, with enforcement the
route's interception hazard without congestion (officers and infrastructure), demand smoothed
over a week, and supply the places the gangs sell. Gangs grow when their daily margin is
positive and shrink when it is not. e_enf is calibrated against Gathmann (2008: enforcement
tripled, prices +17%, an elasticity near 0.15) and the Channel price points.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from .base import Process
from .resolution import enforcement_terms

SMOOTHING = 1 / 7  # demand and revenue remembered over about a week

Pars = namedtuple("Pars", ["on", "base_price", "reference_enforcement",
                           "enforcement_elasticity", "demand_elasticity", "gang_cost_per_day",
                           "gang_growth", "gangs", "demand", "revenue", "enforcement", "price"])


@numba.njit(cache=True, nogil=True)
def update_prices(s, day) -> None:
    m, w = s.market, s.world
    officer_term, rest = enforcement_terms(w, day, np.zeros(w.route_site.shape[0]))
    pressure = officer_term + rest  # the interception hazard without congestion
    for r in range(pressure.shape[0]):
        if not m.on[r]:
            continue
        # floored, so a route without enforcement still has a positive price
        m.enforcement[r] = max(pressure[r] / m.reference_enforcement[r], 0.01)
        supply = m.gangs[r] * w.places_per_gang[r]
        m.price[r] = (m.base_price[r] * m.enforcement[r] ** m.enforcement_elasticity[r]
                      * (max(m.demand[r], 1.0) / supply) ** m.demand_elasticity[r])


@numba.njit(cache=True, nogil=True)
def step(s, day) -> None:
    m, rec = s.market, s.rec
    for r in range(m.on.shape[0]):
        if not m.on[r]:
            continue
        m.demand[r] += SMOOTHING * (rec.demand[day, r] - m.demand[r])
        m.revenue[r] += SMOOTHING * (rec.revenue[day, r] - m.revenue[r])
        margin = m.revenue[r] / m.gangs[r] - m.gang_cost_per_day[r]
        growth = m.gang_growth[r] * np.tanh(margin / max(m.gang_cost_per_day[r], 1.0))
        m.gangs[r] = min(max(m.gangs[r] * np.exp(growth), 0.5), 10_000.0)
    rec.price[day] = m.price
    rec.gangs[day] = m.gangs
    update_prices(s, min(day + 1, rec.price.shape[0] - 1))


class Market(Process):
    name = "market"
    route_results = ("price", "gangs")
    kernel = staticmethod(step)

    def init(self, sim) -> Pars:
        markets = [r.market for r in sim.scenario.routes.values()]

        def each(get, absent: float = np.nan) -> np.ndarray:
            return np.array([float(get(m)) if m else absent for m in markets])

        return Pars(
            on=np.array([m is not None for m in markets]),
            base_price=each(lambda m: m.base_price),
            reference_enforcement=each(lambda m: m.reference_enforcement),
            enforcement_elasticity=each(lambda m: m.enforcement_elasticity),
            demand_elasticity=each(lambda m: m.demand_elasticity),
            gang_cost_per_day=each(lambda m: m.gang_cost_per_day),
            gang_growth=each(lambda m: m.gang_growth),
            gangs=each(lambda m: m.gangs),
            demand=each(lambda m: m.gangs * m.places_per_gang),
            revenue=np.zeros(len(markets)),
            enforcement=np.zeros(len(markets)),
            price=np.full(len(markets), np.nan),
        )

    def start(self, sim) -> None:
        update_prices(sim.st, 0)  # the prices people see on the first day
