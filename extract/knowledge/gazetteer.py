"""Load and validate the gazetteers and lexicons under ``gazetteers/``.

Knowledge lives in these files, not in code. Loading never crashes on a bad row: each
problem is recorded with its file and line, the row (or the offending alias) is skipped,
and the caller decides whether problems are fatal (``gazetteer check``) or only logged
(``run``).
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

log = logging.getLogger(__name__)

# The repository's gazetteers/ (the source to edit); an installed package carries a copy as extract/gazetteers.
_PACKAGED = Path(__file__).resolve().parents[1] / "gazetteers"
DEFAULT_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[2] / "gazetteers"

WEAPON_COLUMNS = ("id", "canonical", "family", "category", "origin", "aliases", "source", "added")
PEOPLE_COLUMNS = ("id", "canonical", "aliases", "titles", "role", "country", "source", "added")
COUNTRY_COLUMNS = ("id", "canonical", "aliases", "demonyms", "capitals", "forces", "source", "added")

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LIST_SEP = "|"
FILE_LEVEL = ("cannot read file", "file is empty", "header lacks", "malformed header", "gazetteer directory not found")


class GazetteerError(RuntimeError):
    """A gazetteer or lexicon file is missing or unreadable as a whole."""


@dataclass(frozen=True)
class Problem:
    """One finding about a gazetteer file, addressed by file and line."""

    file: str
    line: int
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Weapon:
    id: str
    canonical: str
    family: str
    category: str
    origin: str
    aliases: tuple[str, ...]
    line: int
    source: str = ""


@dataclass(frozen=True)
class Person:
    id: str
    canonical: str
    aliases: tuple[str, ...]
    titles: tuple[str, ...]
    role: str
    country: str
    line: int


@dataclass(frozen=True)
class Country:
    id: str
    canonical: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]
    forces: tuple[str, ...]
    line: int

    def forms(self) -> Iterator[tuple[str, str]]:
        """(surface, form) pairs: form is name | demonym | capital | forces."""
        yield self.canonical, "name"
        for kind, values in (("name", self.aliases), ("demonym", self.demonyms),
                             ("capital", self.capitals), ("forces", self.forces)):
            for value in values:
                yield value, kind


@dataclass
class Lexicon:
    """Word lists the matchers need; every one is a file under gazetteers/lexicon/."""

    time_words: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> word -> value
    titles: dict[str, str] = field(default_factory=dict)                 # title -> kind
    cue_words: frozenset[str] = frozenset()
    company_words: frozenset[str] = frozenset()
    makers: frozenset[str] = frozenset()       # defence manufacturers, case-folded ("rotem", "mbda")
    stoplist: frozenset[str] = frozenset()  # strings never suggested as weapons (COVID-19, G-20)
    english_words: frozenset[str] = frozenset()
    name_stopwords: frozenset[str] = frozenset()
    boilerplate: list[tuple[re.Pattern[str], str, str, int]] = field(default_factory=list)
    claim_cues: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # (frame, kind) -> phrase -> value
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)               # outlet canonical -> aliases
    irregular_verbs: dict[str, tuple[str, ...]] = field(default_factory=dict)       # lemma -> irregular forms
    first_names: frozenset[str] = frozenset()  # given names, as written and without diacritics

    def cues(self, frame: str, kind: str) -> dict[str, str]:
        return self.claim_cues.get((frame, kind), {})


@dataclass
class Gazetteers:
    weapons: dict[str, Weapon]
    people: dict[str, Person]
    countries: dict[str, Country]
    lexicon: Lexicon
    problems: list[Problem]
    fingerprint: str  # sha256 over every file read, to tell two runs' knowledge apart

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def unusable(self) -> list[Problem]:
        """Problems with a whole file (missing, unreadable, empty, wrong header): no run can use it."""
        return [p for p in self.errors if p.message.startswith(FILE_LEVEL)]


_FOLD_SPECIAL = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
                               "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d"})


def fold(text: str) -> str:
    """The text without diacritics ("Çavuşoğlu" -> "Cavusoglu", "Błaszczak" -> "Blaszczak"), so
    names match however an article spells their accents."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_SPECIAL))
    # Format characters (soft hyphen, zero-width joiner, word joiner, bidi controls: category Cf)
    # are invisible: "Sho\u00adigu" is "Shoigu". Dropped here, they stay in the text and its offsets.
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")


def slug(name: str) -> str:
    """An id for a name: "Mevlüt Çavuşoğlu" -> "mevlut-cavusoglu", "Su-30SME" -> "su-30sme"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name).casefold()).strip("-")


def split_list(cell: str | None) -> tuple[str, ...]:
    """Split a ``|``-separated cell into stripped, non-empty, de-duplicated values."""
    if not cell:
        return ()
    seen: dict[str, None] = {}
    for part in cell.split(LIST_SEP):
        part = " ".join(part.split())
        if part:
            seen.setdefault(part, None)
    return tuple(seen)


_DESIGNATION_JOINT = re.compile(r"(?<=[A-Za-z])[- ](?=\d)|(?<=\d)[- ](?=[A-Za-z])")


def surface_variants(alias: str) -> list[str]:
    """Spellings an article may use for a designation: "Su-30SME" -> "Su 30SME", "Su30SME".

    Only the joint between a letter run and a digit run varies (hyphen, space or nothing);
    names without digits are returned unchanged.
    """
    variants = [alias]
    if _DESIGNATION_JOINT.search(alias):
        for joint in ("-", " ", ""):
            variant = _DESIGNATION_JOINT.sub(joint, alias)
            if variant not in variants:
                variants.append(variant)
    return variants


def _parse_line(line: str) -> list[str]:
    """Parse one CSV line on its own, so that a bad row cannot swallow the next ones."""
    return next(csv.reader([line], strict=True))


def _read_rows(path: Path, columns: tuple[str, ...], problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row; report header and shape problems.

    Blank lines and lines starting with ``#`` are comments. Each row must sit on one line.
    """
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, 0, "error", f"cannot read file: {exc}"))
        return
    content = [(i + 1, ln) for i, ln in enumerate(text.splitlines())
               if ln.strip() and not ln.lstrip().startswith("#")]
    if not content:
        problems.append(Problem(name, 1, "error", "file is empty (a header row is required)"))
        return
    header_line, header_text = content[0]
    try:
        header = tuple(h.strip() for h in _parse_line(header_text))
    except csv.Error as exc:
        problems.append(Problem(name, header_line, "error", f"malformed header: {exc}"))
        return
    missing = [c for c in columns if c not in header]
    if missing:
        problems.append(Problem(name, header_line, "error",
                                f"header lacks column(s) {', '.join(missing)}; expected {','.join(columns)}"))
        return
    for lineno, line in content[1:]:
        try:
            record = _parse_line(line)
        except csv.Error as exc:
            problems.append(Problem(name, lineno, "error", f"malformed CSV row ({exc}); row skipped"))
            continue
        if len(record) != len(header):
            problems.append(Problem(name, lineno, "error",
                                    f"row has {len(record)} cells, header has {len(header)}; row skipped"))
            continue
        yield lineno, {h: v.strip() for h, v in zip(header, record)}


def _require(row: dict[str, str], keys: tuple[str, ...], name: str, lineno: int,
             problems: list[Problem]) -> bool:
    empty = [k for k in keys if not row.get(k)]
    if empty:
        problems.append(Problem(name, lineno, "error", f"empty {', '.join(empty)}; row skipped"))
        return False
    if not ID_RE.match(row["id"]):
        problems.append(Problem(name, lineno, "error",
                                f"id {row['id']!r} must be lower-case letters, digits and hyphens; row skipped"))
        return False
    return True


class _AliasRegistry:
    """Tracks which entry owns each (case-folded) surface form, to catch collisions.

    With ``by_category`` (weapons), one surface may name entries of different categories
    ("Lynx": an armoured car, a helicopter); the matcher chooses by the words around a mention.
    Two entries of one category may not share a surface.
    """

    def __init__(self, name: str, problems: list[Problem], by_category: bool = False) -> None:
        self.name = name
        self.problems = problems
        self.by_category = by_category
        self.owner: dict[str, list[tuple[str, int, str]]] = {}

    def claim(self, surface: str, entry_id: str, lineno: int, category: str = "") -> bool:
        key = fold(surface).casefold()
        owners = self.owner.get(key)
        if owners is None:
            self.owner[key] = [(entry_id, lineno, category)]
            return True
        mine = False
        for owner in owners:
            if owner[0] == entry_id:
                mine = True
            elif not self.by_category or owner[2] == category:
                self.problems.append(Problem(self.name, lineno, "error",
                                             f"alias {surface!r} of {entry_id!r} already names {owner[0]!r} "
                                             f"(line {owner[1]}); alias dropped"))
                return False
        if not mine:
            owners.append((entry_id, lineno, category))
        return True


def _entries(path: Path, columns: tuple[str, ...], required: tuple[str, ...],
             problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with their required cells filled and an id not seen before (else reported, skipped)."""
    first_line: dict[str, int] = {}
    for lineno, row in _read_rows(path, columns, problems):
        if not _require(row, required, path.name, lineno, problems):
            continue
        if row["id"] in first_line:
            problems.append(Problem(path.name, lineno, "error",
                                    f"duplicate id {row['id']!r} (first on line {first_line[row['id']]}); row skipped"))
            continue
        first_line[row["id"]] = lineno
        yield lineno, row


def load_weapons(path: Path, problems: list[Problem]) -> dict[str, Weapon]:
    weapons: dict[str, Weapon] = {}
    registry = _AliasRegistry(path.name, problems, by_category=True)
    for lineno, row in _entries(path, WEAPON_COLUMNS, ("id", "canonical", "family", "category", "origin"), problems):
        kept = []
        for alias in (row["canonical"], *split_list(row["aliases"])):
            ok = True
            for variant in surface_variants(alias):
                ok = registry.claim(variant, row["id"], lineno, row["category"]) and ok
                if not ok:
                    break
            if ok:
                kept.append(alias)
        if row["canonical"] not in kept:
            continue
        weapons[row["id"]] = Weapon(row["id"], row["canonical"], row["family"], row["category"],
                                    row["origin"], tuple(a for a in kept if a != row["canonical"]), lineno,
                                    row["source"])
    canonicals = {w.canonical for w in weapons.values()}
    for w in weapons.values():
        if w.family not in canonicals:
            problems.append(Problem(path.name, w.line, "error",
                                    f"family {w.family!r} of {w.id!r} names no entry (add a row whose canonical is {w.family!r})"))
    return weapons


def load_people(path: Path, problems: list[Problem]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    registry = _AliasRegistry(path.name, problems)
    for lineno, row in _entries(path, PEOPLE_COLUMNS, ("id", "canonical"), problems):
        kept = [a for a in (row["canonical"], *split_list(row["aliases"])) if registry.claim(a, row["id"], lineno)]
        if row["canonical"] not in kept:
            continue
        people[row["id"]] = Person(row["id"], row["canonical"], tuple(a for a in kept if a != row["canonical"]),
                                   split_list(row["titles"]), row["role"], row["country"], lineno)
    return people


def load_countries(path: Path, problems: list[Problem]) -> dict[str, Country]:
    countries: dict[str, Country] = {}
    registry = _AliasRegistry(path.name, problems)
    for lineno, row in _entries(path, COUNTRY_COLUMNS, ("id", "canonical"), problems):
        lists = {k: tuple(a for a in split_list(row[k]) if registry.claim(a, row["id"], lineno))
                 for k in ("aliases", "demonyms", "capitals", "forces")}
        if not registry.claim(row["canonical"], row["id"], lineno):
            continue
        countries[row["id"]] = Country(row["id"], row["canonical"], lists["aliases"], lists["demonyms"],
                                       lists["capitals"], lists["forces"], lineno)
    return countries


def _word_list(path: Path, problems: list[Problem]) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, 0, "error", f"cannot read file: {exc}"))
        return []
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def load_lexicon(lex_dir: Path, problems: list[Problem]) -> Lexicon:
    lexicon = Lexicon()
    for lineno, row in _read_rows(lex_dir / "time_words.csv", ("kind", "word", "value"), problems):
        if not row["kind"] or not row["word"]:
            problems.append(Problem("time_words.csv", lineno, "error", "empty kind or word; row skipped"))
            continue
        lexicon.time_words.setdefault(row["kind"], {})[row["word"]] = row["value"]
    for lineno, row in _read_rows(lex_dir / "titles.csv", ("title", "kind"), problems):
        if row["title"]:
            lexicon.titles[row["title"]] = row["kind"]
    lexicon.cue_words = frozenset(w.lower() for w in _word_list(lex_dir / "cue_words.txt", problems))
    lexicon.english_words = frozenset(_word_list(lex_dir / "english_words.txt", problems))
    lexicon.company_words = frozenset(_word_list(lex_dir / "company_words.txt", problems))
    lexicon.makers = frozenset(w.casefold() for w in _word_list(lex_dir / "makers.txt", problems))
    lexicon.stoplist = frozenset(_word_list(lex_dir / "suggest_stoplist.txt", problems))
    lexicon.name_stopwords = frozenset(_word_list(lex_dir / "name_stopwords.txt", problems))
    names = _word_list(lex_dir / "first_names.txt", problems)
    lexicon.first_names = frozenset(names) | frozenset(fold(n) for n in names)
    for lineno, row in _read_rows(lex_dir / "claim_cues.csv", ("frame", "kind", "phrase", "value"), problems):
        if not (row["frame"] and row["kind"] and row["phrase"]):
            problems.append(Problem("claim_cues.csv", lineno, "error", "empty frame, kind or phrase; row skipped"))
            continue
        lexicon.claim_cues.setdefault((row["frame"], row["kind"]), {})[" ".join(row["phrase"].split())] = row["value"]
    for lineno, row in _read_rows(lex_dir / "irregular_verbs.csv", ("lemma", "forms"), problems):
        if not (row["lemma"] and row["forms"]):
            problems.append(Problem("irregular_verbs.csv", lineno, "error", "empty lemma or forms; row skipped"))
            continue
        lexicon.irregular_verbs[row["lemma"]] = split_list(row["forms"])
    for lineno, row in _read_rows(lex_dir / "sources.csv", ("id", "canonical", "aliases"), problems):
        if not row["canonical"]:
            problems.append(Problem("sources.csv", lineno, "error", "empty canonical; row skipped"))
            continue
        lexicon.sources[row["canonical"]] = split_list(row["aliases"])
    for lineno, row in _read_rows(lex_dir / "boilerplate.csv", ("pattern", "scope", "note"), problems):
        if row["scope"] not in ("line", "next", "rest", "caption"):
            problems.append(Problem("boilerplate.csv", lineno, "error",
                                    f"scope {row['scope']!r} must be line, next, rest or caption; row skipped"))
            continue
        try:
            pattern = re.compile(row["pattern"], re.IGNORECASE)
        except re.error as exc:
            problems.append(Problem("boilerplate.csv", lineno, "error", f"bad regular expression ({exc}); row skipped"))
            continue
        lexicon.boilerplate.append((pattern, row["scope"], row["note"], lineno))
    return lexicon


def fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()[:16]


def load(directory: Path | str | None = None) -> Gazetteers:
    """Load every gazetteer and lexicon file; problems are collected, never raised."""
    root = Path(directory) if directory else DEFAULT_DIR
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), 0, "error", "gazetteer directory not found"))
    weapons = load_weapons(root / "weapons.csv", problems)
    people = load_people(root / "people.csv", problems)
    countries = load_countries(root / "countries.csv", problems)
    lexicon = load_lexicon(root / "lexicon", problems)
    files = [p for p in (root.glob("*.csv")) if p.is_file()] + [p for p in (root / "lexicon").glob("*") if p.is_file()]
    for problem in problems:
        log.warning("%s", problem)
    return Gazetteers(weapons, people, countries, lexicon, problems, fingerprint(files))
