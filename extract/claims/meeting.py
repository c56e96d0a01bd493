"""Meetings: visits, talks, meetings and delegations, with the people named and the place.

A sentence with a meeting cue ("visited", "met", "talks with", "attended") and at least one
person makes a claim. A sentence that dates several occasions ("In 1955 and 1960, N.S.
Khrushchev visited Myanmar") makes one claim per date.
"""

from __future__ import annotations

from .context import DocContext
from .mention import new_mention, set_date
from .slots import attributed_to, place_in, polarity


def extract(ctx: DocContext, stop_words: frozenset[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for sentence in ctx.sentences:
        triggers = ctx.cues.find("meeting", "trigger", sentence.text, sentence.start)
        people = list(dict.fromkeys(p.canonical for p in sentence.of("PERSON")))
        if not triggers or not people:
            continue
        trigger = triggers[0]
        place = place_in(sentence, 0, stop_words)
        dates = [d for d in sentence.of("DATE") if d.value]
        distinct = list({d.value: d for d in dates}.values())
        for date in (distinct if len(distinct) > 1 else (distinct or [None])):
            row = new_mention(ctx, "meeting", [sentence], "meeting.trigger_person", people=people, place=place,
                              polarity=polarity(ctx, sentence, trigger.start),
                              attributed_to=attributed_to(ctx, sentence))
            set_date(row, date)
            row["basis"] = f"cue {trigger.phrase!r}; people named in the sentence" + (f"; place {place!r}" if place else "")
            rows.append(row)
    return rows
