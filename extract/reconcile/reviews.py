"""The review round-trip: an analyst's decision survives every edit, rerun and new document.

Decisions are typed into ``reviews.csv`` (claim_id, review_status, review_note, reviewer,
reviewed_at, and any columns of the analyst's own) or into the review_status / review_note
columns of ``claims.csv``. Every run:

1. **Reads what changed since the last run.** ``review_log.csv`` (append-only) holds every
   decision ever read; the current decision of a claim is its last ``set``, ``undo`` or
   ``moved`` entry. From it follows exactly what the last run wrote into reviews.csv, and
   ``.review-state.json`` records what it wrote into claims.csv. A row of reviews.csv that the
   last run did not write, or a claims.csv status or note that differs from what it wrote, is
   a new decision; an unchanged file never overrides an edited one. When both files change
   the same claim differently, the file saved later wins and the other decision is logged as
   ``overridden`` and listed in the summary.
2. **Normalises statuses** ("Accepted", " needs check" -> accepted, needs_check). Anything
   else is kept verbatim in reviews.csv and the log, listed in the summary as not applied,
   until someone corrects it.
3. **Undo** is an empty status: clear review_status in claims.csv (or in reviews.csv, keeping
   the row). The claim is unreviewed again; the log keeps the history. A row deleted from
   reviews.csv is *not* an undo (a filtered or half-saved sheet must not erase decisions): it
   is restored from the log and the summary says so.
4. **Follows content.** Each decision keeps the mention ids of the claim it was made on. A
   decision whose claim id is gone (its claim merged into another or split) moves to the
   claim holding its mentions, logged as ``moved`` and listed in the summary; if no claim
   holds them it stays in reviews.csv as orphaned, never deleted, never guessed.

Files that cannot be understood (``sheet.SheetError``) are refused before anything is
written. ``merge`` is called at the end of a run, so decisions saved while the run was
working are included; ``Outcome.stale`` tells whether either file changed since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..schema import CLAIM_COLUMNS, REVIEW_COLUMNS, REVIEW_LOG_COLUMNS, REVIEW_STATUSES
from . import sheet
from .ids import mention_ids

LOG = "review_log.csv"
REVIEW_FILES = ("reviews.csv", "claims.csv")  # the files an analyst types decisions into
STATE = ".review-state.json"
CLAIM_ID = r"c-[0-9a-f]{12}"
ALIASES = {"id": "claim_id", "claim": "claim_id", "status": "review_status", "decision": "review_status",
           "note": "review_note", "notes": "review_note", "comment": "review_note", "comments": "review_note",
           "by": "reviewer", "date": "reviewed_at", "reviewed_on": "reviewed_at"}
Decision = tuple[str, str]
Shown = tuple[str, str, dict[str, str]]  # what claims.csv shows of a decision: status, note, analysts' columns


def normal_status(text: str) -> str | None:
    """'Needs check ' -> 'needs_check', '' -> '', and None for anything that is not a status."""
    key = re.sub(r"[\s\-]+", "_", text.strip().casefold())
    return key if key == "" or key in REVIEW_STATUSES else None


@dataclass
class Entry:
    """One decision as read from a file (a row of review_log.csv)."""

    claim_id: str
    status: str
    note: str
    reviewer: str
    reviewed_at: str
    action: str
    source: str
    mention_ids: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    seq: int = 0

    @property
    def decision(self) -> Decision:
        return self.status, self.note

    def shown(self, columns: Iterable[str]) -> Shown:
        """The decision as claims.csv shows it, with the analysts' ``columns`` it has."""
        return self.status, self.note, {c: self.extra[c] for c in columns if self.extra.get(c)}

    def review_row(self) -> dict[str, str]:
        return {"claim_id": self.claim_id, "review_status": self.status, "review_note": self.note,
                "reviewer": self.reviewer, "reviewed_at": self.reviewed_at, **self.extra}

    def log_row(self) -> dict[str, object]:
        return {**self.review_row(), "seq": self.seq, "action": self.action, "source": self.source,
                "mention_ids": self.mention_ids, "extra": json.dumps(self.extra, ensure_ascii=False, sort_keys=True)
                if self.extra else ""}

    def kept(self) -> bool:
        return bool(self.status or self.note or any(self.extra.values()))


def entry(row: Mapping[str, str], source: str, **defaults: str) -> Entry:
    """A decision from a row of reviews.csv or claims.csv: the status normalised when known."""
    raw = row.get("review_status", "")
    status = normal_status(raw)
    extra = {k: v for k, v in row.items() if k not in REVIEW_COLUMNS and v}
    claim_id = row.get("claim_id", "").strip()
    return Entry(claim_id, raw if status is None else status, row.get("review_note", ""),
                 row.get("reviewer", "") or defaults.get("reviewer", ""),
                 row.get("reviewed_at", "") or defaults.get("reviewed_at", ""),
                 "not_applied" if status is None or not claim_id else ("set" if status else "undo"), source,
                 extra=extra)


def row_key(row: Mapping[str, str]) -> tuple[str, ...]:
    """A reviews.csv row for comparison: the review columns and the non-empty extra cells."""
    return tuple(row.get(c, "").strip() for c in REVIEW_COLUMNS) + \
        tuple(f"{k}={v}" for k, v in sorted(row.items()) if k not in REVIEW_COLUMNS and v)


def derive(entries: Iterable[Entry]) -> tuple[dict[str, Entry], dict[str, list[Entry]]]:
    """The current decision of every claim, and the not-applied entries newer than it."""
    applied: dict[str, Entry] = {}
    pending: dict[str, list[Entry]] = {}
    for e in entries:
        if e.action in ("set", "undo", "moved"):
            if e.action == "moved":
                applied.pop(e.source, None)
            applied[e.claim_id] = e
            pending.pop(e.claim_id, None)
        elif e.action == "not_applied":
            pending.setdefault(e.claim_id, []).append(e)
    return {k: e for k, e in applied.items() if e.kept()}, pending


def _fingerprint(output: Path) -> tuple[object, ...]:
    """What reviews.csv and claims.csv are now: inode, size, modification time and a hash of the
    bytes (a save within one tick of a coarse file-system clock still shows)."""
    def one(path: Path) -> object:
        try:
            stat = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size, stat.st_ino, digest
    return tuple(one(output / name) for name in REVIEW_FILES)


def _mtime(path: Path) -> int:
    return path.stat().st_mtime_ns if path.exists() else 0


def read_log(output: Path) -> list[Entry]:
    log = sheet.read(output / LOG, REVIEW_LOG_COLUMNS, "claim_id")
    if log is None:
        return []
    entries = []
    for line, row in log.rows:
        try:
            extra = json.loads(row.get("extra") or "{}")
        except json.JSONDecodeError as exc:
            raise sheet.SheetError(f"{log.path} line {line}: the extra column is not JSON ({exc.msg})") from exc
        entries.append(Entry(row.get("claim_id", ""), row.get("review_status", ""), row.get("review_note", ""),
                             row.get("reviewer", ""), row.get("reviewed_at", ""), row.get("action", ""),
                             row.get("source", ""), row.get("mention_ids", ""), extra, len(entries) + 1))
    return entries


def read_state(output: Path) -> dict[str, dict[str, object]] | None:
    path = output / STATE
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise sheet.SheetError(f"{path}: not readable ({exc}); move it away to start from review_log.csv") from exc
    return state if isinstance(state, dict) else None


def _reviews(output: Path) -> sheet.Sheet | None:
    return sheet.read(output / "reviews.csv", REVIEW_COLUMNS, "claim_id", ALIASES, CLAIM_ID)


def _claims(output: Path) -> sheet.Sheet | None:
    return sheet.read(output / "claims.csv", CLAIM_COLUMNS, "claim_id", key_pattern=CLAIM_ID)


def check(output: Path) -> dict[str, list[str]]:
    """Refuse (``SheetError``) before a run if a review file cannot be understood; returns the
    previous run's claims (claim id -> mention ids) for ``ids.assign``."""
    read_log(output)
    _reviews(output)
    state = read_state(output)
    claims = _claims(output)
    if state and isinstance(state.get("claims"), dict):
        return {str(k): str(v).split(";") for k, v in state["claims"].items()}
    if claims is None or "mention_ids" not in claims.columns:
        return {}
    return {row["claim_id"].strip(): row["mention_ids"].split(";") for _, row in claims.rows if row["claim_id"]}


class SavedDuringCommit(sheet.SheetError):
    """A review file was saved after the run merged it and before the commit would replace it."""


@dataclass
class Outcome:
    output: Path
    fingerprint: tuple[object, ...]
    entries: list[Entry]
    rows: list[dict[str, str]]      # reviews.csv
    decisions: list[dict[str, str]]  # the current decision of each claim (reviews.csv without the rows not applied)
    columns: tuple[str, ...]        # reviews.csv header: REVIEW_COLUMNS and the analysts' own columns
    shown: dict[str, Shown]         # what claims.csv shows, for the next run to compare against
    orphaned: list[str]
    report: list[str]

    def stale(self) -> bool:
        """Has reviews.csv or claims.csv changed since they were read?"""
        return _fingerprint(self.output) != self.fingerprint

    def ensure_unchanged(self) -> None:
        """Raise ``SavedDuringCommit`` if a review file changed since it was merged (the last
        check before the commit replaces it: see ``OutputSet.guard``)."""
        if self.stale():
            raise SavedDuringCommit(f"{' or '.join(str(self.output / n) for n in REVIEW_FILES)} was saved while "
                                    f"this run was committing its outputs, after the run had read it")

    @property
    def claim_columns(self) -> tuple[str, ...]:
        """claims.csv header: CLAIM_COLUMNS, then the analysts' own columns (of either file)."""
        return CLAIM_COLUMNS + _claim_extras(self.columns)

    def state(self, claims: Sequence[Mapping[str, object]]) -> dict[str, object]:
        return {"version": 1, "shown": {k: list(v[:2]) + ([v[2]] if v[2] else [])
                                        for k, v in sorted(self.shown.items())},
                "claims": {str(c["claim_id"]): str(c["mention_ids"]) for c in claims}}


def _claim_extras(columns: Iterable[str]) -> tuple[str, ...]:
    """The analysts' own columns that claims.csv shows: not review columns, not claims.csv's own."""
    return tuple(c for c in columns if c not in REVIEW_COLUMNS and c not in CLAIM_COLUMNS)


def _view(e: Entry) -> Shown:
    """A decision as claims.csv shows it."""
    return e.shown(_claim_extras(e.extra))


def _read_shown(value: Sequence[object]) -> Shown:
    """A ``shown`` entry of the state file: [status, note] or [status, note, {column: value}]."""
    extra = value[2] if len(value) > 2 and isinstance(value[2], dict) else {}
    return str(value[0]), str(value[1]), {str(k): str(v) for k, v in extra.items()}


def merge(output: Path, claims: list[dict[str, object]], seen: Mapping[str, Sequence[str]]) -> Outcome:
    """Read both review files, log what changed, and set review_status / review_note on ``claims``.
    ``seen`` is the previous run's claims (claim id -> mention ids): the content each decision is on."""
    fingerprint = _fingerprint(output)
    entries = read_log(output)
    state = read_state(output)
    reviews, claims_sheet = _reviews(output), _claims(output)
    report: list[str] = []
    before, pending_before = derive(entries)
    current = {str(c["claim_id"]): mention_ids(c) for c in claims}

    # 1. reviews.csv: every row the last run did not write is a new decision, in file order
    written = Counter(row_key(e.review_row()) for e in [*before.values(), *sum(pending_before.values(), [])])
    new_reviews: list[Entry] = []
    for line, row in reviews.rows if reviews else []:
        key = row_key(row)
        if written[key] > 0:
            written[key] -= 1
            continue
        new_reviews.append(entry(row, f"reviews.csv:{line}"))
    if entries and (missing := sum(written.values())):
        report.append(f"{missing} decision row(s) missing from reviews.csv were restored from {LOG} (a deleted row "
                      f"is not an undo: clear its review_status to undo)")
    after_reviews, _ = derive([*entries, *new_reviews])

    # 2. claims.csv: a status, note or analyst's cell that differs from what the last run showed
    stored = (state or {}).get("shown")
    shown_before = {str(k): _read_shown(v) for k, v in stored.items()} if isinstance(stored, dict) and stored else \
        {k: e.shown(_claim_extras(e.extra)) for k, e in before.items()}
    new_claims: list[Entry] = []
    if claims_sheet and "review_status" in claims_sheet.columns:
        saved = dt.datetime.fromtimestamp(_mtime(output / "claims.csv") / 1e9, dt.timezone.utc).date().isoformat()
        for line, row in claims_sheet.rows:
            claim_id = row["claim_id"].strip()
            shown = shown_before.get(claim_id, ("", "", {}))
            previous = after_reviews.get(claim_id)
            # a column missing from the sheet keeps its value (only a cleared cell clears it), and so do the
            # analysts' columns claims.csv cannot show (named like its own)
            hidden = {k: v for k, v in (previous.extra if previous else {}).items() if not _claim_extras((k,))}
            typed = {**hidden, **shown[2], **{c: row[c] for c in claims_sheet.extra},
                     "claim_id": claim_id, "review_status": row["review_status"],
                     "review_note": row.get("review_note", shown[1])}
            new = entry(typed, f"claims.csv:{line}", reviewer="claims.csv", reviewed_at=saved)
            if _view(new) == shown or (new.action != "not_applied" and previous is not None and
                                       _view(previous) == _view(new)):
                continue
            if new.action != "not_applied" and previous is None and not new.kept():
                continue  # cleared something that had no decision
            new_claims.append(new)

    # 3. both files changed one claim differently: the one saved later wins
    claims_later = _mtime(output / "claims.csv") > _mtime(output / "reviews.csv")
    for new in new_claims:
        if new.action == "not_applied":
            continue
        rivals = [e for e in new_reviews if e.claim_id == new.claim_id and e.action != "not_applied" and
                  e.decision != (before[e.claim_id].decision if e.claim_id in before else ("", ""))]
        if not rivals:
            continue
        losers, winner = (rivals, new) if claims_later else ([new], rivals[-1])
        for loser in losers:
            loser.action = "overridden"
        report.append(f"conflict on {new.claim_id}: reviews.csv says {rivals[-1].status or '(no status)'!r}, "
                      f"claims.csv says {new.status or '(no status)'!r}; {winner.source.split(':')[0]} was saved "
                      f"later and applies (the other is kept in {LOG})")

    fresh = [*new_reviews, *new_claims]
    for e in fresh:
        e.mention_ids = ";".join(seen.get(e.claim_id) or current.get(e.claim_id) or [])
    entries += fresh

    # 4. each decision onto the claim holding its content
    applied, _ = derive(entries)
    holder = {m: claim_id for claim_id, mentions in current.items() for m in mentions}
    misplaced: set[str] = set()  # ids held by a claim that shares nothing with the decision's content
    moves: list[Entry] = []
    for claim_id, e in sorted(applied.items()):
        reviewed = {m for m in e.mention_ids.split(";") if m}
        if claim_id in current and (not reviewed or reviewed & set(current[claim_id])):
            lost = (reviewed & set(seen.get(claim_id, ()))) - set(current[claim_id])
            elsewhere = sorted({holder[m] for m in lost if m in holder})
            if elsewhere:
                report.append(f"{claim_id} split: its decision stays; {len(lost)} of the mentions it was made on "
                              f"are now in {', '.join(elsewhere)} (not reviewed)")
            continue
        if claim_id in current:
            misplaced.add(claim_id)
        targets = Counter(holder[m] for m in reviewed if m in holder).most_common()
        if not targets or (len(targets) > 1 and targets[0][1] == targets[1][1]):
            if targets:
                report.append(f"{claim_id}: its mentions are now split evenly over "
                              f"{', '.join(t for t, _ in targets)}; the decision is kept, not moved")
            continue
        target = targets[0][0]
        if target in applied and applied[target].decision != e.decision and target not in misplaced:
            report.append(f"{claim_id}: its mentions are now in {target}, which has a different decision "
                          f"({applied[target].status!r}); kept, not moved")
            continue
        moves.append(replace(e, claim_id=target, action="moved", source=claim_id, seq=0))
        report.append(f"moved: the decision {e.status or e.note!r} on {claim_id} follows its mentions to {target}")
    entries += moves
    for n, e in enumerate(entries, 1):
        e.seq = n
    applied, pending = derive(entries)

    extra_columns = tuple(dict.fromkeys(k for e in entries for k in e.extra))
    shown: dict[str, Shown] = {}
    for claim in claims:
        claim_id = str(claim["claim_id"])
        decided = applied[claim_id] if claim_id in applied and claim_id not in misplaced else None
        view = _view(decided) if decided else ("", "", {})
        claim["review_status"], claim["review_note"] = view[:2]
        claim.update({c: view[2].get(c, "") for c in _claim_extras(extra_columns)})
        if decided:
            shown[claim_id] = view
    for claim_id, waiting in sorted(pending.items()):
        for e in waiting:
            report.append(f"not applied: {e.source} {claim_id or '(no claim_id)'}: review_status {e.status!r} is "
                          f"not one of {', '.join(REVIEW_STATUSES)}; kept in reviews.csv" +
                          ("" if claim_id else "; a claim_id is needed"))
    orphaned = sorted(k for k in applied if k not in current or k in misplaced)
    rows = sorted([*applied.values(), *sum(pending.values(), [])], key=lambda e: (e.claim_id, e.seq))
    return Outcome(output, fingerprint, entries, [e.review_row() for e in rows],
                   [applied[k].review_row() for k in sorted(applied)], REVIEW_COLUMNS + extra_columns, shown, orphaned,
                   report)
