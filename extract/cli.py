"""Command line: ``python -m extract run|eval|bench``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__
from .corpus import DEFAULT_MAX_BYTES, ManifestError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m extract",
                                     description="Extract arms-transfer entities and claims from news articles.")
    parser.add_argument("--version", action="version", version=f"extract {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="process a folder of *.txt articles into CSV outputs")
    run.add_argument("--input", type=Path, default=Path("seeds"), help="folder of *.txt articles (default: seeds)")
    run.add_argument("--output", type=Path, default=Path("outputs"), help="output folder (default: outputs)")
    run.add_argument("--gazetteers", type=Path, default=None, help="gazetteer folder (default: gazetteers/)")
    run.add_argument("--manifest", type=Path, default=None,
                     help="manifest CSV doc_id,published,source,title (default: INPUT/manifest.csv if present)")
    run.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                     help=f"skip files larger than this (default: {DEFAULT_MAX_BYTES})")
    run.add_argument("--jobs", type=int, default=1, help="worker processes (default: 1)")
    run.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="show a progress bar (default: on for 50 or more documents)")
    run.add_argument("--quiet", action="store_true", help="no summary")

    ev = sub.add_parser("eval", help="score outputs against a gold annotation")
    ev.add_argument("--gold", type=Path, default=Path("tests/data/seeds_gold.jsonl"))
    ev.add_argument("--output", type=Path, default=Path("outputs"), help="folder holding entities.csv")
    ev.add_argument("--verbose", "-v", action="store_true", help="list false positives (+) and negatives (-)")

    bench = sub.add_parser("bench", help="throughput and memory on a generated corpus of 1M+ words")
    bench.add_argument("--words", type=int, default=1_000_000)
    bench.add_argument("--jobs", type=int, default=1)
    bench.add_argument("--seed", type=int, default=12345)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        from .runner import run
        try:
            summary = run(args.input, args.output, args.gazetteers, args.manifest, args.max_bytes,
                          args.jobs, args.progress)
        except (FileNotFoundError, ManifestError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if not args.quiet:
            print(summary.render(args.output))
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
    if args.command == "bench":
        from .bench import main as bench_main
        return bench_main(args.words, args.jobs, args.seed)
    return 2
