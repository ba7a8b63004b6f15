"""The summary as tables in the terminal (the same figures as `--json`)."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table

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
    "exits": "left the coast (asylum in France, moved on)",
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
    """A figure, or `mean [p05, p95]` for an ensemble; `whole`: a count, rounded."""
    if value is None:
        return "-"
    if isinstance(value, dict) and "mean" in value:
        return (f"{fmt(value['mean'], whole)} [{fmt(value['p05'], whole)}, "
                f"{fmt(value['p95'], whole)}]")
    if isinstance(value, float) and whole and math.isfinite(value):
        return f"{round(value):,}"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_summary(s: dict[str, Any], console: Console) -> None:
    reps = s.get("reps", 1)
    note = f"{reps} replicates, mean [90% interval]" if reps > 1 else f"seed {s['seed']}"
    console.print(f"[bold]{s['scenario']}[/]  {s['start']} to {s['end']}  ({note})")

    card = Table(title="Scorecard", title_justify="left", show_header=False)
    card.add_column(style="bold")
    card.add_column(justify="right")
    for key, label in SCORECARD_LABELS.items():
        card.add_row(label, fmt(s["scorecard"].get(key), whole=key not in RATIOS))
    console.print(card)

    sites = Table(title="By site", title_justify="left")
    for col in ("site", "crossings", "attempts", "peak present"):
        sites.add_column(col, justify="left" if col == "site" else "right")
    for site in s["crossings_by_site"]:
        sites.add_row(site, fmt(s["crossings_by_site"][site], True),
                      fmt(s["attempts_by_site"][site], True),
                      fmt(s["peak_present_by_site"][site], True))
    console.print(sites)

    routes = Table(title="Crossings by route", title_justify="left")
    routes.add_column("route")
    routes.add_column("crossings", justify="right")
    for route, value in s["crossings_by_route"].items():
        routes.add_row(route, fmt(value, True))
    console.print(routes)

    years = Table(title="Crossings by year", title_justify="left")
    years.add_column("year")
    years.add_column("crossings", justify="right")
    for year, value in s["crossings_by_year"].items():
        years.add_row(year, fmt(value, True))
    console.print(years)


def print_comparison(c: dict[str, Any], console: Console) -> None:
    """Each figure of A and B, the paired effect B - A with its 90% interval, the interval
    unpaired runs would have given, and the variance reduction that pairing bought."""
    a, b = c["a"], c["b"]
    console.print(f"[bold]{b['scenario']}[/] against [bold]{a['scenario']}[/]  "
                  f"{a['start']} to {a['end']}  ({c['reps']} paired runs, same seeds; "
                  "effect ± half its 90% interval)")
    for section, title, labels in (
        ("scorecard", "Scorecard", SCORECARD_LABELS),
        ("crossings_by_site", "Crossings by site", None),
        ("crossings_by_mode", "Crossings by mode", None),
    ):
        table = Table(title=title, title_justify="left")
        for col in ("", "A", "B", "effect B - A", "unpaired", "variance reduction"):
            table.add_column(col, justify="right" if col else "left")
        effects = c["effects"].get(section, {})
        for key in labels or effects:
            e = effects.get(key)
            if e is not None:
                table.add_row((labels or {}).get(key, key), fmt(e["a"]), fmt(e["b"]),
                              f"{fmt(e['effect'])}{_half(e['ci90'])}",
                              _half(e["unpaired_ci90"]).strip() or "-",
                              "-" if e["variance_reduction"] is None
                              else f"{e['variance_reduction']:.1f}x")
        console.print(table)
    _print_policy(c.get("policy"), console)


def _print_policy(policy: dict[str, Any] | None, console: Console) -> None:
    """The comparison's two ratios, each with its interval or the reason it has none."""
    if not policy:
        return
    table = Table(title=f"Policy figures (main site {policy['main_site']})",
                  title_justify="left")
    for col in ("", "estimate", "90% interval", "ratio of"):
        table.add_column(col, justify="left" if col in ("", "ratio of") else "right")
    for key, label, digits in (("cost_per_prevented_crossing", "cost per prevented crossing", 0),
                               ("displacement_share", "displacement share", 2)):
        f = policy[key]
        estimate = "-" if f["estimate"] is None else f"{f['estimate']:,.{digits}f}"
        interval = (f"[{f['ci90'][0]:,.{digits}f}, {f['ci90'][1]:,.{digits}f}]"
                    if f["ci90"] else f["reason"] or "-")
        table.add_row(label, estimate, interval, f["denominator"])
    console.print(table)


def print_sweep(s: dict[str, Any], console: Console) -> None:
    """One row a design point: its values and headline figures."""
    note = f"{s['reps']} replicates, mean [90% interval]" if s["reps"] > 1 else "one run a point"
    console.print(f"[bold]{s['scenario']}[/]  {s['design']} sweep of {len(s['points'])} points "
                  f"({note})")
    figures = ("crossings", "interceptions", "deaths", "injuries", "peak_present")
    table = Table()
    for col in (*s["params"], *figures):
        table.add_column(col, justify="right", overflow="fold")
    for point in s["points"]:
        card = point["summary"]["scorecard"]
        table.add_row(*(fmt(v) for v in point["values"].values()),
                      *(fmt(card[f]) for f in figures))
    console.print(table)


def _half(interval: list[float] | None) -> str:
    return "" if interval is None else f" ± {fmt((interval[1] - interval[0]) / 2)}"


def print_provenance(name: str, description: str, rows, console: Console) -> None:
    """Each number of a scenario with where it comes from: evidence rows or an assumption."""
    from .provenance import evidence

    table = Table(title=f"{name}: {description}", title_justify="left", show_lines=False)
    for col in ("key", "value", "source"):
        table.add_column(col, overflow="fold")
    facts = evidence()
    for row in rows:
        value = row.value
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {fmt(v)}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(fmt(v) for v in value)
        if row.assumption:
            source = f"[italic]{'prior' if row.prior else 'assumption'}[/]: {row.note}"
        elif row.ids:
            cited = "; ".join(
                f"{i} ({facts[i]['quantity']}, {facts[i]['place']}, {facts[i]['period']}: "
                f"{facts[i]['value']})" if i in facts else f"{i} (not in the evidence table)"
                for i in row.ids)
            source = cited + (f" - {row.note}" if row.note else "")
        else:
            source = "[red]no source[/]"
        table.add_row(row.key, str(fmt(value)), source)
    console.print(table, markup=True)
