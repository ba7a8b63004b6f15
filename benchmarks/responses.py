"""How the default history responds to the levers argued about: the figures of issue 11.

    python benchmarks/responses.py [--seed 0] [--json]

One seed per arm (paired: the arms share their random numbers), on channel-history. Prints
each figure with what it measures; run it before and after a change to the mechanisms.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

import channelsim

MODES = ("lorry_ferry", "lorry_tunnel", "small_boat")


def by_year(res, arr: np.ndarray) -> dict[int, float]:
    years = res.dates.astype("datetime64[Y]").astype(int) + 1970
    return {int(y): float(arr[years == y].sum()) for y in np.unique(years)}


def mean_by_year(res, arr: np.ndarray) -> dict[int, float]:
    years = res.dates.astype("datetime64[Y]").astype(int) + 1970
    return {int(y): float(np.nanmean(arr[years == y])) if np.isfinite(arr[years == y]).any()
            else float("nan") for y in np.unique(years)}


def routes_of(res, mode: str) -> list[int]:
    return [i for i, m in enumerate(res.route_mode) if MODES[m] == mode]


def site_total(res, name: str, site: str) -> float:
    return float(res.by_site(res.route[name])[:, res.site_ids.index(site)].sum())


def present_on(res, site: str, when: str) -> int:
    day = int((np.datetime64(when) - res.dates[0]).astype(int))
    return int(res.site["waiting"][day, res.site_ids.index(site)])


def figures(seed: int) -> dict:
    base_sc = channelsim.load("channel-history")
    base = channelsim.run(base_sc, seed=seed)
    out: dict = {}
    officers = base_sc.sites["calais"].officers
    doubled = ({str(d): 2 * v for d, v in officers.items()} if isinstance(officers, dict)
               else 2 * officers)
    more = channelsim.run(channelsim.load(
        "channel-history", [f"sites.calais.officers={_toml(doubled)}"]), seed=seed)
    drop = site_total(base, "crossings", "calais") - site_total(more, "crossings", "calais")
    rise = sum(site_total(more, "crossings", s) - site_total(base, "crossings", s)
               for s in ("dunkirk", "ouistreham"))
    out["double_calais_officers"] = {
        "attempts_ouistreham": [site_total(base, "attempts", "ouistreham"),
                                site_total(more, "attempts", "ouistreham")],
        "attempts_dunkirk": [site_total(base, "attempts", "dunkirk"),
                             site_total(more, "attempts", "dunkirk")],
        "peak_present_ouistreham": [int(base.site["waiting"][:, 2].max()),
                                    int(more.site["waiting"][:, 2].max())],
        "calais_crossings_drop": drop,
        "share_of_drop_reappearing": rise / drop if drop else None,
    }
    lorry = routes_of(base, "lorry_ferry") + routes_of(base, "lorry_tunnel")
    cap = base.route["capacity"][:, lorry]
    att = base.route["attempts"][:, lorry]
    out["lorry_attempts_by_year"] = by_year(base, att.sum(axis=1))
    out["lorry_places_by_year"] = by_year(base, cap.sum(axis=1))
    out["lorry_interceptions_by_year"] = by_year(
        base, base.route["interceptions"][:, lorry].sum(axis=1))
    full = (att >= cap) & (cap > 0)
    out["share_of_days_at_capacity_lorry"] = float(full.mean())
    j = base.site_ids.index("ouistreham")
    out["ouistreham_refusing_share_by_year"] = mean_by_year(
        base, base.site["refusing_share"][:, j])
    out["public_order_incidents"] = {
        name: int(channelsim.run(channelsim.load(name), seed=seed).site[
            "public_order_incidents"].sum())
        for name in ("channel-history", "calais-clearance", "ouistreham", "calais-2014")}
    base_x = int(base.route["crossings"].sum())

    def crossings_with(*overrides: str) -> int:
        return int(channelsim.run(channelsim.load("channel-history", list(overrides)),
                                  seed=seed).route["crossings"].sum())

    out["crossings_base"] = base_x
    out["crossings_attempt_probability_0.2_0.6"] = [
        crossings_with("behaviour.attempt_probability=0.2"),
        crossings_with("behaviour.attempt_probability=0.6")]
    out["crossings_harm_aversion_0"] = crossings_with("behaviour.harm_aversion=0")
    boats = routes_of(base, "small_boat")
    att_b = base.route["attempts"][:, boats].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        launched = np.nansum(np.where(base.route["attempts"][:, boats] > 0,
                                      base.route["attempts"][:, boats]
                                      / base.route["people_per_boat"][:, boats], 0), axis=1)
    a_y, b_y = by_year(base, att_b), by_year(base, launched)
    out["people_per_boat_by_year"] = {y: a_y[y] / b_y[y] for y in a_y if b_y[y] > 0}
    out["boat_crossings_by_year"] = by_year(
        base, base.route["crossings"][:, boats].sum(axis=1))
    paid = base.route["paid_attempts"][:, boats].sum()
    out["boat_paid_share_of_attempts"] = float(paid / max(att_b.sum(), 1))
    out["ouistreham_present"] = {
        "2014-09-15": present_on(base, "ouistreham", "2014-09-15"),
        "peak": int(base.site["waiting"][:, j].max()),
        "peak_2022": int(base.site["waiting"][(base.dates >= np.datetime64("2022-01-01"))
                                             & (base.dates < np.datetime64("2023-01-01")),
                                             j].max()),
    }
    out["calais_present_2017_04_15"] = present_on(base, "calais", "2017-04-15")
    out["dunkirk_present_2017_03_15"] = present_on(base, "dunkirk", "2017-03-15")
    out["mean_funds_left_waiting_end"] = float(
        base.people["funds"][base.people["status"] == 1].mean())
    out["seconds"] = base.seconds
    return out


def _toml(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {v}" for k, v in value.items()) + "}"
    return str(value)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = figures(args.seed)
    if args.json:
        print(json.dumps(out, indent=1, default=float))
    else:
        for key, value in out.items():
            print(f"{key}: {json.dumps(value, default=float)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
