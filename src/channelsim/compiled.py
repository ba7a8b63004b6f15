"""Where numba keeps the compiled kernels: one folder per version of the sources.

numba checks only each function's own file before it reuses machine code, so after an edit
to a helper in another module (or to the State's parts) it would run stale code. Keying the
folder on a hash of every source file makes any edit compile afresh. Set NUMBA_CACHE_DIR to
choose the folder yourself.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import numba

STALE_DAYS = 7  # other versions' folders unused this long are removed


def source_digest(package: Path) -> str:
    """A hash of every Python file under `package`, names and contents."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def use_cache_for_these_sources() -> None:
    """Point numba at this version's folder; call before any kernel module is imported."""
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
