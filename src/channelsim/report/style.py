"""Colours shared by the page and the PNGs, so a site has one colour in both."""

from __future__ import annotations

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
LAND, SEA, OBSERVED = "#e8e4d8", "#dceaf5", "#000000"
MODE_COLOURS = {"lorry_ferry": "#1f77b4", "lorry_tunnel": "#9467bd", "small_boat": "#d62728"}


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def route_colour(mode: str, site: int) -> str:
    """The mode's colour, darker for each further site: two sites' boats stay apart in a
    legend, and a dashed line as thick as a busy route's would break into blocks."""
    f = 0.6 ** (site % 3)
    return "#" + "".join(f"{round(c * f):02x}" for c in _rgb(MODE_COLOURS.get(mode, "#555555")))


def rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = _rgb(hex_colour)
    return f"rgba({r},{g},{b},{alpha})"


def _rgb(hex_colour: str) -> tuple[int, ...]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
