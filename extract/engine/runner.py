"""Run the pipeline over a folder: documents -> spaCy -> entity rows -> output files.

Documents stream through the pipeline one by one in doc_id order (``Annotator.process``: a
document that fails or runs out of time is skipped with its reason, the run goes on), and each
document's rows are written as soon as it is done, so memory does not grow with the corpus. With ``jobs > 1`` a
``multiprocessing.Pool`` processes chunks of documents, each worker with its own pipeline,
and sends back only rows (small tuples), which scales where ``nlp.pipe(n_process=...)``
does not (see shared/research/building_block_speeds.md).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, ParamSpec, Sequence

from spacy.language import Language
from tqdm import tqdm

from .. import __version__
from ..knowledge import gazetteer
from ..entities import pipeline
from ..entities.annotate import DEFAULT_TIME_BUDGET, Annotator, DocumentResult
from ..entities.matchers.base import cached_gazetteers
from ..corpus.files import DEFAULT_MAX_BYTES, Document, NoArticlesError, iter_documents, no_articles
from ..corpus.formats import InputError, input_files
from ..reconcile import reviews as review_store
from ..reconcile.cluster import MentionTable, Reconciler, Row
from ..knowledge.suggest import Suggestions
from ..reconcile.register import register
from ..outputs.report import Report
from ..reconcile.register_check import RegisterChecker, check_register, verdict_counts
from ..knowledge.iso import CountryCodes
from ..knowledge.sipri import CREDIT, read_register
from ..schema import (CLAIM_TYPES, DOCUMENT_COLUMNS, ENTITY_COLUMNS, MENTION_COLUMNS,
                     REGISTER_CHECK_COLUMNS, REGISTER_VERDICTS, REVIEW_LOG_COLUMNS, SQLITE_TABLES,
                     SUGGESTION_COLUMNS, TRANSFER_COLUMNS)
from ..outputs.lock import locked
from ..outputs.writers import OutputSet, SqliteStream, datasette_metadata, prepare, read_rows, recover
from . import pool
from .cache import CACHE_DIR, DocumentCache
from .shuffle import pool_reconcile

log = logging.getLogger(__name__)
CHUNK = 32          # documents per worker task
PROGRESS_MIN_DOCS = 50
PARALLEL_MIN_DOCS = 48  # below this a pool (start-up, one pipeline per worker) costs more than it saves
COMMIT_ATTEMPTS = 3     # runs tried when review files keep being saved during the commit
P = ParamSpec("P")
# reconciles (reconciler, mentions, previous claims) in the reconciler's place: FileRun.reconcile, shuffle.pool_reconcile
Shuffle = Callable[[Reconciler, Sequence[Row], Mapping[str, Sequence[str]]], list[dict[str, object]]]


@dataclass
class RunSummary:
    documents: int = 0
    skipped: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    claims: Counter[str] = field(default_factory=Counter)        # mentions by claim type
    reconciled: int = 0                                           # claims after merging sources
    multi_source: int = 0
    orphaned_reviews: list[str] = field(default_factory=list)
    review_report: list[str] = field(default_factory=list)        # moves, conflicts, statuses not applied
    suggestions: int = 0
    seconds: float = 0.0
    words: int = 0
    gazetteer_problems: int = 0
    skipped_reasons: list[tuple[str, str]] = field(default_factory=list)
    register_verdicts: Counter[str] | None = None  # transfers.csv rows by SIPRI verdict, when checked
    cache_reused: int | None = None  # documents whose results came from the cache (None: no cache)

    def render(self, output: Path) -> str:
        lines = [
            f"extract {__version__}: {self.documents} documents read, {self.documents - self.skipped} processed, "
            f"{self.skipped} skipped",
        ]
        lines += [f"  skipped {doc_id}: {reason}" for doc_id, reason in self.skipped_reasons[:10]]
        if len(self.skipped_reasons) > 10:
            lines.append(f"  ... and {len(self.skipped_reasons) - 10} more (see documents.csv)")
        if self.cache_reused is not None:
            lines.append(f"  cache:    {self.cache_reused} unchanged document(s) reused, "
                         f"{self.documents - self.cache_reused} processed")
        lines.append("  entities: " + ", ".join(f"{t} {self.entities.get(t, 0)}"
                                                for t in ("WEAPON", "PERSON", "COUNTRY", "DATE")))
        lines.append("  mentions: " + ", ".join(f"{t} {self.claims.get(t, 0)}" for t in CLAIM_TYPES))
        lines.append(f"  claims:   {self.reconciled} after merging sources ({self.multi_source} stated by two or "
                     f"more documents)")
        if self.register_verdicts is not None:
            lines.append(render_verdicts(self.register_verdicts))
        if self.suggestions:
            lines.append(f"  suggestions: {self.suggestions} names the gazetteers do not know (suggestions.csv)")
        if self.orphaned_reviews:
            lines.append(f"  reviews:  {len(self.orphaned_reviews)} decision(s) for claims no longer found, kept in "
                         f"reviews.csv: {', '.join(self.orphaned_reviews[:5])}")
        lines += [f"  reviews:  {line}" for line in self.review_report[:20]]
        if len(self.review_report) > 20:
            lines.append(f"  reviews:  ... and {len(self.review_report) - 20} more (see review_log.csv)")
        if self.gazetteer_problems:
            lines.append(f"  gazetteer problems: {self.gazetteer_problems} (logged above; "
                         f"run `python -m extract gazetteer check`)")
        rate = self.words / self.seconds if self.seconds else 0.0
        lines.append(f"  time: {self.seconds:.2f} s ({rate:,.0f} words/s)")
        lines.append(f"  outputs: {output}/ documents.csv entities.csv mentions.csv claims.csv transfers.csv "
                     f"reviews.csv review_log.csv suggestions.csv claims.sqlite report/claims.html"
                     + (" register_check.csv" if self.register_verdicts is not None else ""))
        return "\n".join(lines)


def render_verdicts(counts: Counter[str]) -> str:
    return ("  register: " + ", ".join(f"{v} {counts.get(v, 0)}" for v in REGISTER_VERDICTS)
            + f" (register_check.csv; {CREDIT})")


def add_codes(codes: CountryCodes, claims: list[dict[str, object]], transfers: list[dict[str, object]]) -> None:
    """ISO 3166 alpha-3 columns beside the country columns."""
    codes.add_columns(claims, {"supplier_iso3": "supplier", "recipient_iso3": "recipient",
                               "parties_iso3": "parties"})
    codes.add_columns(transfers, {"supplier_iso3": "supplier", "recipient_iso3": "recipient"})


# Worker state for multiprocessing: one pipeline per process, built once.
_WORKER: tuple[Language, Annotator, float] | None = None


def _init_worker(gazetteer_dir: str, budget: float) -> None:
    global _WORKER
    pool.worker_signals()
    _WORKER = (pipeline.shared(gazetteer_dir), Annotator(cached_gazetteers(gazetteer_dir)), budget)


def _process_chunk(documents: list[Document]) -> list[DocumentResult]:
    assert _WORKER is not None
    nlp, annotator, budget = _WORKER
    return [annotator.process(nlp, d, budget) for d in documents]


def _chunks(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def process(documents: Iterable[Document], gazetteer_dir: Path | None, jobs: int = 1,
            budget: float = DEFAULT_TIME_BUDGET) -> Iterator[DocumentResult]:
    """Results in input order, streamed: one batch of documents in memory per process. A document
    that fails or exceeds ``budget`` seconds comes back skipped with its reason (``Annotator.process``)."""
    if jobs <= 1:
        nlp = pipeline.build(gazetteer_dir)
        annotator = Annotator(cached_gazetteers(str(gazetteer_dir or "")))
        for document in documents:
            yield annotator.process(nlp, document, budget)
        return
    context = pool.context()
    if context.get_start_method() == "fork":
        pipeline.shared(gazetteer_dir)  # built once, here: the forked workers inherit it
    with context.Pool(jobs, initializer=_init_worker, initargs=(str(gazetteer_dir or ""), budget)) as workers:
        for results in workers.imap(_process_chunk, _chunks(documents, CHUNK)):
            yield from results


def _write_reviewed(outputs: OutputSet, claims: list[dict[str, object]], previous: dict[str, list[str]],
                    summary: RunSummary) -> review_store.Outcome:
    """Merge the review files as they are now into ``claims`` (review_status, review_note) and
    write reviews.csv, the log and the state; read again while either file changed meanwhile (an
    analyst saving during the run). claims.csv is the caller's to write."""
    outcome = review_store.merge(outputs.directory, claims, previous)
    while outcome.stale():
        outcome = review_store.merge(outputs.directory, claims, previous)
    outputs.csv("reviews.csv", outcome.columns).write_all(outcome.rows)
    outputs.csv(review_store.LOG, REVIEW_LOG_COLUMNS).write_all(e.log_row() for e in outcome.entries)
    outputs.json(review_store.STATE, outcome.state(claims))
    summary.orphaned_reviews, summary.review_report = outcome.orphaned, outcome.report
    return outcome


def write_claims(outputs: OutputSet, database: SqliteStream, gaz: gazetteer.Gazetteers, codes: CountryCodes,
                 doc_rows: list[dict[str, object]], mentions: Sequence[Row], previous: dict[str, list[str]],
                 summary: RunSummary, shuffle: Shuffle | None = None) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Mentions -> claims.csv, transfers.csv, reviews.csv and review_log.csv (and their SQLite
    tables, which ``database`` must hold already); the analyst's decisions are read as they are
    at this moment (again if a review file is saved meanwhile: the newer files win), applied and
    kept. ``previous`` is the last run's claims (``reviews.check``), which keep their ids.
    ``shuffle``: reconciles in the reconciler's place (``--engine dask``: ``FileRun.reconcile``)."""
    claims = _reconcile(gaz, doc_rows, mentions, previous, shuffle)
    while True:
        reviewed = _write_reviewed(outputs, claims, previous, summary)
        transfers = register(claims, {w.id: (w.category, w.origin) for w in gaz.weapons.values()})
        add_codes(codes, claims, transfers)
        outputs.csv("claims.csv", reviewed.claim_columns).write_all(claims)  # with the analysts' own columns
        outputs.csv("transfers.csv", TRANSFER_COLUMNS).write_all(transfers)
        if not reviewed.stale():
            break
    outputs.guard(review_store.REVIEW_FILES, reviewed.ensure_unchanged)  # a save after this merge: no commit
    for table, rows in (("claims", claims), ("transfers", transfers), ("reviews", reviewed.decisions)):
        database.write_all(table, rows)
    database.write_all("claim_mentions", ({"claim_id": c["claim_id"], "mention_id": m}
                                          for c in claims for m in str(c["mention_ids"]).split(";") if m))
    return claims, transfers


def reconcile_mentions(mentions_csv: Path, output_dir: Path, gazetteer_dir: Path | None = None) -> tuple[int, int]:
    """``extract reconcile``: merge an existing mentions.csv (with the documents.csv beside it,
    when present, for publication dates) into claims.csv, transfers.csv, reviews.csv and
    claims.sqlite in ``output_dir``, as ``run`` would have. Returns (mentions, claims)."""
    if not mentions_csv.is_file():
        raise FileNotFoundError(f"mentions file {mentions_csv} does not exist")
    gaz = cached_gazetteers(str(gazetteer_dir or ""))
    if gaz.unusable:
        raise gazetteer.GazetteerError("the gazetteers cannot be used:\n" + "\n".join(f"  {p}" for p in gaz.unusable))
    documents_csv = mentions_csv.with_name("documents.csv")
    doc_rows: list[dict[str, object]] = list(read_rows(documents_csv)) if documents_csv.is_file() else []
    with locked(output_dir), OutputSet(output_dir) as outputs:
        previous = review_store.check(output_dir)  # refuse a review file it cannot understand before working
        mentions = MentionTable(read_rows(mentions_csv), output_dir)  # on disk: 8 bytes of memory a mention
        database = outputs.sqlite("claims.sqlite")
        for table in ("claims", "claim_mentions", "transfers", "reviews"):
            database.table(table, SQLITE_TABLES[table])
        claims, _ = write_claims(outputs, database, gaz, CountryCodes(gaz.countries.values()), doc_rows, mentions,
                                 previous, RunSummary())
    return len(mentions), len(claims)


def default_jobs(documents: int) -> int:
    return (os.cpu_count() or 1) if documents > PARALLEL_MIN_DOCS else 1


def _reconcile(gaz: gazetteer.Gazetteers, doc_rows: list[dict[str, object]], mentions: Sequence[Row],
               previous: dict[str, list[str]], shuffle: Shuffle | None = None) -> list[dict[str, object]]:
    place_country = {surface: c.canonical for c in gaz.countries.values() for surface, form in c.forms()
                     if form in ("name", "capital")}
    published = {str(r["doc_id"]): str(r["published"]) for r in doc_rows if r["published"]}
    reconciler = Reconciler(place_country=place_country, published=published)
    return shuffle(reconciler, mentions, previous) if shuffle else reconciler.reconcile(mentions, previous)


def rerun_if_reviews_saved(function: Callable[P, RunSummary]) -> Callable[P, RunSummary]:
    """Run ``function`` again when a review file was saved while it committed
    (``reviews.SavedDuringCommit``: it wrote nothing), so the new decision is merged; after
    ``COMMIT_ATTEMPTS`` such runs the error is the caller's."""
    @functools.wraps(function)
    def attempt(*args: P.args, **kwargs: P.kwargs) -> RunSummary:
        for _ in range(COMMIT_ATTEMPTS - 1):
            try:
                return function(*args, **kwargs)
            except review_store.SavedDuringCommit as exc:
                log.warning("%s; running again to include it (unchanged documents come from the cache)", exc)
        return function(*args, **kwargs)
    return attempt


@rerun_if_reviews_saved
def run(input_dir: Path | str, output_dir: Path, gazetteer_dir: Path | None = None, manifest: Path | str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES, jobs: int | None = None, progress: bool | None = None,
        sipri_register: Path | None = None, recursive: bool = False, cache: bool = True,
        cache_dir: Path | None = None, engine: str = "local", scheduler: str | None = None,
        time_budget: float = DEFAULT_TIME_BUDGET, staging: str | None = None) -> RunSummary:
    """Process every ``*.txt`` in ``input_dir`` and write the outputs to ``output_dir``; with
    ``sipri_register``, also check transfers.csv against it (register_check.csv). ``jobs``: worker
    processes (default: one per CPU for more than ``PARALLEL_MIN_DOCS`` documents). With ``cache``
    only documents new or changed since the last run are processed (see engine/cache.py; the cache
    lives in ``cache_dir``, default ``output_dir/.cache``). ``engine``: "local" (this machine's
    processes) or "dask" (a LocalCluster, or the cluster at ``scheduler``; its workers read the input,
    which may then be an fsspec URL, and stage their rows in ``staging``: see engine/dask_engine.py)."""
    if engine != "dask" and (isinstance(input_dir, str) or isinstance(manifest, str)):
        raise InputError(f"{input_dir}: a URL as input or manifest needs --engine dask")
    if isinstance(input_dir, Path) and not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist")
    prepare(output_dir)
    recover(output_dir)  # before reading reviews.csv: an interrupted commit may hold the newest one
    started = time.perf_counter()
    cached_gazetteers.cache_clear()  # the files may have changed since the last run in this process
    gaz = cached_gazetteers(str(gazetteer_dir or ""))
    if gaz.unusable:
        raise gazetteer.GazetteerError("the gazetteers cannot be used:\n" + "\n".join(f"  {p}" for p in gaz.unusable))
    summary = RunSummary(gazetteer_problems=len(gaz.problems))
    deals = read_register(sipri_register) if sipri_register is not None else None  # a bad file fails first
    codes = CountryCodes(gaz.countries.values())
    store_dir = (cache_dir or output_dir / CACHE_DIR) if cache else None
    if engine == "dask":
        from .dask_engine import FileRun
        job = FileRun(input_dir, output_dir, gazetteer_dir, manifest, max_bytes, recursive, store_dir, staging,
                      time_budget)
        total = job.total
    else:
        assert isinstance(input_dir, Path) and not isinstance(manifest, str)  # checked above
        documents = iter_documents(input_dir, gaz.lexicon, manifest, max_bytes, recursive)
        total = len(input_files(input_dir, recursive))
    cpus = os.cpu_count() or 1
    jobs = jobs or default_jobs(total)
    if jobs > cpus:
        log.warning("--jobs %d is more than the %d CPU(s) here; using %d", jobs, cpus, cpus)
        jobs = cpus
    show = progress if progress is not None else total >= PROGRESS_MIN_DOCS
    doc_rows: list[dict[str, object]] = []
    all_mentions = MentionTable(directory=output_dir)  # on disk: 8 bytes of memory a mention
    suggestions = Suggestions()
    cluster = job.connected(scheduler) if engine == "dask" else contextlib.nullcontext()
    with locked(output_dir), OutputSet(output_dir) as outputs, cluster:
        previous = review_store.check(output_dir)  # refuse a review file it cannot understand before working
        entities = outputs.csv("entities.csv", ENTITY_COLUMNS)
        mentions = outputs.csv("mentions.csv", MENTION_COLUMNS)
        database = outputs.sqlite("claims.sqlite")
        for table, columns in SQLITE_TABLES.items():
            database.table(table, columns)
        report = Report(outputs.folder("report"))
        def compute(batch: Iterable[Document]) -> Iterator[DocumentResult]:
            return process(batch, gazetteer_dir, jobs, time_budget)

        def reread(doc_id: str) -> Document:
            return next(d for d in iter_documents(input_dir, gaz.lexicon, manifest, max_bytes, recursive)
                        if d.doc_id == doc_id)

        store = DocumentCache(store_dir, gaz.fingerprint) if store_dir and engine != "dask" else None
        if engine == "dask":
            results = job.results()
        else:
            results = store.run(documents, compute, reread) if store else compute(documents)
        for result in tqdm(results, total=total, disable=not show, unit="doc", desc="extract"):
            row = result.document
            doc_rows.append(row)
            summary.documents += 1
            summary.words += result.words
            if row["status"] != "ok":
                summary.skipped += 1
                summary.skipped_reasons.append((str(row["doc_id"]), str(row["reason"])))
                log.warning("skipped %s: %s", row["path"], row["reason"])
            entities.write_all(result.entities)
            database.write_all("entities", result.entities)
            summary.entities.update(str(entity["entity_type"]) for entity in result.entities)
            report.add_document(row, result.text, result.entities, result.mentions)
            suggestions.add(str(row["doc_id"]), result.suggestions)
            for mention in result.mentions:
                mention.update(source=row.get("source", ""), url=row.get("url", ""), title=row.get("title", ""))
            mentions.write_all(result.mentions)
            database.write_all("mentions", result.mentions)
            all_mentions.extend(result.mentions)
            summary.claims.update(str(mention["claim_type"]) for mention in result.mentions)
        if summary.documents == summary.skipped:  # raised inside the output set: the previous outputs stay
            raise NoArticlesError(no_articles(input_dir, recursive or not isinstance(input_dir, Path),  # no subfolder hint for a URL
                                              summary.skipped_reasons))
        doc_rows.sort(key=lambda r: str(r["doc_id"]))
        outputs.csv("documents.csv", DOCUMENT_COLUMNS).write_all(doc_rows)
        claims, transfers = write_claims(outputs, database, gaz, codes, doc_rows, all_mentions, previous, summary,
                                         job.reconcile if engine == "dask" else pool_reconcile(jobs))
        if deals is not None:
            checked = check_register(transfers, RegisterChecker(deals, gaz.weapons.values(), codes))
            outputs.csv("register_check.csv", REGISTER_CHECK_COLUMNS).write_all(checked)
            summary.register_verdicts = verdict_counts(checked)
        outputs.csv("suggestions.csv", SUGGESTION_COLUMNS).write_all(suggestions.rows())
        report.finish(claims, transfers)
        database.write_all("documents", doc_rows)
        outputs.json("metadata.json", datasette_metadata())
        summary.cache_reused = job.reused if engine == "dask" else store.reused if store else None
        summary.reconciled = len(claims)
        summary.multi_source = sum(1 for c in claims if int(str(c["n_sources"])) > 1)
        summary.suggestions = len(suggestions.candidates)
        outputs.json("run.json", {
            "version": __version__,
            "gazetteer_fingerprint": gaz.fingerprint,
            "documents": summary.documents,
            "skipped": summary.skipped,
            "entities": dict(sorted(summary.entities.items())),
        })
    summary.seconds = time.perf_counter() - started
    return summary
