"""Combat use: a named weapon system used in attacks or strikes, with place, actor and date.

A cue followed by a capability word ("strike capability", "attack helicopter") or after a
purpose ("to be fired from") is not a use. "The drones struck" refers back to the last
system of that kind (anaphora).
A system standing right after the cue as its object ("destroyed a D-30 howitzer") is the
target, not the weapon used.
"""

from __future__ import annotations

import re

from .anaphora import Anaphora
from .context import DocContext
from .mention import new_mention, set_date
from .slots import attributed_to, nearest_date, place_in, polarity


def extract(ctx: DocContext, stop_words: frozenset[str], actor: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    anaphora = Anaphora(ctx)
    previous = None
    for sentence in ctx.sentences:
        triggers = [t for t in ctx.find("combat_use", "trigger", sentence)
                    if not ctx.cues.is_form("combat_use", "blocker", (ctx.text[t.end:t.end + 30].split() or [""])[0].strip(".,;"))
                    and not ctx.find_between("combat_use", "capability", max(sentence.start, t.start - 20), t.start)]
        targets = {w.key for w in sentence.of("WEAPON")
                   if any(0 <= w.start - t.end <= 6 and re.match(r"^\s+(?:an?|the)?\s*$", ctx.text[t.end:w.start])
                          for t in triggers)}
        named = sentence.of("WEAPON") or (anaphora.in_sentence(sentence) if triggers else [])  # "the drones struck"
        weapons = [w for w in {w.key: w for w in named}.values() if w.key not in targets]
        if triggers and weapons:
            trigger = triggers[0]
            place = place_in(sentence, trigger.start, stop_words)
            date = nearest_date(sentence, trigger.start) or (nearest_date(previous, previous.end) if previous else None)
            forces = [c.canonical for c in sentence.of("COUNTRY") if c.subtype == "forces"]
            for weapon in weapons:
                row = new_mention(ctx, "combat_use", [sentence], "combat_use.trigger_weapon", anchor=weapon.start,
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
