"""The review round-trip: analysts' decisions survive reruns.

Decisions come from ``reviews.csv`` (claim_id, review_status, review_note, reviewer,
reviewed_at) and from edits to the review_status / review_note columns of the previous
``claims.csv``; an edit in claims.csv that differs from reviews.csv is taken into reviews.csv
(reviewer "claims.csv"). The new claims.csv carries every decision whose claim still exists;
a decision whose claim no longer exists stays in reviews.csv and is reported, never deleted.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import REVIEW_COLUMNS, REVIEW_STATUSES

log = logging.getLogger(__name__)


@dataclass
class Reviews:
    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # claim_id -> review row
    orphaned: list[str] = field(default_factory=list)

    def apply(self, claims: list[dict[str, object]]) -> None:
        present = {str(c["claim_id"]) for c in claims}
        for claim in claims:
            review = self.rows.get(str(claim["claim_id"]))
            if review:
                claim["review_status"], claim["review_note"] = review["review_status"], review["review_note"]
        self.orphaned = sorted(set(self.rows) - present)
        for claim_id in self.orphaned:
            log.warning("reviews.csv: the reviewed claim %s is not among this run's claims; the decision is kept",
                        claim_id)

    def sorted_rows(self) -> list[dict[str, str]]:
        return [self.rows[k] for k in sorted(self.rows)]


def _read(path: Path) -> list[tuple[int, dict[str, str]]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]


def _valid(row: dict[str, str], where: str) -> bool:
    status = row.get("review_status", "").lstrip("'")
    if not row.get("claim_id"):
        log.warning("%s: review without claim_id skipped", where)
        return False
    if status and status not in REVIEW_STATUSES:
        log.warning("%s: review_status %r is not one of %s; kept but not applied", where, status,
                    ", ".join(REVIEW_STATUSES))
        return False
    return True


def load(output: Path) -> Reviews:
    reviews = Reviews()
    for line, row in _read(output / "reviews.csv"):
        if _valid(row, f"{output / 'reviews.csv'}:{line}"):
            reviews.rows[row["claim_id"]] = {c: row.get(c, "") for c in REVIEW_COLUMNS}
    for line, row in _read(output / "claims.csv"):
        status, note = row.get("review_status", "").lstrip("'"), row.get("review_note", "").lstrip("'")
        if not (status or note) or not _valid(row, f"{output / 'claims.csv'}:{line}"):
            continue
        known = reviews.rows.get(row["claim_id"])
        if known and (known["review_status"], known["review_note"]) == (status, note):
            continue
        reviews.rows[row["claim_id"]] = {"claim_id": row["claim_id"], "review_status": status, "review_note": note,
                                         "reviewer": "claims.csv", "reviewed_at": ""}
    return reviews
