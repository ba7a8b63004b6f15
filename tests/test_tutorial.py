"""Every `channelsim ...` command in docs/tutorial.md parses, and its scenarios and overrides
validate (nothing is run: the tutorial's output was made by running them)."""

import shlex
from pathlib import Path

import pytest

from channelsim import cli, scenario

TUTORIAL = Path(__file__).parent.parent / "docs" / "tutorial.md"


def _commands() -> list[list[str]]:
    out = []
    for line in TUTORIAL.read_text(encoding="utf-8").splitlines():
        if line.startswith("    channelsim "):
            words = shlex.split(line)
            out.append(words[1:words.index("|")] if "|" in words else words[1:])
    return out


def test_the_tutorial_has_its_commands():
    verbs = [argv[0] for argv in _commands()]
    assert verbs.count("compare") == 4 and "export" in verbs and "scenarios" in verbs


@pytest.mark.parametrize("argv", _commands(), ids=lambda argv: " ".join(argv)[:60])
def test_each_command_parses_and_validates(argv):
    args = cli._parser().parse_args(argv)
    common = getattr(args, "overrides", [])
    if args.command == "compare":
        a = scenario.load(args.a, common)
        b = scenario.load(args.b, common + args.overrides_b)
        assert (a.start, a.end) == (b.start, b.end) and a.digest() != b.digest()
    elif args.command in ("run", "sweep", "validate") or getattr(args, "action", "") == "show":
        scenario.load(args.scenario if hasattr(args, "scenario") else args.name, common)


def test_the_payments_baseline_reuses_the_runs_of_the_first_comparison():
    first, second = [cli._parser().parse_args(argv) for argv in _commands()
                     if argv[0] == "compare" and "results/payments" in argv]
    digests = [{scenario.load(args.a, args.overrides).digest(),
                scenario.load(args.b, args.overrides + args.overrides_b).digest()}
               for args in (first, second)]
    assert digests[0] == digests[1]
