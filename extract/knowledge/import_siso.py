"""Read SISO-REF-010 entity types (parsed to CSV) and derive gazetteer rows.

Only platforms and munitions whose "domain|category" maps onto a category (``import_categories.csv``)
are read; life forms, radios, expendables, generic rows ("Other", "(deleted)") and individual ships
(below a ship class) are skipped. The variant (``specific``) is the canonical name when it is
designation-shaped (letters and digits, "F-16V Viper", "T-90MS"); a NATO designation with its
reporting name ("SA-20 Gargoyle ...") gives both as aliases. The subcategory is the source's grouping.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterator

from .import_common import Candidate, CategoryMap, CountryMap, Merger, Report, unique

KINDS = ("PLATFORM", "MUNITION")
SHIP_DOMAINS = ("SURFACE", "SUBSURFACE")
GENERIC = re.compile(r"\b(?:other|deleted|generic|unknown|battalion|miscellaneous)\b", re.IGNORECASE)
DESIGNATION = re.compile(r"^(?=[^ ]*\d)(?=[^ ]*[A-Za-z])[A-Za-z0-9][\w/.-]*$")
NATO_NAME = re.compile(r"^(?P<code>(?:SA|SS|SS-N|SA-N|AS|AA|AT|CSS|CSA)-\d{1,2}[A-Z]?)\s+(?P<name>[A-Z][a-z]+)\b")


def _designation(name: str) -> str:
    """The leading designation-shaped words of a SISO name ("F-16V Viper" stays, "T-90 MBT" -> "T-90")."""
    name = re.sub(r"\([^()]*\)", "", name).strip()
    words = name.split()
    if not words or not DESIGNATION.match(words[0]):
        return ""
    kept = [words[0]]
    for word in words[1:]:
        if not word[:1].isupper() or word.isupper() and len(word) <= 4:  # "MBT", "SAM"
            break
        kept.append(word)
    return " ".join(kept)


def candidates(path: Path, categories: CategoryMap, countries: CountryMap, report: Report,
               merger: Merger | None = None) -> Iterator[Candidate]:
    with path.open(encoding="utf-8", newline="") as handle:
        for rec in csv.DictReader(handle):
            if rec["kind"] not in KINDS or rec["level"] not in ("SubCategory", "Specific") \
                    or GENERIC.search(rec["name"]):
                report.skip("SISO row that is not a weapon system (kind, level or generic name)")
                continue
            if rec["domain"] in SHIP_DOMAINS and rec["level"] == "Specific":
                report.skip("SISO individual ship (the class is imported)")
                continue
            category = categories(f"{rec['domain']}|{rec['category']}")
            if not category:
                report.skip("SISO category with no row in import_categories.csv")
                continue
            origin = countries(rec["country"])
            if origin is None:
                report.skip(f"SISO country {rec['country']!r} is not a country of countries.csv")
                continue
            designation = _designation(rec["name"])
            if not designation:
                report.skip("SISO name without a designation")
                continue
            aliases = []
            nato = NATO_NAME.match(rec["subcategory"])
            if nato and rec["level"] == "SubCategory":
                aliases += [nato.group("code"), nato.group("name"), f"{nato.group('code')} {nato.group('name')}"]
            group = _designation(rec["subcategory"]) if rec["level"] == "Specific" else ""
            yield Candidate(designation, category, origin, [a for a in unique(aliases) if a != designation],
                            group=group, note=f"SISO: {rec['subcategory'] or rec['name']}")
