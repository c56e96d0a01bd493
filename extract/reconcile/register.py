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

from typing import Iterable, Mapping

import pandas as pd

STAGES = ("negotiating", "offered", "ordered", "delivered", "in_service")  # furthest last
OTHER = ("inspected", "repair", "other")
UNDATED = "undated"


def _join(values: Iterable[object], sep: str = "; ") -> str:
    return sep.join(dict.fromkeys(str(v) for v in values if v not in ("", None)))


def _system_rows(df: pd.DataFrame) -> pd.Series:
    """The designation each claim's register row is keyed by: a family-level claim beside exactly
    one named variant of that family (same supplier and recipient) takes that variant."""
    variant = df["family"].ne("") & df["weapon"].ne(df["family"])
    variants = df[variant].groupby(["supplier", "recipient", "family"])["weapon"].unique()
    single = {key: names[0] for key, names in variants.items() if len(names) == 1}
    keys = zip(df["supplier"], df["recipient"], df["family"])
    return pd.Series([single.get(key, weapon) if family and weapon == family else weapon
                      for key, weapon, family in zip(keys, df["weapon"], df["family"])], index=df.index)


def _batches(deliveries: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(year, number, outlets) of each delivery batch in year order; two claims of one year and
    number are one batch stated twice, their sources joined."""
    batches: dict[tuple[str, str], list[str]] = {}
    for year, number, outlets in zip(deliveries["year"], deliveries["quantity"], deliveries["outlets"]):
        batches.setdefault((year or UNDATED, str(number)), []).extend(str(outlets).split(";"))
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
    """Register rows from the claims; ``weapons`` maps a gazetteer id to (category, origin)."""
    df = pd.DataFrame([c for c in claims if c["claim_type"] == "transfer"],
                      columns=list(dict.fromkeys(("claim_id", "supplier", "recipient", "weapon_id", "weapon",
                                                  "family", "status", "quantity", "polarity", "date_value",
                                                  "conflicts", "doc_ids", "outlets", "uncertain",
                                                  "review_status", "review_note"))))
    df = df.fillna("").astype(str)
    df = df[df["review_status"] != "rejected"]  # the analyst's rejection: the claim feeds nothing
    if df.empty:
        return []
    df = df.assign(system=_system_rows(df), year=df["date_value"].str[:4])
    asserted = df["polarity"] == "asserted"
    pairs = set(zip(df["supplier"], df["recipient"], df["system"]))
    rows = []
    for (supplier, recipient, system), group in df.groupby(["supplier", "recipient", "system"], sort=True):
        live = group[asserted.loc[group.index]]
        orders = live[live["status"] == "ordered"].sort_values(["year", "claim_id"])
        deliveries = live[live["status"].isin(["delivered", "in_service"])]
        specific = group.loc[group["weapon"].ne(group["family"]) & group["weapon"].ne(""), "weapon"]
        designation = specific.mode().iloc[0] if not specific.empty else group["weapon"].iloc[0]
        weapon_id = next((w for w, name in zip(group["weapon_id"], group["weapon"]) if name == designation), "")
        category, origin = weapons.get(weapon_id, ("", "")) if weapon_id else (designation, "")
        batches = _batches(deliveries)
        stages = [s for s in live["status"] if s in STAGES]
        comments = [c for c in group["conflicts"] if c]
        comments += [f"also {s} ({d})" for s, d in zip(live["status"], live["doc_ids"]) if s in OTHER]
        comments += [f"{p} {s} claim ({d})" for p, s, d in zip(group["polarity"], group["status"], group["doc_ids"])
                     if p != "asserted"]
        checks = group[group["review_status"] == "needs_check"]
        numbers = [int(n) for _, n, _ in batches if n.isdigit()]
        rows.append({
            "recipient": recipient, "supplier": supplier,
            "year_of_order": _join(orders["year"]),
            "number_ordered": _join(orders["quantity"]),
            "weapon_designation": designation,
            "weapon_description": category,
            "number_delivered": str(sum(numbers)) if numbers else "",
            "years_of_delivery": _join(sorted({y for y, _, _ in batches if y != UNDATED})),
            "deliveries": "; ".join(f"{y}: {n or '?'} [{o}]" for y, n, o in batches),
            "status": max(stages, key=STAGES.index) if stages else _join(group["status"]),
            "uncertain": _join(sorted({f for cell in group["uncertain"] for f in cell.split("; ") if f})),
            "review": "; ".join(f"needs_check {c}" + (f" ({n})" if n else "")
                                for c, n in zip(checks["claim_id"], checks["review_note"])),
            "direction": _direction(supplier, recipient, origin, designation,
                                    bool(supplier) and (recipient, supplier, system) in pairs),
            "comments": " | ".join(comments),
            "claim_ids": ";".join(sorted(group["claim_id"])),
            "doc_ids": ";".join(sorted({d for cell in group["doc_ids"] for d in cell.split(";") if d})),
        })
    return rows
