"""Mutated bundled scenarios and overrides through `validate`: exit 0 or 2, no traceback.

The cases come from benchmarks/fuzz_cases.py (benchmarks/fuzz.py runs 10,000 and more, and
a sample through `run`); here a few hundred, derandomised so the suite cannot flake.
"""

import contextlib
import io
import tempfile
from pathlib import Path

from benchmarks.fuzz_cases import MAIN, Case, cases
from hypothesis import HealthCheck, given, settings

from channelsim import cli


def validate(case: Case) -> tuple[int, str]:
    """Exit code and stderr of `channelsim validate` on the case, in this process."""
    with tempfile.TemporaryDirectory() as folder:
        for name, text in case.files.items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        argv = ["validate", str(Path(folder) / MAIN)] + [f"--set={o}" for o in case.overrides]
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = cli.main(argv)
            except SystemExit as exc:  # argparse refusing an argument
                code = exc.code
    return code, err.getvalue()


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
