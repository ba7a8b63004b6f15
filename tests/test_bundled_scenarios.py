"""Each bundled scenario reproduces the situation its sources document, in distribution."""

import numpy as np
import pytest

import channelsim
from channelsim import scenario


def _runs(name: str, seeds, overrides=()):
    sc = channelsim.load(name, list(overrides))
    return [channelsim.run(sc, seed=s) for s in seeds]


def test_the_four_scenarios_are_bundled():
    assert {"channel-history", "ouistreham", "calais-2014", "calais-clearance"} <= set(
        scenario.bundled_names())


def test_calais_clearance_buses_about_500_on_25_buses():
    for res in _runs("calais-clearance", range(3)):
        calais = res.site_ids.index("calais")
        day = int(np.flatnonzero(res.site["clearances"][:, calais])[0])
        camp_before = res.site["waiting"][day - 1, calais]
        assert 1200 <= camp_before <= 1800  # about 1,500 in Calais in all
        assert res.site["bused"][day, calais] == 500  # 25 buses of 20
        assert 10 <= res.site["into_care"][day, calais] <= 60  # about 30 children
        # the weeks after: the camp regrows while arrivals go on
        assert res.site["waiting"][day + 28, calais] > res.site["waiting"][day, calais]


def test_ouistreham_some_people_are_stopped_dozens_of_times_in_two_months():
    runs = _runs("ouistreham", range(3), ["end=2017-07-30"])  # the first 60 days
    for res in runs:
        assert res.people["interceptions"].max() >= 24
    policy = channelsim.load("ouistreham").sites["ouistreham"].policy
    assert policy.type == "warn_release"


def test_calais_2014_starts_with_about_2300_and_the_uk_police_lever_bites():
    base = _runs("calais-2014", range(3))
    police = _runs("calais-2014", range(3), ["sites.calais.uk_officers=300"])
    for res in base:
        day0 = res.site["waiting"][0, 0] + res.site["detained"][0, 0]  # after one night
        assert abs(int(day0) - 2300) < 150
        assert res.summary()["scorecard"]["public_cost_uk"] > 4_000_000  # the 2014-15 payments
    calais_routes = [i for i, s in enumerate(base[0].route_site) if s == 0]

    def calais_interceptions(res):
        return res.route["interceptions"][:, calais_routes].sum()

    assert all(calais_interceptions(p) > calais_interceptions(b)
               for b, p in zip(base, police, strict=True))


@pytest.fixture(scope="module")
def history():
    return _runs("channel-history", range(3))


def test_channel_history_peaks_near_10000_in_calais_in_2016(history):
    for res in history:
        calais = res.site["waiting"][:, res.site_ids.index("calais")]
        peak_day = int(calais.argmax())
        assert str(res.dates[peak_day])[:4] == "2016"
        assert 7000 <= calais.max() <= 13000


def test_channel_history_small_boats_overtake_lorries_after_2019(history):
    for res in history:
        years = res.dates.astype("datetime64[Y]").astype(int) + 1970
        boat = res.route_mode == 2
        by_year = {y: (res.route["crossings"][years == y][:, ~boat].sum(),
                       res.route["crossings"][years == y][:, boat].sum())
                   for y in range(2014, 2026)}
        assert all(lorry > boat_ for y, (lorry, boat_) in by_year.items() if y <= 2017)
        assert all(boat_ > lorry for y, (lorry, boat_) in by_year.items() if y >= 2020)


def test_channel_history_clears_the_jungle_in_october_2016(history):
    for res in history:
        calais = res.site_ids.index("calais")
        day = int(np.flatnonzero(res.site["clearances"][:, calais])[0])
        assert str(res.dates[day]) == "2016-10-24"
        assert res.site["bused"][day, calais] == 5100
