"""The transfer register: reconciled transfer claims laid out as a SIPRI-style trade register.

One row per supplier, recipient and weapon designation; a family-level claim ("Su-30") joins
the row of the one variant of that family the claims name ("Su-30SME"). The order claims give the year(s) and number ordered, the delivery
claims the number and years delivered, and the row's status is the furthest reached.
Negated and hypothetical claims give no figures; they are named in the comments, as are
conflicts between sources and statuses outside the order-to-delivery line.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Mapping

STAGES = ("negotiating", "offered", "ordered", "delivered", "in_service")  # furthest last
OTHER = ("inspected", "repair", "other")


def _year(claim: Mapping[str, object]) -> str:
    return str(claim["date_value"])[:4]


def _join(values: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def register(claims: Iterable[Mapping[str, object]], categories: Mapping[str, str]) -> list[dict[str, object]]:
    transfers = [c for c in claims if c["claim_type"] == "transfer"]
    variants: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for c in transfers:
        if c["family"] and c["weapon"] != c["family"]:
            variants[(str(c["supplier"]), str(c["recipient"]), str(c["family"]))].add(str(c["weapon"]))
    groups: dict[tuple[str, str, str], list[Mapping[str, object]]] = defaultdict(list)
    for c in transfers:
        supplier, recipient, family = str(c["supplier"]), str(c["recipient"]), str(c["family"])
        system = str(c["weapon"])
        known = variants.get((supplier, recipient, family), set())
        if family and system == family and len(known) == 1:
            system = next(iter(known))  # "Su-30" beside a single named variant: that variant's row
        groups[(supplier, recipient, system)].append(c)
    rows = []
    for (supplier, recipient, _system), members in sorted(groups.items()):
        asserted = [c for c in members if c["polarity"] == "asserted"]
        orders = [c for c in asserted if c["status"] == "ordered"]
        deliveries = [c for c in asserted if c["status"] in ("delivered", "in_service")]
        specific = [str(c["weapon"]) for c in members if c["weapon"] and c["weapon"] != c["family"]]
        designation = max(specific, key=specific.count) if specific else str(members[0]["weapon"])
        weapon_id = next((str(c["weapon_id"]) for c in members if c["weapon"] == designation), "")
        stages = [str(c["status"]) for c in asserted if c["status"] in STAGES]
        comments = [str(c["conflicts"]) for c in members if c["conflicts"]]
        comments += [f"also {c['status']} ({c['doc_ids']})" for c in asserted if c["status"] in OTHER]
        comments += [f"{c['polarity']} {c['status']} claim ({c['doc_ids']})" for c in members
                     if c["polarity"] != "asserted"]
        rows.append({
            "recipient": recipient, "supplier": supplier,
            "year_of_order": _join(_year(c) for c in orders),
            "number_ordered": _join(str(c["quantity"]) for c in orders),
            "weapon_designation": designation,
            "weapon_description": categories.get(weapon_id, "") if weapon_id else designation,
            "number_delivered": _join(str(c["quantity"]) for c in deliveries),
            "years_of_delivery": _join(_year(c) for c in deliveries),
            "status": max(stages, key=STAGES.index) if stages else _join(str(c["status"]) for c in members),
            "comments": " | ".join(comments),
            "claim_ids": ";".join(sorted(str(c["claim_id"]) for c in members)),
            "doc_ids": ";".join(sorted({d for c in members for d in str(c["doc_ids"]).split(";")})),
        })
    return rows
