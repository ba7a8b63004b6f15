"""The channelsim foundation rules as a Mesa 3 model, for the speed comparison of issue 6.

It reads the same validated scenario (and channelsim's World for the daily input arrays) but
simulates with its own objects and generator, so it agrees with channelsim in distribution,
not draw for draw. The day runs in channelsim's order: arrivals, attempts, resolution,
enforcement, returns, exits.
"""

from __future__ import annotations

import mesa

from channelsim.scenario import Scenario
from channelsim.world import World

from .agents import Person, Route, Site

# The settings each part of a scenario may use here: the foundation rules, plus what only feeds
# World's daily input arrays (UK officers, funding) or reporting (costs, main_site).
FOUNDATION = {
    "Scenario": {"name", "description", "start", "end", "arrivals", "behaviour", "exits",
                 "sites", "routes", "funding", "costs", "main_site"},
    "Arrivals": {"per_year", "seasonality", "origins", "minor_share"},
    "Behaviour": {"attempt_probability", "risk_tolerance_mean"},
    "Exits": {"base_hazard", "per_failed_attempt", "per_month_at_coast", "asylum_share"},
    "Site": {"name", "lat", "lon", "officers", "uk_officers", "policy", "initial_people",
             "arrival_share"},
    "Route": {"site", "mode", "opportunities", "people_per_opportunity", "officer_share",
              "infrastructure", "interception", "success", "injury", "death", "sea_viable",
              "weight"},
    "Interception": {"base", "officers", "congestion", "infrastructure"},
}
COUNTERS = ("arrivals", "attempts", "crossings", "interceptions", "deaths", "injuries",
            "detentions", "transfers", "exits", "stayed_away", "asylum")


def unsupported(scenario: Scenario) -> list[str]:
    """Settings of rules beyond the foundation, which this model would silently ignore."""
    parts = [("", scenario), ("arrivals", scenario.arrivals), ("behaviour", scenario.behaviour),
             ("exits", scenario.exits)]
    parts += [(f"sites.{k}", site) for k, site in scenario.sites.items()]
    for k, route in scenario.routes.items():
        parts += [(f"routes.{k}", route), (f"routes.{k}.interception", route.interception)]
    extra = [
        f"{path}.{name}".lstrip(".")
        for path, part in parts
        for name, field in type(part).model_fields.items()
        if name not in FOUNDATION[type(part).__name__] and getattr(part, name) != field.default
    ]
    # a policy that changes on dates is beyond the foundation too
    return extra + [f"sites.{k}.policy" for k, site in scenario.sites.items()
                    if isinstance(site.policy, dict)]


class ChannelModel(mesa.Model):
    def __init__(self, scenario: Scenario, seed: int = 0):
        if extra := unsupported(scenario):
            raise ValueError("the Mesa reference has only the foundation rules; this scenario "
                             f"also sets {', '.join(extra)}")
        super().__init__(seed=seed)
        world = self.world = World.build(scenario)
        self.n_days = world.n_days
        self.months = world.month.tolist()
        self.inflow = world.daily_inflow.tolist()
        self.attempt_probability = scenario.behaviour.attempt_probability
        self.exits_cfg = scenario.exits
        self.minor_share = scenario.arrivals.minor_share
        # u ** (1/m - 1) lies in [0, 1] with mean m, as in channelsim
        self.risk_exponent = 1.0 / max(scenario.behaviour.risk_tolerance_mean, 1e-6) - 1.0
        self.origins = world.origin_ids
        self.origin_cum = world.origin_share.cumsum().tolist()
        self.sites = [Site(self, i, spec) for i, spec in enumerate(scenario.sites.values())]
        self.site_cum = world.arrival_share[0].cumsum().tolist()
        self.routes = [Route(self, i, spec, self.sites[world.route_site[i]])
                       for i, spec in enumerate(scenario.routes.values())]
        for name in COUNTERS:
            setattr(self, name, 0)
        self.active_person_days = 0
        self.intercepted: list[Person] = []
        self.day = 0
        self.month = self.months[0]
        for site, spec in zip(self.sites, scenario.sites.values(), strict=True):
            for _ in range(spec.initial_people):
                Person(self, site, 0)
            self.arrivals += spec.initial_people  # counted as in channelsim's scorecard
        self.datacollector = mesa.DataCollector(
            model_reporters={name: name for name in COUNTERS} | {"present": lambda m: len(m.agents)}
        )

    def step(self) -> None:
        self.day = self.steps - 1
        self.month = self.months[self.day]
        self.arrive()
        self.active_person_days += len(self.agents)
        sea = self.random.random()  # one sea: a single weather draw shared by every boat route
        for route in self.routes:
            route.open(sea)
        for site in self.sites:
            site.list_options()
        self.agents.shuffle_do("decide")  # a random queue for the places on each route
        self.intercepted = []
        for route in self.routes:
            route.resolve()
        for person in self.intercepted:
            person.site.intercepted(person)
        self.agents.do("come_back")
        self.agents.do("consider_leaving")
        self.datacollector.collect(self)
        self.running = self.steps < self.n_days

    def arrive(self) -> None:
        count = int(self.rng.poisson(self.inflow[self.day]))
        sites = self.random.choices(self.sites, cum_weights=self.site_cum, k=count)
        for site in sites:
            Person(self, site, self.day)
        self.arrivals += count

    def summary(self) -> dict[str, int]:
        """Totals over the run, named as in channelsim's scorecard (exits include stayed away)."""
        out = {name: getattr(self, name) for name in COUNTERS}
        out["exits"] += out.pop("stayed_away")
        out["active_person_days"] = self.active_person_days
        return out


def run(scenario: Scenario, seed: int = 0) -> ChannelModel:
    """Simulate the whole period; the model holds the totals and the daily collected series."""
    model = ChannelModel(scenario, seed=seed)
    model.run_model()
    return model
