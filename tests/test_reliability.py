"""Fast checks of the `make reliability` battery's parts (the battery itself takes minutes)."""

from __future__ import annotations

import csv
import io
import json
import random

from extract import reliability
from extract.corpus.files import printable_name


def test_every_spreadsheet_dialect_round_trips_through_csv(tmp_path):
    dialects = list(reliability.spreadsheet_dialects())
    assert len(set(dialects)) == len(dialects) == 48
    rows = [["c-1", "accepted", note] for note in reliability.NOTES]
    for dialect in dialects:
        path = tmp_path / "r.csv"
        dialect.write(path, ["claim_id", "review_status", "review_note"], rows)
        text = path.read_bytes().decode(dialect.encoding).lstrip("\ufeff")
        back = list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter))
        assert back == [["claim_id", "review_status", "review_note"], *rows], dialect


def _output_set(folder, documents: int, rows: int) -> None:
    folder.mkdir()
    for name in reliability.OUTPUT_CSVS:
        (folder / name).write_text("doc_id,status\n", encoding="utf-8")
    (folder / "documents.csv").write_text("doc_id,status\n" + "".join(f"d{i},ok\n" for i in range(rows)))
    (folder / "run.json").write_text(json.dumps({"documents": documents}))


def test_set_problems_sees_mixed_sets_and_leftovers(tmp_path):
    _output_set(tmp_path / "good", 2, 2)
    assert reliability.set_problems(tmp_path / "good") == []
    _output_set(tmp_path / "mixed", 800, 5)
    assert "mixed sets" in reliability.set_problems(tmp_path / "mixed")[0]
    (tmp_path / "good" / ".tmp-claims.csv.1.x").write_text("")
    assert reliability.set_problems(tmp_path / "good", swept=False) == []
    assert "left behind" in reliability.set_problems(tmp_path / "good")[0]


def test_lost_decisions_are_counted(tmp_path):
    (tmp_path / "claims.csv").write_text("claim_id,review_status,review_note\nc-1,accepted,ok\nc-2,,\n")
    (tmp_path / "reviews.csv").write_text("claim_id,review_status,review_note\nc-1,accepted,ok\nc-2,rejected,no\n")
    decisions = {"c-1": ("accepted", "ok"), "c-2": ("rejected", "no")}
    assert reliability.lost_decisions(tmp_path, decisions, applied=False) == []
    assert [d[:3] for d in reliability.lost_decisions(tmp_path, decisions)] == ["c-2"]


def test_bad_files_make_what_they_name(tmp_path):
    cases = reliability.bad_files(random.Random(1))
    for case in cases.values():
        case.make(tmp_path / case.name.decode("utf-8", "surrogateescape"))
    names = {printable_name(p.name) for p in tmp_path.iterdir()}
    assert {"bad_caf\\xe9.txt", "bad_line\\rbreak.txt", "bad_folder.txt"} <= names
    assert (tmp_path / "bad_loop.txt").is_symlink() and (tmp_path / "bad_folder.txt").is_dir()
    assert len(names) == len(cases)


def test_fault_runs_go_without_the_cache_and_tell_where_a_signal_lands(tmp_path):
    assert "--no-cache" in reliability.FAULT_RUN  # with the cache a rerun ends before any signal
    pid = 4242
    assert reliability.progress(tmp_path, pid) == ("start-up", 0)
    entities = tmp_path / f".tmp-entities.csv.{pid}.ab12"
    entities.write_text("doc_id,entity_type\nd1,WEAPON\nd1,COUNTRY\nd2,WEAPON\nd3,WEAP")
    (tmp_path / ".tmp-entities.csv.99.cd34").write_text("doc_id\nx1\nx2\nx3\n")  # another run's
    assert reliability.progress(tmp_path, pid) == ("processing documents", 2)
    assert reliability.landing("processing documents", 2, 60) == "processing documents, 2 of 60 documents written"
    (tmp_path / f".tmp-claims.csv.{pid}.ef56").write_text("")
    assert reliability.progress(tmp_path, pid)[0] == "writing claims"
    (tmp_path / ".commit-journal.json").write_text("{}")
    assert reliability.progress(tmp_path, pid)[0] == "committing"
    moments = {m.name: m for m in reliability.fault_moments(60)}
    assert moments["half way"].when("processing documents", 30, 9.0)
    assert not moments["half way"].when("processing documents", 29, 9.0)
    assert moments["while writing claims"].when("committing", -1, 9.0)
