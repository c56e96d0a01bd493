"""Cue words by lemma: one lexicon row matches every inflection of its words.

A row of ``claim_cues.csv`` written "supply" (or "supplied") matches supply, supplies,
supplied and supplying; "take delivery" matches "took delivery" and "taking delivery".
The forms are generated, not looked up: regular English endings (-s/-es/-ies, -ed/-d/-ied,
-ing, a doubled final consonant) plus the irregular verbs of ``lexicon/irregular_verbs.csv``
("meet" -> met, "sell" -> sold, "strike" -> struck). Generating a superset is safe: a
made-up form ("dealed") never occurs in text, so it never matches. A phrase written with a
leading ``=`` is matched only as written ("=like": not "liked"); closed-class words
(not, may, the) and nouns whose verb reading would mislead are written that way.

Matching tokenises the text once (words joined by ``'``, ``’`` or ``-`` are one word, as the
old whole-word patterns required) and walks a trie of phrase words, so its cost grows with
the text, not with the number of rows: every cue kind of a document is found in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, chain, compress
from typing import Iterable

from ..knowledge.lemmas import Inflector

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
EXACT = "="


@dataclass(frozen=True)
class Row:
    """One lexicon row: frame, kind, the phrase as written (without ``=``) and its value."""

    frame: str
    kind: str
    phrase: str
    value: str
    exact: bool


class _Node:
    __slots__ = ("next", "rows", "entries")

    def __init__(self) -> None:
        self.next: dict[tuple[str, bool], _Node] = {}
        self.rows: list[Row] = []
        self.entries: list[tuple[Row, str, tuple[str, str]]] = []  # (row, folded phrase, (frame, kind))


class CueIndex:
    """All cue rows of a lexicon, matched in one pass over a text."""

    def __init__(self, rows: Iterable[Row], inflector: Inflector, case_sensitive: bool = False) -> None:
        self.case_sensitive = case_sensitive
        # surface form -> the word keys it stands for, in file order (a dict, not a set: ties between rows
        # go to the first in the file whatever the hash seed, so every process finds the same cues)
        self.by_form: dict[str, dict[tuple[str, bool], None]] = {}
        self.root = _Node()
        for row in rows:
            node = self.root
            for word in row.phrase.split():
                exact = row.exact or case_sensitive
                key = (word if case_sensitive else word.lower(), exact)
                for form in ({key[0]} if exact else inflector.forms(word)):
                    self.by_form.setdefault(form, {})[key] = None
                node = node.next.setdefault(key, _Node())
            node.rows.append(row)
            node.entries.append((row, row.phrase if case_sensitive else row.phrase.lower(), (row.frame, row.kind)))
        # the forms a phrase can start with: a search starts only there
        self.first_forms = frozenset(f for f, keys in self.by_form.items() if any(k in self.root.next for k in keys))

    def forms_of(self, frame: str, kind: str) -> dict[str, Row]:
        """Surface form -> row, for the one-word rows of a kind (membership tests such as blockers)."""
        found: dict[str, Row] = {}
        for form, keys in self.by_form.items():
            for key in keys:
                node = self.root.next.get(key)
                for row in node.rows if node else ():
                    if row.frame == frame and row.kind == kind:
                        found.setdefault(form, row)
        return found

    def find(self, text: str) -> list[tuple[int, int, Row]]:
        """(start, end, row) of each kind's cues, in text order, leftmost-longest without overlaps
        ("paid a visit", not also its "visit"). When several rows of one kind match the same words,
        the row written as the text is wins, else the first in the file."""
        fold = (lambda w: w) if self.case_sensitive else str.lower
        # Words, the gaps between them and their offsets come from C-level passes (``split`` and
        # ``findall`` scan alike: gap 0, word 0, gap 1, ...); Python visits only the words that are
        # some cue's form (a Python loop over every word's match cost more than the search itself).
        raw = WORD.findall(text)
        gaps = WORD.split(text)
        words = raw if self.case_sensitive else list(map(str.lower, raw))
        offsets = list(accumulate(chain.from_iterable(zip(map(len, gaps), map(len, raw)))))
        found: list[tuple[int, int, Row]] = []
        busy: dict[tuple[str, str], int] = {}  # (frame, kind) -> end of its last cue
        by_form, n = self.by_form, len(words)
        for i in compress(range(n), map(self.first_forms.__contains__, words)):
            start = offsets[2 * i]
            best: dict[tuple[str, str], tuple[int, bool, Row]] = {}  # (frame, kind) -> (end, written, row)
            frontier = [self.root]
            j = i
            while j < n:
                if j > i and gaps[j].strip():
                    break  # the words of a phrase are separated by white space only
                keys = by_form.get(words[j], ())
                frontier = [node.next[key] for node in frontier for key in keys if key in node.next]
                if not frontier:
                    break
                if any(node.entries for node in frontier):
                    end = offsets[2 * j + 1]
                    # one word is its own surface; several are joined by single spaces
                    surface = words[i] if j == i else fold(" ".join(text[start:end].split()))
                    for node in frontier:
                        for row, phrase, kind in node.entries:
                            written = surface == phrase
                            current = best.get(kind)
                            if current is None or end > current[0] or (end == current[0] and written and not current[1]):
                                best[kind] = (end, written, row)
                j += 1
            for kind, (end, _, row) in best.items():
                if start >= busy.get(kind, 0):
                    found.append((start, end, row))
                    busy[kind] = end
        return found
