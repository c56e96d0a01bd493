"""What the claim rules see of one document: its sentences, the entities in each, and cue finders.

The rules read the entity rows the matchers produced (never the spaCy Doc), so the data
flows one way: documents -> annotated entities -> mentions.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple

from ..entities.candidates import PhraseScan
from ..knowledge.gazetteer import Gazetteers
from .lemmas import EXACT, CueIndex, Inflector, Row
from .words import Words, matches_near


MIN_QUOTE_WORDS = 5
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n")
QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("«", "»"))

@dataclass(frozen=True)
class Quote:
    start: int  # offset of the opening mark
    end: int    # offset after the closing mark (after the paragraph's last character when it has none)
    closed: bool = True

def quotes(text: str) -> list[Quote]:
    """Direct quotations of ``MIN_QUOTE_WORDS`` words or more, within a paragraph, or over the
    following paragraphs that open with the same mark (a quotation of several paragraphs closes
    only the last). An opening mark whose paragraph ends before any closing mark (a text cut off
    mid-quotation) quotes to its paragraph's end, marked ``closed=False``."""
    found: list[Quote] = []
    breaks = [m.start() for m in PARAGRAPH_BREAK.finditer(text)] + [len(text)]

    def paragraph_end(offset: int) -> int:
        return breaks[bisect.bisect_left(breaks, offset)]

    for open_mark, close_mark in QUOTE_PAIRS:
        position, known = 0, -2  # known: the first closing mark at or after an earlier offset (-1: none)

        def close_after(offset: int) -> int:
            """The first closing mark at or after ``offset``; each stretch of text is searched once."""
            nonlocal known
            if known == -1 or known >= offset:
                return known
            known = text.find(close_mark, offset)
            return known

        while True:
            start = text.find(open_mark, position)
            if start < 0:
                break
            stop = paragraph_end(start)
            end = close_after(start + 1)
            while stop < end:  # the next paragraph opens with the mark again: the quotation runs on
                following = stop
                while following < len(text) and text[following].isspace():
                    following += 1
                if following > end or not text.startswith(open_mark, following):
                    break
                stop = paragraph_end(following)
                end = close_after(following + 1)
            if end < 0 or end > stop:
                body = text[start + 1:stop].rstrip()
                if _opens(text, start) and len(body.split()) >= MIN_QUOTE_WORDS:
                    found.append(Quote(start, start + 1 + len(body), closed=False))
                position = stop
                continue
            body = text[start + 1:end]
            if len(body.split()) >= MIN_QUOTE_WORDS:
                found.append(Quote(start, end + 1))
            position = end + 1
    return sorted(found, key=lambda q: q.start)


def _opens(text: str, at: int) -> bool:
    """A mark at ``at`` that can only open a quotation: at a line start or after a space or a
    bracket, and followed by a word (not the inch mark of '12"')."""
    return (at == 0 or text[at - 1] in " \t\n([") and text[at + 1:at + 2].strip() != ""



class Ent(NamedTuple):
    """An entity row of the document, as the rules read it (a named tuple: made for every entity
    of every document, several times faster than a frozen dataclass, with the same equality and
    hash)."""

    type: str
    id: str
    canonical: str
    family: str
    subtype: str
    text: str
    start: int
    end: int
    value: str = ""
    date_start: str = ""
    date_end: str = ""
    date_basis: str = ""
    basis: str = ""

    @property
    def key(self) -> str:
        """What tells two entities apart: the gazetteer id, or for a rule-found name (empty id) the name."""
        return self.id or f"{self.type}:{self.canonical.casefold()}"

    @property
    def weak_date(self) -> bool:
        """A date taken from the latest date in the text or the previous sentence: a guess, not a fact."""
        return self.date_basis == "inferred" or "previous sentence" in self.basis

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> "Ent":
        return cls(str(row["entity_type"]), str(row["entity_id"]), str(row["canonical"]), str(row["family"]),
                   str(row["subtype"]), str(row["text"]), int(row["start_char"]), int(row["end_char"]),  # type: ignore[call-overload]
                   str(row.get("value", "")), str(row.get("date_start", "")), str(row.get("date_end", "")),
                   str(row.get("date_basis", "")), str(row.get("basis", "")))


RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whose|whom|where)\b[^,;]*(?:,|(?=[;]|$))", re.IGNORECASE)
CLAUSE_BARRIER = re.compile(r",\s+(?:as|while|although|though|whereas|but|even\s+as|after|before|since)\b|;\s+",
                            re.IGNORECASE)


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    entities: list[Ent] = field(default_factory=list)
    _regions: tuple[list[tuple[int, int]], list[int]] | None = None
    _by_type: dict[str, list[Ent]] | None = None

    def of(self, kind: str) -> list[Ent]:
        """The entities of one type, in order (grouped once, when first asked for: the entities
        are all in place by then; the list is shared, not to be changed)."""
        if self._by_type is None:
            self._by_type = {}
            for e in self.entities:
                self._by_type.setdefault(e.type, []).append(e)
        return self._by_type.get(kind, [])

    def region(self, offset: int) -> tuple[str, int]:
        """Which clause ``offset`` stands in: ("relative", k) inside the k-th ", which ...,"
        clause, else ("main", m) after m clause barriers (", as ...", ", while ...", "; ").
        A cue and the system it governs stand in the same clause."""
        if self._regions is None:
            relatives = [(self.start + m.start(), self.start + m.end()) for m in RELATIVE_CLAUSE.finditer(self.text)]
            barriers = [self.start + m.start() for m in CLAUSE_BARRIER.finditer(self.text)
                        if not any(s <= self.start + m.start() < e for s, e in relatives)]
            self._regions = (relatives, barriers)
        relatives, barriers = self._regions
        for k, (s, e) in enumerate(relatives):
            if s <= offset < e:
                return "relative", k
        return "main", sum(1 for b in barriers if b < offset)


class Hit(NamedTuple):
    """A cue phrase found in a sentence: absolute character span, the text matched, the lexicon
    row's phrase (``lemma``: "supply" for "supplied") and its value (a named tuple, as ``Ent``)."""

    start: int
    end: int
    phrase: str
    value: str
    inherited: bool = False  # the value was taken from an earlier claim (a listing verb)
    lemma: str = ""


class PhraseFinder:
    """Whole-word, case-sensitive search for a fixed set of names (news outlets), longest first."""

    def __init__(self, phrases: Mapping[str, str]) -> None:
        self.values = dict(phrases)
        if phrases:
            alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
            pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
            self.scan: PhraseScan | None = PhraseScan(pattern, phrases, re)
        else:
            self.scan = None

    def find(self, text: str, offset: int = 0) -> list[Hit]:
        if self.scan is None:
            return []
        hits = []
        for m in self.scan.finditer(text):
            key = " ".join(m.group().split())
            hits.append(Hit(offset + m.start(), offset + m.end(), key, self.values.get(key, ""), lemma=key))
        return hits


CASE_SENSITIVE_KINDS = frozenset({"name_head"})  # matched as written ("Agreement" heads a name, "agreement" does not)
# Kinds whose rows the rules read as word lists (``phrases``, ``forms``, ``is_form``) and never search
# for in a text: the search leaves them out ("the" of ``anaphora,determiner`` would be a cue in every line).
LISTED = frozenset({("agreement", "name_head"), ("anaphora", "determiner"), ("anaphora", "noun"), ("clause", "made"),
                    ("combat_use", "blocker"), ("exercise", "blocker"), ("meeting", "blocker"),
                    ("statement", "ministry"), ("statement", "publication"), ("transfer", "relation")})


class Cues:
    """Compiled cue finders from ``gazetteers/lexicon/claim_cues.csv`` (matched by lemma, see
    ``lemmas.py``) and ``sources.csv``."""

    def __init__(self, gaz: Gazetteers) -> None:
        lex = gaz.lexicon
        rows = [Row(frame, kind, phrase.lstrip(EXACT).strip(), value, phrase.startswith(EXACT))
                for (frame, kind), values in lex.claim_cues.items() for phrase, value in values.items()]
        self.inflector = Inflector(lex.irregular_verbs)
        self.lists = CueIndex([r for r in rows if r.kind not in CASE_SENSITIVE_KINDS], self.inflector)  # forms
        searched = [r for r in rows if (r.frame, r.kind) not in LISTED]
        self.index = CueIndex([r for r in searched if r.kind not in CASE_SENSITIVE_KINDS], self.inflector)
        self.case_index = CueIndex([r for r in searched if r.kind in CASE_SENSITIVE_KINDS], self.inflector,
                                   case_sensitive=True)
        self.rows: dict[tuple[str, str], dict[str, str]] = {}
        for row in rows:
            self.rows.setdefault((row.frame, row.kind), {})[row.phrase] = row.value
        source_forms = {alias: canonical for canonical, aliases in lex.sources.items() for alias in (canonical, *aliases)}
        self.sources = PhraseFinder(source_forms)
        self.weapon_origin = {w.id: w.origin for w in gaz.weapons.values()}
        self.weapon_category = {w.id: w.category for w in gaz.weapons.values()}
        self.months = frozenset(w.lower() for w in lex.time_words.get("month", {}))
        self.english_words = lex.english_words
        self.demonyms = {c.canonical: (c.demonyms[0] if c.demonyms else c.canonical) for c in gaz.countries.values()}
        self.person_titles = {p.id: tuple(t.casefold() for t in p.titles) for p in gaz.people.values()}
        self._forms: dict[tuple[str, str], dict[str, str]] = {}

    def phrases(self, frame: str, kind: str) -> list[str]:
        """The phrases of a kind as the lexicon writes them."""
        return list(self.rows.get((frame, kind), {}))

    def forms(self, frame: str, kind: str) -> dict[str, str]:
        """Every inflected form of the one-word phrases of a kind -> the row's value ("helicopters"
        for a blocker row "helicopter")."""
        cached = self._forms.get((frame, kind))
        if cached is None:
            cached = self._forms[(frame, kind)] = {f: r.value for f, r in self.lists.forms_of(frame, kind).items()}
        return cached

    def is_form(self, frame: str, kind: str, word: str) -> bool:
        return word.lower() in self.forms(frame, kind)

    def spans(self, words: Words, case_sensitive: bool = False) -> dict[tuple[str, str], list[tuple[int, int, Row]]]:
        """(start, end, row) of every cue in a text, by (frame, kind), in text order: one pass for
        all the kinds that are matched ignoring case, or for those matched as written."""
        found: dict[tuple[str, str], list[tuple[int, int, Row]]] = {}
        for span in (self.case_index if case_sensitive else self.index).find(words.text, words):
            found.setdefault((span[2].frame, span[2].kind), []).append(span)
        return found


NO_HITS: tuple[list[int], list[Hit]] = ([], [])


@dataclass
class DocContext:
    """``text`` is the document with boilerplate blanked (what the rules read); ``source`` is the
    file text (what evidence is cut from). Both have the same length and offsets."""

    doc_id: str
    text: str
    source: str
    sentences: list[Sentence]
    cues: Cues
    countries: Counter[str] = field(default_factory=Counter)  # country mentions in the document
    _hits: dict[tuple[str, str], tuple[list[int], list[Hit]]] = field(default_factory=dict)
    _spans: dict[bool, dict[tuple[str, str], list[tuple[int, int, Row]]]] = field(default_factory=dict)
    _words: Words | None = None
    _names: tuple[list[tuple[int, int]], list[int], frozenset[int]] | None = None
    _quotes: list[Quote] | None = None
    _starts: list[int] | None = None
    attributions: dict[tuple[int, int], str] = field(default_factory=dict)  # a sentence's span -> the outlet it relays

    @property
    def quotes(self) -> list[Quote]:
        """The document's direct quotations (computed once)."""
        if self._quotes is None:
            self._quotes = quotes(self.text)
        return self._quotes

    @property
    def words(self) -> Words:
        """The document's words (computed once)."""
        if self._words is None:
            self._words = Words(self.text)
        return self._words

    def near(self, pattern: re.Pattern[str], start: int, end: int, firsts: frozenset[str] | None, before: int,
             first: re.Pattern[str]) -> list[re.Match[str]]:
        """``list(pattern.finditer(text[start:end]))`` for an ignore-case pattern whose matches hold,
        after white space and at most ``before`` chunks from their start, a word whose first part is
        one of ``firsts`` (None: unknown), and begin with a character of ``first``: tried only
        there (``words.matches_near``)."""
        region = self.text[start:end]
        if firsts is None:
            return list(pattern.finditer(region))
        starts = self.words.starting(firsts)
        lo = bisect.bisect_left(starts, start)
        heads = [h - start for h in starts[lo:bisect.bisect_left(starts, end, lo)]]
        return matches_near(pattern, region, heads, before, first) if heads else []

    def find(self, frame: str, kind: str, sentence: Sentence) -> list[Hit]:
        """Cue hits inside ``sentence``."""
        return self.find_between(frame, kind, sentence.start, sentence.end)

    def find_between(self, frame: str, kind: str, start: int, end: int) -> list[Hit]:
        """Cue hits inside [start, end); the document is searched once for every kind."""
        starts, hits = self._hits.get((frame, kind)) or self._kind_hits(frame, kind)
        if not hits:
            return []
        lo = bisect.bisect_left(starts, start)
        hi = bisect.bisect_left(starts, end, lo)
        return [h for h in hits[lo:hi] if h.end <= end] if lo < hi else []

    def _kind_hits(self, frame: str, kind: str) -> tuple[list[int], list[Hit]]:
        """The hits of one kind and their starts, made when the kind is first asked for (the one
        search of the document found every kind's spans). A cue word inside a name (the "States"
        of "United States") is no cue."""
        key = (frame, kind)
        if key in LISTED:
            raise KeyError(f"{frame},{kind} rows are a word list, not searched in texts (context.LISTED)")
        case_sensitive = kind in CASE_SENSITIVE_KINDS
        if case_sensitive not in self._spans:
            self._spans[case_sensitive] = self.cues.spans(self.words, case_sensitive)
        spans = self._spans[case_sensitive].get(key)
        if not spans:
            self._hits[key] = NO_HITS
            return NO_HITS
        text = self.text
        hits = [Hit(start, end, " ".join(text[start:end].split()), row.value, lemma=row.phrase)
                for start, end, row in spans]
        kept = [h for h in hits if not self._in_name(h)]
        found = self._hits[key] = ([h.start for h in kept], kept)
        return found

    def _in_name(self, hit: Hit) -> bool:
        """Inside an entity, or an inflected form Capitalised within a sentence ("Member States")."""
        if self._names is None:
            names = sorted((e.start, e.end) for s in self.sentences for e in s.entities if e.type != "DATE")
            self._names = (names, [start for start, _ in names], frozenset(s.start for s in self.sentences))
        names, name_starts, sentence_starts = self._names
        i = bisect.bisect_right(name_starts, hit.start) - 1
        if i >= 0 and hit.end <= names[i][1]:
            return True
        return hit.phrase[:1].isupper() and hit.phrase.lower() != hit.lemma.lower() and hit.start not in sentence_starts \
            and self.text[max(0, hit.start - 8):hit.start].rstrip()[-1:] not in ("", ".", ":", "“", '"', "‘", "'", "(", "\n")

    @classmethod
    def build(cls, doc_id: str, text: str, source: str, sentence_starts: list[int],
              entity_rows: Iterable[Mapping[str, object]], cues: Cues) -> "DocContext":
        bounds = sentence_starts + [len(text)]
        sentences = []
        for i, (start, end) in enumerate(zip(bounds, bounds[1:])):
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            trail = len(text[start:end]) - len(text[start:end].rstrip())
            if end - trail > start + lead:
                sentences.append(Sentence(i, start + lead, end - trail, text[start + lead:end - trail]))
        if sentences and _is_headline(text, sentences[0]):
            sentences = sentences[1:]  # the headline restates the body; its claims are the body's
        ctx = cls(doc_id, text, source, sentences, cues)
        index = {s.index: s for s in sentences}
        for row in entity_rows:
            ent = Ent.from_row(row)
            sentence = ctx.sentence_at(ent.start)
            if sentence is not None:
                index[sentence.index].entities.append(ent)
            if ent.type == "COUNTRY":
                ctx.countries[ent.canonical] += 1
        return ctx

    def _position_at(self, offset: int) -> int:
        """Position in ``sentences`` of the last sentence starting at or before ``offset`` (-1: none)."""
        if self._starts is None:
            self._starts = [s.start for s in self.sentences]
        return bisect.bisect_right(self._starts, offset) - 1

    def sentence_at(self, offset: int) -> Sentence | None:
        i = self._position_at(offset)
        if i < 0:
            return None
        sentence = self.sentences[i]
        return sentence if sentence.start <= offset < sentence.end + 1 else None

    def position(self, sentence: Sentence) -> int:
        return self._position_at(sentence.start)


def _is_headline(text: str, sentence: Sentence) -> bool:
    """The first sentence is a headline when it is a line of its own without a full stop."""
    line_end = text.find("\n", sentence.start)
    return (line_end < 0 or sentence.end <= line_end) and not sentence.text.rstrip().endswith((".", "!", "?", "”", '"'))
