"""Active person-days per second: the default scenario, and a synthetic million people.

Run with `make bench` (or `python benchmarks/engine_speed.py`). Figures on shared machines are
noisy: compare ratios measured in one run, not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import channelsim
import profile_loop
from channelsim import scenario


def million(people: int = 1_000_000, days: int = 30) -> scenario.Scenario:
    """A million people waiting at three sites, few places a day: everyone stays active."""
    end = f"2020-01-{days:02d}" if days <= 31 else "2020-12-31"
    sites = {
        name: {"name": name.title(), "lat": 50.0, "lon": 1.0, "officers": 500,
               "initial_people": people // 3 + (i == 0) * (people % 3)}
        for i, name in enumerate(("calais", "dunkirk", "ouistreham"))
    }
    routes = {
        f"{s}_ferry": {"site": s, "mode": "lorry_ferry", "opportunities": 200,
                       "people_per_opportunity": 3,
                       "interception": {"base": 0.6, "officers": 0.5, "congestion": 50}}
        for s in sites
    } | {"calais_boat": {"site": "calais", "mode": "small_boat", "opportunities": 3,
                         "people_per_opportunity": 40, "death": 0.0003}}
    return scenario.from_dict({
        "name": "synthetic-million",
        "start": "2020-01-01",
        "end": end,
        "arrivals": {"per_year": {"2020": 36_500}},
        "behaviour": {"attempt_probability": 0.3},
        "exits": {"base_hazard": 0.001, "per_failed_attempt": 0.0005},
        "sites": sites,
        "routes": routes,
    })


def measure(sc: scenario.Scenario, seed: int = 0, repeat: int = 3) -> dict:
    """Best of `repeat` runs (the least disturbed by other load), and peak traced memory."""
    best = float("inf")
    for i in range(repeat):
        t0 = time.perf_counter()
        res = channelsim.run(sc, seed=seed + i)
        best = min(best, time.perf_counter() - t0)
    timings = profile_loop.shares(sc, seed=seed)  # by process, inside the compiled loop
    tracemalloc.start()
    channelsim.run(sc, seed=seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    people = len(res.people["status"])
    return {
        "scenario": sc.name,
        "days": len(res.dates),
        "people": people,
        "seconds": best,
        "active_person_days": res.active_person_days,
        "apd_per_second": res.active_person_days / best,
        "peak_bytes_per_person": peak / max(people, 1),
        "timings": timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [measure(channelsim.load("channel-history"), repeat=args.repeat),
            measure(million(args.people), repeat=args.repeat)]
    print("| scenario | days | people | seconds | active person-days/s | peak bytes/person |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['scenario']} | {r['days']} | {r['people']:,} | {r['seconds']:.2f} | "
              f"{r['apd_per_second'] / 1e6:.1f} M | {r['peak_bytes_per_person']:.0f} |")
    for r in rows:
        share = {k: f"{v / sum(r['timings'].values()):.0%}" for k, v in r["timings"].items()}
        print(f"\n{r['scenario']} time by process: {share}")


if __name__ == "__main__":
    main()
