"""Compiled kernels are cached per version of the sources, so an edit anywhere recompiles, and
filed by content, so a second checkout of the same sources compiles nothing."""

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from numba.core.dispatcher import Dispatcher

import channelsim
from channelsim.compiled import SourceHashLocator, package_path, source_digest

KERNEL = ("import channelsim.compiled  # noqa: F401\n"
          "import numba\n\n\n"
          "@numba.njit(cache=True)\n"
          "def double(x):\n"
          "    return 2 * x\n")


def test_an_edit_to_any_source_file_changes_the_cache_folder(tmp_path):
    (tmp_path / "processes").mkdir()
    (tmp_path / "engine.py").write_text("A = 1\n")
    (tmp_path / "processes" / "exits.py").write_text("B = 2\n")
    before = source_digest(tmp_path)
    (tmp_path / "processes" / "exits.py").write_text("B = 3\n")
    assert source_digest(tmp_path) != before


def _without_numba_cache_dir(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    return env


def test_numba_is_pointed_at_this_versions_folder_before_any_kernel(tmp_path):
    out = subprocess.run([sys.executable, "-c", "import channelsim.population, numba; "
                          "print(numba.config.CACHE_DIR)"],
                         env=_without_numba_cache_dir(tmp_path), capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out.startswith(str(tmp_path / "channelsim" / "numba-"))


def test_import_channelsim_loads_neither_numba_nor_duckdb(tmp_path):
    """Nor pydantic's scenario models and rich, which `--help` does without."""
    code = ("import sys, channelsim, channelsim.cli; print(sorted({'numba', 'duckdb', 'pandas', "
            "'distributed', 'pydantic', 'rich'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], env=_without_numba_cache_dir(tmp_path),
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
    assert channelsim.Sim.__module__ == "channelsim.engine"  # and the names still work


def test_every_cached_kernel_is_filed_by_content():
    for name in ("engine", "day_end", "policies.interception"):
        importlib.import_module(f"channelsim.{name}")
    kernels = [obj for mod, module in list(sys.modules.items()) if mod.startswith("channelsim.")
               for obj in vars(module).values()
               if isinstance(obj, Dispatcher) and obj._cache.__class__.__name__ != "NullCache"]
    assert len(kernels) > 30
    assert all(isinstance(k._cache._impl.locator, SourceHashLocator) for k in kernels)


def test_package_path_is_the_path_inside_the_outermost_package(tmp_path):
    (tmp_path / "top" / "sub").mkdir(parents=True)
    for init in ("top/__init__.py", "top/sub/__init__.py"):
        (tmp_path / init).write_text("")
    assert package_path(str(tmp_path / "top" / "sub" / "k.py")) == Path("top/sub/k.py")
    assert package_path(str(tmp_path / "k.py")) is None


def _call_kernel(folder: Path, cache: Path) -> tuple[int, int]:
    """Cache hits and misses of calling tinykern's kernel imported from `folder`."""
    env = os.environ | {"PYTHONPATH": str(folder), "NUMBA_CACHE_DIR": str(cache)}
    code = ("from tinykern.kern import double; double(2); "
            "print(sum(double.stats.cache_hits.values()), "
            "sum(double.stats.cache_misses.values()))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=folder).stdout.split()
    return int(out[0]), int(out[1])


def test_a_copy_of_the_same_sources_elsewhere_reuses_the_cache(tmp_path):
    first, second, edited = (tmp_path / n / "tinykern" for n in ("a", "b", "c"))
    first.mkdir(parents=True)
    (first / "__init__.py").write_text("")
    (first / "kern.py").write_text(KERNEL)
    shutil.copytree(first, second)
    os.utime(second / "kern.py", (0, 0))  # another checkout: the same contents, other times
    shutil.copytree(first, edited)
    (edited / "kern.py").write_text(KERNEL.replace("2 * x", "x + x"))
    cache = tmp_path / "cache"
    assert _call_kernel(first.parent, cache) == (0, 1)
    assert _call_kernel(second.parent, cache) == (1, 0)
    assert _call_kernel(edited.parent, cache) == (0, 1)  # another file's contents: compiled


def test_an_array_put_where_it_does_not_fit_raises_numbas_plain_message():
    """compiled.plain_shape_errors: the error numba's generic target gives, not the CPU
    target's formatted shapes (whose formatter took seconds of every compile)."""
    import numba
    import numpy as np
    import pytest

    @numba.njit
    def put(into, values):
        into[:2] = values

    with pytest.raises(ValueError, match="^cannot assign slice from input of different size$"):
        put(np.zeros(3), np.ones(3))
