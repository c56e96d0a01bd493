"""``python -m extract gazetteer check``: validate every gazetteer and lexicon file.

Errors make a file wrong (the loader skips the row or the alias): malformed rows, empty
canonical names, duplicate ids, an alias claimed by two entries, a family that names no
entry, an unknown category or country. Warnings are legal but suspicious: an alias that is an
ordinary English word or very short (it will only match with a cue word, or not safely), two
people whose names are within the fuzzy-matching threshold of each other (a misspelling of
one could resolve to the other). Each finding names the file and line and says how to fix it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from rapidfuzz import fuzz

from .gazetteer import Gazetteers, Problem, load
from .import_common import compact, popular_name
from ..entities.matchers.people import FUZZY_MIN_CHARS, FUZZY_THRESHOLD

HINTS = {
    "malformed CSV row": "check the quotes: a cell with a comma must be in double quotes",
    "row has": "every row needs exactly the header's columns; put lists in one cell separated by |",
    "empty": "fill the required cells (id, canonical; for weapons also family, category, origin)",
    "duplicate id": "give the row a new id, or merge it into the first one",
    "already names": "an alias may belong to one entry only: remove it from one of the two rows",
    "names no entry": "add a family row (whose canonical is the family name and whose family is itself) "
                      "or correct the family",
    "lower-case letters": "ids are lower-case letters, digits and hyphens, e.g. su-30sme",
    "header lacks": "restore the header line",
    "cannot read": "the file must exist and be UTF-8",
    "file is empty": "the file needs at least its header line",
}
MIN_PERSON_ALIAS = 4  # a one-word person alias shorter than this is too ambiguous to match safely
MIN_WEAPON_ALIAS = 2  # compact characters
COLLISION_WINDOW = 40  # names sharing a word compared pairwise up to this many, else by sorted neighbourhood


def hint(problem: Problem) -> str:
    return next((h for key, h in HINTS.items() if key in problem.message), "")


def _country_names(gaz: Gazetteers) -> set[str]:
    return {name for c in gaz.countries.values() for name in (c.canonical, *c.aliases)}


def _categories(directory: Path) -> set[str]:
    path = directory / "lexicon" / "categories.txt"
    if not path.exists():
        return set()
    return {ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")}


def semantic_problems(gaz: Gazetteers, directory: Path) -> list[Problem]:
    """Findings beyond what loading reports: vocabulary, country names, risky aliases, fuzzy collisions."""
    found: list[Problem] = []
    countries = _country_names(gaz)
    categories = _categories(directory)
    english = gaz.lexicon.english_words
    for w in gaz.weapons.values():
        if categories and w.category not in categories:
            found.append(Problem("weapons.csv", w.line, "error",
                                 f"category {w.category!r} of {w.id!r} is not in lexicon/categories.txt"))
        if countries and w.origin not in countries:
            found.append(Problem("weapons.csv", w.line, "error",
                                 f"origin {w.origin!r} of {w.id!r} is not a country of countries.csv"))
        for alias in w.aliases:
            compact = alias.replace("-", "").replace(" ", "")
            if alias.lower() in english:
                found.append(Problem("weapons.csv", w.line, "warning",
                                     f"alias {alias!r} of {w.id!r} is an English word: it matches only next to a cue "
                                     f"word (cue_words.txt); add a longer form too, such as the designation with the name"))
            elif len(compact) <= MIN_WEAPON_ALIAS:
                found.append(Problem("weapons.csv", w.line, "warning",
                                     f"alias {alias!r} of {w.id!r} is very short: it matches only next to a cue word"))
    found += popular_name_families(gaz)
    for p in gaz.people.values():
        if p.country and countries and p.country not in countries:
            found.append(Problem("people.csv", p.line, "error",
                                 f"country {p.country!r} of {p.id!r} is not a country of countries.csv"))
        for alias in p.aliases:
            if " " not in alias and (len(alias) < MIN_PERSON_ALIAS or alias.lower() in english):
                found.append(Problem("people.csv", p.line, "warning",
                                     f"one-word alias {alias!r} of {p.id!r} is short or an English word: it will "
                                     f"match unrelated text; use the full name"))
    found += fuzzy_collisions(gaz)
    return found


def popular_name_families(gaz: Gazetteers) -> list[Problem]:
    """Families named by designation and popular name ("K2 Black Panther") whose bare designation names
    no other row or family: the family is the designation ("K2"), the popular name belongs in the aliases."""
    owners: dict[str, set[str]] = {}
    for w in gaz.weapons.values():
        split = popular_name(w.canonical) if w.family == w.canonical else None
        for surface in (w.canonical, *w.aliases, *(split[:1] if split else ())):
            owners.setdefault(compact(surface), set()).add(w.id)
    found = []
    for w in gaz.weapons.values():
        split = popular_name(w.canonical) if w.family == w.canonical else None
        if split and owners[compact(split[0])] == {w.id}:
            found.append(Problem("weapons.csv", w.line, "warning",
                                 f"family {w.canonical!r} of {w.id!r} adds the popular name {split[1]!r} to its "
                                 f"designation: make {split[0]!r} the canonical and family of the row and of its "
                                 f"members, and keep {w.canonical!r} as an alias"))
    return found


def _candidate_pairs(members: list[int], forms: list[tuple[str, str, int]]) -> Iterator[tuple[int, int]]:
    """Pairs to compare within the names sharing a word: all of them in a small group; in a large one
    each name with its ``COLLISION_WINDOW`` neighbours in alphabetical order, forwards and of the
    reversed names (sorted neighbourhood), so that the work grows with the group, not its square."""
    if len(members) <= COLLISION_WINDOW:
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                yield i, j
        return
    for key in (lambda i: forms[i][0], lambda i: forms[i][0][::-1]):
        ordered = sorted(members, key=key)
        for x, i in enumerate(ordered):
            for j in ordered[x + 1:x + 1 + COLLISION_WINDOW]:
                yield i, j


def fuzzy_collisions(gaz: Gazetteers) -> list[Problem]:
    """People whose multi-word names are within the fuzzy threshold of each other: one warning per
    group of such people (its closest pair, and how many more), so that the findings and the
    memory stay linear in the file even when thousands of names are near-identical."""
    forms = sorted((form.casefold(), p.id, p.line) for p in gaz.people.values()
                   for form in (p.canonical, *p.aliases) if " " in form and len(form) >= FUZZY_MIN_CHARS)
    by_word: dict[str, list[int]] = {}
    for i, (form, _, _) in enumerate(forms):
        for word in set(form.split()):
            by_word.setdefault(word, []).append(i)
    parent: dict[str, str] = {}

    def root(person: str) -> str:
        while parent.get(person, person) != person:
            parent[person] = parent.get(parent[person], parent[person])
            person = parent[person]
        return person

    first: dict[str, tuple[float, int, int]] = {}  # group root -> its first pair found
    for members in by_word.values():
        for i, j in _candidate_pairs(members, forms):
            id_a, id_b = forms[i][1], forms[j][1]
            if id_a == id_b or root(id_a) == root(id_b):
                continue
            score = fuzz.ratio(forms[i][0], forms[j][0], score_cutoff=FUZZY_THRESHOLD)
            if score:
                ra, rb = root(id_a), root(id_b)
                parent[rb] = ra
                first.setdefault(ra, first.pop(rb, (score, i, j)))
    sizes: dict[str, int] = {}
    for person in set(parent) | set(parent.values()):
        sizes[root(person)] = sizes.get(root(person), 0) + 1
    found = []
    for group, (score, i, j) in first.items():
        (a, id_a, line_a), (b, id_b, line_b) = forms[i], forms[j]
        more = sizes.get(root(group), 2) - 2
        found.append(Problem("people.csv", max(line_a, line_b), "warning",
                             f"{a!r} ({id_a}, line {line_a}) and {b!r} ({id_b}, line {line_b}) are within "
                             f"the fuzzy threshold (ratio {score:.0f} >= {FUZZY_THRESHOLD:.0f})"
                             + (f", and so are {more} more people with them" if more > 0 else "")
                             + ": a misspelling of one may resolve to another; check they are different people"))
    return found


def check(directory: Path | None = None) -> tuple[list[Problem], Gazetteers]:
    gaz = load(directory)
    root = Path(directory) if directory else Path(__file__).resolve().parents[2] / "gazetteers"
    problems = gaz.problems + semantic_problems(gaz, root)
    order = {"error": 0, "warning": 1}
    return sorted(problems, key=lambda p: (order[p.severity], p.file, p.line, p.message)), gaz


def render(problems: list[Problem], gaz: Gazetteers) -> str:
    lines = [f"{p}" + (f"\n    fix: {hint(p)}" if hint(p) else "") for p in problems]
    errors = sum(1 for p in problems if p.severity == "error")
    lines.append(f"{len(gaz.weapons)} weapons, {len(gaz.people)} people, {len(gaz.countries)} countries: "
                 f"{errors} error(s), {len(problems) - errors} warning(s)")
    return "\n".join(lines)
