"""The report's figures as PNGs with matplotlib, for papers and slides: the same
descriptions as the page, one file per figure, named after its title."""

from __future__ import annotations

import math
import re
from pathlib import Path

from .figures import Band, Chart, Forest, Histogram, Map, Section, Table
from .style import LAND, OBSERVED, SEA, colour, route_colour


def write(sections: list[Section], folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")  # no display; nothing but files
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fig in (f for s in sections for f in s.figures if not isinstance(f, Table)):
        draw = {Chart: _chart, Forest: _forest, Histogram: _histogram, Map: _map}[type(fig)]
        figure = draw(plt, fig)
        path = folder / f"{len(written) + 1:02d}-{_slug(fig.title)}.png"
        figure.savefig(path, dpi=110, bbox_inches="tight")
        plt.close(figure)
        written.append(path)
    return written


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]


def _band(ax, b: Band, c: str) -> None:
    if len(b.x) == 1:  # a band needs two points: one is a marker with its 90% whiskers
        reach = b.whiskers()
        ax.errorbar(b.x, b.mid, yerr=list(reach) if reach else None, fmt="D" if b.dash else "o",
                    color=c, capsize=4, mfc="none" if b.dash else c, label=b.name)
        return
    for lo, hi, alpha in ((b.lo90, b.hi90, 0.12), (b.lo50, b.hi50, 0.25)):
        if lo is not None and hi is not None:
            ax.fill_between(b.x, lo, hi, color=c, alpha=alpha, linewidth=0)
    ax.plot(b.x, b.mid, color=c, linewidth=1.6, linestyle="--" if b.dash else "-",
            label=b.name)


def _chart(plt, ch: Chart):
    fig, ax = plt.subplots(figsize=(9, 4))
    names = list(dict.fromkeys(b.name.split(": ")[-1] for b in ch.bands))
    for b in ch.bands:
        _band(ax, b, colour(names.index(b.name.split(": ")[-1])))
    for o in ch.observed:
        ax.scatter(o.dates, o.values, marker="x", color=OBSERVED, label=o.name, zorder=5)
    ax.set_title(ch.title)
    ax.set_ylabel(ch.ylabel)
    ax.set_xlabel(ch.xlabel)
    if span := ch.x_range():
        ax.set_xlim(*span)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=3, loc="best")
    fig.autofmt_xdate()
    return fig


def _forest(plt, f: Forest):
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.6 + 0.28 * len(f.labels))))
    y = list(range(len(f.labels)))
    lo = [m - (v if v is not None else m) for m, v in zip(f.effect, f.lo, strict=True)]
    hi = [(v if v is not None else m) - m for m, v in zip(f.effect, f.hi, strict=True)]
    ax.errorbar(f.effect, y, xerr=[lo, hi], fmt="o", color=colour(0), capsize=3)
    ax.axvline(0, color="#888", linewidth=1)
    ax.set_yticks(y, f.labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(f.xlabel)
    ax.set_title(f.title)
    ax.grid(axis="x", alpha=0.3)
    return fig


def _histogram(plt, h: Histogram):
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.bar(h.edges[:-1], h.heights, width=h.edges[1:] - h.edges[:-1], align="edge",
           color=colour(0), edgecolor="white", linewidth=0.5)
    for x in h.span or ():
        ax.axvline(x, color="#555", linewidth=1, linestyle="--")
    ax.set_title(h.title)
    ax.set_xlabel(h.xlabel)
    ax.set_ylabel("weight")
    ax.grid(axis="y", alpha=0.3)
    return fig


def _map(plt, m: Map):
    west, east, south, north = m.box
    fig, ax = plt.subplots(figsize=(9, 6.5))
    ax.set_facecolor(SEA)
    for ring in m.coast:
        ax.fill(ring[:, 0], ring[:, 1], color=LAND, edgecolor="#8a8370", linewidth=0.6)
    top = max([r.crossings for r in m.routes] + [1.0])
    for r in m.routes:
        ax.plot([r.lon0, r.lon1], [r.lat0, r.lat1], color=route_colour(r.mode, r.site),
                linewidth=0.8 + 8 * r.crossings / top, alpha=0.8,
                label=f"{r.name}: {r.crossings:,.0f}")
    most = max([s.people for s in m.sites] + [1.0])
    for s in m.sites:
        ax.scatter([s.lon], [s.lat], s=30 + 900 * s.people / most, color="#333",
                   alpha=0.55, edgecolor="k", zorder=5)
        side = math.sqrt(30 + 900 * s.people / most) / 2 + 3  # points beyond the circle
        xy, ha = {"left": ((-side, 0), "right"), "right": ((side, 0), "left")}.get(
            s.label, ((0, -16), "center"))
        ax.annotate(s.name, (s.lon, s.lat), textcoords="offset points", xytext=xy, ha=ha,
                    va="center" if s.label != "below" else "baseline", fontsize=8, zorder=6,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "alpha": 0.7, "lw": 0})
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.set_title(m.title, fontsize=9)
    ax.legend(fontsize=7, loc="upper left", title="crossings by route")
    return fig
