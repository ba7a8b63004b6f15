"""People as columns: growth without losing anyone, the active index."""

import numpy as np

from channelsim.population import People


def test_growth_keeps_values_and_uids_are_rows():
    people = People(capacity=16)
    first = people.add(10, arrival_day=3)
    second = people.add(100, arrival_day=5)
    assert list(first) == list(range(10)) and second[0] == 10 and people.n == 110
    assert np.all(people.arrival_day[:10] == 3) and np.all(people.arrival_day[10:] == 5)
    assert people.status.dtype == np.int8 and len(people.status) == 110


def test_memory_per_person_is_small():
    people = People(capacity=100_000)
    people.add(100_000)
    # 31 bytes of attributes (of them 4 for the group, 2 for the smuggler's package), 8 of
    # beliefs (one route), 4 of active index, 4 of release calendar: 47; the run's peak
    # (benchmarks) must stay within 150
    assert people.nbytes / 100_000 <= 48
