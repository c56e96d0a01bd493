"""Write outputs atomically: every file goes to a temporary name and is moved into place
only when the whole run has succeeded, so a failed run leaves the previous outputs intact.

CSV cells that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading
apostrophe, so that no cell runs as a formula when the file is opened in a spreadsheet (the
SQLite database keeps the values as they are). A cell that begins with an apostrophe gets one
more, so that ``restore`` gives back exactly the value written."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence


class OutputSet:
    """Collects the files of one run; ``commit`` moves them all into place, ``abort`` drops them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._pending: list[tuple[Path, Path]] = []
        self._open: list[Any] = []

    def _temp(self, name: str) -> Path:
        fd, tmp = tempfile.mkstemp(prefix=f".tmp-{name}.", dir=self.directory)
        os.close(fd)
        path = Path(tmp)
        self._pending.append((path, self.directory / name))
        return path

    def csv(self, name: str, columns: Sequence[str]) -> "CsvStream":
        stream = CsvStream(self._temp(name), columns)
        self._open.append(stream)
        return stream

    def sqlite(self, name: str) -> "SqliteStream":
        stream = SqliteStream(self._temp(name))
        self._open.append(stream)
        return stream

    def folder(self, name: str) -> Path:
        """A fresh, empty folder that replaces ``directory/name`` as a whole on commit."""
        path = Path(tempfile.mkdtemp(prefix=f".tmp-{name}.", dir=self.directory))
        self._pending.append((path, self.directory / name))
        return path

    def json(self, name: str, data: Mapping[str, Any]) -> None:
        self._temp(name).write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                    encoding="utf-8")

    def commit(self) -> None:
        for stream in self._open:
            stream.close()
        for tmp, final in self._pending:
            if tmp.is_dir():
                _replace_folder(tmp, final)
            else:
                os.replace(tmp, final)
        self._pending.clear()

    def abort(self) -> None:
        for stream in self._open:
            stream.close()
        for tmp, _ in self._pending:
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)
        self._pending.clear()

    def __enter__(self) -> "OutputSet":
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def _replace_folder(new: Path, final: Path) -> None:
    """Move ``new`` to ``final``; an old ``final`` is moved aside first and deleted after."""
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".tmp-old-{final.name}.", dir=final.parent)) / final.name
        os.replace(final, old)
    os.replace(new, final)
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)


class CsvStream:
    """A UTF-8 CSV with a fixed header; rows are written as they come (no buffering of the run)."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        self._handle = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow(self.columns)
        self.rows = 0

    def write(self, row: Mapping[str, object]) -> None:
        self.write_all((row,))

    def write_all(self, rows: Iterable[Mapping[str, object]]) -> None:
        columns = self.columns
        for row in rows:
            self._writer.writerow([_cell(row.get(c, "")) for c in columns])
            self.rows += 1

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISED = FORMULA_STARTS + ("'",)


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(NEUTRALISED) else text


def restore(cell: str) -> str:
    """The value ``_cell`` was given: drops the apostrophe it added (and only that one), so
    neutralising round-trips exactly, also after a spreadsheet has dropped that apostrophe."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1:2] in NEUTRALISED else cell


class SqliteStream:
    """A SQLite database of tables with the same columns as the CSV files."""

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self._db = sqlite3.connect(path)
        self._columns: dict[str, tuple[str, ...]] = {}
        self._insert: dict[str, str] = {}

    def table(self, name: str, columns: Sequence[str]) -> None:
        self._columns[name] = tuple(columns)
        self._insert[name] = f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in columns)})'
        self._db.execute(f'CREATE TABLE "{name}" ({", ".join(f"{c!r} " for c in columns)})'.replace("'", '"'))

    def write(self, name: str, row: Mapping[str, object]) -> None:
        self.write_all(name, (row,))

    def write_all(self, name: str, rows: Iterable[Mapping[str, object]]) -> None:
        columns = self._columns[name]
        self._db.executemany(self._insert[name], ([_sql(row.get(c, "")) for c in columns] for row in rows))

    def close(self) -> None:
        if self._db is not None:
            self._db.commit()
            self._db.close()
            self._db = None  # type: ignore[assignment]


def _sql(value: object) -> object:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else ("" if value is None else str(value))
