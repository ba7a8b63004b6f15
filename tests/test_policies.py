"""Interception policies: detention holds people N days; transfers return a share of them."""

import numpy as np

import channelsim
from channelsim import scenario
from channelsim.population import ExitReason, Status

from .conftest import retry_scenario


def _one_site(policy: dict, people: int = 5000, days: int = 60, p: float = 0.5) -> dict:
    raw = retry_scenario(p, people, days=days)
    raw["sites"]["s"]["policy"] = policy
    return raw


def test_detention_takes_people_out_for_n_days():
    days_held = 5
    res = channelsim.run(scenario.from_dict(_one_site({"type": "detain", "days": days_held})),
                         seed=2)
    site = res.site
    # everyone intercepted on day 0 is released on day 5, and only then
    assert site["detentions"][0, 0] > 0
    assert site["releases"][days_held, 0] == site["detentions"][0, 0]
    assert site["releases"][1:days_held, 0].sum() == 0
    # people held do not attempt: attempts per day stay below the waiting count
    assert np.all(res.route["attempts"][1:, 0] <= site["waiting"][:-1, 0])


def test_transfers_return_the_stated_share():
    q, n = 0.6, 20_000
    raw = _one_site({"type": "transfer", "return_probability": q, "return_delay_days": 5},
                    people=n, days=200, p=0.5)
    res = channelsim.run(scenario.from_dict(raw), seed=3)
    transfers = int(res.site["transfers"].sum())
    stayed = int((res.people["exit_reason"] == ExitReason.STAYED_AWAY).sum())
    back = int(res.site["returns"].sum())
    assert back + stayed == transfers  # 200 days: every delay has run out
    share = back / transfers
    assert abs(share - q) < 4 * np.sqrt(q * (1 - q) / transfers)
    assert np.all(res.people["status"][res.people["exit_reason"] == ExitReason.STAYED_AWAY]
                  == Status.LEFT)
