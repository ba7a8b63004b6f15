"""Fuzz `channelsim validate` with random overrides of the bundled scenarios; count tracebacks.

Each case is a few random `--set` overrides (types, magnitudes, nesting, unicode, references)
over a bundled scenario, loaded in this process; any exception other than ScenarioError is a
traceback a user would see. Usage: python benchmarks/fuzz.py [CASES] [SEED]
"""

from __future__ import annotations

import random
import sys
import time
import traceback
from collections import Counter

from channelsim import scenario

KEYS = ["name", "start", "end", "arrivals.per_year", "arrivals.per_year.2020",
        "arrivals.origins", "arrivals.seasonality", "sites.calais.officers",
        "sites.calais.arrival_share", "sites.calais.initial_people", "sites.calias.officers",
        "sites.calais.policy", "sites.calais.policy.type", "routes.calais_ferry.site",
        "routes.calais_ferry.opportunities", "sources", "main_site", "funding.allocation",
        "legal_route.origins", "campaigns", "x.y.z", "sites", "routes.calais_boat.boats"]
VALUES = ["0", "-1", "1.7", "inf", "nan", "1e308", "4611686018427387904", "abc", '"\\u0000"',
          "true", "[]", "{}", "2020-01-01", "{2020-01-01 = 2}", "{2020 = 1e9}",
          '{type = "detain", days = 0}', '"' + "é" * 200 + '"', "[" * 40 + "]" * 40]


def case(rng: random.Random) -> tuple[str, list[str]]:
    name = rng.choice(scenario.bundled_names())
    sets = [f"{rng.choice(KEYS)}={rng.choice(VALUES + [str(rng.uniform(-1e6, 1e6))])}"
            for _ in range(rng.randint(1, 3))]
    return name, sets


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    outcomes: Counter[str] = Counter()
    t0 = time.perf_counter()
    for _ in range(cases):
        name, sets = case(rng)
        try:
            scenario.load(name, sets)
            outcomes["valid (exit 0)"] += 1
        except scenario.ScenarioError:
            outcomes["refused (exit 2)"] += 1
        except Exception:  # a traceback a user would see
            outcomes["traceback"] += 1
            if outcomes["traceback"] <= 3:
                print(name, sets, traceback.format_exc(limit=2), file=sys.stderr)
    print(f"{cases:,} cases in {time.perf_counter() - t0:.0f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items()))
          + f"; tracebacks {outcomes['traceback']:,}")


if __name__ == "__main__":
    main()
