"""The report as one HTML file that opens offline: plotly.js from the installed plotly
package is embedded once, every figure is a div drawn by it, and nothing else is loaded."""

from __future__ import annotations

import html as _html
import math
from pathlib import Path

import numpy as np

from .. import __version__
from .figures import Band, Chart, Figure, Forest, Histogram, Map, Section, Table
from .load import Experiment
from .style import LAND, OBSERVED, SEA, colour, rgba, route_colour

CONFIG = {"displaylogo": False, "responsive": True,
          "toImageButtonOptions": {"format": "png"}}
CSS = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1em;
       color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ddd; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; }
.note { color: #555; font-size: 0.85em; margin: 0 0 1.5em; }
nav a { margin-right: 1em; }
"""


def write(exp: Experiment, sections: list[Section], out: Path) -> None:
    import plotly.offline

    name = " vs ".join(dict.fromkeys(exp.label(h) for h in exp.hashes[:2]))
    body = [f"<h1>channelsim report: {_e(name)} ({_e(exp.kind)})</h1>",
            f"<p class='note'>{_e(str(exp.folder))}; {_e(_seeds(exp))}; "
            f"channelsim {_e(exp.version)}; report by channelsim {_e(__version__)}</p>",
            "<nav>" + "".join(f"<a href='#s{i}'>{_e(s.title)}</a>"
                              for i, s in enumerate(sections)) + "</nav>"]
    for i, section in enumerate(sections):
        body.append(f"<h2 id='s{i}'>{_e(section.title)}</h2>")
        body += [render(fig) for fig in section.figures]
    page = ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>channelsim report: {_e(name)}</title>"
            f"<style>{CSS}</style>"
            f"<script type='text/javascript'>{plotly.offline.get_plotlyjs()}</script>"
            "</head><body>\n" + "\n".join(body) + "\n</body></html>\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")


def render(fig: Figure) -> str:
    if isinstance(fig, Table):
        return _table(fig)
    plot = {Chart: _chart, Forest: _forest, Histogram: _histogram, Map: _map}[type(fig)](fig)
    div = plot.to_html(full_html=False, include_plotlyjs=False, config=CONFIG)
    note = f"<p class='note'>{_e(fig.note)}</p>" if fig.note else ""
    return div + note


def _e(text: str) -> str:
    return _html.escape(str(text))


def _seeds(exp: Experiment) -> str:
    from .figures import _seed_text

    return ("seed " if len(exp.seeds) == 1 else "seeds ") + _seed_text(exp.seeds)


def _table(t: Table) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in t.header)
    rows = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>"
                   for row in t.rows)
    note = f"<p class='note'>{_e(t.note)}</p>" if t.note else ""
    return (f"<h3>{_e(t.title)}</h3><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>{note}")


def _layout(title: str, **more):
    return {"title": {"text": title}, "template": "plotly_white", "height": 420,
            "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
            "legend": {"orientation": "h", "y": -0.15}} | more


def _band_traces(go, b: Band, c: str) -> list:
    if len(b.x) == 1:  # a band needs two points: one is a marker with its 90% whiskers
        whiskers = None
        if reach := b.whiskers():
            whiskers = {"type": "data", "symmetric": False, "color": c,
                        "arrayminus": reach[0], "array": reach[1]}
        return [go.Scatter(x=b.x, y=b.mid, mode="markers", name=b.name, error_y=whiskers,
                           marker={"color": c, "size": 9,
                                   "symbol": "diamond-open" if b.dash else "circle"})]
    traces = []
    group = b.name
    for lo, hi, alpha in ((b.lo90, b.hi90, 0.12), (b.lo50, b.hi50, 0.25)):
        if lo is None or hi is None:
            continue
        traces.append(go.Scatter(x=b.x, y=lo, mode="lines", line={"width": 0},
                                 legendgroup=group, showlegend=False, hoverinfo="skip"))
        traces.append(go.Scatter(x=b.x, y=hi, mode="lines", line={"width": 0},
                                 fill="tonexty", fillcolor=rgba(c, alpha), legendgroup=group,
                                 showlegend=False, hoverinfo="skip"))
    traces.append(go.Scatter(x=b.x, y=b.mid, mode="lines", name=b.name, legendgroup=group,
                             line={"color": c, "width": 2, "dash": "dash" if b.dash else None}))
    return traces


def _chart(ch: Chart):
    import plotly.graph_objects as go

    xaxis = {"title": ch.xlabel}
    if span := ch.x_range():
        xaxis["range"] = list(span)
    fig = go.Figure(layout=_layout(ch.title, yaxis={"title": ch.ylabel}, xaxis=xaxis))
    names = list(dict.fromkeys(b.name.split(": ")[-1] for b in ch.bands))
    for b in ch.bands:
        for t in _band_traces(go, b, colour(names.index(b.name.split(": ")[-1]))):
            fig.add_trace(t)
    for o in ch.observed:
        fig.add_trace(go.Scatter(x=o.dates, y=o.values, mode="markers", name=o.name,
                                 text=o.ids, marker={"color": OBSERVED, "symbol": "x",
                                                     "size": 8}))
    return fig


def _forest(f: Forest):
    import plotly.graph_objects as go

    plus = [None if h is None else h - m for m, h in zip(f.effect, f.hi, strict=True)]
    minus = [None if lo is None else m - lo for m, lo in zip(f.effect, f.lo, strict=True)]
    fig = go.Figure(layout=_layout(f.title, xaxis={"title": f.xlabel, "zeroline": True},
                                   yaxis={"autorange": "reversed"},
                                   height=max(250, 40 + 22 * len(f.labels))))
    fig.add_trace(go.Scatter(x=f.effect, y=f.labels, mode="markers", name="effect",
                             marker={"color": colour(0), "size": 8},
                             error_x={"type": "data", "symmetric": False,
                                      "array": [v or 0 for v in plus],
                                      "arrayminus": [v or 0 for v in minus]}))
    fig.add_vline(x=0, line={"color": "#888", "width": 1})
    return fig


def _histogram(h: Histogram):
    import plotly.graph_objects as go

    pad = 0.03 * (h.edges[-1] - h.edges[0])  # the prior's range clear of the axes
    fig = go.Figure(layout=_layout(h.title, height=320, showlegend=False, bargap=0.02,
                                   xaxis={"title": h.xlabel,
                                          "range": [h.edges[0] - pad, h.edges[-1] + pad]},
                                   yaxis={"title": "weight"}))
    fig.add_trace(go.Bar(x=(h.edges[:-1] + h.edges[1:]) / 2, y=h.heights,
                         width=np.diff(h.edges), marker={"color": colour(0)}, name=h.title))
    for x in h.span or ():
        fig.add_vline(x=x, line={"color": "#555", "width": 1, "dash": "dash"})
    return fig


LABELS = {"left": "bottom left", "right": "middle right"}  # below-left: off the routes' lines


def _map(m: Map):
    import plotly.graph_objects as go

    west, east, south, north = m.box
    aspect = 1 / math.cos(math.radians((south + north) / 2))
    fig = go.Figure(layout=_layout(
        m.title, height=560, plot_bgcolor=SEA, showlegend=True,
        xaxis={"range": [west, east], "title": "longitude", "showgrid": False,
               "zeroline": False, "constrain": "domain"},  # narrower, not past the coast drawn
        yaxis={"range": [south, north], "title": "latitude", "showgrid": False,
               "zeroline": False,
               "scaleanchor": "x", "scaleratio": aspect}))
    xs, ys = [], []
    for ring in m.coast:
        xs += [*ring[:, 0], None]
        ys += [*ring[:, 1], None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=LAND,
                             line={"color": "#8a8370", "width": 1}, name="coast",
                             hoverinfo="skip", showlegend=False))
    top = max([r.crossings for r in m.routes] + [1.0])
    for i, r in enumerate(m.routes):
        bend = 0.06 * ((i % 3) - 1)
        mx, my = (r.lon0 + r.lon1) / 2 + bend, (r.lat0 + r.lat1) / 2 + bend
        fig.add_trace(go.Scatter(
            x=[r.lon0, mx, r.lon1], y=[r.lat0, my, r.lat1], mode="lines",
            line={"color": route_colour(r.mode, r.site), "shape": "spline",
                  "width": 1 + 11 * r.crossings / top},
            name=f"{r.name}: {r.crossings:,.0f} crossings", hoverinfo="name"))
    most = max([s.people for s in m.sites] + [1.0])
    fig.add_trace(go.Scatter(
        x=[s.lon for s in m.sites], y=[s.lat for s in m.sites], mode="markers+text",
        text=[s.name for s in m.sites],
        textposition=[LABELS.get(s.label, "bottom center") for s in m.sites],
        customdata=[round(s.people) for s in m.sites],
        hovertemplate="%{text}: %{customdata} people present (mean)<extra></extra>",
        marker={"size": [8 + 40 * math.sqrt(s.people / most) for s in m.sites],
                "color": rgba("#333333", 0.55), "line": {"color": "#000", "width": 1}},
        name="sites (size: people present)", cliponaxis=False))  # a name may pass the box
    return fig
