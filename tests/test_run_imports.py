"""What a run loads: not pandas (for its tables) nor scipy.linalg (for numba's BLAS probe),
each a tenth of a second or more of every command's start-up."""

import subprocess
import sys


def test_a_run_and_its_store_import_neither_pandas_nor_scipy_linalg(tmp_path):
    code = ("import sys; from channelsim import scenario, store; from channelsim.engine import "
            "run; from tests.conftest import tiny; "
            f"store.write({str(tmp_path / 'out')!r}, [run(scenario.from_dict(tiny()), 1)], {{}}); "
            "print(sorted({'pandas', 'scipy.linalg'} & set(sys.modules))); "
            "import numba.np.arraymath as a; print(a._HAVE_BLAS)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[]", "True"]  # numba still knows BLAS is there
