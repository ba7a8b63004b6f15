"""Scenario values written back as TOML, as a file would hold them.

`scenarios show` prints each value this way (a policy as its inline table, a small rate as
0.0002, never rounded), `scenarios new` writes them into a child file, and the fuzz tests
write mutated scenarios with it: what is shown can be pasted into a file or a `--set`.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, time
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def inline(value: Any) -> str:
    """One value as TOML on one line (tables as inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        # JSON's escapes are TOML's; TOML also wants DEL escaped
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{key(k)} = {inline(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def key(name: Any) -> str:
    text = str(name)
    return text if _BARE_KEY.fullmatch(text) else inline(text)


def document(raw: dict[str, Any]) -> str:
    """A whole scenario table as a TOML file, one top-level key a line."""
    return "".join(f"{key(k)} = {inline(v)}\n" for k, v in raw.items())
