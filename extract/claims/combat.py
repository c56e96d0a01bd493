"""Combat use: a named weapon system used in attacks or strikes, with place, actor and date.

A cue followed by a capability word ("strike capability", "attack helicopter") or after a
purpose ("to be fired from") is not a use. "The drones struck" refers back to the last
system of that kind (anaphora).
A system standing right after the cue as its object ("destroyed a D-30 howitzer") is the
target, not the weapon used; a system after the cue and "with", "by" or "using" is the weapon used, and the
other systems after the cue are its targets ("destroyed the vessel with Magura V5 drones"). The
actor is the forces or the country that opens the sentence, else the actor of the document's
previous combat use, else the recipient of its transfers.
"""

from __future__ import annotations

import re

from .anaphora import Anaphora
from .context import DocContext
from .mention import new_mention, set_date
from .slots import attributed_to, nearest_date, place_in, polarity


INSTRUMENT = re.compile(r"\b(?:with|by|using)\s+(?:the\s+|its\s+|their\s+)?(?:[\w’'-]+\s+){0,2}$", re.IGNORECASE)
SUBJECT = re.compile(r"^(?:[A-Z][\w’'-]*,?\s+){0,3}$")  # the country opens its sentence ("Ukraine confirmed the attack")


def extract(ctx: DocContext, stop_words: frozenset[str], actor: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    anaphora = Anaphora(ctx)
    previous = None
    last_actor = ""
    for sentence in ctx.sentences:
        triggers = [t for t in ctx.find("combat_use", "trigger", sentence)
                    if not ctx.cues.is_form("combat_use", "blocker", (ctx.text[t.end:t.end + 30].split() or [""])[0].strip(".,;"))
                    and not ctx.find_between("combat_use", "capability", max(sentence.start, t.start - 20), t.start)]
        targets = {w.key for w in sentence.of("WEAPON")
                   if any(0 <= w.start - t.end <= 6 and re.match(r"^\s+(?:an?|the)?\s*$", ctx.text[t.end:w.start])
                          for t in triggers)}
        named = sentence.of("WEAPON") or (anaphora.in_sentence(sentence) if triggers else [])  # "the drones struck"
        weapons = [w for w in {w.key: w for w in named}.values() if w.key not in targets]
        if triggers:  # "destroyed the vessel with Y", "the attack by Y on the X ship": Y is used, X is hit
            instruments = [w for w in weapons if w.start > triggers[0].start
                           and INSTRUMENT.search(ctx.text[max(sentence.start, w.start - 25):w.start])]
            if instruments:
                weapons = [w for w in weapons if w in instruments or w.start < triggers[0].start]
        if triggers and weapons:
            trigger = triggers[0]
            place = place_in(sentence, trigger.start, stop_words)
            date = nearest_date(sentence, trigger.start) or (nearest_date(previous, previous.end) if previous else None)
            forces = [c.canonical for c in sentence.of("COUNTRY") if c.subtype == "forces"] or \
                [c.canonical for c in sentence.of("COUNTRY") if c.end <= trigger.start and c.subtype == "name"
                 and SUBJECT.match(ctx.text[sentence.start:c.start])]
            if forces:
                how = "named in the sentence"
            elif last_actor:
                how = "the actor of the document's previous combat use"
            else:
                how = "from the document (the recipient of its transfers)"
            for weapon in weapons:
                row = new_mention(ctx, "combat_use", [sentence], "combat_use.trigger_weapon", anchor=weapon.start,
                                  weapon_id=weapon.id, weapon=weapon.canonical, family=weapon.family, place=place,
                                  parties=forces[0] if forces else (last_actor or actor),
                                  polarity=polarity(ctx, sentence, trigger.start),
                                  attributed_to=attributed_to(ctx, sentence))
                set_date(row, date)
                row["basis"] = f"cue {trigger.phrase!r}; actor {how}"
                rows.append(row)
            last_actor = str(rows[-1]["parties"])
        previous = sentence
    return rows
