"""Meetings: visits, talks, meetings and delegations, with the people named and the place.

A sentence with a meeting cue ("visited", "met", "talks with", "attended"; not inside a
quotation) and at least one person makes a claim. A sentence that dates several occasions
with coordinated dates ("In 1955 and 1960, N.S. Khrushchev visited Myanmar"), or several
cues each with its own date ("the visit in November 2014 ..., his talks ... in June 2015"),
makes one claim per date.
"""

from __future__ import annotations

import re

from .context import DocContext, Ent, Hit
from .mention import new_mention, set_date
from .slots import attributed_to, in_quote, nearest_date, place_in, polarity

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


def extract(ctx: DocContext, stop_words: frozenset[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    spoken = ctx.quotes
    for sentence in ctx.sentences:
        triggers = [t for t in ctx.find("meeting", "trigger", sentence)
                    if not in_quote(spoken, t.start)]
        people = list(dict.fromkeys(p.canonical for p in sentence.of("PERSON")))
        if not triggers or not people:
            continue
        trigger = triggers[0]
        place = place_in(sentence, 0, stop_words, verb_end=trigger.end)
        dates = [d for d in sentence.of("DATE") if d.value]
        per_trigger = _dates_per_trigger(triggers, dates)
        occasions = _coordinated(ctx, dates) or (per_trigger if len(per_trigger) > 1 else
                                                 [nearest_date(sentence, trigger.start)])
        for date in occasions:
            row = new_mention(ctx, "meeting", [sentence], "meeting.trigger_person",
                              anchor=date.start if date else trigger.start, people=people, place=place,
                              polarity=polarity(ctx, sentence, trigger.start),
                              attributed_to=attributed_to(ctx, sentence))
            set_date(row, date)
            row["basis"] = f"cue {trigger.phrase!r}; people named in the sentence" + (f"; place {place!r}" if place else "")
            rows.append(row)
    return rows
