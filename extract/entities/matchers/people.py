"""People: gazetteer names, initials, titled names, partial names and misspellings.

Candidates come from four rules, each recorded in ``basis``:

1. an exact alias or canonical name from ``people.csv`` (must be Capitalised in the text);
2. initials and a surname, "S.K.Shoigu", "N.P. Patrushev": the surname must be a known
   name of exactly one person whose first name starts with the first initial;
3. a title from ``titles.csv`` followed by Capitalised words ("Maj-Gen Zaw Min Tun",
   "Deputy Defence Minister X Y", "Dr. X Y"), or a byline ("By X Y" at the start of a line): resolved to a gazetteer person when the
   name is an alias, a contiguous part of one person's name ("Senior General Shwe" ->
   Than Shwe) or within the fuzzy threshold of one; otherwise kept as a rule-found person
   (empty entity_id) when it has at least two words;
4. untitled runs of 2-4 Capitalised words that share a word with a gazetteer name and are
   within the fuzzy threshold of it ("Min Aung Hline" -> Min Aung Hlaing).

Fuzzy matching (rapidfuzz ``fuzz.ratio`` on the case-folded names) accepts a candidate
only when it scores at least ``FUZZY_THRESHOLD``, is at least ``FUZZY_MIN_CHARS`` long,
has two or more words, and beats the best other person by ``FUZZY_MARGIN``: short or
common names never fuzzy-match.

A name that is part of a longer gazetteer name ("Maung Aye" in "Maung Maung Aye") is
ambiguous: the person whose titles (``people.csv`` titles column) appear in the same
sentence wins; a later mention of the same surface in the document takes the same person
(one sense per discourse).
"""

from __future__ import annotations

import regex as re  # Unicode letter classes: names such as "Hélène", "Błaszczak"
from dataclasses import dataclass
from typing import Callable, Iterator, TypeVar

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ...knowledge.gazetteer import Gazetteers, Person, fold
from ...knowledge.lemmas import Inflector
from ..candidates import PhraseScan
from .base import (Match, cached_gazetteers, doc_text, longest_first, make_span, pattern_docs, sentence_span,
                   set_spans, span_offsets)

LABEL = "PERSON"


def _key(text: str) -> str:
    """How names are compared: case and diacritics folded ("Çavuşoğlu" == "cavusoglu")."""
    return fold(text).casefold()
FUZZY_THRESHOLD = 86.0   # rapidfuzz ratio (0-100) a misspelling must reach
FUZZY_MARGIN = 5.0       # and by which it must beat the next person
FUZZY_MIN_CHARS = 10     # names shorter than this never fuzzy-match
NAME_PART_MIN = 3        # a word of a person's name is reused alone in the document from this length

_NAME_WORD = r"\p{Lu}[\p{L}'’]+(?:-\p{L}[\p{L}'’]+)?"
_PARTICLE = r"(?:bin|ibn|al|el|de|da|di|du|van|von|der|den|le|la)"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+|{_PARTICLE}-)?{_NAME_WORD}){{0,3}}"
_INITIALS = re.compile(r"(?<![\w.])(?P<init>(?:[A-Z]\.\s?){1,3})\s?(?P<surname>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_BYLINE = re.compile(rf"(?im)^[ \t]*by[ \t]+(?P<name>{_NAME})")
_TRAILING_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,3}$")
_ACRONYM = re.compile(r"(?<!\p{L})\p{Lu}{2,}(?!\p{Ll})")  # "NATO" in "Non-NATO"
_NAME_PART = re.compile(r"\p{Lu}\p{Ll}[\p{L}'’-]*")
_MIDDLE_INITIAL = re.compile(rf"(?<![\w.])(?P<first>{_NAME_WORD})[ \t]+\p{{Lu}}\.[ \t]*(?P<last>{_NAME_WORD})")
_CAP_RUN = re.compile(rf"(?<![\w.]){_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,3}}")
_NON_SPACE = re.compile(r"\S+")
_WORD_OR_HYPHEN = re.compile(r"[\w-]")  # a name part is a whole word: no such character on either side


@dataclass(frozen=True)
class Resolution:
    person: Person | None
    matcher: str
    basis: str
    by_context: bool = False  # chosen among several people by the titles in its sentence


class PersonMatcher:
    def __init__(self, nlp: Language, gaz: Gazetteers) -> None:
        self.people = gaz.people
        self.phrase = PhraseMatcher(nlp.vocab, attr="NORM")
        self.by_form: dict[str, Person] = {}
        for person in self.people.values():
            for form in (person.canonical, *person.aliases):
                self.by_form[_key(form)] = person
            self.phrase.add(f"P:{person.id}", pattern_docs(nlp, [person.canonical, *person.aliases]))
        self.ids = {nlp.vocab.strings[f"P:{p.id}"]: p for p in self.people.values()}
        self._fuzzy_cache: dict[str, tuple[Person, float] | None] = {}
        self._containing_cache: dict[tuple[str, ...], list[Person]] = {}
        # Index every name word so partial and fuzzy candidates are looked up in a small block.
        self.by_word: dict[str, set[str]] = {}
        for person in self.people.values():
            for form in (person.canonical, *person.aliases):
                for word in form.split():
                    if len(word) >= 3:
                        self.by_word.setdefault(_key(word), set()).add(person.id)
        countries = [s for c in gaz.countries.values() for s, _ in c.forms()]
        lex = gaz.lexicon
        self.stop = set(lex.name_stopwords) | {w for c in countries for w in c.split()} | \
            {w.capitalize() for k in ("month", "weekday") for w in lex.time_words.get(k, {})}
        self.first_names = lex.first_names
        self.english = lex.english_words
        self.company_words = lex.company_words
        self.object_nouns = lex.cue_words  # "patrol ship Sergey Kotov": a weapon or vessel noun next to it
        inflector = Inflector(lex.irregular_verbs)
        self.cue_forms = frozenset(f for kind in (("statement", "speech"), ("meeting", "trigger"))
                                   for phrase in lex.cues(*kind) if " " not in phrase.lstrip("=")
                                   for f in ({phrase.lstrip("=")} if phrase.startswith("=") else inflector.forms(phrase)))
        titles = sorted(lex.titles, key=len, reverse=True)
        title_alt = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in titles)
        title = rf"(?i:{title_alt})"
        # Titles chain ("spokesman Major General Zaw Min Tun"); the name follows the last one.
        self.titled = PhraseScan(
            re.compile(rf"(?<![\w-])(?P<title>{title}(?:[ \t]+{title})*)[ \t]+(?P<name>{_NAME})"), titles, re)

    # ---------------------------------------------------------------- resolution

    def _context_score(self, person: Person, context: str) -> int:
        return sum(len(t) for t in person.titles if len(t) >= 4 and t.casefold() in context)

    def _containing(self, words: list[str]) -> list[Person]:
        """People one of whose names contains ``words`` as a contiguous run (remembered per words)."""
        return _remembered(self._containing_cache, tuple(words), lambda: self._containing_run(words))

    def _containing_run(self, words: list[str]) -> list[Person]:
        if not words:
            return []
        ids = set.intersection(*(self.by_word.get(_key(w), set()) for w in words))
        target = [_key(w) for w in words]
        found = []
        for pid in sorted(ids):
            person = self.people[pid]
            for form in (person.canonical, *person.aliases):
                parts = _key(form).split()
                if any(parts[i:i + len(target)] == target for i in range(len(parts) - len(target) + 1)):
                    found.append(person)
                    break
        return found

    def _fuzzy(self, name: str) -> tuple[Person, float] | None:
        """The one person ``name`` is a misspelling of, with the score (remembered per name: the same
        Capitalised runs recur across documents)."""
        return _remembered(self._fuzzy_cache, name, lambda: self._fuzzy_match(name))

    def _fuzzy_match(self, name: str) -> tuple[Person, float] | None:
        words = name.split()
        if len(name) < FUZZY_MIN_CHARS or len(words) < 2:
            return None
        block = set().union(*(self.by_word.get(_key(w), set()) for w in words))
        if not block:
            return None
        choices = {}
        for pid in block:
            person = self.people[pid]
            for form in (person.canonical, *person.aliases):
                if len(form.split()) >= 2:
                    choices[(pid, form)] = _key(form)
        ranked = process.extract(_key(name), choices, scorer=fuzz.ratio, limit=None)
        best: dict[str, float] = {}
        for _, score, (pid, _form) in ranked:
            best[pid] = max(best.get(pid, 0.0), score)
        order = sorted(best.items(), key=lambda kv: -kv[1])
        if not order or order[0][1] < FUZZY_THRESHOLD:
            return None
        if len(order) > 1 and order[0][1] - order[1][1] < FUZZY_MARGIN:
            return None
        return self.people[order[0][0]], order[0][1]

    def resolve(self, name: str, context: str, title: str = "") -> Resolution | None:
        """Resolve a name to a gazetteer person, or None."""
        words = name.split()
        exact = self.by_form.get(_key(name))
        containing = [p for p in self._containing(words) if p is not exact]
        if exact is not None and not containing:
            return Resolution(exact, "exact", f"name {name!r}")
        candidates = ([exact] if exact else []) + containing
        if candidates:
            scored = sorted(((self._context_score(p, context), p.canonical, p) for p in candidates),
                            key=lambda x: (-x[0], x[1]))
            top_score, _, top = scored[0]
            second = scored[1][0] if len(scored) > 1 else -1
            if top_score > 0 and top_score > second:
                titles = [t for t in top.titles if len(t) >= 4 and t.casefold() in context]
                kind = "exact" if top is exact else "fuzzy"
                return Resolution(top, kind, f"{name!r} is a name of {len(candidates)} people; context "
                                             f"{'; '.join(repr(t) for t in titles)} fits {top.canonical}", True)
            if exact is not None:
                return Resolution(exact, "exact", f"name {name!r} (also part of "
                                                  f"{', '.join(p.canonical for p in containing)}; context undecided)")
            if len(containing) == 1 and (title or len(words) >= 2):
                return Resolution(containing[0], "fuzzy", f"{name!r} is part of the name {containing[0].canonical}"
                                                          + (f" after title {title!r}" if title else ""))
        fuzzy = self._fuzzy(name)
        if fuzzy is not None:
            person, score = fuzzy
            return Resolution(person, "fuzzy", f"{name!r} ~ {person.canonical} (ratio {score:.0f} >= {FUZZY_THRESHOLD:.0f})")
        return None

    # ---------------------------------------------------------------- component

    def _trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Shrink [start, end) so that it neither begins nor ends with a stop word."""
        words = [(m.start() + start, m.end() + start) for m in _NON_SPACE.finditer(text[start:end])]
        while words and text[words[-1][0]:words[-1][1]] in self.stop:
            words.pop()
        while words and text[words[0][0]:words[0][1]] in self.stop:
            words.pop(0)
        return (words[0][0], words[-1][1]) if words else (start, start)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found: list[tuple[int, int, Resolution, str]] = []  # start, end, resolution, surface

        def sentence_text(start: int) -> str:
            _, begin, end = sentence_span(doc, start)
            return text[begin:end].casefold()

        for match_id, start, end in self.phrase(doc):
            span = doc[start:end]
            if not span.text[:1].isupper():
                continue
            if _TRAILING_INITIALS.search(text[max(0, span.start_char - 10):span.start_char]):
                continue  # "K.P. Shoigu": the initials rule decides who this is
            res = self.resolve(span.text, sentence_text(span.start_char))
            if res is not None:
                found.append((span.start_char, span.end_char, res, span.text))
        for m in _INITIALS.finditer(text):
            person = self._by_initials(m.group("init"), m.group("surname"))
            if person is not None:
                found.append((m.start(), m.end(), Resolution(person, "exact",
                              f"initials {m.group('init').strip()!r} + surname {m.group('surname')!r}"), m.group()))
        titled = [(m.span("name"), " ".join(m.group("title").split())) for m in self.titled.finditer(text)]
        bylines = [(m.span("name"), "") for m in _BYLINE.finditer(text)]
        for (name_start, name_end), title in titled + bylines:
            start, end = self._trim(text, name_start, name_end)
            name = " ".join(text[start:end].split())
            if not name or _ACRONYM.search(name):
                continue  # "Major Non NATO Ally": an acronym is no part of a person's name
            res = self.resolve(name, sentence_text(start), title)
            if res is None and len(name.split()) >= 2:
                res = Resolution(None, "rule", f"title {title!r} + name" if title else "byline \"By <name>\"")
            if res is not None:
                found.append((start, end, res, name))
        for m in _MIDDLE_INITIAL.finditer(text):  # "Gilberto C. Teodoro" is "Gilberto Teodoro"
            name = f"{m.group('first')} {m.group('last')}"
            res = self.resolve(name, sentence_text(m.start()))
            if res is not None:
                found.append((m.start(), m.end(), Resolution(res.person, res.matcher,
                                                             f"{res.basis}, middle initial left out"), m.group()))
        weapons = span_offsets(doc, "WEAPON")
        for m in _CAP_RUN.finditer(text):
            start, end = self._trim(text, *m.span())
            while end > start and text[end - 1] in "'’":
                end -= 1  # a closing quotation mark ("‘Sergey Kotov’") is no part of the name
            name = " ".join(text[start:end].split())
            if len(name.split()) < 2:
                continue
            fuzzy = self._fuzzy(name)
            if fuzzy is not None and _key(fuzzy[0].canonical) != _key(name):
                person, score = fuzzy
                found.append((start, end, Resolution(person, "fuzzy",
                              f"{name!r} ~ {person.canonical} (ratio {score:.0f} >= {FUZZY_THRESHOLD:.0f})"), name))
            elif fuzzy is None and self.by_form.get(_key(name)) is None:
                basis = self._first_name_basis(text, start, end, name, weapons)
                if basis:
                    found.append((start, end, Resolution(None, "rule", basis), name))
        spans = self._to_spans(doc, found)
        by_context = {(s, e) for s, e, res, _ in found if res.by_context}
        set_spans(doc, LABEL, self._one_sense_per_discourse(self._name_parts(doc, spans), by_context))
        return doc

    def _first_name_basis(self, text: str, start: int, end: int, name: str,
                          weapons: list[tuple[int, int]]) -> str:
        """Why an untitled run of Capitalised words is a person ("" when it is not): it starts with a
        known first name and its other words are not ordinary English words, or a speech or meeting
        cue stands right next to it ("X Y said", "met X Y"). Ship and company names are not people:
        a run in quotes, after "the", next to a weapon or vessel noun, or before a company word."""
        words = name.split()
        if len(words) < 2 or words[0] not in self.first_names or _ACRONYM.search(name):
            return ""
        if any(s < end and start < e for s, e in weapons):
            return ""
        before = text[max(0, start - 40):start]
        after = text[end:end + 40]
        previous = (before.split() or [""])[-1]
        following = (after.split() or [""])[0]
        if previous[-1:] in "‘“\"'" and after.lstrip(",.")[:1] in "’”\"'" or previous.lower() == "the" \
                or previous.lower().strip(",") in self.object_nouns or following.strip(",.").lower() in self.object_nouns \
                or following.strip(",.") in self.company_words:
            return ""
        if not any(w.lower() in self.english or w in self.stop for w in words[1:]):
            return f"first name {words[0]!r} + Capitalised name"
        nearby = {w.strip(",.:;").lower() for w in (before.split()[-1:] + after.split()[:2])}
        if nearby & self.cue_forms:
            return f"first name {words[0]!r} + Capitalised name next to a speech or meeting cue"
        return ""

    def _by_initials(self, initials: str, surname: str) -> Person | None:
        first = initials.strip()[0]
        hits = []
        for pid in sorted(self.by_word.get(_key(surname), ())):
            person = self.people[pid]
            names = (person.canonical, *person.aliases)
            if any(_key(n.split()[-1]) == _key(surname) for n in names) and \
                    any(n[0] == first for n in names if len(n.split()) >= 2):
                hits.append(person)
        return hits[0] if len(hits) == 1 else None

    def _to_spans(self, doc: Doc, found: list[tuple[int, int, Resolution, str]]) -> list[Span]:
        # Prefer gazetteer resolutions over rule-found ones, then longer spans.
        spans = []
        for start, end, res, _surface in found:
            person = res.person
            match = Match(person.id if person else "", person.canonical if person else " ".join(doc_text(doc)[start:end].split()),
                          "", person.role if person else "", res.matcher, res.basis)
            span = make_span(doc, start, end, LABEL, match)
            if span is not None:
                spans.append(span)
        ranked = sorted(spans, key=lambda s: (s._.match.matcher == "rule", -(s.end_char - s.start_char), s.start_char))
        kept: list[Span] = []
        for span in ranked:
            if not any(span.start_char < k.end_char and k.start_char < span.end_char for k in kept):
                kept.append(span)
        return sorted(kept, key=lambda s: s.start_char)

    def _name_parts(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A later bare mention of one word of a person's name ("Starmer", "Ahn", "Frega" after "Frega
        Wenas Inkriwang") is that person, when no other person of the document shares the word and
        the word is no ordinary English word."""
        owners: dict[str, set[str]] = {}
        first: dict[str, Span] = {}
        for span in spans:
            match = span._.match
            for word in match.canonical.split() + span.text.split():
                if len(word) >= NAME_PART_MIN and _NAME_PART.fullmatch(word) and word not in self.stop \
                        and word.lower() not in self.english:
                    owners.setdefault(word, set()).add(match.canonical)
                    first.setdefault(word, span)
        text = doc_text(doc)
        extra = []
        for word, names in owners.items():
            if len(names) != 1:
                continue
            span = first[word]
            match = span._.match
            for start in _whole_word_at(text, word, span.end_char):
                new = make_span(doc, start, start + len(word), LABEL,
                                Match(match.entity_id, match.canonical, "", match.subtype, match.matcher,
                                      f"part of the name of {match.canonical!r} named earlier in the document"))
                if new is not None:
                    extra.append(new)
        return longest_first(spans + extra) if extra else spans

    @staticmethod
    def _one_sense_per_discourse(spans: list[Span], by_context: set[tuple[int, int]]) -> list[Span]:
        """A surface decided by context keeps that person wherever it recurs in the document."""
        decided: dict[str, Match] = {}
        for span in spans:
            if (span.start_char, span.end_char) in by_context:
                decided.setdefault(span.text.casefold(), span._.match)
        for span in spans:
            chosen = decided.get(span.text.casefold())
            if chosen is not None and span._.match.entity_id != chosen.entity_id \
                    and (span.start_char, span.end_char) not in by_context:
                span._.match = Match(chosen.entity_id, chosen.canonical, "", chosen.subtype, chosen.matcher,
                                     f"same surface resolved by context earlier in the document ({chosen.canonical})")
        return spans


K = TypeVar("K")
V = TypeVar("V")


def _remembered(cache: dict[K, V], key: K, compute: Callable[[], V]) -> V:
    """``cache[key]``, computed the first time (the cache starts again past 100,000 entries)."""
    if key not in cache:
        if len(cache) > 100_000:
            cache.clear()
        cache[key] = compute()
    return cache[key]


def _whole_word_at(text: str, word: str, begin: int) -> Iterator[int]:
    """Where ``word`` stands whole (no word character or hyphen on either side) in ``text[begin:]``,
    left to right without overlaps: the matches of ``(?<![\\w-])word(?![\\w-])`` on that slice,
    found by ``str.find`` instead of a pattern compiled per word (the regex cache overflowed)."""
    end = len(text)
    pos = text.find(word, begin)
    while pos >= 0:
        after = pos + len(word)
        if (pos == begin or not _WORD_OR_HYPHEN.match(text, pos - 1)) and \
                (after == end or not _WORD_OR_HYPHEN.match(text, after)):
            yield pos
            pos = text.find(word, after)
        else:
            pos = text.find(word, pos + 1)


@Language.factory("person_matcher", default_config={"gazetteer_dir": ""})
def make_person_matcher(nlp: Language, name: str, gazetteer_dir: str) -> PersonMatcher:
    return PersonMatcher(nlp, cached_gazetteers(gazetteer_dir))
