"""What every matcher records about a match, and helpers they share."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Protocol, TypeVar

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from ...knowledge import gazetteer


@dataclass(frozen=True)
class Match:
    """How a span was recognised: the gazetteer entry (if any), the matcher and its basis."""

    entity_id: str
    canonical: str
    family: str = ""
    subtype: str = ""
    matcher: str = "exact"   # exact | fuzzy | rule
    basis: str = ""


if not Span.has_extension("match"):
    Span.set_extension("match", default=None)


@lru_cache(maxsize=4)
def cached_gazetteers(directory: str) -> gazetteer.Gazetteers:
    """Load the gazetteers once per process and directory (components share them)."""
    return gazetteer.load(Path(directory) if directory else None)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def set_folded_norms(doc: Doc, text: str) -> None:
    """Give tokens with diacritics a folded NORM; the gazetteer matchers compare on NORM."""
    starts = doc.to_array("IDX")
    done: set[int] = set()
    for m in _NON_ASCII.finditer(text):
        i = int(np.searchsorted(starts, m.start(), side="right")) - 1
        if i >= 0 and i not in done:
            done.add(i)
            token = doc[i]
            token.norm_ = gazetteer.fold(token.lower_)


def pattern_docs(nlp: Language, forms: list[str]) -> list[Doc]:
    """Match patterns tokenised like the text, with the same folded norms."""
    docs = list(nlp.tokenizer.pipe(forms))
    for doc in docs:
        set_folded_norms(doc, doc.text)
    return docs


def doc_text(doc: Doc) -> str:
    """The document's text, built once: ``Doc.text`` joins all tokens again on every access."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where the document's sentences start (computed once per Doc)."""
    cached = doc.user_data.get("sentence_starts")
    if cached is None:
        array = doc.to_array(["SENT_START", "IDX"])
        cached = array[array[:, 0] == 1, 1].tolist() if len(doc) else []  # numpy, not a Python loop over rows
        if not cached or cached[0] != 0:
            cached.insert(0, 0)
        doc.user_data["sentence_starts"] = cached
    return cached


def sentence_index(starts: list[int], offset: int) -> int:
    """The index of the sentence holding character ``offset``, given the ``sentence_starts``."""
    return max(0, bisect.bisect_right(starts, offset) - 1)


def sentence_span(doc: Doc, offset: int) -> tuple[int, int, int]:
    """(index, start char, end char) of the sentence holding character ``offset``."""
    starts = sentence_starts(doc)
    i = sentence_index(starts, offset)
    end = starts[i + 1] if i + 1 < len(starts) else len(doc_text(doc))
    return i, starts[i], end


OFFSETS = "extract.span_offsets"  # doc.user_data key: label -> the (start_char, end_char) of doc.spans[label]


def set_spans(doc: Doc, label: str, spans: list[Span]) -> None:
    """``doc.spans[label] = spans``, with their offsets kept beside them: reading ``doc.spans`` back
    makes a Span object, and Token objects, per span."""
    doc.spans[label] = spans
    doc.user_data.setdefault(OFFSETS, {})[label] = [(span.start_char, span.end_char) for span in spans]


def span_offsets(doc: Doc, label: str) -> list[tuple[int, int]]:
    """The (start_char, end_char) of each span of ``doc.spans[label]``, in order."""
    return doc.user_data.get(OFFSETS, {}).get(label, [])


def span_matches(doc: Doc, label: str) -> Iterator[tuple[int, int, Match]]:
    """(start_char, end_char, ``span._.match``) of each span of ``doc.spans[label]``. spaCy keeps an
    extension value per character range in ``doc.user_data`` (whichever component set it last for
    that range); it is read from there as ``span._.match`` reads it."""
    data = doc.user_data
    for start, end in span_offsets(doc, label):
        yield start, end, data.get(("._.", "match", start, end))


def set_match(doc: Doc, start_char: int, end_char: int, match: Match) -> None:
    """``span._.match = match`` for the span over [start_char, end_char), without making the Span."""
    doc.user_data[("._.", "match", start_char, end_char)] = match


def make_span(doc: Doc, start_char: int, end_char: int, label: str, match: Match) -> Span | None:
    """A span over the tokens covering [start_char, end_char), carrying ``match``."""
    span = doc.char_span(start_char, end_char, label=label, alignment_mode="strict")
    if span is None:
        span = doc.char_span(start_char, end_char, label=label, alignment_mode="expand")
    if span is None:
        return None
    span._.match = match
    return span


class Ranged(Protocol):
    """A Span, or what stands for one before it is made."""

    @property
    def start_char(self) -> int: ...

    @property
    def end_char(self) -> int: ...


R = TypeVar("R", bound=Ranged)


def longest_first(spans: list[R]) -> list[R]:
    """Drop spans overlapping a longer one (earlier wins a tie); result in text order."""
    starts: list[int] = []           # kept spans never overlap, so sorted by start they are sorted by end
    kept: list[R] = []
    for span in sorted(spans, key=lambda s: (-(s.end_char - s.start_char), s.start_char)):
        i = bisect.bisect_left(starts, span.start_char)
        if i < len(kept) and kept[i].start_char < span.end_char:
            continue                     # the next kept span starts inside this one
        if i > 0 and kept[i - 1].end_char > span.start_char:
            continue                     # the previous kept span runs into this one
        starts.insert(i, span.start_char)
        kept.insert(i, span)
    return kept
