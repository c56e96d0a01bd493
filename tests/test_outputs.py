"""claims.csv, transfers.csv, reviews round-trip, claims.sqlite and spreadsheet safety."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

from conftest import GOLD, SEEDS, snapshot
from extract.evaluate import evaluate_claims, evaluate_clusters
from extract.engine.runner import run
from extract.schema import CLAIM_COLUMNS, REVIEW_COLUMNS, TRANSFER_COLUMNS


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, rows: list[dict[str, str]], columns) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_reconciliation_target_on_seeds(seed_outputs):
    matches = evaluate_claims(GOLD, seed_outputs).matches
    scores = evaluate_clusters(GOLD, seed_outputs, matches)
    assert scores.f1 >= 0.90 and scores.status_mixes == 0, scores


def test_claims_contract(seed_outputs):
    with (seed_outputs / "claims.csv").open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == CLAIM_COLUMNS
    claims = read(seed_outputs / "claims.csv")
    mentions = {m["mention_id"]: m for m in read(seed_outputs / "mentions.csv")}
    assert len({c["claim_id"] for c in claims}) == len(claims)
    for claim in claims:
        ids = claim["mention_ids"].split(";")
        assert all(i in mentions for i in ids)
        assert int(claim["n_sources"]) == len({mentions[i]["doc_id"] for i in ids}) >= int(claim["n_independent"]) >= 1
        assert claim["evidence"] in {mentions[i]["evidence"] for i in ids}
    assert sorted(i for c in claims for i in c["mention_ids"].split(";")) == sorted(mentions)


def test_transfer_register(seed_outputs):
    with (seed_outputs / "transfers.csv").open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == TRANSFER_COLUMNS
    rows = read(seed_outputs / "transfers.csv")
    su30 = next(r for r in rows if r["weapon_designation"] == "Su-30SME")
    assert (su30["supplier"], su30["recipient"], su30["number_ordered"], su30["number_delivered"],
            su30["years_of_delivery"], su30["status"], su30["weapon_description"]) == \
        ("Russia", "Myanmar", "6", "2", "2023", "delivered", "fighter aircraft")
    assert su30["year_of_order"] == "2022" and "2020" in su30["comments"]


def test_review_round_trip(tmp_path):
    out = tmp_path / "out"
    run(SEEDS, out)
    claims = read(out / "claims.csv")
    first, second = claims[0]["claim_id"], claims[1]["claim_id"]
    write(out / "reviews.csv", [{"claim_id": first, "review_status": "accepted", "review_note": "checked vs SIPRI",
                                 "reviewer": "ana", "reviewed_at": "2026-11-28"},
                                {"claim_id": "c-000000000000", "review_status": "rejected", "review_note": "gone",
                                 "reviewer": "ana", "reviewed_at": "2026-11-01"}], REVIEW_COLUMNS)
    claims[1]["review_status"], claims[1]["review_note"] = "needs_check", "which year?"
    write(out / "claims.csv", claims, CLAIM_COLUMNS)
    summary = run(SEEDS, out)
    after = {c["claim_id"]: c for c in read(out / "claims.csv")}
    assert (after[first]["review_status"], after[first]["review_note"]) == ("accepted", "checked vs SIPRI")
    assert (after[second]["review_status"], after[second]["review_note"]) == ("needs_check", "which year?")
    reviews = {r["claim_id"]: r for r in read(out / "reviews.csv")}
    assert reviews["c-000000000000"]["review_status"] == "rejected"  # kept, never deleted
    assert reviews[second]["reviewer"] == "claims.csv"
    assert summary.orphaned_reviews == ["c-000000000000"]
    before = snapshot(out)
    run(SEEDS, out)
    assert snapshot(out) == before  # a rerun with no changes is byte-identical


def test_sqlite_has_every_table(seed_outputs):
    with sqlite3.connect(seed_outputs / "claims.sqlite") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"documents", "entities", "mentions", "claims", "transfers", "reviews"} <= tables
        for table, path in (("claims", "claims.csv"), ("mentions", "mentions.csv"), ("entities", "entities.csv")):
            assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == len(read(seed_outputs / path))
        columns = [r[1] for r in db.execute("PRAGMA table_info(claims)")]
        assert tuple(columns) == CLAIM_COLUMNS


def test_hostile_cells_are_neutralised(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(SEEDS / "004_4ab999952ab3537c.txt", inp)
    (inp / "hostile.txt").write_text(
        "Hostile page\n\n=HYPERLINK(\"http://x\",\"Russia delivered six Su-30SME jets to Myanmar in 2022.\")\n\n"
        "+Russia sold Su-30SME jets to Myanmar, the ministry said.\n\n"
        "-Dr. Evil Person said Russia sold Pantsir-S1 systems to Myanmar.\n\n@Fomin met Min Aung Hlaing in Moscow.\n",
        encoding="utf-8")
    run(inp, tmp_path / "out")
    for name in ("entities.csv", "mentions.csv", "claims.csv", "transfers.csv"):
        with (tmp_path / "out" / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    mentions = read(tmp_path / "out" / "mentions.csv")
    assert any(m["evidence"].startswith("'=HYPERLINK") for m in mentions)
