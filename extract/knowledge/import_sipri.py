"""Read the SIPRI Trade Register (SIPRI's own export or the cleaned CSV) and derive gazetteer rows.

SIPRI's export, as downloaded, is Latin-1, starts with preamble lines before the header, has three
blank-named columns holding a ``?`` uncertainty flag (after the order year, the number ordered and
the number delivered), and a few records are split over two lines by a line break inside Comments.
``read_register`` reads either that file or the cleaned UTF-8 copy (snake_case headers, 0/1 flags)
and yields records with the cleaned file's column names, so both give the same rows.

One candidate row per (designation, category): the designation as SIPRI writes it is the canonical
name; the origin is the supplier of most of its new-build deals (mapped onto countries.csv); aliases
are the designation without its calibre ("2S1 122mm" -> "2S1"), its code and its name apart ("AGM-114
Hellfire" -> "AGM-114", "Hellfire"), and the NATO names SIPRI gives in comments ("S-75 (SA-2)").
Variants the comments name ("Mi-17-1V version") become rows of the designation's family.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator

from .import_common import CALIBRE, Candidate, CategoryMap, CountryMap, Merger, Report, compact, unique

COLUMNS = ("recipient", "supplier", "order_year", "order_year_uncertain", "number_ordered",
           "number_ordered_uncertain", "designation", "description", "number_delivered",
           "number_delivered_uncertain", "delivery_years", "status", "comments", "tiv_per_unit",
           "tiv_total_order", "tiv_delivered")
FLAGS = (3, 5, 9)  # the "?" columns of the raw export
NATO = re.compile(r"(?P<d>[A-Z0-9][\w/.-]*\d[\w/.-]*(?: [A-Z][\w-]+)?) \((?P<n>(?:SA|SA-N|SS|SS-N|SS-C|AS|AA|AT)"
                  r"-\d{1,2}[A-Za-z]?)\)")
VERSION = re.compile(r"(?:^|; |\()(?P<v>[A-Z][\w/-]*\d[\w/-]*(?: [A-Z][\w-]*\d[\w-]*)?) version")


class RegisterError(ValueError):
    """The file is neither SIPRI's export nor the cleaned register."""


def read_register(path: Path) -> Iterator[dict[str, str]]:
    """Records of either form of the register, as dicts with the cleaned file's column names."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.lower().startswith(("recipient,", '"recipient"'))), None)
    if start is None:
        raise RegisterError(f"{path}: no header line starting with 'Recipient' found")
    header = next(csv.reader([lines[start]]))
    if [h.strip() for h in header][:len(COLUMNS)] == list(COLUMNS):
        yield from csv.DictReader(io.StringIO("\n".join(lines[start:])))
        return
    if len(header) != len(COLUMNS):
        raise RegisterError(f"{path}: header has {len(header)} columns, SIPRI's export has {len(COLUMNS)}")
    pending: list[str] | None = None
    for record in csv.reader(io.StringIO("\n".join(lines[start + 1:]))):
        if not record:
            continue
        if pending is not None:  # a record split by a line break inside Comments
            record = pending[:-1] + [pending[-1] + " " + record[0]] + record[1:]
            pending = None
        if len(record) < len(COLUMNS):
            pending = record
            continue
        cells = dict(zip(COLUMNS, (c.strip() for c in record)))
        for i in FLAGS:
            cells[COLUMNS[i]] = "1" if cells[COLUMNS[i]] == "?" else ""
        yield cells


def _code_and_name(designation: str) -> list[str]:
    """ "AGM-114 Hellfire" -> ["AGM-114", "Hellfire"]; "Lynx KF-41" -> ["KF-41", "Lynx"]."""
    words = designation.split()
    if len(words) < 2:
        return []
    coded = [i for i, w in enumerate(words) if any(c.isdigit() for c in w) and any(c.isalpha() for c in w)
             and not re.fullmatch(r"\d+mm", w)]
    if coded == [0]:
        return [words[0], " ".join(words[1:])]
    if coded == [len(words) - 1]:
        return [words[-1], " ".join(words[:-1])]
    return []


def candidates(path: Path, categories: CategoryMap, countries: CountryMap, report: Report,
               merger: Merger | None = None) -> Iterator[Candidate]:
    deals: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    nato: dict[str, set[str]] = defaultdict(set)
    for rec in read_register(path):
        designation = " ".join(rec["designation"].split())
        category = categories(rec["description"])
        if not designation:
            continue
        if category is None:
            report.skip(f"SIPRI description {rec['description']!r} has no row in import_categories.csv")
            continue
        if not category:
            report.skip(f"SIPRI description {rec['description']!r} is not a weapon system")
            continue
        deals[(designation, category)].append(rec)
        for m in NATO.finditer(rec["comments"]):
            nato[compact(m.group("d"))].add(m.group("n"))
    for (designation, category), recs in deals.items():
        origin = _origin(recs, countries)
        if origin is None:
            report.skip("no supplier that is a state (unknown supplier, rebel group)")
            continue
        forms = [CALIBRE.sub("", designation), *_code_and_name(CALIBRE.sub("", designation))]
        aliases = forms + sorted({n for f in (designation, *forms) for n in nato.get(compact(f), ())})
        description = Counter(r["description"] for r in recs).most_common(1)[0][0]
        yield Candidate(designation, category, origin, unique(a for a in aliases if a != designation),
                        note=f"SIPRI: {description}")
        versions = {m.group("v") for r in recs for m in VERSION.finditer(r["comments"])}
        for version in sorted(versions):
            if compact(version) != compact(designation):
                yield Candidate(version, category, origin, group=designation,
                                note=f"SIPRI: {description}, a version named in the comments on {designation}")


def _origin(recs: list[dict[str, str]], countries: CountryMap) -> str | None:
    """The supplier of most new-build deals (else of any deal) that is a state."""
    for pool in ([r for r in recs if r["status"] == "New"], recs):
        votes = Counter(c for c in (countries(r["supplier"]) for r in pool) if c)
        if votes:
            return votes.most_common(1)[0][0]
    return None
