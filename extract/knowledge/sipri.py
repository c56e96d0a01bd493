"""Read the SIPRI Arms Transfers Database trade register, as SIPRI exports it or in its cleaned form.

SIPRI's own export ("trade-register.csv") is Latin-1, has 11 preamble lines before the header,
three blank-named columns holding a ``?`` uncertainty flag (after the year of order, the number
ordered and the number delivered), and a few records split over two lines by a line break inside
"Comments". The cleaned form is UTF-8 with snake_case headers and 0/1 flags. Both give the same
:class:`Deal` rows.

Credit line required by SIPRI's terms: "Information from the SIPRI Arms Transfers Database".
The register itself is never shipped with the project.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

CREDIT = "Information from the SIPRI Arms Transfers Database"
RAW_HEADER = ("Recipient", "Supplier", "Year of order", "", "Number ordered", "", "Weapon designation",
              "Weapon description", "Number delivered", "", "Year(s) of delivery", "status", "Comments",
              "SIPRI TIV per unit", "SIPRI TIV for total order", "SIPRI TIV of delivered weapons")
CLEAN_HEADER = ("recipient", "supplier", "order_year", "order_year_uncertain", "number_ordered",
                "number_ordered_uncertain", "designation", "description", "number_delivered",
                "number_delivered_uncertain", "delivery_years", "status", "comments", "tiv_per_unit",
                "tiv_total_order", "tiv_delivered")
MAX_PREAMBLE = 40  # lines searched for the header


class RegisterError(ValueError):
    """The file is not a SIPRI trade register in either known form."""


@dataclass(frozen=True)
class Deal:
    """One register row. Numbers stay as SIPRI writes them (empty when not known)."""

    line: int                      # line of the file where the record starts (1-based)
    recipient: str
    supplier: str
    designation: str
    description: str
    order_year: str
    order_year_uncertain: bool
    number_ordered: str
    number_ordered_uncertain: bool
    number_delivered: str
    number_delivered_uncertain: bool
    delivery_years: tuple[str, ...]
    status: str                    # New | Second hand | Second hand but modernized
    comments: str


def _decode(data: bytes) -> str:
    """UTF-8 (the cleaned form) when it decodes, else Latin-1 (SIPRI's export)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _flag(value: str) -> bool:
    return value.strip() in ("?", "1")


def read_register(path: Path) -> list[Deal]:
    """Every deal of a SIPRI trade register file (raw export or cleaned); RegisterError if neither."""
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise RegisterError(f"{path}: cannot read the register: {exc.strerror or exc}") from exc
    return parse_register(text, str(path))


def parse_register(text: str, name: str = "register") -> list[Deal]:
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines[:MAX_PREAMBLE])
                      if tuple(next(csv.reader([line]), ())) in (RAW_HEADER, CLEAN_HEADER)
                      or tuple(f.strip() for f in next(csv.reader([line]), ())) == RAW_HEADER), None)
    if header_at is None:
        raise RegisterError(f"{name}: no SIPRI trade-register header (Recipient,Supplier,Year of order,...) "
                            f"in the first {MAX_PREAMBLE} lines")
    width = len(RAW_HEADER)
    deals: list[Deal] = []
    pending: list[str] = []
    start = 0
    for number, fields in _records(lines, header_at + 1):
        if not any(f.strip() for f in fields) and not pending:
            continue
        if pending:
            # a record split by a line break inside "Comments": the next line goes on from there
            pending[-1] = f"{pending[-1]} {fields[0]}".strip()
            pending += fields[1:]
        else:
            pending, start = fields, number
        if len(pending) < width:
            continue
        if len(pending) > width:
            raise RegisterError(f"{name}:{start}: {len(pending)} fields where a register row has {width}")
        deals.append(_deal(start, pending))
        pending = []
    if pending:
        raise RegisterError(f"{name}:{start}: incomplete record ({len(pending)} of {width} fields) at the end")
    return deals


def _records(lines: list[str], first: int) -> Iterator[tuple[int, list[str]]]:
    """(1-based line number, fields) of each record after the header."""
    reader = csv.reader(lines[first:])
    for fields in reader:
        yield first + reader.line_num, fields


def _deal(line: int, f: list[str]) -> Deal:
    years = tuple(y.strip() for y in f[10].split(";") if y.strip())
    return Deal(line=line, recipient=f[0].strip(), supplier=f[1].strip(), designation=f[6].strip(),
                description=f[7].strip(), order_year=f[2].strip(), order_year_uncertain=_flag(f[3]),
                number_ordered=f[4].strip(), number_ordered_uncertain=_flag(f[5]),
                number_delivered=f[8].strip(), number_delivered_uncertain=_flag(f[9]), delivery_years=years,
                status=f[11].strip(), comments=f[12].strip())
