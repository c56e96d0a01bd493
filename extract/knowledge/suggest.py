"""Suggestions: what the articles name that the gazetteers do not know, with evidence.

Written to ``outputs/suggestions.csv`` on every run, ranked by how many documents and how many
times a candidate occurs. Each suggestion carries an example sentence, its documents and a
proposed gazetteer row to paste (or to add with ``python -m extract gazetteer add
--from-suggestions N``):

* **weapon** — designation shapes ("FTC-2000G", "J-10CE", "KF-21", "Shahed-136") and
  Capitalised names right before a weapon noun ("Hunter drones", "Sky Sword missiles"),
  that no gazetteer entry matched; strings in ``lexicon/suggest_stoplist.txt`` (COVID-19,
  G-20 ...) and dates are never proposed;
* **person** — people found by the title or byline rules (empty entity_id) that people.csv
  does not hold;
* **source** — organisations and outlets cited as speakers or sources ("told X", "according
  to X") that neither sources.csv nor countries.csv knows.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..entities.candidates import guarded
from .gazetteer import Gazetteers, slug

DESIGNATION = guarded(re.compile(r"(?<![\w-])(?P<d>[A-Z][A-Za-z]{0,9}-?\d{1,4}[A-Z]{0,4}(?:-[A-Z0-9]{1,4})?)(?![\w-])"))
# A Capitalised name (with an optional numeral: "Sky Sword II", "Tien Kung IV") up to two
# lower-case words before a weapon noun ("Nirbhay cruise missile", "Strong Bow land-attack missile").
NAME_BEFORE = r"(?<![\w-])(?P<d>(?:[A-Z][a-z]+[ -]){0,2}[A-Z][a-z]{2,}(?:[ -](?:[IVX]{1,4}|\d{1,3}))?)"
_DIGIT = re.compile(r"\d")
YEAR_SUFFIX = re.compile(r"[- ](?:19|20)\d\d$")


@dataclass
class Candidate:
    kind: str
    text: str
    reason: str
    count: int = 0
    docs: set[str] = field(default_factory=set)
    example: str = ""


Found = tuple[str, str, str, str]  # kind, text, example sentence, reason


class Suggestions:
    """Aggregates what ``Scanner`` found in each document; ranks at the end."""

    def __init__(self) -> None:
        self.candidates: dict[tuple[str, str], Candidate] = {}

    def add(self, doc_id: str, found: Iterable[Found]) -> None:
        for kind, text, example, reason in found:
            cand = self.candidates.setdefault((kind, text.casefold()), Candidate(kind, text, reason))
            cand.count += 1
            cand.docs.add(doc_id)
            if not cand.example:
                cand.example = " ".join(example.split())

    def rows(self) -> list[dict[str, object]]:
        ranked = sorted(self.candidates.values(), key=lambda c: (-len(c.docs), -c.count, c.kind, c.text.casefold()))
        return [{"rank": i, "kind": c.kind, "text": c.text, "count": c.count, "n_docs": len(c.docs),
                 "doc_ids": ";".join(sorted(c.docs)), "example": c.example[:400], "proposed_row": proposed(c),
                 "reason": c.reason} for i, c in enumerate(ranked, 1)]


def proposed(cand: Candidate) -> str:
    """A gazetteer row to complete: weapons need family, category and origin filled in."""
    row_id = slug(cand.text)
    source = "suggested from " + ";".join(sorted(cand.docs))
    if cand.kind == "weapon":
        cells = [row_id, cand.text, cand.text, "", "", "", source, ""]
    elif cand.kind == "person":
        cells = [row_id, cand.text, "", "", "", "", source, ""]
    else:
        cells = [row_id, cand.text, ""]
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


class Scanner:
    """Finds the candidates of one document (runs in the worker, beside the matchers)."""

    def __init__(self, gaz: Gazetteers) -> None:
        self.gaz = gaz
        lex = gaz.lexicon
        self.known = {form.casefold() for w in gaz.weapons.values() for form in (w.canonical, *w.aliases)}
        self.known |= {form.casefold() for p in gaz.people.values() for form in (p.canonical, *p.aliases)}
        self.known |= {s.casefold() for c in gaz.countries.values() for s, _ in c.forms()}
        self.known |= {a.casefold() for canonical, aliases in lex.sources.items() for a in (canonical, *aliases)}
        self.stop = {s.casefold() for s in lex.stoplist}
        cues = sorted((w for w in lex.cue_words if w.isalpha()), key=len, reverse=True)
        self.named_before_noun = guarded(re.compile(NAME_BEFORE + r"\s+(?:[a-z][\w-]*\s+){0,2}?(?P<noun>"
                                                    + "|".join(map(re.escape, cues)) + r")\b"))
        self.english = lex.english_words
        self.not_names = set(lex.name_stopwords) | {w.capitalize() for w in lex.time_words.get("month", {})} | \
            {w.capitalize() for w in lex.time_words.get("weekday", {})}

    def scan(self, text: str, sentence_starts: list[int], entities: Iterable[Mapping[str, object]],
             mentions: Iterable[Mapping[str, object]]) -> list[Found]:
        """Candidates in ``text`` (boilerplate blanked): what no gazetteer entry matched."""
        found: list[Found] = []
        entities = list(entities)
        covered = [(int(e["start_char"]), int(e["end_char"])) for e in entities  # type: ignore[call-overload]
                   if (e["entity_id"] and e["matcher"] != "family") or e["entity_type"] == "DATE"]
        bounds = sentence_starts + [len(text)]
        for start, end in zip(bounds, bounds[1:]):
            raw = text[start:end]
            sentence = raw.strip()
            if not sentence:
                continue
            offset = start + len(raw) - len(raw.lstrip())
            if _DIGIT.search(text, start, end):  # a designation holds a digit
                for m in DESIGNATION.finditer(sentence):
                    found += self._designation(sentence, offset + m.start("d"), m.group("d"), covered)
            for m in self.named_before_noun.finditer(sentence):
                found += self._designation(sentence, offset + m.start("d"), m.group("d"), covered,
                                           f"a name before {m.group('noun')!r}")
        unique: dict[tuple[str, str, str], Found] = {}
        for f in found:  # one candidate found by two patterns in one sentence counts once
            unique.setdefault((f[0], f[1], f[2]), f)
        found = list(unique.values())
        people = {str(e["canonical"]) for e in entities if e["entity_type"] == "PERSON"}
        for e in entities:
            if e["entity_type"] == "PERSON" and not e["entity_id"] and str(e["canonical"]).casefold() not in self.known:
                i = bisect.bisect_right(bounds, int(e["start_char"])) - 1  # type: ignore[call-overload]
                found.append(("person", str(e["canonical"]), text[bounds[i]:bounds[i + 1]].strip(),
                              f"found by the rule: {e['basis']}"))
        for m in mentions:
            for name, why in ((m.get("speaker", ""), "speaker of a statement"),
                              (m.get("attributed_to", ""), "outlet a claim is relayed from")):
                if name and str(name).casefold() not in self.known and any(ch.isupper() for ch in str(name)) \
                        and str(name) not in people:
                    found.append(("source", str(name), str(m["evidence"]), why))
        return found

    def _designation(self, sentence: str, absolute: int, text: str, covered: list[tuple[int, int]],
                     reason: str = "a designation shape") -> list[Found]:
        if text.casefold() in self.known or text.casefold() in self.stop or text in self.not_names:
            return []
        if any(s <= absolute < e for s, e in covered):
            return []
        if re.fullmatch(r"\d+|[A-Z]\d|(?:19|20)\d\d", text) or text.split()[0] in self.not_names:
            return []
        if YEAR_SUFFIX.search(text) or (" " not in text and "-" not in text and text.lower() in self.english):
            return []  # "Sea-2022", "Army-2021" name events; "Ground systems" is a common word
        return [("weapon", text, sentence, reason)]
