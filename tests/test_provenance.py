"""Provenance: every number in a bundled scenario cites the evidence or is a marked assumption;
inheritance and dated policies resolve as documented."""

import pytest

from channelsim import provenance, scenario
from channelsim.world import World

from .conftest import tiny


@pytest.mark.parametrize("name", scenario.bundled_names())
def test_every_number_has_a_source(name):
    raw = scenario.read_raw(scenario.resolve_path(name))
    rows = provenance.trace(raw)
    assert len(rows) > 20
    problems = [f"{p.key}: {p.problem}" for p in rows if p.problem]
    assert not problems, "\n".join(problems)


def test_an_uncited_number_is_caught():
    raw = scenario.read_raw(scenario.resolve_path("channel-history"))
    raw["behaviour"]["attempt_probability_extra"] = 0.5  # a number no source covers
    raw["sources"]["exits"] = "no_such_evidence_row: made up"
    problems = {p.key: p.problem for p in provenance.trace(raw) if p.problem}
    assert "no source" in problems["behaviour.attempt_probability_extra"]
    assert "unknown evidence id" in problems["exits.base_hazard"]


def test_evidence_ids_are_unique_and_sourced():
    rows = provenance.evidence()
    assert len(rows) > 300
    assert all(r["source"] for r in rows.values())
    assert rows["report_calais_buses_25"]["value_num"] == "25"


def test_extends_merges_tables_and_replaces_series(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text('extends = "channel-history"\nname = "child"\n'
                     '[sites.calais]\nofficers = { 2014-01-01 = 5 }\n')
    sc = scenario.load(child)
    parent = scenario.load("channel-history")
    assert sc.sites["calais"].officers == {parent.start: 5}  # the series is replaced whole
    assert sc.sites["calais"].initial_people == parent.sites["calais"].initial_people
    assert sc.routes == parent.routes


def test_extends_cycle_is_an_error(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\nname = "a"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\nname = "b"\n')
    with pytest.raises(scenario.ScenarioError, match="cycle"):
        scenario.load(tmp_path / "a.toml")


def test_interception_policy_can_change_on_a_date():
    raw = tiny(**{"sites.calais.policy": {"2020-02-01": {"type": "detain", "days": 3}}})
    world = World.build(scenario.from_dict(raw))
    calais = world.site_ids.index("calais")
    assert world.policy_on(0, calais).type == "warn_release"
    assert world.policy_on(31, calais).type == "detain"


def test_extends_replaces_tables_of_shares_whole():
    sc = scenario.load("calais-clearance")
    assert set(sc.arrivals.origins) == {"sudan", "iran", "eritrea", "afghanistan", "other"}


def test_a_child_that_changes_a_number_must_cite_it(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text('extends = "channel-history"\nname = "child"\n'
                     '[sites.calais]\ninitial_people = 50\n[sites.dunkirk]\ninitial_people = 5\n'
                     '[sources]\n"sites.dunkirk.initial_people" = "assumption: a test"\n')
    rows = {p.key: p for p in provenance.trace(scenario.read_raw(child))}
    assert rows["sites.calais.initial_people"].problem.startswith("no source")
    assert rows["sites.dunkirk.initial_people"].problem is None
    assert rows["sites.calais.officers"].problem is None  # inherited, still cited


def test_a_child_can_change_the_policy_type(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text('extends = "channel-history"\nname = "child"\n[sites.calais]\n'
                     'policy = { type = "transfer", return_probability = 0.3, '
                     'return_delay_days = 20 }\n')
    assert scenario.load(child).sites["calais"].policy.type == "transfer"
