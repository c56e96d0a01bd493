"""Read a CSV file a person may have saved from a spreadsheet, or refuse it with a reason.

Excel and LibreOffice save "CSV" in many ways: ``;`` separators (European locales), tabs
("Unicode text"), cp1252, UTF-16 or UTF-8 with a byte-order mark, CRLF line ends, headers
retyped as "Review Status". ``read`` accepts all of these: it decodes the bytes (BOM, then
UTF-8, then UTF-16 by its NUL pattern, then cp1252), picks the separator whose header names
the most known columns, maps retyped headers to the canonical names, and undoes the
apostrophe the writers put before formula-like cells (``unescape_cell``).

What it cannot understand it refuses with ``SheetError`` naming the file and line: an
unclosed quote (which would swallow every row after it), a row with more cells than the
header, no recognisable key column. The caller then leaves the file as it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from ..outputs.writers import unescape_cell

DELIMITERS = (",", ";", "\t", "|")
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class SheetError(ValueError):
    """A file that cannot be understood; the message names the file and line."""


@dataclass
class Sheet:
    path: Path
    columns: list[str]                       # canonical names, in file order
    rows: list[tuple[int, dict[str, str]]]   # (line where the row starts, cells by column)
    encoding: str
    delimiter: str
    extra: list[str] = field(default_factory=list)  # columns that are not among the known ones


def decode(data: bytes, where: str) -> tuple[str, str]:
    """The text and the encoding it was decoded with."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise SheetError(f"{where}: starts with a {encoding} byte-order mark but is not {encoding} "
                                 f"(byte {exc.start})") from exc
    head = data[:4096]
    if head.count(b"\x00") * 4 >= len(head) > 0:  # UTF-16 without a BOM: every other byte of ASCII text is NUL
        encoding = "utf-16-be" if head[:1] == b"\x00" else "utf-16-le"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise SheetError(f"{where}: binary data, not a CSV file") from exc
    if b"\x00" in data:
        raise SheetError(f"{where}: binary data (NUL bytes), not a CSV file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"   # what Excel writes for "CSV" on Western Windows
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def header_key(name: str) -> str:
    """'Review Status ' -> 'review_status'."""
    return re.sub(r"[\s\-]+", "_", unescape_cell(name).strip().lstrip("\ufeff").strip().casefold())


def _records(text: str, delimiter: str, where: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc) or "EOF" in str(exc):
            raise SheetError(f"{where} line {start}: a quoted cell opened on this line is never closed; it would "
                             f"swallow every row after it. Close the quote and rerun.") from exc
        raise SheetError(f"{where} line {start}: {exc}") from exc
    return records


def read(path: Path, known: Sequence[str], key: str, aliases: Mapping[str, str] | None = None,
         key_pattern: str | None = None) -> Sheet | None:
    """The rows of ``path`` (None when it does not exist). ``known`` are the canonical columns,
    ``key`` the one every row needs, ``aliases`` retyped names ("status" -> "review_status");
    ``key_pattern`` recognises a file saved without its header (columns then in ``known`` order)."""
    if not path.exists():
        return None
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SheetError(f"{where}: cannot be read ({exc.strerror})") from exc
    text, encoding = decode(data, where)
    if not text.strip():
        return Sheet(path, list(known), [], encoding, ",")
    names = {header_key(k): k for k in known} | {header_key(a): k for a, k in (aliases or {}).items()}
    first_line = text.lstrip("\ufeff").splitlines()[0]

    def score(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return len({names[header_key(c)] for c in cells if header_key(c) in names})

    delimiter = max(DELIMITERS, key=lambda d: (score(d), -DELIMITERS.index(d)))
    records = _records(text.lstrip("\ufeff"), delimiter, where)
    header = [header_key(c) for c in records[0][1]]
    if key_pattern and key not in {names.get(h) for h in header}:  # saved without its header?
        bare = max(DELIMITERS, key=lambda d: (first_line.count(d), -DELIMITERS.index(d)))
        first = next(csv.reader([first_line], delimiter=bare), [""])
        if re.fullmatch(key_pattern, unescape_cell(first[0]).strip()):
            return _rows(path, list(known), _records(text.lstrip("\ufeff"), bare, where), encoding, bare,
                         set(known))
    columns = []
    for n, name in enumerate(header):
        column = names.get(name, name or f"column_{n + 1}")
        if column in columns:
            raise SheetError(f"{where} line {records[0][0]}: the column {column!r} appears twice in the header")
        columns.append(column)
    if key not in columns:
        raise SheetError(f"{where} line 1: no {key} column in the header (expected {', '.join(known)}, "
                         f"separated by commas or semicolons)")
    return _rows(path, columns, records[1:], encoding, delimiter, set(known))


def _rows(path: Path, columns: list[str], records: list[tuple[int, list[str]]], encoding: str, delimiter: str,
          known: set[str]) -> Sheet:
    rows = []
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            raise SheetError(f"{path} line {line}: {len(cells)} cells but the header names {len(columns)}; "
                             f"a separator inside an unquoted cell? Quote the cell or add a column name.")
        cells = cells + [""] * (len(columns) - len(cells))
        rows.append((line, {c: unescape_cell(v) for c, v in zip(columns, cells)}))
    return Sheet(path, columns, rows, encoding, delimiter, [c for c in columns if c not in known])
