"""A document cut into words once, and searches that look only where a match can start.

The words come from C-level passes over the text (``findall`` and ``split``); Python then
visits only the few words that matter. The claim rules use them to find cue phrases
(``lemmas.CueIndex``) and to run large patterns only near the words every match must hold
(``matches_near``), with exactly the matches of a scan of the whole text.
"""

from __future__ import annotations

import re
from itertools import accumulate, chain, compress
from operator import not_
from typing import Iterable

from ..entities.candidates import matches_at

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")  # words joined by ', ’ or - are one word
PART = re.compile(r"[^\W_]+")
LINE_START = re.compile(r"^[^\W_]*", re.MULTILINE)  # one match per line, if empty: a line's first part


class Words:
    """A text cut into words (``WORD``), with the gaps between them and their offsets, from
    C-level passes (``split`` and ``findall`` scan alike: gap 0, word 0, gap 1, ...); made once
    for all the indexes that search the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.raw: list[str] = WORD.findall(text)
        self.gaps: list[str] = WORD.split(text)
        self.offsets = list(accumulate(chain.from_iterable(zip(map(len, self.gaps), map(len, self.raw)))))
        self._lower: list[str] | None = None
        self._starting: dict[frozenset[str], list[int]] = {}
        self._others: tuple[list[int], list[str], list[int]] | None = None  # words with a joiner, their first
        # parts, and the words that are not ASCII

    @property
    def lower(self) -> list[str]:
        if self._lower is None:
            self._lower = list(map(str.lower, self.raw))
        return self._lower

    def starting(self, firsts: frozenset[str]) -> list[int]:
        """Offsets of the words where a phrase whose first part (``first_part``) is one of
        ``firsts`` (ASCII, lower case) can match ignoring case, when a match starts at a word:
        the words whose first part, lower-cased, is one of them, and every word that is not
        ASCII (``re`` ignoring case matches more than ``lower`` agrees on outside ASCII: "ſ" is
        an "s"). A superset of the regex's starts; the C-level passes visit every word, Python
        only those with a joiner (``'``, ``’``, ``-``) or other than ASCII. Computed once per set."""
        if firsts in self._starting:
            return self._starting[firsts]
        if self._others is None:
            n = len(self.raw)
            joined = list(compress(range(n), map(not_, map(str.isalnum, self.lower))))  # words with a joiner
            # their first parts, one per line of a single string, found in one C-level pass
            parts = LINE_START.findall("\n".join([self.lower[i] for i in joined]))
            self._others = (joined, parts, list(compress(range(n), map(not_, map(str.isascii, self.raw)))))
        joined, parts, non_ascii = self._others
        found = set(compress(range(len(self.raw)), map(firsts.__contains__, self.lower)))
        found.update(compress(joined, map(firsts.__contains__, parts)))
        found.update(non_ascii)
        starts = self._starting[firsts] = [self.offsets[2 * i] for i in sorted(found)]
        return starts


def first_part(phrase: str) -> str:
    """The leading run of letters and digits of a phrase ("ministry" of "ministry's", "u" of "U.S.")."""
    m = PART.match(phrase)
    return m.group() if m else ""


def first_parts(heads: Iterable[str]) -> frozenset[str] | None:
    """The first parts (lower case) of head words, for ``Words.starting``; None when one of them
    is not ASCII or has none (where a match can begin is then unknown)."""
    heads = list(heads)
    if not all(h.isascii() and first_part(h) for h in heads):
        return None
    return frozenset(first_part(h.lower()) for h in heads)


def matches_near(pattern: re.Pattern[str], text: str, heads: list[int], before: int,
                 first: re.Pattern[str]) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))`` for a pattern each of whose (non-empty) matches begins with a
    character that ``first`` matches and holds a head word, at one of the offsets ``heads`` (in
    order), after at most ``before`` white-space separated chunks: the pattern is tried only at
    those characters of the chunks before each head, not at every character of the text."""
    positions: set[int] = set()
    for head in heads:
        chunks = text[:head].rsplit(None, before)
        positions.update(m.start() for m in first.finditer(text, len(chunks[0]) if len(chunks) > before else 0, head))
    return list(matches_at(pattern, text, sorted(positions)))
