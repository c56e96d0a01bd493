"""Our own articles (tests/articles): other suppliers, recipients, systems and date forms.

They were written to test that nothing is fitted to the seeds' wording; their gold follows
the seeds' schema (tests/articles/gold.jsonl).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import ROOT
from extract.evaluate import evaluate_claims, evaluate_entities
from extract.engine.runner import run

ARTICLES = ROOT / "tests" / "articles"


@pytest.fixture(scope="module")
def article_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("articles")
    run(ARTICLES, out)
    return out


def test_entity_scores_on_own_articles(article_run):
    scores = evaluate_entities(ARTICLES / "gold.jsonl", article_run / "entities.csv")
    assert scores["WEAPON"].f1 >= 0.85, scores["WEAPON"]
    assert scores["PERSON"].f1 >= 0.85, scores["PERSON"]
    assert scores["DATE"].f1 >= 0.80, scores["DATE"]


def test_claim_scores_on_own_articles(article_run):
    """A floor against regressions: these articles were never used to write the rules' wording."""
    scores = evaluate_claims(ARTICLES / "gold.jsonl", article_run)
    tp = sum(s.tp for s in scores.by_type.values())
    fp = sum(s.fp for s in scores.by_type.values())
    fn = sum(s.fn for s in scores.by_type.values())
    assert tp / (tp + fp) >= 0.70 and 2 * tp / (2 * tp + fp + fn) >= 0.60, scores.by_type
    assert scores.by_type["transfer"].precision >= 0.70


def test_negated_and_hypothetical_claims(article_run):
    with (article_run / "mentions.csv").open(encoding="utf-8", newline="") as handle:
        mentions = list(csv.DictReader(handle))
    s400 = [m for m in mentions if m["doc_id"] == "india_s400_denial" and m["claim_type"] == "transfer"]
    assert any(m["polarity"] == "negated" for m in s400)
    j10 = [m for m in mentions if m["doc_id"] == "china_j10ce_bangladesh" and m["claim_type"] == "transfer"]
    assert any(m["polarity"] == "hypothetical" for m in j10)


def rows(out: Path, doc_id: str, entity_type: str) -> list[dict[str, str]]:
    with (out / "entities.csv").open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["doc_id"] == doc_id and r["entity_type"] == entity_type]


def test_messy_page_boilerplate_and_dateline(article_run):
    with (article_run / "documents.csv").open(encoding="utf-8", newline="") as handle:
        docs = {r["doc_id"]: r for r in csv.DictReader(handle)}
    messy = docs["messy_brahmos_indonesia"]
    assert messy["boilerplate"] and messy["published"] == "2024-03-12" and messy["published_from"] == "text"
    text = (ARTICLES / "messy_brahmos_indonesia.txt").read_text(encoding="utf-8")
    for r in rows(article_run, "messy_brahmos_indonesia", "DATE"):
        assert "All rights reserved" not in text[int(r["start_char"]) - 40:int(r["end_char"]) + 40]


def test_manifest_publication_dates_used(article_run):
    with (article_run / "documents.csv").open(encoding="utf-8", newline="") as handle:
        docs = {r["doc_id"]: r for r in csv.DictReader(handle)}
    assert docs["egypt_rafale"]["published_from"] == "manifest"
    assert docs["israel_azerbaijan_barak8"]["published_from"] == "none"
