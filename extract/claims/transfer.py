"""Transfers: a weapon system (or a generic category) moving from a supplier to a recipient.

One sentence listing several systems gives one claim per system, sharing the other slots.
A sentence with an (unquoted, non-listing) trigger that names no system at all is about the
system the document is about, when one family dominates it ("No contract has been signed yet").
The status comes from the trigger before the system ("received", "ordered", "pledged to
sell"); when several triggers stand before it, the more specific status wins (repair >
inspected > other > negotiating > offered > ordered > delivered > in_service), so "a contract
for the delivery of six Su-30SME" is an order. A trigger inside a relative clause that
follows another system ("Su-30 fighters which Russia is yet to deliver") belongs to that
system only.

Supplier and recipient come from the sentence ("from X", "to X", the subject of "sold" /
"ordered", a demonym before the system: "Russian Su-30"). Otherwise the supplier of a named
system is its origin in weapons.csv (knowledge about the system, more reliable than the
other sentences of an article that may speak of several deals), and the rest comes from the
document: the supplier and recipient its other transfer sentences name. ``basis`` says which.

A generic category ("armoured vehicles", "radar systems") makes a claim with an empty
weapon_id. A bare "arms" / "weapons" claim needs a quantity or a value to be kept: without
one it is commentary ("Russia increased arms sales"), not a register entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import restate
from .anaphora import Anaphora
from .context import DocContext, Ent, Hit, Sentence
from .mention import new_mention, set_date
from .slots import attributed_to, in_quote, money_in, nearest_date, polarity, quantity_before, role_country

TOPIC_SHARE = 0.6  # share of a document's named systems one family needs to be "the system" it is about
INHERIT = "inherit"  # trigger value: the status of the document's previous transfer
PRECEDENCE = ("repair", "inspected", "other", "negotiating", "offered", "ordered", "delivered", "in_service")
ARMS = "arms"
RELATIVE_START = re.compile(r",\s+(?:which|who|whose)\b")
NOT_SUBJECT = re.compile(r"\b(?:from|to|for|with|of|in|at|on|by)\s+(?:the\s+)?$")
OWNER = re.compile(r"(?<!\s)\s+(?:Air\s+Force|Army|Navy|military|armed\s+forces|Armed\s+Forces)\b")
RELATIVE = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:which|that|who)\b[^,;]*", re.IGNORECASE)


@dataclass
class Item:
    start: int
    end: int
    weapon: Ent | None = None
    generic: Hit | None = None


def _status(hit: Hit) -> str:
    return hit.value.split(":", 1)[0]


def _topic(ctx: DocContext) -> Ent | None:
    """The system a document is about: one family holding at least ``TOPIC_SHARE`` of its named
    systems (and named at least twice). A transfer sentence that names no system ("No contract
    has been signed yet", "Three squadrons have been delivered") is about it."""
    named = [w for s in ctx.sentences for w in s.of("WEAPON")]
    if len(named) < 2:
        return None
    families = Counter(w.family for w in named)
    family, count = families.most_common(1)[0]
    if count / len(named) < TOPIC_SHARE:
        return None
    variants = Counter(w.canonical for w in named if w.family == family)
    canonical = variants.most_common(1)[0][0]
    return next(w for w in named if w.canonical == canonical)


def _items(ctx: DocContext, sentence: Sentence, anaphora: Anaphora, topic: Ent | None,
           triggers: list[Hit]) -> list[Item]:
    weapons: list[Ent] = []
    seen: set[str] = set()
    named = sentence.of("WEAPON")
    resolved = named or anaphora.in_sentence(sentence)
    own = [t for t in triggers if not t.inherited and not in_quote(ctx.quotes, t.start)
           and _status(t) != "negotiating"]  # "talks" alone may be about anything
    if not resolved and topic is not None and own and not ctx.find("transfer", "generic", sentence):
        at = sentence.start
        resolved = [Ent("WEAPON", topic.id, topic.canonical, topic.family, topic.subtype, topic.text, at, at,
                        value=f"the document's main system, {topic.canonical}")]
    for ent in resolved:
        if ent.id not in seen:
            seen.add(ent.id)
            weapons.append(ent)
    items = [Item(w.start, w.end, weapon=w) for w in weapons]
    all_weapons = named or weapons
    generics = [g for g in ctx.find("transfer", "generic", sentence)
                if not any(g.start < w.end and w.start < g.end for w in all_weapons)]
    descriptions = ctx.find("transfer", "description", sentence)
    kept = []
    for g in generics:
        tail = ctx.text[g.end:g.end + 40]
        if any(0 <= d.start - g.end <= 25 for d in descriptions) and any(0 <= w.start - g.end <= 45 for w in all_weapons):
            continue  # "air defence systems such as Pechora-2M": describes the named system
        if any(0 <= g.start - w.end <= 25 and len(ctx.text[w.end:g.start].split()) <= 2 for w in all_weapons):
            continue  # "Pantsir-S1 air defence systems": the named system's category
        if all_weapons and not (g.end <= all_weapons[0].start and re.match(r"\s*(?:,|and\b)", tail)):
            continue  # beside named systems, only a listed item before them counts ("radar systems, Pantsir-S1")
        kept.append(g)
    if kept:
        specific = [g for g in kept if g.value != ARMS]
        chosen = (specific or kept)[-1]  # one generic claim per sentence, the most specific category
        items.append(Item(chosen.start, chosen.end, generic=chosen))
    return sorted(items, key=lambda i: i.start)


def _relative_clauses(ctx: DocContext, sentence: Sentence, items: list[Item]) -> list[tuple[int, int, Item]]:
    spans = []
    for item in items:
        m = RELATIVE.match(ctx.text[item.end:sentence.end])
        if m:
            spans.append((item.end, item.end + m.end(), item))
    return spans


def _trigger(item: Item, triggers: list[Hit], clauses: list[tuple[int, int, Item]], sentence: Sentence) -> Hit | None:
    region = sentence.region(item.start)
    usable = [t for t in triggers
              if not any(s <= t.start < e and owner is not item for s, e, owner in clauses)
              and sentence.region(t.start) == region]
    before = [t for t in usable if t.end <= item.start]
    own = [t for t in usable if any(s <= t.start < e and owner is item for s, e, owner in clauses)]
    pool = before or own or usable
    if not pool:
        return None
    return min(pool, key=lambda t: (PRECEDENCE.index(_status(t)) if _status(t) in PRECEDENCE else 99,
                                    abs(item.start - t.end)))


def _roles(ctx: DocContext, sentence: Sentence, trigger: Hit, item: Item) -> tuple[str, str, list[str]]:
    supplier = recipient = ""
    basis: list[str] = []
    region = sentence.region(trigger.start)
    weapons = sentence.of("WEAPON")
    countries = [c for c in sentence.of("COUNTRY") if sentence.region(c.start) == region]
    for c in countries:
        if c.start < trigger.start:
            continue  # "from X" / "to X" count after the trigger: "visit to Russia, ... the supply" does not
        before = ctx.text[max(sentence.start, c.start - 20):c.start].lower()
        if re.search(r"\bfrom\s+(?:the\s+)?$", before) and not supplier:
            supplier = c.canonical
            basis.append(f"supplier 'from {c.text}'")
        elif re.search(r"\b(?:to|for)\s+(?:the\s+|its\s+)?$", before) and not recipient:
            recipient = c.canonical
            basis.append(f"recipient 'to {c.text}'")
        elif re.search(r"\bof\s+the\s+$", before) and OWNER.match(ctx.text[c.end:c.end + 20]) and not recipient:
            recipient = c.canonical
            basis.append(f"recipient: 'of the {c.text} ...' forces")
    role = role_country(trigger)
    if region[0] == "relative":  # "Turkey, which ... bought S-400s": the clause's subject is what it follows
        countries = countries + [c for c in sentence.of("COUNTRY") if sentence.region(c.start) != region
                                 and c.end <= trigger.start and RELATIVE_START.match(ctx.text, c.end)]
    subject = [c for c in countries if c.end <= trigger.start
               and not NOT_SUBJECT.search(ctx.text[max(sentence.start, c.start - 20):c.start].lower())
               and not (c.subtype == "demonym" and any(0 <= w.start - c.end <= 2 for w in weapons))]  # "Russian S-400"
    if role and subject:
        name = subject[-1].canonical
        if role == "supplier" and not supplier and name != recipient:
            supplier = name
            basis.append(f"supplier: subject of {trigger.phrase!r}")
        elif role == "recipient" and not recipient and name != supplier:
            recipient = name
            basis.append(f"recipient: subject of {trigger.phrase!r}")
    if not supplier:
        for c in sentence.of("COUNTRY"):
            if c.subtype == "demonym" and 0 <= item.start - c.end <= 2 and c.canonical != recipient:
                supplier = c.canonical
                basis.append(f"supplier: {c.text!r} before the system")
    return supplier, recipient, basis


def _money_for(item: Item, items: list[Item], sentence: Sentence) -> float | None:
    region = sentence.region(item.start)
    money = [m for m in money_in(sentence) if m.usd is not None and sentence.region(m.start) == region]
    if not money:
        return None
    following = [i.start for i in items if i.start > item.start]
    limit = min(following) if following else sentence.end
    after = [m for m in money if item.end <= m.start < limit]
    if after:
        return after[0].usd
    return money[0].usd if len(money) == 1 else None  # one amount in the sentence: the deal's


def extract(ctx: DocContext) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    anaphora = Anaphora(ctx)
    topic = _topic(ctx)
    for sentence in ctx.sentences:
        triggers = ctx.find("transfer", "trigger", sentence)
        previous = str(rows[-1]["status"]) if rows else ""
        triggers = [t if t.value != INHERIT else Hit(t.start, t.end, t.phrase, previous, inherited=True)
                    for t in triggers if t.value != INHERIT or previous]
        if not triggers:
            continue
        items = _items(ctx, sentence, anaphora, topic, triggers)
        clauses = _relative_clauses(ctx, sentence, items)
        for item in items:
            trigger = _trigger(item, triggers, clauses, sentence)
            if trigger is None:
                continue
            noun = item.weapon.start + item.weapon.text.rfind(" ") + 1 if item.weapon and " " in item.weapon.text else item.start
            quantity = None if item.start == item.end else \
                quantity_before(ctx.text, noun if item.weapon and item.weapon.value.startswith("anaphor") else item.start)
            value = _money_for(item, items, sentence)
            date = nearest_date(sentence, trigger.start)
            if item.generic is not None and item.generic.value == ARMS and not (quantity or value):
                continue
            supplier, recipient, basis = _roles(ctx, sentence, trigger, item)
            weapon = item.weapon
            row = new_mention(
                ctx, "transfer", [sentence], "transfer.named" if weapon else "transfer.generic", anchor=item.start,
                supplier=supplier, recipient=recipient,
                weapon_id=weapon.id if weapon else "", weapon=weapon.canonical if weapon else item.generic.phrase,  # type: ignore[union-attr]
                family=weapon.family if weapon else "", status=_status(trigger),
                quantity=quantity if quantity else "", value_usd=f"{value:.0f}" if value else "",
                polarity=polarity(ctx, sentence, trigger.start), attributed_to=attributed_to(ctx, sentence))
            set_date(row, date)
            anaphor = [weapon.value] if weapon and weapon.value else []
            row["basis"] = "; ".join([f"status from {trigger.phrase!r}"] + anaphor + basis)
            rows.append(row)
    rows = restate.merge(rows)  # before the document fills roles: a restatement's own roles come first
    _fill_from_document(ctx, rows)
    return rows


def _fill_from_document(ctx: DocContext, rows: list[dict[str, object]]) -> None:
    """Missing supplier: for a named system its origin (weapons.csv), else the one the
    document's other transfer sentences name, else the supplier its other transfers got.
    Missing recipient: the one the document's other transfer sentences name, else the country
    the document names most."""
    suppliers = Counter(str(r["supplier"]) for r in rows if r["supplier"])
    recipients = Counter(str(r["recipient"]) for r in rows if r["recipient"])
    notes = {id(row): [str(row["basis"])] for row in rows}
    for row in rows:
        if row["supplier"]:
            continue
        origin = ctx.cues.weapon_origin.get(str(row["weapon_id"]), "")
        if origin and origin != row["recipient"]:
            row["supplier"] = origin
            notes[id(row)].append("supplier: origin of the system (weapons.csv)")
        elif suppliers and suppliers.most_common(1)[0][0] != row["recipient"]:
            row["supplier"] = suppliers.most_common(1)[0][0]
            notes[id(row)].append("supplier from the document's other transfers")
    filled = Counter(str(r["supplier"]) for r in rows if r["supplier"])
    for row in rows:
        if not row["supplier"] and filled and filled.most_common(1)[0][0] != row["recipient"]:
            row["supplier"] = filled.most_common(1)[0][0]
            notes[id(row)].append("supplier: that of the document's other transfers")
    for row in rows:
        if not row["recipient"]:
            if recipients and recipients.most_common(1)[0][0] != row["supplier"]:
                row["recipient"] = recipients.most_common(1)[0][0]
                notes[id(row)].append("recipient from the document's other transfers")
            else:
                others = [c for c, _ in ctx.countries.most_common() if c != row["supplier"]]
                if others:
                    row["recipient"] = others[0]
                    notes[id(row)].append("recipient: the country the document names most")
        row["basis"] = "; ".join(n for n in notes[id(row)] if n)
