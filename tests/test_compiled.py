"""Compiled kernels are cached per version of the sources, so an edit anywhere recompiles."""

import os
import subprocess
import sys

from channelsim.compiled import source_digest


def test_an_edit_to_any_source_file_changes_the_cache_folder(tmp_path):
    (tmp_path / "processes").mkdir()
    (tmp_path / "engine.py").write_text("A = 1\n")
    (tmp_path / "processes" / "exits.py").write_text("B = 2\n")
    before = source_digest(tmp_path)
    (tmp_path / "processes" / "exits.py").write_text("B = 3\n")
    assert source_digest(tmp_path) != before


def test_numba_is_pointed_at_this_versions_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", "import channelsim, numba; "
                          "print(numba.config.CACHE_DIR)"],
                         env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert out.startswith(str(tmp_path / "channelsim" / "numba-"))
