"""Issue 9 items 1-8: an analyst's decision survives every edit, rerun and new document.

Each test reproduces a defect of the review round-trip end to end (``run`` on the seeds with the
small test gazetteer) and pins the fixed behaviour."""

from __future__ import annotations

import csv
import fcntl
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import SEEDS
from spreadsheet import SAVES, render, resave, review_round_trip, rows_of
from extract.cli import main
from extract.engine import runner
from extract.outputs import writers
from extract.reconcile import reviews
from extract.engine.runner import run
from extract.outputs.writers import _cell as escape_cell
from extract.outputs.writers import unescape_cell
from extract.schema import CLAIM_COLUMNS, REVIEW_COLUMNS


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, rows: list[dict[str, str]], columns, delimiter: str = ",", encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, delimiter=delimiter, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def decision(claim_id: str, status: str, note: str = "", reviewer: str = "ana", when: str = "2026-11-28",
             **extra: str) -> dict[str, str]:
    return dict(claim_id=claim_id, review_status=status, review_note=note, reviewer=reviewer, reviewed_at=when,
                **extra)


def later(path: Path, seconds: int = 10) -> None:
    """Mark a file as saved after the run that wrote the other files."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 10**9))


def claims_by_id(out: Path) -> dict[str, dict[str, str]]:
    return {c["claim_id"]: c for c in read(out / "claims.csv")}


def reviews_by_id(out: Path) -> dict[str, dict[str, str]]:
    return {r["claim_id"]: r for r in read(out / "reviews.csv")}


@pytest.fixture
def reviewed(tmp_path, small_gazetteer_dir):
    """A seeds run with two claims to decide on, and a rerun function."""
    out = tmp_path / "out"

    def rerun(input_dir: Path = SEEDS):
        return run(input_dir, out, small_gazetteer_dir)

    rerun()
    ids = [c["claim_id"] for c in read(out / "claims.csv")]
    return out, ids, rerun


# ---------------------------------------------------------------- 1. what is newest wins


def test_revised_decision_in_reviews_csv_is_not_reverted_by_stale_claims_csv(reviewed):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "accepted", "first look")], REVIEW_COLUMNS)
    rerun()
    assert claims_by_id(out)[ids[0]]["review_status"] == "accepted"
    write(out / "reviews.csv", [decision(ids[0], "rejected", "second look", when="2026-11-29")], REVIEW_COLUMNS)
    rerun()
    assert (claims_by_id(out)[ids[0]]["review_status"], claims_by_id(out)[ids[0]]["review_note"]) == \
        ("rejected", "second look")
    review = reviews_by_id(out)[ids[0]]
    assert (review["review_status"], review["reviewer"], review["reviewed_at"]) == ("rejected", "ana", "2026-11-29")


def test_revised_decision_in_claims_csv_wins_over_unchanged_reviews_csv(reviewed):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "accepted", "first look")], REVIEW_COLUMNS)
    rerun()
    claims = read(out / "claims.csv")
    row = next(c for c in claims if c["claim_id"] == ids[0])
    row["review_status"] = "needs_check"
    write(out / "claims.csv", claims, CLAIM_COLUMNS)
    rerun()
    assert claims_by_id(out)[ids[0]]["review_status"] == "needs_check"
    assert reviews_by_id(out)[ids[0]]["review_status"] == "needs_check"


def test_both_files_changed_the_later_saved_one_wins_and_the_other_is_kept_in_the_log(reviewed):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "accepted")], REVIEW_COLUMNS)
    rerun()
    claims = read(out / "claims.csv")
    next(c for c in claims if c["claim_id"] == ids[0])["review_status"] = "rejected"
    write(out / "claims.csv", claims, CLAIM_COLUMNS)
    write(out / "reviews.csv", [decision(ids[0], "needs_check", "which year?")], REVIEW_COLUMNS)
    later(out / "reviews.csv")
    summary = rerun()
    assert claims_by_id(out)[ids[0]]["review_status"] == "needs_check"
    log = read(out / "review_log.csv")
    assert sorted((r["review_status"], r["action"]) for r in log if r["claim_id"] == ids[0])[-2:] == \
        [("needs_check", "set"), ("rejected", "overridden")]
    assert any("conflict" in line and ids[0] in line for line in summary.review_report)


# ---------------------------------------------------------------- 2. saves during a run, two runs


def test_decision_saved_during_the_run_is_merged_not_overwritten(reviewed, monkeypatch):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "accepted")], REVIEW_COLUMNS)
    original = runner._reconcile

    def analyst_saves_meanwhile(*args, **kwargs):
        write(out / "reviews.csv", [decision(ids[0], "accepted"), decision(ids[1], "rejected", "saved mid-run")],
              REVIEW_COLUMNS)
        return original(*args, **kwargs)

    monkeypatch.setattr(runner, "_reconcile", analyst_saves_meanwhile)
    rerun()
    assert reviews_by_id(out)[ids[1]]["review_note"] == "saved mid-run"
    assert claims_by_id(out)[ids[1]]["review_status"] == "rejected"


def _save_at_the_commit(out: Path, rows: list[dict[str, str]], monkeypatch, times: int) -> list[int]:
    """Save reviews.csv at the last moment before the commit swaps the new files in (when the
    journal is staged, just before it takes effect), ``times`` times; returns the saves done."""
    saved: list[int] = []
    original = writers._fsync_dir

    def analyst_saves_at_the_swap(directory: Path) -> None:
        original(directory)
        if len(saved) < times and any(directory.glob(".tmp-journal.*")):
            write(out / "reviews.csv", rows, REVIEW_COLUMNS)
            saved.append(1)

    monkeypatch.setattr(writers, "_fsync_dir", analyst_saves_at_the_swap)
    return saved


def test_decision_saved_just_before_the_commit_swap_is_merged_not_overwritten(reviewed, monkeypatch):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "accepted")], REVIEW_COLUMNS)
    rerun()
    last = [decision(ids[0], "accepted"), decision(ids[1], "rejected", "saved at the last moment")]
    saved = _save_at_the_commit(out, last, monkeypatch, times=1)
    rerun()
    assert saved == [1]
    assert reviews_by_id(out)[ids[1]]["review_note"] == "saved at the last moment"
    assert claims_by_id(out)[ids[1]]["review_status"] == "rejected"


def test_saves_at_every_commit_refuse_the_run_and_keep_the_file(reviewed, monkeypatch):
    out, ids, rerun = reviewed
    before = (out / "claims.csv").read_bytes()
    last = [decision(ids[1], "rejected", "saved at the last moment")]
    _save_at_the_commit(out, last, monkeypatch, times=runner.COMMIT_ATTEMPTS)
    with pytest.raises(reviews.SavedDuringCommit, match="was saved while this run was committing"):
        rerun()
    assert [r["review_note"] for r in read(out / "reviews.csv")] == ["saved at the last moment"]
    assert (out / "claims.csv").read_bytes() == before


def test_a_second_run_on_the_same_output_folder_refuses_with_a_clear_message(reviewed, capsys):
    out, _, _ = reviewed
    before = (out / "claims.csv").read_bytes()
    with (out / ".extract.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main(["run", "--input", str(SEEDS), "--output", str(out), "--quiet"]) == 2
    assert "another run" in capsys.readouterr().err
    assert (out / "claims.csv").read_bytes() == before


# ---------------------------------------------------------------- 3. ids and decisions follow content


def test_a_syndicated_copy_moves_no_decision(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SEEDS, inp)
    run(inp, out)
    claims = read(out / "claims.csv")
    write(out / "reviews.csv", [decision(c["claim_id"], "accepted", c["mention_ids"]) for c in claims],
          REVIEW_COLUMNS)
    run(inp, out)
    text = (SEEDS / "001_07f86e086a543867.txt").read_text(encoding="utf-8")
    (inp / "001a_syndicated.txt").write_text(text, encoding="utf-8")
    summary = run(inp, out)
    assert summary.orphaned_reviews == []
    after = read(out / "claims.csv")
    assert len([c for c in after if c["review_status"]]) == len(claims)
    for claim in after:
        if claim["review_status"]:  # the note holds the mentions the decision was made on: all still here
            assert set(claim["review_note"].split(";")) <= set(claim["mention_ids"].split(";")), claim["claim_id"]
    before_ids = {c["claim_id"] for c in claims}
    assert before_ids <= {c["claim_id"] for c in after}


# ---------------------------------------------------------------- 4. statuses as people type them


def test_mistyped_statuses_are_normalised_or_kept_verbatim_and_listed(reviewed):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], " Accepted "), decision(ids[1], "approved", "looks right"),
                                decision(ids[2], "Needs check")], REVIEW_COLUMNS)
    claims = read(out / "claims.csv")
    next(c for c in claims if c["claim_id"] == ids[3]).update(review_status="yes", review_note="seen it")
    write(out / "claims.csv", claims, CLAIM_COLUMNS)
    summary = rerun()
    after = claims_by_id(out)
    assert after[ids[0]]["review_status"] == "accepted" and after[ids[2]]["review_status"] == "needs_check"
    assert after[ids[1]]["review_status"] == "" and after[ids[3]]["review_status"] == ""
    reviews = reviews_by_id(out)
    assert (reviews[ids[1]]["review_status"], reviews[ids[1]]["review_note"]) == ("approved", "looks right")
    assert (reviews[ids[3]]["review_status"], reviews[ids[3]]["review_note"]) == ("yes", "seen it")
    report = "\n".join(summary.review_report)
    assert "not applied" in report and "'approved'" in report and "'yes'" in report
    rerun()  # kept on every rerun until someone fixes it
    assert reviews_by_id(out)[ids[1]]["review_status"] == "approved"


# ---------------------------------------------------------------- 5. files saved by spreadsheets


@pytest.mark.parametrize("delimiter,encoding", [(";", "cp1252"), (";", "utf-8-sig"), ("\t", "utf-16"),
                                                (",", "utf-8-sig"), (";", "utf-16-le")])
def test_european_excel_reviews_csv_is_read(reviewed, delimiter, encoding):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "rejected", "Rüstung; prix à vérifier – 5€")], REVIEW_COLUMNS,
          delimiter, encoding)
    rerun()
    assert (claims_by_id(out)[ids[0]]["review_status"], claims_by_id(out)[ids[0]]["review_note"]) == \
        ("rejected", "Rüstung; prix à vérifier – 5€")


def test_renamed_header_and_european_claims_csv_are_read(reviewed):
    out, ids, rerun = reviewed
    with (out / "reviews.csv").open("w", encoding="cp1252", newline="") as handle:
        handle.write(f"Claim ID;Review Status;Review Note;Reviewer;Reviewed at\r\n{ids[0]};accepted;vu;zoé;28/11/2026\r\n")
    claims = read(out / "claims.csv")
    next(c for c in claims if c["claim_id"] == ids[1])["review_status"] = "rejected"
    write(out / "claims.csv", claims, CLAIM_COLUMNS, ";", "cp1252")
    rerun()
    after = claims_by_id(out)
    assert after[ids[0]]["review_status"] == "accepted" and after[ids[1]]["review_status"] == "rejected"
    assert reviews_by_id(out)[ids[0]]["reviewer"] == "zoé"


@pytest.mark.parametrize("content", [b"\x00\x01garbage\xff\xfe\x00" * 20, b"just some words\nand more\n",
                                     b"claim_id,review_status\nc-1,\"accepted\nc-2,rejected\n"])
def test_a_file_that_cannot_be_understood_is_kept_and_the_run_refuses(reviewed, capsys, content):
    out, _, _ = reviewed
    (out / "reviews.csv").write_bytes(content)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert main(["run", "--input", str(SEEDS), "--output", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "reviews.csv" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


# ---------------------------------------------------------------- 6. notes round-trip exactly


@pytest.mark.parametrize("note", ["-2 units, not 6", "=SUM(A1)", "+1 source", "@ana please check", "'quoted'",
                                  "''twice", "'-both", "\ttabbed", "plain"])
def test_notes_round_trip_exactly_through_both_files(reviewed, note):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "accepted", note)], REVIEW_COLUMNS)
    for _ in range(3):
        rerun()
    review = reviews_by_id(out)[ids[0]]
    assert (review["review_note"], review["reviewer"], review["reviewed_at"]) == \
        (_sheet(note), "ana", "2026-11-28")
    assert claims_by_id(out)[ids[0]]["review_note"] == _sheet(note)


def _sheet(cell: str) -> str:
    """How a typed cell is written back: its value (``unescape_cell``), escaped again; so a cell
    the tool wrote comes back byte for byte."""
    return escape_cell(unescape_cell(cell))


def test_a_note_typed_into_claims_csv_with_a_formula_start_keeps_its_reviewer(reviewed):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "accepted", "-2 units")], REVIEW_COLUMNS)
    rerun()
    rerun()
    rerun()
    assert reviews_by_id(out)[ids[0]]["reviewer"] == "ana"


# ---------------------------------------------------------------- 7. nothing swallowed


def test_unclosed_quote_is_reported_with_its_line_and_nothing_is_rewritten(reviewed, capsys):
    out, ids, _ = reviewed
    text = (f"claim_id,review_status,review_note,reviewer,reviewed_at\n{ids[0]},accepted,ok,ana,2026-11-28\n"
            f"{ids[1]},rejected,\"unclosed,ana,2026-11-28\n{ids[2]},accepted,fine,ana,2026-11-28\n")
    (out / "reviews.csv").write_text(text, encoding="utf-8")
    assert main(["run", "--input", str(SEEDS), "--output", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "reviews.csv" in err and "line 3" in err
    assert (out / "reviews.csv").read_text(encoding="utf-8") == text


def test_extra_columns_and_earlier_decisions_are_kept(reviewed):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "needs_check", "first", ticket="T-1"),
                                decision(ids[0], "accepted", "second", ticket="T-2"),
                                decision(ids[1], "rejected", "other", ticket="")],
          REVIEW_COLUMNS + ("ticket",))
    rerun()
    rerun()
    reviews = read(out / "reviews.csv")
    assert "ticket" in reviews[0]
    assert {(r["claim_id"], r["review_status"], r["ticket"]) for r in reviews} >= \
        {(ids[0], "accepted", "T-2"), (ids[1], "rejected", "")}
    assert claims_by_id(out)[ids[0]]["review_note"] == "second"
    log = [(r["claim_id"], r["review_status"], r["review_note"]) for r in read(out / "review_log.csv")]
    assert log == [(ids[0], "needs_check", "first"), (ids[0], "accepted", "second"), (ids[1], "rejected", "other")]


@pytest.mark.parametrize("how", ["excel-csv-utf8-european", "excel-unicode-text", "excel-csv-western"])
def test_columns_an_analyst_adds_to_claims_csv_survive_reruns_and_spreadsheet_saves(reviewed, how):
    out, ids, rerun = reviewed
    header, *body = rows_of(out / "claims.csv")
    marks = {ids[0]: ["high", ""], ids[2]: ["", "ask the desk"]}
    claim_id = header.index("claim_id")
    (out / "claims.csv").write_bytes(render([header + ["priority", "desk_note"],
                                             *[row + marks.get(row[claim_id], ["", ""]) for row in body]], SAVES[how]))

    def typed() -> dict[str, tuple[str, str]]:
        return {c["claim_id"]: (c["priority"], c["desk_note"]) for c in read(out / "claims.csv")
                if c["priority"] or c["desk_note"]}

    rerun()
    assert typed() == {ids[0]: ("high", ""), ids[2]: ("", "ask the desk")}
    assert {r["claim_id"]: (r["priority"], r["desk_note"]) for r in read(out / "reviews.csv")} == typed()
    logged = len(read(out / "review_log.csv"))
    resave(out / "claims.csv", how)  # opened and saved again, nothing changed
    rerun()
    rerun()
    assert typed() == {ids[0]: ("high", ""), ids[2]: ("", "ask the desk")}
    assert len(read(out / "review_log.csv")) == logged
    claims = read(out / "claims.csv")
    next(c for c in claims if c["claim_id"] == ids[0])["priority"] = ""  # clearing a cell is an edit
    write(out / "claims.csv", claims, list(claims[0]))
    rerun()
    assert typed() == {ids[2]: ("", "ask the desk")}
    assert [json.loads(r["extra"] or "{}") for r in read(out / "review_log.csv") if r["claim_id"] == ids[0]] == \
        [{"priority": "high"}, {}]


# ---------------------------------------------------------------- 8. undo


def test_clearing_the_status_in_claims_csv_undoes_the_decision(reviewed):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "accepted", "looked fine")], REVIEW_COLUMNS)
    rerun()
    claims = read(out / "claims.csv")
    next(c for c in claims if c["claim_id"] == ids[0]).update(review_status="", review_note="")
    write(out / "claims.csv", claims, CLAIM_COLUMNS)
    rerun()
    assert claims_by_id(out)[ids[0]]["review_status"] == ""
    assert ids[0] not in reviews_by_id(out)
    log = [(r["claim_id"], r["review_status"], r["action"]) for r in read(out / "review_log.csv")]
    assert log[-2:] == [(ids[0], "accepted", "set"), (ids[0], "", "undo")]
    rerun()
    assert claims_by_id(out)[ids[0]]["review_status"] == ""


def test_a_row_deleted_from_reviews_csv_is_restored_not_undone(reviewed):
    out, ids, rerun = reviewed
    write(out / "reviews.csv", [decision(ids[0], "accepted"), decision(ids[1], "rejected")], REVIEW_COLUMNS)
    rerun()
    write(out / "reviews.csv", [decision(ids[1], "rejected")], REVIEW_COLUMNS)
    summary = rerun()
    assert claims_by_id(out)[ids[0]]["review_status"] == "accepted"
    assert any("restored" in line for line in summary.review_report)


# ---------------------------------------------------------------- the shared spreadsheet round trip


@pytest.mark.parametrize("how,name", [("excel-csv-european", "claims.csv"), ("excel-unicode-text", "reviews.csv"),
                                      ("numbers-no-header", "reviews.csv")])
def test_spreadsheet_round_trip_loses_nothing(reviewed, how, name):
    out, _, rerun = reviewed
    assert review_round_trip(out, rerun, how, name) == []
