"""``extract gazetteer import sipri|siso|oryx FILE``: candidate weapon rows from a reference source,
merged into ``gazetteers/weapons.csv`` without overwriting the curated rows.

Each source module (``import_sipri``, ``import_siso``, ``import_oryx``) turns its file into
``Candidate`` rows: a canonical designation, the source's own category and grouping, an origin and
aliases. This module does what is common to all three:

* the source's category is mapped onto ``lexicon/categories.txt`` by ``lexicon/import_categories.csv``
  and its country names onto countries.csv (``lexicon/import_countries.csv`` holds the names
  countries.csv lacks, such as "Czechoslovakia");
* a candidate that names a row already there (same designation, written with or without hyphens
  and spaces, of a compatible category) only adds the aliases that row lacks; a curated row keeps
  every cell as it was and gains those aliases and the source's credit line at the end;
* a candidate whose designation names a system of another category ("Lynx": armoured car,
  helicopter, rocket launcher) becomes a row of its own and is reported as a conflict; the
  matcher chooses between such rows by the category words around a mention (never the first);
* the family comes from the designation's shape ("MiG-21MF" -> "MiG-21", "Leopard 2A4" -> "Leopard 2")
  when that family is a row of a compatible category, else from the source's grouping, else the
  row is its own family.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .sipri import CREDIT as SIPRI_CREDIT
from .gazetteer import DEFAULT_DIR, WEAPON_COLUMNS, fold, load_countries, slug, split_list

CREDITS = {
    "sipri": SIPRI_CREDIT,
    "siso": "Reprinted with permission from SISO Inc. (SISO-REF-010 entity types)",
    "oryx": "Oryx equipment lists via scarnecchia/oryx_data, CC BY 4.0",
}
# Categories close enough that one designation in both is one system seen by two sources.
COARSE = {
    "aircraft": ("fighter aircraft", "ground attack aircraft", "light combat aircraft", "trainer aircraft", "bomber",
                 "transport aircraft", "tanker aircraft", "AEW&C aircraft", "maritime patrol aircraft",
                 "reconnaissance aircraft", "light aircraft", "electronic warfare system"),
    "helicopter": ("helicopter", "attack helicopter", "multirole helicopter", "naval helicopter",
                   "transport helicopter"),
    "vehicle": ("main battle tank", "infantry fighting vehicle", "armoured personnel carrier", "armoured vehicle",
                "engineering vehicle"),
    "artillery": ("self-propelled artillery", "towed artillery", "mortar", "multiple rocket launcher"),
    "ship": ("frigate", "corvette", "destroyer", "warship", "patrol vessel", "fast attack craft", "landing ship",
             "support ship", "mine warfare vessel", "aircraft carrier"),
    "missile": ("surface-to-air missile system", "MANPADS", "air-to-air missile", "air-to-surface missile",
                "anti-ship missile", "anti-tank missile", "ballistic missile", "cruise missile", "guided bomb",
                "loitering munition", "coastal defence system", "air defence gun system"),
}
_GROUP = {category: group for group, members in COARSE.items() for category in members}
CALIBRE = re.compile(r"(?<!\s)\s+\d{2,3}(?:[.,]\d)?mm(?:\s+turret)?$")
# A designation's family: letters and digits up to the first variant letter ("MiG-21MF" -> "MiG-21",
# "Su-30MKI" -> "Su-30", "Leopard 2A4" -> "Leopard 2", "AGM-114R" -> "AGM-114").
_BASE = re.compile(r"^(?P<base>(?:[A-Za-z][A-Za-z]*[- ]?)?\d+)(?P<variant>[A-Za-z][A-Za-z0-9]*(?:-\d+)?)$")


# A family written as its designation and the system's popular name ("K2 Black Panther", "AH-64 Apache"):
# a first word with letters and digits (not a calibre such as "120mm"), then capitalised words without
# digits, roman numerals allowed after the first ("A-10 Thunderbolt II"). The family is the designation.
_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*")
_ROMAN = re.compile(r"[IVX]{1,3}")


def popular_name(name: str) -> tuple[str, str] | None:
    """("K2", "Black Panther") for "K2 Black Panther"; None unless ``name`` is a designation and a popular name."""
    designation, _, rest = name.partition(" ")
    words = rest.split(" ")
    if not any(c.isdigit() for c in designation) or not any(c.isalpha() for c in designation) \
            or re.search(r"\dmm$|/[A-Z][a-z]+$", designation) or not _NAME_WORD.fullmatch(words[0]) \
            or not all(_NAME_WORD.fullmatch(w) or _ROMAN.fullmatch(w) for w in words[1:]):
        return None
    return designation, rest


def compact(text: str) -> str:
    """The key two spellings of one designation share: "K-9 Thunder" / "K9 thunder" -> "k9thunder"."""
    return re.sub(r"[^0-9a-z]+", "", fold(text).casefold())


def group_of(category: str) -> str:
    """The coarse group of a category ("fighter aircraft" -> "aircraft"); a category without one is its own."""
    return _GROUP.get(category, category)


def compatible(a: str, b: str) -> bool:
    return a == b or (_GROUP.get(a) is not None and _GROUP.get(a) == _GROUP.get(b))


def family_base(designation: str) -> str:
    """The family part of a designation's first word, or "" when it has no variant suffix."""
    first = designation.split()[0] if " " in designation and any(c.isdigit() for c in designation.split()[0]) \
        else designation
    m = _BASE.match(first)
    return m.group("base").rstrip("- ") if m else ""


@dataclass
class Candidate:
    """A row derived from a source; ``group`` is the source's own family name, if any."""

    canonical: str
    category: str
    origin: str
    aliases: list[str] = field(default_factory=list)
    group: str = ""
    note: str = ""

    def surfaces(self) -> list[str]:
        return [self.canonical, *self.aliases]


@dataclass
class Row:
    cells: dict[str, str]
    line: str = ""          # the original text of a row read from the file ("" for a new row)
    changed: bool = False

    @property
    def category(self) -> str:
        return self.cells["category"]

    def aliases(self) -> list[str]:
        return list(split_list(self.cells["aliases"]))

    def text(self) -> str:
        if self.line and not self.changed:
            return self.line
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow([self.cells[c] for c in WEAPON_COLUMNS])
        return out.getvalue()


@dataclass
class Report:
    read: int = 0
    new: int = 0
    merged: int = 0
    aliases_added: int = 0
    skipped: dict[str, int] = field(default_factory=dict)   # reason -> count
    conflicts: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def render(self) -> str:
        lines = [f"{self.read} candidate systems read: {self.new} new rows, {self.merged} merged into existing rows "
                 f"({self.aliases_added} aliases added)"]
        lines += [f"skipped {n}: {reason}" for reason, n in sorted(self.skipped.items(), key=lambda kv: -kv[1])]
        if self.conflicts:
            lines.append(f"{len(self.conflicts)} conflicts (one designation, systems of different categories; "
                         f"the matcher chooses by the category words around each mention):")
            lines += [f"  {c}" for c in self.conflicts]
        return "\n".join(lines)


class CategoryMap:
    """``lexicon/import_categories.csv``: the first row whose term occurs in the text wins."""

    def __init__(self, path: Path, source: str) -> None:
        with path.open(encoding="utf-8") as handle:
            rows = csv.DictReader(ln for ln in handle if ln.strip() and not ln.startswith("#"))
            self.terms = [(r["term"].lower(), r["category"]) for r in rows if r["source"] == source]

    def __call__(self, text: str) -> str | None:
        """The category, "" for "not a weapon system", None when no term applies."""
        low = text.lower()
        return next((category for term, category in self.terms if term in low), None)


class CountryMap:
    """Source country names -> countries.csv canonical names; None when the name is not a state."""

    def __init__(self, directory: Path) -> None:
        countries = load_countries(directory / "countries.csv", [])
        self.names = {fold(n).casefold(): c.canonical for c in countries.values() for n in (c.canonical, *c.aliases)}
        with (directory / "lexicon" / "import_countries.csv").open(encoding="utf-8") as handle:
            for r in csv.DictReader(ln for ln in handle if ln.strip() and not ln.startswith("#")):
                self.names[fold(r["name"]).casefold()] = r["country"] or ""

    def __call__(self, name: str) -> str | None:
        found = self.names.get(fold(name.strip()).casefold())
        return found or None


class Merger:
    """Merges candidates into the rows of weapons.csv; ``write`` saves the file."""

    def __init__(self, directory: Path, source: str, today: dt.date | None = None) -> None:
        self.path = directory / "weapons.csv"
        self.source = source
        self.credit = CREDITS[source]
        self.added = (today or dt.date.today()).isoformat()
        self.head: list[str] = []   # comment and header lines, kept as they are
        self.rows: list[Row] = []
        self.report = Report()
        self.owner: dict[str, list[int]] = {}  # compact surface -> row indices
        self.shared: set[tuple[str, str]] = set()  # (alias key, group) that several candidates carry
        self.ids: set[str] = set()
        self.english = frozenset(w.strip().lower() for w in (directory / "lexicon" / "english_words.txt")
                                 .read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#"))
        self._read()

    def _read(self) -> None:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        header_seen = False
        for line in lines:
            if not header_seen or not line.strip() or line.lstrip().startswith("#"):
                self.head.append(line)
                header_seen = header_seen or (bool(line.strip()) and not line.lstrip().startswith("#"))
                continue
            record = next(csv.reader([line]))
            if len(record) != len(WEAPON_COLUMNS):
                self.head.append(line)  # left for `gazetteer check` to report
                continue
            self._index(Row(dict(zip(WEAPON_COLUMNS, record)), line))

    def _index(self, row: Row) -> int:
        i = len(self.rows)
        self.rows.append(row)
        self.ids.add(row.cells["id"])
        for surface in (row.cells["canonical"], *row.aliases()):
            self.owner.setdefault(compact(surface), []).append(i)
        return i

    def _owners(self, surface: str) -> list[int]:
        return self.owner.get(compact(surface), [])

    def _new_id(self, cand: Candidate) -> str:
        base = slug(cand.canonical) or "weapon"
        for row_id in (base, f"{base}-{slug(cand.category)}"):
            if row_id not in self.ids:
                return row_id
        n = 2
        while f"{base}-{n}" in self.ids:
            n += 1
        return f"{base}-{n}"

    def add(self, cand: Candidate) -> None:
        self.report.read += 1
        same = [i for i in self._owners(cand.canonical) if compatible(self.rows[i].category, cand.category)]
        if not same:
            same = [i for a in cand.aliases for i in self._owners(a)
                    if compact(a) == compact(CALIBRE.sub("", cand.canonical))
                    and compatible(self.rows[i].category, cand.category)]
        if same:
            self._merge(self.rows[same[0]], same[0], cand)
            return
        other = sorted({self.rows[i].cells["canonical"] + f" ({self.rows[i].category})"
                        for i in self._owners(cand.canonical)})
        if other:
            self.report.conflicts.append(f"{cand.canonical!r} ({cand.category}) also names: {', '.join(other)}")
        aliases = self._free_aliases(cand, None)
        row = Row({"id": self._new_id(cand), "canonical": cand.canonical, "family": cand.group,
                   "category": cand.category, "origin": cand.origin, "aliases": "|".join(aliases),
                   "source": self.credit + (f"; {cand.note}" if cand.note else ""), "added": self.added},
                  changed=True)
        self._index(row)
        self.report.new += 1

    def note_shared(self, candidates: list[Candidate]) -> None:
        """Aliases that two candidates of one group carry ("Patton" of "M-47 Patton" and "M-48 Patton",
        "M-48" of "M-48 Patton" and "M-48 AVLB") name neither: they are dropped, not given to the first."""
        carriers: dict[tuple[str, str], set[str]] = {}
        for cand in candidates:
            for alias in cand.aliases:
                carriers.setdefault((compact(alias), group_of(cand.category)), set()).add(compact(cand.canonical))
        self.shared = {key for key, names in carriers.items() if len(names) > 1}

    def _free_aliases(self, cand: Candidate, target: int | None) -> list[str]:
        """Aliases no row of a compatible category owns yet (one surface, one system per category)."""
        kept: list[str] = []
        taken = {compact(cand.canonical)} if target is None else set()
        for alias in cand.aliases:
            key = compact(alias)
            if not key or key in taken or ((key, group_of(cand.category)) in self.shared and alias != cand.canonical):
                if key and key not in taken:
                    self.report.skip("alias shared by several systems of one kind (given to none)")
                continue
            owners = [i for i in self.owner.get(key, []) if i != target]
            if any(compatible(self.rows[i].category, cand.category) for i in owners):
                continue
            taken.add(key)
            kept.append(alias)
        return kept

    def _merge(self, row: Row, index: int, cand: Candidate) -> None:
        known = {compact(s) for s in (row.cells["canonical"], *row.aliases())}
        new = [a for a in self._free_aliases(Candidate(cand.canonical, row.category, cand.origin,
                                                       [cand.canonical, *cand.aliases]), index)
               if compact(a) not in known]
        self.report.merged += 1
        if not new:
            return
        row.cells["aliases"] = "|".join([*row.aliases(), *new])
        if self.credit not in row.cells["source"]:
            row.cells["source"] = f"{row.cells['source']}; aliases: {self.credit}"
        row.changed = True
        for alias in new:
            self.owner.setdefault(compact(alias), []).append(index)
        self.report.aliases_added += len(new)

    def _families(self) -> None:
        """Give new rows a family: the shape's base, else the source's group, else the row itself."""
        for row in self.rows:
            if row.line:
                continue
            family = ""
            base = family_base(row.cells["canonical"])
            named = " ".join([base, *row.cells["canonical"].split()[1:]]) if base else ""  # "M-48A3 Patton" -> "M-48 Patton"
            for name in (named, base, row.cells["family"]):
                hits = [self.rows[i] for i in self._owners(name)] if name else []
                hits = [h for h in hits if compatible(h.category, row.category) and h is not row]
                families = {h.cells["family"] or h.cells["canonical"] for h in hits}
                if len(families) == 1:  # several families for one base: none is taken
                    family = families.pop()
                    break
            row.cells["family"] = family or row.cells["canonical"]
        canonicals = {r.cells["canonical"] for r in self.rows}
        for row in self.rows:  # a family chain through a new row may name a row that is itself new
            if row.cells["family"] not in canonicals:
                row.cells["family"] = row.cells["canonical"]

    def base_families(self, indices: Iterable[int]) -> int:
        """Families among ``indices`` named by designation and popular name ("K2 Black Panther") take the
        bare designation as canonical and family name ("K2"); the full name becomes the first alias and
        the family's members follow. A designation that names another row, or two such families, is
        left as it is (it would merge different systems). Returns how many families were renamed."""
        todo: dict[str, tuple[int, str]] = {}  # compact designation -> (row index, designation)
        clashes: set[str] = set()
        for i in indices:
            cells = self.rows[i].cells
            split = popular_name(cells["canonical"]) if cells["family"] == cells["canonical"] else None
            if not split:
                continue
            key = compact(split[0])
            if key in todo or any(j != i for j in self.owner.get(key, [])):
                clashes.add(key)
            todo[key] = (i, split[0])
        renamed = {}
        for key, (i, designation) in todo.items():
            if key in clashes:
                continue
            cells = self.rows[i].cells
            renamed[cells["canonical"]] = designation
            aliases = [cells["canonical"], *(a for a in self.rows[i].aliases() if compact(a) != key)]
            cells.update(canonical=designation, family=designation, aliases="|".join(aliases))
            self.owner.setdefault(key, []).append(i)
            self.rows[i].changed = True
        for row in self.rows:
            if row.cells["family"] in renamed:
                row.cells["family"] = renamed[row.cells["family"]]
                row.changed = True
        return len(renamed)

    def write(self, path: Path | None = None) -> Path:
        self._families()
        self.base_families(i for i, row in enumerate(self.rows) if not row.line)
        target = path or self.path
        body = "\n".join([*self.head, *(r.text() for r in self.rows)]) + "\n"
        tmp = target.with_suffix(".csv.tmp")
        tmp.write_text(body, encoding="utf-8")
        tmp.replace(target)
        return target


def run_import(source: str, file: Path, directory: Path | None = None, dry_run: bool = False,
               today: dt.date | None = None) -> Report:
    """Import ``file`` of ``source`` into the gazetteer at ``directory``; returns what was done."""
    from . import import_oryx, import_siso, import_sipri

    root = Path(directory) if directory else DEFAULT_DIR
    readers = {"sipri": import_sipri.candidates, "siso": import_siso.candidates, "oryx": import_oryx.candidates}
    merger = Merger(root, source, today)
    categories = CategoryMap(root / "lexicon" / "import_categories.csv", source)
    countries = CountryMap(root)
    candidates = list(readers[source](file, categories, countries, merger.report, merger))
    merger.note_shared(candidates)
    for cand in candidates:
        merger.add(cand)
    if not dry_run:
        merger.write()
    return merger.report


def unique(values: Iterable[str]) -> list[str]:
    """Values in first-seen order, de-duplicated by their compact key, empty ones dropped."""
    seen: dict[str, str] = {}
    for v in values:
        v = " ".join(v.split())
        if v and compact(v) and compact(v) not in seen and not re.fullmatch(r"\d+(?:\s*mm)?", v):
            seen[compact(v)] = v
    return list(seen.values())
