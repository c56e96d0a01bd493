"""Combat use: a named weapon system used in attacks or strikes, with place, actor and date."""

from __future__ import annotations

from .context import DocContext
from .mention import new_mention, set_date
from .slots import attributed_to, nearest_date, place_in, polarity


def extract(ctx: DocContext, stop_words: frozenset[str], actor: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    previous = None
    for sentence in ctx.sentences:
        triggers = ctx.cues.find("combat_use", "trigger", sentence.text, sentence.start)
        weapons = list({w.id: w for w in sentence.of("WEAPON")}.values())
        if triggers and weapons:
            trigger = triggers[0]
            place = place_in(sentence, trigger.start, stop_words)
            date = nearest_date(sentence, trigger.start) or (nearest_date(previous, previous.end) if previous else None)
            forces = [c.canonical for c in sentence.of("COUNTRY") if c.subtype == "forces"]
            for weapon in weapons:
                row = new_mention(ctx, "combat_use", [sentence], "combat_use.trigger_weapon",
                                  weapon_id=weapon.id, weapon=weapon.canonical, family=weapon.family, place=place,
                                  parties=forces[0] if forces else actor,
                                  polarity=polarity(ctx, sentence, trigger.start),
                                  attributed_to=attributed_to(ctx, sentence))
                set_date(row, date)
                row["basis"] = (f"cue {trigger.phrase!r}; actor " + ("named in the sentence" if forces else
                                "from the document (the recipient of its transfers)"))
                rows.append(row)
        previous = sentence
    return rows
