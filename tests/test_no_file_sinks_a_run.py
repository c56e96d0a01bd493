"""Issue 9 items 9-16: no file sinks a run. Each test reproduces a defect of the old code."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

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
