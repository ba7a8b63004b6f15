"""Mutated bundled scenarios and overrides through `validate`: exit 0 or 2, no traceback.

The cases come from benchmarks/fuzz_cases.py (benchmarks/fuzz.py runs 10,000 and more, and
a sample through `run`); here a few hundred, derandomised so the suite cannot flake.
"""

from benchmarks.fuzz_cases import cases, validate
from hypothesis import HealthCheck, given, settings


@settings(max_examples=300, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_mutated_scenarios_are_valid_or_refused(case):
    code, err = validate(case)
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith(("error: ", "usage: ")), err
        assert len(err.splitlines()) <= 40 and len(err) <= 8000, err  # one screen
