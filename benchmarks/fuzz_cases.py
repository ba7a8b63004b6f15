"""Hypothesis strategies for bad input: the bundled scenario files and overrides, mutated.

A case is a folder of scenario files (the one to load, maybe parents it extends) and a few
`--set` overrides. Mutations change a value's type or magnitude, delete or misspell keys,
break references (a route's site, main_site, shares by site), write unicode and control
characters into names and ids, nest values deeply, and change `extends` (another scenario,
a missing one, the file itself, a chain of files). Used by tests/test_fuzz.py and
benchmarks/fuzz.py; every case must end in exit 0 or 2, never a traceback.
"""

from __future__ import annotations

import contextlib
import copy
import io
import tempfile
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from channelsim import cli, provenance, scenario, tomltext

MAIN = "main.toml"
BUNDLED = {name: tomllib.loads((resources.files("channelsim") / "scenarios" / f"{name}.toml")
                               .read_text(encoding="utf-8"))
           for name in scenario.bundled_names()}
# every dotted key of the bundled scenarios as merged (a child's own file has few)
KEYS = sorted({key for name in BUNDLED for key, _ in provenance.values(
    scenario.read_raw(scenario.resolve_path(name)), whole=())})
IDS = ["calais", "calias", "dunkirk", "ouistreham", "Calais", "", "a" * 41, "x_1", "1x",
       "é", "ouistreham\u0000", "sites"]
MAGNITUDES = [0, -1, 1, 0.5, 1.7, 1e-300, 1e9, 1e300, 2**31, 2**63, 2**64, 4611686018427387904,
              float("inf"), float("nan"), -0.0]
JUNK = ["[" * 1200 + "]" * 1200, "{" * 40, "{a = 1", "abc", "inf", "nan", '"\\u0000"', "true",
        "2020-13-45", "{2020-01-01 = 2}", "{2020 = 1e9}", '{type = "detain", days = 0}',
        '"' + "é" * 200 + '"', "[]", "{}", "=", "a=b=c"]

scalars = st.one_of(st.integers(min_value=-2**70, max_value=2**70), st.floats(), st.booleans(),
                    st.text(max_size=40), st.dates(), st.sampled_from(MAGNITUDES))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
ids = st.sampled_from(IDS) | st.text(max_size=60)


@dataclass(frozen=True)
class Case:
    files: dict[str, str]  # file name -> text, MAIN among them
    overrides: list[str]

    def write(self, folder: Path) -> list[str]:
        """The files written into `folder`; the arguments that name them after a command."""
        for name, text in self.files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return [str(folder / MAIN)] + [f"--set={o}" for o in self.overrides]


def validate(case: Case) -> tuple[int, str]:
    """Exit code and stderr of `channelsim validate` on the case, in this process; any
    other exception is a traceback a user would see and is left to the caller."""
    with tempfile.TemporaryDirectory() as folder:
        argv = ["validate", *case.write(Path(folder))]
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = cli.main(argv)
            except SystemExit as exc:  # argparse refusing an argument
                code = exc.code
    return code, err.getvalue()


def _set(raw: dict[str, Any], key: str, value: Any) -> None:
    node: Any = raw
    parts = key.split(".")
    for part in parts[:-1]:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.setdefault(part, {})
        else:
            return
    if isinstance(node, dict):
        node[parts[-1]] = value


def _delete(raw: dict[str, Any], key: str) -> None:
    node: Any = raw
    parts = key.split(".")
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(parts[-1], None)


def _typo(key: str) -> str:
    head, _, last = key.rpartition(".")
    last = last[1:] + last[:1] if len(last) > 1 else last + "x"
    return f"{head}.{last}" if head else last


@st.composite
def _mutate(draw: st.DrawFn, raw: dict[str, Any], files: dict[str, str]) -> None:
    kind = draw(st.sampled_from(["type", "magnitude", "delete", "unknown", "reference",
                                 "unicode", "extends", "chain"]))
    key = draw(st.sampled_from(KEYS))
    if kind == "type":
        _set(raw, key, draw(values))
    elif kind == "magnitude":
        _set(raw, key, draw(st.sampled_from(MAGNITUDES)))
    elif kind == "delete":
        _delete(raw, key)
    elif kind == "unknown":
        _set(raw, _typo(key), draw(values))
    elif kind == "reference":
        where = draw(st.sampled_from(["routes.calais_ferry.site", "main_site",
                                      "campaigns", "funding.allocation", "rename"]))
        if where == "campaigns":
            raw["campaigns"] = [{"site": draw(ids), "start": draw(st.dates())}]
        elif where == "funding.allocation":
            _set(raw, where, {draw(ids): draw(scalars)})
        elif where == "rename" and isinstance(raw.get("sites"), dict) and raw["sites"]:
            old = draw(st.sampled_from(sorted(raw["sites"])))
            raw["sites"][draw(ids)] = raw["sites"].pop(old)
        else:
            _set(raw, where, draw(ids))
    elif kind == "unicode":
        where = draw(st.sampled_from(["name", "description", "sites.calais.name",
                                      "arrivals.origins"]))
        text = draw(st.text(st.characters(codec="utf-8"), max_size=400))
        _set(raw, where, {text: 1.0} if where == "arrivals.origins" else text)
    elif kind == "extends":
        raw["extends"] = draw(st.sampled_from([*BUNDLED, "nope", MAIN, "./parent.toml",
                                               "../none.toml", "", 5, ["a"]]))
        files.setdefault("parent.toml", tomltext.document(
            BUNDLED[draw(st.sampled_from(sorted(BUNDLED)))]))
    else:  # a chain of files extending one another, ending at a bundled scenario
        length = draw(st.integers(min_value=1, max_value=40))
        for i in range(length):
            files[f"c{i}.toml"] = f'extends = "c{i + 1}.toml"\nname = "c{i}"\n'
        files[f"c{length}.toml"] = f'extends = "{draw(st.sampled_from(sorted(BUNDLED)))}"\n'
        raw["extends"] = "c0.toml"


@st.composite
def overrides(draw: st.DrawFn) -> list[str]:
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        key = draw(st.sampled_from(KEYS) | st.sampled_from(KEYS).map(_typo)
                   | st.text(max_size=30))
        value = draw(values.map(tomltext.inline) | st.sampled_from(JUNK) | st.text(max_size=40))
        out.append(f"{key}={value}")
    return out


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A bundled scenario's own file, mutated one to four times, and some overrides."""
    raw = copy.deepcopy(BUNDLED[draw(st.sampled_from(sorted(BUNDLED)))])
    files: dict[str, str] = {}
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        draw(_mutate(raw, files))
    deep = draw(st.integers(min_value=10, max_value=3000))
    text = tomltext.document(raw)
    if draw(st.integers(min_value=0, max_value=7)) == 0:  # as text: too deep to write
        key = draw(st.sampled_from(["description", "arrivals", "campaigns", "zz"]))
        raw.pop(key, None)
        text = tomltext.document(raw) + f"{key} = {'[' * deep}{']' * deep}\n"
    files[MAIN] = text
    return Case(files, draw(overrides()))
