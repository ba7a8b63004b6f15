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


def _interval(mean, low, high):
    return {"mean": mean, "p05": low, "p95": high}


def test_a_table_of_intervals_too_wide_for_its_numbers_prints_row_by_row():
    """rich measures a no_wrap column by its longest word: the By site table of replicates
    seemed to fit in 80 columns, and was printed with its names gone and its numbers cut."""
    by_site = {"calais": _interval(74_224, 62_606, 86_367),
               "dunkirk": _interval(149_051, 104_524, 175_713),
               "ouistreham": _interval(2_190, 1_718, 2_743)}
    summary = {"scenario": "s", "start": "2020-01-01", "end": "2020-02-01", "reps": 3,
               "scorecard": {"crossings": _interval(225_464, 168_993, 263_732)},
               "crossings_by_site": by_site,
               "attempts_by_site": dict.fromkeys(by_site, _interval(763_970, 693_429, 825_213)),
               "peak_present_by_site": dict.fromkeys(by_site, _interval(28_015, 8_696, 46_396)),
               "crossings_by_route": {}, "crossings_by_year": {}}
    wide = _printed(report_text.print_summary, summary, 1000)
    for width in (60, 80, 100):
        text = _printed(report_text.print_summary, summary, width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert _numbers(wide) <= _numbers(text) and "…" not in text
        assert all(site in text for site in by_site)


def test_a_narrow_sweep_names_the_parameters_of_each_point():
    figures = {"crossings": 8_353.0, "interceptions": 23_009.0, "deaths": 1.0,
               "injuries": 62.0, "peak_present": 2_236.0}
    points = [{"values": {"sites.calais.officers": v, "sites.dunkirk.officers": 50},
               "summary": {"scorecard": figures}} for v in (200, 2_000)]
    sweep = {"scenario": "s", "design": "grid", "reps": 1, "points": points,
             "params": list(points[0]["values"])}
    text = _printed(report_text.print_sweep, sweep, 60)
    assert "sites.calais.officers = 2,000, sites.dunkirk.officers = 50" in text
    assert "crossings: 8,353;" in text


def test_stderr_never_breaks_a_path(tmp_path, capsys):
    path = tmp_path / ("a-folder-name-long-enough-that-the-path-is-wider-than-eighty-columns"
                       ".toml")
    assert cli.main(["scenarios", "new", str(path)]) == 0
    assert f"wrote {path}, extending channel-history:" in capsys.readouterr().err


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


def test_a_table_rich_would_cut_although_its_words_fit_prints_row_by_row():
    """The fit's table at 80 columns: the words' widths add up to less than 80, but rich shrank
    the widest column first and cut the series' names (small_boat_ar…)."""
    from channelsim.analysis.commands import print_fit

    score = {"ard": 0.97, "coverage_50": 0.15, "coverage_90": 0.17, "crps": 27_580.0, "n": 60}
    names = ["small_boat_arrivals_monthly", "juxtaposed_detections", "french_preventions"]
    result = {"scenario": "s", "reps": 2, "uncertainty": "chance only", "heldout": {},
              "series": dict.fromkeys(names, score)}
    for width in (60, 80, 100):
        text = _printed(print_fit, result, width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert "…" not in text and all(name in text for name in names), text


def test_the_intervals_line_keeps_the_posterior_s_path_whole(tmp_path, capsys):
    """At --width 60 the line `intervals include: ... (posterior PATH, N draws)` was folded
    inside the path, which then could not be copied."""
    from pathlib import Path

    import channelsim

    from .test_fit import SHORT

    shipped = Path(channelsim.__file__).parent / "scenarios" / "channel-history.posterior.json"
    posterior = tmp_path / "a-folder-whose-name-makes-the-path-wider-than-sixty" / "post.json"
    posterior.parent.mkdir()
    posterior.write_bytes(shipped.read_bytes())
    path = tmp_path / "short.toml"
    path.write_text(SHORT)
    assert cli.main(["forecast", str(path), "--until", "2019-01-31", "--posterior",
                     str(posterior), "--reps", "1", "--workers", "1", "--width", "60",
                     "--out", str(tmp_path / "fc")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{posterior},") for line in lines), lines[-3:]
    assert any(line.startswith("intervals include: chance and parameters") for line in lines)
