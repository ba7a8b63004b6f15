"""The summary as tables in the terminal (the same figures as `--json`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

SCORECARD_LABELS = {
    "arrivals": "people arrived",
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
}


def fmt(value: Any) -> str:
    """A figure, or `mean [p05, p95]` for an ensemble."""
    if value is None:
        return "-"
    if isinstance(value, dict) and "mean" in value:
        return f"{fmt(value['mean'])} [{fmt(value['p05'])}, {fmt(value['p95'])}]"
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
        card.add_row(label, fmt(s["scorecard"].get(key)))
    console.print(card)

    sites = Table(title="By site", title_justify="left")
    for col in ("site", "crossings", "attempts", "peak present"):
        sites.add_column(col, justify="left" if col == "site" else "right")
    for site in s["crossings_by_site"]:
        sites.add_row(site, fmt(s["crossings_by_site"][site]), fmt(s["attempts_by_site"][site]),
                      fmt(s["peak_present_by_site"][site]))
    console.print(sites)

    routes = Table(title="Crossings by route", title_justify="left")
    routes.add_column("route")
    routes.add_column("crossings", justify="right")
    for route, value in s["crossings_by_route"].items():
        routes.add_row(route, fmt(value))
    console.print(routes)

    years = Table(title="Crossings by year", title_justify="left")
    years.add_column("year")
    years.add_column("crossings", justify="right")
    for year, value in s["crossings_by_year"].items():
        years.add_row(year, fmt(value))
    console.print(years)
