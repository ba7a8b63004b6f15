"""The observed tables are what the evidence table says, and an installed channelsim finds them."""

import csv
import importlib.util
from pathlib import Path

import pytest

from channelsim.analysis import observed
from channelsim.provenance import evidence

ROOT = Path(__file__).resolve().parents[1]


def _build_module():
    spec = importlib.util.spec_from_file_location("build_observed", ROOT / "data/observed/build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_both_copies_equal_a_fresh_build(tmp_path):
    paths = _build_module().build(tmp_path)
    assert sorted(p.stem for p in paths) == sorted(observed.TABLES)
    for p in paths:
        fresh = p.read_text()
        assert (ROOT / "data/observed" / p.name).read_text() == fresh, p.name
        assert (ROOT / "src/channelsim/data/observed" / p.name).read_text() == fresh, p.name


@pytest.mark.parametrize("name", observed.TABLES)
def test_every_row_keeps_its_evidence_and_a_number(name):
    df = observed.load(name)
    facts = evidence()
    assert len(df) > 0
    for row in df.itertuples():
        assert row.evidence_id in facts
        assert row.status == facts[row.evidence_id]["status"]
        assert row.start <= row.end
        if row.use == "point":
            assert float(facts[row.evidence_id]["value_num"]) == row.value
        else:
            assert row.value != row.value  # NaN: a bound has no point value
            assert row.low == row.low or row.high == row.high


def test_unverified_rows_are_only_loose_bounds():
    facts = evidence()
    seen = 0
    for name in observed.TABLES:
        for row in observed.load(name).itertuples():
            if row.status == "unverified":
                seen += 1
                assert row.use == "bound"
                num = facts[row.evidence_id]["value_num"]
                if num:
                    assert row.low <= float(num) / 2 + 1e-9 and row.high >= 2 * float(num) - 1e-9
    assert seen >= 3


def test_monthly_small_boats_sum_to_the_yearly_totals():
    monthly = observed.points("small_boat_arrivals_monthly")
    yearly = observed.points("small_boat_arrivals_yearly")
    assert len(monthly) == 72 and list(monthly["start"].dt.year.unique()) == list(range(2018, 2024))
    sums = monthly.groupby(monthly["start"].dt.year)["value"].sum()
    for row in yearly.itertuples():
        assert abs(sums[row.start.year] - row.value) <= 0.02 * row.value


def test_points_filters_by_year():
    df = observed.points("small_boat_arrivals_monthly", 2019, 2020)
    assert set(df["start"].dt.year) == {2019, 2020}


def test_unknown_series_names_the_allowed_ones():
    with pytest.raises(observed.ObservedError, match="allowed: small_boat_arrivals_monthly"):
        observed.load("boats")


def test_tables_are_package_data():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"data/observed/*.csv"' in text
    with (ROOT / "src/channelsim/data/observed/deaths.csv").open() as f:
        assert next(csv.reader(f))[0] == "evidence_id"
