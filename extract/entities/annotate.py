"""Turn one processed document into rows: its documents.csv row and its entity rows.

This is where a document's dates get their values, because only here are both the date
mentions and the document's publication date known. Without a manifest date, a dateline
near the top of the article ("by Jon Grevatt Sep 7, 2021, 14:25 PM", "NP News - April 2")
gives the publication date; a dateline without a year takes the first year that puts it
after every explicit date in the text, and is marked ``inferred``.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import logging
import re
import signal
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..claims import Extractor
from ..corpus.files import Document
from ..knowledge.gazetteer import Gazetteers
from ..knowledge.suggest import Found, Scanner
from . import pipeline
from .matchers.base import doc_text, sentence_index, sentence_span, sentence_starts, span_matches
from .matchers.dates import MENTIONS as DATE_MENTIONS
from .temporal import DateMention, Reference, Resolver, infer_dateline_year, outlet_order, timex_value

log = logging.getLogger(__name__)
DEFAULT_TIME_BUDGET = 300.0  # CPU seconds one document may take before it is skipped (--time-budget)
ENTITY_ORDER = {"WEAPON": 0, "PERSON": 1, "COUNTRY": 2, "DATE": 3}
DATELINE_LINES = 6         # non-blank lines at the top searched for a dateline
DATELINE_MAX_CHARS = 160   # a dateline is a short line, not a paragraph ...
WIRE_DATELINE_CHARS = 60   # ... or the first characters of a wire story's first paragraph
TITLE_DATELINE_CHARS = 40  # a first line this short may be a bare dateline rather than a headline
_WIRE_OPENING = re.compile(r"^[A-Z][A-Z .'/-]{2,},")  # "GDYNIA, Poland, Dec 7 (NordWire) -"


@dataclass
class DocumentResult:
    document: dict[str, object]
    entities: list[dict[str, object]] = field(default_factory=list)
    mentions: list[dict[str, object]] = field(default_factory=list)
    suggestions: list[Found] = field(default_factory=list)  # candidates the gazetteers do not know
    words: int = 0  # whitespace words of the text, for throughput figures
    text: str = ""  # the decoded text the offsets refer to (for the report's article view)


def _header_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) ranges near the top where a dateline may stand.

    A line that opens like a wire story ("GDYNIA, Poland, Dec 7 (NordWire) - ...") counts for
    its first ``WIRE_DATELINE_CHARS``; other lines count whole when short (the first line, usually
    the headline, only when it is a bare dateline of ``TITLE_DATELINE_CHARS`` or fewer).
    """
    ranges: list[tuple[int, int]] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        body = raw.strip()
        if body:
            lead = offset + len(raw) - len(raw.lstrip())
            if _WIRE_OPENING.match(body):
                width = min(len(body), WIRE_DATELINE_CHARS)
            elif len(body) <= (DATELINE_MAX_CHARS if ranges else TITLE_DATELINE_CHARS):
                width = len(body)
            else:
                width = 0  # a headline or a paragraph: holds no dateline
            ranges.append((lead, lead + width))
            if len(ranges) > DATELINE_LINES:
                break
        offset += len(raw)
    return ranges


def publication(doc: Document, text: str, mentions: list[DateMention],
                resolver: Resolver) -> tuple[Reference | None, int | None]:
    """The document's publication reference and the index of its dateline mention, if any."""
    if doc.published is not None:
        return Reference(doc.published, "day", "published", f"published {doc.published} (manifest)"), None
    header = _header_lines(doc.clean_text)
    for i, m in enumerate(mentions):
        if not any(s <= m.start < e for s, e in header):
            continue
        if m.kind == "absolute" and m.year and m.month and m.day:
            day = dt.date(m.year, m.month, m.day)
            doc.published, doc.published_from = day, "text"
            return Reference(day, "day", "published", f"published {day} (dateline {m.text!r})"), i
        if m.kind == "month" and m.month and m.day:
            day = infer_dateline_year(m.month, m.day, resolver.latest)
            if day is not None:
                doc.published, doc.published_from = day, "inferred"
                return Reference(day, "day", "inferred",
                                 f"published {day}: dateline {m.text!r} has no year; first such date after "
                                 f"the latest explicit date in the text"), i
    return None, None


class DocumentTimeout(Exception):
    """A document used up its time budget."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``DocumentTimeout`` after ``seconds`` of CPU time (a busy machine does not make a
    document run out of time); no budget with ``seconds <= 0``. In a process's main thread a
    SIGVTALRM timer raises it; a thread that cannot take signals (a Dask worker's) gets a
    watchdog (``_watchdog``). Either way it is raised between two Python bytecodes."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        with _watchdog(seconds):
            yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise DocumentTimeout()

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def _cpu_clock() -> Callable[[], float]:
    """The calling thread's CPU seconds, readable from another thread (wall-clock seconds where
    the platform cannot tell a thread's CPU time)."""
    if hasattr(time, "pthread_getcpuclockid"):
        clock = time.pthread_getcpuclockid(threading.get_ident())
        return lambda: time.clock_gettime(clock)
    return time.monotonic


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    """Make ``thread_id`` raise ``exc`` at its next bytecode (None: cancel one not yet raised)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    """``time_budget`` for a thread that cannot take signals: a watcher thread reads this thread's
    CPU clock, sleeping no longer than the budget left (CPU time cannot run ahead of the wall
    clock), and once it is spent raises ``DocumentTimeout`` here. A timeout that fires as the body
    ends is still raised, once, on the way out."""
    target, clock, lock, done = threading.get_ident(), _cpu_clock(), threading.Lock(), threading.Event()
    limit = clock() + seconds
    state = {"armed": True, "fired": False}

    def watch() -> None:
        while not done.wait(max(limit - clock(), 0.005)):
            if clock() >= limit:
                with lock:
                    if state["armed"]:
                        state["fired"] = True
                        _raise_in(target, DocumentTimeout)
                return

    threading.Thread(target=watch, name="extract-time-budget", daemon=True).start()
    try:
        yield
    finally:
        with lock:
            state["armed"] = False
            if state["fired"]:
                _raise_in(target, None)
        done.set()
    if state["fired"]:
        raise DocumentTimeout()


def _failure(exc: BaseException) -> str:
    """``ValueError: message (at extract/claims/x.py:12)``: the error and the line that raised it,
    then the error it was raised from, if any (spaCy turns a KeyError in a component into its own
    ValueError E109, which names neither the error nor the line)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if frames:
        name = frames[-1].filename.replace("\\", "/")
        name = "extract/" + name.rsplit("/extract/", 1)[1] if "/extract/" in name else name.rsplit("/", 1)[-1]
        where = f" (at {name}:{frames[-1].lineno})"
    message = " ".join(str(exc).split())[:200]
    cause = f"; raised from {_failure(exc.__cause__)}" if exc.__cause__ is not None else ""
    return f"{type(exc).__name__}{': ' + message if message else ''}{where}{cause}"


class Annotator:
    """Turns a processed document into its rows; built once per process from the gazetteers."""

    def __init__(self, gaz: Gazetteers) -> None:
        self.future_cues = frozenset(w.lower() for w in gaz.lexicon.time_words.get("future_cue", {}))
        self.time_words = gaz.lexicon.time_words
        self.claims = Extractor(gaz)
        self.scanner = Scanner(gaz)

    def __call__(self, document: Document, doc: Doc) -> DocumentResult:
        result = annotate(document, doc, self.future_cues,
                          outlet_order(self.time_words, document.source, document.url))
        text = doc_text(doc)
        result.mentions = self.claims.extract(document.doc_id, text, document.text, sentence_starts(doc),
                                              result.entities)
        result.suggestions = self.scanner.scan(text, sentence_starts(doc), result.entities, result.mentions)
        return result

    def process(self, nlp: Language, document: Document, budget: float = DEFAULT_TIME_BUDGET) -> DocumentResult:
        """Run the pipeline and the rules on one document. Never raises: a document that fails or
        takes longer than ``budget`` seconds comes back skipped, with the reason, and the run goes on.
        Every engine (one process, workers) processes documents through here."""
        if document.status != "ok":
            return DocumentResult(document_row(document))
        try:
            with time_budget(budget):
                # The pipeline has no parser or NER, whose memory spaCy's max_length guards: its cost is
                # linear in the text, so a long article is processed whole and its offsets stay true.
                nlp.max_length = max(nlp.max_length, len(document.clean_text) + 1)
                return self(document, nlp(pipeline.make_doc(nlp, document.clean_text)))
        except DocumentTimeout:
            reason = f"time budget exceeded ({budget:g} s per document, --time-budget)"
        except Exception as exc:  # noqa: BLE001  one document's failure must not end the run
            reason = f"failed: {_failure(exc)}"
            log.debug("%s failed", document.path, exc_info=True)
        document.status, document.reason = "skipped", reason
        return DocumentResult(document_row(document))


def annotate(document: Document, doc: Doc, future_cues: frozenset[str] = frozenset(),
             date_order: tuple[str, str] = ("", "")) -> DocumentResult:
    """Entity rows of one document; ``future_cues`` (lexicon words such as "will") orient year-less dates,
    ``date_order`` (the outlet's day/month order and why) reads ambiguous numeric dates."""
    text = document.text
    starts = sentence_starts(doc)
    n_sentences = len(starts)

    rows: list[dict[str, object]] = []
    for label in ("WEAPON", "PERSON", "COUNTRY"):
        for start, end, match in span_matches(doc, label):
            rows.append(_row(document.doc_id, label, match.entity_id, match.canonical, match.family, match.subtype,
                             text, start, end, sentence_index(starts, start), match.matcher, match.basis))

    mentions: list[DateMention] = list(doc.user_data.get(DATE_MENTIONS, []))
    resolver = Resolver(text, mentions, lambda offset: sentence_span(doc, offset), None, future_cues, date_order)
    resolver.published, resolver.dateline = publication(document, text, mentions, resolver)
    for mention, value in zip(mentions, resolver.resolve()):
        basis = value.basis
        note = value.note or ""
        rows.append(_row(document.doc_id, "DATE", "", value.value or mention.text, "", mention.kind, text,
                         mention.start, mention.end, sentence_index(starts, mention.start), "rule",
                         f"date rule {mention.kind}" + (f"; {note}" if note else ""),
                         value=value.value, timex=timex_value(value, mention.modifier),
                         date_start=value.start.isoformat() if value.start else "",
                         date_end=value.end.isoformat() if value.end else "",
                         granularity=value.granularity, date_basis=basis))
    rows.sort(key=lambda r: (r["start_char"], r["end_char"], ENTITY_ORDER[str(r["entity_type"])], r["entity_id"]))
    return DocumentResult(document_row(document, n_sentences), rows, words=len(text.split()), text=text)


def _row(doc_id: str, entity_type: str, entity_id: str, canonical: str, family: str, subtype: str, text: str,
         start: int, end: int, sentence_index: int, matcher: str, basis: str, **date: str) -> dict[str, object]:
    return {
        "doc_id": doc_id, "entity_type": entity_type, "entity_id": entity_id, "canonical": canonical,
        "family": family, "subtype": subtype, "text": text[start:end], "start_char": start, "end_char": end,
        "sentence_index": sentence_index, "matcher": matcher, "basis": basis,
        "value": date.get("value", ""), "timex": date.get("timex", ""), "date_start": date.get("date_start", ""),
        "date_end": date.get("date_end", ""), "granularity": date.get("granularity", ""),
        "date_basis": date.get("date_basis", ""),
    }


def document_row(document: Document, n_sentences: int = 0) -> dict[str, object]:
    return {
        "doc_id": document.doc_id, "path": document.path, "title": document.title, "source": document.source,
        "url": document.url,
        "published": document.published.isoformat() if document.published else "",
        "published_from": document.published_from, "encoding": document.encoding,
        "n_chars": len(document.text), "n_sentences": n_sentences,
        "boilerplate": ";".join(f"{s}-{e}" for s, e in document.boilerplate),
        "status": document.status, "reason": document.reason,
    }
