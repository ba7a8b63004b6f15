"""Every figure of a report as a plain description (what to draw, not how), by section.

Intervals across replicates are percentiles of the runs: 50% (25th-75th) and 90% (5th-95th);
a comparison's are paired 90% confidence intervals for the mean effect. What they include is
the experiment's own word (its summary's `uncertainty`): chance only when every replicate has
the same parameters, chance and parameters when replicate i ran posterior draw i.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import provenance
from ..report_text import RATIOS, SCORECARD_LABELS
from . import coast, observed
from .load import Experiment, ReportError

QUANTILES = (5, 25, 50, 75, 95)
CHANCE = "{what}: {n} replicates on seeds {seeds}{fixed}"
PAIRED = "{what}: paired 90% CI over {n} common seeds"
RESPONSES = ("crossings", "deaths", "interceptions", "peak_present", "attempts_per_crossing",
             "public_cost")


@dataclass
class Band:
    name: str
    x: list[Any]
    mid: np.ndarray
    lo50: np.ndarray | None = None
    hi50: np.ndarray | None = None
    lo90: np.ndarray | None = None
    hi90: np.ndarray | None = None
    dash: bool = False

    def whiskers(self) -> tuple[np.ndarray, np.ndarray] | None:
        """How far the 90% band reaches below and above the middle (for a band on one date,
        drawn as a marker with whiskers), or None without one."""
        if self.lo90 is None or self.hi90 is None:
            return None
        return self.mid - self.lo90, self.hi90 - self.mid


@dataclass
class Chart:
    title: str
    ylabel: str
    bands: list[Band]
    observed: list[observed.Observed] = field(default_factory=list)
    xlabel: str = ""
    note: str = ""

    def x_range(self) -> tuple[Any, Any] | None:
        """200 days either side when every trace is on one date (a yearly figure), which
        the plotting libraries would otherwise zoom to a millisecond."""
        dates = {x for b in self.bands for x in b.x} | {x for o in self.observed for x in o.dates}
        if len(dates) != 1 or not isinstance(next(iter(dates)), pd.Timestamp):
            return None
        (one,) = dates
        return one - pd.Timedelta(days=200), one + pd.Timedelta(days=200)


@dataclass
class Forest:
    title: str
    xlabel: str
    labels: list[str]
    effect: list[float]
    lo: list[float | None]
    hi: list[float | None]
    note: str = ""


@dataclass
class Site:
    name: str
    lon: float
    lat: float
    people: float
    label: str = "below"  # or "left", "right": away from a neighbour its name would cover


@dataclass
class Route:
    name: str
    mode: str
    lon0: float
    lat0: float
    lon1: float
    lat1: float
    crossings: float
    site: int = 0  # its site's place in the map's list: routes of one mode differ by shade


@dataclass
class Map:
    title: str
    coast: list[np.ndarray]
    box: tuple[float, float, float, float]
    sites: list[Site]
    routes: list[Route]
    note: str = ""


@dataclass
class Histogram:
    """Weighted particles of one parameter in bins over its prior's range."""

    title: str
    xlabel: str
    edges: np.ndarray
    heights: np.ndarray  # the weight in each bin
    span: tuple[float, float] | None = None  # the prior's range, on the same scale
    note: str = ""


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""


Figure = Chart | Forest | Map | Histogram | Table


@dataclass
class Section:
    title: str
    figures: list[Figure]


def sections(exp: Experiment, period: str | None = None) -> list[Section]:
    if exp.kind == "fit":  # target series and scores, no daily tables
        from . import fit

        return fit.sections(exp)
    if exp.kind == "forecast":  # bands by mode and month, the months observed laid over
        from . import forecast

        return forecast.sections(exp)
    if exp.kind == "calibration":  # the posterior, its generations and (if run) its fit
        from . import calibration

        return calibration.sections(exp)
    if exp.kind == "sensitivity":  # many scenarios, one per design row: no series or map
        from . import sensitivity

        return [Section("Sensitivity", sensitivity.figures(exp)),
                Section("Provenance and reproduction", _provenance(exp))]
    start, end = _period(exp, period)
    out = [Section("Scorecard", _scorecard(exp))]
    if exp.kind == "comparison":
        out.append(Section("Effects of B against A", _forests(exp)))
    if exp.kind == "sweep":
        out.append(Section("Response curves", _responses(exp)))
    else:
        out.append(Section("Series by site and route", _series(exp)))
        out.append(Section("Map of the Channel",
                           [_map(exp, h, start, end) for h in exp.hashes]))
    out.append(Section("Provenance and reproduction", _provenance(exp)))
    return out


# ------------------------------------------------------------------ numbers as text


def fmt(value: Any, whole: bool = False) -> str:
    """A figure as text; `whole`: a count (people, events, pounds), even as a mean, rounded."""
    if value is None:
        return "n/a"
    if whole and np.isfinite(value):
        return f"{round(value):,}"
    if isinstance(value, float) and not value.is_integer() or abs(value) < 10:
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{value:,.0f}"


def _interval(lo: float | None, hi: float | None, whole: bool = False) -> str:
    return "n/a" if lo is None or hi is None else f"{fmt(lo, whole)} to {fmt(hi, whole)}"


def _includes(summary: dict[str, Any]) -> str:
    """What an experiment's intervals include, as its command said."""
    return summary.get("uncertainty", "chance only")


def _replicates(summary: dict[str, Any], seeds: list[int]) -> str:
    what = _includes(summary)
    return CHANCE.format(what=what, n=len(seeds), seeds=_seed_text(seeds),
                         fixed=", parameters fixed" if what == "chance only" else "")


def label(key: str) -> str:
    """A scorecard figure's name as the command line prints it, with its unit (the explorer's
    table too)."""
    return SCORECARD_LABELS.get(key, key.replace("_", " ")).strip()


# ------------------------------------------------------------------ scorecard


def _scorecard(exp: Experiment) -> list[Figure]:
    s = exp.summary
    includes = _replicates(s, exp.seeds)
    if exp.kind == "run":
        rows = [[label(k), fmt(v, k not in RATIOS), "n/a",
                 "nothing: one run (give --reps for chance)"] for k, v in s["scorecard"].items()]
        sites = [[sid] + [fmt(s[sec][sid], True) for sec in
                          ("peak_present_by_site", "crossings_by_site", "attempts_by_site")]
                 for sid in s["crossings_by_site"]]
        return [Table("Scorecard", ["figure", "value", "90% interval", "interval includes"],
                      rows),
                Table("Scorecard by site", ["site", "peak present", "crossings", "attempts"],
                      sites)]
    if exp.kind == "replicates":
        rows = [[label(k), fmt(v["mean"], k not in RATIOS),
                 _interval(v["p05"], v["p95"], k not in RATIOS), includes]
                if isinstance(v, dict) else [label(k), "n/a", "n/a", includes]
                for k, v in s["scorecard"].items()]
        sites = [[sid] + [_mean_range(s[sec][sid]) for sec in
                          ("peak_present_by_site", "crossings_by_site", "attempts_by_site")]
                 for sid in s["crossings_by_site"]]
        return [Table("Scorecard", ["figure", "mean", "90% interval", "interval includes"],
                      rows, note="90% interval: 5th to 95th percentile of the replicates"),
                Table("Scorecard by site", ["site", "peak present", "crossings", "attempts"],
                      sites, note="mean (5th to 95th percentile of the replicates)")]
    if exp.kind == "comparison":
        paired = PAIRED.format(what=_includes(s), n=s["reps"])
        rows = [[label(k), fmt(e["a"], k not in RATIOS), fmt(e["b"], k not in RATIOS),
                 fmt(e["effect"], k not in RATIOS),
                 _interval(*(e["ci90"] or (None, None)), k not in RATIOS), paired]
                for k, e in s["effects"]["scorecard"].items() if e]
        eff = s["effects"]
        sites = [[sid] + [_effect_text(eff[sec].get(sid)) for sec in
                          ("peak_present_by_site", "crossings_by_site", "attempts_by_site")]
                 for sid in eff["crossings_by_site"]]
        return [Table("Scorecard: B against A",
                      ["figure", "A (mean)", "B (mean)", "effect B - A", "90% CI",
                       "interval includes"], rows),
                Table("Scorecard by site: effect B - A",
                      ["site", "peak present", "crossings", "attempts"], sites,
                      note="paired effect [90% CI]")]
    header = [*s["params"], "crossings", "deaths", "peak present"]
    rows = [[fmt(p["values"][k]) for k in s["params"]]
            + [_mean_range(p["summary"]["scorecard"][f])
               for f in ("crossings", "deaths", "peak_present")] for p in s["points"]]
    return [Table("Sweep points", header, rows,
                  note=f"mean (5th to 95th percentile); {includes}")]


def _mean_range(v: Any) -> str:
    """A count's mean (5th to 95th percentile), or the count."""
    if isinstance(v, dict):
        return f"{fmt(v['mean'], True)} ({_interval(v['p05'], v['p95'], True)})"
    return fmt(v, True)


def _effect_text(e: dict[str, Any] | None) -> str:
    if not e:
        return "n/a"
    ci = e.get("ci90")
    return fmt(e["effect"], True) + (f" [{_interval(*ci, True)}]" if ci else "")


def _seed_text(seeds: list[int]) -> str:
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"{seeds[0]}-{seeds[-1]}"
    return ", ".join(map(str, seeds))


# ------------------------------------------------------------------ series


def _bands(df: pd.DataFrame, by: str, col: str, monthly: bool, how: str = "sum",
           prefix: str = "", dash: bool = False) -> list[Band]:
    out = []
    for group, part in df.groupby(by, sort=False):
        wide = part.pivot_table(index="date", columns="seed", values=col, aggfunc=how)
        if monthly:
            wide = wide.resample("MS").agg(how)
        values = wide.to_numpy(dtype=float)
        if np.isnan(values).all():
            continue
        x = list(wide.index)
        if values.shape[1] == 1:
            out.append(Band(f"{prefix}{group}", x, values[:, 0], dash=dash))
            continue
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                q = np.nanpercentile(values, QUANTILES, axis=1)
        out.append(Band(f"{prefix}{group}", x, q[2], q[1], q[3], q[0], q[4], dash=dash))
    return out


SERIES = [  # title, table, by, column, monthly, how, unit
    ("People present by site (daily)", "sites", "site", "waiting", False, "sum", "people"),
    ("Crossings by route (monthly)", "routes", "route", "crossings", True, "sum", "people"),
    ("Crossings by mode (monthly)", "routes", "mode", "crossings", True, "sum", "people"),
    ("Attempts by site (monthly)", "sites", "site", "attempts", True, "sum", "attempts"),
    ("Interceptions by site (monthly)", "sites", "site", "interceptions", True, "sum",
     "interceptions"),
    ("Deaths by site (monthly)", "sites", "site", "deaths", True, "sum", "deaths"),
    ("Smugglers' price by route (monthly mean)", "routes", "route", "price", True, "mean",
     "GBP"),
]


def _series(exp: Experiment) -> list[Figure]:
    charts = []
    start, end = exp.sites["date"].min(), exp.sites["date"].max()
    note = (f"line: median of the replicates; shaded: 50% and 90% of them "
            f"({_includes(exp.summary)})"
            if len(exp.seeds) > 1 else "one run: no bands")
    for title, table, by, col, monthly, how, unit in SERIES:
        df = exp.sites if table == "sites" else exp.routes
        bands = []
        for i, h in enumerate(exp.hashes):
            prefix = f"{exp.label(h).split(':')[0]}: " if exp.kind == "comparison" else ""
            bands += _bands(exp.of(h, df), by, col, monthly, how, prefix, dash=i > 0)
        if not bands:
            continue
        obs = []
        if col == "waiting":
            obs = [o for sid in df["site"].unique()
                   if (o := observed.present(sid, start, end)) is not None]
        elif title.startswith("Crossings by mode"):
            obs = [o for o in [observed.small_boats(start, end)] if o is not None]
        charts.append(Chart(title, unit, bands, obs, note=note))
    return charts


# ------------------------------------------------------------------ map


def _period(exp: Experiment, period: str | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    first, last = exp.sites["date"].min(), exp.sites["date"].max()
    if not period:
        return first, last
    a, sep, b = period.partition(":")
    try:
        start = pd.Timestamp(a) if a else first
        end = pd.Timestamp(b) if b else last
    except ValueError:
        raise ReportError(f"--period '{period}': give START:END as dates, "
                          "e.g. 2016-01-01:2016-12-31") from None
    if not sep or start > end or end < first or start > last:
        raise ReportError(f"--period '{period}': give START:END within the run, "
                          f"{first.date()} to {last.date()}")
    return start, end


NEIGHBOUR = 0.8  # degrees of longitude: closer sites' names, set below them, would overlap


def place_labels(sites: list[Site]) -> None:
    """A site with neighbours close by on one side (Calais and Dunkirk are 0.5 degrees
    apart) has its name set on the other; one between neighbours keeps it below, for a name
    set towards either would lie over that neighbour's."""
    for s in sites:
        near = [o for o in sites if o is not s and abs(o.lon - s.lon) < NEIGHBOUR
                and abs(o.lat - s.lat) < NEIGHBOUR / 2]
        east, west = any(o.lon >= s.lon for o in near), any(o.lon < s.lon for o in near)
        if east != west:
            s.label = "left" if east else "right"


def _map(exp: Experiment, h: str, start: pd.Timestamp, end: pd.Timestamp) -> Map:
    d = exp.definitions.get(h)
    if d is None:
        raise ReportError(f"the store holds no definition of scenario {h}")
    sites_df, routes_df = (df[(df["date"] >= start) & (df["date"] <= end)]
                           for df in (exp.of(h, exp.sites), exp.of(h, exp.routes)))
    people = sites_df.groupby(["site", "seed"])["waiting"].mean().groupby("site").mean()
    crossed = routes_df.groupby(["route", "seed"])["crossings"].sum().groupby("route").mean()
    sites = [Site(v["name"], v["lon"], v["lat"], float(people.get(sid, 0.0)))
             for sid, v in d["sites"].items()]
    place_labels(sites)
    order = list(d["sites"])
    routes = []
    for rid, r in d["routes"].items():
        s = d["sites"][r["site"]]
        _, x, y = coast.landing(r["mode"], s["lon"], s["lat"])
        routes.append(Route(rid, r["mode"], s["lon"], s["lat"], x, y,
                            float(crossed.get(rid, 0.0)), order.index(r["site"])))
    b = coast.box([s.lon for s in sites], [s.lat for s in sites])
    return Map(f"Map: people present and crossings, {start.date()} to {end.date()} "
               f"({exp.label(h)})", coast.land(*b), b, sites, routes,
               note="circles: mean people present; lines: crossings by route (mean of the "
                    "replicates), a ferry's to the port it sails to, the tunnel's and boats' "
                    "to the nearest landing (schematic)")


# ------------------------------------------------------------------ comparison


def _forests(exp: Experiment) -> list[Figure]:
    eff, n = exp.summary["effects"], exp.summary["reps"]
    paired = PAIRED.format(what=_includes(exp.summary), n=n)
    labels, mid, lo, hi = [], [], [], []
    for key, e in eff["scorecard"].items():
        if not e or not e["a"]:
            continue
        scale = 100 / abs(e["a"])
        ci = e["ci90"] or (None, None)
        labels.append(label(key))
        mid.append(e["effect"] * scale)
        lo.append(None if ci[0] is None else ci[0] * scale)
        hi.append(None if ci[1] is None else ci[1] * scale)
    out: list[Figure] = [Forest("Paired effects of B against A (% of A)", "effect, % of A",
                                labels, mid, lo, hi, note=paired)]
    for section, what in (("attempts_by_site", "attempts"), ("crossings_by_site", "crossings"),
                          ("peak_present_by_site", "peak people present")):
        items = [(sid, e) for sid, e in eff.get(section, {}).items() if e]
        out.append(Forest(f"Displacement between sites: effect on {what}",
                          f"{what}, B - A", [sid for sid, _ in items],
                          [e["effect"] for _, e in items],
                          [(e["ci90"] or (None, None))[0] for _, e in items],
                          [(e["ci90"] or (None, None))[1] for _, e in items],
                          note=paired))
    return out


# ------------------------------------------------------------------ sweep


def _responses(exp: Experiment) -> list[Figure]:
    s = exp.summary
    params = s["params"]
    x_key, others = params[0], params[1:]
    by_hash = {h: [r for r in exp.of(h, exp.runs)["summary"] if r] for h in exp.hashes}
    charts = []
    for figure in RESPONSES:
        groups: dict[str, list[tuple[float, list[float]]]] = {}
        for p in s["points"]:
            name = ", ".join(f"{k}={fmt(p['values'][k])}" for k in others) or figure
            values = [r["scorecard"][figure] for r in by_hash[p["summary"]["scenario_hash"]]]
            values = [v for v in values if v is not None]
            if values:
                groups.setdefault(name, []).append((p["values"][x_key], values))
        bands = []
        for name, pts in groups.items():
            pts.sort(key=lambda t: t[0])
            x = [t[0] for t in pts]
            if max(len(v) for _, v in pts) == 1:
                bands.append(Band(name, x, np.array([v[0] for _, v in pts], dtype=float)))
                continue
            q = np.array([np.percentile(v, QUANTILES) for _, v in pts]).T
            bands.append(Band(name, x, q[2], q[1], q[3], q[0], q[4]))
        chance = _replicates(s, s["seeds"])
        if bands:
            charts.append(Chart(f"Response: {label(figure)} against {x_key}", label(figure),
                                bands, xlabel=x_key,
                                note="line: median; shaded: 50% and 90% of the replicates "
                                     f"at each point ({chance})"))
    return charts


# ------------------------------------------------------------------ provenance


def _provenance(exp: Experiment, more: list[list[str]] = ()) -> list[Figure]:
    """The base scenario's parameters with their sources, then what reproduces the results
    (`more`: rows of the kind's own, e.g. a calibration's settings and commit)."""
    ev = provenance.evidence()
    base_hash = exp.hashes[0]
    base = exp.definitions.get(base_hash)
    if base is None:  # a fit or calibration written before the store kept its scenario
        return [Table("Reproduce", ["", ""], _reproduce(exp) + list(more),
                      note=f"the store holds no definition of scenario {base_hash}, so its "
                           "parameters' sources cannot be listed here")]
    rows = []
    for p in provenance.trace(base):
        if p.assumption:
            source = f"assumption: {p.note}"
        elif p.covered_by is None:
            source = "not cited (a default of the model)"
        else:
            cited = "; ".join(f"{i} ({ev[i]['quantity']}, {ev[i]['source']})" if i in ev else i
                              for i in p.ids)
            source = cited + (f": {p.note}" if p.note else "")
        rows.append([p.key, _short(p.value), source])
    drawn = "posterior" in exp.summary.get("uncertainty", "")
    cal = base.get("calibration") or {}
    fitted = ", ".join([*(["arrivals.per_year (the inflow walk)"] if cal.get("inflow") else []),
                        *(cal.get("parameters") or {})])
    out: list[Figure] = [Table(
        f"Parameters of {exp.label(base_hash)} and their sources",
        ["parameter", "value", "source"], rows,
        note=f"at posterior draws: the values are replicate 0's; the fitted parameters "
             f"({fitted or 'none named'}) take each replicate's draw" if drawn else "")]
    flat_base = dict(provenance.numbers(base))
    for h in exp.hashes[1:]:
        other = dict(provenance.numbers(exp.definitions.get(h, {})))
        changed = [[k, _short(flat_base.get(k)), _short(v)] for k, v in other.items()
                   if flat_base.get(k) != v]
        if exp.kind == "comparison" and changed:
            out.append(Table(f"What {exp.label(h)} changes", ["parameter", "A", "B"], changed))
    out.append(Table("Reproduce", ["", ""], _reproduce(exp) + list(more)))
    return out


def _reproduce(exp: Experiment) -> list[list[str]]:
    rows = [["kind", exp.kind], ["scenario", exp.summary.get("scenario", "")],
            ["scenario hash", ", ".join(f"{exp.label(h)}: {h}" for h in exp.hashes)],
            ["seeds", _seed_text(exp.seeds)], ["channelsim version", exp.version]]
    return rows + ([["results written", exp.summary["written"]]]
                   if "written" in exp.summary else [])


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else fmt(value) if isinstance(
        value, int | float) and not isinstance(value, bool) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
