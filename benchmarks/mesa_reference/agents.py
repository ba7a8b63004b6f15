"""People as Mesa agents, one Python object each; sites and routes as plain aggregate actors.

Written the way a Mesa user would: each person decides, attempts, is held, comes back and
leaves through its own methods, drawing from the model's `random.Random`.
"""

from __future__ import annotations

import math
from itertools import accumulate

import mesa

from channelsim.scenario import Detain, Transfer

WAITING, DETAINED, DISPERSED = "waiting", "detained", "dispersed"
CROSSED, LEFT, DEAD = "crossed", "left", "dead"
DAYS_PER_MONTH = 30.44


class Site:
    """A staging place: officers on duty today, its interception policy, its routes."""

    def __init__(self, model, index: int, spec):
        self.model = model
        self.officers = model.world.officers[:, index].tolist()
        self.policy = spec.policy
        self.routes: list[Route] = []
        self.options: list[Route] = []
        self.cum_weights: list[float] = []

    def list_options(self) -> None:
        """The routes a person here can choose tonight: open, and with a positive weight."""
        self.options = [r for r in self.routes if r.places > 0 and r.weight > 0]
        self.cum_weights = list(accumulate(r.weight for r in self.options))

    def intercepted(self, person: Person) -> None:
        """Apply the site's policy: warn and release (nothing), detain, or transfer away."""
        model, policy = self.model, self.policy
        if isinstance(policy, Detain):
            person.hold(DETAINED, model.day + policy.days)
            model.detentions += 1
        elif isinstance(policy, Transfer):
            delay = max(1, math.ceil(model.random.expovariate(1.0 / policy.return_delay_days)))
            person.hold(DISPERSED, model.day + delay)
            person.stays_away = model.random.random() >= policy.return_probability
            model.transfers += 1


class Route:
    """One way across from a site: tonight's places, who boarded, and how each attempt ends."""

    def __init__(self, model, index: int, spec, site: Site):
        world = model.world
        self.model = model
        self.site = site
        site.routes.append(self)
        self.places_per_day = (world.opportunities[:, index]
                               * world.per_opportunity[:, index]).tolist()
        self.infrastructure = world.infrastructure[:, index].tolist()
        self.sea_viable = list(spec.sea_viable)
        self.officer_share = spec.officer_share
        self.icpt = spec.interception
        self.success, self.injury, self.death = spec.success, spec.injury, spec.death
        self.weight = spec.weight
        self.places = 0
        self.attempters: list[Person] = []

    def open(self, sea: float) -> None:
        """Places tonight (boats only if the sea is calm enough this month), rounded at random."""
        model = self.model
        calm = sea < self.sea_viable[model.month]
        places = self.places_per_day[model.day] if calm else 0.0
        whole = math.floor(places)
        self.places = whole + (model.random.random() < places - whole)
        self.attempters = []

    def resolve(self) -> None:
        """Interception falls with the attempts per officer tonight (congestion)."""
        if not self.attempters:
            return
        day, icpt = self.model.day, self.icpt
        officers = self.site.officers[day] * self.officer_share
        hazard = (icpt.base
                  + icpt.officers * officers / (len(self.attempters) + icpt.congestion)
                  + icpt.infrastructure * self.infrastructure[day])
        p = -math.expm1(-hazard)
        for person in self.attempters:
            person.attempt(self, p)


class Person(mesa.Agent):
    """Someone at the coast, from arrival until they cross, leave or die (then removed)."""

    def __init__(self, model, site: Site, day: int):
        super().__init__(model)
        self.site = site
        self.arrival_day = day
        self.status = WAITING
        self.origin = self.random.choices(model.origins, cum_weights=model.origin_cum)[0]
        self.minor = self.random.random() < model.minor_share
        self.risk_tolerance = self.random.random() ** model.risk_exponent
        self.attempts = 0
        self.interceptions = 0
        self.injuries = 0
        self.release_day = -1
        self.stays_away = False

    def decide(self) -> None:
        """Try tonight with the daily probability; board the chosen route if it has room."""
        site = self.site
        if self.status != WAITING or not site.options:
            return
        if self.random.random() >= self.model.attempt_probability:
            return
        route = self.random.choices(site.options, cum_weights=site.cum_weights)[0]
        if route.places > 0:
            route.places -= 1
            route.attempters.append(self)

    def attempt(self, route: Route, p_intercept: float) -> None:
        model = self.model
        self.attempts += 1
        model.attempts += 1
        harm = self.random.random()
        if harm < route.death:
            model.deaths += 1
            self.finish(DEAD)
            return
        if harm < route.death + route.injury:
            self.injuries += 1
            model.injuries += 1
        if self.random.random() < p_intercept:
            self.interceptions += 1
            model.interceptions += 1
            model.intercepted.append(self)
        elif self.random.random() < route.success:
            model.crossings += 1
            self.finish(CROSSED)

    def hold(self, status: str, until: int) -> None:
        self.status = status
        self.release_day = until

    def come_back(self) -> None:
        """Released from detention, or back from a transfer, unless they stay away."""
        if self.release_day != self.model.day:
            return
        self.release_day = -1
        if self.status == DISPERSED and self.stays_away:
            self.model.stayed_away += 1
            self.finish(LEFT)
        else:
            self.status = WAITING

    def consider_leaving(self) -> None:
        """Give up the coast with a hazard that grows with failures and time spent here."""
        if self.status != WAITING:
            return
        model, cfg = self.model, self.model.exits_cfg
        months = (model.day - self.arrival_day) / DAYS_PER_MONTH
        hazard = (cfg.base_hazard + cfg.per_failed_attempt * self.attempts
                  + cfg.per_month_at_coast * months)
        if self.random.random() < hazard:
            model.exits += 1
            model.asylum += self.random.random() < cfg.asylum_share
            self.finish(LEFT)

    def finish(self, status: str) -> None:
        self.status = status
        self.remove()
