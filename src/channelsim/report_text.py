"""The summary as tables in the terminal (the same figures as `--json`).

A table is printed at the terminal's width (or `--width`); piped, PIPE_WIDTH wide, not 80. A
table too wide even with its text wrapped is printed row by row, wrapped between words, so
that no number is ever cut.
"""

from __future__ import annotations

import math
import os
import sys
from typing import Any

from rich.console import Console
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Column, Table
from rich.text import Text

PIPE_WIDTH = 200  # piped output without COLUMNS or --width: wide enough for every summary


def console(width: int | None = None) -> Console:
    """Where the tables go: stdout at `width`, the terminal's, COLUMNS, or PIPE_WIDTH."""
    if width is None and not sys.stdout.isatty() and not os.environ.get("COLUMNS"):
        width = PIPE_WIDTH
    return Console(width=width)


def say(console: Console, text: str) -> None:
    """A line wrapped between words only: a path wider than the console stays whole, to be
    copied (rich folded it across lines)."""
    for line in Text(text, overflow="ignore").wrap(console, console.width):
        console.print(line, soft_wrap=True, highlight=False)


def emit(console: Console, table: Table, keys: int = 0) -> None:
    """The table, or, if laid out with every word and figure whole it is wider than the
    console, each row as a heading followed by an indented paragraph of `header: cell`
    pairs, wrapped between words. The heading is the first cell (a label), or with `keys`
    the first `keys` cells as `header = cell` (a sweep's parameter values, meaningless
    without their names); a row whose first cell is empty stays under the heading above it
    (a group's later rows)."""
    if _lay_out(console, table):
        console.print(table)
        return
    if table.title:
        console.print(Text(str(table.title), style="bold"))
    columns, named = table.columns, max(keys, 1)
    for cells in zip(*(column.cells for column in columns), strict=True):
        pairs = [Text.assemble(f"{column.header}: " if column.header else "", cell)
                 for column, cell in zip(columns[named:], cells[named:], strict=True)
                 if str(cell)]
        if heading := _heading(columns[:keys], cells):  # empty: the row above's group
            console.print(heading, style="bold")
        console.print(Padding(Text("; ").join(pairs), (0, 0, 0, 2), expand=False))


def _heading(keys: list[Column], cells: tuple[Any, ...]) -> Text:
    """A row's first cell, or its key cells each named: `header = cell, ...`."""
    if not keys:
        return Text("") + cells[0]
    return Text(", ").join(Text.assemble(f"{column.header} = ", cell)
                           for column, cell in zip(keys, cells, strict=False))


def _lay_out(console: Console, table: Table) -> bool:
    """Whether the table fits with every word held whole (a no_wrap column's widest cell); if
    so, each column's width is bounded so that it does. rich measures a no_wrap column by its
    longest word and narrows the widest columns first, below their longest words: tables of
    intervals, or the fit's of long series names, seemed to fit and were printed cut. Here
    each column gets its longest word and a share of the room left, as it wants more."""
    options = console.options.update_width(10**6)  # a measure is clipped to its width
    wants = []
    for column in table.columns:
        cells = [*column.cells, *([column.header] if table.show_header else [])]
        sizes = [Measurement.get(console, options, cell) for cell in cells]
        column.min_width = max((m.maximum if column.no_wrap else m.minimum for m in sizes),
                               default=0)
        wants.append(max((m.maximum for m in sizes), default=0) - column.min_width)
    room = console.width - Measurement.get(console, options, table).minimum
    if room < 0:
        return False
    if sum(wants) > room:
        for column, want in zip(table.columns, wants, strict=True):
            column.max_width = column.min_width + room * want // sum(wants)
    return True


SCORECARD_LABELS = {
    "arrivals": "people (present at the start or arrived)",
    "crossings": "crossings",
    "attempts": "attempts",
    "interceptions": "interceptions",
    "people_intercepted": "people intercepted at least once",
    "attempts_per_crossing": "attempts per crossing",
    "mean_attempts_per_crosser": "attempts per person who crossed",
    "max_interceptions_per_person": "most interceptions of one person",
    "deaths": "deaths",
    "injuries": "injuries",
    "detentions": "detentions",
    "transfers": "transfers",
    "exits": "left the coast (asylum in France, moved on, stayed away after a transfer)",
    "peak_present": "peak people present (all sites)",
    "peak_camp": "largest camp",
    "share_displaced": "share of attempts away from the main port",
    "smuggler_revenue": "smuggler revenue (GBP)",
    "smuggled_share": "share of crossings paid to smugglers",
    "grouped_success": "success per attempt, coordinated groups",
    "solo_success": "success per attempt, alone",
    "public_cost": "public cost (GBP)",
    "public_cost_france": "  paid by France",
    "public_cost_uk": "  paid by the UK",
    "public_cost_per_interception": "public cost per interception (GBP)",
    "clearances": "camp clearances",
    "bused": "people bused away in clearances",
    "public_order_incidents": "public-order incidents",
    "road_incidents": "road incidents (drivers not stopping)",
    "relocations": "moves between sites (incl. scattering)",
}


# scorecard figures that are ratios, shares or unit costs; the others are counts of people,
# events or pounds, shown as whole numbers even as an ensemble's mean
RATIOS = {"attempts_per_crossing", "mean_attempts_per_crosser", "share_displaced",
          "smuggled_share", "grouped_success", "solo_success", "public_cost_per_interception"}


def fmt(value: Any, whole: bool = False) -> str:
    """A figure, or `mean [p05, p95]` for an ensemble; `whole`: a count, rounded. A small
    ratio keeps two significant digits (0.0012, not 0.00)."""
    if value is None:
        return "-"
    if isinstance(value, dict) and "mean" in value:
        return (f"{fmt(value['mean'], whole)} [{fmt(value['p05'], whole)}, "
                f"{fmt(value['p95'], whole)}]")
    if isinstance(value, float) and whole and math.isfinite(value):
        return f"{round(value):,}"
    if isinstance(value, float):
        if 0 < abs(value) < 0.1:
            return f"{value:.2g}"
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def counted(n: int, noun: str) -> str:
    """'1 run', '3 runs': a count with its noun."""
    return f"{n:,} {noun}{'s' * (n != 1)}"


def figure_columns(table: Table, *names: str) -> None:
    """Right-aligned columns whose cells are never wrapped: a number is read whole or not
    at all (emit prints the rows one by one when they do not fit)."""
    for name in names:
        table.add_column(name, justify="right", no_wrap=True)


def print_summary(s: dict[str, Any], console: Console) -> None:
    reps = s.get("reps", 1)
    note = f"{reps} replicates, mean [90% interval]" if reps > 1 else f"seed {s['seed']}"
    console.print(Text.assemble((s["scenario"], "bold"), f"  {s['start']} to {s['end']}  ({note})"))

    card = Table(title="Scorecard", title_justify="left", show_header=False)
    card.add_column(style="bold")
    figure_columns(card, "")
    for key, label in SCORECARD_LABELS.items():
        card.add_row(label, fmt(s["scorecard"].get(key), whole=key not in RATIOS))
    emit(console, card)

    sites = Table(title="By site", title_justify="left")
    sites.add_column("site")
    figure_columns(sites, "crossings", "attempts", "peak present")
    for site in s["crossings_by_site"]:
        sites.add_row(site, fmt(s["crossings_by_site"][site], True),
                      fmt(s["attempts_by_site"][site], True),
                      fmt(s["peak_present_by_site"][site], True))
    emit(console, sites)

    for title, column, section in (("Crossings by route", "route", "crossings_by_route"),
                                   ("Crossings by year", "year", "crossings_by_year")):
        table = Table(title=title, title_justify="left")
        table.add_column(column)
        figure_columns(table, "crossings")
        for name, value in s[section].items():
            table.add_row(name, fmt(value, True))
        emit(console, table)


def print_comparison(c: dict[str, Any], console: Console) -> None:
    """Each figure of A and B, the paired effect B - A with its 90% interval, the interval
    unpaired runs would have given, and the variance reduction that pairing bought."""
    a, b = c["a"], c["b"]
    console.print(Text.assemble(
        (b["scenario"], "bold"), " against ", (a["scenario"], "bold"),
        f"  {a['start']} to {a['end']}  ({c['reps']} paired runs, same seeds; "
        "effect ± half its 90% interval)"))
    for section, title, labels in (
        ("scorecard", "Scorecard", SCORECARD_LABELS),
        ("crossings_by_site", "Crossings by site", None),
        ("crossings_by_mode", "Crossings by mode", None),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column("")
        figure_columns(table, "A", "B", "effect B - A", "unpaired", "variance reduction")
        effects = c["effects"].get(section, {})
        for key in labels or effects:
            e = effects.get(key)
            whole = key not in RATIOS
            if e is not None:
                table.add_row((labels or {}).get(key, key), fmt(e["a"], whole),
                              fmt(e["b"], whole),
                              f"{fmt(e['effect'], whole)}{_half(e['ci90'], whole)}",
                              _half(e["unpaired_ci90"], whole).strip() or "-",
                              "-" if e["variance_reduction"] is None
                              else f"{e['variance_reduction']:.1f}x")
        emit(console, table)
    _print_policy(c.get("policy"), console)


def _print_policy(policy: dict[str, Any] | None, console: Console) -> None:
    """The comparison's two ratios, each with its interval or the reason it has none."""
    if not policy:
        return
    table = Table(title=f"Policy figures (main site {policy['main_site']})",
                  title_justify="left")
    table.add_column("")
    figure_columns(table, "estimate")
    table.add_column("90% interval", justify="right")  # or the reason it has none
    table.add_column("ratio of")
    for key, label, digits in (("cost_per_prevented_crossing", "cost per prevented crossing", 0),
                               ("displacement_share", "displacement share", 2)):
        f = policy[key]
        estimate = "-" if f["estimate"] is None else f"{f['estimate']:,.{digits}f}"
        interval = (f"[{f['ci90'][0]:,.{digits}f}, {f['ci90'][1]:,.{digits}f}]"
                    if f["ci90"] else f["reason"] or "-")
        table.add_row(label, estimate, interval, f["denominator"])
    emit(console, table)


def print_sweep(s: dict[str, Any], console: Console) -> None:
    """One row a design point: its values and headline figures (all counts)."""
    note = f"{s['reps']} replicates, mean [90% interval]" if s["reps"] > 1 else "one run a point"
    console.print(Text.assemble((s["scenario"], "bold"), f"  {s['design']} sweep of "
                                f"{len(s['points'])} points ({note})"))
    figures = ("crossings", "interceptions", "deaths", "injuries", "peak_present")
    table = Table()
    figure_columns(table, *s["params"], *figures)
    for point in s["points"]:
        card = point["summary"]["scorecard"]
        table.add_row(*(fmt(v) for v in point["values"].values()),
                      *(fmt(card[f], True) for f in figures))
    emit(console, table, keys=len(s["params"]))


def _half(interval: list[float] | None, whole: bool = False) -> str:
    return "" if interval is None else f" ± {fmt((interval[1] - interval[0]) / 2, whole)}"
