"""Tables readable at any width: they fit, or print row by row; no number is ever cut."""

import io
import json
import re

import pytest
from rich.console import Console

from channelsim import cli, report_text
from channelsim.report_text import fmt

from .test_cli import _tiny_file


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cmp")
    path = _tiny_file(folder)
    assert cli.main(["compare", str(path), str(path), "--set-b", "sites.calais.officers=150",
                     "--reps", "3", "--workers", "1", "--out", str(folder / "c")]) == 0
    return json.loads((folder / "c" / "summary.json").read_text())


def _printed(show, result, width):
    console = Console(width=width, file=io.StringIO(), color_system=None)
    show(result, console)
    return console.file.getvalue()


def _numbers(text):
    return set(re.findall(r"-?\d[\d,]*(?:\.\d+)?", text))


@pytest.mark.parametrize("width", [40, 60, 100, 200])
def test_a_comparison_fits_any_width_with_every_number_whole(comparison, width):
    text = _printed(report_text.print_comparison, comparison, width)
    assert max(len(line) for line in text.splitlines()) <= width
    wide = _printed(report_text.print_comparison, comparison, 1000)
    assert _numbers(wide) <= _numbers(text)  # each number of the wide form, unbroken
    assert "effect B - A" in text and "crossings" in text


def test_counts_in_a_comparison_are_whole_numbers(comparison):
    text = _printed(report_text.print_comparison, comparison, 200)
    row = next(line for line in text.splitlines() if "│ transfers" in line)
    assert "." not in row, row
    ratio = next(line for line in text.splitlines() if "attempts per crossing" in line)
    assert "." in ratio


def test_narrow_output_prints_whole_rows():
    summary = {"scenario": "s", "start": "2020-01-01", "end": "2020-02-01", "seed": 0,
               "scorecard": {"crossings": 341_024.0}, "crossings_by_site": {"calais": 1.0},
               "attempts_by_site": {"calais": 2.0}, "peak_present_by_site": {"calais": 3.0},
               "crossings_by_route": {"r": 4.0}, "crossings_by_year": {"2020": 5.0}}
    text = _printed(report_text.print_summary, summary, 24)
    assert "341,024" in text and "attempts: 2;" in text  # the By site row, wrapped


def test_piped_output_is_wide_and_width_is_an_option(capsys):
    assert report_text.console().width == report_text.PIPE_WIDTH  # pytest captures stdout
    assert report_text.console(50).width == 50
    assert cli.main(["scenarios", "show", "calais-clearance", "--width", "60"]) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) <= 60
    with pytest.raises(SystemExit):
        cli.main(["run", "--width", "5"])


def test_figures_keep_their_digits():
    assert fmt({"mean": 81.55, "p05": 0.0, "p95": 0.4}, whole=True) == "82 [0, 0]"
    assert fmt(1.104) == "1.10" and fmt(0.0012) == "0.0012" and fmt(0.0) == "0.00"
    assert fmt(12_345.6) == "12,346"
