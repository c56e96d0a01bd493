"""Read Oryx's equipment lists (origin, system) and derive gazetteer rows.

Oryx names are descriptive: "9A310M1-2 TELAR (for Buk-M1-2)", "5N63S 'Flap Lid B' (for S-300PMU(-1))",
"T-72B3 obr. 2016". The designation is the name without its parentheses and quoted NATO name (which
becomes an alias); "(for X)" names the parent system, which gives the family and the category.
Oryx gives no category of its own: a system whose family (by shape or parent) is not already a row of
the gazetteer is skipped, so import SIPRI first.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterator

from .import_common import Candidate, CategoryMap, CountryMap, Merger, Report, compact, family_base, unique

PARENT = re.compile(r"\((?:for|on)\s+(?P<p>[^()]*(?:\([^()]*\))?[^()]*)\)")
CALIBRE_FIRST = re.compile(r"^\d{2,3}mm\s+")
QUOTED = re.compile(r"(?<!\w)'(?P<q>[A-Z][^']{2,})'(?!\w)")
# Quoted names are NATO reporting names for radars and air defence ('Flap Lid B'), nicknames elsewhere.
NATO_NAMED = ("radar", "surface-to-air missile system", "sensor", "electronic warfare system")


def _parse(system: str) -> tuple[str, str, list[str]]:
    """(designation, parent, aliases) of an Oryx system name."""
    parent_m = PARENT.search(system)
    parent = parent_m.group("p").strip() if parent_m else ""
    quoted = [m.group("q") for m in QUOTED.finditer(system)]
    name = PARENT.sub("", system)
    name = QUOTED.sub("", name)
    name = re.sub(r"\([^()]*\)", "", name)
    name = CALIBRE_FIRST.sub("", name.strip())
    words: list[str] = []
    for word in name.split():
        if word[:1].islower() and word not in ("obr.",) and words:
            break  # "Mi-28 attack helicopter", "Ural-4320 with crane"
        words.append(word)
    return " ".join(words).strip(" -,'"), parent, quoted


def candidates(path: Path, categories: CategoryMap, countries: CountryMap, report: Report,
               merger: Merger | None = None) -> Iterator[Candidate]:
    with path.open(encoding="utf-8", newline="") as handle:
        for rec in csv.DictReader(handle):
            designation, parent, quoted = _parse(rec["system"])
            origin = countries(rec["origin"])
            if not designation or not any(c.isdigit() for c in designation) and len(designation) < 4:
                report.skip("Oryx name without a designation")
                continue
            if origin is None:
                report.skip(f"Oryx origin {rec['origin']!r} is not a country of countries.csv")
                continue
            category = ""
            if merger is not None:
                words = designation.split()
                prefixes = [p for p in (" ".join(words[:n]) for n in range(len(words) - 1, 0, -1))
                            if any(c.isdigit() for c in p)]
                for name in (designation, parent, *prefixes, family_base(designation),
                             family_base(parent) if parent else ""):
                    rows = [merger.rows[i] for i in merger.owner.get(compact(name), [])] if name else []
                    if rows:
                        category = rows[0].category
                        break
            if not category:
                report.skip("Oryx system whose family is not in the gazetteer (no category)")
                continue
            aliases = unique(quoted) if category in NATO_NAMED else []
            yield Candidate(designation, category, origin, aliases, group=parent,
                            note="Oryx: " + rec["system"])
