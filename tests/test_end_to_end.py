"""End to end on the seeds: offsets, determinism, boilerplate, the contract and the eval targets."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from conftest import GOLD, SEEDS, snapshot
from extract.cli import main
from extract.evaluate import evaluate_claims, evaluate_entities
from extract.engine.runner import default_jobs, run
from extract.outputs.writers import unescape_cell
from extract.schema import CLAIM_TYPES, DOCUMENT_COLUMNS, ENTITY_COLUMNS, MENTION_COLUMNS, POLARITIES, STATUSES


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


source_text = unescape_cell  # a cell as the source has it: without the apostrophe that keeps spreadsheets from running it


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    summary = run(SEEDS, out)
    return out, summary


def test_every_entity_text_is_the_source_slice(seed_run):
    out, _ = seed_run
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    rows = read_csv(out / "entities.csv")
    assert rows
    for row in rows:
        assert texts[row["doc_id"]][int(row["start_char"]):int(row["end_char"])] == source_text(row["text"]), row


def test_headers_are_the_contract(seed_run):
    out, _ = seed_run
    for name, columns in (("entities.csv", ENTITY_COLUMNS), ("documents.csv", DOCUMENT_COLUMNS),
                          ("mentions.csv", MENTION_COLUMNS)):
        with (out / name).open(encoding="utf-8") as handle:
            assert tuple(next(csv.reader(handle))) == columns


def test_no_entity_inside_boilerplate(seed_run):
    out, _ = seed_run
    ranges = {}
    for doc in read_csv(out / "documents.csv"):
        ranges[doc["doc_id"]] = [tuple(map(int, r.split("-"))) for r in doc["boilerplate"].split(";") if r]
    assert all(ranges[d] for d in ranges), "every seed has boilerplate"
    for row in read_csv(out / "entities.csv"):
        start, end = int(row["start_char"]), int(row["end_char"])
        assert not any(s < end and start < e for s, e in ranges[row["doc_id"]]), row
    texts = " ".join(r["text"] for r in read_csv(out / "entities.csv"))
    for word in ("She-Hulk", "Genshin", "GlobalSecurity", "Janes"):
        assert word not in texts


def test_rerun_is_byte_identical(seed_run, tmp_path):
    out, _ = seed_run
    run(SEEDS, tmp_path)
    for name in ("entities.csv", "documents.csv", "mentions.csv", "run.json"):
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_jobs_give_the_same_outputs(seed_run, tmp_path):
    out, _ = seed_run
    run(SEEDS, tmp_path, jobs=2)
    assert snapshot(tmp_path) == snapshot(out)  # the report too


def test_default_jobs_follow_the_corpus_size():
    assert default_jobs(5) == 1
    assert default_jobs(5000) == (os.cpu_count() or 1)


def test_publication_dates(seed_run):
    out, _ = seed_run
    docs = {d["doc_id"]: d for d in read_csv(out / "documents.csv")}
    assert (docs["002_f52c2b5e55cb2488"]["published"], docs["002_f52c2b5e55cb2488"]["published_from"]) == \
        ("2021-09-07", "text")
    assert (docs["004_4ab999952ab3537c"]["published"], docs["004_4ab999952ab3537c"]["published_from"]) == \
        ("2024-04-02", "inferred")
    assert docs["000_7ea85127e12bea57"]["published_from"] == "none"
    assert all(d["status"] == "ok" and int(d["n_sentences"]) > 5 for d in docs.values())


def test_eval_targets_on_seeds(seed_run):
    out, _ = seed_run
    scores = evaluate_entities(GOLD, out / "entities.csv")
    # by the reference scorer's rules a family-level "Su-30" beside "Su-30SME" is a prediction of its own
    assert scores["WEAPON"].f1 >= 0.94, scores["WEAPON"]
    assert scores["PERSON"].f1 >= 0.95, scores["PERSON"]
    assert scores["DATE"].f1 >= 0.90, scores["DATE"]


def test_every_mention_evidence_is_the_source_slice(seed_run):
    out, _ = seed_run
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    rows = read_csv(out / "mentions.csv")
    assert {r["claim_type"] for r in rows} == set(CLAIM_TYPES)
    for row in rows:
        assert texts[row["doc_id"]][int(row["start_char"]):int(row["end_char"])] == source_text(row["evidence"]), row
        assert row["polarity"] in POLARITIES and row["rule_id"]
        assert row["claim_type"] != "transfer" or (row["status"] in STATUSES and row["weapon"])
    assert len({r["mention_id"] for r in rows}) == len(rows)


def test_claim_eval_targets_on_seeds(seed_run):
    out, _ = seed_run
    scores = evaluate_claims(GOLD, out)
    total = sum(s.tp for s in scores.by_type.values()), sum(s.fp for s in scores.by_type.values()), \
        sum(s.fn for s in scores.by_type.values())
    f1 = 2 * total[0] / (2 * total[0] + total[1] + total[2])
    assert f1 >= 0.90, scores.by_type
    assert scores.by_type["transfer"].f1 >= 0.90, scores.by_type["transfer"]


def test_summary(seed_run):
    out, summary = seed_run
    text = summary.render(out)
    assert "5 documents read, 5 processed, 0 skipped" in text
    assert summary.entities["WEAPON"] > 10 and summary.entities["DATE"] > 30


def test_failed_run_keeps_previous_outputs(tmp_path, monkeypatch):
    run(SEEDS, tmp_path)
    before = snapshot(tmp_path)

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("extract.engine.runner._reconcile", boom)  # a failure of the run itself, after the documents
    with pytest.raises(RuntimeError):
        run(SEEDS, tmp_path, cache=False)  # every document processed again, and failing
    after = snapshot(tmp_path)
    assert after == before


def test_cli_run_and_eval(tmp_path, capsys):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(SEEDS / "002_f52c2b5e55cb2488.txt", inp)
    (inp / "broken.txt").write_bytes(b"\x00\x01binary")
    assert main(["run", "--input", str(inp), "--output", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "2 documents read, 1 processed, 1 skipped" in printed and "broken" in printed
    assert main(["eval", "--gold", str(GOLD), "--output", str(tmp_path / "out")]) == 0
    assert "WEAPON" in capsys.readouterr().out


def test_cli_errors(tmp_path, capsys):
    assert main(["run", "--input", str(tmp_path / "missing"), "--output", str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["eval", "--output", str(tmp_path / "nothing")]) == 2


def test_unusable_gazetteers_are_a_clear_error(tmp_path, capsys):
    assert main(["run", "--input", str(SEEDS), "--output", str(tmp_path / "out"),
                 "--gazetteers", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert "the gazetteers cannot be used" in err and "weapons.csv" in err
    assert not (tmp_path / "out" / "entities.csv").exists()

