"""A small analysis of the clause around a transfer cue, without a statistical parser.

Given the cue (a verb such as "supplied" or a noun such as "purchase") and the system it
governs, it reads, inside the cue's clause (``Sentence.region``):

* **voice**: a participle after a form of *be* or *get* ("was delivered", "will be supplied",
  "were selected") is passive; its agent is the country after "by".
* **tense and modality**: a future or planning phrase before the cue ("will", "is expected
  to", "plans to") or a prospective noun modifier ("a possible sale"); a report cue
  ("reportedly", "unconfirmed").
* **arguments**: the subject (countries before the cue, not inside a prepositional phrase;
  "India and France" is a pair), the object (a country right after a supplying verb: "provide
  Colombia with"), prepositional phrases after the cue (from / to / for / with / by), a
  possessive before the cue ("Peru's purchase of ..."), and the country before the system
  ("Chinese J-10", "China's J-10", "U.S.-made F-15EX").

``roles`` turns these into a supplier and a recipient, each with the words that gave it. The
cue words live in ``gazetteers/lexicon/claim_cues.csv`` (frame ``clause``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .context import DocContext, Ent, Hit, Sentence

SUPPLIER, RECIPIENT = "supplier", "recipient"
OTHER = {SUPPLIER: RECIPIENT, RECIPIENT: SUPPLIER}
NOT_SUBJECT = re.compile(r"\b(?:from|to|for|with|of|in|at|on|by|into|under|between|against)\s+(?:the\s+)?$")
POSSESSIVE = re.compile(r"^\s*(?:['’]s?)(?=\s)")
PARTICIPLE = re.compile(r"(?:ed|en|sold|sent|bought|built|made)(?:\s+over)?$", re.IGNORECASE)
OWNER = re.compile(r"(?<!\s)\s+(?:Air\s+Force|Army|Navy|military|armed\s+forces|Armed\s+Forces)\b")
RELATIVE_START = re.compile(r",\s+(?:which|who|whose)\b")
LOOKBACK = 40  # characters before a cue in which auxiliaries and modifiers count


@dataclass
class Clause:
    """What the clause around one transfer cue says."""

    trigger: Hit
    passive: bool = False
    future: Hit | None = None
    prospective: Hit | None = None
    report: Hit | None = None
    order: Hit | None = None  # "under the contract": the clause is the content of an order
    subjects: list[Ent] = field(default_factory=list)  # countries before the cue, nearest last
    pair: bool = False  # the subject is two coordinated countries ("India and France")
    after: dict[str, Ent] = field(default_factory=dict)  # preposition -> first country after it


def _same_clause(sentence: Sentence, offset: int, anchor: int) -> bool:
    return sentence.region(offset) == sentence.region(anchor)


def _preposition(ctx: DocContext, sentence: Sentence, ent: Ent) -> str:
    before = ctx.text[max(sentence.start, ent.start - 14):ent.start].lower()
    m = re.search(r"\b(from|to|for|with|by|of)\s+(?:the\s+|its\s+)?$", before)
    return m.group(1) if m else ""


def analyse(ctx: DocContext, sentence: Sentence, trigger: Hit) -> Clause:
    clause = Clause(trigger)
    start = max(sentence.start, trigger.start - LOOKBACK)
    if PARTICIPLE.search(trigger.phrase):
        aux = ctx.find_between("clause", "passive", start, trigger.start)
        clause.passive = bool(aux) and len(ctx.text[aux[-1].end:trigger.start].split()) <= 2
    near = [h for h in ctx.find_between("clause", "future", start, trigger.start)
            if _same_clause(sentence, h.start, trigger.start)]
    if trigger.phrase.lower().endswith(" of"):  # a nominal cue's verb follows: "the delivery of the jets will begin"
        near += [h for h in ctx.find_between("clause", "future", trigger.end, min(sentence.end, trigger.end + 50))
                 if _same_clause(sentence, h.start, trigger.start)][:1]
    clause.future = near[-1] if near else None
    modifiers = [h for h in ctx.find_between("clause", "prospective", max(sentence.start, trigger.start - LOOKBACK),
                                             trigger.start) if _same_clause(sentence, h.start, trigger.start)
                 and len(ctx.text[h.end:trigger.start].split()) <= 3]  # within the cue's noun phrase
    clause.prospective = modifiers[-1] if modifiers else None
    orders = [h for h in ctx.find("clause", "order", sentence) if _same_clause(sentence, h.start, trigger.start)]
    clause.order = orders[0] if orders else None
    reports = ctx.find("clause", "report", sentence)
    clause.report = reports[0] if reports else None
    countries = [c for c in sentence.of("COUNTRY") if _same_clause(sentence, c.start, trigger.start)]
    if sentence.region(trigger.start)[0] == "relative":  # "Turkey, which ... bought S-400s": what it follows
        clause.subjects += [c for c in sentence.of("COUNTRY") if c.end <= trigger.start
                            and RELATIVE_START.match(ctx.text, c.end)]
    makers = {id(before_system(ctx, sentence, w.start)) for w in sentence.of("WEAPON")}
    for c in countries:
        if c.start < trigger.end:
            if id(c) not in makers and not NOT_SUBJECT.search(ctx.text[max(sentence.start, c.start - 20):c.start].lower()):
                clause.subjects.append(c)
            elif _preposition(ctx, sentence, c) == "with" and "with" not in clause.after:
                clause.after["with"] = c  # "signed a contract with X to buy ..."
        else:
            prep = _preposition(ctx, sentence, c)
            if prep == "of" and not OWNER.match(ctx.text[c.end:c.end + 20]):
                continue  # only "of the Indian Air Force" names an owner
            if prep and prep not in clause.after:
                clause.after[prep] = c
            elif not prep and "object" not in clause.after and not ctx.text[trigger.end:c.start].strip(" the"):
                clause.after["object"] = c  # "provide Colombia with ..."
    if len(clause.subjects) >= 2:
        a, b = clause.subjects[-2:]
        clause.pair = a.canonical != b.canonical and bool(re.fullmatch(r"\s*(?:and|,)\s*", ctx.text[a.end:b.start]))
    return clause


@lru_cache(maxsize=8)
def _made_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"\s*-?\s*(?:{alternation})\b", re.IGNORECASE)


def _made(ctx: DocContext) -> re.Pattern[str]:
    """ "-made", "-built" right after a country (the lexicon's ``clause,made`` words)."""
    return _made_pattern(tuple(ctx.cues.phrases("clause", "made")))


def before_system(ctx: DocContext, sentence: Sentence, system_start: int) -> Ent | None:
    """The country right before a system: "Russian Su-30", "China's J-10", "U.S.-made F-15EX"."""
    for c in sentence.of("COUNTRY"):
        gap = ctx.text[c.end:system_start]
        if c.end > system_start or system_start - c.end > 30:
            continue
        made = _made(ctx).match(gap)
        if c.subtype == "demonym" and not gap.strip():
            return c
        if POSSESSIVE.match(gap) and len(gap.split()) <= 3:
            return c
        if made and len(gap.split()) <= 3:
            return c
    return None


def roles(ctx: DocContext, sentence: Sentence, clause: Clause, role: str, system_start: int,
          origin: str) -> tuple[str, str, list[str]]:
    """Supplier and recipient stated by the clause, with the words that gave each."""
    found: dict[str, str] = {}
    basis: list[str] = []
    trigger = clause.trigger

    def put(slot: str, ent: Ent | None, why: str) -> None:
        if ent is not None and slot not in found and ent.canonical not in found.values():
            found[slot] = ent.canonical
            basis.append(f"{slot}: {why.format(ent.text)}")

    put(SUPPLIER, clause.after.get("from"), "'from {}'")
    if clause.passive and role:
        put(role, clause.after.get("by"), f"agent 'by {{}}' of passive {trigger.phrase!r}")
    put(RECIPIENT, clause.after.get("to"), "'to {}'")
    put(RECIPIENT, clause.after.get("for"), "'for {}'")
    owner = clause.after.get("of")  # "four Su-30 jets of the Myanmar Air Force": only right after the system
    if owner is not None and 0 <= owner.start - system_start <= 60 and \
            len(ctx.text[system_start:owner.start].split()) <= 5:
        put(RECIPIENT, owner, "'of the {} ...' forces")
    if role == SUPPLIER and not clause.passive:
        put(RECIPIENT, clause.after.get("object"), f"object of {trigger.phrase!r}")
    subject = clause.subjects[-1] if clause.subjects else None
    possessive = subject is not None and POSSESSIVE.match(ctx.text[subject.end:trigger.start]) is not None \
        and len(ctx.text[subject.end:trigger.start].split()) <= 3
    if clause.pair and subject is not None:
        first = clause.subjects[-2]
        if origin in (first.canonical, subject.canonical):
            buyer = subject if first.canonical == origin else first
            seller = first if buyer is subject else subject
            put(SUPPLIER, seller, "of the pair '" + first.text + " and " + subject.text + "', the system's maker {}")
            put(RECIPIENT, buyer, "the other of the pair, {}")
    elif subject is not None and role and clause.passive:
        put(OTHER[role], subject, f"subject of passive {trigger.phrase!r}")
    elif subject is not None and role:
        put(role, subject, ("possessive '{}'s' before " if possessive else "subject of ") + f"{trigger.phrase!r}")
    partner = clause.after.get("with")
    if partner is not None and len(found) == 1:  # "a deal with X": the other party
        put(OTHER[next(iter(found))], partner, "'with {}', the other party")
    maker = before_system(ctx, sentence, system_start)
    if maker is not None:
        if maker.canonical == origin or not origin or RECIPIENT in found:
            put(SUPPLIER, maker, "{!r} before the system")
        else:
            put(RECIPIENT, maker, "{!r} before the system, not its maker: the owner")
    return found.get(SUPPLIER, ""), found.get(RECIPIENT, ""), basis
