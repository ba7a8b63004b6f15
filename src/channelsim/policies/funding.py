"""UK payments turned into officers and infrastructure at French sites, resolved up front.

Each year's payment arrives on 1 January: `officer_share` of it pays officer-years that year
at `officer_cost_per_year`; the rest buys infrastructure (fences, scanners, lighting) at
`infrastructure_cost_per_unit` per unit of the index, which then depreciates daily.
"""

from __future__ import annotations

import numpy as np

from ..scenario import Scenario


def funded(sc: Scenario, years: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(officers, infrastructure index, UK payment per day), each (days, sites)."""
    n_days, site_ids = len(years), list(sc.sites)
    officers = np.zeros((n_days, len(site_ids)))
    infra = np.zeros((n_days, len(site_ids)))
    paid = np.zeros((n_days, len(site_ids)))
    f = sc.funding
    if f is None or not f.payments:
        return officers, infra, paid
    alloc = np.array([f.allocation.get(s, 0.0) for s in site_ids])
    alloc = alloc / alloc.sum() if alloc.sum() > 0 else np.full(len(site_ids), 1 / len(site_ids))
    keep = (1.0 - f.depreciation_per_year) ** (1 / 365.25)
    stock = np.zeros(len(site_ids))
    first_day = np.r_[True, years[1:] != years[:-1]]
    for d in range(n_days):
        payment = f.payments.get(int(years[d]), 0.0)
        if first_day[d]:
            stock = stock + payment * (1 - f.officer_share) / f.infrastructure_cost_per_unit * alloc
        else:
            stock = stock * keep
        officers[d] = payment * f.officer_share / f.officer_cost_per_year * alloc
        infra[d] = stock
        paid[d] = payment * alloc / (366 if years[d] % 4 == 0 else 365)
    return officers, infra, paid
