"""The review report: a static HTML site in ``outputs/report/`` that opens from disk.

Three pages share one stylesheet and one script (``report_assets/``, copied as they are):

* ``claims.html``: one row per claim, filters, every source's evidence side by side with the
  slot words highlighted; ``claims.html#<claim_id>`` is a claim's stable address;
* ``articles.html``: an article's text with its entities and claim spans highlighted
  (``articles.html#<doc_id>``), each claim span linking to its claim;
* ``register.html``: transfers.csv and a delivery timeline per supplier -> recipient pair.

No page holds the data itself. The data is split into small script files under ``data/``
that call ``EXTRACT.put(key, value)`` (script tags work from ``file://``, ``fetch`` does not):
a claim index (the few fields the filters need), claim details in pages of ``PAGE_SIZE``
claims, one file per article, loaded only when shown. So the report stays usable at tens of
thousands of claims: no file grows with the corpus except the index (about 300 bytes a claim).

Articles are written as the run streams them (``add_document``); the claim files at the end
(``finish``), when the claims are known, each written item by item. What they need of each mention
waits on disk meanwhile (``Report.STAGING``), so the report's memory does not grow with the corpus.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..schema import TRANSFER_COLUMNS

ASSETS = Path(__file__).resolve().parent / "report_assets"
PAGE_SIZE = 100  # claims per detail file

# Which slot of a mention an entity of each type can fill, for highlighting.
SLOT_ENTITIES: dict[str, tuple[str, ...]] = {
    "supplier": ("COUNTRY",), "recipient": ("COUNTRY",), "parties": ("COUNTRY",), "place": ("COUNTRY",),
    "weapon": ("WEAPON",), "family": ("WEAPON",), "people": ("PERSON",), "speaker": ("PERSON", "COUNTRY"),
}
TEXT_SLOTS = ("date_text", "quote", "weapon", "name", "place", "speaker", "attributed_to")
Row = Mapping[str, object]


def _json(value: object) -> str:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return data.replace("</", "<\\/")  # "</" would end an inlined script element; escaped it is the same JSON


def _script(key: str, value: object) -> str:
    return f"EXTRACT.put({json.dumps(key)},{_json(value)});\n"


def _values(cell: object) -> list[str]:
    if not cell:  # most slots of a mention: no need to split
        return []
    return [v.strip() for v in str(cell).split(";") if v.strip()]


Keyed = tuple[int, int, str, frozenset[str]]  # an entity: start, end, type, its canonical name and family folded


def keyed(entities: Sequence[Row]) -> list[Keyed]:
    """A document's entities as ``slot_highlights`` compares them, converted once."""
    return [(int(str(e["start_char"])), int(str(e["end_char"])), str(e["entity_type"]),
             frozenset((str(e["canonical"]).casefold(), str(e["family"]).casefold()))) for e in entities]


def slot_highlights(mention: Row, entities: Sequence[Keyed]) -> list[tuple[int, int, str]]:
    """Spans of the mention's evidence that hold its slot values, relative to the evidence start.

    An entity inside the evidence counts when its canonical name (or family) is a value of a
    slot it can fill; text slots (the date expression, the quote, a generic category) are found
    by their words. Overlaps keep the first, longest span. ``entities``: the document's, ``keyed``.
    """
    start, end = int(str(mention["start_char"])), int(str(mention["end_char"]))
    evidence = str(mention["evidence"])
    inside = [e for e in entities if start <= e[0] and e[1] <= end]
    spans: list[tuple[int, int, str]] = []
    for slot, types in SLOT_ENTITIES.items() if inside else ():
        wanted = {v.casefold() for v in _values(mention.get(slot))}
        if wanted:
            spans += [(s - start, t - start, slot) for s, t, kind, names in inside
                      if kind in types and not names.isdisjoint(wanted)]
    folded = evidence.casefold()
    for slot in TEXT_SLOTS:
        for value in _values(mention.get(slot)):
            at = folded.find(value.casefold())
            if value and at >= 0:
                spans.append((at, at + len(value), slot))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def claim_spans(mention: Row) -> list[tuple[int, int]]:
    """The evidence span of a mention, then the other sentences restating it (``other_spans``)."""
    spans = [(int(str(mention["start_char"])), int(str(mention["end_char"])))]
    for part in _values(mention.get("other_spans")):
        start, _, end = part.partition("-")
        if start.isdigit() and end.isdigit():
            spans.append((int(start), int(end)))
    return spans


def headline(claim: Row) -> str:
    """One line saying what the claim is, for the claims list."""
    get = lambda key: str(claim.get(key) or "")  # noqa: E731
    kind = get("claim_type")
    if kind == "transfer":
        what = " ".join(v for v in (get("quantity"), get("weapon")) if v)
        text = f"{get('supplier') or '?'} → {get('recipient') or '?'}: {what} ({get('status')})"
    elif kind == "statement":
        text = f"{get('speaker')}: {get('quote') or get('evidence')[:120]}"
    elif kind == "meeting":
        text = f"{get('people')}" + (f" in {get('place')}" if get("place") else "")
    else:
        text = " · ".join(v for v in (get("name"), get("parties"), get("weapon"), get("place")) if v)
    if get("polarity") not in ("", "asserted"):
        text += f" [{get('polarity')}]"
    return text


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


class Report:
    """Writes the report into ``directory`` (a fresh folder the caller moves into place). What the
    claim pages need of each mention (its evidence, source and highlights) waits on disk until
    ``finish``, in a staging database inside ``directory`` that ``finish`` removes: memory holds
    only a few fields per document, whatever the number of mentions."""

    STAGING = ".staging.sqlite"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._documents: list[dict[str, object]] = []
        (self.directory / "data").mkdir(parents=True, exist_ok=True)
        shutil.copytree(ASSETS, self.directory / "assets", dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.html"))
        template = (ASSETS / "page.html").read_text(encoding="utf-8")
        for page in ("claims", "articles", "register"):
            (self.directory / f"{page}.html").write_text(template.replace("{{PAGE}}", page), encoding="utf-8")
        (self.directory / "index.html").write_text(
            '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=claims.html">'
            '<title>extract report</title><a href="claims.html">Claims</a>\n', encoding="utf-8")
        self._staged = sqlite3.connect(self.directory / self.STAGING)
        self._staged.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE source (mention_id TEXT PRIMARY KEY, doc TEXT, evidence TEXT, start INTEGER, rule TEXT,
                                 basis TEXT, attributed_to TEXT, marks TEXT);
            CREATE TABLE doc_mention (number INTEGER, mention_id TEXT);  -- an article's mentions, in order
            CREATE TABLE claim_of (mention_id TEXT PRIMARY KEY, claim_id TEXT);""")

    def _put(self, name: str, key: str, value: object) -> None:
        (self.directory / "data" / name).write_text(_script(key, value), encoding="utf-8")

    def _put_list(self, name: str, key: str, items: Iterable[object], head: str = "", tail: str = "") -> None:
        """``_put(name, key, head + [items] + tail)`` (JSON), written item by item."""
        with (self.directory / "data" / name).open("w", encoding="utf-8") as out:
            out.write(f"EXTRACT.put({json.dumps(key)},{head}[")
            for i, item in enumerate(items):
                out.write(("," if i else "") + _json(item))
            out.write(f"]{tail});\n")

    def add_document(self, document: Row, text: str, entities: Sequence[Row], mentions: Sequence[Row]) -> None:
        """One processed document: its article file, and what the claim pages show of its mentions."""
        number = len(self._documents)
        self._documents.append({
            "id": str(document["doc_id"]), "n": number, "title": str(document.get("title") or ""),
            "published": str(document.get("published") or ""), "source": str(document.get("source") or ""),
            "url": str(document.get("url") or ""), "status": str(document.get("status") or ""),
            "reason": str(document.get("reason") or ""),
        })
        entity_keys = keyed(entities)
        self._staged.executemany("INSERT OR REPLACE INTO source VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (
            (str(m["mention_id"]), str(m["doc_id"]), str(m["evidence"]), _int(m["start_char"]),
             str(m.get("rule_id") or ""), str(m.get("basis") or ""), str(m.get("attributed_to") or ""),
             json.dumps(slot_highlights(m, entity_keys))) for m in mentions))
        if document.get("status") != "ok":
            return
        self._staged.executemany("INSERT INTO doc_mention VALUES (?, ?)", ((number, str(m["mention_id"])) for m in mentions))
        self._put(f"doc-{number}.js", f"doc-{number}", {
            "text": text,
            "entities": [[int(str(e["start_char"])), int(str(e["end_char"])), str(e["entity_type"]),
                          str(e["canonical"]), str(e["entity_id"])] for e in entities],
            "mentions": [[start, end, str(m["claim_type"]), str(m["mention_id"])]
                         for m in mentions for start, end in claim_spans(m)],
        })

    def finish(self, claims: Sequence[Row], transfers: Iterable[Row]) -> None:
        """Claim index and detail pages, article-to-claim links, the register; then the staging goes."""
        self._staged.executemany("INSERT OR REPLACE INTO claim_of VALUES (?, ?)", (
            (mention_id, str(claim["claim_id"])) for claim in claims for mention_id in _values(claim["mention_ids"])))
        self._put_list("claims-index.js", "claims-index", (_entry(claim, position) for position, claim in enumerate(claims)))
        self._put_list("docs.js", "docs", self._documents)
        docs = {d["id"]: d for d in self._documents}
        for page in range(0, len(claims), PAGE_SIZE):
            self._put_list(f"claims-{page // PAGE_SIZE}.js", f"claims-{page // PAGE_SIZE}",
                           (self._detail(c, docs) for c in claims[page:page + PAGE_SIZE]))
        self._staged.execute("CREATE INDEX doc_mention_number ON doc_mention (number)")
        for doc in self._documents:
            if doc["status"] == "ok":
                self._put(f"links-{doc['n']}.js", f"links-{doc['n']}", dict(self._staged.execute(
                    "SELECT d.mention_id, coalesce(claim_id, '') FROM doc_mention d LEFT JOIN claim_of USING (mention_id)"
                    " WHERE number = ? ORDER BY d.rowid", (doc["n"],))))
        self._put_list("register.js", "register", ([_text(row.get(c)) for c in TRANSFER_COLUMNS] for row in transfers),
                       head=f'{{"columns":{_json(list(TRANSFER_COLUMNS))},"rows":', tail="}")
        self._staged.close()
        (self.directory / self.STAGING).unlink()

    def _detail(self, claim: Row, docs: Mapping[str, dict[str, object]]) -> dict:
        sources = []
        for mention_id in _values(claim["mention_ids"]):
            staged = self._staged.execute("SELECT doc, evidence, start, rule, basis, attributed_to, marks FROM source"
                                          " WHERE mention_id = ?", (mention_id,)).fetchone()
            if staged is None:
                continue
            doc_id, evidence, start, rule, basis, attributed_to, marks = staged
            doc = docs.get(doc_id, {})
            sources.append({
                "mention": mention_id, "doc": doc_id, "n": doc.get("n"), "title": doc.get("title", ""),
                "published": doc.get("published", ""), "source": doc.get("source", ""), "url": doc.get("url", ""),
                "evidence": evidence, "start": start, "marks": json.loads(marks), "rule": rule, "basis": basis,
                "attributed_to": attributed_to,
            })
        sources.sort(key=lambda s: (str(s["published"]) or "9999", str(s["doc"])))
        return {"id": str(claim["claim_id"]), "claim": {k: _text(v) for k, v in claim.items()},
                "sources": sources}


def _entry(claim: Row, position: int) -> dict[str, object]:
    """A claim's entry in the claim index: what the filters need."""
    countries = sorted({v for key in ("supplier", "recipient", "parties") for v in _values(claim.get(key))})
    return {
        "id": str(claim["claim_id"]), "type": str(claim["claim_type"]), "status": str(claim.get("status") or ""),
        "review": str(claim.get("review_status") or ""), "countries": countries,
        "system": str(claim.get("weapon") or ""),
        "from": str(claim.get("date_start") or claim.get("first_published") or ""),
        "to": str(claim.get("date_end") or claim.get("first_published") or ""),
        "head": headline(claim), "page": position // PAGE_SIZE,
    }
