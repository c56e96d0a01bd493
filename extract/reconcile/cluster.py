"""Merge mentions that state the same real-world claim into one claim row, with provenance.

1. **Blocking.** Mentions with the same slots and words in different documents (syndicated
   copies) are merged first. The rest are grouped by claim type and a key (transfer:
   family or generic category, status, polarity and recipient; combat_use: family;
   statement: speaker and polarity; meeting: each person; agreement and exercise: the set of
   parties), so the cost grows with block sizes, not with all pairs.
2. **Pairs.** Within a block, two mentions of different documents are a candidate pair when
   they are *compatible* on their key slots (``compatible``: same status, polarity, parties,
   a weapon that is the same system or its family, places in one country, meeting dates
   within ``meeting_date_slack_days``) and *similar* enough (``similarity``: rapidfuzz on
   the evidence and quotes, plus agreement of dates, quantities and names), above
   ``threshold[claim_type]``.
3. **Clusters.** Pairs are taken best first (ties by mention ids, so input order does not
   matter); two clusters join only if *every* pair across them is compatible (complete
   linkage): A~B and B~C never merge A with C when A and C disagree on status or variant.
4. **Merged values.** Each slot takes the value most documents support (ties: the more
   specific, then the earliest published); every other value is listed in ``conflicts``
   with the documents that give it, e.g. ``date: 2020 [001_...] vs 2022 [004_...]``.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import re
import tempfile
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from ..claims.mention import WEAK_DATE
from . import ids
from ..schema import CLAIM_COLUMNS

Row = Mapping[str, object]


@dataclass(frozen=True)
class Settings:
    """Every threshold and weight of the reconciler (documented in the README)."""

    threshold: Mapping[str, float] = field(default_factory=lambda: {
        "transfer": 0.45, "meeting": 0.50, "statement": 0.50, "agreement": 0.70, "combat_use": 0.60,
        "exercise": 0.60})
    min_text: Mapping[str, float] = field(default_factory=lambda: {
        "statement": 0.60, "meeting_undated": 0.75})  # text similarity a pair needs regardless of slots
    evidence_weight: float = 0.5         # share of the score from evidence/quote text similarity
    slot_weight: float = 0.5             # share from agreeing slots (date, quantity, place, name)
    no_slots: float = 0.3                # slot score of a pair with no slot to compare
    meeting_date_slack_days: int = 45    # two meetings of the same people further apart are different
    syndication_ratio: float = 95.0      # evidence this similar across documents: one origin, not two
    compatible_statuses: tuple[frozenset[str], ...] = ()  # extra status pairs that may merge (none by default)
    shingle: int = 4                     # statements are compared only if they share this many words in a row


DEFAULT = Settings()
SLOTS = ("supplier", "recipient", "weapon_id", "weapon", "family", "status", "quantity", "value_usd", "people",
         "speaker", "quote", "place", "parties", "name", "polarity", "attributed_to", "date_text", "date_value",
         "date_start", "date_end")
SIGNATURE = tuple(s for s in SLOTS if s != "attributed_to")  # syndicated copies agree on these and on the words
CONFLICT_SLOTS = ("weapon", "status", "quantity", "value_usd", "date_value", "place", "people", "name")
IDENTITY = {
    "transfer": ("supplier", "recipient", "family_or_weapon", "status", "polarity"),
    "combat_use": ("family_or_weapon", "parties", "polarity"),
    "meeting": ("people", "date_month", "polarity"),
    "statement": ("speaker", "date_month", "polarity"),
    "agreement": ("parties", "name", "date_month"),
    "exercise": ("parties", "name", "date_month"),
}


def _words(text: object) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", str(text).casefold().replace("defence", "defense")
                           .replace("co-operation", "cooperation")).split())


def family_key(row: Row) -> str:
    return str(row["family"] or row["weapon"]).casefold()


def blocks(row: Row) -> list[str]:
    kind = str(row["claim_type"])
    if kind == "transfer":  # status, polarity and recipient must agree anyway: they narrow the block
        return [f"{kind}|{family_key(row)}|{row['status']}|{row['polarity']}|{row['recipient']}"]
    if kind == "combat_use":
        return [f"{kind}|{family_key(row)}"]
    if kind == "statement":
        return [f"{kind}|{_words(row['speaker'])}|{row['polarity']}"]
    if kind == "meeting":
        return [f"{kind}|{p.casefold()}" for p in str(row["people"]).split(";") if p] or [f"{kind}|"]
    return [f"{kind}|{';'.join(sorted(str(row['parties']).split(';')))}"]


_day = lru_cache(maxsize=65536)(dt.date.fromisoformat)


def _dated(row: Row) -> bool:
    """Has a date the text states or anchors (not one inferred or borrowed from the previous sentence)."""
    return bool(row["date_start"]) and not row.get(WEAK_DATE)


def _overlap(a: Row, b: Row, slack_days: int = 0) -> bool:
    """Do the two date ranges overlap (within ``slack_days``)? Unknown dates are no evidence; a
    guessed date (inferred year) counts only by its month, which the text did state (with a
    slack, the next or previous month fits too)."""
    if not (a["date_start"] and b["date_start"]):
        return True
    if not (_dated(a) and _dated(b)):
        va, vb = str(a["date_value"]), str(b["date_value"])
        if va[5:7] and vb[5:7]:
            gap = abs(int(va[5:7]) - int(vb[5:7]))
            return min(gap, 12 - gap) <= (1 if slack_days else 0)
        return va[:4] == vb[:4]
    a0, a1 = _day(str(a["date_start"])), _day(str(a["date_end"]))
    b0, b1 = _day(str(b["date_start"])), _day(str(b["date_end"]))
    slack = dt.timedelta(days=slack_days)
    return a0 - slack <= b1 and b0 - slack <= a1


def _start(row: Row) -> int:
    """The first day of a mention's stated date (``_dated``) as an ordinal, else 0."""
    return _day(str(row["date_start"])).toordinal() if _dated(row) else 0


def _outlet(row: Row) -> str:
    """The mention's outlet by name (manifest source), else its document."""
    return str(row.get("source") or row["doc_id"])


def merged_uncertainty(rows: list[Row], claim: Mapping[str, object], conflicts: list[str]) -> str:
    """A claim's '?' flags: a slot is ``disputed`` when the sources give different values, and
    ``inferred`` / ``context`` when every mention giving the claim's value flags it so (one source
    stating it in its own sentence is enough to lift the flag)."""
    flags: dict[str, str] = {}
    for conflict in conflicts:
        flags[conflict.split(":", 1)[0]] = "disputed"
    marks: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        row_flags = dict(f.split(": ", 1) for f in str(row.get("uncertain") or "").split("; ") if ": " in f)
        for slot in ("supplier", "recipient", "weapon", "speaker", "parties", "place", "date"):
            column = "date_value" if slot == "date" else slot
            if claim.get(column) and row.get(column) == claim[column]:
                marks[slot].add(row_flags.get(slot, ""))
    for slot, kinds in marks.items():
        if "" not in kinds and slot not in flags:
            flags[slot] = sorted(kinds)[0]
    return "; ".join(f"{slot}: {kind}" for slot, kind in flags.items())


def _units(keys: list[list[str]]) -> list[list[int]]:
    """Groups of mentions that share block keys, transitively (union-find): a block, or the
    meeting blocks of people who meet each other. Clustering never crosses a unit."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for own in keys:
        for key in own:
            parent.setdefault(key, key)
        for key in own[1:]:
            parent[root(key)] = root(own[0])
    units: dict[str, list[int]] = defaultdict(list)
    for r, own in enumerate(keys):
        units[root(own[0])].append(r)
    return list(units.values())


class MentionTable(Sequence[Row]):
    """Mention rows kept on disk: each row a marshalled tuple in an anonymous temporary file (in
    ``directory``, by default the system's; it goes with the table), with only its end offset in
    memory, and given back as a new dict. A million mentions then take 8 MB of memory, and the
    reconciler turns only one unit at a time back into dicts. The short values read back are
    shared (one string object for every "transfer", country or date), so the claims made of
    them do not each hold a copy."""

    BUFFER = 1 << 20  # bytes gathered before a write
    UNSHARED = ("mention_id", "evidence", "quote")  # nearly always unique: not worth a lookup

    def __init__(self, rows: Iterable[Mapping[str, object]] = (), directory: Path | None = None) -> None:
        self.columns: tuple[str, ...] = ()
        self._file = tempfile.TemporaryFile(dir=directory)
        self._ends = array("q")          # row i is the bytes from _ends[i - 1] (0 for the first) to _ends[i]
        self._pending = bytearray()      # the last rows, not yet written
        self._written = 0
        self._shared: dict[str, str] = {}
        self._unshared: tuple[bool, ...] = ()
        self.extend(rows)

    def extend(self, rows: Iterable[Mapping[str, object]]) -> None:
        for row in rows:
            if not self.columns:
                self.columns = tuple(row)
                self._unshared = tuple(c in self.UNSHARED for c in self.columns)
            self._pending += marshal.dumps(tuple(row.get(c, "") for c in self.columns))
            self._ends.append(self._written + len(self._pending))
            if len(self._pending) >= self.BUFFER:
                self._flush()

    def _flush(self) -> None:
        os.pwrite(self._file.fileno(), self._pending, self._written)
        self._written += len(self._pending)
        self._pending.clear()

    def _row(self, data: bytes) -> dict[str, object]:
        shared = self._shared.setdefault
        return {c: v if own or not isinstance(v, str) else shared(v, v)
                for c, v, own in zip(self.columns, marshal.loads(data), self._unshared)}

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if self._pending:
            self._flush()
        start = self._ends[index - 1] if index else 0
        return self._row(os.pread(self._file.fileno(), self._ends[index] - start, start))

    def __iter__(self) -> Iterator[dict[str, object]]:
        """The rows in order, read a buffer at a time."""
        if self._pending:
            self._flush()
        start = 0
        for first in range(0, len(self), self.BUFFER // 256):
            last = min(first + self.BUFFER // 256, len(self))
            data = os.pread(self._file.fileno(), self._ends[last - 1] - start, start)
            for i in range(first, last):
                yield self._row(data[(self._ends[i - 1] if i else 0) - start:self._ends[i] - start])
            start = self._ends[last - 1]


def units(mentions: Sequence[Row]) -> list[list[int]]:
    """The units of ``mentions`` (lists of positions): the blocks, with the meeting blocks of
    people who meet each other joined. A unit is reconciled without any other
    (``Reconciler.unit_claims``)."""
    return _units([blocks(m) for m in mentions])


VECTOR_MIN = 48     # blocks from this size are scored with cdist and numpy
VECTOR_ROWS = 256   # rows of a block scored at once (memory: rows x block size)
SPARSE = 0.2        # below this share of pairs that may fit, texts are compared pair by pair
BOUNDED = 0.85      # pairs that need a text similarity above this are bounded first (most fall short)
DATE_LIMITED = ("meeting", "agreement", "exercise")  # kinds whose dates must fit: parts sorted by date
WILDCARD = {"transfer": "supplier", "combat_use": "parties", "meeting": "place"}  # see Reconciler._parts
# every slot ``compatible`` and ``blocks`` read for these kinds (``Reconciler._cluster_unit``; tested)
FIT_SLOTS = dict.fromkeys(("transfer", "combat_use"), ("claim_type", "polarity", "family", "weapon", "weapon_id",
                                                      "supplier", "recipient", "parties", "status", "quantity"))


class BlockScores:
    """``Reconciler.similarity`` of the pairs of a block, as numpy arrays: the same numbers (the
    same float operations in the same order), a chunk of rows at a time. The pairs that may fit
    (``_may_fit``) are found for the whole chunk; their texts are scored by rapidfuzz ``cdist``
    over the chunk when many may fit, else by ``cpdist`` on just those pairs."""

    def __init__(self, reconciler: "Reconciler", rows: list[Row]) -> None:
        self.settings = reconciler.settings
        self.judged = 0
        self.kind = str(rows[0]["claim_type"])
        self.threshold = self.settings.threshold.get(self.kind, 1.0)
        self.named = np.array([bool(r["name"]) for r in rows])
        self.evidence = [reconciler._token_set(r["evidence"]) for r in rows]
        self.quote = [reconciler._token_set(r["quote"]) for r in rows]
        self.quoted = np.array([bool(r["quote"]) for r in rows])
        self._bounds: dict[str, TokenSets] = {}  # of the evidence, of the quotes
        self.slots: list[tuple[np.ndarray, np.ndarray]] = []  # per slot: codes (0 = empty), agreement codes
        for slot in ("quantity", "place", "name", "value_usd"):
            values = [r[slot] if r[slot] else None for r in rows]
            same = [reconciler.place_country.get(str(v).casefold(), str(v).casefold()) if slot == "place" and v
                    else v for v in values]
            self.slots.append((_codes(values), _codes(same)))
        self.dated_value = _codes([r["date_value"] if r["date_value"] else None for r in rows])
        self.has_start = np.array([bool(r["date_start"]) for r in rows])
        self.strong = np.array([_dated(r) for r in rows])
        self.start = np.array([_start(r) for r in rows])
        self.end = np.array([_day(str(r["date_end"])).toordinal() if _dated(r) else 0 for r in rows])
        values = [str(r["date_value"]) for r in rows]
        self.has_month = np.array([bool(v[5:7]) for v in values])
        self.month = np.array([int(v[5:7]) if v[5:7] else 0 for v in values])  # ValueError: judge pair by pair
        self.year = _codes([v[:4] for v in values])

    def _text(self, x: np.ndarray, y: np.ndarray, chunk: tuple[np.ndarray, ...] | None) -> np.ndarray:
        """token_set_ratio / 100 of the pairs (x, y) (quotes when both quote, else the evidence):
        by ``cdist`` over ``chunk`` (its rows and columns, and where x and y are in them), else by
        ``cpdist`` pair by pair."""
        quoted = self.quoted[x] & self.quoted[y]
        found = np.zeros(len(x))
        for texts, which in ((self.evidence, ~quoted), (self.quote, quoted)):
            if not which.any():
                continue
            if chunk is not None:
                rows, cols, i, j = chunk
                found[which] = process.cdist([texts[k] for k in rows], [texts[k] for k in cols],
                                             scorer=fuzz.token_set_ratio, dtype=np.float64, workers=1)[i[which], j[which]]
            else:
                found[which] = process.cpdist([texts[i] for i in x[which]], [texts[j] for j in y[which]],
                                              scorer=fuzz.token_set_ratio, dtype=np.float64, workers=1)
        return found / 100.0

    def _dates(self, x: np.ndarray, y: np.ndarray, slack_days: int = 0) -> np.ndarray:
        """``_overlap`` (with ``slack_days``) for the pairs of mention indices ``x`` and ``y`` (arrays
        that broadcast: two vectors, or a column and a row for all pairs of a chunk)."""
        both_strong = self.strong[x] & self.strong[y]
        ranges = (self.start[x] - slack_days <= self.end[y]) & (self.start[y] - slack_days <= self.end[x])
        gap = np.abs(self.month[x] - self.month[y])
        months = np.minimum(gap, 12 - gap) <= (1 if slack_days else 0)
        guessed = np.where(self.has_month[x] & self.has_month[y], months, self.year[x] == self.year[y])
        fit = np.where(both_strong, ranges, guessed)
        return fit | ~(self.has_start[x] & self.has_start[y])

    def _slots(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The slot score of the pairs (x, y): the share of the slots both give that agree."""
        checks = np.zeros(len(x))
        agree = np.zeros(len(x))
        for codes, same in self.slots:
            both = (codes[x] > 0) & (codes[y] > 0)
            checks += both
            agree += both & (same[x] == same[y])
        both = (self.dated_value[x] > 0) & (self.dated_value[y] > 0)
        checks += both
        agree += both & ((self.dated_value[x] == self.dated_value[y]) | self._dates(x, y))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(checks > 0, agree / checks, self.settings.no_slots)

    def _keep(self, text: np.ndarray, slots: np.ndarray, x: np.ndarray, y: np.ndarray,
              margin: float = 0.0) -> np.ndarray:
        """Pairs whose score reaches the threshold (undated meetings: whose text also reaches the
        words ``compatible`` asks for), given their text similarity (0-1) less ``margin``."""
        score = self.settings.evidence_weight * text + self.settings.slot_weight * slots
        keep = score >= self.threshold - margin
        if self.kind == "meeting":  # undated meetings must also say the same words (``compatible``)
            keep &= (self.has_start[x] & self.has_start[y]) | \
                (text >= self.settings.min_text["meeting_undated"] - margin)
        return keep

    def above_threshold(self, part: Sequence[int], lead: int) -> Iterator[tuple[int, int, float]]:
        """The pairs of ``part`` (positions in the block) that may fit and score at least the
        threshold, as (position, position, score); only pairs with one of the first ``lead``. The
        texts are scored only where an upper bound of their similarity (``TokenSets.bound``) could
        still reach what the pair needs: the others would score below it (the margin covers the
        rounding of the bound's own arithmetic)."""
        order = np.asarray(part, dtype=np.int64)
        for first in range(0, lead, VECTOR_ROWS):
            rows, cols = order[first:min(lead, first + VECTOR_ROWS)], order[first:]
            may = (np.arange(len(rows))[:, None] < np.arange(len(cols))[None, :]) & \
                self._may_fit(rows[:, None], cols[None, :])
            i, j = np.nonzero(may)
            if not len(i):
                continue
            x, y = rows[i], cols[j]
            slots = self._slots(x, y)
            bound = np.ones(len(x))  # no text scores above 1; bounded where a pair needs more than BOUNDED
            hard = ~self._keep(np.full(len(x), BOUNDED), slots, x, y) & self._keep(bound, slots, x, y)
            quoted = self.quoted[x] & self.quoted[y]
            for slot, which in (("evidence", hard & ~quoted), ("quote", hard & quoted)):
                if which.any():
                    if slot not in self._bounds:  # made when first needed
                        self._bounds[slot] = TokenSets(getattr(self, slot))
                    bound[which] = self._bounds[slot].bound(rows, cols, i[which], j[which])
            reach = self._keep(bound, slots, x, y, margin=1e-9)
            i, j, x, y, slots = i[reach], j[reach], x[reach], y[reach], slots[reach]
            if not len(i):
                continue
            self.judged += len(x)
            used = np.zeros(len(cols), dtype=bool)
            used[j] = True  # the columns some row of the chunk may fit
            dense = len(x) > SPARSE * len(rows) * int(used.sum())
            text = self._text(x, y, (rows, cols[used], i, (np.cumsum(used) - 1)[j]) if dense else None)
            score = self.settings.evidence_weight * text + self.settings.slot_weight * slots
            for k in np.nonzero(self._keep(text, slots, x, y))[0]:
                yield int(x[k]), int(y[k]), float(score[k])

    def _may_fit(self, x: np.ndarray, y: np.ndarray) -> np.ndarray | bool:
        """False where ``compatible`` is false for sure: dated meetings too far apart, agreements
        and exercises without two names whose dates do not overlap."""
        undated = ~(self.has_start[x] & self.has_start[y])
        if self.kind == "meeting":
            return undated | self._dates(x, y, self.settings.meeting_date_slack_days)
        if self.kind in ("agreement", "exercise"):
            return undated | self._dates(x, y) | (self.named[x] & self.named[y])
        return True


class TokenSets:
    """The token-set texts of a block (``Reconciler._token_set``: distinct words, sorted, joined by
    spaces), with what bounds ``fuzz.token_set_ratio`` of many pairs at once: lengths, words as
    numbers and character counts. token_set_ratio splits two texts A and B into the words they
    share (I, joined: length s) and the rest (DA, DB), and takes the best of
    ``100 - 100 d / (len A + len B)``, d the Indel distance of joined DA and joined DB, and
    ``100 - 100 (len A - s) / (len A + s)`` and the same for B; 100 when one set holds the other,
    0 when one is empty. Each character deleted or inserted changes the count of one character by
    one, so d is at least the difference of the character counts of joined DA and joined DB, which
    is that of A and B (I's characters are in neither; the spaces differ by ``|A| - |B|`` words
    in both), and counting characters in buckets only lowers it. With the exact lengths and s
    (``shared``), ``bound`` is never below the score (tested against rapidfuzz)."""

    BUCKETS = 32

    def __init__(self, texts: list[str]) -> None:
        vocabulary: dict[str, int] = {}
        words = [[vocabulary.setdefault(w, len(vocabulary)) for w in t.split()] for t in texts]
        self.length = np.array([len(t) for t in texts], dtype=np.int64)
        self.start = np.cumsum([0] + [len(w) for w in words], dtype=np.int64)
        self.words = np.fromiter((w for own in words for w in own), dtype=np.int64, count=int(self.start[-1]))
        self.weight = np.array([len(w) + 1 for w in vocabulary], dtype=np.int64)  # a shared word and its space
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32) % self.BUCKETS
        owner = np.repeat(np.arange(len(texts), dtype=np.int64), self.length)
        self.chars = np.bincount(codes * len(texts) + owner, minlength=len(texts) * self.BUCKETS
                                 ).reshape(self.BUCKETS, len(texts)).astype(np.int32)  # per bucket, per text

    def _flat(self, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The words of ``items`` (text numbers) as (position in items, word) pairs."""
        counts = self.start[items + 1] - self.start[items]
        owner = np.repeat(np.arange(len(items), dtype=np.int64), counts)
        return owner, self.words[_ranges(self.start[items], counts)]

    def shared(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The length of the joined shared words, plus one (0: none shared), of every (row, col)."""
        row_of, row_words = self._flat(rows)
        col_of, col_words = self._flat(cols)
        order = np.argsort(col_words, kind="stable")
        col_of, col_words = col_of[order], col_words[order]
        low = np.searchsorted(col_words, row_words, "left")
        counts = np.searchsorted(col_words, row_words, "right") - low
        cell = np.repeat(row_of, counts) * len(cols) + col_of[_ranges(low, counts)]
        return np.bincount(cell, weights=np.repeat(self.weight[row_words], counts),
                           minlength=len(rows) * len(cols)).reshape(len(rows), len(cols))

    def bound(self, rows: np.ndarray, cols: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """An upper bound (0-1) of token_set_ratio / 100 of the pairs (rows[i], cols[j])."""
        x, y = rows[i], cols[j]
        used, at = np.unique(j, return_inverse=True)  # only the columns of some pair
        shared = self.shared(rows, cols[used])[i, at]
        sect = np.maximum(shared - 1, 0)
        a, b = self.length[x], self.length[y]
        apart = np.zeros(len(x), dtype=np.int64)
        for counts in self.chars:
            apart += np.abs(counts[x] - counts[y])
        with np.errstate(invalid="ignore", divide="ignore"):
            best = np.maximum.reduce([100.0 - 100.0 * apart / (a + b),
                                      np.where(shared > 0, 100.0 - 100.0 * (a - sect) / (a + sect), 0.0),
                                      np.where(shared > 0, 100.0 - 100.0 * (b - sect) / (b + sect), 0.0)])
        best[(shared > 0) & ((sect == a) | (sect == b))] = 100.0
        best[(a == 0) | (b == 0)] = 0.0
        return best / 100.0


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions start, start + 1, ..., start + count - 1 of every (start, count), in one array."""
    ends = np.cumsum(counts)
    return np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64) + np.repeat(starts - ends + counts, counts)


def _codes(values: list[object]) -> np.ndarray:
    """Equal values get equal positive codes; None gets 0."""
    table: dict[object, int] = {}
    return np.array([0 if v is None else table.setdefault(v, len(table) + 1) for v in values], dtype=np.int64)


class Reconciler:
    def __init__(self, settings: Settings = DEFAULT, place_country: Mapping[str, str] | None = None,
                 published: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.place_country = {k.casefold(): v for k, v in (place_country or {}).items()}
        self.published = published or {}
        self._normal_cache: dict[str, str] = {}
        self._token_sets: dict[str, str] = {}
        self._shingle_sets: dict[str, set[tuple[str, ...]]] = {}
        self.judged = 0  # pairs whose similarity was computed (the bench reports it)

    # ---------------------------------------------------------------- pair tests

    def _same_place(self, a: object, b: object) -> bool:
        if not a or not b:
            return True
        pa, pb = str(a).casefold(), str(b).casefold()
        return pa == pb or self.place_country.get(pa, pa) == self.place_country.get(pb, pb)

    def _statuses_fit(self, a: str, b: str) -> bool:
        return a == b or any({a, b} <= pair for pair in self.settings.compatible_statuses)

    def compatible(self, a: Row, b: Row) -> bool:
        if a["claim_type"] != b["claim_type"] or a["polarity"] != b["polarity"]:
            return False
        kind = a["claim_type"]
        if kind in ("transfer", "combat_use"):
            if family_key(a) != family_key(b):
                return False
            for slot in ("supplier", "recipient") if kind == "transfer" else ("parties",):
                if a[slot] and b[slot] and a[slot] != b[slot]:
                    return False
            if kind == "transfer" and not self._statuses_fit(str(a["status"]), str(b["status"])):
                return False
            wa, wb = a["weapon_id"], b["weapon_id"]
            if wa and wb and wa != wb and a["weapon"] != a["family"] and b["weapon"] != b["family"]:
                # two variants of one family: the same deal only if the counts agree
                return bool(a["quantity"]) and a["quantity"] == b["quantity"]
            return True
        if kind == "meeting":
            people_a, people_b = set(str(a["people"]).split(";")), set(str(b["people"]).split(";"))
            if not (people_a & people_b and self._same_place(a["place"], b["place"])):
                return False
            if a["date_start"] and b["date_start"]:
                return _overlap(a, b, self.settings.meeting_date_slack_days)
            return self._text(a, b) >= self.settings.min_text["meeting_undated"]  # undated: the same words
        if kind == "statement":
            return self._normal(a["speaker"]) == self._normal(b["speaker"]) and \
                self._said(a, b, self.settings.min_text["statement"])
        if kind in ("agreement", "exercise"):
            if a["name"] and b["name"]:
                return fuzz.token_set_ratio(_words(a["name"]), _words(b["name"])) >= 90
            return _overlap(a, b)
        return False

    def _texts(self, a: Row, b: Row) -> tuple[str, str]:
        """The normalised words compared: the quotes when both quote, else the evidence."""
        slot = "quote" if a["quote"] and b["quote"] else "evidence"
        return self._normal(a[slot]), self._normal(b[slot])

    def _normal(self, text: object) -> str:
        key = str(text)
        if key not in self._normal_cache:
            self._normal_cache[key] = _words(key)
        return self._normal_cache[key]

    def _token_set(self, text: object) -> str:
        """The distinct normalised words of ``text`` in sorted order: what ``token_set_ratio``
        compares (the same score as on the text itself), without splitting and sorting it again
        for every pair."""
        key = str(text)
        if key not in self._token_sets:
            self._token_sets[key] = " ".join(sorted(set(self._normal(key).split())))
        return self._token_sets[key]

    def _text(self, a: Row, b: Row) -> float:
        """Similarity (0-1) of the quotes, else of the evidence sentences."""
        return fuzz.token_set_ratio(*self._texts(a, b)) / 100.0

    def _said(self, a: Row, b: Row, needed: float) -> bool:
        """Are two statements the same words? The mean of rapidfuzz token_sort_ratio (same words)
        and partial_ratio (one quote inside the other) must reach ``needed`` (0-1): strict enough
        to keep apart two different quotes of one speaker that share vocabulary."""
        text_a, text_b = self._texts(a, b)
        sort = fuzz.token_sort_ratio(text_a, text_b)
        rest = 200.0 * needed - sort  # what partial_ratio must reach
        if rest > 100:
            return False
        if fuzz.ratio(text_a, text_b) >= rest:  # partial_ratio is never below ratio, and far slower
            return True
        return fuzz.partial_ratio(text_a, text_b, score_cutoff=max(rest, 0)) >= rest

    def similarity(self, a: Row, b: Row) -> float:
        evidence = self._text(a, b)
        checks = []
        for slot in ("date_value", "quantity", "place", "name", "value_usd"):
            if a[slot] and b[slot]:
                same = a[slot] == b[slot] or (slot == "date_value" and _overlap(a, b)) or \
                    (slot == "place" and self._same_place(a[slot], b[slot]))
                checks.append(1.0 if same else 0.0)
        slots = sum(checks) / len(checks) if checks else self.settings.no_slots
        return self.settings.evidence_weight * evidence + self.settings.slot_weight * slots

    # ---------------------------------------------------------------- clustering

    def clusters(self, mentions: Sequence[Row]) -> list[list[int]]:
        """Clusters of mention indices, each sorted by mention id, in order of their first id."""
        ids = [str(m["mention_id"]) for m in mentions]
        found = [[unit[i] for i in cluster] for unit in units(mentions)
                 for cluster in self.unit_clusters([mentions[i] for i in unit])]
        return sorted(found, key=lambda m: ids[m[0]])

    def unit_clusters(self, rows: Sequence[Row]) -> list[list[int]]:
        """Clusters of the mentions of one unit (``units``), as positions in ``rows``, each sorted
        by mention id. Syndicated copies are merged up front: their slots are the same, so they
        are always in one unit."""
        ids = [str(m["mention_id"]) for m in rows]
        groups = self._identical(rows, ids)
        reps = [rows[g[0]] for g in groups]
        docs = [frozenset(str(rows[i]["doc_id"]) for i in g) for g in groups]
        keys = [blocks(row) for row in reps]
        return [sorted((i for r in members for i in groups[r]), key=lambda k: ids[k])
                for members in self._cluster_unit(list(range(len(reps))), reps, keys, docs, [ids[g[0]] for g in groups])]

    def unit_claims(self, rows: Sequence[Row]) -> list[dict[str, object]]:
        """The merged claims (no ``claim_id`` yet) of the mentions of one unit: the step that
        needs no other unit, so units can be reconciled apart (one at a time, or on a Dask
        worker each); ``finish`` then gives the ids and the order."""
        claims = [self.merge([rows[i] for i in cluster]) for cluster in self.unit_clusters(rows)]
        for cache in (self._normal_cache, self._token_sets, self._shingle_sets):
            cache.clear()  # the texts of one unit seldom come back in another
        return claims

    def finish(self, claims: list[dict[str, object]],
               previous: Mapping[str, Sequence[str]] | None = None) -> list[dict[str, object]]:
        """All units' claims with their ids (``previous``: last run's claim id -> mention ids, keeps
        ids in place, see ``ids.assign``), in the order of claims.csv."""
        ids.assign(claims, self.identity, previous)
        return sorted(claims, key=lambda c: (CLAIM_ORDER[str(c["claim_type"])], str(c["first_published"] or "9999"),
                                             str(c["claim_id"])))

    def _cluster_unit(self, unit: list[int], rows: list[Row], keys: list[list[str]], docs: list[frozenset[str]],
                      ids: list[str]) -> list[list[int]]:
        """Complete-linkage clusters of a unit (one block, or the meeting blocks joined by shared
        people): similar pairs best first (ties by mention ids); two clusters join only if no
        document is in both and *every* pair across them is compatible, so A~B and B~C never merge
        A with C when A and C disagree."""
        index: dict[str, list[int]] = defaultdict(list)
        for r in unit:
            for key in keys[r]:
                index[key].append(r)
        pairs: list[tuple[float, tuple[str, str], int, int]] = []
        for key, members in index.items():
            for x, y, score in self._similar(key, members, rows):
                if len(keys[x]) > 1 and len(keys[y]) > 1 and key != min(set(keys[x]) & set(keys[y])):
                    continue  # a pair sharing several blocks is judged in its first one only
                pairs.append((-score, (ids[x], ids[y]) if ids[x] < ids[y] else (ids[y], ids[x]), x, y))
        if not pairs:
            return [[r] for r in unit]
        kind = str(rows[unit[0]]["claim_type"])
        statements = kind == "statement"
        shingles = {r: self._shingles(rows[r]) for r in unit} if statements else {}
        known: dict[tuple[int, int], bool] = {}

        def fits(x: int, y: int) -> bool:
            """Compatible, and judged: the two share a block (statements: and a shingle)."""
            pair = (x, y) if x < y else (y, x)
            found = known.get(pair)
            if found is None:
                found = known[pair] = bool(set(keys[x]) & set(keys[y])) and \
                    (not statements or bool(shingles[x] & shingles[y])) and self.compatible(rows[x], rows[y])
            return found

        # ``fits`` of two mentions equal on FIT_SLOTS is that of any two others equal to them there, so a
        # cluster is tested by its distinct slot tuples (each the first mention that gives it), not its members
        slots = FIT_SLOTS.get(kind)
        first: dict[tuple[object, ...], int] = {}
        like = {r: first.setdefault(tuple(rows[r][s] for s in slots), r) if slots else r for r in unit}
        cluster_of = {r: r for r in unit}
        members_of: dict[int, list[int]] = {r: [r] for r in unit}
        tuples_of: dict[int, set[int]] = {r: {like[r]} for r in unit}
        docs_of: dict[int, set[str]] = {r: set(docs[r]) for r in unit}
        # A label names one cluster that only grows (an absorbed cluster's label is never used
        # again), and a shared document or an incompatible pair across two clusters stays when
        # either grows: two labels that failed to join never join, and are not tested again.
        refused: set[tuple[int, int]] = set()
        for _score, _ids, x, y in sorted(pairs):
            cx, cy = cluster_of[x], cluster_of[y]
            if cx == cy or (cx, cy) in refused:
                continue
            if not docs_of[cx].isdisjoint(docs_of[cy]) or \
                    not all(fits(u, v) for u in tuples_of[cx] for v in tuples_of[cy]):
                # one document states a claim once; complete linkage: every pair across must be
                # compatible, no chaining
                refused.update(((cx, cy), (cy, cx)))
                continue
            if len(members_of[cx]) < len(members_of[cy]):
                cx, cy = cy, cx
            for r in members_of[cy]:
                cluster_of[r] = cx
            members_of[cx] += members_of.pop(cy)
            tuples_of[cx] |= tuples_of.pop(cy)
            docs_of[cx] |= docs_of.pop(cy)
        return list(members_of.values())

    def _similar(self, key: str, members: list[int], rows: Sequence[Row]) -> Iterator[tuple[int, int, float]]:
        """The pairs of a block that are compatible and similar enough, with their score. A
        statement pair must share a run of ``shingle`` words: the same statement always does, two
        different quotes of one speaker rarely do, and this keeps a speaker with hundreds of
        statements from costing all pairs. Other blocks are judged per part (``_parts``); in a
        large block the pairs are scored with numpy and rapidfuzz (``BlockScores``), and only those
        above the threshold are tested for compatibility."""
        if key.startswith("statement|"):
            yield from self._judge(self._shingle_pairs(members, rows), rows)
            return
        parts = self._parts(key, members, rows)
        scores = None
        if len(members) >= VECTOR_MIN:
            try:
                scores = BlockScores(self, [rows[m] for m in members])
            except ValueError:  # a month that is not a number: judged pair by pair, like the rest
                scores = None
        if scores is None:
            for part, lead in parts:
                yield from self._judge(((members[part[i]], members[part[j]]) for i in range(lead)
                                        for j in range(i + 1, len(part))), rows)
            return
        for part, lead in parts:
            for x, y, score in scores.above_threshold(part, lead):
                if self.compatible(rows[members[x]], rows[members[y]]):
                    yield members[x], members[y], score
        self.judged += scores.judged

    def _judge(self, candidates: Iterable[tuple[int, int]], rows: Sequence[Row]) -> Iterator[tuple[int, int, float]]:
        """The candidate pairs that are compatible and score at least the threshold, one by one."""
        for x, y in candidates:
            a, b = rows[x], rows[y]
            self.judged += 1
            if self.compatible(a, b):
                score = self.similarity(a, b)
                if score >= self.settings.threshold.get(str(a["claim_type"]), 1.0):
                    yield x, y, score

    def _parts(self, key: str, members: list[int], rows: Sequence[Row]) -> list[tuple[list[int], int]]:
        """Exact sub-blocks of a block, as positions in ``members``: mentions of different
        polarities never fit, nor those that give different values of a slot that must agree for
        ``compatible`` (transfer supplier, combat-use parties, the country of a meeting's place),
        while a mention without a value fits all of its polarity. Each
        part is (positions, lead): the value's mentions first, then those without a value, and the
        pairs judged are those with one of the first ``lead``; the mentions without a value form
        the last part. So every pair that may fit is judged once, and no other. Meetings,
        agreements and exercises are in date order, undated first (dense and banded chunks)."""
        kind = key.split("|", 1)[0]
        positions = range(len(members))
        if kind in DATE_LIMITED:
            positions = sorted(positions, key=lambda p: _start(rows[members[p]]))
        slot = WILDCARD.get(kind)
        by_value: dict[object, dict[object, list[int]]] = defaultdict(lambda: defaultdict(list))
        for p in positions:
            row = rows[members[p]]
            value = row[slot] if slot else ""
            if slot == "place" and value:
                value = self.place_country.get(str(value).casefold(), str(value).casefold())
            by_value[row["polarity"]][value or ""].append(p)  # polarities must be equal
        parts = []
        for values in by_value.values():
            free = values.pop("", [])
            parts += [(own + free, len(own)) for own in values.values()] + [(free, len(free))]
        return parts

    def _shingles(self, row: Row) -> set[tuple[str, ...]]:
        """Runs of ``shingle`` words of a statement's quote, else its evidence."""
        text = str(row["quote"] or row["evidence"])
        if text not in self._shingle_sets:  # asked for by the pairs, then by the clusters
            words, size = self._normal(text).split(), self.settings.shingle
            self._shingle_sets[text] = {tuple(words[i:i + size]) for i in range(max(1, len(words) - size + 1))}
        return self._shingle_sets[text]

    def _shingle_pairs(self, members: list[int], rows: Sequence[Row]) -> Iterator[tuple[int, int]]:
        """Pairs of a statement block that share a shingle, each once."""
        by_shingle: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for member in members:
            for shingle in self._shingles(rows[member]):
                by_shingle[shingle].append(member)
        seen: set[tuple[int, int]] = set()
        for sharing in by_shingle.values():
            for n, x in enumerate(sharing):
                for y in sharing[n + 1:]:
                    pair = (min(x, y), max(x, y))
                    if pair not in seen:
                        seen.add(pair)
                        yield pair

    def _identical(self, mentions: Sequence[Row], ids: list[str]) -> list[list[int]]:
        """Mentions of different documents with the same slots and the same words: one group each."""
        groups: list[list[int]] = []
        open_groups: dict[tuple[object, ...], tuple[list[int], set[object]]] = {}  # members, their documents
        for i in sorted(range(len(mentions)), key=lambda k: ids[k]):
            m = mentions[i]
            signature = (tuple(m[s] for s in SIGNATURE), self._normal(m["quote"] or m["evidence"]))
            found = open_groups.get(signature)
            if found is not None and m["doc_id"] not in found[1]:
                found[0].append(i)
                found[1].add(m["doc_id"])
                continue
            open_groups[signature] = ([i], {m["doc_id"]})
            groups.append(open_groups[signature][0])
        return groups

    # ---------------------------------------------------------------- merging

    def _best(self, rows: list[Row], slot: str) -> tuple[str, list[str]]:
        """The value most documents give (ties: most specific, then earliest published); conflicts."""
        support: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            if row[slot] not in ("", None):
                support[str(row[slot])].add(str(row["doc_id"]))
        if len(support) < 2:  # one value: it is the best, and there is no conflict
            return next(iter(support), ""), []

        def rank(value: str) -> tuple[int, int, str, str]:
            first = min(self.published.get(d, "9999") for d in support[value])
            return (-len(support[value]), -len(value), first, value)

        ordered = sorted(support, key=rank)
        best = ordered[0]
        if slot == "weapon":
            families = {str(r["family"]) for r in rows}
            specific = [v for v in ordered if v not in families]
            best = specific[0] if specific else best
            ordered = [best] + [v for v in ordered if v != best and v not in families]
        elif slot == "date_value":
            ordered = [best] + [v for v in ordered[1:] if not (v.startswith(best) or best.startswith(v))]
        else:
            ordered = [best] + ordered[1:]
        conflicts = []
        if len(ordered) > 1 and slot in CONFLICT_SLOTS:
            conflicts = [f"{slot.replace('_value', '')}: " + " vs ".join(
                f"{v} [{', '.join(sorted(support[v]))}]" for v in ordered)]
        return best, conflicts

    def merge(self, rows: list[Row]) -> dict[str, object]:
        claim: dict[str, object] = {c: "" for c in CLAIM_COLUMNS}
        conflicts: list[str] = []
        if len(rows) == 1:  # what ``_best`` gives for one mention: its value, no conflict
            claim.update((slot, "" if rows[0][slot] in ("", None) else str(rows[0][slot])) for slot in SLOTS)
        for slot in SLOTS if len(rows) > 1 else ():
            value, found = self._best(rows, slot)
            claim[slot] = value
            conflicts += found
        best_date = next((r for r in rows if r["date_value"] == claim["date_value"]), rows[0])
        claim.update(date_text=best_date["date_text"], date_start=best_date["date_start"],
                     date_end=best_date["date_end"], date_basis=best_date.get("date_basis", ""))
        if claim["weapon"]:
            source = next(r for r in rows if r["weapon"] == claim["weapon"])
            claim.update(weapon_id=source["weapon_id"], family=source["family"])
        docs = sorted({str(r["doc_id"]) for r in rows})
        by_doc = sorted({str(r["doc_id"]): r for r in rows}.values(), key=lambda r: str(r["doc_id"]))
        claim["uncertain"] = merged_uncertainty(rows, claim, conflicts)
        claim.update(
            claim_type=rows[0]["claim_type"], n_sources=len(docs), n_independent=self.independent(rows),
            doc_ids=";".join(docs), mention_ids=";".join(sorted(str(r["mention_id"]) for r in rows)),
            outlets=";".join(dict.fromkeys(_outlet(r) for r in by_doc)),
            urls=";".join(dict.fromkeys(str(r.get("url") or "") for r in by_doc if r.get("url"))),
            titles=" | ".join(dict.fromkeys(str(r.get("title") or "") for r in by_doc if r.get("title"))),
            first_published=min((self.published[d] for d in docs if self.published.get(d)), default=""),
            conflicts="; ".join(conflicts), evidence=self._clearest(rows))
        return claim

    def independent(self, rows: list[Row]) -> int:
        """Distinct outlets and origins: a relayed source ("told TASS"), the articles of one outlet
        (manifest source), the same quote and near-identical (syndicated) texts each count once."""
        if len(rows) == 1:
            return 1
        origins: list[tuple[str, str]] = []
        for row in rows:
            key = f"source:{row['attributed_to'] or _outlet(row)}"
            text = _words(row["quote"] or row["evidence"])
            if any(key == k or fuzz.ratio(text, t) >= self.settings.syndication_ratio for k, t in origins):
                continue
            origins.append((key, text))
        return len(origins)

    @staticmethod
    def _clearest(rows: list[Row]) -> str:
        """The shortest evidence among those that give the most slots."""
        if len(rows) == 1:
            return str(rows[0]["evidence"])

        def filled(row: Row) -> int:
            return sum(1 for s in SLOTS if row[s] not in ("", None))
        return str(min(rows, key=lambda r: (-filled(r), len(str(r["evidence"])), str(r["mention_id"])))["evidence"])

    # ---------------------------------------------------------------- ids

    @staticmethod
    def identity(claim: Mapping[str, object]) -> str:
        parts = [str(claim["claim_type"])]
        for slot in IDENTITY[str(claim["claim_type"])]:
            if slot == "family_or_weapon":
                parts.append(str(claim["family"] or claim["weapon"]).casefold())
            elif slot == "date_month":
                parts.append(str(claim["date_value"])[:7])
            else:
                parts.append(";".join(sorted(str(claim[slot]).casefold().split(";"))))
        return "|".join(parts)

    def reconcile(self, mentions: Sequence[Row],
                  previous: Mapping[str, Sequence[str]] | None = None) -> list[dict[str, object]]:
        """The claims of ``mentions``, one unit at a time (``unit_claims``, then ``finish``)."""
        return self.finish([claim for unit in units(mentions)
                            for claim in self.unit_claims([mentions[i] for i in unit])], previous)


CLAIM_ORDER = {t: i for i, t in enumerate(("transfer", "meeting", "statement", "agreement", "combat_use", "exercise"))}
