"""Score outputs against a gold annotation (JSON Lines, schema in tests/data/GOLD_SCHEMA.md).

Entities are compared as sets per document:

* WEAPON and PERSON by canonical name. The gold names the most specific designation the
  text supports, so a family-level prediction ("Su-30") is not counted separately when the
  same document also names a variant whose designation extends it ("Su-30SME"); a variant
  with another designation ("Mi-35P" of the Mi-24 family) does not absorb it.
* DATE by normalised value; a gold date with no value matches a prediction with no value
  and the same surface text (case-insensitive).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from rapidfuzz import fuzz

from .knowledge.gazetteer import fold

EVAL_TYPES = ("WEAPON", "PERSON", "DATE")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[tuple[str, str]] = field(default_factory=list)
    false_negatives: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path) -> list[dict]:
    records = []
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not JSON: {exc}") from exc
    return records


def _date_key(value: str | None, surface: str) -> str:
    if value:
        return value
    words = surface.lower().split()
    return "?" + " ".join(words[1:] if words[:1] == ["the"] else words)


def gold_entity_keys(records: Iterable[dict]) -> dict[str, set[tuple[str, str]]]:
    keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for rec in records:
        if rec.get("kind") != "entity" or rec.get("type") not in EVAL_TYPES:
            continue
        if rec["type"] == "DATE":
            surfaces = rec.get("surface") or [rec.get("canonical", "")]
            keys["DATE"].add((rec["doc"], _date_key(rec.get("value"), surfaces[0])))
        elif rec["type"] == "PERSON":
            keys["PERSON"].add((rec["doc"], _norm(rec["canonical"])))
        else:
            keys[rec["type"]].add((rec["doc"], rec["canonical"]))
    return keys


def predicted_entity_keys(rows: Iterable[dict[str, str]], docs: set[str]) -> dict[str, set[tuple[str, str]]]:
    keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
    families: dict[tuple[str, str], set[str]] = defaultdict(set)  # (doc, family) -> canonicals
    for row in rows:
        doc, kind = row["doc_id"], row["entity_type"]
        if doc not in docs or kind not in EVAL_TYPES:
            continue
        if kind == "DATE":
            keys["DATE"].add((doc, _date_key(row["value"], row["text"])))
        elif kind == "WEAPON":
            families[(doc, row["family"])].add(row["canonical"])
        else:
            keys[kind].add((doc, _norm(row["canonical"])))
    for (doc, family), canonicals in families.items():
        for canonical in canonicals:
            if canonical == family and any(_extends(other, family) for other in canonicals if other != family):
                continue  # "Su-30" beside "Su-30SME": the same aircraft, named at two levels
            keys["WEAPON"].add((doc, canonical))
    return keys


def _compact(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _extends(variant: str, family: str) -> bool:
    """True when the variant's designation extends the family's ("Su-30SME" of "Su-30")."""
    return _compact(variant).startswith(_compact(family))


def score_sets(gold: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> Score:
    return Score(len(gold & predicted), len(predicted - gold), len(gold - predicted),
                 sorted(predicted - gold), sorted(gold - predicted))


def evaluate_entities(gold_path: Path, entities_csv: Path) -> dict[str, Score]:
    records = load_gold(gold_path)
    docs = {r["doc"] for r in records if r.get("doc") not in (None, "*")}
    with entities_csv.open(encoding="utf-8", newline="") as handle:
        predicted = predicted_entity_keys(csv.DictReader(handle), docs)
    gold = gold_entity_keys(records)
    return {t: score_sets(gold.get(t, set()), predicted.get(t, set())) for t in EVAL_TYPES}


def render(scores: dict[str, Score], verbose: bool = False) -> str:
    lines = [f"{'entity':<8} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for kind, s in scores.items():
        lines.append(f"{kind:<8} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}")
        if verbose:
            lines += [f"    + {doc}: {key}" for doc, key in s.false_positives]
            lines += [f"    - {doc}: {key}" for doc, key in s.false_negatives]
    return "\n".join(lines)


# --------------------------------------------------------------------------- claims

CLAIM_TYPES = ("transfer", "meeting", "statement", "agreement", "combat_use", "exercise")
SPEAKER_MATCH = 90  # rapidfuzz token_set_ratio above which two speaker names are the same
SLOTS = ("status", "quantity", "value_usd", "date")


@dataclass
class ClaimScores:
    by_type: dict[str, Score]
    slots: dict[str, tuple[int, int]]  # slot -> (correct, compared) on matched transfer pairs
    matches: dict[str, str] = field(default_factory=dict)  # gold claim id -> predicted mention_id


def _norm(name: object) -> str:
    return " ".join(fold(str(name or "")).casefold().replace("’", "'").split())


def _speaker_words(name: str) -> str:
    words = _norm(name).replace("'s ", " ").split()
    return " ".join(w for w in words if w not in ("the", "of"))


def _same_speaker(gold: str, predicted: str) -> bool:
    """Same name, or the same words in another order ("Ukraine's armed forces" ~ "Armed Forces of Ukraine")."""
    if _norm(gold) == _norm(predicted):
        return True
    return bool(gold and predicted) and fuzz.token_set_ratio(_speaker_words(gold), _speaker_words(predicted)) >= SPEAKER_MATCH


def _key_agrees(gold: dict, pred: dict[str, str]) -> bool:
    kind = gold["type"]
    if kind in ("transfer", "combat_use"):
        return _norm(gold.get("family")) == _norm(pred["family"])
    if kind == "statement":
        return _same_speaker(str(gold.get("speaker") or ""), pred["speaker"])
    if kind == "meeting":
        gold_people = {_norm(p) for p in gold.get("people") or []}
        pred_people = {_norm(p) for p in pred["people"].split(";") if p}
        return not gold_people or bool(gold_people & pred_people)
    return True


def _slot_value(gold: dict, pred: dict[str, str], slot: str) -> tuple[str, str]:
    if slot == "date":
        return str(gold.get("date") or ""), pred["date_value"]
    if slot == "value_usd":
        value = gold.get("value_usd")
        return (f"{float(value):.0f}" if value is not None else ""), pred["value_usd"]
    value = gold.get(slot)
    return ("" if value is None else str(value)), pred[slot]


def evaluate_claims(gold_path: Path, output: Path) -> ClaimScores:
    """Match each gold claim to at most one predicted mention of the same document and type whose
    evidence overlaps the gold evidence and whose key slot agrees (transfer, combat_use: weapon
    family; statement: speaker; meeting: one person in common; agreement, exercise: overlap)."""
    records = load_gold(gold_path)
    with (output / "documents.csv").open(encoding="utf-8", newline="") as handle:
        paths = {r["doc_id"]: r["path"] for r in csv.DictReader(handle)}
    with (output / "mentions.csv").open(encoding="utf-8", newline="") as handle:
        predicted = [r for r in csv.DictReader(handle)]
    gold_claims = [r for r in records if r.get("kind") == "claim"]
    docs = {g["doc"] for g in gold_claims}
    texts = {d: Path(paths[d]).read_text(encoding="utf-8") for d in docs if d in paths}
    by_type = {t: Score() for t in CLAIM_TYPES}
    slots = {s: (0, 0) for s in SLOTS}
    used: set[int] = set()
    matches: dict[str, str] = {}
    for gold in gold_claims:
        text = texts.get(gold["doc"], "")
        start = text.find(gold["evidence"])
        end = start + len(gold["evidence"])
        match = None
        for i, pred in enumerate(predicted):
            if i in used or pred["doc_id"] != gold["doc"] or pred["claim_type"] != gold["type"]:
                continue
            if start >= 0 and int(pred["start_char"]) < end and start < int(pred["end_char"]) and _key_agrees(gold, pred):
                match = i
                break
        score = by_type.setdefault(gold["type"], Score())
        if match is None:
            score.fn += 1
            score.false_negatives.append((gold["doc"], f"{gold['id']} {gold['evidence'][:70]}"))
            continue
        used.add(match)
        matches[gold["id"]] = predicted[match]["mention_id"]
        score.tp += 1
        if gold["type"] == "transfer":
            for slot in SLOTS:
                want, got = _slot_value(gold, predicted[match], slot)
                if want or got:
                    correct, compared = slots[slot]
                    slots[slot] = (correct + (want == got), compared + 1)
    for i, pred in enumerate(predicted):
        if i not in used and pred["doc_id"] in docs:
            score = by_type.setdefault(pred["claim_type"], Score())
            score.fp += 1
            score.false_positives.append((pred["doc_id"], f"{pred['rule_id']} {pred['evidence'][:70]}"))
    return ClaimScores(by_type, slots, matches)


@dataclass
class ClusterScores(Score):
    status_mixes: int = 0  # reconciled claims whose mentions disagree on status (must be 0)
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


def evaluate_clusters(gold_path: Path, output: Path, matches: dict[str, str]) -> ClusterScores:
    """Pairwise precision and recall of "these two mentions state the same claim", over the gold
    claims matched to a mention: gold pairs come from the ``cluster`` lines, predicted pairs
    from claims.csv (two matched mentions in one claim)."""
    records = load_gold(gold_path)
    gold_cluster: dict[str, int] = {}
    for n, rec in enumerate(r for r in records if r.get("kind") == "cluster"):
        for member in rec["members"]:
            gold_cluster[member] = n
    with (output / "claims.csv").open(encoding="utf-8", newline="") as handle:
        claims = list(csv.DictReader(handle))
    with (output / "mentions.csv").open(encoding="utf-8", newline="") as handle:
        statuses = {r["mention_id"]: r["status"] for r in csv.DictReader(handle)}
    claim_of = {m: c["claim_id"] for c in claims for m in c["mention_ids"].split(";")}
    ids = sorted(matches)
    tp = fp = fn = 0
    missed, wrong = [], []
    for x, a in enumerate(ids):
        for b in ids[x + 1:]:
            same_gold = a in gold_cluster and gold_cluster.get(a) == gold_cluster.get(b)
            same_pred = matches[a] != matches[b] and claim_of.get(matches[a]) == claim_of.get(matches[b])
            if same_gold and same_pred:
                tp += 1
            elif same_pred:
                fp += 1
                wrong.append(f"{a} + {b}")
            elif same_gold:
                fn += 1
                missed.append(f"{a} + {b}")
    mixes = sum(1 for c in claims if len({statuses.get(m, "") for m in c["mention_ids"].split(";")}) > 1)
    return ClusterScores(tp, fp, fn, status_mixes=mixes, missed=missed, wrong=wrong)


def render_clusters(scores: ClusterScores, verbose: bool = False) -> str:
    lines = [f"reconciliation (pairwise): P {scores.precision:.3f}  R {scores.recall:.3f}  F1 {scores.f1:.3f}  "
             f"(tp {scores.tp}, fp {scores.fp}, fn {scores.fn}); claims mixing statuses: {scores.status_mixes}"]
    if verbose:
        lines += [f"    merged wrongly: {w}" for w in scores.wrong] + [f"    not merged: {m}" for m in scores.missed]
    return "\n".join(lines)


def render_claims(scores: ClaimScores, verbose: bool = False) -> str:
    total = Score(sum(s.tp for s in scores.by_type.values()), sum(s.fp for s in scores.by_type.values()),
                  sum(s.fn for s in scores.by_type.values()))
    lines = [f"{'claim':<11} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for kind, s in list(scores.by_type.items()) + [("ALL", total)]:
        lines.append(f"{kind:<11} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}")
        if verbose and kind != "ALL":
            lines += [f"    + {doc}: {key}" for doc, key in s.false_positives]
            lines += [f"    - {doc}: {key}" for doc, key in s.false_negatives]
    lines.append("transfer slot accuracy on matched pairs: " + ", ".join(
        f"{slot} {c}/{n}" + (f" ({c / n:.2f})" if n else "") for slot, (c, n) in scores.slots.items()))
    return "\n".join(lines)
