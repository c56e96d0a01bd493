"""``make eval``: the seeds and the development set side by side, by the reference scorer's rules.

Runs the pipeline on the seeds and, when the shared folder (``../shared``) is present, on its
development set, each into its own folder under the evaluation output (never over
``outputs/``), then scores every column with the reference scorer ``shared/eval/score.py``
(the dev set also in its two halves: the 15 tuning articles and the 5 held out while tuning).
Without the shared folder the dev columns are skipped with a message, and the seeds are scored
by the project's own evaluator (``extract eval``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HELD_OUT = ("d04", "d08", "d11", "d15", "d18")  # dev articles kept unseen while tuning (issue 8)

ROWS = (
    ("claims F1", "claim.ALL.F1"), ("transfer F1", "claim.transfer.F1"), ("statement F1", "claim.statement.F1"),
    ("meeting F1", "claim.meeting.F1"), ("combat_use F1", "claim.combat_use.F1"),
    ("agreement F1", "claim.agreement.F1"), ("exercise F1", "claim.exercise.F1"),
    ("cluster pair F1", "cluster.pair.F1"),
    ("WEAPON F1", "entity.WEAPON.F1"), ("PERSON F1", "entity.PERSON.F1"), ("DATE F1", "entity.DATE.F1"),
    ("status acc", "slot.status.acc"), ("quantity acc", "slot.quantity.acc"), ("value_usd acc", "slot.value_usd.acc"),
    ("date acc", "slot.date.acc"), ("supplier acc", "slot.supplier.acc"), ("recipient acc", "slot.recipient.acc"),
)


def _split(gold: Path, articles: Path, folder: Path, held: bool) -> tuple[Path, Path]:
    """A gold file and an article folder (symbolic links) for one half of the dev set. Clusters
    across the halves are left out of both."""
    links = folder / "articles"
    links.mkdir(parents=True, exist_ok=True)
    for old in links.iterdir():
        old.unlink()
    for article in sorted(articles.glob("*.txt")):
        if article.stem.startswith(HELD_OUT) == held:
            os.symlink(article.resolve(), links / article.name)
    lines = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        docs = [m.split(":")[0] for m in record["members"]] if record["kind"] == "cluster" else [record["doc"]]
        if all(d.startswith(HELD_OUT) == held for d in docs):
            lines.append(line)
    half = folder / "gold.jsonl"
    half.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return half, links


def reference_scores(scorer: Path, gold: Path, articles: Path, output: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, str(scorer), str(gold), str(articles), str(output), "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout[done.stdout.index("{"):])


def own_scores(gold: Path, output: Path) -> dict[str, object]:
    """The project's own evaluator in the reference scorer's keys (used without the shared folder)."""
    from .evaluate import evaluate_claims, evaluate_clusters, evaluate_entities

    scores: dict[str, object] = {}
    for kind, s in evaluate_entities(gold, output / "entities.csv").items():
        scores[f"entity.{kind}.F1"] = s.f1
    claims = evaluate_claims(gold, output)
    tp = fp = fn = 0
    for kind, s in claims.by_type.items():
        if s.tp + s.fp + s.fn:
            scores[f"claim.{kind}.F1"] = s.f1
        tp, fp, fn = tp + s.tp, fp + s.fp, fn + s.fn
    scores["claim.ALL.F1"] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    for slot, (correct, compared) in claims.slots.items():
        scores[f"slot.{slot}.acc"] = correct / compared if compared else None
    scores["cluster.pair.F1"] = evaluate_clusters(gold, output, claims.matches).f1
    return scores


def table(columns: dict[str, dict[str, object]]) -> str:
    lines = [f"{'':<16}" + "".join(f" {name:>12}" for name in columns)]
    for label, key in ROWS:
        cells = []
        for scores in columns.values():
            value = scores.get(key)
            cells.append(f" {value:12.3f}" if isinstance(value, float) else f" {'—':>12}")
        lines.append(f"{label:<16}" + "".join(cells))
    return "\n".join(lines)


def main(output: Path, shared: Path, seeds: Path = Path("seeds"),
         seed_gold: Path = Path("tests/data/seeds_gold.jsonl")) -> int:
    from .engine.runner import run

    scorer = shared / "eval" / "score.py"
    dev = shared / "dev"
    run(seeds, output / "seeds")
    columns: dict[str, dict[str, object]] = {}
    if scorer.exists():
        columns["seeds"] = reference_scores(scorer, seed_gold, seeds, output / "seeds")
    else:
        columns["seeds"] = own_scores(seed_gold, output / "seeds")
    if (dev / "gold.jsonl").exists() and scorer.exists():
        run(dev / "articles", output / "dev", manifest=dev / "manifest.csv")
        columns["dev (all 20)"] = reference_scores(scorer, dev / "gold.jsonl", dev / "articles", output / "dev")
        for name, held in (("tuning 15", False), ("held-out 5", True)):
            gold, articles = _split(dev / "gold.jsonl", dev / "articles", output / name.replace(" ", "-"), held)
            columns[name] = reference_scores(scorer, gold, articles, output / "dev")
        note = f"scored by {scorer}"
    else:
        note = f"{shared} (dev set and reference scorer) not found: dev columns skipped; seeds scored by `extract eval`"
    print(table(columns))
    print(note)
    return 0
