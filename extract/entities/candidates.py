"""Scans for large phrase alternations, tried only where one of the phrases can start.

A pattern of the form ``(?<![\\w-])(?:phrase|phrase|...)...`` matches only at the start of a
word (a maximal run of ``\\w``) that equals, case folded, the first word of one of its phrases.
Python's regex engines try every alternative at every character of the text; looking the
document's words up in a dict and calling ``pattern.match`` at those positions alone gives the
same matches as ``pattern.finditer`` (same order, same non-overlapping choice) several times
faster. The equivalence needs the phrases to be ASCII (an ASCII word then matches a phrase word
ignoring case exactly when their ``lower()`` agree); a text word with other characters is tried
by every pattern, and a phrase list that is not all ASCII falls back to the plain scan.
"""

from __future__ import annotations

import operator
import re
from itertools import accumulate, compress
from re import _constants as sre, _parser as sre_parse  # the parse tree ``re`` compiles
from types import ModuleType
from typing import Any, Iterable, Iterator, Protocol, Sequence

SHORT_TEXT = 2000  # characters: a sentence is scanned whole, indexing its words would cost more


class _Pattern(Protocol):
    def match(self, text: str, pos: int) -> Any: ...

    def finditer(self, text: str) -> Iterator[Any]: ...


class WordIndex:
    """Where each word of a text starts; ASCII words compared lower-cased, other words apart.

    ``engine`` is the module (``re`` or ``regex``) whose ``\\w`` the patterns use. The words and
    their offsets come from one ``split`` and running sums of the pieces' lengths, with no Python
    step per word."""

    def __init__(self, text: str, engine: ModuleType) -> None:
        self.text = text
        pieces = engine.split(r"(\w+)", text)  # gap, word, gap, word, ..., gap
        words = pieces[1::2]
        self.starts: list[int] = list(accumulate(map(len, pieces[:-1])))[0::2]  # a word starts where its gap ends
        self.lowered = list(map(str.lower, words))
        self.non_ascii: list[int] = list(compress(self.starts, map(operator.not_, map(str.isascii, words))))

    def positions(self, firsts: frozenset[str]) -> list[int]:
        """Starts of the words that are ASCII and one of ``firsts`` lower-cased, or not ASCII, in order.
        (A non-ASCII word may lower-case to one of them: it is a start either way.)"""
        return sorted({*compress(self.starts, map(firsts.__contains__, self.lowered)), *self.non_ascii})


class PhraseScan:
    """``finditer`` of ``pattern`` (which begins with ``(?<![\\w-])`` and one of ``phrases``)."""

    def __init__(self, pattern: _Pattern, phrases: Iterable[str], engine: ModuleType) -> None:
        self.pattern = pattern
        self.engine = engine
        firsts: set[str] | None = set()
        for phrase in phrases:
            first = engine.match(r"\w+", phrase)
            if first is None or not phrase.isascii():
                firsts = None  # cannot be keyed by its first word: scan the whole text
                break
            firsts.add(first.group().lower())  # type: ignore[union-attr]
        self.firsts: frozenset[str] | None = frozenset(firsts) if firsts is not None else None

    def finditer(self, text: str, index: WordIndex | None = None) -> Iterator[Any]:
        if self.firsts is None or (index is None and len(text) < SHORT_TEXT):
            yield from self.pattern.finditer(text)
            return
        if index is None or index.text is not text:
            index = WordIndex(text, self.engine)
        yield from matches_at(self.pattern, text, index.positions(self.firsts))


def matches_at(pattern: _Pattern, text: str, positions: Sequence[int]) -> Iterator[Any]:
    """``pattern.finditer(text)`` when ``positions`` (in order) hold every offset where a
    (non-empty) match can begin: the pattern is tried there only, each after the last match."""
    end = -1
    for pos in positions:
        if pos < end:
            continue  # inside the previous match: finditer resumes after it
        m = pattern.match(text, pos)
        if m is not None:
            yield m
            end = m.end()


# ---------------------------------------------------------------- first-character guards

_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


class _Opaque(Exception):
    """A construct whose first characters the analysis does not enumerate."""


def _char(code: int) -> str:
    return re.escape(chr(code))


def _first(items: Any) -> tuple[set[str], bool]:
    """Class items that can begin a match of the sequence ``items``, and whether it can match empty."""
    found: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            return found | {_char(av)}, False
        if op is sre.IN:
            for kind, value in av:
                if kind is sre.LITERAL:
                    found.add(_char(value))
                elif kind is sre.RANGE:
                    found.add(f"{_char(value[0])}-{_char(value[1])}")
                elif kind is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
                    found.add(r"\d")
                else:
                    raise _Opaque(kind)
            return found, False
        if op is sre.BRANCH:
            empty = False
            for branch in av[1]:
                chars, nullable = _first(branch)
                found |= chars
                empty = empty or nullable
            if not empty:
                return found, False
        elif op is sre.SUBPATTERN or op is sre.ATOMIC_GROUP:
            sub = av if op is sre.ATOMIC_GROUP else av[3]
            if op is sre.SUBPATTERN and (av[1] | av[2]) & sre.SRE_FLAG_IGNORECASE:
                raise _Opaque(op)
            chars, nullable = _first(sub)
            found |= chars
            if not nullable:
                return found, False
        elif op in _REPEATS:
            chars, nullable = _first(av[2])
            found |= chars
            if not nullable and av[0] > 0:
                return found, False
        elif op not in _ZERO_WIDTH:
            raise _Opaque(op)
    return found, True


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a lookahead for the characters that can begin one of its matches.

    Same matches, group numbers and spans: the lookahead only restates what the pattern already
    requires of its first character. ``re`` tries a pattern at every position of the text; a large
    alternation costs at each one, a character class fails fast where no match can begin. A pattern
    whose first characters cannot be listed (case-insensitive, ``.``, ``\\w``, an empty match) is
    returned as it is."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return pattern
    try:
        chars, nullable = _first(sre_parse.parse(pattern.pattern, pattern.flags))
    except _Opaque:
        return pattern
    if nullable or not chars:
        return pattern
    try:
        return re.compile(f"(?=[{''.join(sorted(chars))}])(?:{pattern.pattern})", pattern.flags)
    except re.error:  # global inline flags, which must open the pattern
        return pattern
