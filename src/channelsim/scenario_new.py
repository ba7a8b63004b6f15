"""`channelsim scenarios new FILE --from NAME`: a child scenario to edit.

The file extends NAME and lists the main levers commented out, each with its value in NAME
(as TOML, ready to edit) and where that value comes from, and a [sources] line for each to
fill in: a changed number should cite its evidence or give its reason; `validate` warns of one
that does not, and `validate --strict` refuses it. As written it is NAME under a new name, and
it is validated before it is kept.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import scenario, tomltext
from .scenario_text import rows

# (dotted key, <site> for each site; what it is)
LEVERS = (
    ("start", "first day simulated"),
    ("end", "last day simulated"),
    ("arrivals.per_year", "people reaching the coast each year"),
    ("behaviour.attempt_probability", "nightly chance that a person waiting tries"),
    ("sites.<site>.officers", "French officers at the site (a number or dated values)"),
    ("sites.<site>.uk_officers", "British officers deployed at the site"),
    ("sites.<site>.policy", "what happens to the intercepted: warn_release, detain (days), "
                            "transfer (return_probability, return_delay_days)"),
    ("sites.<site>.arrival_share", "share of newcomers who arrive at this site first"),
    ("sites.<site>.juxtaposed_controls", "UK border checks in France (true/false)"),
    ("sites.<site>.boat_supply", "boats and engines reaching smugglers (1 = usual)"),
    ("funding.payments", "UK payments to France, GBP a year"),
    ("funding.allocation", "share of the UK money spent at each site"),
)


def template(path: Path, parent: str) -> str:
    sc = scenario.load(parent)
    parent_path = scenario.resolve_path(parent)
    extends = (os.path.relpath(parent_path, path.parent) if scenario.is_path(parent)
               else parent)
    raw = scenario.read_raw(parent_path)
    sources = {r.key: r.short or "text, needs no source" for r in rows(raw)}
    defaults = sc.model_dump()
    lines = [
        f"# {path.name}: a variant of {sc.name}. Uncomment a lever and change its value; give",
        "# each changed number its source in [sources] below (evidence ids of",
        "# data/evidence.csv, or \"assumption: <reason>\"). Check it with",
        f"# `channelsim validate {path}`: it warns of a number without a source (and",
        f"# `--strict` refuses it); every value of {sc.name}:",
        f"# `channelsim scenarios show {parent}`.",
        f"extends = {tomltext.inline(extends)}",
        f"name = {tomltext.inline(path.stem)}",
        f"description = {tomltext.inline(f'{sc.name}, changed: (say what)')}",
        "",
        f"# The main levers, with their values in {sc.name} [and their sources]:",
    ]
    keys = []
    for pattern, what in LEVERS:
        for key in ([pattern.replace("<site>", s) for s in sc.sites] if "<site>" in pattern
                    else [pattern]):
            value = _lookup(raw, key)
            value = _lookup(defaults, key) if value is None else value
            if value is None:
                continue
            keys.append(key)
            source = sources.get(key) or f"default, not set in {sc.name}"
            lines += ["", f"# {what} [{source}]", f"# {key} = {tomltext.inline(value)}"]
    lines += ["", "[sources]"]
    lines += [f"# {tomltext.inline(key)} = \"assumption: <why this value>\"" for key in keys]
    return "\n".join(lines) + "\n"


def _lookup(values: dict[str, Any], key: str) -> Any:
    node: Any = values
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def write(path: Path, parent: str) -> None:
    """Write the template to `path` (a new .toml file) once it validates."""
    if path.suffix != ".toml":
        raise scenario.ScenarioError(str(path), [("", "a scenario file's name ends in .toml "
                                                      "(without it, it reads as a bundled name)")],
                                     "cannot be written")
    if path.exists() or path.is_symlink():
        raise scenario.ScenarioError(str(path), [("", "exists; choose a new file name")],
                                     "cannot be written")
    text = template(path, parent)
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        scenario.load(partial)
        os.replace(partial, path)
    except scenario.ScenarioError as exc:  # e.g. a file name that is no scenario name
        raise scenario.ScenarioError(str(path), exc.problems, "cannot be written") from None
    except OSError as exc:
        raise scenario.ScenarioError(str(path), [("", f"cannot write the file: {exc.strerror}")],
                                     "cannot be written") from None
    except UnicodeEncodeError:
        raise scenario.ScenarioError(repr(str(path)), [("", "the file name is not valid UTF-8")],
                                     "cannot be written") from None
    finally:
        partial.unlink(missing_ok=True)
