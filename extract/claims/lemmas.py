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

from dataclasses import dataclass
from itertools import compress
from typing import Iterable

from ..knowledge.lemmas import Inflector
from .words import Words

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


class _State:
    """The trie nodes a run of words reaches (a frontier), with the moves on a next word found so
    far: a walk from a start word is a chain of dict look-ups, each frontier built once per index."""

    __slots__ = ("nodes", "entries", "more", "moves")

    def __init__(self, nodes: list[_Node]) -> None:
        self.nodes = nodes
        self.entries = [entry for node in nodes for entry in node.entries]  # in frontier order
        self.more = any(node.next for node in nodes)  # a longer phrase may follow
        self.moves: dict[str, _State | None] = {}


def _resolve(entries: list[tuple[Row, str, tuple[str, str]]], surface: str) -> dict[tuple[str, str], Row]:
    """The row of each kind among ``entries`` that end at the same word: the first written as the
    text is (``surface``), else the first; kinds in the order of their first entry."""
    chosen: dict[tuple[str, str], tuple[bool, Row]] = {}
    for row, phrase, kind in entries:
        written = surface == phrase
        current = chosen.get(kind)
        if current is None or (written and not current[0]):
            chosen[kind] = (written, row)
    return {kind: row for kind, (_, row) in chosen.items()}


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
        # the forms a phrase can start with (a search starts only there): their frontier, and the rows
        # of each kind that the form alone matches (a one-word surface is the form itself)
        root = _State([self.root])
        self.starts: dict[str, tuple[_State, tuple[tuple[tuple[str, str], Row], ...]]] = {}
        for form in self.by_form:
            state = self._move(root, form)
            if state is not None:
                self.starts[form] = (state, tuple(_resolve(state.entries, form).items()))

    def _move(self, state: _State, form: str) -> _State | None:
        """The frontier after one more word (``form``), or None when no phrase goes on with it."""
        if form in state.moves:
            return state.moves[form]
        keys = self.by_form.get(form, ())
        nodes = [node.next[key] for node in state.nodes for key in keys if key in node.next]
        state.moves[form] = moved = _State(nodes) if nodes else None
        return moved

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

    def find(self, text: str, words: Words | None = None) -> list[tuple[int, int, Row]]:
        """(start, end, row) of each kind's cues, in text order, leftmost-longest without overlaps
        ("paid a visit", not also its "visit"). When several rows of one kind match the same words,
        the row written as the text is wins, else the first in the file. ``words``: ``text`` already
        cut into words."""
        if words is None or words.text is not text:
            words = Words(text)
        fold = (lambda w: w) if self.case_sensitive else str.lower
        forms = words.raw if self.case_sensitive else words.lower
        gaps, offsets, starts = words.gaps, words.offsets, self.starts
        found: list[tuple[int, int, Row]] = []
        busy: dict[tuple[str, str], int] = {}  # (frame, kind) -> end of its last cue
        n = len(forms)
        # Python visits only the words that are some phrase's first form
        for i in compress(range(n), map(starts.__contains__, forms)):
            state, alone = starts[forms[i]]
            start = offsets[2 * i]
            longer: dict[tuple[str, str], tuple[int, Row]] | None = None  # kinds matched by more words
            j = i + 1
            while state.more and j < n and not gaps[j].strip():  # phrase words are separated by white space only
                form = forms[j]
                moved = state.moves[form] if form in state.moves else self._move(state, form)
                if moved is None:
                    break
                state = moved
                if state.entries:
                    end = offsets[2 * j + 1]
                    if longer is None:
                        longer = {}
                    for kind, row in _resolve(state.entries, fold(" ".join(text[start:end].split()))).items():
                        longer[kind] = (end, row)
                j += 1
            end = offsets[2 * i + 1]
            if longer is None:
                best = [(kind, end, row) for kind, row in alone]
            else:  # a kind matched by more words keeps the place of its one-word match
                merged = {kind: (end, row) for kind, row in alone}
                merged.update(longer)
                best = [(kind, kind_end, row) for kind, (kind_end, row) in merged.items()]
            for kind, kind_end, row in best:
                if start >= busy.get(kind, 0):
                    found.append((start, kind_end, row))
                    busy[kind] = kind_end
        return found
