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
from . import clause
from .anaphora import Anaphora
from .clause import Clause
from .context import DocContext, Ent, Hit, Sentence
from .mention import INDIRECT, new_mention, set_date
from .slots import Money, attributed_to, in_quote, money_in, nearest_date, one_of, polarity, quantity_before, role_country

TOPIC = "the document's main system"
TOPIC_SHARE = 0.6  # share of a document's named systems one family needs to be "the system" it is about
INHERIT = "inherit"  # trigger value: the status of the document's previous transfer
PRECEDENCE = ("repair", "inspected", "other", "negotiating", "offered", "ordered", "delivered", "in_service")
ARMS = "arms"
FUTURE_DELIVERY = "_future_delivery"  # internal: "will deliver"; an order of the system in the document decides
PASSIVE_AFTER = re.compile(r"^(?:\s+[\w’'-]+){0,2}?\s+(?:is|are|was|were|will\s+be|would\s+be|have\s+been|has\s+been|"
                           r"had\s+been|to\s+be)(?:\s+\w+ly|\s+also|\s+now|\s+all)?\s+$", re.IGNORECASE)
OBJECT_BREAK = frozenset(("for", "to", "and", "at", "in", "on", "with", "from"))  # a preposition ends the object
# a system inside a phrase of these is not a supplying verb's object ("provide mobility for the K2 tanks")
NOT_OBJECT = re.compile(r"\b(?:for|at|in|on)\s+(?:the\s+|its\s+|their\s+)?(?:[\w’'-]+\s+)?$", re.IGNORECASE)
LISTED_AFTER = re.compile(r"(?:,|\band|\bas\s+well\s+as|\bplus)\s+(?:[\w’'-]+\s+){0,3}$", re.IGNORECASE)
# "before its own KAAN jets enter service": a country's own system, not one it buys or sells
OWN = re.compile(r"\b(?:its|their|our|his|her)\s+own\s+(?:[\w’'-]+\s+)?$", re.IGNORECASE)
RELATIVE = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:which|that|who)\b[^,;]*", re.IGNORECASE)


@dataclass
class Item:
    start: int
    end: int
    weapon: Ent | None = None
    generic: Hit | None = None


def _status_of(hit: Hit) -> str:
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
           and _status_of(t) != "negotiating"]  # "talks" alone may be about anything
    if not resolved and topic is not None and own and not ctx.find("transfer", "generic", sentence):
        at = sentence.start
        resolved = [Ent("WEAPON", topic.id, topic.canonical, topic.family, topic.subtype, topic.text, at, at,
                        value=f"{TOPIC}, {topic.canonical}")]
    for ent in resolved:
        if ent.key not in seen:
            seen.add(ent.key)
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
        if any(0 <= g.start - w.end <= 25 and len(ctx.text[w.end:g.start].split()) <= 2
               and not LISTED_AFTER.search(ctx.text[w.end:g.start]) for w in all_weapons):
            continue  # "Pantsir-S1 air defence systems": the named system's category
        listed_before = g.end <= all_weapons[0].start and re.match(r"\s*(?:,|and\b)", tail) if all_weapons else True
        listed_after = bool(all_weapons) and g.start >= all_weapons[-1].end and \
            LISTED_AFTER.search(ctx.text[max(all_weapons[-1].end, g.start - 40):g.start]) is not None
        if not (listed_before or listed_after):
            continue  # beside named systems, only a listed item counts ("radar systems, Pantsir-S1", "... and ammunition")
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


def _object_of(ctx: DocContext, trigger: Hit, item: Item) -> bool:
    """The system is the cue's object: "repair four Su-30 jets", "the overhaul of the Mi-17s"."""
    between = ctx.text[trigger.end:item.start] if trigger.end <= item.start else "- " * 9
    gap = between.split()
    return len(gap) <= 3 and "," not in between and not set(w.lower() for w in gap) & OBJECT_BREAK


def _carries(ctx: DocContext, sentence: Sentence, trigger: Hit, item: Item, items: list[Item]) -> bool:
    """The system is the subject of an active supplying verb whose object is another system: the
    carrier, not the cargo ("six Il-76 airlifters landed in Bamako, delivering Mi-24 helicopters")."""
    return trigger.start >= item.end and role_country(trigger) == "supplier" and \
        not PASSIVE_AFTER.match(ctx.text[item.end:trigger.start]) and \
        any(o.start >= trigger.end and sentence.region(o.start) == sentence.region(trigger.start) for o in items)


def _trigger(ctx: DocContext, item: Item, triggers: list[Hit], clauses: list[tuple[int, int, Item]],
             sentence: Sentence, items: list[Item]) -> Hit | None:
    region = sentence.region(item.start)
    usable = [t for t in triggers
              if not any(s <= t.start < e and owner is not item for s, e, owner in clauses)
              and sentence.region(t.start) == region and not _carries(ctx, sentence, t, item, items)]
    # the system is the subject of a passive cue after it: "the Type 26 frigates were selected by Norway"
    # a repair, overhaul or upgrade is a claim about the system it takes as object ("repair four
    # Su-30 jets", "the overhaul of the Mi-17s"), not a service named beside it ("repair packages")
    usable = [t for t in usable if _status_of(t) != "repair" or _object_of(ctx, t, item)]
    # an active supplying verb takes the system as its object, not inside a phrase after it
    # ("an engine and transmission provide high mobility for the K2 tanks")
    usable = [t for t in usable if role_country(t) != "supplier" or t.end > item.start
              or not NOT_OBJECT.search(ctx.text[t.end:item.start])]
    predicate = [t for t in usable if t.start >= item.end and PASSIVE_AFTER.match(ctx.text[item.end:t.start])]
    before = [t for t in usable if t.end <= item.start]
    own = [t for t in usable if any(s <= t.start < e and owner is item for s, e, owner in clauses)]
    pool = predicate[:1] or before or own or usable
    if not pool:
        return None
    return min(pool, key=lambda t: (PRECEDENCE.index(_status_of(t)) if _status_of(t) in PRECEDENCE else 99,
                                    abs(item.start - t.end)))


def _roles(ctx: DocContext, sentence: Sentence, trigger: Hit, item: Item) -> tuple[str, str, list[str], Clause]:
    """Supplier and recipient from the clause's syntax (see ``clause``), and the clause."""
    found = clause.analyse(ctx, sentence, trigger)
    origin = ctx.cues.weapon_origin.get(item.weapon.id, "") if item.weapon else ""
    supplier, recipient, basis = clause.roles(ctx, sentence, found, role_country(trigger), item.start, origin)
    return supplier, recipient, basis, found


def _polarity(ctx: DocContext, sentence: Sentence, trigger: Hit, found: Clause) -> str:
    """The polarity cues before the cue; a prospective sale ("the proposed sale") is hypothetical.
    The "not" of a report cue before it ("it is not yet confirmed that X received") is no denial."""
    value = polarity(ctx, sentence, trigger.start)
    if value == "negated" and found.report is not None and found.report.end <= trigger.start:
        value = polarity(ctx, sentence, trigger.start, window=trigger.start - found.report.end)
    return "hypothetical" if value == "asserted" and found.prospective is not None else value


def _status(found: Clause, trigger: Hit) -> tuple[str, str]:
    """The status a cue gives, as its tense and modality qualify it: "will deliver" and "plans
    to buy" are not deliveries or orders, "a possible sale" is an offer."""
    status, role = _status_of(trigger), role_country(trigger)
    if found.prospective is not None and status == "ordered":
        status = "offered" if role == "supplier" else "negotiating"
        return status, f"{found.prospective.phrase!r} {trigger.phrase!r}: {status}"
    if found.future is None:
        return status, ""
    if status == "delivered" and found.order is not None:
        return "ordered", f"future {found.future.phrase!r} {trigger.phrase!r} {found.order.phrase!r}: an order"
    if status == "delivered":
        return FUTURE_DELIVERY, f"future {found.future.phrase!r} {trigger.phrase!r}"
    if status == "ordered":
        return "negotiating", f"future {found.future.phrase!r} {trigger.phrase!r}: negotiating"
    return status, ""


def _money_for(item: Item, items: list[Item], sentence: Sentence, amounts: list[Money]) -> float | None:
    """The value of the deal for ``item``, from the sentence's ``amounts`` (``money_in``)."""
    region = sentence.region(item.start)
    money = [m for m in amounts if m.usd is not None and sentence.region(m.start) == region]
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
    relations = {p.lower() for p in ctx.cues.phrases("transfer", "relation")}
    for sentence in ctx.sentences:
        blocked = ctx.find("transfer", "not_trigger", sentence)
        triggers = [t for t in ctx.find("transfer", "trigger", sentence)
                    if not any(b.start <= t.start < b.end for b in blocked)]
        previous = str(rows[-1]["status"]) if rows else ""
        triggers = [t if t.value != INHERIT else Hit(t.start, t.end, t.phrase, previous, inherited=True)
                    for t in triggers if t.value != INHERIT or previous]
        if not triggers:
            continue
        items = _items(ctx, sentence, anaphora, topic, triggers)
        clauses = _relative_clauses(ctx, sentence, items)
        variants = Counter(w.family for w in {i.weapon.canonical: i.weapon for i in items if i.weapon}.values())
        amounts: list[Money] | None = None  # the sentence's amounts of money, found once
        for item in items:
            trigger = _trigger(ctx, item, triggers, clauses, sentence, items)
            if trigger is None or OWN.search(ctx.text[max(sentence.start, item.start - 40):item.start]):
                continue
            noun = item.weapon.start + item.weapon.text.rfind(" ") + 1 if item.weapon and " " in item.weapon.text else item.start
            quantity = None if item.start == item.end else \
                quantity_before(ctx.text, noun if item.weapon and item.weapon.value.startswith("anaphor") else item.start)
            if amounts is None:
                amounts = money_in(sentence)
            value = _money_for(item, items, sentence, amounts)
            date = nearest_date(sentence, trigger.start, clause=True)
            bare = item.generic is not None and item.generic.value == ARMS and not (quantity or value)
            if bare and trigger.phrase.lower() not in relations:
                continue  # "arms sales rose": commentary, unless a role noun states who supplies whom
            supplier, recipient, basis, found = _roles(ctx, sentence, trigger, item)
            if bare and not (supplier and recipient):
                continue  # "a major supplier of arms to many countries": no pair stated
            status, status_note = _status(found, trigger)
            weapon = item.weapon
            if weapon is not None and weapon.value.startswith(TOPIC) and (found.future or found.prospective):
                continue  # "will reach $18bn by 2029": a plan that names no system is not about the document's
            row = new_mention(
                ctx, "transfer", [sentence], "transfer.named" if weapon else "transfer.generic", anchor=item.start,
                supplier=supplier, recipient=recipient,
                weapon_id=weapon.id if weapon else "", weapon=weapon.canonical if weapon else item.generic.phrase,  # type: ignore[union-attr]
                family=weapon.family if weapon else "", status=status,
                quantity=quantity if quantity else "", value_usd=f"{value:.0f}" if value else "",
                polarity=_polarity(ctx, sentence, trigger, found), attributed_to=attributed_to(ctx, sentence))
            set_date(row, date)
            anaphor = [weapon.value] if weapon and weapon.value else []
            report = [f"reported ({found.report.phrase!r}), not confirmed by the text"] if found.report else []
            row["basis"] = "; ".join([f"status from {trigger.phrase!r}"] + [status_note] * bool(status_note) +
                                     report + anaphor + basis)
            row[INDIRECT] = bool(status_note) or (weapon is not None and weapon.value.startswith(TOPIC))
            row[restate.CATEGORY] = ctx.cues.weapon_category.get(weapon.id, "") if weapon else item.generic.value  # type: ignore[union-attr]
            row[restate.PART] = restate.ONE_OF if quantity and one_of(ctx.text, item.start) else \
                restate.VARIANT if weapon is not None and variants[weapon.family] > 1 else ""
            rows.append(row)
    _future_deliveries(rows)
    rows = restate.merge(restate.absorb_summaries(rows))  # before the document fills roles: a restatement's own roles come first
    _fill_from_document(ctx, rows)
    return rows


def _future_deliveries(rows: list[dict[str, object]]) -> None:
    """A delivery still to come ("Saab will deliver the jets") is the delivery clause of an
    order when the document states an order of that system, else an offer."""
    ordered = {(r["family"] or r["weapon"]) for r in rows if r["status"] == "ordered"}
    for row in rows:
        if row["status"] != FUTURE_DELIVERY:
            continue
        if (row["family"] or row["weapon"]) in ordered:
            row["status"] = "ordered"
            row["basis"] = f"{row['basis']}: the delivery clause of the order the document states"
            if row["date_text"]:  # the delivery's date, not the order's
                row["basis"] = f"{row['basis']} (delivery {row['date_text']!r})"
                row.update({c: "" for c in restate.DATE_COLUMNS})
        else:
            row["status"] = "offered"
            row["basis"] = f"{row['basis']}: an offer"


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
