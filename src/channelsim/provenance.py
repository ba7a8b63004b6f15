"""Where each number in a scenario comes from.

A scenario's `[sources]` table maps a dotted key, or a prefix that covers a whole table, to
either `"evidence_id[, evidence_id]: note"` (rows of data/evidence.csv) or
`"assumption: reason"`; the priors of a `[calibration]` section are marked `"prior: reason"`
(a prior is a stated belief before the fit, not a number chosen to match the outcome).
Every number must be covered; `channelsim scenarios show` prints each with its provenance, the
tests refuse a bundled scenario with an uncited number, and `channelsim validate` warns of one
in a user's file (refuses it with `--strict`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from . import tomltext
from .scenario import UNCITED, WHOLE_TABLES, is_series

# text, and the towns' coordinates (geography, not evidence), need no source
# the numbers of a [calibration] section that are priors
PRIOR_KEYS = ("calibration.parameters.", "calibration.inflow.")
NOT_NUMBERS = ("name", "description", "site", "mode", "type", "smuggler", "main_site", "lat",
               "lon")


@cache
def evidence() -> dict[str, dict[str, str]]:
    """The evidence table, by id."""
    path = resources.files("channelsim") / "data" / "evidence.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


@dataclass(frozen=True)
class Provenance:
    key: str
    value: Any
    covered_by: str | None  # the [sources] key that covers this value
    ids: tuple[str, ...]
    note: str
    assumption: bool  # an assumption or a prior: a reason, no evidence id
    prior: bool = False

    @property
    def problem(self) -> str | None:
        if self.covered_by is None:
            return "no source: cite an evidence id or write 'assumption: <reason>'"
        is_prior_key = self.key.startswith(PRIOR_KEYS)
        if self.prior != is_prior_key:
            return ("a calibration prior is cited as 'prior: <reason>'" if is_prior_key
                    else "'prior:' is only for the priors in [calibration]")
        if self.assumption:
            word = "prior" if self.prior else "assumption"
            return None if self.note else f"{'a' if self.prior else 'an'} {word} needs a " \
                f"reason after '{word}:'"
        if not self.ids:
            return "the source names no evidence id"
        unknown = [i for i in self.ids if i not in evidence()]
        return f"unknown evidence id(s): {', '.join(unknown)}" if unknown else None


def values(raw: dict[str, Any], prefix: str = "", whole: tuple[str, ...] = WHOLE_TABLES
           ) -> list[tuple[str, Any]]:
    """Every value in a scenario table by dotted key, as written: a dated or yearly series, a
    list, an empty table and each of the `whole` tables (a policy, shares) count as one."""
    out = []
    for key, value in raw.items():
        path = f"{prefix}{key}"
        if key in ("sources", "extends") and not prefix:
            continue
        if isinstance(value, dict) and value and not is_series(value) and key not in whole:
            out += values(value, f"{path}.", whole)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):  # an array of tables, e.g. several clearance rules
                out += values(item, f"{path}.{i}.", whole)
        else:
            out.append((path, value))
    return out


def numbers(raw: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every number (or list of numbers) in a scenario table, by dotted key; a dated or
    yearly series counts as one value."""
    return [(key, value) for key, value in values(raw, whole=())
            if key.rpartition(".")[2] not in NOT_NUMBERS and (
                isinstance(value, dict) and value or _is_number(value)
                or isinstance(value, list) and all(_is_number(v) for v in value))]


def trace(raw: dict[str, Any]) -> list[Provenance]:
    """The provenance of every number in a (merged) raw scenario."""
    sources: dict[str, str] = raw.get("sources", {})
    rows = []
    for key, value in numbers(raw):
        cover = covering(key, sources)
        text = sources.get(cover, "") if cover else ""
        if text.startswith(UNCITED):
            cover, text = None, ""
        head, _, note = text.partition(":")
        kind = head.strip().lower()
        assumption = kind in ("assumption", "prior")
        ids = () if assumption else tuple(i.strip() for i in head.replace("+", ",").split(",")
                                          if i.strip())
        rows.append(Provenance(key, value, cover, ids, note.strip(), assumption,
                               kind == "prior"))
    return rows


def unsourced(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """("key = value", what is wrong) for each number whose source is missing or unusable."""
    return [(f"{p.key} = {tomltext.inline(p.value)}", p.problem) for p in trace(raw)
            if p.problem]


def covering(key: str, sources: dict[str, str]) -> str | None:
    """The longest [sources] key equal to `key` or a dotted prefix of it."""
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in sources:
            return candidate
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
