"""One mention per claim per document: restatements are merged.

An article states its main claim several times: in the lead, a quote, a later sentence that
gives the quantity, the background paragraph. Two mentions of one document are restatements
of one claim when they agree on what the claim is (its type, polarity and key: the system, the
status; the speaker and quote; the people met; the parties) and no slot that both state
disagrees (two orders of one system with different quantities or dates are two claims).

The most explicit mention (the most slots stated by its own sentence; then the earliest)
keeps its evidence; the spans of the others go to ``other_spans`` (``start-end;start-end``),
and its empty slots are filled from them, ``basis`` naming the span each value came from.
Merging is complete-linkage: a mention joins a group only if it agrees with every member.
"""

from __future__ import annotations

from typing import Callable

from .mention import DATE_OUTSIDE, INDIRECT, WEAK_DATE

Row = dict[str, object]

# Slots that may be empty on one side but must not differ when both state them.
SLOTS: dict[str, tuple[str, ...]] = {
    "transfer": ("supplier", "recipient", "quantity", "value_usd", "date"),
    "meeting": ("place", "date"),
    "statement": ("date",),
    "agreement": ("name", "date"),
    "exercise": ("name", "place", "date"),
    "combat_use": ("place", "parties", "date"),
}
# Columns that must be equal.
SAME: dict[str, tuple[str, ...]] = {
    "transfer": ("polarity", "status"),
    "meeting": ("polarity",),
    "statement": ("polarity",),
    "agreement": ("polarity", "parties"),
    "exercise": ("polarity", "parties"),
    "combat_use": ("polarity", "family"),
}
DATE_COLUMNS = ("date_text", "date_value", "date_start", "date_end", "date_basis")


def _words(value: object) -> str:
    return " ".join(str(value).casefold().split())


PART = "_part"  # internal: a part of a deal: VARIANT (one of two variants a sentence names) or ONE_OF
VARIANT, ONE_OF = "variant", "one of"  # ("the fourth of five ships")


def _same_system(a: Row, b: Row) -> bool:
    """The same designation, or a variant and its family row ("Su-30" / "Su-30SME"); two
    generic categories by their words. A part of a deal (a variant in a breakdown, "116 of one
    variant and 64 of another"; "the fourth of five ships") is not a restatement of it: only the
    variant (with the same count, for one of a whole) restates it."""
    parts = {a.get(PART), b.get(PART)}
    if parts & {VARIANT, ONE_OF} and a["weapon"] != b["weapon"]:
        return False
    if ONE_OF in parts and a["quantity"] != b["quantity"]:
        return False
    if a["weapon_id"] and b["weapon_id"]:
        if a["weapon_id"] == b["weapon_id"]:
            return True
        return a["family"] == b["family"] and (a["weapon"] == a["family"] or b["weapon"] == b["family"])
    return not a["weapon_id"] and not b["weapon_id"] and _words(a["weapon"]) == _words(b["weapon"])


def _same_people(a: Row, b: Row) -> bool:
    pa, pb = set(str(a["people"]).split(";")) - {""}, set(str(b["people"]).split(";")) - {""}
    return bool(pa and pb) and (pa <= pb or pb <= pa)


def _same_statement(a: Row, b: Row) -> bool:
    """One speaker and one quote (a quote repeated in full or in part)."""
    if _words(a["speaker"]) != _words(b["speaker"]) or not a["speaker"]:
        return False
    qa, qb = _words(a["quote"]), _words(b["quote"])
    return bool(qa and qb) and len(min(qa, qb, key=len).split()) >= 5 and (qa in qb or qb in qa)


KEY: dict[str, Callable[[Row, Row], bool]] = {
    "transfer": _same_system,
    "meeting": _same_people,
    "statement": _same_statement,
}
# Beyond transfers (whose key, a system and a status, is specific), two mentions must also
# state one of these alike: "the agreement" of one sentence and "an agreement" of another
# are not one claim because nothing tells them apart.
SHARED: dict[str, tuple[str, ...]] = {
    "meeting": ("place", "date"),
    "agreement": ("name", "date"),
    "exercise": ("name",),
    "combat_use": ("place", "date"),
}


def _dates_agree(a: Row, b: Row) -> bool:
    """Equal, or one range inside the other ("August 2025" and "1 August 2025"); an undated side agrees."""
    if not a["date_start"] or not b["date_start"]:
        return a["date_value"] == b["date_value"] or not a["date_value"] or not b["date_value"]
    a_in_b = b["date_start"] <= a["date_start"] and a["date_end"] <= b["date_end"]  # type: ignore[operator]
    b_in_a = a["date_start"] <= b["date_start"] and b["date_end"] <= a["date_end"]  # type: ignore[operator]
    return a_in_b or b_in_a


def _stated_alike(a: Row, b: Row, slot: str) -> bool:
    column = "date_value" if slot == "date" else slot
    return bool(a[column]) and _words(a[column]) == _words(b[column])


def agree(a: Row, b: Row) -> bool:
    """True when ``a`` and ``b`` (one document, one type) can state one claim."""
    kind = str(a["claim_type"])
    if kind != b["claim_type"] or a["doc_id"] != b["doc_id"]:
        return False
    if any(a[c] != b[c] for c in SAME.get(kind, ("polarity",))):
        return False
    if (a["start_char"], a["end_char"]) == (b["start_char"], b["end_char"]):
        return False  # two items of one sentence ("Mi-24 and Mi-35P helicopters") are two claims
    if kind in KEY and not KEY[kind](a, b):
        return False
    if kind in SHARED and not any(_stated_alike(a, b, slot) for slot in SHARED[kind]):
        return False
    for slot in SLOTS.get(kind, ()):
        if slot == "date":
            if not _dates_agree(a, b):
                return False
        elif a[slot] and b[slot] and _words(a[slot]) != _words(b[slot]):
            return False
    return True


def _explicitness(row: Row) -> int:
    """How many slots the mention's own sentence states (a borrowed date does not count)."""
    kind = str(row["claim_type"])
    stated = sum(1 for s in SLOTS.get(kind, ()) if s != "date" and row[s])
    dated = bool(row["date_value"]) and not row.get(WEAK_DATE)
    return stated + dated + bool(row["quote"]) + len(str(row["people"]).split(";")) * bool(row["people"])


def _rank(row: Row, i: int) -> tuple[bool, int, int, int]:
    """Which mention of a group speaks for it: one naming the system and status itself
    (not "the jets", not "will deliver"), then the most explicit, then the earliest."""
    return bool(row.get(INDIRECT)), -_explicitness(row), int(row["start_char"]), i  # type: ignore[call-overload]


def _fill(rep: Row, others: list[Row]) -> None:
    """Empty slots of ``rep`` from its restatements, most explicit first; ``basis`` says where."""
    notes = []
    for slot in SLOTS.get(str(rep["claim_type"]), ()):
        if slot == "quantity" and not rep["weapon_id"] and any(o["weapon_id"] for o in others):
            continue
        column = "date_value" if slot == "date" else slot
        if rep[column] and not (slot == "date" and rep.get(WEAK_DATE)):
            continue
        source = next((o for o in others if o[column] and not (slot == "date" and o.get(WEAK_DATE))), None)
        if source is None:
            continue
        if slot == "date":
            rep.update({c: source[c] for c in DATE_COLUMNS})
            rep[WEAK_DATE], rep[DATE_OUTSIDE] = "", True
        else:
            rep[column] = source[column]
        notes.append(f"{slot} from the restatement at {source['start_char']}-{source['end_char']}")
    if notes:
        rep["basis"] = "; ".join(str(x) for x in (rep["basis"], *notes) if x)


CATEGORY = "_category"  # internal: a transfer's category (weapons.csv, or the generic phrase's lexicon value)


def _summarises(summary: Row, row: Row) -> bool:
    return bool(row["weapon_id"]) and int(summary["end_char"]) <= int(row["start_char"]) and \
        all(summary[c] == row[c] for c in ("polarity", "status")) and \
        all(not summary[c] or not row[c] or summary[c] == row[c] for c in ("supplier", "recipient")) and \
        _dates_agree(summary, row)


def absorb_summaries(rows: list[Row]) -> list[Row]:
    """A generic transfer that sums up the named ones after it ("Mali received planes and
    helicopters from Russia on Tuesday", then the list of types) is their restatement: it is
    dropped, its span joins each one's ``other_spans`` and its supplier and date fill theirs.
    It must fit one of them by category and give no count of its own."""
    kept = []
    for summary in rows:
        if summary["weapon_id"] or summary["quantity"] or not summary.get(CATEGORY):
            kept.append(summary)
            continue
        words = _words(summary[CATEGORY])
        covered = [r for r in rows if _summarises(summary, r)]
        if not any(words == "arms" or words in _words(r.get(CATEGORY, "")) for r in covered):
            kept.append(summary)
            continue
        for row in covered:
            span = f"{summary['start_char']}-{summary['end_char']}"
            row["other_spans"] = ";".join(x for x in (str(row["other_spans"]), span) if x)
            _fill(row, [summary])
    return kept


def merge(rows: list[Row]) -> list[Row]:
    """Rows with every document's restatements merged, in their original order."""
    order = sorted(range(len(rows)), key=lambda i: _rank(rows[i], i))
    groups: list[list[int]] = []
    for i in order:
        fits = [g for g in groups if rows[g[0]]["claim_type"] == rows[i]["claim_type"]
                and all(agree(rows[i], rows[j]) for j in g)]
        if fits:  # a restatement that fits two claims restates the one the document states first
            min(fits, key=lambda g: min(int(rows[j]["start_char"]) for j in g)).append(i)  # type: ignore[call-overload]
        else:
            groups.append([i])
    kept = []
    for group in groups:
        rep, others = rows[group[0]], [rows[j] for j in group[1:]]
        if others:
            spans = sorted({(int(o["start_char"]), int(o["end_char"])) for o in others  # type: ignore[call-overload]
                            if (o["start_char"], o["end_char"]) != (rep["start_char"], rep["end_char"])})
            rep["other_spans"] = ";".join(f"{s}-{e}" for s, e in spans)
            _fill(rep, others)
        kept.append(group[0])
    return [rows[i] for i in sorted(kept)]
