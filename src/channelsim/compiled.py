"""Where numba keeps the compiled kernels: one folder per version of the sources.

numba checks only each function's own file before it reuses machine code, so after an edit
to a helper in another module (or to the State's parts) it would run stale code. Keying the
folder on a hash of every source file makes any edit compile afresh. Set NUMBA_CACHE_DIR to
choose the folder yourself.

Within the folder numba files each kernel under a hash of its file's absolute path (and older
numba stamps it with the file's modification time), so a second checkout of the same sources
would compile everything again. `SourceHashLocator` files it under its path inside the package
and stamps it with the file's contents instead. Every module that defines kernels imports this
one first (population, random and sampling do; the others import one of them).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numba
from numba.core import caching, config
from numba.core.compiler_lock import global_compiler_lock

STALE_DAYS = 7  # other versions' folders unused this long are removed


def source_digest(package: Path) -> str:
    """A hash of every Python file under `package`, names and contents."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def package_path(py_file: str) -> Path | None:
    """`py_file`'s path from the folder holding its outermost package, or None outside one."""
    path = Path(py_file).resolve()
    top = path.parent
    if not (top / "__init__.py").exists():
        return None
    while (top.parent / "__init__.py").exists():
        top = top.parent
    return path.relative_to(top.parent)


class SourceHashLocator(caching.UserProvidedCacheLocator):
    """numba.config.CACHE_DIR/<the file's folder inside its package>, fresh while the file's
    contents are unchanged, wherever the package lies."""

    def __init__(self, py_func, py_file):
        super().__init__(py_func, py_file)
        inside = package_path(py_file)
        self._cache_path = os.path.join(numba.config.CACHE_DIR, *inside.parent.parts)

    def get_source_stamp(self) -> str:
        return hashlib.blake2b(Path(self._py_file).read_bytes(), digest_size=16).hexdigest()

    @classmethod
    def from_function(cls, py_func, py_file):
        if package_path(py_file) is None:
            return None
        return super().from_function(py_func, py_file)


def use_cache_for_these_sources() -> None:
    """Point numba at this version's folder and file kernels by content; before any kernel."""
    if SourceHashLocator not in caching.CacheImpl._locator_classes:
        caching.CacheImpl._locator_classes.insert(0, SourceHashLocator)
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "channelsim"
    folder = root / f"numba-{source_digest(Path(__file__).parent)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)
    except OSError:
        return  # numba's default, next to the sources, serves instead
    numba.config.CACHE_DIR = str(folder)
    for other in root.glob("numba-*"):
        if other != folder and time.time() - other.stat().st_mtime > STALE_DAYS * 86400:
            shutil.rmtree(other, ignore_errors=True)


@contextmanager
def optimised_at(level: int) -> Iterator[None]:
    """Functions compiled inside are optimised at LLVM level `level`, the others at numba's
    own: for code whose speed does not matter (a constructor called once a run). numba reads
    the level each time it optimises a module; the compiler lock keeps other threads from
    compiling meanwhile. Machine code is still emitted at numba's level."""
    with global_compiler_lock:
        saved, config.OPT = config.OPT, config._OptLevel(level)
        try:
            yield
        finally:
            config.OPT = saved


def skip_blas_probe() -> None:
    """numba probes for BLAS the first time it sets up its CPU target by importing
    scipy.linalg (0.1-0.2 s of every run), only to learn whether scipy is installed; no kernel
    uses BLAS. The module whose import runs the probe is imported here with the probe
    answered from whether scipy is installed, which is what the import would find."""
    import numba.np.linalg as linalg

    if "numba.np.arraymath" in sys.modules or importlib.util.find_spec("scipy") is None:
        return
    probe, linalg.ensure_blas = linalg.ensure_blas, lambda: None
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        linalg.ensure_blas = probe


def plain_shape_errors() -> None:
    """An array assigned into a part of another array of a different shape raises numba's
    generic message ("cannot assign slice from input of different size") instead of the CPU
    target's, which formats both shapes: compiling that formatter took 3.6 s of each compile
    worker's CPU (numba's compile events, the attempts kernel), for an error no kernel raises
    in a valid run. Both messages are numba's own; call after skip_blas_probe, which imports
    the module that defines them."""
    from numba.core.typing.templates import builtin_registry
    from numba.np import arrayobj

    for func, typ in builtin_registry.globals:
        if func is arrayobj.raise_with_shape_context:
            for template in typ.templates:
                if template.metadata.get("target") == "CPU":
                    template._overload_func = arrayobj.ol_raise_with_shape_context_generic


use_cache_for_these_sources()
skip_blas_probe()
plain_shape_errors()
