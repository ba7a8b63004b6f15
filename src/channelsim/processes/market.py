"""The smuggling market on each route that has one: prices, gangs and revenue.

price = base * (enforcement / reference)^e_enf * (demand / supply)^e_dem, with enforcement the
route's interception hazard without congestion (officers and infrastructure), demand smoothed
over a week, and supply the places the gangs sell. Gangs grow when their daily margin is
positive and shrink when it is not. e_enf is calibrated against Gathmann (2008: enforcement
tripled, prices +17%, an elasticity near 0.15) and the Channel price points.
"""

from __future__ import annotations

import numpy as np

from .base import Process
from .resolution import enforcement_terms

SMOOTHING = 1 / 7  # demand and revenue remembered over about a week


class Market(Process):
    name = "market"
    route_results = ("price", "gangs")

    def init(self, sim) -> None:
        world, st = sim.world, sim.state
        markets = [r.market for r in sim.scenario.routes.values()]
        self.markets = markets
        st.gangs = np.array([m.gangs if m else np.nan for m in markets])
        st.demand = np.array([m.gangs * m.places_per_gang if m else np.nan for m in markets])
        st.revenue = np.zeros(world.n_routes)
        st.enforcement = np.zeros(world.n_routes)
        st.price = np.full(world.n_routes, np.nan)
        self.update_prices(sim, 0)

    def update_prices(self, sim, day: int) -> None:
        world, st = sim.world, sim.state
        officer_term, rest = enforcement_terms(world, day, np.zeros(world.n_routes))
        pressure = officer_term + rest  # the interception hazard without congestion
        for r, m in enumerate(self.markets):
            if m is None:
                continue
            # floored, so a route without enforcement still has a positive price
            st.enforcement[r] = max(pressure[r] / m.reference_enforcement, 0.01)
            supply = st.gangs[r] * m.places_per_gang
            st.price[r] = (m.base_price * st.enforcement[r] ** m.enforcement_elasticity
                           * (max(st.demand[r], 1.0) / supply) ** m.demand_elasticity)

    def step(self, sim) -> None:
        day, st, rec = sim.day, sim.state, sim.rec.route
        for r, m in enumerate(self.markets):
            if m is None:
                continue
            st.demand[r] += SMOOTHING * (rec["demand"][day, r] - st.demand[r])
            st.revenue[r] += SMOOTHING * (rec["revenue"][day, r] - st.revenue[r])
            margin = st.revenue[r] / st.gangs[r] - m.gang_cost_per_day
            growth = m.gang_growth * np.tanh(margin / max(m.gang_cost_per_day, 1.0))
            st.gangs[r] = float(np.clip(st.gangs[r] * np.exp(growth), 0.5, 10_000.0))
        rec["price"][day] = st.price
        rec["gangs"][day] = st.gangs
        self.update_prices(sim, min(day + 1, sim.world.n_days - 1))
