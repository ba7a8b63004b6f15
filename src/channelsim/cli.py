"""The command line: `channelsim run | compare | sweep | validate | scenarios | report | serve`.

Bad input, including a results store or a Dask scheduler that cannot be used, exits with code 2
and a message naming what is wrong and what is allowed. Runs are committed to the folder's
results store as they finish: an interrupted command exits 130 keeping every finished run, and
the same command run again resumes where it stopped.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, jsontext, limits
from .errors import BackendError, Override, ScenarioError, StoreError, did_you_mean
from .experiments import sweep as sweeps

if TYPE_CHECKING:  # the engine, numba and DuckDB load only in the commands that run, and
    # pydantic's scenario models and rich only in those that read a scenario or print
    from rich.console import Console

    from .experiments import Dask, Processes, Serial
    from .scenario import Scenario
    from .store import Key, Store

DEFAULT_SCENARIO = "channel-history"
BAD_INPUT, INTERRUPTED = 2, 130


class Interrupted(Exception):
    """Ctrl-C during an experiment; the message says what was kept."""


# Collect the youngest objects after this many more allocations than frees (Python: 700).
# A command builds hundreds of thousands of lasting objects (numba's types and registries,
# the scenario's models), so at 700 the collector ran about 300 times in the history run and
# walked the older ones 29 times, 0.12-0.14 s of CPU, for about 4,000 objects freed.
YOUNG_COLLECTION = 100_000


def main(argv: list[str] | None = None) -> int:
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])
    args = _parser().parse_args(argv)
    from rich.console import Console

    # messages are whole lines, wrapped by the terminal if at all: rich's own wrapping (at 80
    # columns when piped) broke paths, so one copied from a log or a terminal did not work
    err = Console(stderr=True, soft_wrap=True)
    try:
        return args.handler(args, err)
    except ScenarioError as exc:
        print(f"error: {exc.render()}", file=sys.stderr)
        return BAD_INPUT
    except (StoreError, BackendError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    except Interrupted as exc:
        print(f"interrupted: {exc}", file=sys.stderr)
        return INTERRUPTED
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # e.g. `channelsim run --json | head`
        sys.stderr.close()
        return 0


class _Command(argparse.ArgumentParser):
    """A command's parser: an option it does not know is refused with this command's usage
    and its nearest option (`run --sed 3`: did you mean '--seed'?), not the top-level usage."""

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        parsed, extra = super().parse_known_args(args, namespace)
        if extra:
            self.error(_unrecognized(extra, list(self._option_string_actions)))
        return parsed, extra


def _unrecognized(extra: list[str], options: list[str]) -> str:
    hint = did_you_mean(extra[0], [o for o in options if o.startswith("--")]
                        ) if extra[0].startswith("-") else ""
    return f"unrecognized arguments: {' '.join(extra)}" + (f"; {hint.strip()}" if hint else "")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="channelsim", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"channelsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Command)

    r = sub.add_parser("run", help="simulate a scenario, print a summary, write results")
    r.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                   help=f"a TOML file or a bundled scenario name (default: {DEFAULT_SCENARIO})")
    _experiment_options(r, reps=1)
    _posterior_option(r)
    r.set_defaults(handler=_cmd_run)

    c = sub.add_parser("compare", help="paired runs of two scenarios: the effect of B against A")
    c.add_argument("a", help="the baseline scenario (file or bundled name)")
    c.add_argument("b", help="the alternative scenario")
    c.add_argument("--set-b", dest="overrides_b", action="append", default=[],
                   type=lambda text: Override(text, "--set-b"),
                   metavar="KEY=VALUE", help="override a value of B only (the lever to test)")
    c.add_argument("--different-periods", action="store_true",
                   help="compare scenarios whose start and end differ (refused otherwise)")
    _experiment_options(c, reps=10)
    _posterior_option(c)
    c.set_defaults(handler=_cmd_compare)

    w = sub.add_parser("sweep", help="run a scenario over a grid or Latin hypercube of values")
    w.add_argument("scenario")
    w.add_argument("--param", dest="params", action="append", required=True,
                   metavar="KEY=LOW:HIGH:STEPS",
                   help="a dotted key and its range, e.g. sites.calais.officers=200:2000:10; "
                        "whole-number bounds give whole-number values")
    w.add_argument("--design", choices=sweeps.DESIGNS, default="grid",
                   help="grid: every combination; lhs: a Latin hypercube drawn from --seed")
    w.add_argument("--points", type=_pos_int, default=None,
                   help="points of a Latin hypercube (default: as many as the grid)")
    _experiment_options(w, reps=1)
    _posterior_option(w)
    w.set_defaults(handler=_cmd_sweep)

    v = sub.add_parser("validate", help="check a scenario file; nothing is run")
    v.add_argument("scenario")
    v.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    v.add_argument("--strict", action="store_true",
                   help="refuse a number without a source in [sources] (default: warn)")
    v.set_defaults(handler=_cmd_validate)

    cal = sub.add_parser("calibrate", help="fit a scenario's [calibration] priors to the "
                                           "observed series (ABC-SMC); writes posterior.json")
    cal.add_argument("scenario")
    cal.add_argument("--particles", type=_bounded(2, MAX_REPS), default=100)
    cal.add_argument("--generations", type=_pos_int, default=5)
    cal.add_argument("--kernel", choices=["mcmc", "olcm", "global"], default="mcmc",
                     help="mcmc (default): copies of the particles within the new tolerance "
                          "take Metropolis-Hastings steps, weights stay equal (Del Moral et "
                          "al. 2012); olcm or global: importance sampling with each "
                          "particle's locally optimal covariance (Filippi et al. 2013) or "
                          "twice the population's")
    _experiment_options(cal, reps=1)
    cal.set_defaults(handler=_cmd_calibrate)

    sen = sub.add_parser("sensitivity", help="Morris screening or Sobol indices of every "
                                             "scorecard figure over [calibration] parameters")
    sen.add_argument("scenario")
    sen.add_argument("--method", choices=["morris", "sobol"], default="morris")
    sen.add_argument("--n", type=_pos_int, default=None,
                     help="Morris trajectories (default 10) or Sobol base samples (default 64)")
    _experiment_options(sen, reps=1)
    sen.set_defaults(handler=_cmd_sensitivity)

    f = sub.add_parser("fit", help="posterior predictive runs against the observed series: "
                                   "ARD, band coverage, CRPS, and the held-out forecast")
    f.add_argument("scenario")
    _experiment_options(f, reps=20)
    _posterior_option(f)
    f.set_defaults(handler=_cmd_fit)

    fc = sub.add_parser("forecast", help="crossings by mode by month with 50%% and 90%% bands "
                                         "from the posterior, the inflow walked forward")
    fc.add_argument("scenario")
    fc.add_argument("--until", type=_day, required=True, metavar="DATE",
                    help="the last day to forecast, e.g. 2026-12-31")
    _experiment_options(fc, reps=20)
    _posterior_option(fc)
    fc.set_defaults(handler=_cmd_forecast)

    s = sub.add_parser("scenarios", help="the bundled scenarios: list them, show one's "
                                         "values with their sources, or start a new one")
    s.add_argument("action", choices=["list", "show", "new"])
    s.add_argument("name", nargs="?", help="with show: a bundled scenario name or a TOML file; "
                                           "with new: the .toml file to write")
    s.add_argument("--from", dest="parent", default=DEFAULT_SCENARIO, metavar="NAME",
                   help="with new: the scenario the new file extends (default: "
                        f"{DEFAULT_SCENARIO})")
    s.add_argument("--compact", action="store_true",
                   help="with show: one line a value; for a child, only the values it sets")
    _width_option(s)
    s.set_defaults(handler=_cmd_scenarios)
    k = sub.add_parser("compile", help="compile the engine's kernels now, in parallel (a first "
                                       "run does it otherwise)")
    k.add_argument("--workers", type=_pos_int, default=None, metavar="N",
                   help="worker processes (default: one per core)")
    k.set_defaults(handler=_cmd_compile)
    _look_commands(sub)
    return p


def _experiment_options(p: argparse.ArgumentParser, reps: int) -> None:
    p.add_argument("--seed", type=_bounded(0, MAX_SEED), default=0,
                   help="first seed (default 0)")
    p.add_argument("--reps", type=_bounded(1, MAX_REPS), default=reps,
                   help=f"replicates, seeds seed..seed+reps-1 (default {reps})")
    p.add_argument("--out", type=Path, default=None,
                   help="results folder; running the same command again resumes in it "
                        "(default: under results/, one folder per scenario variant and seeds)")
    p.add_argument("--yes", action="store_true",
                   help=f"run an experiment past {limits.WORK_LIMIT:,} person-days")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    _width_option(p)
    p.add_argument("--debug", action="store_true", help="check the invariants every day")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario value, e.g. --set sites.calais.officers=1500")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_pos_int, default=None, metavar="N",
                       help="local worker processes (default: one per core; 1 runs in this "
                            "process)")
    where.add_argument("--dask-local", type=_pos_int, default=None, metavar="N",
                       help="start a Dask LocalCluster of N single-threaded workers on 127.0.0.1")
    where.add_argument("--scheduler", type=_address, default=None, metavar="ADDRESS",
                       help="run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786")


def _width_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--width", type=_bounded(20, 1000), default=None, metavar="N",
                   help="print tables N columns wide (default: the terminal's; piped: "
                        "200); a table that does not fit is printed row by row")


def _posterior_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--posterior", default=None, metavar="FILE",
                   help="a calibration's posterior.json: replicate i runs draw i with seed i "
                        "(default: the one a bundled scenario ships; 'none': chance only)")


def _posterior(args: argparse.Namespace, err: Console, arms: list[tuple[str, list[str]]],
               scenarios: list[Scenario]) -> Any:
    """The posterior the first arm's scenario takes, to draw from in every arm, if any; the
    work is checked first, before a scenario is built for each replicate. A fitted parameter
    that a user's file sets, and the arm's overrides do not, is warned of: the draw replaces
    it."""
    limits.check_work(scenarios, args.reps, args.yes)
    from .analysis import posterior

    post = posterior.choose(args.posterior, arms[0][0])
    for where in dict.fromkeys(w for name, overrides in arms
                               for w in post.replaces(name, overrides)) if post else ():
        err.print(f"warning: {where} is fitted by the posterior, so each replicate's draw "
                  "replaces the file's value; to hold it, give it with --set (which comes "
                  "after the draw) or run with --posterior none", highlight=False,
                  markup=False)
    return post


def _uncertainty(post: Any, reps: int) -> dict[str, str]:
    from .analysis.posterior import CHANCE_ONLY

    return {"uncertainty": post.describe(reps) if post else CHANCE_ONLY}


MAX_SEED, MAX_REPS = 2**62, 1_000_000  # seeds are stored as 64-bit integers


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}")
        return value

    return parse


_pos_int = _bounded(1, MAX_REPS)


def _address(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty; give the scheduler's address, e.g. "
                                         "tcp://10.0.0.5:8786, or leave --scheduler out to run "
                                         "here")
    return text


# ------------------------------------------------------------------ experiments


def _cmd_run(args: argparse.Namespace, err: Console) -> int:
    from . import scenario
    from .experiments import combine
    from .report_text import print_summary

    sc = scenario.load(args.scenario, args.overrides)
    post, seeds = _posterior(args, err, [(args.scenario, args.overrides)], [sc]), _seeds(args)
    scs = [post.scenario(args.scenario, args.overrides, s) for s in seeds] if post else [sc]
    out = _out(args, sc.name, [sc])
    with _experiment(args, err, scs, out, sc.name, seeds if post else None) as (st, keys):
        summary = combine(st.summaries(keys)) | _uncertainty(post, args.reps)
        st.export(out, keys, summary)
    return _report(args, err, summary, out, print_summary)


def _cmd_compare(args: argparse.Namespace, err: Console) -> int:
    from . import scenario
    from .experiments import compare
    from .report_text import print_comparison
    from .world import main_site

    a = scenario.load(args.a, args.overrides)
    b = scenario.load(args.b, args.overrides + args.overrides_b)
    if (a.start, a.end) != (b.start, b.end) and not args.different_periods:
        raise ScenarioError("compare", [("start, end", (
            f"{a.name} runs {a.start} to {a.end}, {b.name} {b.start} to {b.end}: their "
            "difference is not the effect of one change; give --different-periods to compare "
            "them anyway"))], "different periods")
    out = _out(args, f"compare-{a.name}-{b.name}", [a, b],
               variant=bool(args.overrides or args.overrides_b))
    arms = [(args.a, args.overrides), (args.b, args.overrides + args.overrides_b)]
    post, seeds = _posterior(args, err, arms, [a, b]), _seeds(args)
    arm_a, arm_b = ([post.scenario(args.a, args.overrides, s) for s in seeds],
                    [post.scenario(args.b, args.overrides + args.overrides_b, s) for s in seeds]
                    ) if post else ([a] * len(seeds), [b] * len(seeds))
    runs = (arm_a + arm_b, seeds + seeds) if post else ([a, b], None)
    with _experiment(args, err, runs[0], out, f"{a.name} vs {b.name}", runs[1]) as (st, keys):
        result = compare(*(st.summaries([(x.digest(), s) for x, s in zip(arm, seeds, strict=True)])
                           for arm in (arm_a, arm_b)), main_site(a))
        result |= _uncertainty(post, args.reps)
        st.export(out, keys, result)
    return _report(args, err, result, out, print_comparison)


def _cmd_sweep(args: argparse.Namespace, err: Console) -> int:
    from . import scenario
    from .experiments import combine
    from .report_text import print_sweep

    params = [sweeps.parse_param(text) for text in args.params]
    points = sweeps.design(params, args.design, args.points, seed=args.seed)
    scs = [scenario.load(args.scenario, args.overrides + sweeps.overrides(pt, params))
           for pt in points]
    name = scs[0].name
    design = hashlib.sha256("".join(sc.digest() for sc in scs).encode()).hexdigest()[:8]
    out = _out(args, f"sweep-{name}-{design}", scs, variant=False)  # a folder per design
    held = args.overrides + sweeps.overrides(points[0], params)  # every point sets its keys
    seeds, post = _seeds(args), _posterior(args, err, [(args.scenario, held)], scs)
    runs = [[post.scenario(args.scenario, args.overrides + sweeps.overrides(pt, params), s)
             for s in seeds] if post else [sc] * len(seeds)
            for pt, sc in zip(points, scs, strict=True)]
    with _experiment(args, err, sum(runs, []) if post else scs, out, f"{name} sweep",
                     seeds * len(scs) if post else None) as (st, keys):
        ensembles = [combine(st.summaries([(x.digest(), s) for x, s in
                                           zip(row, seeds, strict=True)])) for row in runs]
        result = sweeps.summary(name, args.design, params, seeds, points,
                                [sc.digest() for sc in scs], ensembles)
        result |= _uncertainty(post, args.reps)
        st.export(out, keys, result)
    return _report(args, err, result, out, print_sweep)


def _report(args: argparse.Namespace, err: Console, result: dict[str, Any], out: Path,
            show: Callable[[dict[str, Any], Console], None]) -> int:
    from .report_text import console, say
    from .store import POSTERIOR_FILE, STORE_FILE

    if args.json:
        print(jsontext.dumps(result | {"results": str(out)}))
    else:
        show(result, console(args.width))
        if "uncertainty" in result:
            say(console(args.width), f"intervals include: {result['uncertainty']}")
        files = ["Parquet"] if any(out.glob("*.parquet")) else []
        files += [n for n in (STORE_FILE, "summary.json", "fit.json", "forecast.json",
                                  POSTERIOR_FILE)
                  if (out / n).is_file()]
        err.print(f"results written to {out}/ ({', '.join(files)})")
    return 0


def _seeds(args: argparse.Namespace) -> list[int]:
    return list(range(args.seed, args.seed + args.reps))


def _out(args: argparse.Namespace, name: str, scenarios: list[Scenario],
         variant: bool | None = None) -> Path:
    """The results folder: --out, or one under results/ for this variant and these seeds, so
    that a run with --set never replaces the bundled scenario's results, nor a run of seed 0
    the summary of 20 replicates."""
    if args.out is not None:
        return _checked_out(args.out)
    folder = name
    if args.overrides if variant is None else variant:
        folder += "-" + "-".join(sc.digest()[:8] for sc in scenarios)
    if (args.seed, args.reps) != (0, 1):
        folder += f"-seeds{args.seed}-{args.seed + args.reps - 1}"
    return Path("results") / folder


def _checked_out(out: Path) -> Path:
    text = str(out)
    problem = None
    if not text.strip() or text == ".":
        problem = "is empty: name a folder for the results (it would be the current folder)"
    else:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            problem = "is not valid UTF-8; name a folder in UTF-8"
    if problem is None and len(os.fsencode(out.name)) > 255:
        problem = "has a name longer than 255 bytes"
    if problem:
        raise ScenarioError("--out", [(repr(text)[:80], problem)],
                            "cannot hold the results")
    return out


@contextmanager
def _experiment(args: argparse.Namespace, err: Console, scenarios: list[Scenario],
                out: Path, label: str, paired: list[int] | None = None
                ) -> Iterator[tuple[Store, list[Key]]]:
    """Run every (scenario, seed) not yet in out's store, or with `paired` seeds scenario k
    with seed k only (posterior draws); then hand over the store and keys."""
    from .doubts import doubts
    from .engine import compiled
    from .experiments import execute, plan
    from .experiments.backends import ctrl_c_deferred
    from .progress import RunsProgress
    from .store import STORE_FILE, Store
    from .warmup import compile_kernels

    limits.check_work(scenarios, 1 if paired else args.reps, args.yes)
    for sc in {id(sc): sc for sc in scenarios[:1] + scenarios[-1:]}.values():
        for line in doubts(sc):
            err.print(f"warning: {sc.name}: {line}", highlight=False, markup=False)
    if out.exists() and not out.is_dir():
        raise ScenarioError("--out", [(str(out), "exists and is not a folder")],
                            "cannot hold the results")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScenarioError("--out", [(str(out), f"cannot create the folder: "
                                                 f"{exc.strerror}")],
                            "cannot hold the results") from None
    store = out / STORE_FILE
    if store.is_symlink():
        raise StoreError(f"{store} is a symbolic link; a results store must be a file in the "
                         "results folder (remove the link or choose another --out)")
    if not os.access(out, os.W_OK | os.X_OK):
        raise StoreError(f"{out}: the results folder is not writable; choose another --out")
    with Store(store) as st:
        keys, todo = plan(st, scenarios, paired or _seeds(args), paired is not None)
        if len(todo) < len(keys):
            err.print(f"resuming: {len(keys) - len(todo)} of {len(keys)} runs are already "
                      f"finished in {st.path}", highlight=False)
        if todo and args.scheduler is None and not compiled():  # a cluster compiles its own
            err.print("first run of this version: compiling the engine's kernels (once; "
                      "`channelsim compile` does it ahead)", highlight=False)
            compile_kernels(lambda line: err.print(line, highlight=False))
        try:
            with ctrl_c_deferred(), \
                    RunsProgress(err, label, len(keys), len(keys) - len(todo)) as progress, \
                    _backend(args, len(todo)) as backend:
                execute(st, todo, backend, debug=args.debug, on_done=progress.advance)
            yield st, keys
        except KeyboardInterrupt:
            done = len(st.finished(keys))
            raise Interrupted(f"{done} of {len(keys)} runs are finished and kept in {st.path}; "
                              "run the same command again to resume") from None


def _backend(args: argparse.Namespace, todo: int) -> Serial | Processes | Dask:
    from .experiments import Dask, Processes, Serial

    if todo == 0:
        return Serial()
    if args.scheduler is not None:
        return Dask(address=args.scheduler)
    if args.dask_local:
        return Dask(workers=args.dask_local)
    workers = min(args.workers or os.cpu_count() or 1, todo)
    return Processes(workers) if workers > 1 else Serial()


def _cmd_calibrate(args: argparse.Namespace, err: Console) -> int:
    from .analysis import commands  # scipy-free, but pandas and the ABC code load only here

    try:
        summary, out = commands.calibrate(args.scenario, args.particles, args.generations,
                                          args.seed, args.out, _backend(args, args.particles),
                                          err, args.kernel)
    except KeyboardInterrupt:
        raise Interrupted("every whole generation is kept; the same command resumes") from None
    return _report(args, err, summary, out, commands.print_calibration)


def _cmd_sensitivity(args: argparse.Namespace, err: Console) -> int:
    from .analysis import scenario_sensitivity as sa  # SALib only when asked for

    d = sa.Design.of(args.scenario, args.overrides, args.method, args.n, args.seed)
    out = _out(args, f"sensitivity-{args.method}-{d.base.name}", [d.base],
               variant=bool(args.overrides))
    with _experiment(args, err, d.scenarios, out, f"{d.base.name} {args.method}") as (st, keys):
        result = d.result(st, _seeds(args), keys)
        st.export(out, keys, result)
    return _report(args, err, result, out, sa.print_ranked)


def _cmd_fit(args: argparse.Namespace, err: Console) -> int:
    from . import scenario
    from .analysis import commands

    post = _posterior(args, err, [(args.scenario, args.overrides)],
                      [scenario.load(args.scenario, args.overrides)])
    result, out = commands.fit(args.scenario, args.overrides, post, _seeds(args), args.out,
                               _backend(args, args.reps), _uncertainty(post, args.reps)
                               ["uncertainty"])
    return _report(args, err, result, out, commands.print_fit)


def _cmd_forecast(args: argparse.Namespace, err: Console) -> int:
    from . import scenario
    from .analysis import commands

    post = _posterior(args, err, [(args.scenario, args.overrides)],
                      [scenario.load(args.scenario, args.overrides)])
    result, out = commands.forecast(args.scenario, args.overrides, post, _seeds(args),
                                    args.until, args.out, _backend(args, args.reps),
                                    _uncertainty(post, args.reps)["uncertainty"])
    return _report(args, err, result, out, commands.print_forecast)


def _day(text: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


# ------------------------------------------------------------------ other commands


def _cmd_validate(args: argparse.Namespace, err: Console) -> int:
    from . import scenario
    from .doubts import doubts

    sc = scenario.load(args.scenario, args.overrides)
    if sc.calibration is not None:
        from .analysis.targets import unsimulated

        if problems := unsimulated(sc.calibration):
            raise ScenarioError(args.scenario, problems, "cannot be calibrated")
    for line in doubts(sc):
        err.print(f"warning: {line}", highlight=False, markup=False)
    _check_sources(args, err)
    print(f"{args.scenario}: valid scenario '{sc.name}' ({sc.start} to {sc.end}, "
          f"{len(sc.sites)} sites, {len(sc.routes)} routes, hash {sc.digest()})")
    return 0


def _check_sources(args: argparse.Namespace, err: Console) -> None:
    """A number of the file (not of a --set) without a source: legal, so a warning, since the
    scenario then cannot say where it comes from; refused with --strict."""
    from . import provenance, scenario
    from .report_text import counted

    problems = provenance.unsourced(scenario.read_raw(scenario.resolve_path(args.scenario)))
    if not problems:
        return
    example = problems[0][0].partition(" = ")[0]
    found = ScenarioError(args.scenario, problems, (
        f"{counted(len(problems), 'number')} without a usable source (valid, "
        "but it cannot say where it comes from); give each a line in the file's [sources], "
        f"e.g. \"{example}\" = \"assumption: <why this value>\""))
    if args.strict:
        raise found
    err.print(f"warning: {found.render()}", highlight=False, markup=False)


def _cmd_scenarios(args: argparse.Namespace, err: Console) -> int:
    from . import scenario, scenario_new, scenario_text
    from .report_text import console

    if args.action == "new":
        if not args.name:
            raise ScenarioError("scenarios new", [("", "name the .toml file to write")],
                                "needs a file")
        scenario_new.write(Path(args.name), args.parent)
        err.print(f"wrote {args.name}, extending {args.parent}: uncomment and edit its levers",
                  highlight=False, markup=False)
        return 0
    if args.action == "show":
        if not args.name:
            raise ScenarioError("scenarios show", [("", "name a scenario to show: "
                                f"one of {', '.join(scenario.bundled_names())}")],
                                "needs a name")
        scenario_text.show(args.name, args.compact, console(args.width))
        return 0
    for name in scenario.bundled_names():
        sc = scenario.load(name)
        print(f"{name:<20} {f'{sc.start} to {sc.end}':<26} {sc.description}")
    return 0


def _cmd_compile(args: argparse.Namespace, err: Console) -> int:
    from .engine import compiled
    from .warmup import compile_kernels

    if compiled():
        err.print("the engine's kernels are compiled already", highlight=False)
        return 0
    compile_kernels(lambda line: err.print(line, highlight=False), args.workers)
    return 0


# ------------------------------------------------------------------ looking at results


def _look_commands(sub: Any) -> None:
    ex = sub.add_parser("export", help="tables of a results store as CSV files (any "
                                       "experiment: run, compare, sweep, calibrate)")
    ex.add_argument("results", type=Path, help="an experiment folder or its results.duckdb")
    ex.add_argument("--csv", type=Path, required=True, metavar="DIR",
                    help="folder to write TABLE.csv into")
    ex.add_argument("--table", dest="tables", action="append", default=[], metavar="NAME",
                    help="a table to write (repeatable; default: every table)")
    ex.set_defaults(handler=_cmd_export)

    rp = sub.add_parser("report", help="an experiment's results as one offline HTML file "
                                       "(and PNGs)")
    rp.add_argument("results", type=Path, help="an experiment folder or its results.duckdb")
    rp.add_argument("-o", "--output", type=Path, default=None,
                    help="the HTML file to write (default: RESULTS/report.html)")
    rp.add_argument("--png", type=Path, default=None, metavar="DIR",
                    help="also write every figure as a PNG into DIR")
    rp.add_argument("--period", default=None, metavar="START:END",
                    help="the map's period, e.g. 2016-01-01:2016-12-31 (default: the run)")
    rp.set_defaults(handler=_cmd_report)

    sv = sub.add_parser("serve", help="a web explorer of the levers on 127.0.0.1")
    sv.add_argument("--port", type=_bounded(1, 65535), default=8050)
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this machine only)")
    sv.add_argument("--results", type=Path, default=Path("results") / "explorer",
                    help="folder of the explorer's cache (default results/explorer)")
    sv.set_defaults(handler=_cmd_serve)


def _cmd_export(args: argparse.Namespace, err: Console) -> int:
    from .csv_export import export

    for path, rows in export(args.results, args.tables, args.csv):
        print(f"{path}: {rows:,} rows")
    return 0


def _cmd_report(args: argparse.Namespace, err: Console) -> int:
    from .report import ReportError, build  # plotly and matplotlib only when asked for

    try:
        html, pngs = build(args.results, args.output, args.png, args.period)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    except OSError as exc:
        print(f"error: cannot write the report: {exc.strerror}: {exc.filename}",
              file=sys.stderr)
        return BAD_INPUT
    err.print(f"report written to {html}" + (f", {len(pngs)} PNGs in {args.png}/"
                                             if pngs else ""), highlight=False)
    return 0


def _cmd_serve(args: argparse.Namespace, err: Console) -> int:
    from .app.server import serve  # fastapi and uvicorn only when asked for

    err.print(f"channelsim explorer on http://{args.host}:{args.port}/ (Ctrl-C stops it)",
              highlight=False)
    serve(args.results, args.host, args.port)
    return 0


def entry() -> None:
    """The `channelsim` command. A Ctrl-C may stop a worker process while it sends a finished
    run; the pool's thread in this process then waits forever for the rest of that message,
    and the interpreter would wait for that thread at exit. What was finished is already
    committed and closed, so an interrupted command exits without waiting."""
    code = main()
    if code == INTERRUPTED:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    # everything left is freed with the process: spare the interpreter's last collections
    # over numba's objects (about 0.2 s of CPU at exit)
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
