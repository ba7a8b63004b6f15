"""`channelsim scenarios show`: every value of a scenario as written, with its source.

The full form is a table of key, value (as TOML: text, policies and series whole, small rates
unrounded) and source, evidence rows spelled out. `--compact` gives each value one line with
its evidence ids and, for a scenario that extends another, only the values the file itself
sets, so that a child scenario fits on a screen.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import provenance, scenario, tomltext
from .report_text import emit


@dataclass(frozen=True)
class Row:
    key: str
    value: str  # as TOML
    source: Text  # the source spelled out
    short: str  # evidence ids, "assumption", "prior", "no source", or "" for text


def rows(raw: dict[str, Any]) -> list[Row]:
    """Each value of a merged raw scenario with the provenance of the numbers in it; text
    (names, a policy's type, modes) needs no source unless one is given."""
    traced = provenance.trace(raw)
    sources = raw.get("sources", {})
    out = []
    for key, value in provenance.values(raw):
        cited = next((p for p in traced if p.key == key or p.key.startswith(key + ".")), None)
        if cited is not None:
            source, short = _described(cited)
        else:
            cover = provenance.covering(key, sources)
            source, short = Text(sources[cover] if cover else ""), ""
        out.append(Row(key, tomltext.inline(value), source, short))
    return out


def _described(p: provenance.Provenance) -> tuple[Text, str]:
    if p.covered_by is None or not (p.assumption or p.ids):
        return Text("no source", style="red"), "no source"
    if p.assumption:
        word = "prior" if p.prior else "assumption"
        return Text.assemble((word, "italic"), f": {p.note}"), word
    facts = provenance.evidence()
    cited = "; ".join(
        f"{i} ({facts[i]['quantity']}, {facts[i]['place']}, {facts[i]['period']}: "
        f"{facts[i]['value']})" if i in facts else f"{i} (not in the evidence table)"
        for i in p.ids)
    return Text(cited + (f" - {p.note}" if p.note else "")), ", ".join(p.ids)


def show(name: str, compact: bool, console: Console) -> None:
    sc = scenario.load(name)  # validates, with clear errors
    path = scenario.resolve_path(name)
    every = [r for r in rows(scenario.read_raw(path)) if r.key != "description"]  # the title
    if not compact:
        table = Table(title=f"{sc.name}: {sc.description}", title_justify="left")
        for col in ("key", "value", "source"):
            table.add_column(col, overflow="fold")
        for row in every:
            table.add_row(row.key, row.value, row.source)
        emit(console, table)
        return
    own = tomllib.loads(path.read_text(encoding="utf-8"))
    parent = own.get("extends")
    mine = [k for k, _ in provenance.values(own)]
    shown = [r for r in every if parent is None or any(
        r.key == k or r.key.startswith(k + ".") for k in mine)]
    width = console.width
    _line(console, f"{sc.name}: {sc.description}", width)
    if parent is not None:
        _line(console, f"extends {parent}: {len(every) - len(shown):,} more values from it "
                       f"(channelsim scenarios show {parent} --compact)", width)
    key_width = min(max(len(r.key) for r in shown), width // 2)
    for row in shown:
        head = f"{row.key:<{key_width}} = "
        room = width - len(head)
        tail = f"  [{row.short}]" if row.short else ""
        tail = _clip(tail, room - min(len(row.value), room // 2))
        _line(console, head + _clip(row.value, room - len(tail)) + tail, width)


def _line(console: Console, text: str, width: int) -> None:
    console.print(_clip(text, width), markup=False, highlight=False, crop=False)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(width - 1, 0)] + "…"
