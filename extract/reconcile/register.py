"""The transfer register: reconciled transfer claims laid out as a SIPRI-style trade register.

One row per supplier, recipient and weapon designation; a family-level claim ("Su-30") joins
the row of the one variant of that family the claims name ("Su-30SME"). The order claims give
the year(s) and number ordered; each delivery claim is a batch with its own year, number and
sources (``deliveries``: "2022: 2 [a]; 2023: 2 [b]"), as SIPRI's "Year(s) of delivery" keeps
years apart, and ``number_delivered`` adds the batches up. The row's status is the furthest
reached. Negated and hypothetical claims give no figures; they are named in the comments, as
are conflicts between sources and statuses outside the order-to-delivery line.

What the analyst decided counts: a rejected claim feeds no row; a claim marked ``needs_check``
is named in the row's ``review``. Values not stated by the claims' own sentences carry their
``uncertain`` flags, and ``direction`` warns when the supplier and recipient may be reversed.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping, NamedTuple

import pandas as pd

STAGES = ("negotiating", "offered", "ordered", "delivered", "in_service")  # furthest last
OTHER = ("inspected", "repair", "other")
UNDATED = "undated"


class _Claim(NamedTuple):
    """The cells of a transfer claim the register reads, as text."""
    claim_id: str
    supplier: str
    recipient: str
    weapon_id: str
    weapon: str
    family: str
    status: str
    quantity: str
    polarity: str
    date_value: str
    conflicts: str
    doc_ids: str
    outlets: str
    uncertain: str
    review_status: str
    review_note: str


def _join(values: Iterable[object], sep: str = "; ") -> str:
    return sep.join(dict.fromkeys(str(v) for v in values if v not in ("", None)))


def _as_text(claims: Iterable[Mapping[str, object]]) -> list[_Claim]:
    """The transfer claims not rejected by the analyst (a rejected claim feeds nothing), in
    order; a missing value is "" and any other is made text as pandas' ``astype(str)`` does."""
    columns = list(_Claim._fields)
    df = pd.DataFrame([c for c in claims if c["claim_type"] == "transfer"], columns=columns).fillna("").astype(str)
    rows = map(_Claim._make, zip(*(df[c].tolist() for c in columns)))
    return [c for c in rows if c.review_status != "rejected"]


def _systems(claims: list[_Claim]) -> list[str]:
    """The designation each claim's register row is keyed by: a family-level claim beside exactly
    one named variant of that family (same supplier and recipient) takes that variant."""
    variants: dict[tuple[str, str, str], set[str]] = {}
    for c in claims:
        if c.family and c.weapon != c.family:
            variants.setdefault((c.supplier, c.recipient, c.family), set()).add(c.weapon)
    single = {key: next(iter(names)) for key, names in variants.items() if len(names) == 1}
    return [single.get((c.supplier, c.recipient, c.family), c.weapon) if c.family and c.weapon == c.family
            else c.weapon for c in claims]


def _designation(group: list[_Claim]) -> str:
    """The variant the group's claims name most often (ties: the first in sorted order, as
    pandas' ``mode``), else the first claim's weapon."""
    counts = Counter(c.weapon for c in group if c.weapon != c.family and c.weapon)
    if not counts:
        return group[0].weapon
    most = max(counts.values())
    return min(name for name, n in counts.items() if n == most)


def _batches(deliveries: list[_Claim]) -> list[tuple[str, str, str]]:
    """(year, number, outlets) of each delivery batch in year order; two claims of one year and
    number are one batch stated twice, their sources joined."""
    batches: dict[tuple[str, str], list[str]] = {}
    for c in deliveries:
        batches.setdefault((c.date_value[:4] or UNDATED, c.quantity), []).extend(c.outlets.split(";"))
    return [(year, number, _join(outlets, ", ")) for (year, number), outlets in
            sorted(batches.items(), key=lambda kv: (kv[0][0] == UNDATED, kv[0][0], kv[0][1]))]


def _direction(supplier: str, recipient: str, origin: str, designation: str, reversed_too: bool) -> str:
    """Warnings that supplier and recipient may be wrong: the recipient is the country the system
    comes from (weapons.csv origin), the supplier is not, or other claims give the opposite direction."""
    warnings = []
    if origin and recipient == origin and supplier != origin:
        warnings.append(f"recipient {recipient} is the origin of {designation}: reversed?")
    elif origin and supplier and supplier != origin:
        warnings.append(f"supplier {supplier} is not the origin of {designation} ({origin}): second-hand, "
                        f"re-export or wrong supplier?")
    if reversed_too:
        warnings.append(f"other claims give {recipient} -> {supplier} for {designation}")
    return "; ".join(warnings)


def register(claims: Iterable[Mapping[str, object]], weapons: Mapping[str, tuple[str, str]]) -> list[dict[str, object]]:
    """Register rows from the claims, sorted by supplier, recipient and the designation the rows
    are keyed by (``_systems``); ``weapons`` maps a gazetteer id to (category, origin)."""
    kept = _as_text(claims)
    groups: dict[tuple[str, str, str], list[_Claim]] = {}
    for c, system in zip(kept, _systems(kept)):
        groups.setdefault((c.supplier, c.recipient, system), []).append(c)
    rows = []
    for (supplier, recipient, system), group in sorted(groups.items()):
        live = [c for c in group if c.polarity == "asserted"]
        orders = sorted((c for c in live if c.status == "ordered"), key=lambda c: (c.date_value[:4], c.claim_id))
        designation = _designation(group)
        weapon_id = next((c.weapon_id for c in group if c.weapon == designation), "")
        category, origin = weapons.get(weapon_id, ("", "")) if weapon_id else (designation, "")
        batches = _batches([c for c in live if c.status in ("delivered", "in_service")])
        stages = [c.status for c in live if c.status in STAGES]
        comments = [c.conflicts for c in group if c.conflicts]
        comments += [f"also {c.status} ({c.doc_ids})" for c in live if c.status in OTHER]
        comments += [f"{c.polarity} {c.status} claim ({c.doc_ids})" for c in group if c.polarity != "asserted"]
        numbers = [int(n) for _, n, _ in batches if n.isdigit()]
        rows.append({
            "recipient": recipient, "supplier": supplier,
            "year_of_order": _join(c.date_value[:4] for c in orders),
            "number_ordered": _join(c.quantity for c in orders),
            "weapon_designation": designation,
            "weapon_description": category,
            "number_delivered": str(sum(numbers)) if numbers else "",
            "years_of_delivery": _join(sorted({y for y, _, _ in batches if y != UNDATED})),
            "deliveries": "; ".join(f"{y}: {n or '?'} [{o}]" for y, n, o in batches),
            "status": max(stages, key=STAGES.index) if stages else _join(c.status for c in group),
            "uncertain": _join(sorted({f for c in group for f in c.uncertain.split("; ") if f})),
            "review": "; ".join(f"needs_check {c.claim_id}" + (f" ({c.review_note})" if c.review_note else "")
                                for c in group if c.review_status == "needs_check"),
            "direction": _direction(supplier, recipient, origin, designation,
                                    bool(supplier) and (recipient, supplier, system) in groups),
            "comments": " | ".join(comments),
            "claim_ids": ";".join(sorted(c.claim_id for c in group)),
            "doc_ids": ";".join(sorted({d for c in group for d in c.doc_ids.split(";") if d})),
        })
    return rows
