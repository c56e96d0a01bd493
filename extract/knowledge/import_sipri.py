"""Derive gazetteer rows from the SIPRI Trade Register (SIPRI's own export or the cleaned CSV,
both read by ``knowledge.sipri.read_register``).

One candidate row per (designation, category): the designation as SIPRI writes it is the canonical
name; the origin is the supplier of most of its new-build deals (mapped onto countries.csv); aliases
are the designation without its calibre ("2S1 122mm" -> "2S1"), its code and its name apart ("AGM-114
Hellfire" -> "AGM-114", "Hellfire"), and the NATO names SIPRI gives in comments ("S-75 (SA-2)").
Variants the comments name ("Mi-17-1V version") become rows of the designation's family.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator

from .import_common import CALIBRE, Candidate, CategoryMap, CountryMap, Merger, Report, compact, unique
from .sipri import Deal, read_register

# A designation is a word holding a digit: "(?=...\d)" then a possessive run, never "[\w-]*\d[\w-]*",
# which backtracks over every split of a long word (cubic on a run of digits).
NATO = re.compile(r"(?<![\w/.-])(?P<d>[A-Z0-9](?=[\w/.-]*\d)[\w/.-]*+(?: [A-Z][\w-]++)?) \("
                  r"(?P<n>(?:SA|SA-N|SS|SS-N|SS-C|AS|AA|AT)-\d{1,2}[A-Za-z]?)\)")
VERSION = re.compile(r"(?:^|; |\()(?P<v>[A-Z](?=[\w/-]*\d)[\w/-]*+(?: [A-Z](?=[\w-]*\d)[\w-]*+)?) version")


def _code_and_name(designation: str, english: frozenset[str]) -> list[str]:
    """ "AGM-114 Hellfire" -> ["AGM-114", "Hellfire"]; "Lynx KF-41" -> ["KF-41", "Lynx"]. A name part that
    is an English word ("Sea" of "Sea Slug-2", "Thunder") is no alias: it names too much else."""
    words = designation.split()
    if len(words) < 2:
        return []
    coded = [i for i, w in enumerate(words) if any(c.isdigit() for c in w) and any(c.isalpha() for c in w)
             and not re.fullmatch(r"\d+mm", w)]
    if coded == [0]:
        code, name = words[0], " ".join(words[1:])
    elif coded == [len(words) - 1]:
        code, name = words[-1], " ".join(words[:-1])
    else:
        return []
    return [code] if name.lower() in english else [code, name]


def candidates(path: Path, categories: CategoryMap, countries: CountryMap, report: Report,
               merger: Merger | None = None) -> Iterator[Candidate]:
    deals: dict[tuple[str, str], list[Deal]] = defaultdict(list)
    nato: dict[str, set[str]] = defaultdict(set)
    for rec in read_register(path):
        designation = " ".join(rec.designation.split())
        category = categories(rec.description)
        if not designation:
            continue
        if category is None:
            report.skip(f"SIPRI description {rec.description!r} has no row in import_categories.csv")
            continue
        if not category:
            report.skip(f"SIPRI description {rec.description!r} is not a weapon system")
            continue
        deals[(designation, category)].append(rec)
        for m in NATO.finditer(rec.comments):
            nato[compact(m.group("d"))].add(m.group("n"))
    for (designation, category), recs in deals.items():
        origin = _origin(recs, countries)
        if origin is None:
            report.skip("no supplier that is a state (unknown supplier, rebel group)")
            continue
        forms = [CALIBRE.sub("", designation), *_code_and_name(CALIBRE.sub("", designation), merger.english if merger else frozenset())]
        aliases = forms + sorted({n for f in (designation, *forms) for n in nato.get(compact(f), ())})
        description = Counter(r.description for r in recs).most_common(1)[0][0]
        yield Candidate(designation, category, origin, unique(a for a in aliases if a != designation),
                        note=f"SIPRI: {description}")
        versions = {m.group("v") for r in recs for m in VERSION.finditer(r.comments)}
        for version in sorted(versions):
            if compact(version) != compact(designation):
                yield Candidate(version, category, origin, group=designation,
                                note=f"SIPRI: {description}, a version named in the comments on {designation}")


def _origin(recs: list[Deal], countries: CountryMap) -> str | None:
    """The supplier of most new-build deals (else of any deal) that is a state."""
    for pool in ([r for r in recs if r.status == "New"], recs):
        votes = Counter(c for c in (countries(r.supplier) for r in pool) if c)
        if votes:
            return votes.most_common(1)[0][0]
    return None
