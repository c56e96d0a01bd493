"""How spreadsheets re-save a CSV: the round-trip cases of reviews.csv and claims.csv.

Used by the hypothesis properties (tests/test_review_properties.py); the bytes are written by
the reliability battery's ``Dialect`` (``make reliability`` saves every combination of the same
separators, encodings and line ends). A caller drives the CLI::

    from spreadsheet import SAVES, review_round_trip
    for how in SAVES:
        for name in ("reviews.csv", "claims.csv"):
            lost = review_round_trip(out, rerun, how, name)   # rerun() runs the CLI on out
            # lost lists every decision that did not come back exactly (empty: none lost)

Each save is (separator, encoding, line end): what Excel, LibreOffice and Numbers write.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable, NamedTuple

from extract import reliability
from extract.outputs.writers import _cell as escape_cell
from extract.outputs.writers import unescape_cell
from extract.reliability import Dialect


class Save(NamedTuple):
    delimiter: str
    encoding: str
    newline: str
    header: str = "same"   # same | retyped ("Review Status") | none (saved without the header row)


SAVES: dict[str, Save] = {
    "excel-csv-western": Save(",", "cp1252", "\r\n"),
    "excel-csv-european": Save(";", "cp1252", "\r\n"),
    "excel-csv-utf8": Save(",", "utf-8-sig", "\r\n"),
    "excel-csv-utf8-european": Save(";", "utf-8-sig", "\r\n"),
    "excel-unicode-text": Save("\t", "utf-16", "\r\n"),
    "libreoffice-semicolon-utf16le": Save(";", "utf-16-le", "\n"),
    "libreoffice-retyped-header": Save(",", "utf-8", "\n", "retyped"),
    "numbers-no-header": Save(",", "utf-8", "\n", "none"),
}

# Notes that broke the round trip once: formula starts, apostrophes, separators, quotes, line
# breaks, non-ASCII that cp1252 can hold, surrounding spaces.
HARD_NOTES = ("-2 units, not 6", "=SUM(A1)", "+1 source", "@ana check", "'quoted'", "''twice", "semi;colon",
              'said "six"', "two\nlines", "Rüstung – 5 €", "  spaced  ", "\ttab", "plain")


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def render(rows: list[list[str]], how: Save) -> bytes:
    """The bytes a spreadsheet writes for these cells (the cells as shown: as the tool wrote them)."""
    header, *body = rows
    if how.header == "retyped":
        header = [h.replace("_", " ").title() for h in header]
    return Dialect(how.delimiter, how.encoding, how.newline, csv.QUOTE_MINIMAL).render(
        body if how.header == "none" else [header, *body])


def resave(path: Path, how: Save | str) -> None:
    """Re-save a CSV the tool wrote as a spreadsheet would."""
    how = SAVES[how] if isinstance(how, str) else how
    path.write_bytes(render(rows_of(path), how))


def encodable(text: str, how: Save | str) -> bool:
    how = SAVES[how] if isinstance(how, str) else how
    return reliability.encodable(text, how.encoding)


def decide(out: Path, name: str, decisions: dict[str, tuple[str, str]]) -> None:
    """Type decisions (claim id -> status, note) into reviews.csv or claims.csv as a person would."""
    path = out / name
    rows = rows_of(path)
    header = rows[0]
    status, note = header.index("review_status"), header.index("review_note")
    if name == "reviews.csv":
        done = {r[0] for r in rows[1:]}
        rows += [[c, "", "", "tester", "2026-12-01"] + [""] * (len(header) - 5) for c in decisions if c not in done]
    for row in rows[1:]:
        if row[0] in decisions:
            row[status], row[note] = decisions[row[0]][0], escape_cell(decisions[row[0]][1])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def shown(out: Path) -> dict[str, tuple[str, str]]:
    """The decisions claims.csv shows, as values (neutralising undone)."""
    with (out / "claims.csv").open(encoding="utf-8", newline="") as handle:
        return {r["claim_id"]: (r["review_status"], unescape_cell(r["review_note"])) for r in csv.DictReader(handle)
                if r["review_status"] or r["review_note"]}


def review_round_trip(out: Path, rerun: Callable[[], object], how: Save | str, name: str,
                      notes: tuple[str, ...] = HARD_NOTES) -> list[str]:
    """On an output folder of a finished run: decide on one claim per note in ``name``, rerun,
    re-save both review files as ``how``, rerun twice; return the decisions lost or changed."""
    claims = [c for c in rows_of(out / "claims.csv")[1:]]
    notes = tuple(n for n in notes if encodable(n, how))
    statuses = ("accepted", "rejected", "needs_check")
    wanted = {c[0]: (statuses[i % 3], n) for i, (c, n) in enumerate(zip(claims, notes))}
    wanted = {**shown(out), **wanted}
    decide(out, name, {k: v for k, v in wanted.items()})
    rerun()
    for file in ("reviews.csv", "claims.csv"):
        resave(out / file, how)
    rerun()
    rerun()
    got = shown(out)
    return [f"{how}/{name}: {k}: {wanted[k]!r} came back as {got.get(k)!r}" for k in wanted if got.get(k) != wanted[k]]
