"""Date expressions: find them with rules, normalise them with dateparser, anchor the relative ones.

Finding is done with regular expressions compiled from ``gazetteers/lexicon/time_words.csv``
(month and weekday names, modifiers, relative words, units, event nouns), so dateparser is
only ever called on a recognised span, never on a sentence, and every call is cached.

Resolution follows a fixed order, recorded in ``date_basis``:

* ``explicit`` - the span states the year (and month, day) itself;
* ``text_anchor`` - a month or day without a year takes the year of an explicit date in the
  same sentence (or, with no publication date, the previous one); an offset from an event
  ("a week before the coup") counts from the date the text gives that event;
* ``published`` - deictic expressions ("last year", "on Monday") and year-less months count
  from the document's publication date;
* ``inferred`` - with no publication date, the same, counted from the latest explicit date
  in the document (HeidelTime's fallback for narratives); flagged, never passed off as certain;
* ``unresolved`` - nothing in the text anchors it: the value stays empty.

The wall clock is never consulted: dateparser always receives an explicit RELATIVE_BASE.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import dateparser

from ..knowledge.gazetteer import Lexicon
from .candidates import guarded

# dateparser needs a base even for absolute dates; missing parts are filled from it and
# then discarded (granularity comes from the grammar), so its value never leaks.
_NEUTRAL_BASE = dt.datetime(2000, 1, 1)
_MIN_YEAR, _MAX_YEAR = 1800, 2099
NEVER = "(?!)"  # the alternation of an empty word list: matches nothing
WINDOW_CHARS = 60  # context kept around date material when the patterns run (longer than any pattern's prefix)
FUTURE_WINDOW_CHARS = 60  # how far before a year-less date a future cue ("will", "expected") is looked for


@dataclass(frozen=True)
class DateMention:
    """A date expression found in the text, with the parts the grammar read from it."""

    start: int
    end: int
    text: str
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    modifier: str | None = None
    offset: int | None = None   # relative word (-1, 0, 1) or a count ("two weeks ago" -> 2)
    unit: str | None = None     # day | week | fortnight | month | year
    weekday: int | None = None
    event: str | None = None
    direction: int = 0          # -1 before / ago, +1 after
    part: str | None = None     # quarter, half or season: Q1..Q4, H1, H2, SP, SU, FA, WI

    @property
    def is_explicit(self) -> bool:
        return self.kind in ("absolute", "month_year", "year", "decade", "fiscal_year", "part")


@dataclass(frozen=True)
class ResolvedDate:
    value: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    granularity: str = ""
    basis: str = "unresolved"
    note: str = ""
    timex: str = ""  # a TIMEX3 value no ISO partial holds (2022-Q1, 2021-SU, FY2025); see ``timex_value``


@dataclass(frozen=True)
class Reference:
    """A point in time that relative expressions count from, at some granularity."""

    date: dt.date
    granularity: str  # year | month | day
    basis: str        # published | inferred | text_anchor
    note: str


# --------------------------------------------------------------------------- grammar


def _alternation(words: Sequence[str], abbreviations: bool = False) -> str:
    """Alternation of the words as written and in upper case; with ``abbreviations``, a word
    that begins a longer word of the list ("Sep" of "September") may take a full stop."""
    forms: set[str] = set()
    for word in words:
        abbreviated = abbreviations and any(o != word and o.startswith(word) for o in words)
        for form in (word, word.upper()):
            forms.add(re.escape(form) + (r"\.?" if abbreviated else ""))
    return "(?:" + "|".join(sorted(forms, key=len, reverse=True)) + ")" if forms else NEVER


def _ci_alternation(words: Sequence[str]) -> str:
    """Alternation matching lower-case and Capitalised forms of ``words``."""
    forms = {w for word in words for w in (word, word[:1].upper() + word[1:]) if w}
    if not forms:
        return NEVER
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(forms, key=len, reverse=True)) + ")"


@dataclass(frozen=True)
class _Plan:
    """Where a pattern is tried in a window: only at the places where one of the marks ``leads``
    begins (each of its matches begins with one), or, with ``needs``, in whole windows where each
    of those marks begins somewhere (each of its matches holds them all)."""

    leads: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


def _at(*leads: str) -> _Plan:
    return _Plan(leads=leads)


def _within(*needs: str) -> _Plan:
    return _Plan(needs=needs)


class _Mark:
    """Where ``pattern`` matches in a text: at every place, overlaps included; with ``runs``, where
    one of its non-overlapping matches begins (each run of digits)."""

    def __init__(self, pattern: str, runs: bool = False) -> None:
        self.pattern = re.compile(pattern)
        self.runs = runs

    def starts(self, text: str) -> list[int]:
        if self.runs:
            return [m.start() for m in self.pattern.finditer(text)]
        starts: list[int] = []
        m = self.pattern.search(text)
        while m is not None:
            starts.append(m.start())
            m = self.pattern.search(text, m.start() + 1)
        return starts


class _Windows:
    """A document's windows (``DateGrammar.windows``) and the places in them where marks begin."""

    def __init__(self, text: str, spans: list[tuple[int, int]], marks: dict[str, _Mark]) -> None:
        self.text = text
        self.spans = spans
        self._begins = [s for s, _ in spans]
        self._marks = marks
        self._at: dict[tuple[str, ...], list[tuple[int, int]]] = {}

    def at(self, names: tuple[str, ...]) -> list[tuple[int, int]]:
        """``(position, window)`` of each place in a window where one of the marks ``names``
        begins, in text order; found once per document."""
        found = self._at.get(names)
        if found is None:
            if len(names) > 1:
                found = sorted(set().union(*(self.at((name,)) for name in names)))
            else:
                found = []
                for pos in self._marks[names[0]].starts(self.text):
                    w = bisect.bisect_right(self._begins, pos) - 1
                    if w >= 0 and pos < self.spans[w][1]:
                        found.append((pos, w))
            self._at[names] = found
        return found


class DateGrammar:
    """Compiled date patterns; ``find`` returns non-overlapping mentions, longest first."""

    def __init__(self, lexicon: Lexicon) -> None:
        words = lexicon.time_words
        self.months = {w.lower(): int(v) for w, v in words.get("month", {}).items()}
        self.weekdays = {w.lower(): int(v) for w, v in words.get("weekday", {}).items()}
        self.modifiers = {w.lower(): v for w, v in words.get("modifier", {}).items()}
        self.relatives = {w.lower(): int(v) for w, v in words.get("relative", {}).items()}
        self.units = {w.lower(): v for w, v in words.get("unit", {}).items()}
        self.numbers = {w.lower(): int(v) for w, v in words.get("number", {}).items()}
        self.deictic = {w.lower(): int(v) for w, v in words.get("deictic_day", {}).items()}
        self.prepositions = {w.lower() for w in words.get("preposition", {})}
        self.year_blockers = {w.lower() for w in words.get("year_blocker", {})}
        self.anaphoric = {w.lower(): int(v) for w, v in words.get("anaphoric", {}).items()}
        self.parts = {w.lower(): v for kind in ("quarter", "season") for w, v in words.get(kind, {}).items()}
        events = list(words.get("event", {}))

        months = _alternation(list(words.get("month", {})), abbreviations=True)
        month = "(?P<month>" + months + r")(?![A-Za-z])"
        weekdays = _alternation(list(words.get("weekday", {})))
        weekday = "(?P<wd>" + weekdays + r")(?![A-Za-z])"
        modifiers = _ci_alternation(list(words.get("modifier", {})))
        mod = r"(?:(?P<mod>" + modifiers + r")[\s-]+)?"
        day = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
        year = r"(?P<year>1[89]\d\d|20\d\d)(?![\d])"
        rel = "(?P<rel>" + _ci_alternation(list(words.get("relative", {}))) + ")"
        unit = "(?P<unit>" + _ci_alternation(list(words.get("unit", {}))) + ")s?"
        number = r"(?P<num>\d{1,3}|" + _ci_alternation(list(words.get("number", {}))) + ")"
        prep = "(?:" + _ci_alternation(sorted(self.prepositions)) + r")\s+"
        wd_prefix = r"(?:" + weekday.replace("(?P<wd>", "(?:") + r",?\s+)?"
        left = r"(?<![\w$€£])"

        any_mod = "(?P<mod>" + _ci_alternation(list(words.get("modifier", {}))) + r")[\s-]+(?:of\s+)?"
        quarter = "(?P<part>" + _ci_alternation(list(words.get("quarter", {}))) + r")\s+quarter"
        season = "(?P<part>" + _ci_alternation(list(words.get("season", {}))) + ")"
        # Each pattern with where it is tried (``_Plan``; the marks are ``self.marks``).
        self.patterns: list[tuple[str, _Plan, re.Pattern[str]]] = [
            ("numeric", _at("digits"), re.compile(left + r"(?<![\d/.])(?P<a>3[01]|[12]\d|0?[1-9])(?P<sep>[/.])(?P<b>3[01]|[12]\d|0?[1-9])"
                                   r"(?P=sep)" + year + r"(?![/.]\d)")),
            ("year_mod", _at("modifier"), re.compile(left + any_mod + year + r"(?![\w%]|[.,]\d)")),
            ("part", _within("year", "quarter"), re.compile(left + r"(?:[Tt]he\s+)?" + quarter + r",?\s+(?:of\s+)?" + year)),
            ("part", _within("year", "season"), re.compile(left + r"(?:(?:[Tt]he\s+)?" + mod.replace("(?P<mod>", "(?:") + r")?" + season
                                + r",?\s+(?:of\s+)?" + year)),
            ("part", _at("code"), re.compile(left + r"(?P<code>[QH][1-4])\s+" + year)),
            ("iso", _at("digits"), re.compile(left + r"(?P<year>1[89]\d\d|20\d\d)-(?P<mnum>0[1-9]|1[0-2])-(?P<dnum>0[1-9]|[12]\d|3[01])(?![\d-])")),
            ("mdy", _at("weekday", "modifier", "month"), re.compile(left + wd_prefix + mod + month + r"\s+" + day + r"(?:,\s*|\s+)" + year)),
            ("dmy", _at("weekday", "modifier", "digits"), re.compile(left + wd_prefix + mod + day + r"\s+(?:of\s+)?" + month + r",?\s+" + year)),
            ("month_year", _at("modifier", "month"), re.compile(left + mod + month + r",?\s+(?:of\s+)?" + year)),
            ("month_rel_year", _at("modifier", "month"), re.compile(left + mod + month + r",?\s+(?:of\s+)?" + rel + r"\s+year\b")),
            ("rel_month", _at("last_next"), re.compile(left + r"(?P<rel>last|next|Last|Next)\s+" + month)),
            ("day_and", _at("digits"), re.compile(left + r"(?P<day1>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?=\s*(?:and|&)\s*" + day
                                   + r"\s+(?:of\s+)?" + month + r"(?:,?\s+" + year + r")?)")),
            ("day_range", _at("digits"), re.compile(left + r"(?P<day1>3[01]|[12]\d|0?[1-9])\s*(?:to|-|–|until)\s*" + day + r"\s+"
                                     + month + r"(?:,?\s+" + year + r"|\s+" + rel + r"\s+year)?")),
            ("day_range", _at("month"), re.compile(left + month + r"\s+(?P<day1>3[01]|[12]\d|0?[1-9])\s*(?:to|-|–|until)\s*"
                                     + day + r"(?:,?\s+" + year + r")?")),
            ("md", _at("weekday", "month"), re.compile(left + wd_prefix + month + r"\s+" + day + r"(?!,?\s*\d)")),
            ("dm", _at("weekday", "digits"), re.compile(left + wd_prefix + day + r"\s+(?:of\s+)?" + month + r"(?!,?\s*\d)")),
            ("month_prep", _within("month"), re.compile(left + prep + r"(?P<expr>" + mod + month + r")(?!,?\s*\d)")),
            ("month_mod", _at("early_mid_late"), re.compile(left + r"(?P<expr>(?P<mod>early|mid|late|Early|Mid|Late)[\s-]+" + month + r")(?!,?\s*\d)")),
            ("fiscal", _at("fiscal"), re.compile(left + r"(?:FY|[Ff]iscal(?:\s+[Yy]ear)?\s*)(?P<fy>(?:19|20)?\d\d)(?!\d)")),
            ("fiscal", _at("digits"), re.compile(left + r"(?P<fy>(?:19|20)\d\d)[-–/](?P<fy_end>\d\d)(?!\d)\s+(?:"
                                  + _ci_alternation(list(words.get("fiscal_word", {}))) + r")\b")),
            ("anaphoric_month", _within("month"), re.compile(left + r"(?:that|[Tt]he\s+same)\s+(?P<expr>" + month + r")(?!,?\s*\d)")),
            ("anaphoric", _within("unit_word"), re.compile(left + r"(?P<expr>(?:[Tt]he|[Tt]hat)\s+(?:(?P<ana>" + _ci_alternation(list(words.get("anaphoric", {})))
                                     + r")\s+)?(?P<unit>day|week|month|year))(?:\s+(?P<dir>before|after|earlier|later))?\b")),
            ("later", _within("unit"), re.compile(left + number + r"\s+" + unit + r"\s+(?P<dir>later|earlier|afterwards|before that)\b")),
            ("year", _at("digits"), re.compile(left + r"(?P<year>1[89]\d\d|20\d\d)(?P<decade>'?s)?(?![\w%]|[.,]\d)")),
            ("rel_unit", _within("unit"), re.compile(left + mod + rel + r"\s+" + unit + r"\b")),
            ("ago", _within("unit"), re.compile(left + number + r"\s+" + unit + r"\s+ago\b")),
            ("weekday", _at("last_next", "weekday"), re.compile(left + r"(?:(?P<rel>last|next|this|Last|Next|This)\s+)?" + weekday)),
            ("deictic_day", _at("deictic"), re.compile(left + "(?P<dd>" + _ci_alternation(list(words.get("deictic_day", {}))) + r")\b")),
        ]
        # Every pattern holds a month or weekday name, a digit, a calendar unit, a deictic day or a
        # fiscal marker: the patterns only run in windows around those.
        self.prefilter = re.compile(
            "|".join([month.replace("(?P<month>", "(?:"), weekday.replace("(?P<wd>", "(?:"), r"\d+",
                      _ci_alternation(list(words.get("unit", {})) + list(words.get("deictic_day", {}))),
                      r"FY|[Ff]iscal", r"[QH][1-4]"]))
        if events:
            self.patterns.append(("event_offset", _within("unit"), re.compile(
                left + number + r"\s+" + unit + r"\s+(?P<dir>before|after|prior\s+to)\s+(?:the|this|that)\s+(?P<event>"
                + _ci_alternation(events) + r")\b")))
        # Each pattern and the prefilter run behind a lookahead for their possible first characters:
        # same matches, but most positions are rejected by a character class (candidates.guarded).
        self.patterns = [(kind, plan, guarded(pattern)) for kind, plan, pattern in self.patterns]
        self.prefilter = guarded(self.prefilter)
        # Marks: parts of the patterns, lookaheads left out; regular expressions a character class
        # or literal opens, which Python scans for fast (a pattern opens with a lookbehind).
        self.marks: dict[str, _Mark] = {"digits": _Mark(r"\d+", runs=True)} | {name: _Mark(part) for name, part in {
            "month": months, "weekday": weekdays, "modifier": modifiers, "code": "[QH][1-4]",
            "last_next": "last|next|this|Last|Next|This", "early_mid_late": "early|mid|late|Early|Mid|Late",
            "fiscal": "FY|[Ff]iscal", "deictic": _ci_alternation(list(words.get("deictic_day", {}))),
            "year": r"1[89]\d\d|20\d\d", "quarter": "quarter", "season": season, "unit_word": "day|week|month|year",
            "unit": unit,
        }.items()}

    # ---------------------------------------------------------------- finding

    def windows(self, text: str) -> list[tuple[int, int]]:
        """Stretches of text around date material, widened to whitespace and merged."""
        spans: list[tuple[int, int]] = []
        for m in self.prefilter.finditer(text):
            start = text.rfind(" ", 0, max(0, m.start() - WINDOW_CHARS)) + 1
            end = text.find(" ", min(len(text), m.end() + WINDOW_CHARS))
            end = len(text) if end < 0 else end
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return spans

    def find(self, text: str) -> list[DateMention]:
        windows = _Windows(text, self.windows(text), self.marks)
        found: list[tuple[int, int, DateMention]] = []  # window, pattern, mention
        for k, (kind, plan, pattern) in enumerate(self.patterns):
            for w, match in self._matches(pattern, plan, windows):
                mention = self._build(kind, match, text)
                if mention is not None:
                    found.append((w, k, mention))
        found.sort(key=lambda f: (f[0], f[1]))  # window by window, pattern by pattern: ties keep this order
        candidates = [mention for _, _, mention in found]
        candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken: list[DateMention] = []
        for mention in candidates:
            if all(mention.end <= t.start or mention.start >= t.end for t in taken):
                taken.append(mention)
        return sorted(taken, key=lambda m: m.start)

    @staticmethod
    def _matches(pattern: re.Pattern[str], plan: _Plan, windows: _Windows) -> Iterator[tuple[int, re.Match[str]]]:
        """``(window, match)`` for each match of ``pattern.finditer`` in each window, in order."""
        text, spans = windows.text, windows.spans
        if plan.needs:
            chosen: set[int] | None = None
            for name in plan.needs:
                held = {w for _, w in windows.at((name,))}
                chosen = held if chosen is None else chosen & held
                if not chosen:
                    return
            for w in sorted(chosen or ()):
                for m in pattern.finditer(text, *spans[w]):
                    yield w, m
            return
        after = -1  # the windows do not overlap: a match ends before the next window begins
        for pos, w in windows.at(plan.leads):
            if pos >= after:
                m = pattern.match(text, pos, spans[w][1])
                if m is not None:
                    yield w, m
                    after = m.end()

    def _build(self, kind: str, m: re.Match[str], text: str) -> DateMention | None:
        groups = m.groupdict()
        start, end = m.span("expr") if groups.get("expr") is not None else m.span()
        surface = text[start:end]
        mod = self.modifiers.get(" ".join(groups["mod"].lower().split())) if groups.get("mod") else None
        month = self.months.get(groups["month"].lower().rstrip(".")) if groups.get("month") else None
        day = int(groups["day"]) if groups.get("day") else None
        year = int(groups["year"]) if groups.get("year") else None
        if kind == "numeric":
            first, second = int(groups["a"]), int(groups["b"])
            if not (_valid_day(year, second, first) or _valid_day(year, first, second)):
                return None
            return DateMention(start, end, surface, "numeric", year, first, second)
        if kind == "year_mod":
            return DateMention(start, end, surface, "year", year, None, None, mod)
        if kind == "part":
            code = groups.get("code") or self.parts.get(" ".join(groups["part"].lower().split()), "")
            if not code or code == "H3" or code == "H4":
                return None
            return DateMention(start, end, surface, "part", year, part=code)
        if kind == "iso":
            return DateMention(start, end, surface, "absolute", year, int(groups["mnum"]), int(groups["dnum"]))
        if kind in ("mdy", "dmy"):
            if not _valid_day(year, month, day):
                return None
            return DateMention(start, end, surface, "absolute", year, month, day, mod)
        if kind == "month_year":
            return DateMention(start, end, surface, "month_year", year, month, None, mod)
        if kind == "month_rel_year":
            return DateMention(start, end, surface, "month_rel_year", None, month, None, mod,
                               offset=self.relatives[" ".join(groups["rel"].lower().split())], unit="year")
        if kind == "rel_month":
            return DateMention(start, end, surface, "month", None, month, None, None,
                               offset=self.relatives[groups["rel"].lower()])
        if kind == "day_and":  # "19 and 20 January 2025": two dates; this is the first
            day1 = int(groups["day1"])
            if year is not None:
                return DateMention(start, end, surface, "absolute", year, month, day1) \
                    if _valid_day(year, month, day1) else None
            return DateMention(start, end, surface, "month", None, month, day1) if _valid_day(2000, month, day1) else None
        if kind == "day_range":
            day1 = int(groups["day1"])
            if day1 >= (day or 0) or not _valid_day(year or 2000, month, day) or not _valid_day(year or 2000, month, day1):
                return None
            if year is not None:
                return DateMention(start, end, surface, "month_year", year, month)
            offset = self.relatives[" ".join(groups["rel"].lower().split())] if groups.get("rel") else None
            return DateMention(start, end, surface, "month_rel_year" if offset is not None else "month",
                               None, month, None, None, offset=offset, unit="year" if offset is not None else None)
        if kind == "anaphoric_month":
            return DateMention(start, end, surface, "anaphoric", month=month, offset=0, unit="month_name")
        if kind == "anaphoric":
            ana = groups.get("ana")
            direction = {"before": -1, "earlier": -1, "after": 1, "later": 1}.get((groups.get("dir") or "").lower(), 0)
            if ana:
                offset = self.anaphoric[ana.lower()]
            elif direction:
                offset = direction  # "the day before", "the year after"
            elif surface.lower().startswith("that"):
                offset = 0          # "that year", "that day"
            else:
                return None         # "the year" alone is not a date
            if ana and direction:
                return None
            if direction and groups.get("dir"):
                start, end = m.span()
                surface = text[start:end]
            return DateMention(start, end, surface, "anaphoric", offset=offset, unit=self.units[groups["unit"].lower()])
        if kind == "later":
            count = self._count(groups["num"])
            sign = -1 if groups["dir"].lower() in ("earlier", "before that") else 1
            return DateMention(start, end, surface, "anaphoric", offset=sign * count,
                               unit=self.units[groups["unit"].lower()])
        if kind in ("md", "dm"):
            if not _valid_day(2000, month, day):  # 2000 is a leap year: 29 February is allowed
                return None
            return DateMention(start, end, surface, "month", None, month, day)
        if kind in ("month_prep", "month_mod"):
            return DateMention(start, end, surface, "month", None, month, None, mod)
        if kind == "fiscal":
            fy = int(groups["fy"])
            if groups.get("fy_end"):  # "2023-24 financial year": named after the year it ends in (FY2024)
                fy = fy - fy % 100 + int(groups["fy_end"]) + (100 if int(groups["fy_end"]) < fy % 100 else 0)
            return DateMention(start, end, surface, "fiscal_year", fy if fy > 99 else 2000 + fy)
        if kind == "year":
            if not self._looks_like_year(text, m.start(), m.end()):
                return None
            if groups.get("decade"):
                return DateMention(start, end, surface, "decade", year - year % 10)
            return DateMention(start, end, surface, "year", year)
        if kind == "rel_unit":
            return DateMention(start, end, surface, "relative", None, None, None, mod,
                               offset=self.relatives[" ".join(groups["rel"].lower().split())],
                               unit=self.units[groups["unit"].lower()])
        if kind in ("ago", "event_offset"):
            count = self._count(groups["num"])
            unit_name = self.units[groups["unit"].lower()]
            if kind == "ago":
                return DateMention(start, end, surface, "ago", offset=count, unit=unit_name, direction=-1)
            direction = 1 if groups["dir"].lower() == "after" else -1
            return DateMention(start, end, surface, "event_offset", offset=count, unit=unit_name,
                               event=groups["event"].lower(), direction=direction)
        if kind in ("weekday", "deictic_day") and not groups.get("rel") and self._in_name(text, m.start()) and (
                re.match(r"\s+[A-Z][a-z]", text[m.end():m.end() + 3]) if kind == "weekday" else surface[:1].isupper()):
            return None  # a name: "Air Marshal Sunday Kelvin Aneke", "India Today" (but "in Ankara today")
        if kind == "weekday":
            rel = groups.get("rel")
            return DateMention(start, end, surface, "weekday", weekday=self.weekdays[groups["wd"].lower()],
                               offset=self.relatives.get(rel.lower()) if rel else None)
        if kind == "deictic_day":
            return DateMention(start, end, surface, "deictic_day", offset=self.deictic[groups["dd"].lower()])
        raise ValueError(f"unknown date pattern kind {kind}")

    def _count(self, raw: str) -> int:
        raw = " ".join(raw.lower().split())
        return int(raw) if raw.isdigit() else self.numbers[raw]

    def _in_name(self, text: str, start: int) -> bool:
        """Does a Capitalised word (not a preposition, month or weekday, not opening the sentence)
        stand right before ``start``, making the word there part of a name?"""
        words = re.findall(r"[\w.'’-]+|[.!?:;,]", text[max(0, start - 40):start])
        if not words or not words[-1][:1].isupper():
            return False
        prev = words[-1].lower()
        if prev in self.prepositions or prev in self.months or prev in self.weekdays or prev in self.relatives:
            return False
        return len(words) >= 2 and words[-2] not in (".", "!", "?", ":", ";")

    def _looks_like_year(self, text: str, start: int, end: int) -> bool:
        """A bare 4-digit number is a year unless it measures something or names something."""
        after = text[end:end + 24].split()
        if after and after[0].strip(".,;:)").lower() in self.year_blockers:
            return False
        before = text[max(0, start - 40):start]
        if before.endswith(("-", "–")) and re.search(r"\d[-–]$", before) is None:
            return False  # "Su-2000", "MAKS-2021"
        if re.search(r"(?:No\.|#|US|Rs\.?|[$€£¥])\s*$", before):
            return False
        words = re.findall(r"[\w.'’-]+|[.!?:;]", before)
        if not words:
            return True
        prev = words[-1]
        if prev.lower() in self.prepositions or not prev[:1].isalpha() or prev.endswith(("'s", "’s")):
            return True  # "since 2001", "Poland's 2022 order"
        if prev[:1].isupper() and prev.lower() not in self.months:
            # "Army 2021", "Vision 2030": a capitalised word right before is a name, unless
            # it begins the sentence.
            return len(words) >= 2 and words[-2] in (".", "!", "?", ":", ";")
        return True


def _valid_day(year: int | None, month: int | None, day: int | None) -> bool:
    if year is None or month is None or day is None:
        return False
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- values


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _narrow(start: dt.date, end: dt.date, modifier: str | None) -> tuple[dt.date, dt.date]:
    """Narrow a month or year range for early/mid/late and first/second half."""
    if not modifier:
        return start, end
    span = (end - start).days + 1
    thirds = {"early": (0, span // 3), "mid": (span // 3, 2 * span // 3), "late": (2 * span // 3, span)}
    if modifier in ("first_half", "second_half") and span >= 365:  # a year: January-June, July-December
        middle = dt.date(start.year, 7, 1)
        return (start, middle - dt.timedelta(days=1)) if modifier == "first_half" else (middle, end)
    halves = {"first_half": (0, span // 2), "second_half": (span // 2, span)}
    lo, hi = (thirds | halves).get(modifier, (0, span))
    return start + dt.timedelta(days=lo), start + dt.timedelta(days=hi - 1)


def value_of(year: int, month: int | None = None, day: int | None = None,
             modifier: str | None = None) -> tuple[str, dt.date, dt.date, str]:
    """(ISO partial value, first day, last day, granularity)."""
    if day is not None and month is not None:
        d = dt.date(year, month, day)
        return d.isoformat(), d, d, "day"
    if month is not None:
        start, end = _narrow(dt.date(year, month, 1), month_end(year, month), modifier)
        return f"{year:04d}-{month:02d}", start, end, "month"
    start, end = _narrow(dt.date(year, 1, 1), dt.date(year, 12, 31), modifier)
    return f"{year:04d}", start, end, "year"


def week_value(day: dt.date) -> tuple[str, dt.date, dt.date, str]:
    """The Monday-to-Sunday week holding ``day``. ISO partials have no weeks, so the value is
    the month of the day the expression points to ("two weeks ago" -> that day's month); the
    TIMEX3 value gives the ISO week (``timex_value``)."""
    monday = day - dt.timedelta(days=day.weekday())
    return f"{day.year:04d}-{day.month:02d}", monday, monday + dt.timedelta(days=6), "week"


@lru_cache(maxsize=8192)
def _dateparser(text: str, base: dt.date, prefer: str = "past") -> dt.date | None:
    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    })
    return parsed.date() if parsed else None


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _in_range(year: int) -> bool:
    return _MIN_YEAR <= year <= _MAX_YEAR


# First and last month of each part of a year; winter runs from December into the next year.
PART_MONTHS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "H1": (1, 6), "H2": (7, 12),
               "SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def timex_value(value: ResolvedDate, modifier: str | None = None) -> str:
    """The TIMEX3-style value: ISO week (2024-W13), quarter (2022-Q1), half (2023-H1), season
    (2021-SU), fiscal year (FY2025), decade (199X); otherwise the ISO partial value."""
    if value.timex:
        return value.timex
    if value.granularity == "week" and value.start is not None:
        iso = value.start.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if value.granularity == "decade" and value.start is not None:
        return f"{value.start.year // 10}X"
    if value.granularity == "year" and modifier in ("first_half", "second_half"):
        return f"{value.value}-H{1 if modifier == 'first_half' else 2}"
    return value.value


def normalise_explicit(m: DateMention) -> ResolvedDate:
    """Value of a mention that states its own year."""
    if m.kind == "decade":
        # No ISO partial holds a decade: the value stays empty; the range and the TIMEX3 value say it.
        return ResolvedDate("", dt.date(m.year, 1, 1), dt.date(m.year + 9, 12, 31), "decade", "explicit",
                            "a decade: see date_start and date_end")
    if m.kind == "fiscal_year":
        return ResolvedDate(note="fiscal years start on different dates in different countries; "
                                 "not placed on the calendar", timex=f"FY{m.year}")
    if m.kind == "part":
        assert m.year is not None and m.part is not None
        first, last = PART_MONTHS[m.part]
        end = month_end(m.year + (last - 1) // 12, (last - 1) % 12 + 1)
        granularity = "quarter" if m.part.startswith("Q") else "half" if m.part.startswith("H") else "season"
        return ResolvedDate(f"{m.year:04d}", dt.date(m.year, first, 1), end, granularity, "explicit",
                            timex=f"{m.year:04d}-{m.part}")
    assert m.year is not None
    if m.kind == "absolute":
        core = m.text
        parsed = _dateparser(core, _NEUTRAL_BASE.date())
        expected = dt.date(m.year, m.month, m.day)  # type: ignore[arg-type]
        note = "" if parsed == expected else f"dateparser read {parsed}; grammar value kept"
        value, start, end, gran = value_of(m.year, m.month, m.day)
        return ResolvedDate(value, start, end, gran, "explicit", note)
    value, start, end, gran = value_of(m.year, m.month, None, m.modifier)
    return ResolvedDate(value, start, end, gran, "explicit")


def most_recent_month(ref: Reference, month: int, day: int | None = None,
                      direction: int = -1) -> int:
    """Year of the month (and day) nearest ``ref`` in ``direction`` (past by default).

    With a year-level reference, the month is taken in that year.
    """
    year = ref.date.year
    if ref.granularity == "year":
        return year
    probe = (month, day or 1)
    here = (ref.date.month, ref.date.day if day else 1)
    if direction < 0 and probe > here:
        return year - 1
    if direction > 0 and probe < here:
        return year + 1
    return year


class Resolver:
    """Gives each mention of one document a value, using the document's anchors."""

    def __init__(self, text: str, mentions: Sequence[DateMention],
                 sentence_span: Callable[[int], tuple[int, int, int]], published: Reference | None,
                 future_cues: frozenset[str] = frozenset(), outlet_order: tuple[str, str] = ("", "")) -> None:
        self.text = text
        self.mentions = list(mentions)
        self.sentence_span = sentence_span
        self.published = published
        self.future_cues = future_cues
        self.dateline: int | None = None  # index of the mention that gave the publication date
        self.explicit = {i: normalise_explicit(m) for i, m in enumerate(self.mentions) if m.is_explicit}
        numeric = {i: m for i, m in enumerate(self.mentions) if m.kind == "numeric"}
        in_text = _document_order(numeric.values())
        order = in_text if in_text[0] else outlet_order
        for i, m in numeric.items():
            self.explicit[i] = _numeric(m, order)
        self.latest = self._latest_explicit()

    def _latest_explicit(self) -> Reference | None:
        best: tuple[dt.date, int] | None = None
        for i, value in self.explicit.items():
            if value.granularity not in ("year", "month", "day") or value.end is None:
                continue
            if best is None or value.end > best[0]:
                best = (value.end, i)
        if best is None:
            return None
        value = self.explicit[best[1]]
        gran = value.granularity
        anchor = value.start if gran != "day" else value.end
        assert anchor is not None
        return Reference(anchor, gran, "inferred",
                         f"no publication date; latest explicit date in the text is {value.value}")

    def sentence_of(self, offset: int) -> int:
        return self.sentence_span(offset)[0]

    def resolve(self) -> list[ResolvedDate]:
        """Values in text order; anaphoric expressions count from the last date resolved before them."""
        results: list[ResolvedDate] = []
        last: tuple[int, ResolvedDate] | None = None
        for i, m in enumerate(self.mentions):
            if m.kind == "anaphoric":
                value = self._anaphoric(m, last)
            else:
                value = self.explicit.get(i) or self._relative(i, m)
            results.append(value)
            if value.value and value.granularity in ("year", "month", "day") and i != self.dateline:
                last = (i, value)
        return results

    def _future(self, m: DateMention) -> bool:
        """Do the words just before ``m`` in its sentence speak of the future ("will", "expected")?"""
        _, start, _ = self.sentence_span(m.start)
        words = re.findall(r"[a-z]+", self.text[max(start, m.start - FUTURE_WINDOW_CHARS):m.start].lower())
        return any(w in self.future_cues for w in words)

    # ---------------------------------------------------------------- relative

    def _deictic_reference(self) -> Reference | None:
        return self.published or self.latest

    def _year_anchor(self, index: int) -> Reference | None:
        """An explicit date in the same sentence (nearest first), else None."""
        sentence = self.sentence_of(self.mentions[index].start)
        same = [(abs(i - index), i) for i in self._anchors()
                if self.sentence_of(self.mentions[i].start) == sentence]
        if not same:
            return None
        i = min(same)[1]
        return self._as_anchor(i, "same sentence")

    def _previous_sentence_anchor(self, index: int) -> Reference | None:
        sentence = self.sentence_of(self.mentions[index].start)
        earlier = [i for i in self._anchors() if i < index and self.sentence_of(self.mentions[i].start) == sentence - 1]
        return self._as_anchor(earlier[-1], "previous sentence") if earlier else None

    def _anchors(self) -> list[int]:
        """Explicit mentions that can lend their year: placed on the calendar, not the dateline."""
        return [i for i, v in sorted(self.explicit.items())
                if i != self.dateline and v.granularity in ("year", "month", "day")]

    def _as_anchor(self, i: int, where: str) -> Reference:
        value = self.explicit[i]
        assert value.start is not None
        return Reference(value.start, "year", "text_anchor",
                         f"year from {self.mentions[i].text!r} ({where})")

    def _relative(self, index: int, m: DateMention) -> ResolvedDate:
        if m.kind == "month":
            return self._month(index, m)
        if m.kind == "event_offset":
            return self._event_offset(m)
        ref = self._deictic_reference()
        if ref is None:
            return ResolvedDate(note="no publication date and no explicit date in the text")
        handler = {"month_rel_year": self._month_rel_year, "relative": self._relative_unit,
                   "ago": self._ago, "weekday": self._weekday, "deictic_day": self._deictic_day}[m.kind]
        return handler(m, ref)

    @staticmethod
    def _result(parts: tuple[str, dt.date, dt.date, str], ref: Reference, extra: str = "") -> ResolvedDate:
        value, start, end, gran = parts
        if not _in_range(start.year):
            return ResolvedDate(note=f"out of range relative to {ref.note}")
        note = ref.note + (f"; {extra}" if extra else "")
        return ResolvedDate(value, start, end, gran, ref.basis, note)

    def _month(self, index: int, m: DateMention) -> ResolvedDate:
        assert m.month is not None
        anchor = self._year_anchor(index)
        if anchor is not None and self.published is not None and anchor.date.year > self.published.date.year \
                and not self._future(m):
            anchor = None  # "announced in March ... to be delivered by 2026": a past month takes no future year
        for ref in (anchor, self.published, self._previous_sentence_anchor(index), self.latest):
            if ref is None:
                continue
            if m.offset is not None:  # "last March": strictly before / after the reference month
                if ref.granularity == "year":
                    continue
                year = ref.date.year
                if m.offset < 0 and m.month >= ref.date.month:
                    year -= 1
                elif m.offset > 0 and m.month <= ref.date.month:
                    year += 1
            elif ref.basis == "text_anchor":
                year = ref.date.year
            else:
                year = most_recent_month(ref, m.month, m.day, 1 if self._future(m) else -1)
            if m.day is not None and not _valid_day(year, m.month, m.day):
                continue
            return self._result(value_of(year, m.month, m.day, m.modifier), ref)
        return ResolvedDate(note="month without a year and nothing in the text anchors it")

    def _month_rel_year(self, m: DateMention, ref: Reference) -> ResolvedDate:
        assert m.month is not None and m.offset is not None
        return self._result(value_of(ref.date.year + m.offset, m.month, None, m.modifier), ref)

    def _relative_unit(self, m: DateMention, ref: Reference) -> ResolvedDate:
        assert m.offset is not None
        if m.unit == "year":
            return self._result(value_of(ref.date.year + m.offset, None, None, m.modifier), ref)
        if m.unit == "month":
            if ref.granularity == "year":
                return ResolvedDate(note=f"needs a month-level reference; {ref.note}")
            year, month = _shift_months(ref.date.year, ref.date.month, m.offset)
            return self._result(value_of(year, month, None, m.modifier), ref)
        if ref.granularity != "day":
            return ResolvedDate(note=f"needs a day-level reference; {ref.note}")
        return self._result(week_value(ref.date + dt.timedelta(weeks=m.offset)), ref)

    def _anaphoric(self, m: DateMention, last: tuple[int, ResolvedDate] | None) -> ResolvedDate:
        """"that August", "the following day", "two years later": from the last date the text gave."""
        if last is None:
            return ResolvedDate(note="no earlier date in the text to count from")
        i, value = last
        assert value.start is not None and m.offset is not None
        gran = value.granularity
        ref = Reference(value.start, gran, "text_anchor", f"counted from {self.mentions[i].text!r}")
        base = value.start
        if m.unit == "month_name":
            assert m.month is not None
            return self._result(value_of(base.year, m.month, None, m.modifier), ref)
        if m.unit == "year":
            return self._result(value_of(base.year + m.offset), ref)
        if m.unit == "month":
            if gran == "year":
                return ResolvedDate(note=f"needs a month-level date to count from; {ref.note}")
            year, month = _shift_months(base.year, base.month, m.offset)
            return self._result(value_of(year, month), ref)
        if gran != "day":
            return ResolvedDate(note=f"needs a day-level date to count from; {ref.note}")
        days = {"day": 1, "week": 7, "fortnight": 14}.get(m.unit or "day", 1) * m.offset
        day = base + dt.timedelta(days=days)
        if m.unit == "day":
            return self._result(value_of(day.year, day.month, day.day), ref)
        return self._result(week_value(day), ref)

    def _ago(self, m: DateMention, ref: Reference) -> ResolvedDate:
        assert m.offset is not None
        if m.unit == "year":
            return self._result(value_of(ref.date.year - m.offset), ref)
        if m.unit == "month":
            if ref.granularity == "year":
                return ResolvedDate(note=f"needs a month-level reference; {ref.note}")
            year, month = _shift_months(ref.date.year, ref.date.month, -m.offset)
            return self._result(value_of(year, month), ref)
        if ref.granularity != "day":
            return ResolvedDate(note=f"needs a day-level reference; {ref.note}")
        parsed = _dateparser(m.text, ref.date)
        if parsed is None:
            return ResolvedDate(note="dateparser could not read it")
        if m.unit == "day":
            return self._result(value_of(parsed.year, parsed.month, parsed.day), ref)
        return self._result(week_value(parsed), ref)

    def _weekday(self, m: DateMention, ref: Reference) -> ResolvedDate:
        """The nearest such weekday: back from the reference (the same day counts), forward
        when the sentence speaks of the future, strictly before / after for "last" / "next"."""
        if ref.granularity != "day":
            return ResolvedDate(note=f"a weekday needs a day-level reference; {ref.note}")
        assert m.weekday is not None
        forward = (m.offset or 0) > 0 or (not m.offset and self._future(m))
        strict = m.offset not in (None, 0)
        if forward:
            delta = (m.weekday - ref.date.weekday()) % 7 or (7 if strict else 0)
        else:
            delta = -((ref.date.weekday() - m.weekday) % 7 or (7 if strict else 0))
        day = ref.date + dt.timedelta(days=delta)
        return self._result(value_of(day.year, day.month, day.day), ref)

    def _deictic_day(self, m: DateMention, ref: Reference) -> ResolvedDate:
        if ref.granularity != "day":
            return ResolvedDate(note=f"needs a day-level reference; {ref.note}")
        day = ref.date + dt.timedelta(days=m.offset or 0)
        return self._result(value_of(day.year, day.month, day.day), ref)

    def _event_offset(self, m: DateMention) -> ResolvedDate:
        anchor = self._event_anchor(m.event or "")
        if anchor is None:
            return ResolvedDate(note=f"the text gives no date for the {m.event}")
        i, value = anchor
        assert value.start is not None and m.offset is not None
        delta = m.offset * m.direction
        base = value.start
        ref = Reference(base, value.granularity, "text_anchor",
                        f"{m.event} dated by {self.mentions[i].text!r}")
        if m.unit in ("day", "week", "fortnight"):
            days = {"day": 1, "week": 7, "fortnight": 14}[m.unit] * delta
            shifted = base + dt.timedelta(days=days)
            if m.unit == "day" and value.granularity == "day":
                return self._result(value_of(shifted.year, shifted.month, shifted.day), ref)
            # weeks are approximate in news prose: report the month they land in
            return self._result(value_of(shifted.year, shifted.month), ref, "offset in weeks reported as a month")
        if m.unit == "month" and value.granularity in ("month", "day"):
            year, month = _shift_months(base.year, base.month, delta)
            return self._result(value_of(year, month), ref)
        return self._result(value_of(base.year + (delta if m.unit == "year" else 0)), ref)

    def _event_anchor(self, event: str) -> tuple[int, ResolvedDate] | None:
        """The first explicit date the text attaches to ``event`` ("the 01 March 2021 military coup")."""
        word = re.escape(event)
        after = re.compile(r"^\s+(?:[\w-]+\s+){0,3}?" + word + r"\b", re.IGNORECASE)
        before = re.compile(r"\b" + word + r"\s+(?:on|of|in)\s+(?:the\s+)?$", re.IGNORECASE)
        for i in self._anchors():
            mention, value = self.mentions[i], self.explicit[i]
            if after.match(self.text[mention.end:mention.end + 60]) or before.search(self.text[max(0, mention.start - 40):mention.start]):
                return i, value
        return None


def _document_order(mentions: Iterable[DateMention]) -> tuple[str, str]:
    """Day/month order of a document's numeric dates, from those that settle it (13/03/2024 is
    day first): ("DMY" | "MDY", why), or ("", "") when none does or they disagree."""
    found = {("DMY" if m.month > 12 else "MDY"): m.text for m in mentions  # type: ignore[operator]
             if max(m.month or 0, m.day or 0) > 12 and min(m.month or 0, m.day or 0) <= 12}
    if len(found) != 1:
        return "", ""
    (order, text), = found.items()
    return order, f"day/month order of {text!r} in the same text"


def _numeric(m: DateMention, order: tuple[str, str]) -> ResolvedDate:
    """12/03/2024: day first or month first. A day above 12 or equal parts settle it; otherwise the
    document's other numeric dates or the outlet's locale (lexicon) do, as ``inferred``; else unresolved."""
    assert m.year is not None and m.month is not None and m.day is not None
    first, second = m.month, m.day
    readings = {"DMY": (second, first), "MDY": (first, second)}
    valid = {o for o, (month, day) in readings.items() if _valid_day(m.year, month, day)}
    if first == second or len(valid) == 1:
        month, day = readings[next(iter(sorted(valid)))]
        value, start, end, gran = value_of(m.year, month, day)
        return ResolvedDate(value, start, end, gran, "explicit", "day and month order settled by the numbers")
    if order[0] in valid:
        month, day = readings[order[0]]
        value, start, end, gran = value_of(m.year, month, day)
        return ResolvedDate(value, start, end, gran, "inferred", f"read {order[0]}: {order[1]}")
    return ResolvedDate(note="day/month order unknown (neither the text nor the outlet's locale settles it)")


def outlet_order(time_words: Mapping[str, Mapping[str, str]], source: str, url: str) -> tuple[str, str]:
    """The day/month order an outlet writes numeric dates in, from lexicon/time_words.csv
    (``date_order_outlet`` by outlet name, ``date_order_domain`` by the end of the url's host)."""
    outlets = {k.casefold(): v for k, v in time_words.get("date_order_outlet", {}).items()}
    if source and source.casefold() in outlets:
        return outlets[source.casefold()], f"the outlet {source} writes {outlets[source.casefold()]}"
    host = re.sub(r"^[a-z]+://", "", url.strip().casefold()).split("/", 1)[0].split(":", 1)[0]
    for suffix, order in sorted(time_words.get("date_order_domain", {}).items(), key=lambda kv: -len(kv[0])):
        if host and host.endswith(suffix.casefold()):
            return order, f"the outlet's domain {host} ({suffix}) writes {order}"
    return "", ""


def infer_dateline_year(month: int, day: int, latest: Reference | None) -> dt.date | None:
    """Year of a dateline that gives only month and day: the first on or after the latest explicit date."""
    if latest is None:
        return None
    year = latest.date.year
    for candidate in (year, year + 1):
        if _valid_day(candidate, month, day) and dt.date(candidate, month, day) >= latest.date:
            return dt.date(candidate, month, day)
    return None
