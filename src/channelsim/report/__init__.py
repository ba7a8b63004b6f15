"""`channelsim report`: an experiment's results as one offline HTML file, and as PNGs.

The figures are built once as plain descriptions (figures.py) and drawn twice, with plotly
for the page (html.py) and matplotlib for papers and slides (png.py), so the two never differ
in what they show.
"""

from __future__ import annotations

from pathlib import Path

from .load import ReportError, load

__all__ = ["ReportError", "build"]


def build(results: str | Path, output: str | Path | None = None,
          png_dir: str | Path | None = None, period: str | None = None) -> tuple[Path, list[Path]]:
    """Write the report of the experiment in `results`; returns the HTML path and the PNGs."""
    from . import figures, html

    exp = load(results)
    sections = figures.sections(exp, period)
    out = Path(output) if output else exp.folder / "report.html"
    html.write(exp, sections, out)
    pngs: list[Path] = []
    if png_dir is not None:
        from . import png

        pngs = png.write(sections, Path(png_dir))
    return out, pngs
