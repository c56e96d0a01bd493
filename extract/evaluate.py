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
            keys[kind].add((doc, row["canonical"]))
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
