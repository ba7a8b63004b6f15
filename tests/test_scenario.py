"""Scenario files: every bundled one validates; every kind of mistake gets a clear message,
exit code 2 and no traceback."""

from pathlib import Path

import pytest

from channelsim import cli, scenario

GOOD = scenario.resolve_path("channel-history").read_text()


def run_validate(tmp_path: Path, text: str, capsys, *extra: str) -> tuple[int, str]:
    path = tmp_path / "s.toml"
    path.write_text(text)
    code = cli.main(["validate", str(path), *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("name", scenario.bundled_names())
def test_bundled_scenarios_validate(name):
    assert scenario.load(name).name == name


def test_good_file_validates(tmp_path, capsys):
    code, text = run_validate(tmp_path, GOOD, capsys)
    assert code == 0 and "valid scenario" in text


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # unknown key, with the nearest valid name suggested
        (("officers = { 2014", "officerz = { 2014"),
         ["sites.calais.officerz", "unknown key", "did you mean 'officers'"]),
        # wrong type
        (("attempt_probability = 0.35", 'attempt_probability = "often"'),
         ["behaviour.attempt_probability", "valid number"]),
        # a probability of 1.5
        (("success = 0.9\ninjury = 0.002", "success = 1.5\ninjury = 0.002"),
         ["routes.calais_ferry.success", "less than or equal to 1"]),
        # a route naming a site that does not exist
        (('site = "ouistreham"', 'site = "caen"'),
         ["routes.ouistreham_ferry.site", "no site named 'caen'", "calais, dunkirk, ouistreham"]),
        # malformed TOML
        (("[behaviour]", "[behaviour"), ["malformed TOML", "line"]),
        # an unknown policy type
        (('policy = { type = "warn_release" }', 'policy = { type = "deport" }'),
         ["sites.dunkirk.policy", "warn_release, detain, transfer"]),
    ],
    ids=["unknown-key", "wrong-type", "probability-1.5", "missing-site", "malformed-toml",
         "unknown-policy"],
)
def test_bad_files_exit_2_with_a_one_screen_message(tmp_path, capsys, edit, expected):
    old, new = edit
    assert old in GOOD, f"test edit no longer matches the scenario: {old!r}"
    code, text = run_validate(tmp_path, GOOD.replace(old, new, 1), capsys)
    assert code == 2
    assert "Traceback" not in text
    assert str(tmp_path / "s.toml") in text  # names the file
    for piece in expected:
        assert piece in text, f"{piece!r} not in message:\n{text}"
    assert len(text.splitlines()) <= 24


def test_missing_file_suggests_a_bundled_name(capsys):
    assert cli.main(["validate", "channel-histry"]) == 2
    assert "did you mean 'channel-history'" in capsys.readouterr().err.lower()


def test_set_overrides_any_value():
    sc = scenario.load("channel-history", ["sites.calais.officers=1500",
                                           "behaviour.attempt_probability=0.2"])
    assert sc.sites["calais"].officers == 1500
    assert sc.behaviour.attempt_probability == 0.2


def test_set_with_an_unknown_key_is_refused(capsys):
    code = cli.main(["validate", "channel-history", "--set", "sites.calais.oficers=3"])
    err = capsys.readouterr().err
    assert code == 2 and "did you mean 'officers'" in err and "Traceback" not in err


def test_schedules_accept_dated_values():
    sc = scenario.load("channel-history")
    assert isinstance(sc.sites["calais"].officers, dict)


def test_digest_changes_with_content():
    a = scenario.load("channel-history")
    b = scenario.load("channel-history", ["sites.calais.officers=1"])
    assert a.digest() == scenario.load("channel-history").digest() != b.digest()


@pytest.mark.parametrize(("change", "expected"), [
    ({"sites.calais.officers": {"2020-13-01": 5}}, "sites.calais.officers.2020-13-01: Input "
                                                  "should be a valid date"),
    ({"sites.calais.officers": "many"}, "sites.calais.officers: Input should be a valid number"),
    ({"sites.calais.policy": {"type": "detain"}}, "sites.calais.policy.days: required key"),
    ({"sites.calais.policy": {"2020-01-01": {"type": "detain"}}},
     "sites.calais.policy.2020-01-01.days: required key"),
])
def test_a_value_with_two_forms_reports_only_the_form_written(change, expected):
    from .conftest import tiny

    with pytest.raises(scenario.ScenarioError) as info:
        scenario.from_dict(tiny(**change), "x.toml")
    assert len(info.value.problems) == 1
    assert expected in info.value.render()
