"""Slot fillers shared by the claim rules: quantities, money, polarity, sources, places, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import DocContext, Ent, Hit, Quote, Sentence
from ..entities.candidates import matches_at

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "a pair of": 2, "two dozen": 24,
    "three dozen": 36, "a hundred": 100,
}
_NUMBER = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
# A count right before a system, allowing up to two modifiers: "six Sukhoi Su-30SM", "two Russian Su-30";
# the system may be quoted or bracketed: "64 upgraded “K2PL” variants".
QUANTITY_BEFORE = re.compile(rf"(?<![\w$€£.,-])(?P<n>\d{{1,3}}(?:,\d{{3}})*|\d+|{_NUMBER})\s+(?:[\w’'-]+\s+){{0,2}}[“\"‘(]?$",
                             re.IGNORECASE)
MAX_QUANTITY = 100_000  # more than this is not a count of weapon systems

SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9,
          "b": 1e9, "trillion": 1e12}
MONEY = re.compile(
    r"(?P<cur>US\s?\$|USD\s?|\$|€|EUR\s?|£|GBP\s?|Rs\.?\s?|INR\s?|₹|¥|RMB\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?"
    r"(?P<scale>thousand|million|billion|trillion|mln|mn|bn|k|m|b)?\b\s*"
    r"(?P<cur2>USD|US dollars|dollars|euros|EUR|pounds|rupees|crore)?", re.IGNORECASE)
DIGITS = re.compile(r"\d+")
USD_MARKS = {"us$", "usd", "$", "us dollars", "dollars"}


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    usd: float | None  # None: an amount in another currency (not converted)
    text: str


# "the fourth of five corvettes": one of them, not the five.
ORDINAL_OF = re.compile(r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final|"
                        r"\d+(?:st|nd|rd|th))\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def one_of(text: str, start: int) -> bool:
    """The system at ``start`` is one of a counted whole: "the fourth of five corvettes"."""
    m = QUANTITY_BEFORE.search(text[max(0, start - 40):start])
    at = max(0, start - 40) + m.start() if m else 0
    return m is not None and ORDINAL_OF.search(text[max(0, at - 30):at]) is not None


def quantity_before(text: str, start: int) -> int | None:
    """The count written just before ``start`` ("six Sukhoi Su-30SM" -> 6; "the fourth of five
    corvettes" -> 1), or None."""
    window = max(0, start - 40)
    m = QUANTITY_BEFORE.search(text[window:start])
    if m is None:
        return None
    if one_of(text, start):
        return 1
    raw = m.group("n").lower()
    if raw in NUMBER_WORDS:
        return NUMBER_WORDS[raw]
    value = int(raw.replace(",", ""))
    if 1800 <= value <= 2100 and "," not in raw:  # a year ("2020 Su-30 contract"), not a count
        return None
    return value if 0 < value <= MAX_QUANTITY else None


def amounts(text: str) -> list[re.Match[str]]:
    """``MONEY``'s matches in ``text``. A match begins with its number or with a currency of at
    most four characters right before it, and a match inside a run of digits implies one at the
    run's start: the pattern is tried only there, not at every character."""
    starts = {i for m in DIGITS.finditer(text) for i in range(max(0, m.start() - 4), m.start() + 1)}
    return list(matches_at(MONEY, text, sorted(starts)))


def money_in(sentence: Sentence) -> list[Money]:
    found: list[Money] = []
    for m in amounts(sentence.text):
        cur = (m.group("cur") or "").replace(" ", "").lower()
        cur2 = (m.group("cur2") or "").lower()
        if not cur and not cur2:
            continue
        if not cur and not m.group("scale") and cur2 not in ("usd", "us dollars", "dollars"):
            continue
        amount = float(m.group("num").replace(",", "")) * SCALES.get((m.group("scale") or "").lower(), 1.0)
        is_usd = cur in USD_MARKS or cur2 in USD_MARKS
        foreign = cur in ("€", "eur", "£", "gbp", "rs.", "rs", "inr", "₹", "¥", "rmb") or cur2 in ("euros", "eur", "pounds", "rupees", "crore")
        usd = amount if is_usd and not foreign else None
        text = m.group().rstrip()
        found.append(Money(sentence.start + m.start(), sentence.start + m.start() + len(text), usd, text))
    return found


def polarity(ctx: DocContext, sentence: Sentence, anchor: int, window: int = 40) -> str:
    """negated / hypothetical when a cue stands in the few words before ``anchor`` (a trigger)."""
    start = max(sentence.start, anchor - window)
    if ctx.find_between("polarity", "negation", start, anchor):
        return "negated"
    if ctx.find_between("polarity", "hypothetical", start, anchor):
        return "hypothetical"
    return "asserted"


def attributed_to(ctx: DocContext, sentence: Sentence) -> str:
    """The outlet a sentence relays: a known source after a cue ("told Tass", "according to
    Reuters", "as reported by ... RIA Novosti") or before "claims"/"reported" (once per sentence)."""
    span = (sentence.start, sentence.end)
    found = ctx.attributions.get(span)
    if found is None:
        found = ctx.attributions[span] = _attributed_to(ctx, sentence)
    return found


def _attributed_to(ctx: DocContext, sentence: Sentence) -> str:
    sources = ctx.cues.sources.find(sentence.text, sentence.start)
    if not sources:
        return ""
    cues = ctx.find("attribution", "cue", sentence)
    for source in sources:
        if any(c.end <= source.start and source.start - c.end <= 60 for c in cues):
            return source.value
        after = ctx.text[source.end:source.end + 30].lower()
        if re.match(r"\s*(?:news agency\s+|newspaper\s+)?(?:claims|claimed|reported|reports|said|says)\b", after):
            return source.value
    return ""


SINCE = re.compile(r"\b(?:since|from|starting)\s+(?:early\s+|late\s+|mid-?)?$", re.IGNORECASE)


SAID = re.compile(r"\b(?:said|says|told\s+\w+|stated|added|wrote|posted)\s+(?:on|late\s+on|early\s+on|in|at)?\s*$",
                  re.IGNORECASE)


# A verb of saying between the claim and a date: the date is of what was said ("X received Y, the
# president told reporters that the systems would be unveiled next week").
SPEECH = re.compile(r"\b(?:said|says|told|stated|added)\b", re.IGNORECASE)


def nearest_date(sentence: Sentence, anchor: int, clause: bool = False) -> Ent | None:
    """The date in the sentence nearest ``anchor``, preferring ones with a value. A date that
    opens a span ("since 2001") says when something began, not when the claim happened. With
    ``clause``, only a date in the anchor's clause counts, and not the date of a report about
    it ("..., the ministry said on Tuesday"), nor one after a verb of saying that follows the anchor
    (what was said): the claim's own date, else none. A relative
    clause ("..., which ... in May,") belongs to the clause it follows."""
    dates = [d for d in sentence.of("DATE")
             if not SINCE.search(sentence.text[max(0, d.start - sentence.start - 20):d.start - sentence.start])]
    if clause:
        here = sentence.region(anchor)
        dates = [d for d in dates if sentence.region(d.start) in (here, ("relative", sentence.region(d.start)[1]))
                 and not SAID.search(sentence.text[max(0, d.start - sentence.start - 40):d.start - sentence.start])
                 and not (d.start > anchor and SPEECH.search(sentence.text[anchor - sentence.start:d.start - sentence.start]))]
    if not dates:
        return None
    return min(dates, key=lambda d: (d.value == "", abs(d.start - anchor)))


PLACE_AFTER = re.compile(r"(?:\bin|\bto|\bat)\s+(?:the\s+)?(?P<place>(?:[A-Z][\w’'-]+)(?:\s+(?:[A-Z][\w’'-]+|of|and)){0,5})")


def place_in(sentence: Sentence, after: int = 0, stop_words: frozenset[str] = frozenset(),
             verb_end: int | None = None) -> str:
    """Where: the country or capital a verb takes as object ("visited Myanmar"), else one after
    in/to/at, else a Capitalised place name after "in"."""
    if verb_end is not None:
        for ent in sentence.of("COUNTRY"):
            if ent.subtype in ("name", "capital") and 0 <= ent.start - verb_end <= 2:
                return ent.text
    for ent in sentence.of("COUNTRY"):
        if ent.start < after or ent.subtype not in ("name", "capital"):
            continue
        before = sentence.text[:ent.start - sentence.start].rstrip().lower()
        if before.endswith((" in", " to", " at", " in the", " to the")):
            return ent.text
    for m in PLACE_AFTER.finditer(sentence.text):
        if sentence.start + m.start() < after:
            continue
        words = m.group("place").split()
        while words and (words[-1] in ("of", "and") or words[-1] in stop_words):
            words.pop()
        if words and words[0] not in stop_words:
            return " ".join(words)
    return ""


def in_quote(all_quotes: list[Quote], offset: int) -> bool:
    return any(q.start <= offset < q.end for q in all_quotes)


def role_country(hit: Hit) -> str:
    """The subject role a transfer trigger gives ("sold" -> supplier)."""
    return hit.value.split(":", 1)[1] if ":" in hit.value else ""
