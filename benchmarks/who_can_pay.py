"""Who, waiting at each site on a date, could pay for each route, and what they believe of it.

A person sees no chance on a route that needs a smuggler or a boat they cannot pay
(processes/attempts.py), so where most cannot pay the boats they queue for lorries however
little they expect of them. This runs posterior replicate i of channel-history (draw and seed as
`channelsim run` gives them) to the date and prints, for those waiting at each site, their
funds and, by route, the share who could pay (a package for its mode with attempts left, or
funds for the day's price), the share who could instead buy a boat of their own, and their mean
belief in the route's success.

    .venv/bin/python benchmarks/who_can_pay.py --date 2022-07-01
    .venv/bin/python benchmarks/who_can_pay.py --date 2022-07-01 --set behaviour.funds_median=12000
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from channelsim.analysis import posterior
from channelsim.engine import Sim
from channelsim.population import Status
from channelsim.processes.attempts import chance_seen, pays

SCENARIO = "channel-history"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--date", default="2022-07-01")
    ap.add_argument("--replicate", type=int, default=0, help="posterior draw i with seed i")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--posterior", help="a posterior.json (default: the shipped one)")
    args = ap.parse_args()
    post = posterior.load(Path(args.posterior) if args.posterior else posterior.bundled(SCENARIO))
    sc = post.scenario(SCENARIO, args.set, args.replicate)
    sim = Sim(sc, seed=args.replicate)
    sim.advance(int((np.datetime64(args.date) - np.datetime64(str(sc.start))).astype(int)))
    w, p = sim.world, sim.people
    price = np.asarray(sim.parts["market"].price)
    waiting = np.flatnonzero(p.status == Status.WAITING)
    print(f"{SCENARIO}, replicate {args.replicate}, {args.date}"
          + (f", {' '.join(args.set)}" if args.set else ""))
    print("| site or route | waiting | funds: median | none | could pay | own boat instead "
          "| belief in success |")
    print("|---|---|---|---|---|---|---|")
    for j, site in enumerate(w.site_ids):
        here = waiting[p.site[waiting] == j]
        funds = p.funds[here]
        if not len(here):
            continue
        print(f"| {site} | {len(here):,} | {np.median(funds):,.0f} | {np.mean(funds <= 0):.0%} "
              "| | | |")
        for r in np.flatnonzero(w.route_site == j):
            # the attempts rule itself, person by person: whether they pay, and whether the
            # route offers them any chance at all (to a believer without fear of death)
            paying = np.array([pays(p.package_left[i], p.package_mode[i], p.funds[i],
                                    w.route_mode[r], price[r]) for i in here], dtype=bool)
            going = np.array([chance_seen(1.0, price[r], paying[k], w.smuggler_required[r],
                                          w.has_boats[r], p.funds[i], w.solo_boat_cost[r],
                                          0.0, 0.0, 0.0) > 0 for k, i in enumerate(here)])
            own = going & ~paying if w.has_boats[r] else np.zeros(0)
            a, b = p.belief_a[here, r], p.belief_b[here, r]
            name = (f"{w.route_ids[r]} (no market)" if np.isnan(price[r])
                    else f"{w.route_ids[r]} (price {price[r]:,.0f})")
            shown = "" if np.isnan(price[r]) else f"{np.mean(paying):.0%}"
            print(f"| {name} | | | | {shown} | {f'{np.mean(own):.0%}' if own.size else ''} "
                  f"| {np.mean(a / (a + b)):.2f} |")


if __name__ == "__main__":
    main()
