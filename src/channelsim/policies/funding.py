"""UK payments turned into officers and infrastructure at French sites, resolved up front.

Each year's payment arrives on 1 January: `officer_share` of it pays officer-years that year
at `officer_cost_per_year`; the rest buys infrastructure (fences, scanners, lighting) at
`infrastructure_cost_per_unit` per unit of the index, which then depreciates daily.
"""

from __future__ import annotations

import numpy as np

from ..scenario import Scenario


def funded(sc: Scenario, years: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(officers, infrastructure index, UK payment per day), each (days, sites). The UK's cost
    of a payment is spread over its year, so a part-year run carries its share."""
    start = np.datetime64(sc.start, "D")
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

    def bought(year: int) -> float:
        return f.payments.get(year, 0.0) * (1 - f.officer_share) / f.infrastructure_cost_per_unit

    # infrastructure bought before the run, depreciated to its first day
    stock = np.zeros(len(site_ids))
    for year in sorted(y for y in f.payments if y <= years[0]):
        age = (start - np.datetime64(f"{year}-01-01")).astype(int)
        stock += bought(year) * alloc * keep**age
    new_year = np.r_[False, years[1:] != years[:-1]]
    for d in range(n_days):
        year = int(years[d])
        payment = f.payments.get(year, 0.0)
        if d:
            stock = stock * keep + (bought(year) * alloc if new_year[d] else 0.0)
        officers[d] = payment * f.officer_share / f.officer_cost_per_year * alloc
        infra[d] = stock
        paid[d] = payment * alloc / _days_in(year)
    return officers, infra, paid


def _days_in(year: int) -> int:
    return 366 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 365
