"""Write outputs atomically, as a set: every file goes to a temporary name; when the whole run
has succeeded, a journal listing the moves is written (itself atomically), the files are moved
into place, and the journal is removed. A run killed before the journal leaves the previous
outputs intact; one killed while moving leaves the journal, and the next run (``recover``)
completes the moves before it reads anything. Temporaries of runs that died are swept at start.
Files get the permissions of the umask, like any file the user creates.

CSV cells that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading
apostrophe, so that no cell runs as a formula when the file is opened in a spreadsheet (the
SQLite database keeps the values as they are). So that the apostrophe can always be dropped
again (``unescape_cell``), a value that already begins with apostrophes before such a character
gets one more."""

from __future__ import annotations

import csv
import json
import logging
import os
import shutil
import sqlite3
import tempfile
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from ..schema import (FOREIGN_KEYS, FULL_TEXT, INDEXED, INTEGER_COLUMNS, PRIMARY_KEYS, SQLITE_TABLES,
                      TABLE_DESCRIPTIONS, describe)


log = logging.getLogger(__name__)
JOURNAL = ".commit-journal.json"
TEMP_PREFIX = ".tmp-"


class OutputError(OSError):
    """The output folder cannot be written."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not supported here (Windows): the renames are still atomic one by one
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _move(tmp: Path, final: Path) -> None:
    if tmp.is_dir():
        _replace_folder(tmp, final)
    else:
        os.replace(tmp, final)


def recover(directory: Path) -> None:
    """Complete a commit that a killed run left half done, then remove temporaries of dead runs
    (``.tmp-NAME.PID.xxxx``; a temporary of a live run is left alone)."""
    journal = directory / JOURNAL
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            pid, moves = int(entry["pid"]), [(str(a), str(b)) for a, b in entry["moves"]]
        except (OSError, ValueError, KeyError, TypeError):
            pid, moves = -1, []  # written by replace, so never torn; unreadable means not ours
        if pid == os.getpid() or not _alive(pid):
            done = 0
            for tmp, final in moves:
                if (directory / tmp).exists():
                    _move(directory / tmp, directory / final)
                    done += 1
            _fsync_dir(directory)
            journal.unlink(missing_ok=True)
            if done and pid != os.getpid():
                log.warning("%s: completed the commit of an interrupted run (%d file(s) moved into place)",
                            directory, done)
    if not directory.is_dir():
        return
    for path in directory.glob(TEMP_PREFIX + "*"):
        pid = _owner(path)
        if pid != os.getpid() and (pid < 0 or not _alive(pid)):
            _remove(path)


def _owner(temporary: Path) -> int:
    """The process that made ``.tmp-NAME.PID.xxxx`` (-1: not named so)."""
    parts = temporary.name.split(".")
    return int(parts[-2]) if len(parts) >= 4 and parts[-2].isdigit() else -1


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def prepare(directory: Path) -> None:
    """Make sure the output folder exists and can be written; raise ``OutputError`` saying why not."""
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"output path {directory} exists and is not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}probe.{os.getpid()}.", dir=directory)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"cannot write to output folder {directory}: {exc.strerror or exc}") from exc


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class OutputSet:
    """Collects the files of one run; ``commit`` moves them all into place, ``abort`` drops them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        prepare(directory)
        recover(directory)
        self._pending: list[tuple[Path, Path]] = []
        self._open: list[Any] = []
        self._guards: list[Callable[[], None]] = []
        self._first: set[str] = set()

    def _temp(self, name: str) -> Path:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{name}.{os.getpid()}.", dir=self.directory)
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
        path = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{name}.{os.getpid()}.", dir=self.directory))
        self._pending.append((path, self.directory / name))
        return path

    def json(self, name: str, data: Mapping[str, Any]) -> None:
        with self._temp(name).open("w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def guard(self, names: Sequence[str], check: Callable[[], None]) -> None:
        """Call ``check`` at the last moment before the commit point (every file written and the
        journal staged); an exception from it aborts the commit, so the previous outputs stay. The
        files ``names`` are moved into place first: between the check and their replacement there
        are only the journal's rename and theirs."""
        self._guards.append(check)
        self._first.update(names)

    def commit(self) -> None:
        """Close every file, then move the set into place under a journal (see the module doc).
        A failure before the journal is in place (a full disk, a guard) drops the temporaries:
        the previous outputs stay as they were."""
        journal = self.directory / JOURNAL
        try:
            for stream in self._open:
                stream.close()
            mask = _umask()
            for tmp, _ in self._pending:
                os.chmod(tmp, (0o777 if tmp.is_dir() else 0o666) & ~mask)
            self._pending.sort(key=lambda pending: pending[1].name not in self._first)  # guarded files first
            fd, staged = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}journal.{os.getpid()}.", dir=self.directory)
            self._pending.append((Path(staged), journal))  # dropped with the others on failure
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"pid": os.getpid(), "moves": [[t.name, f.name] for t, f in self._pending[:-1]]}, handle)
                handle.flush()
                os.fsync(handle.fileno())
            _fsync_dir(self.directory)
            for check in self._guards:
                check()
            os.replace(staged, journal)  # from here on the new set is committed: recover() finishes it
        except BaseException:
            self.abort()
            raise
        self._pending.clear()
        recover(self.directory)

    def abort(self) -> None:
        for stream in self._open:
            try:
                stream.close()
            except (OSError, sqlite3.Error):
                pass  # a full disk: the temporary goes anyway
        for tmp, _ in self._pending:
            _remove(tmp)
        self._pending.clear()
        # and any this process made but had not yet listed (Ctrl-C between creating a file and
        # recording it): one run per folder at a time, so every temporary of this pid is this set's
        for path in self.directory.glob(TEMP_PREFIX + "*"):
            if _owner(path) == os.getpid():
                _remove(path)

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
        old = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}old-{final.name}.{os.getpid()}.", dir=final.parent)) / final.name
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
        # The csv module quotes a "\n" but not a lone "\r", which readers take for a line end: such rows
        # are written with every cell quoted.
        self._quoted = csv.writer(self._handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        self._writer.writerow(self.columns)
        self.rows = 0

    def write(self, row: Mapping[str, object]) -> None:
        self.write_all((row,))

    def write_all(self, rows: Iterable[Mapping[str, object]]) -> None:
        values = _values(self.columns)
        plain, quoted = self._writer.writerow, self._quoted.writerow
        for row in rows:
            # inline for the common cell, text that needs no apostrophe: _cell's result without the call
            cells = [v if v.__class__ is str and v[:1] not in ESCAPED_STARTS else _cell(v) for v in values(row)]
            (quoted if "\r" in "".join(cells) else plain)(cells)
            self.rows += 1

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPED_STARTS = frozenset(FORMULA_STARTS + ("'",))  # a cell starting otherwise is written as it is


def _escaped(text: str) -> bool:
    """What gets one more apostrophe when written: apostrophes (or none) before a formula start."""
    return text.lstrip("'").startswith(FORMULA_STARTS)



def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if _escaped(text) else text


def _values(columns: Sequence[str]) -> Callable[[Mapping[str, object]], Sequence[object]]:
    """row -> its values in ``columns``, None for a column it lacks."""
    every = itemgetter(*columns) if len(columns) > 1 else lambda row: tuple(row[c] for c in columns)

    def values(row: Mapping[str, object]) -> Sequence[object]:
        try:
            return every(row)  # type: ignore[no-any-return]
        except KeyError:
            return [row.get(c) for c in columns]
    return values


def unescape_cell(cell: str) -> str:
    """The value a CSV cell holds: without the apostrophe ``_cell`` added."""
    return cell[1:] if cell.startswith("'") and _escaped(cell[1:]) else cell


def read_rows(path: Path) -> Iterator[dict[str, object]]:
    """The rows of a CSV written here, as they were before writing (``unescape_cell``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {k: unescape_cell(v) for k, v in row.items()}


class SqliteStream:
    """claims.sqlite for sqlite3 and Datasette, laid out by ``schema``: typed columns (INTEGER for
    counts and offsets), NULL for a missing value, primary keys, foreign keys to documents, claims
    and mentions, indexes on the join columns, and FTS5 full-text search on the evidence
    (``claims_fts``, ``mentions_fts``), built when the database is closed."""

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self._db = sqlite3.connect(path)
        self._columns: dict[str, tuple[str, ...]] = {}
        self._insert: dict[str, str] = {}

    def table(self, name: str, columns: Sequence[str]) -> None:
        self._columns[name] = tuple(columns)
        self._insert[name] = f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in columns)})'
        parts = [f'"{c}" {_type(c)}' + (f' REFERENCES "{FOREIGN_KEYS[(name, c)]}"' if (name, c) in FOREIGN_KEYS else "")
                 for c in columns]
        if name in PRIMARY_KEYS:
            keys = ", ".join(f'"{c}"' for c in PRIMARY_KEYS[name])
            parts.append(f"PRIMARY KEY ({keys})")
        self._db.execute(f'CREATE TABLE "{name}" ({", ".join(parts)})')

    def write(self, name: str, row: Mapping[str, object]) -> None:
        self.write_all(name, (row,))

    def write_all(self, name: str, rows: Iterable[Mapping[str, object]]) -> None:
        columns = self._columns[name]
        values, texts = _values(columns), [c not in INTEGER_COLUMNS for c in columns]
        # _sql inline for the common cells: text ("" is NULL; a number in an INTEGER column aside) and ints
        self._db.executemany(self._insert[name], (
            [(v or None) if v.__class__ is str and (t or not v) else v if v.__class__ is int else _sql(v, c)
             for v, c, t in zip(values(row), columns, texts)] for row in rows))

    def _finish(self) -> None:
        for table, column in INDEXED:
            if table in self._columns:
                self._db.execute(f'CREATE INDEX "idx_{table}_{column}" ON "{table}" ("{column}")')
        for table, columns in FULL_TEXT.items():
            if table in self._columns:
                names = ", ".join(f"[{c}]" for c in columns)
                self._db.execute(f"CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 ({names}, content=[{table}])")
                self._db.execute(f"INSERT INTO [{table}_fts] (rowid, {names}) SELECT rowid, {names} FROM [{table}]")

    def close(self) -> None:
        if self._db is not None:
            self._finish()
            self._db.commit()
            self._db.close()
            self._db = None  # type: ignore[assignment]


def _type(column: str) -> str:
    return "INTEGER" if column in INTEGER_COLUMNS else "TEXT"


def _sql(value: object, column: str) -> object:
    """NULL for a missing value; an integer column's value as an integer."""
    if value is None or value == "":
        return None
    if column in INTEGER_COLUMNS and not isinstance(value, int):
        try:
            return int(str(value))
        except ValueError:
            return str(value)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def datasette_metadata(database: str = "claims") -> dict[str, Any]:
    """Datasette metadata (``datasette claims.sqlite -m metadata.json``): every table and column described."""
    return {
        "title": "extract: arms-transfer claims",
        "description": "Tables written by extract run; offsets refer to the decoded article text.",
        "databases": {database: {"tables": {
            table: {"description": TABLE_DESCRIPTIONS[table],
                    "columns": {c: describe(table, c) for c in columns}}
            for table, columns in SQLITE_TABLES.items()}}},
    }
