"""`channelsim export`: every table of any experiment's store as CSV, whole or not at all."""

import csv

import duckdb

from channelsim import cli

from .test_cli import _tiny_file


def test_every_table_of_a_sweep_store_as_csv(tmp_path, capsys):
    path = _tiny_file(tmp_path)
    out = tmp_path / "s"
    assert cli.main(["sweep", str(path), "--param", "sites.calais.officers=10:90:2",
                     "--workers", "1", "--out", str(out)]) == 0
    capsys.readouterr()
    assert cli.main(["export", str(out), "--csv", str(tmp_path / "csv")]) == 0
    con = duckdb.connect(str(out / "results.duckdb"), read_only=True)
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()]
    assert {"runs", "people", "daily_sites"} <= set(names)
    for name in names:
        with open(tmp_path / "csv" / f"{name}.csv", newline="") as f:
            rows = list(csv.reader(f))
        assert len(rows) - 1 == con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        assert rows[0] == [d[0] for d in con.execute(f'SELECT * FROM "{name}"').description]
    assert "people.csv" in capsys.readouterr().out
    assert not list((tmp_path / "csv").glob(".*"))  # no partial file left


def test_one_table_and_bad_names_exit_2(tmp_path, capsys):
    path = _tiny_file(tmp_path)
    out = tmp_path / "r"
    assert cli.main(["run", str(path), "--out", str(out)]) == 0
    assert cli.main(["export", str(out / "results.duckdb"), "--table", "runs",
                     "--csv", str(tmp_path / "one")]) == 0
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["runs.csv"]
    capsys.readouterr()
    assert cli.main(["export", str(out), "--table", "peple", "--csv", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "--table peple" in err and "people" in err and not (tmp_path / "x").exists()
    assert cli.main(["export", str(tmp_path / "nowhere"), "--csv", str(tmp_path / "x")]) == 2
    assert "no results store" in capsys.readouterr().err
