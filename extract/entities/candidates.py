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

from types import ModuleType
from typing import Any, Iterable, Iterator, Protocol, Sequence

SHORT_TEXT = 2000  # characters: a sentence is scanned whole, indexing its words would cost more


class _Pattern(Protocol):
    def match(self, text: str, pos: int) -> Any: ...

    def finditer(self, text: str) -> Iterator[Any]: ...


class WordIndex:
    """Where each word of a text starts, by lower-cased ASCII word; other words apart.

    ``engine`` is the module (``re`` or ``regex``) whose ``\\w`` the patterns use."""

    def __init__(self, text: str, engine: ModuleType) -> None:
        self.text = text
        self.starts: dict[str, list[int]] = {}
        self.non_ascii: list[int] = []
        for m in engine.finditer(r"\w+", text):
            word = m.group()
            if word.isascii():
                self.starts.setdefault(word.lower(), []).append(m.start())
            else:
                self.non_ascii.append(m.start())


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
        positions: list[int] = list(index.non_ascii)
        for word in self.firsts:
            positions += index.starts.get(word, ())
        yield from _matches(self.pattern, text, sorted(positions))


def _matches(pattern: _Pattern, text: str, positions: Sequence[int]) -> Iterator[Any]:
    end = -1
    for pos in positions:
        if pos < end:
            continue  # inside the previous match: finditer resumes after it
        m = pattern.match(text, pos)
        if m is not None:
            yield m
            end = m.end()
