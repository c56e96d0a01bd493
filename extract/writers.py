"""Write outputs atomically: every file goes to a temporary name and is moved into place
only when the whole run has succeeded, so a failed run leaves the previous outputs intact."""

from __future__ import annotations

import csv
import json
import os
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

    def json(self, name: str, data: Mapping[str, Any]) -> None:
        self._temp(name).write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                    encoding="utf-8")

    def commit(self) -> None:
        for stream in self._open:
            stream.close()
        for tmp, final in self._pending:
            os.replace(tmp, final)
        self._pending.clear()

    def abort(self) -> None:
        for stream in self._open:
            stream.close()
        for tmp, _ in self._pending:
            tmp.unlink(missing_ok=True)
        self._pending.clear()

    def __enter__(self) -> "OutputSet":
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


class CsvStream:
    """A UTF-8 CSV with a fixed header; rows are written as they come (no buffering of the run)."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        self._handle = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.DictWriter(self._handle, fieldnames=self.columns, lineterminator="\n",
                                      extrasaction="raise")
        self._writer.writeheader()
        self.rows = 0

    def write(self, row: Mapping[str, object]) -> None:
        self._writer.writerow({c: _cell(row.get(c, "")) for c in self.columns})
        self.rows += 1

    def write_all(self, rows: Iterable[Mapping[str, object]]) -> None:
        for row in rows:
            self.write(row)

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value)
