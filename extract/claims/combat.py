"""Combat use: a named weapon system used in attacks or strikes, with place, actor and date.

A cue followed by a capability word ("strike capability", "attack helicopter") or after a
purpose ("to be fired from") is not a use. "The drones struck" refers back to the last
system of that kind (anaphora).
A system standing right after the cue as its object ("destroyed a D-30 howitzer") is the
target, not the weapon used, as is the subject of a passive cue ("two Su-30 were downed"); a
system after the cue and "with", "by" or "using" is the weapon used, and the other systems after
the cue are its targets ("destroyed the vessel with Magura V5 drones"). A sentence is cut into
clauses at ", and" / ", but" / "; " when each has its own cue. An object that coordinates named
things ("the frigate X and the landing ship Y") gives one claim per target, named in ``basis``.
The actor is the forces or the country that opens the clause (not the maker of the system after
it: "the Russian Mi-35"), else a country right before the system ("Israeli F-35 jets"), else the
actor of the document's previous combat use, else the recipient of its transfers.
"""

from __future__ import annotations

import re

from .anaphora import Anaphora
from .context import DocContext, Ent, Hit, Sentence
from .mention import ITEM, new_mention, set_date
from .slots import attributed_to, nearest_date, place_in, polarity


# Words between a cue and the system it hits: "destroyed two Kinzhal missiles", "hit the Pantsir".
TARGET_GAP = re.compile(r"^\s+(?:(?:an?|the|its|their|\d+|two|three|four|five|six|several|many)\s+)?$", re.IGNORECASE)
# Where a cue's object ends: an instrument, a place, a time, a relative clause or punctuation.
OBJECT_END = re.compile(r"[.;:()“”\"]|\s(?:with|using|by|in|near|off|on|at|over|during|from|after|before|"
                        r"which|that|killing|causing|as|while)\s")
# One target of a coordinated object: a determiner, then words that hold a name ("the warship Ivanovets").
NAMED_TARGET = re.compile(r"^(?:the|a|an|its|their)\s+(?:[\w’'-]+\s+){0,4}?[A-Z][\w’'-]*")
# A system that is the subject of a passive cue was hit ("two Su-30 jets were downed"), unless the
# cue says it was used ("were used to attack", "were fired at").
PASSIVE = re.compile(r"^(?:\s+[\w’'-]+){0,3}?\s+(?:was|were|is|are|been|being|got)\s+(?:\w+ly\s+)?$")
USE_VERBS = ("used", "fired", "launched", "deployed")
CLAUSE_CUT = re.compile(r",\s+(?:and|but|while|whereas)\s+|;\s+")
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
        named = sentence.of("WEAPON") or (anaphora.in_sentence(sentence) if triggers else [])  # "the drones struck"
        for clause, cues in _clauses(ctx, sentence, triggers):
            found = _uses(ctx, clause, cues, [w for w in named if clause.start <= w.start < clause.end])
            if not found:
                continue
            trigger = cues[0]
            place = place_in(sentence, trigger.start, stop_words)
            date = nearest_date(sentence, trigger.start) or (nearest_date(previous, previous.end) if previous else None)
            forces = [c.canonical for c in clause.of("COUNTRY") if c.subtype == "forces"] or \
                [c.canonical for c in clause.of("COUNTRY") if c.end <= trigger.start and c.subtype in ("name", "demonym")
                 and SUBJECT.match(ctx.text[clause.start:c.start]) and not _maker(ctx, clause, c)]
            hit = _named_targets(ctx, clause, cues) or [(trigger.start, "")]
            for weapon in found:
                user = _user(ctx, clause, weapon)
                if forces:
                    how, who = "named in the sentence", forces[0]
                elif user:
                    how, who = f"{user!r} right before the system", user
                elif last_actor:
                    how, who = "the actor of the document's previous combat use", last_actor
                else:
                    how, who = "from the document (the recipient of its transfers)", actor
                for at, target in hit:
                    row = new_mention(ctx, "combat_use", [sentence], "combat_use.trigger_weapon",
                                      anchor=at if target else weapon.start, weapon_id=weapon.id,
                                      weapon=weapon.canonical, family=weapon.family, place=place, parties=who,
                                      polarity=polarity(ctx, sentence, trigger.start),
                                      attributed_to=attributed_to(ctx, sentence))
                    set_date(row, date)
                    row["basis"] = f"cue {trigger.phrase!r}; actor {how}" + (f"; target {target!r}" if target else "")
                    row[ITEM] = target
                    rows.append(row)
                last_actor = who
        previous = sentence
    return rows


def _clauses(ctx: DocContext, sentence: Sentence, triggers: list[Hit]) -> list[tuple[Sentence, list[Hit]]]:
    """The sentence cut into clauses at ", and", ", but", "; " where each part has its own cue
    ("Russian forces hit the port with Kalibr missiles, and Ukrainian Patriot batteries destroyed
    two Kinzhal missiles"), each with its cues."""
    cuts = [m for m in CLAUSE_CUT.finditer(ctx.text, sentence.start, sentence.end)
            if any(t.start < m.start() for t in triggers) and any(t.start >= m.end() for t in triggers)]
    bounds = [sentence.start] + [m.end() for m in cuts] + [sentence.end]
    found = []
    for a, b in zip(bounds, bounds[1:]):
        cues = [t for t in triggers if a <= t.start < b]
        if cues:
            found.append((Sentence(sentence.index, a, b, ctx.text[a:b], [e for e in sentence.entities if a <= e.start < b]),
                          cues))
    return found


def _uses(ctx: DocContext, clause: Sentence, triggers: list[Hit], named: list[Ent]) -> list[Ent]:
    """The systems a clause says were used: not the one right after a cue (its target) nor the
    subject of a passive cue ("were downed"), and when a
    system after the cue follows "with", "by" or "using", that one and not the others after the
    cue ("destroyed the vessel with Y", "the attack by Y on the X ship": Y is used, X is hit)."""
    targets = {w.key for w in clause.of("WEAPON")
               if any(0 <= w.start - t.end <= 12 and TARGET_GAP.match(ctx.text[t.end:w.start]) for t in triggers)
               or any(0 <= t.start - w.end <= 40 and PASSIVE.search(ctx.text[w.end:t.start])
                      and not any(v in t.phrase.lower() for v in USE_VERBS) for t in triggers)}
    weapons = [w for w in {w.key: w for w in named}.values() if w.key not in targets]
    instruments = [w for w in weapons if w.start > triggers[0].start
                   and INSTRUMENT.search(ctx.text[max(clause.start, w.start - 25):w.start])]
    return [w for w in weapons if w in instruments or w.start < triggers[0].start] if instruments else weapons


def _named_targets(ctx: DocContext, clause: Sentence, triggers: list[Hit]) -> list[tuple[int, str]]:
    """The targets (offset, words) of the last cue when its object coordinates two or more named
    things ("to strike the Ivanovets corvette and the landing ship Tsezar Kunikov"): one claim
    each. Unnamed targets ("schools, clinics and homes") are one claim."""
    last = triggers[-1]
    tail = ctx.text[last.end:clause.end]
    end = OBJECT_END.search(tail)
    obj = tail[:end.start()] if end else tail
    parts, at = [], 0
    for m in re.finditer(r",\s+(?:and\s+)?|\s+and\s+|$", obj):
        part = obj[at:m.start()]
        if part.strip():
            parts.append((last.end + at + len(part) - len(part.lstrip()), part.strip()))
        at = m.end()
    named = [(offset, p) for offset, p in parts if NAMED_TARGET.match(p)]
    return named if len(named) >= 2 and len(named) == len(parts) else []


def _maker(ctx: DocContext, clause: Sentence, country: Ent) -> bool:
    """Does ``country`` name the maker of the system after it ("Russian-made", "the Russian Mi-35"
    for a Russian design), not its user?"""
    if ctx.text.startswith("-", country.end):
        return True
    return any(0 <= w.start - country.end <= 1 and ctx.cues.weapon_origin.get(w.id) == country.canonical
               for w in clause.of("WEAPON"))


def _user(ctx: DocContext, clause: Sentence, weapon: Ent) -> str:
    """A country named right before the system it uses ("Israeli F-35 jets struck"): its user,
    unless it is the system's maker ("Russian-made", "the Russian Mi-35")."""
    for country in clause.of("COUNTRY"):
        if 0 <= weapon.start - country.end <= 1 and country.subtype in ("name", "demonym", "forces") \
                and not _maker(ctx, clause, country):
            return country.canonical
    return ""
