"""``python -m extract gazetteer add``: append a validated row to weapons.csv or people.csv.

The row is appended at the end of the file, which otherwise stays byte for byte as it was.
Before writing, the gazetteers are checked with the new row in a scratch copy; a row that
``gazetteer check`` would reject (an error, not a warning) is refused with the reasons.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..outputs.writers import FORMULA_STARTS, unescape_cell
from .gazetteer import DEFAULT_DIR, PEOPLE_COLUMNS, WEAPON_COLUMNS, slug
from .check import check

FILES = {"weapon": ("weapons.csv", WEAPON_COLUMNS), "person": ("people.csv", PEOPLE_COLUMNS)}
REQUIRED = {"weapon": ("category", "origin")}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class AddError(ValueError):
    pass


@dataclass
class NewRow:
    kind: str
    canonical: str
    family: str = ""
    category: str = ""
    origin: str = ""
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    role: str = ""
    country: str = ""
    id: str = ""
    source: str = "added with `extract gazetteer add`"

    def cells(self, added: str) -> dict[str, str]:
        row_id = self.id or slug(self.canonical)
        if self.kind == "weapon":
            return {"id": row_id, "canonical": self.canonical, "family": self.family or self.canonical,
                    "category": self.category, "origin": self.origin, "aliases": "|".join(self.aliases),
                    "source": self.source, "added": added}
        return {"id": row_id, "canonical": self.canonical, "aliases": "|".join(self.aliases),
                "titles": "|".join(self.titles), "role": self.role, "country": self.country,
                "source": self.source, "added": added}


def from_suggestion(path: Path, rank: int) -> tuple[str, str, str]:
    """(kind, text, source note) of suggestion number ``rank`` in suggestions.csv."""
    if not path.exists():
        raise AddError(f"{path} not found: run `make extract` first")
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["rank"] == str(rank):
                if row["kind"] not in FILES:
                    raise AddError(f"suggestion {rank} is a {row['kind']}: add it to lexicon/sources.csv by hand")
                return row["kind"], unescape_cell(row["text"]), f"suggested from {row['doc_ids']}"
    raise AddError(f"{path} has no suggestion {rank}")


def _line(columns: tuple[str, ...], cells: dict[str, str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([cells[c] for c in columns])
    return out.getvalue()


def add(row: NewRow, directory: Path | None = None, today: dt.date | None = None) -> str:
    """Append ``row``; returns the line written. Raises AddError when check would reject it."""
    root = Path(directory) if directory else DEFAULT_DIR
    name, columns = FILES[row.kind]
    missing = [f for f in REQUIRED.get(row.kind, ()) if not getattr(row, f)]
    if missing or not row.canonical:
        raise AddError(f"a {row.kind} needs {', '.join(['a name'] * (not row.canonical) + [f'--{m}' for m in missing])}")
    cells = row.cells((today or dt.date.today()).isoformat())
    for column, value in cells.items():
        for part in value.split("|"):
            if _CONTROL.search(part):
                raise AddError(f"{column} {part!r} holds a control character: type it without one")
            if part.startswith(FORMULA_STARTS):
                raise AddError(f"{column} {part!r} begins with {part[0]!r}: a spreadsheet opening {name} would run "
                               f"it as a formula; no name begins so")
    line = _line(columns, cells)
    before = {str(p) for p in check(root)[0] if p.severity == "error"}
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "gazetteers"
        shutil.copytree(root, copy)
        target = copy / name
        text = target.read_text(encoding="utf-8")
        target.write_text(text + ("" if text.endswith("\n") else "\n") + line, encoding="utf-8")
        after = [p for p in check(copy)[0] if p.severity == "error" and str(p) not in before]
    if after:
        raise AddError("refused, `gazetteer check` would report:\n" + "\n".join(f"  {p}" for p in after))
    path = root / name
    text = path.read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(("" if text.endswith("\n") else "\n") + line)
    return line
