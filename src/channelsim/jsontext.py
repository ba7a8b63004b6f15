"""Strict JSON: what channelsim prints or writes parses in any JSON reader.

Python's json writes an infinite or undefined float as `Infinity` or `NaN`, which JSON does
not have; such a value (a ratio with nothing to divide by) is written as null.
"""

from __future__ import annotations

import json
import math
from typing import Any


def finite(value: Any) -> Any:
    """`value` with every infinite or NaN float, however deep, replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def dumps(value: Any, **kwargs: Any) -> str:
    return json.dumps(finite(value), allow_nan=False, **kwargs)
