"""Command line: ``python -m extract run|eval|gazetteer check|gazetteer add|gazetteer import|bench``."""

from __future__ import annotations

import argparse
import csv
import logging
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from . import __version__
from .bench import PARTS
from .corpus.files import DEFAULT_MAX_BYTES, ManifestError
from .corpus.formats import InputError
from .entities.annotate import DEFAULT_TIME_BUDGET
from .knowledge.gazetteer import GazetteerError
from .knowledge.sipri import RegisterError
from .outputs.lock import LockedError
from .reconcile.sheet import SheetError


def _location(text: str) -> Path | str:
    """A path, or an fsspec URL (``memory://``, ``s3://``, ...) kept as a string; ``file://`` is a path."""
    protocol, found, rest = text.partition("://")
    if not found or "/" in protocol:
        return Path(text)
    return Path(rest) if protocol == "file" else text


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds (0: no limit), not {text!r}")
    return value


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the run stops, nothing half-written is left."""


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m extract",
                                     description="Extract arms-transfer entities and claims from news articles.")
    parser.add_argument("--version", action="version", version=f"extract {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="process a folder of articles into CSV, SQLite and HTML outputs")
    run.add_argument("--input", type=_location, default=Path("seeds"),
                     help="folder of articles: .txt, .md, .html, .jsonl (default: seeds); with --engine dask "
                          "also an fsspec URL (s3://bucket/folder, memory://...)")
    run.add_argument("--recursive", action="store_true", help="read the input folder's subfolders too")
    run.add_argument("--output", type=Path, default=Path("outputs"), help="output folder (default: outputs)")
    run.add_argument("--gazetteers", type=Path, default=None, help="gazetteer folder (default: gazetteers/)")
    run.add_argument("--manifest", type=_location, default=None,
                     help="manifest CSV doc_id,published,source,title (default: INPUT/manifest.csv if present)")
    run.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES,
                     help=f"skip files larger than this (default: {DEFAULT_MAX_BYTES})")
    run.add_argument("--jobs", type=_positive, default=None,
                     help="worker processes (default: one per CPU for more than 48 documents, else 1; at most the "
                          "CPU count)")
    run.add_argument("--time-budget", type=_seconds, default=DEFAULT_TIME_BUDGET, metavar="SECONDS",
                     help=f"skip a document that takes more CPU seconds than this (default: {DEFAULT_TIME_BUDGET:g}; "
                          "0: no limit)")
    run.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="show a progress bar (default: on for 50 or more documents)")
    run.add_argument("--quiet", action="store_true", help="no summary")
    run.add_argument("--register", type=Path, default=None, metavar="FILE",
                     help="SIPRI trade register (raw export or cleaned CSV): also write register_check.csv")
    run.add_argument("--no-cache", dest="cache", action="store_false",
                     help="process every document again instead of reusing unchanged documents' results")
    run.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                     help="where results are cached for incremental reruns (default: OUTPUT/.cache)")
    run.add_argument("--engine", choices=("local", "dask"), default="local",
                     help="local: processes on this machine (--jobs); dask: a Dask cluster (default: local)")
    run.add_argument("--scheduler", default=None, metavar="ADDRESS",
                     help="with --engine dask: the scheduler to connect to, e.g. tcp://host:8786 "
                          "(default: start a LocalCluster)")
    run.add_argument("--staging", type=_location, default=None, metavar="URL",
                     help="with --engine dask: where the workers write their row partitions, a folder or fsspec URL "
                          "that every worker and this machine reach (default: OUTPUT/.staging-RUN)")

    cmp = sub.add_parser("compare-register", help="check transfers.csv against the SIPRI trade register")
    cmp.add_argument("--register", type=Path, required=True, metavar="FILE",
                     help="SIPRI trade register: SIPRI's own export (Latin-1, preamble) or the cleaned CSV")
    cmp.add_argument("--output", type=Path, default=Path("outputs"),
                     help="folder holding transfers.csv; register_check.csv is written there (default: outputs)")
    cmp.add_argument("--gazetteers", type=Path, default=None, help="gazetteer folder (default: gazetteers/)")

    rec = sub.add_parser("reconcile", help="merge an existing mentions.csv into claims (re-merge without re-extracting)")
    rec.add_argument("--mentions", type=Path, required=True,
                     help="mentions.csv of a run (documents.csv beside it gives publication dates)")
    rec.add_argument("--output", type=Path, required=True, help="folder for claims.csv, transfers.csv, claims.sqlite")
    rec.add_argument("--gazetteers", type=Path, default=None, help="gazetteer folder (default: gazetteers/)")

    ev = sub.add_parser("eval", help="score outputs against a gold annotation")
    ev.add_argument("--gold", type=Path, default=Path("tests/data/seeds_gold.jsonl"))
    ev.add_argument("--output", type=Path, default=Path("outputs"), help="folder holding entities.csv")
    ev.add_argument("--verbose", "-v", action="store_true", help="list false positives (+) and negatives (-)")
    ev.add_argument("--side-by-side", type=Path, metavar="DIR", default=None,
                    help="run on the seeds and the shared dev set into DIR and print both by the reference scorer")
    ev.add_argument("--shared", type=Path, default=Path("../shared"),
                    help="folder holding dev/ and eval/score.py (default: ../shared)")

    gaz = sub.add_parser("gazetteer", help="check the gazetteers, or add a row to them")
    gaz_sub = gaz.add_subparsers(dest="action", required=True)
    chk = gaz_sub.add_parser("check", help="validate every gazetteer and lexicon file (exit 1 on errors)")
    chk.add_argument("directory", nargs="?", type=Path, default=None, help="gazetteer folder (default: gazetteers/)")
    add = gaz_sub.add_parser("add", help="append a validated weapon or person row")
    add.add_argument("kind", choices=("weapon", "person"))
    add.add_argument("name", nargs="?", default="", help="canonical name (or use --from-suggestions)")
    add.add_argument("--from-suggestions", type=int, metavar="N", help="take the name of suggestion N")
    add.add_argument("--suggestions", type=Path, default=Path("outputs/suggestions.csv"))
    add.add_argument("--gazetteers", type=Path, default=None)
    add.add_argument("--id", default="")
    add.add_argument("--family", default="", help="weapon: family canonical (default: the name itself)")
    add.add_argument("--category", default="", help="weapon: a category of lexicon/categories.txt")
    add.add_argument("--origin", default="", help="weapon: country of origin")
    add.add_argument("--alias", action="append", default=[], help="another spelling (repeatable)")
    add.add_argument("--title", action="append", default=[], help="person: a title used before the name")
    add.add_argument("--role", default="", help="person: role")
    add.add_argument("--country", default="", help="person: country")
    add.add_argument("--source", default="", help="where the knowledge comes from")

    imp = gaz_sub.add_parser("import", help="merge rows derived from SIPRI, SISO or Oryx data into weapons.csv")
    imp.add_argument("source", choices=("sipri", "siso", "oryx"))
    imp.add_argument("file", type=Path, help="the source file (SIPRI: its export as downloaded, or the cleaned CSV)")
    imp.add_argument("--gazetteers", type=Path, default=None)
    imp.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")

    bench = sub.add_parser("bench", help="the speed, memory and scale figures on a generated corpus of 1M+ words")
    bench.add_argument("--words", type=_positive, default=1_000_000, help="size of the 1x corpus (default: 1,000,000)")
    bench.add_argument("--seed", type=int, default=12345)
    bench.add_argument("--parts", default=",".join(PARTS),
                       help=f"comma-separated figures to measure (default: all of {','.join(PARTS)})")
    bench.add_argument("--scale", type=_positive, default=4,
                       help="the memory figure runs this many times the corpus against 1x (default: 4)")
    bench.add_argument("--added", type=_positive, default=10,
                       help="documents added before the incremental rerun (default: 10)")
    bench.add_argument("--reconcile-sizes", default="100000,300000,1000000",
                       help="synthetic mention counts for the reconciler section ('' to skip)")
    return parser


def _gazetteer(args: argparse.Namespace) -> int:
    logging.getLogger("extract.knowledge.gazetteer").setLevel(logging.ERROR)  # findings are printed, not logged
    if args.action == "check":
        from .knowledge.check import check, render

        problems, gaz = check(args.directory)
        print(render(problems, gaz))
        return 1 if any(p.severity == "error" for p in problems) else 0
    if args.action == "import":
        from .knowledge.import_common import run_import
        from .knowledge.sipri import RegisterError

        if not args.file.is_file():
            print(f"error: {args.file} not found", file=sys.stderr)
            return 2
        try:
            report = run_import(args.source, args.file, args.gazetteers, args.dry_run)
        except (RegisterError, KeyError, UnicodeDecodeError, csv.Error) as exc:
            print(f"error: {args.file}: not a {args.source} file ({exc})", file=sys.stderr)
            return 2
        print(report.render())
        return 0
    from .knowledge.add import AddError, NewRow, add, from_suggestion

    try:
        name, source = args.name, args.source
        if args.from_suggestions is not None:
            kind, name, note = from_suggestion(args.suggestions, args.from_suggestions)
            if kind != args.kind:
                raise AddError(f"suggestion {args.from_suggestions} is a {kind}, not a {args.kind}")
            source = source or note
        row = NewRow(args.kind, name, args.family, args.category, args.origin, tuple(args.alias), tuple(args.title),
                     args.role, args.country, args.id, source or NewRow.source)
        line = add(row, args.gazetteers)
    except AddError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"added to {'weapons' if args.kind == 'weapon' else 'people'}.csv: {line}", end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            from .engine.dask_engine import ClusterError
            from .engine.runner import run

            summary = run(args.input, args.output, args.gazetteers, args.manifest, args.max_bytes,
                          args.jobs, args.progress, args.register, args.recursive, args.cache, args.cache_dir,
                          args.engine, args.scheduler, args.time_budget,
                          None if args.staging is None else str(args.staging))
        except (InputError, ManifestError, GazetteerError, RegisterError, LockedError, ClusterError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except SheetError as exc:
            print(f"error: {exc}\nNothing was written; the file is kept as it is.", file=sys.stderr)
            return 2
        except KeyboardInterrupt as exc:
            name = "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
            print(f"error: {name}; nothing was written, the previous outputs in {args.output} are kept",
                  file=sys.stderr)
            return 143 if isinstance(exc, Terminated) else 130
        finally:
            signal.signal(signal.SIGTERM, previous)
        if not args.quiet:
            print(summary.render(args.output))
        return 0
    if args.command == "eval" and args.side_by_side is not None:
        from .eval_report import main as eval_report
        return eval_report(args.side_by_side, args.shared, seed_gold=args.gold)
    if args.command == "reconcile":
        from .engine.runner import reconcile_mentions
        started = time.perf_counter()
        try:
            n_mentions, n_claims = reconcile_mentions(args.mentions, args.output, args.gazetteers)
        except (FileNotFoundError, GazetteerError, LockedError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except SheetError as exc:
            print(f"error: {exc}\nNothing was written; the file is kept as it is.", file=sys.stderr)
            return 2
        print(f"reconciled {n_mentions:,} mentions into {n_claims:,} claims in {time.perf_counter() - started:.1f} s: "
              f"{args.output}/ claims.csv transfers.csv reviews.csv review_log.csv claims.sqlite")
        return 0
    if args.command == "eval":
        from .evaluate import (evaluate_claims, evaluate_clusters, evaluate_entities, render, render_claims,
                               render_clusters)
        entities = args.output / "entities.csv"
        if not entities.exists():
            print(f"error: {entities} not found; run `python -m extract run --output {args.output}` first",
                  file=sys.stderr)
            return 2
        print(render(evaluate_entities(args.gold, entities), args.verbose))
        if (args.output / "mentions.csv").exists():
            claim_scores = evaluate_claims(args.gold, args.output)
            print()
            print(render_claims(claim_scores, args.verbose))
            if (args.output / "claims.csv").exists():
                print()
                print(render_clusters(evaluate_clusters(args.gold, args.output, claim_scores.matches), args.verbose))
        return 0
    if args.command == "compare-register":
        from .engine.runner import render_verdicts
        from .reconcile.register_check import compare_register
        try:
            counts = compare_register(args.register, args.output, args.gazetteers)
        except (FileNotFoundError, GazetteerError, RegisterError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(render_verdicts(counts).strip())
        return 0
    if args.command == "gazetteer":
        return _gazetteer(args)
    if args.command == "bench":
        from .bench import main as bench_main
        parts = [p.strip() for p in args.parts.split(",") if p.strip()]
        unknown = sorted(set(parts) - set(PARTS))
        if unknown:
            print(f"error: --parts: unknown {', '.join(unknown)} (known: {', '.join(PARTS)})", file=sys.stderr)
            return 2
        return bench_main(args.words, args.seed,
                          [int(n) for n in args.reconcile_sizes.replace("_", "").split(",") if n.strip()],
                          parts, args.scale, args.added)
    return 2
