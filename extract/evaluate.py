"""Score outputs against a gold annotation (JSON Lines, schema in tests/data/GOLD_SCHEMA.md),
by the rules of the reference scorer (``../shared/eval/score.py``, see ``GOLD_SCHEMA.md``):

* WEAPON and PERSON entities match one to one per document: equal normalised canonical
  names first; then a prediction whose source text is one of the gold entity's surface
  strings (WEAPON: the same system under another canonical; a less specific designation,
  "Su-30" for "Su-30SME", is not accepted this way), or, for people, the same name written
  another way (a title kept or dropped, a transliteration). A family-level prediction beside
  a variant is a prediction of its own: the gold names one entity per system.
* DATE entities by value per document; dates without a value are not scored.
* Claims one to one within a document and type (see ``evaluate_claims``).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
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


def norm_weapon(name: object) -> str:
    return re.sub(r"[\s\-‐‑–—_./]", "", unicodedata.normalize("NFKC", str(name or "")).lower())


def norm_name(name: object) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(str(name or "")).lower()))


def designations_agree(a: str, b: str) -> bool:
    """One designation, or one extends the other across a letter/digit joint ("Grad" / "BM-21 Grad")."""
    a, b = norm_weapon(a), norm_weapon(b)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) < 3:
        return False
    if long.startswith(short):
        x, y = short[-1], long[len(short)]
    elif long.endswith(short):
        x, y = short[0], long[-len(short) - 1]
    else:
        return False
    return x.isdigit() != y.isdigit()


def names_agree(a: str, b: str) -> bool:
    """One person's name written two ways: a title kept or dropped, or a transliteration."""
    a, b = norm_name(a), norm_name(b)
    if not a or not b:
        return False
    if a == b:
        return True
    ta, tb = a.split(), b.split()
    short, long = sorted((ta, tb), key=len)
    if len(short) >= 2 and long[-len(short):] == short:
        return True
    return len(ta) == len(tb) and ta[-1][:1] == tb[-1][:1] and SequenceMatcher(None, a, b).ratio() >= 0.9


@dataclass
class _Named:
    key: str
    canonical: str
    forms_w: set[str] = field(default_factory=set)  # WEAPON: normalised surfaces (gold) or texts (predicted)
    forms_n: set[str] = field(default_factory=set)  # PERSON: the same as names (predicted: two words or more)


def _linked(kind: str, gold: _Named, pred: _Named) -> bool:
    if kind == "WEAPON":
        if pred.key != gold.key and gold.key.startswith(pred.key):
            return False  # a less specific designation is not the entity
        return bool(pred.forms_w & gold.forms_w)
    return names_agree(pred.canonical, gold.canonical) or bool(pred.forms_n & gold.forms_n)


def _score_named(kind: str, gold: dict[tuple[str, str], _Named], pred: dict[tuple[str, str], _Named]) -> Score:
    pairs = {k: k for k in set(gold) & set(pred)}
    used = set(pairs.values())
    for gk in sorted(set(gold) - set(pairs)):
        for pk in sorted(k for k in pred if k[0] == gk[0] and k not in used):
            if _linked(kind, gold[gk], pred[pk]):
                pairs[gk] = pk
                used.add(pk)
                break
    missed = sorted((d, gold[(d, k)].canonical) for d, k in gold if (d, k) not in pairs)
    spurious = sorted((d, pred[(d, k)].canonical) for d, k in pred if (d, k) not in used)
    return Score(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs), spurious, missed)


def evaluate_entities(gold_path: Path, entities_csv: Path) -> dict[str, Score]:
    records = load_gold(gold_path)
    docs = {r["doc"] for r in records if r.get("doc") not in (None, "*")}
    gold: dict[str, dict[tuple[str, str], _Named]] = {"WEAPON": {}, "PERSON": {}}
    gold_dates, pred_dates = set(), set()
    for rec in records:
        kind = rec.get("type")
        if rec.get("kind") != "entity" or kind not in EVAL_TYPES:
            continue
        if kind == "DATE":
            if rec.get("value"):
                gold_dates.add((rec["doc"], rec["value"]))
            continue
        norm = norm_weapon if kind == "WEAPON" else norm_name
        item = gold[kind].setdefault((rec["doc"], norm(rec["canonical"])), _Named(norm(rec["canonical"]), rec["canonical"]))
        item.forms_w.update(norm_weapon(x) for x in rec.get("surface") or [])
        item.forms_n.update(norm_name(x) for x in rec.get("surface") or [])
    pred: dict[str, dict[tuple[str, str], _Named]] = {"WEAPON": {}, "PERSON": {}}
    with entities_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            kind, doc = row["entity_type"], row["doc_id"]
            if doc not in docs or kind not in EVAL_TYPES:
                continue
            if kind == "DATE":
                if row["value"]:
                    pred_dates.add((doc, row["value"]))
                continue
            name = row["canonical"] or row["text"]
            norm = norm_weapon if kind == "WEAPON" else norm_name
            item = pred[kind].setdefault((doc, norm(name)), _Named(norm(name), name))
            item.forms_w.add(norm_weapon(row["text"]))
            if len(norm_name(row["text"]).split()) >= 2:
                item.forms_n.add(norm_name(row["text"]))
    scores = {kind: _score_named(kind, gold[kind], pred[kind]) for kind in ("WEAPON", "PERSON")}
    scores["DATE"] = score_sets(gold_dates, pred_dates)
    return scores


def score_sets(gold: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> Score:
    return Score(len(gold & predicted), len(predicted - gold), len(gold - predicted),
                 sorted(predicted - gold), sorted(gold - predicted))


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
SLOTS = ("status", "quantity", "value_usd", "date", "supplier", "recipient")


@dataclass
class ClaimScores:
    by_type: dict[str, Score]
    slots: dict[str, tuple[int, int]]  # slot -> (correct, compared) on matched pairs whose gold gives a value
    matches: dict[str, str] = field(default_factory=dict)  # gold claim id -> predicted mention_id


def _is_generic(gold: dict) -> bool:
    return gold["type"] in ("transfer", "combat_use") and not (gold.get("family") or gold.get("weapon"))


def _key_agrees(gold: dict, pred: dict[str, str]) -> bool:
    kind = gold["type"]
    if kind in ("transfer", "combat_use"):
        if _is_generic(gold):
            return True  # a category: the span decides
        g = [norm_weapon(gold.get(k)) for k in ("family", "weapon") if gold.get(k)]
        m = [norm_weapon(pred[k]) for k in ("family", "weapon") if pred[k]]
        return bool(set(g) & set(m)) or any(designations_agree(x, y) for x in g for y in m)
    if kind == "statement":
        gs, ms = norm_name(gold.get("speaker")), norm_name(pred["speaker"])
        return bool(gs and ms) and (gs.split()[-1] == ms.split()[-1] or names_agree(gs, ms))
    if kind == "meeting":
        gold_people = {norm_name(p) for p in gold.get("people") or []}
        pred_people = {norm_name(p) for p in pred["people"].split(";") if p}
        return not gold_people or bool(gold_people & pred_people) or \
            any(names_agree(x, y) for x in gold_people for y in pred_people)
    return True


def _slot_ok(gold: dict, pred: dict[str, str], slot: str) -> bool | None:
    """None when the gold gives no value."""
    want, got = gold.get(slot), pred["date_value" if slot == "date" else slot]
    if want in (None, ""):
        return None
    if slot in ("quantity", "value_usd"):
        try:
            return abs(float(got) - float(want)) <= 0.01 * abs(float(want))
        except ValueError:
            return False
    if slot in ("supplier", "recipient"):
        return norm_name(want) == norm_name(got)
    return str(want).strip().lower() == got.strip().lower()


def _spans(gold: dict, text: str) -> list[tuple[int, int]]:
    """Every occurrence of the gold evidence and of its ``alt_evidence`` restatements."""
    spans = []
    for evidence in [gold.get("evidence")] + list(gold.get("alt_evidence") or []):
        i = text.find(evidence) if evidence else -1
        while i >= 0:
            spans.append((i, i + len(evidence)))
            i = text.find(evidence, i + 1)
    return spans


def evaluate_claims(gold_path: Path, output: Path) -> ClaimScores:
    """Match each gold claim to at most one predicted mention of the same document and type whose
    evidence overlaps the gold evidence or one of its restatements and whose key slot agrees
    (transfer, combat_use: weapon family or designation, any mention for a gold category;
    statement: speaker; meeting: one person in common; agreement, exercise: overlap). Claims
    naming a system are matched first, the largest overlap winning; negated mentions are not
    claims the gold can state and are left out."""
    records = load_gold(gold_path)
    with (output / "documents.csv").open(encoding="utf-8", newline="") as handle:
        paths = {r["doc_id"]: r["path"] for r in csv.DictReader(handle)}
    with (output / "mentions.csv").open(encoding="utf-8", newline="") as handle:
        predicted = [r for r in csv.DictReader(handle) if r["polarity"] != "negated"]
    gold_claims = [r for r in records if r.get("kind") == "claim"]
    docs = {g["doc"] for g in gold_claims}
    texts = {d: Path(paths[d]).read_text(encoding="utf-8") for d in docs if d in paths}
    by_type = {t: Score() for t in CLAIM_TYPES}
    slots = {s: (0, 0) for s in SLOTS}
    used: set[int] = set()
    matches: dict[str, str] = {}
    for gold in sorted(gold_claims, key=_is_generic):
        spans = _spans(gold, texts.get(gold["doc"], ""))
        best: tuple[tuple[bool, int], int] | None = None
        for i, pred in enumerate(predicted):
            if i in used or pred["doc_id"] != gold["doc"] or pred["claim_type"] != gold["type"]:
                continue
            s, e = int(pred["start_char"]), int(pred["end_char"])
            overlap = max((min(e, b) - max(s, a) for a, b in spans if s < b and a < e), default=0)
            if overlap > 0 and _key_agrees(gold, pred):
                rank = (_is_generic(gold) and not pred["weapon_id"], overlap)
                if best is None or rank > best[0]:
                    best = (rank, i)
        score = by_type.setdefault(gold["type"], Score())
        if best is None:
            score.fn += 1
            score.false_negatives.append((gold["doc"], f"{gold['id']} {gold['evidence'][:70]}"))
            continue
        used.add(best[1])
        matches[gold["id"]] = predicted[best[1]]["mention_id"]
        score.tp += 1
        for slot in SLOTS:  # supplier and recipient on transfers, the others on any claim that has them
            ok = _slot_ok(gold, predicted[best[1]], slot) if gold["type"] == "transfer" or slot in SLOTS[:4] else None
            if ok is not None:
                correct, compared = slots[slot]
                slots[slot] = (correct + ok, compared + 1)
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
    members: dict[int, list[str]] = defaultdict(list)
    for member, n in gold_cluster.items():
        members[n].append(member)
    for group in members.values():  # a gold pair whose claims were not found is missed too
        for x, a in enumerate(group):
            for b in group[x + 1:]:
                if a not in matches or b not in matches:
                    fn += 1
                    missed.append(f"{a} + {b} (not found)")
    for x, a in enumerate(ids):
        for b in ids[x + 1:]:
            if a.split(":")[0] == b.split(":")[0]:
                continue  # pairs across sources only
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
