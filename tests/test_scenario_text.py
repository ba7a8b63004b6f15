"""`scenarios show` prints every value as written with its source; `scenarios new` writes a
child scenario that validates as written and with every lever uncommented."""

import os
import re
import tomllib

import pytest

from channelsim import cli, scenario


def _shown(capsys, *argv):
    assert cli.main(["scenarios", "show", *argv]) == 0
    return capsys.readouterr().out


def test_show_prints_text_tables_and_small_rates_as_written(capsys):
    out = _shown(capsys, "ouistreham")
    assert 'sites.ouistreham.policy' in out and '{ type = "warn_release" }' in out
    assert '{ type = "detain", days = 1 }' in out  # Calais, inherited
    assert re.search(r"sites\.ouistreham\.arrival_share\s*│ 0\.002 ", out)
    assert '"lorry_ferry"' in out and "report_ouistreham_45_interceptions" in out


def test_compact_show_fits_a_screen(capsys):
    out = _shown(capsys, "ouistreham", "--compact", "--width", "100")
    lines = out.splitlines()
    assert len(lines) < 40 and max(len(line) for line in lines) <= 100
    assert "extends channel-history" in lines[1]
    assert any(line.startswith("sites.ouistreham.officers") and "[assumption]" in line
               for line in lines)
    base = _shown(capsys, "channel-history", "--compact")
    assert "funding.payments" in base and "extends" not in base.splitlines()[1]


def _uncommented(text):
    return re.sub(r"^# ([a-z\"][^ ]* = )", r"\1", text, flags=re.MULTILINE)


@pytest.mark.parametrize("parent", scenario.bundled_names())
def test_new_writes_a_child_that_validates(tmp_path, capsys, parent):
    path = tmp_path / "mine.toml"
    assert cli.main(["scenarios", "new", str(path), "--from", parent]) == 0
    text = path.read_text()
    assert f'extends = "{parent}"' in text and "# sites.calais.officers = " in text
    child = scenario.load(path)
    assert child.name == "mine"
    assert child.model_dump(exclude={"name", "description", "sources"}) == scenario.load(
        parent).model_dump(exclude={"name", "description", "sources"})
    every = tmp_path / "every.toml"
    every.write_text(_uncommented(text))
    levers = tomllib.loads(every.read_text())
    assert "sites" in levers and len(levers["sources"]) >= 10
    assert scenario.load(every).digest() == child.digest()  # the same values, written out


def test_new_refuses_an_existing_file_or_a_name_without_toml(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text("keep")
    assert cli.main(["scenarios", "new", str(path)]) == 2
    assert "exists" in capsys.readouterr().err and path.read_text() == "keep"
    assert cli.main(["scenarios", "new", str(tmp_path / "mine")]) == 2
    assert ".toml" in capsys.readouterr().err
    assert cli.main(["scenarios", "new", str(tmp_path / "x.toml"), "--from", "nope"]) == 2
    assert cli.main(["scenarios", "new", str(tmp_path / "no" / "x.toml")]) == 2
    assert cli.main(["scenarios", "new", os.fsdecode(bytes(tmp_path / "a") + b"\xff.toml")]) == 2
    assert "UTF-8" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [path]  # nothing half-written


def test_validate_warns_of_a_changed_number_without_a_source(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    assert cli.main(["scenarios", "new", str(path)]) == 0
    text = path.read_text()
    assert "warns of a number without a source" in text
    path.write_text(text.replace("# behaviour.attempt_probability = ",
                                 "behaviour.attempt_probability = 0.5 # "))
    capsys.readouterr()
    assert cli.main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "valid scenario" in out
    assert err.startswith(f"warning: {path}: 1 number without a usable source")
    assert "behaviour.attempt_probability = 0.5: no source" in err
    assert '"behaviour.attempt_probability" = "assumption: <why this value>"' in err
    assert cli.main(["validate", str(path), "--strict"]) == 2
    assert "behaviour.attempt_probability = 0.5: no source" in capsys.readouterr().err
    path.write_text(path.read_text().replace('# "behaviour.attempt_probability" = ',
                                             '"behaviour.attempt_probability" = '))
    assert cli.main(["validate", str(path), "--strict"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name", scenario.bundled_names())
def test_a_bundled_scenario_validates_strictly_without_warnings(capsys, name):
    assert cli.main(["validate", name, "--strict"]) == 0
    assert capsys.readouterr().err == ""
