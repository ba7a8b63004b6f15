"""The seven patterns of DESIGN section 7, each as paired runs (same seeds, one lever changed).

Each test takes the per-seed differences d_i = metric(lever) - metric(base) and requires the
one-sided paired t statistic to exceed the 99.9th percentile of Student's t with n - 1 degrees
of freedom: a pattern that is not there passes with probability below 0.001, and the seeds are
fixed, so the test cannot flake.
"""

from __future__ import annotations

import numpy as np

import channelsim
from channelsim import scenario

from .conftest import retry_scenario, system

# 99.9th percentiles of Student's t by degrees of freedom
T999 = {4: 7.173, 5: 5.893, 6: 5.208, 7: 4.785, 8: 4.501, 9: 4.297, 10: 4.144, 11: 4.025}
SEEDS = range(8)


def runs(raw: dict, seeds=SEEDS) -> list[channelsim.Results]:
    sc = scenario.from_dict(raw)
    return [channelsim.run(sc, seed=s) for s in seeds]


def assert_increase(before: list[float], after: list[float], table=T999) -> float:
    """Paired one-sided t test that `after` exceeds `before` (critical values from `table`);
    returns the t statistic."""
    d = np.asarray(after, float) - np.asarray(before, float)
    n = len(d)
    sd = d.std(ddof=1)
    t = np.inf if sd == 0 and d.mean() > 0 else d.mean() / (sd / np.sqrt(n))
    assert t > table[n - 1], f"no significant increase: mean {d.mean():.4g}, t = {t:.2f}"
    return t


def route_sum(res, name: str, routes: list[str]) -> float:
    idx = [res.route_ids.index(r) for r in routes]
    return float(res.route[name][:, idx].sum())


def site_attempts(res, sites: list[str]) -> float:
    idx = [res.site_ids.index(s) for s in sites]
    return float(res.by_site(res.route["attempts"])[:, idx].sum())


def test_p1_warn_release_gives_a_long_tail_and_detention_shrinks_it():
    """P1: under warn-and-release some people are stopped dozens of times in two months while
    nearly all who keep trying get through; detention shortens the tail."""
    raw = retry_scenario(0.93, 2000, days=60)
    raw["behaviour"]["attempt_probability"] = 0.8
    release = runs(raw, range(6))
    most = [int(r.people["interceptions"].max()) for r in release]
    assert min(most) >= 24, most  # dozens within two months
    long_raw = retry_scenario(0.93, 2000, days=365)
    long_raw["behaviour"]["attempt_probability"] = 0.8
    crossed = runs(long_raw, range(2))
    assert all(r.summary()["final_status"]["crossed"] / 2000 > 0.99 for r in crossed)
    raw["sites"]["s"]["policy"] = {"type": "detain", "days": 3}
    detained = runs(raw, range(6))
    tail = lambda res: float(np.quantile(res.people["interceptions"], 0.99))  # noqa: E731
    assert_increase([tail(r) for r in detained], [tail(r) for r in release])


def test_p2_more_police_at_calais_displaces_attempts_to_dunkirk_and_ouistreham():
    base = runs(system())
    more = runs(system(**{"sites.calais.officers": 300}))
    others = ["dunkirk", "ouistreham"]
    assert_increase([site_attempts(r, others) for r in base],
                    [site_attempts(r, others) for r in more])


def test_p3_a_cleared_camp_regrows_within_weeks():
    """P3: after a clearance on 1 May the Calais camp is back above half its size in six weeks,
    while arrivals continue."""
    raw = system(**{"sites.calais.clearance": {"dates": ["2020-05-01"], "buses": 25,
                                               "seats": 20, "scatter_share": 0.6},
                    "sites.calais.initial_people": 1500})
    calais = 0
    for res in runs(raw, range(4)):
        camp = res.site["waiting"][:, calais]
        day = int(np.flatnonzero(res.site["clearances"][:, calais])[0])
        before, after, later = camp[day - 1], camp[day], camp[day + 42]
        assert res.site["bused"][day, calais] == 500  # 25 buses of 20 seats
        assert after < 0.5 * before, (before, after)
        assert later > 0.5 * before, (before, later)


def test_p4_enforcement_spending_raises_prices_and_the_smuggled_share():
    base = runs(system())
    spend = runs(system(**{"funding.payments": {"2020": 60_000_000}}))
    boat = ["calais_boat"]

    def price(res):
        i = res.route_ids.index("calais_boat")
        return float(np.nanmean(res.route["price"][:, i]))

    def smuggled(res):
        return res.summary()["scorecard"]["smuggled_share"]

    assert_increase([price(r) for r in base], [price(r) for r in spend])
    assert_increase([smuggled(r) for r in base], [smuggled(r) for r in spend])
    assert route_sum(base[0], "revenue", boat) > 0


def test_p5_groups_with_diversions_beat_solo_attempts():
    """P5: on the same route and days, coordinated attempts succeed more often per person."""
    solo, grouped = [], []
    for res in runs(system(**{"sites.ouistreham.initial_people": 300})):
        r = "ouistreham_ferry"
        g_att, g_cross = route_sum(res, "grouped_attempts", [r]), route_sum(
            res, "grouped_crossings", [r])
        att, cross = route_sum(res, "attempts", [r]), route_sum(res, "crossings", [r])
        grouped.append(g_cross / g_att)
        solo.append((cross - g_cross) / (att - g_att))
    assert_increase(solo, grouped)


def test_p6_tighter_lorry_security_shifts_crossings_to_boats():
    base = runs(system())
    tight = runs(system(**{"routes.calais_ferry.infrastructure": 3.0,
                           "routes.dunkirk_ferry.infrastructure": 3.0}))
    lorries, boats = ["calais_ferry", "dunkirk_ferry"], ["calais_boat", "dunkirk_boat"]
    assert_increase([route_sum(r, "crossings", lorries) for r in tight],
                    [route_sum(r, "crossings", lorries) for r in base])
    assert_increase([route_sum(r, "crossings", boats) for r in base],
                    [route_sum(r, "crossings", boats) for r in tight])


def test_p7_squeezed_boat_supply_overloads_boats_and_kills_more_per_crossing():
    raw = system(**{"routes.calais_boat.death": 0.004, "routes.dunkirk_boat.death": 0.004})
    base = runs(raw)
    squeezed = runs(system(**{"routes.calais_boat.death": 0.004,
                              "routes.dunkirk_boat.death": 0.004,
                              "routes.calais_boat.boats.supply_factor": 0.5,
                              "routes.dunkirk_boat.boats.supply_factor": 0.5}))
    boats = ["calais_boat", "dunkirk_boat"]

    def per_boat(res):
        return res.summary()["mean_people_per_boat_by_route"]["calais_boat"]

    def deaths_per_crossing(res):
        return route_sum(res, "deaths", boats) / route_sum(res, "crossings", boats)

    assert_increase([per_boat(r) for r in base], [per_boat(r) for r in squeezed])
    assert_increase([deaths_per_crossing(r) for r in base],
                    [deaths_per_crossing(r) for r in squeezed])
