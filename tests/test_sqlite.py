"""claims.sqlite for Datasette: keys, types, NULLs, indexes, full-text search and metadata.json."""

from __future__ import annotations

import csv
import json

import sqlite_utils

from extract.schema import (DESCRIPTIONS, INTEGER_COLUMNS, OUTPUT_FILES, PRIMARY_KEYS, SQLITE_TABLES,
                            TABLE_DESCRIPTIONS, describe)


def test_every_output_column_is_described():
    for name, columns in OUTPUT_FILES.items():
        table = name.removesuffix(".csv")
        assert table in TABLE_DESCRIPTIONS
        missing = [c for c in columns if f"{table}.{c}" not in DESCRIPTIONS and c not in DESCRIPTIONS]
        assert not missing, f"describe {missing} of {name} in extract/schema.py DESCRIPTIONS"


def test_database_opens_with_sqlite_utils_keys_types_and_nulls(seed_outputs):
    db = sqlite_utils.Database(seed_outputs / "claims.sqlite")
    assert set(SQLITE_TABLES) <= set(db.table_names())
    for table, keys in PRIMARY_KEYS.items():
        assert db[table].pks == list(keys), table
    assert db["entities"].pks == ["rowid"]  # no natural key: Datasette links rows by rowid
    claims = db["claims"]
    types = {c.name: c.type for c in claims.columns}
    assert types["quantity"] == types["n_sources"] == "INTEGER" and types["evidence"] == "TEXT"
    assert all(types[c] == "INTEGER" for c in types if c in INTEGER_COLUMNS)
    with (seed_outputs / "claims.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert claims.count == len(rows)
    su30 = next(r for r in rows if r["weapon"] == "Su-30SME" and r["status"] == "ordered")
    stored = claims.get(su30["claim_id"])
    assert stored["quantity"] == int(su30["quantity"]) and stored["speaker"] is None  # empty cells are NULL
    assert db.execute("select count(*) from claims where supplier = ''").fetchone()[0] == 0
    links = db.execute("select count(*) from claim_mentions join mentions using (mention_id)").fetchone()[0]
    assert links == db["mentions"].count
    indexed = {tuple(i.columns) for t in ("entities", "mentions", "claim_mentions") for i in db[t].indexes}
    assert {("doc_id",), ("mention_id",)} <= indexed
    assert {fk.other_table for fk in db["mentions"].foreign_keys} == {"documents"}


def test_full_text_search_on_evidence(seed_outputs):
    db = sqlite_utils.Database(seed_outputs / "claims.sqlite")
    assert db["claims"].detect_fts() == "claims_fts" and db["mentions"].detect_fts() == "mentions_fts"
    found = list(db["claims"].search("Pantsir"))
    assert found and all("Pantsir" in row["evidence"] for row in found)


def test_metadata_json_describes_every_column_for_datasette(seed_outputs):
    metadata = json.loads((seed_outputs / "metadata.json").read_text(encoding="utf-8"))
    tables = metadata["databases"]["claims"]["tables"]
    db = sqlite_utils.Database(seed_outputs / "claims.sqlite")
    for table in SQLITE_TABLES:
        assert tables[table]["description"]
        assert tables[table]["columns"] == {c.name: describe(table, c.name) for c in db[table].columns}
