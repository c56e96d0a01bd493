"""A mention row: one claim as one document states it, with its evidence span."""

from __future__ import annotations

import hashlib

from ..schema import MENTION_COLUMNS
from .context import DocContext, Ent, Sentence

# Slots that identify a mention beside its type and span (for the stable mention_id).
ANCHOR = "_anchor"  # internal: where in the evidence the claim's own words stand (orders claims of one sentence)
WEAK_DATE = "date_weak"  # "yes" when the date is inferred or borrowed from the previous sentence
INDIRECT = "_indirect"  # internal: the sentence names the claim's system or status only indirectly
DATE_OUTSIDE = "_date_outside"  # internal: the date expression stands outside the evidence sentences
ITEM = "_item"  # internal: what tells apart claims of one sentence that share every slot (a combat use's targets)
KEY_SLOTS = ("weapon_id", "weapon", "status", "speaker", "people", "name", "date_value", "place")


def new_mention(ctx: DocContext, claim_type: str, sentences: list[Sentence], rule_id: str, anchor: int = 0,
                **slots: object) -> dict[str, object]:
    start, end = sentences[0].start, sentences[-1].end
    row: dict[str, object] = {c: "" for c in MENTION_COLUMNS}
    row.update(doc_id=ctx.doc_id, claim_type=claim_type, evidence=ctx.source[start:end], start_char=start,
               end_char=end, rule_id=rule_id, polarity="asserted")
    row[ANCHOR] = anchor
    for key, value in slots.items():
        if key not in row:
            raise KeyError(f"unknown mention column {key}")
        row[key] = ";".join(value) if isinstance(value, (list, tuple)) else ("" if value is None else value)
    return row


def set_date(row: dict[str, object], date: Ent | None) -> None:
    if date is not None:
        row.update(date_text=date.text, date_value=date.value, date_start=date.date_start, date_end=date.date_end,
                   date_basis=date.date_basis)
        row[WEAK_DATE] = "yes" if date.weak_date else ""
        row[DATE_OUTSIDE] = not int(row["start_char"]) <= date.start < int(row["end_char"])  # type: ignore[call-overload]


# Which slot a basis clause speaks of (by its first word), and what its words say about how the
# value was obtained: from knowledge (the system's origin) or from elsewhere in the document (the
# document's other claims or most named country, a pronoun or anaphor resolved "->" to an antecedent).
_BASIS_SLOTS = {"supplier": "supplier", "recipient": "recipient", "speaker": "speaker", "parties": "parties",
                "actor": "parties", "place": "place"}
_SYSTEM_FROM_CONTEXT = ("document's main system", "anaphor")
_RESTATED = "from the restatement"  # a value taken from another sentence stating the same claim (other_spans)


def uncertainty(row: dict[str, object]) -> str:
    """SIPRI-style '?' flags: the values not stated by the claim's own sentences, as
    ``slot: inferred`` (from knowledge: the system's origin; a date resolved against the latest date
    in the text) or ``slot: context`` (taken from elsewhere in the document). A value taken from a
    restatement of the claim (other_spans) is stated, not flagged."""
    flags: dict[str, str] = {}
    clauses = [c.strip() for c in str(row.get("basis", "")).split(";")]
    for clause in clauses:
        first = clause.split(" ", 1)[0].rstrip(":")
        slot = _BASIS_SLOTS.get(first)
        if slot is not None and row.get(slot) and _RESTATED not in clause:
            if "origin" in clause:
                flags[slot] = "inferred"
            elif "document" in clause or "->" in clause:
                flags[slot] = "context"
        elif row.get("weapon") and any(words in clause for words in _SYSTEM_FROM_CONTEXT):
            flags["weapon"] = "context"
    if row.get("date_value") or row.get("date_text"):
        if row.get("date_basis") == "inferred":
            flags["date"] = "inferred"
        elif (row.get(DATE_OUTSIDE) or row.get(WEAK_DATE)) and not any(c.startswith(f"date {_RESTATED}")
                                                                       for c in clauses):
            flags["date"] = "context"
    return "; ".join(f"{slot}: {kind}" for slot, kind in flags.items())


def mention_id(row: dict[str, object]) -> str:
    key = "|".join([str(row["doc_id"]), str(row["claim_type"]), str(row["start_char"]), str(row["end_char"])]
                   + [str(row[k]) for k in KEY_SLOTS] + ([str(row[ITEM])] if row.get(ITEM) else []))
    return "m-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def spans_of(row: dict[str, object]) -> list[tuple[int, int]]:
    """A mention's evidence span and the spans of its restatements (``other_spans``)."""
    spans = [(int(row["start_char"]), int(row["end_char"]))]  # type: ignore[call-overload]
    for part in str(row.get("other_spans") or "").split(";"):
        if "-" in part:
            start, end = part.split("-", 1)
            spans.append((int(start), int(end)))
    return spans
