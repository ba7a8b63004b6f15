"""The command line: `channelsim run | validate | scenarios`.

Bad input exits with code 2 and a message naming the file, the key and what is allowed;
an interrupted run exits 130 and leaves no half-written results.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from . import __version__, scenario, store
from .experiments import run_ensemble, summarise
from .report_text import print_summary

DEFAULT_SCENARIO = "channel-history"
BAD_INPUT, INTERRUPTED = 2, 130


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    err = Console(stderr=True)
    try:
        return args.handler(args, err)
    except scenario.ScenarioError as exc:
        print(f"error: {exc.render()}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # e.g. `channelsim run --json | head`
        sys.stderr.close()
        return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="channelsim", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"channelsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="simulate a scenario, print a summary, write results")
    r.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                   help=f"a TOML file or a bundled scenario name (default: {DEFAULT_SCENARIO})")
    r.add_argument("--seed", type=_nonneg_int, default=0, help="first seed (default 0)")
    r.add_argument("--reps", type=_pos_int, default=1, help="replicates, seeds seed..seed+reps-1")
    r.add_argument("--out", type=Path, default=None,
                   help="results folder (default results/<scenario>)")
    r.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    r.add_argument("--debug", action="store_true", help="check the invariants every day")
    r.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value, e.g. --set sites.calais.officers=1500")
    r.set_defaults(handler=_cmd_run)

    v = sub.add_parser("validate", help="check a scenario file; nothing is run")
    v.add_argument("scenario")
    v.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    v.set_defaults(handler=_cmd_validate)

    s = sub.add_parser("scenarios", help="the bundled scenarios")
    s.add_argument("action", choices=["list"])
    s.set_defaults(handler=_cmd_scenarios)
    return p


def _pos_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _nonneg_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _cmd_run(args: argparse.Namespace, err: Console) -> int:
    sc = scenario.load(args.scenario, args.overrides)
    out = args.out or Path("results") / sc.name
    if out.exists() and not out.is_dir():
        raise scenario.ScenarioError("--out", [(str(out), "exists and is not a folder")])
    with Progress(
        TextColumn(f"[bold]{sc.name}[/] x{args.reps}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("days"), TimeRemainingColumn(), console=err, transient=True,
    ) as bar:
        task = bar.add_task("run", total=args.reps * _n_days(sc))

        def progress(done: int, total: int) -> None:
            if done % 30 == 0 or done == total:
                bar.update(task, completed=done)

        runs = run_ensemble(sc, seed=args.seed, reps=args.reps, debug=args.debug,
                            progress=progress)
    summary = summarise(runs)
    written = store.write(out, runs, summary)
    if args.json:
        print(json.dumps(summary | {"results": str(written)}))
    else:
        print_summary(summary, Console())
        err.print(f"results written to {written}/ (Parquet, results.duckdb, summary.json)")
    return 0


def _n_days(sc: scenario.Scenario) -> int:
    return (sc.end - sc.start).days + 1


def _cmd_validate(args: argparse.Namespace, err: Console) -> int:
    sc = scenario.load(args.scenario, args.overrides)
    print(f"{args.scenario}: valid scenario '{sc.name}' ({sc.start} to {sc.end}, "
          f"{len(sc.sites)} sites, {len(sc.routes)} routes, hash {sc.digest()})")
    return 0


def _cmd_scenarios(args: argparse.Namespace, err: Console) -> int:
    rows: list[dict[str, Any]] = []
    for name in scenario.bundled_names():
        sc = scenario.load(name)
        rows.append({"name": name, "period": f"{sc.start} to {sc.end}",
                     "description": sc.description})
    for row in rows:
        print(f"{row['name']:<20} {row['period']:<26} {row['description']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
