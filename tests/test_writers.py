"""CsvStream and SqliteStream write each cell as ``_cell`` and ``_sql`` make it, whatever the row holds."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from hypothesis import given, settings, strategies as st

from extract.outputs.writers import CsvStream, SqliteStream, _cell, _sql, read_rows

VALUES = st.one_of(st.text(alphabet="'=+-@\t\r\n\"a1 ,", max_size=6), st.integers(-20, 20), st.none(), st.booleans(),
                   st.floats(-2, 2, allow_nan=False))
COLUMNS = ("quantity", "evidence", "note")  # quantity is an INTEGER column in the database


def rows_of(columns: tuple[str, ...]) -> st.SearchStrategy[list[dict[str, object]]]:
    """Rows with any of the columns missing, and a key no column names."""
    return st.lists(st.fixed_dictionaries({}, optional={c: VALUES for c in (*columns, "other")}), max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(st.just(COLUMNS[:n]), rows_of(COLUMNS[:n]))))
def test_csv_rows_hold_the_cells_of_cell(tmp_path_factory, columns_rows):
    columns, rows = columns_rows
    folder = tmp_path_factory.mktemp("csv")
    stream = CsvStream(folder / "new.csv", columns)
    stream.write_all(rows)
    stream.close()
    with (folder / "expected.csv").open("w", encoding="utf-8", newline="") as handle:
        plain = csv.writer(handle, lineterminator="\n")
        plain.writerow(columns)
        for row in rows:
            cells = [_cell(row.get(c)) for c in columns]
            (csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL) if any("\r" in c for c in cells)
             else plain).writerow(cells)
    assert (folder / "new.csv").read_bytes() == (folder / "expected.csv").read_bytes()
    assert stream.rows == len(rows)
    assert [list(r.values()) for r in read_rows(folder / "new.csv")] == [
        ["" if row.get(c) is None else str(row[c]) for c in columns] for row in rows]


def test_csv_escapes_formula_starts_and_quotes_a_lone_carriage_return(tmp_path):
    stream = CsvStream(tmp_path / "t.csv", ("a", "b"))
    stream.write_all([{"a": "=1+1", "b": -3}, {"a": "'@x", "b": "it's"}, {"a": "x\ry"}, {"b": None, "c": "-"}])
    stream.close()
    assert (tmp_path / "t.csv").read_bytes() == (
        b"a,b\n'=1+1,'-3\n''@x,it's\n\"x\ry\",\"\"\n,\n")


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(st.just(COLUMNS[:n]), rows_of(COLUMNS[:n]))))
def test_sqlite_stores_the_values_of_sql(tmp_path_factory, columns_rows):
    columns, rows = columns_rows
    folder = tmp_path_factory.mktemp("db")
    stream = SqliteStream(folder / "new.sqlite")
    stream.table("t", columns)
    stream.write_all("t", rows)
    stream.close()
    with sqlite3.connect(folder / "new.sqlite") as new, sqlite3.connect(":memory:") as expected:
        expected.execute(new.execute("SELECT sql FROM sqlite_master WHERE name = 't'").fetchone()[0])
        expected.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in columns)})",
                             [[_sql(row.get(c), c) for c in columns] for row in rows])
        query = "SELECT *, " + ", ".join(f"typeof({c})" for c in columns) + " FROM t ORDER BY rowid"
        assert new.execute(query).fetchall() == expected.execute(query).fetchall()


def test_sqlite_nulls_empty_cells_and_types_integer_columns(tmp_path: Path):
    stream = SqliteStream(tmp_path / "t.sqlite")
    stream.table("t", COLUMNS)
    stream.write_all("t", [{"quantity": "12", "evidence": "", "note": 3}, {"quantity": "", "evidence": True},
                           {"quantity": "twelve", "evidence": "x", "note": 1.5}])
    stream.close()
    with sqlite3.connect(tmp_path / "t.sqlite") as db:
        assert db.execute("SELECT * FROM t ORDER BY rowid").fetchall() == [
            (12, None, "3"), (None, "True", None), ("twelve", "x", "1.5")]
