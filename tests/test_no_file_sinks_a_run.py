"""Issue 9 items 9-16: no file sinks a run. Each test reproduces a defect of the old code."""

from __future__ import annotations

import codecs
import csv
import os
import time
from pathlib import Path

import pytest

from extract.corpus.files import decode
from extract.engine.runner import run
from extract.entities import annotate, pipeline

GOOD = "Russia delivered six Su-30SME fighter jets to Myanmar in 2022, the Defence Ministry said.\n"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def documents(out: Path) -> dict[str, dict[str, str]]:
    return {r["doc_id"]: r for r in read_rows(out / "documents.csv")}


def write_inputs(folder: Path, files: dict[str, bytes | str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return folder


# --- item 9: long files and failures in per-document work -------------------------------------------

def test_a_document_longer_than_spacy_max_length_is_processed_whole(tmp_path, small_gazetteer_dir, monkeypatch):
    build = pipeline.build

    def small_limit(*args, **kwargs):  # spaCy's max_length (1,000,000) scaled down to keep the test fast
        nlp = build(*args, **kwargs)
        nlp.max_length = 500
        return nlp

    monkeypatch.setattr(pipeline, "build", small_limit)
    long_text = "Filler sentence about nothing in particular.\n" * 40 + GOOD
    inp = write_inputs(tmp_path / "in", {"a_long.txt": long_text, "b_good.txt": GOOD})
    run(inp, tmp_path / "out", small_gazetteer_dir, progress=False)
    docs = documents(tmp_path / "out")
    assert docs["a_long"]["status"] == "ok" and docs["b_good"]["status"] == "ok"
    spans = [(int(m["start_char"]), m["evidence"]) for m in read_rows(tmp_path / "out" / "mentions.csv")
             if m["doc_id"] == "a_long"]
    assert spans and all(long_text[start:start + len(evidence)] == evidence for start, evidence in spans)
    assert min(start for start, _ in spans) > 500  # found beyond the old limit, offsets kept


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_in_one_document_is_recorded_and_the_run_goes_on(tmp_path, small_gazetteer_dir, monkeypatch,
                                                                        jobs):
    real = annotate.Annotator.__call__

    def fragile(self, document, doc):
        if document.doc_id == "b_bad":
            raise RuntimeError("rule blew up")
        return real(self, document, doc)

    monkeypatch.setattr(annotate.Annotator, "__call__", fragile)
    inp = write_inputs(tmp_path / "in", {"a_good.txt": GOOD, "b_bad.txt": GOOD, "c_good.txt": GOOD})
    summary = run(inp, tmp_path / "out", small_gazetteer_dir, jobs=jobs, progress=False)
    docs = documents(tmp_path / "out")
    assert docs["b_bad"]["status"] == "skipped"
    assert "RuntimeError: rule blew up" in docs["b_bad"]["reason"] and "annotate" not in docs["b_bad"]["reason"][:8]
    assert docs["a_good"]["status"] == docs["c_good"]["status"] == "ok"
    assert {m["doc_id"] for m in read_rows(tmp_path / "out" / "mentions.csv")} == {"a_good", "c_good"}
    assert summary.skipped == 1


def test_a_document_over_its_time_budget_is_skipped_with_a_reason(tmp_path, small_gazetteer_dir, monkeypatch):
    real = annotate.Annotator.__call__

    def slow(self, document, doc):
        if document.doc_id == "b_slow":
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # a rule that would run for minutes
                pass
        return real(self, document, doc)

    monkeypatch.setattr(annotate.Annotator, "__call__", slow)
    inp = write_inputs(tmp_path / "in", {"a_good.txt": GOOD, "b_slow.txt": GOOD})
    started = time.monotonic()
    run(inp, tmp_path / "out", small_gazetteer_dir, progress=False, time_budget=0.5)
    assert time.monotonic() - started < 20
    docs = documents(tmp_path / "out")
    assert docs["b_slow"]["status"] == "skipped" and "time budget" in docs["b_slow"]["reason"]
    assert docs["a_good"]["status"] == "ok"


# --- item 11: file names ------------------------------------------------------------------------------

def test_file_names_that_are_not_utf8_or_hold_a_cr_keep_the_run_and_the_csvs_whole(tmp_path, small_gazetteer_dir):
    inp = write_inputs(tmp_path / "in", {"ok.txt": GOOD})
    (inp / os.fsdecode(b"caf\xe9.txt")).write_text(GOOD, encoding="utf-8")
    (inp / "line\rbreak.txt").write_text(GOOD, encoding="utf-8")
    run(inp, tmp_path / "out", small_gazetteer_dir, progress=False)
    docs = documents(tmp_path / "out")
    assert set(docs) == {"ok", "caf\\xe9", "line\\rbreak"}
    assert all(d["status"] == "ok" for d in docs.values())
    mentions = read_rows(tmp_path / "out" / "mentions.csv")
    assert {m["doc_id"] for m in mentions} == set(docs)
    assert len({m["mention_id"] for m in mentions}) == len(mentions)


# --- item 12: encodings -----------------------------------------------------------------------------

ARTICLE = "Le général a dit: la naïveté coûte cher. Russia delivered Su-30SME jets to Myanmar.\n" * 4


@pytest.mark.parametrize("data, encoding", [
    (ARTICLE.encode("utf-16"), "utf-16-le"),                       # Windows "Unicode" save, with a BOM
    (ARTICLE.encode("utf-16-be"), "utf-16-be"),                    # no BOM
    (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16-be"),
    (ARTICLE.encode("latin-1"), "cp1252"),                         # not cp1250: ï stays ï
])
def test_unicode_and_latin1_articles_are_read(data, encoding):
    text, found, _note = decode(data)
    assert text == ARTICLE and found == encoding


def test_one_early_nul_does_not_drop_a_good_article():
    text, encoding, note = decode(b"\x00" + ARTICLE.encode())
    assert text == " " + ARTICLE and encoding == "utf-8" and "NUL" in note


def test_one_stray_byte_does_not_turn_utf8_into_mojibake():
    data = ARTICLE.encode() + b"\xff" + ARTICLE.encode()
    text, encoding, note = decode(data)
    assert encoding == "utf-8" and text == ARTICLE + "\ufffd" + ARTICLE
    assert "1 invalid UTF-8" in note and str(len(ARTICLE.encode())) in note


def test_central_european_cp1250_keeps_its_letters():
    polish = "Minister Błaszczak powiedział, że Polska kupi czołgi K2. Żołnierze ćwiczą na poligonie."
    assert decode(polish.encode("cp1250"))[0] == polish


# --- item 13: a bare CR inside a cell -----------------------------------------------------------------

def test_a_cell_holding_a_bare_cr_is_quoted_and_reads_back_whole(tmp_path):
    from extract.outputs.writers import OutputSet

    nasty = "before\r=cmd|' /C calc'!A0"
    with OutputSet(tmp_path) as outputs:
        outputs.csv("t.csv", ("a", "b")).write_all([{"a": nasty, "b": "x"}, {"a": "plain", "b": "y"}])
    raw = (tmp_path / "t.csv").read_bytes()
    assert b'"before\r=cmd' in raw
    assert read_rows(tmp_path / "t.csv") == [{"a": nasty, "b": "x"}, {"a": "plain", "b": "y"}]


def test_lone_cr_line_endings_split_lines_and_evidence_reads_back(tmp_path, small_gazetteer_dir):
    text = ("Headline without a stop\rRussia delivered six Su-30SME fighter jets to Myanmar in 2022.\r"
            "Officials said more would follow.\r")
    inp = write_inputs(tmp_path / "in", {"mac.txt": text.encode()})
    run(inp, tmp_path / "out", small_gazetteer_dir, progress=False)
    docs = documents(tmp_path / "out")
    assert docs["mac"]["title"] == "Headline without a stop" and int(docs["mac"]["n_sentences"]) >= 3
    for row in read_rows(tmp_path / "out" / "mentions.csv"):
        assert text[int(row["start_char"]):int(row["end_char"])] == row["evidence"]
        assert "Headline" not in row["evidence"]  # the headline is its own line, not part of the claim
