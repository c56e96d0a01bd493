"""`make eval`: the project's evaluator agrees with the reference scorer; the side-by-side table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import eval_report
from extract.evaluate import evaluate_entities

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py (the reference scorer) is not present")
def test_own_evaluator_agrees_with_the_reference_on_the_seeds(seed_outputs):
    reference = eval_report.reference_scores(SCORER, GOLD, ROOT / "seeds", seed_outputs)
    own = eval_report.own_scores(GOLD, seed_outputs)
    for _, key in eval_report.ROWS:
        if reference.get(key) is not None or own.get(key) is not None:
            assert own.get(key) == pytest.approx(reference.get(key)), key


def test_a_family_beside_its_variant_is_a_prediction_of_its_own(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "a", "kind": "entity", "type": "WEAPON", "canonical": "Su-30SME",
                                "family": "Su-30", "surface": ["Su-30SME"]}) + "\n", encoding="utf-8")
    entities = tmp_path / "entities.csv"
    entities.write_text("doc_id,entity_type,canonical,family,text,value\n"
                        "a,WEAPON,Su-30SME,Su-30,Su-30SME,\na,WEAPON,Su-30,Su-30,Su-30,\n", encoding="utf-8")
    score = evaluate_entities(gold, entities)["WEAPON"]
    assert (score.tp, score.fp, score.fn) == (1, 1, 0)


def test_halves_and_table(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for doc in ("d01_x", "d04_y"):
        (articles / f"{doc}.txt").write_text("text", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in (
        {"doc": "d01_x", "kind": "claim", "id": "d01:c1"}, {"doc": "d04_y", "kind": "claim", "id": "d04:c1"},
        {"doc": "*", "kind": "cluster", "members": ["d01:c1", "d04:c1"]})) + "\n", encoding="utf-8")
    half, links = eval_report._split(gold, articles, tmp_path / "held", held=True)
    assert [p.name for p in links.iterdir()] == ["d04_y.txt"]
    assert [json.loads(x)["doc"] for x in half.read_text(encoding="utf-8").splitlines()] == ["d04_y"]
    text = eval_report.table({"seeds": {"claim.ALL.F1": 0.5}, "dev": {}})
    assert "claims F1" in text.splitlines()[1] and "0.500" in text and "—" in text


def test_without_the_shared_folder_the_dev_columns_are_skipped(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("extract.engine.runner.run", lambda *args, **kwargs: None)
    monkeypatch.setattr(eval_report, "own_scores", lambda gold, output: {"claim.ALL.F1": 0.9})
    assert eval_report.main(tmp_path / "out", tmp_path / "no-shared") == 0
    out = capsys.readouterr().out
    assert "dev columns skipped" in out and "0.900" in out and "dev (all 20)" not in out
