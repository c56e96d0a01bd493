"""Meetings: visits, talks, meetings and delegations, with the people named and the place.

A sentence with a meeting cue ("visited", "met", "talks with", "attended"; not inside a
quotation) and at least one person makes a claim; a sentence with several cues is cut into one
clause per cue, each with its own people: its subject is the person before its cue, else the
agent after it ("a visit by X"), else the previous clause's subject ("Min Aung Hlaing has
visited Russia and also met Vladimir Putin"); a clause that names nobody makes no claim. A sentence that dates several occasions
with coordinated dates ("In 1955 and 1960, N.S. Khrushchev visited Myanmar"), or several
cues each with its own date ("the visit in November 2014 ..., his talks ... in June 2015"),
makes one claim per date. Cues with the lexicon value ``object`` (received, hosted, met,
invited) need a person, or a visitor named by role ("his Polish counterpart", "a
delegation"), as their object; a cue whose object is a ceremony, an exercise or a show
("attended the signing ceremony") makes no meeting.
"""

from __future__ import annotations

import re

from .context import DocContext, Ent, Hit, Sentence
from .mention import new_mention, set_date
from .slots import attributed_to, in_quote, nearest_date, place_in, polarity

NOMINAL = frozenset({"visit", "visits", "meeting", "meetings", "presence of", "delegation"})  # "the visit of X"
CLAUSE_BREAK = re.compile(r",\s+|;\s+|(?<!\s)\s+and\s+")  # (?<!\s): one try per run of spaces, not one per space
OBJECT_WORDS = 8  # a cue's person object stands within this many words after it
OBJECT_END = re.compile(r"[,;:.()]|\s(?:between|with|in|at|on|of|for|to|by|from|which|that|who|and|as)\s")
COORDINATION = re.compile(r"^\s*(?:\([^)]{0,40}\)\s*)?(?:,|and|, and|&)\s*(?:in\s+|on\s+)?$")


def _coordinated(ctx: DocContext, dates: list[Ent]) -> list[Ent]:
    """Dates joined by "and" or a comma ("In 1955 and 1960"): one occasion each."""
    for first, second in zip(dates, dates[1:]):
        if first.value != second.value and COORDINATION.match(ctx.text[first.end:second.start]):
            group = [first, second]
            for later in dates[dates.index(second) + 1:]:
                if COORDINATION.match(ctx.text[group[-1].end:later.start]):
                    group.append(later)
            return group
    return []


def _dates_per_trigger(triggers: list[Hit], dates: list[Ent]) -> list[Ent]:
    """One date per cue: the first unused date between it and the next cue (the first cue also
    takes dates before it), else the nearest unused date; one per distinct value."""
    used: list[Ent] = []
    for i, trigger in enumerate(triggers):
        low = trigger.start if i else -1
        high = triggers[i + 1].start if i + 1 < len(triggers) else 10 ** 9
        free = [d for d in dates if d not in used]
        segment = [d for d in free if low <= d.start < high]
        pick = segment[0] if segment else (min(free, key=lambda d: abs(d.start - trigger.start)) if free else None)
        if pick is not None:
            used.append(pick)
    return list({d.value: d for d in used}.values())


def _clauses(ctx: DocContext, sentence: Sentence, triggers: list[Hit]) -> list[tuple[Sentence, Hit]]:
    """One stretch of the sentence per cue, cut at the last comma, semicolon or "and" before the
    next cue ("Fomin visited Myanmar in March | and Min Aung Hlaing attended ... in Moscow");
    no cut possible: the whole sentence."""
    cuts = [sentence.start]
    for prev, nxt in zip(triggers, triggers[1:]):
        breaks = list(CLAUSE_BREAK.finditer(ctx.text, prev.end, nxt.start))
        if not breaks:
            return [(sentence, triggers[0])]
        cuts.append(breaks[-1].end())
    cuts.append(sentence.end)
    return [(Sentence(sentence.index, a, b, ctx.text[a:b], [e for e in sentence.entities if a <= e.start < b]), t)
            for a, b, t in zip(cuts, cuts[1:], triggers)]


def extract(ctx: DocContext, stop_words: frozenset[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    spoken = ctx.quotes
    for sentence in ctx.sentences:
        triggers = [t for t in ctx.find("meeting", "trigger", sentence)
                    if not in_quote(spoken, t.start) and not _event_object(ctx, sentence, t)
                    and (t.value != "object" or has_object(ctx, sentence, t))]
        if not triggers or not sentence.of("PERSON"):
            continue
        dates = [d for d in sentence.of("DATE") if d.value]
        coordinated = _coordinated(ctx, dates)
        if coordinated:  # "In 1955 and 1960, N.S. Khrushchev visited Myanmar"
            occasions = [(sentence, triggers[0], date, _people(sentence.of("PERSON"), triggers[0], []))
                         for date in coordinated]
        else:
            occasions = _occasions(ctx, sentence, triggers, dates)
        seen: set[tuple[str, str]] = set()
        for clause, trigger, date, people in occasions:
            key = (";".join(sorted(people)), date.value if date else "")
            if not people or key in seen:
                continue
            seen.add(key)
            place = place_in(clause, clause.start, stop_words, verb_end=trigger.end) or \
                place_in(sentence, 0, stop_words, verb_end=trigger.end)
            row = new_mention(ctx, "meeting", [sentence], "meeting.trigger_person",
                              anchor=date.start if date else trigger.start, people=people, place=place,
                              polarity=polarity(ctx, sentence, trigger.start),
                              attributed_to=attributed_to(ctx, sentence))
            set_date(row, date)
            row["basis"] = f"cue {trigger.phrase!r}; people named with it" + (f"; place {place!r}" if place else "")
            rows.append(row)
    return rows


def _occasions(ctx: DocContext, sentence: Sentence, triggers: list[Hit],
               dates: list[Ent]) -> list[tuple[Sentence, Hit, Ent | None, list[str]]]:
    """(clause, cue, date, people) for each cue's clause. A clause that names nobody before its
    cue ("... and also met Vladimir Putin", "his talks with ...") keeps the previous clause's
    subject."""
    clauses = _clauses(ctx, sentence, triggers)
    per_trigger = _dates_per_trigger([t for _, t in clauses], dates) if len(clauses) > 1 else []
    found = []
    subject: list[Ent] = []
    for n, (clause, trigger) in enumerate(clauses):
        persons = clause.of("PERSON")
        if not persons:
            continue  # "there have been numerous exchange visits between their assistants"
        before = [p for p in persons if p.end <= trigger.start]
        agents = [p for p in persons if p.start > trigger.end and _agent(ctx, trigger, p)]
        subject = before[:1] or agents[:1] or subject or persons[:1]
        if len(clauses) == 1:
            date = nearest_date(sentence, trigger.start)
        else:
            own = [d for d in clause.of("DATE") if d.value]
            date = min(own, key=lambda d: abs(d.start - trigger.start)) if own else \
                (per_trigger[n] if n < len(per_trigger) else None)
        found.append((clause, trigger, date, _people(persons, trigger, subject)))
    return found


def has_object(ctx: DocContext, sentence: Sentence, trigger: Hit) -> bool:
    """A cue that needs a person ("received", "hosted", "met"): one follows it within a few words
    ("received Defence Minister X", "was hosted by the President of Y, X", "met with X"), or a
    visitor named by role ("hosted his Ugandan counterpart", "received a delegation": lexicon
    ``meeting,visitor``), or two people stand before it ("X and Y met")."""
    people = sentence.of("PERSON")
    after = [p for p in people if p.start >= trigger.end and _object_gap(ctx.text[trigger.end:p.start])]
    visitors = [v for v in ctx.find_between("meeting", "visitor", trigger.end, sentence.end)
                if _object_gap(ctx.text[trigger.end:v.start])]
    before = {p.canonical for p in people if p.end <= trigger.start}
    return bool(after or visitors) or len(before) >= 2 or \
        re.match(r"\s+with\b", ctx.text[trigger.end:trigger.end + 8]) is not None


def _event_object(ctx: DocContext, sentence: Sentence, trigger: Hit) -> bool:
    """Is the cue's object an event that is no meeting ("attended the signing ceremony", "after
    attending the exercise": lexicon ``meeting,blocker``)? The object is the words after the cue
    up to a preposition, a relative pronoun or a punctuation mark."""
    tail = ctx.text[trigger.end:sentence.end]
    end = OBJECT_END.search(tail)
    words = (tail[:end.start()] if end else tail).split()[:OBJECT_WORDS]
    return any(ctx.cues.is_form("meeting", "blocker", w.strip("’'\"“”")) for w in words)


def _object_gap(between: str) -> bool:
    """Words between a cue and its person object: a few, and a comma only inside a phrase that
    leads to the name ("hosted by the President of Egypt, X"), not a new clause ("received the
    missiles, X said")."""
    if len(between.split()) > OBJECT_WORDS or ";" in between:
        return False
    if "," not in between:
        return True
    head, _, tail = between.rpartition(",")
    return not tail.strip() and re.search(r"\b(?:by|of|with)\b", head) is not None


def _agent(ctx: DocContext, trigger: Hit, person: Ent) -> bool:
    """Is ``person`` the one who visits or meets: "a visit by X", "the visit ... of X"?"""
    before = ctx.text[trigger.end:person.start]
    if re.search(r"\bby\s+(?:[\w’'.-]+\s+){0,8}$", before):
        return True
    return trigger.phrase.lower() in NOMINAL and re.search(r"\bof\s+(?:the\s+)?(?:[\w’'.-]+\s+){0,10}$", before) is not None


def _people(persons: list[Ent], trigger: Hit, subject: list[Ent]) -> list[str]:
    return list(dict.fromkeys(p.canonical for p in subject + persons))
