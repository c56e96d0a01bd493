"""Read a folder of articles: files, encodings, the manifest, boilerplate and titles.

Offsets everywhere in the outputs refer to ``Document.text``: the file's bytes decoded
(a UTF-8 byte-order mark is dropped, line endings are kept as they are). Boilerplate is
never cut out of the text; it is blanked in ``Document.clean_text`` (same length, newlines
kept), so matchers see no boilerplate and every offset still points into the original.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator

from charset_normalizer import from_bytes

from ..knowledge.gazetteer import Lexicon
from .boilerplate import find_boilerplate
from .formats import HTML_SUFFIXES, doc_id_of, html_text, input_files, jsonl_lines, markdown_text

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000
MANIFEST_COLUMNS = ("doc_id", "published", "source", "title")  # required; "url" is optional
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass
class ManifestEntry:
    published: dt.date | None
    source: str
    title: str
    url: str = ""


@dataclass
class Document:
    doc_id: str
    path: str
    text: str = ""
    encoding: str = ""
    status: str = "ok"
    reason: str = ""
    title: str = ""
    published: dt.date | None = None
    published_from: str = "none"
    source: str = ""   # the outlet (manifest)
    url: str = ""      # where the article was published (manifest)
    boilerplate: list[tuple[int, int]] = field(default_factory=list)

    @property
    def clean_text(self) -> str:
        """The text with boilerplate characters blanked (newlines kept): same length, same offsets."""
        if not self.boilerplate:
            return self.text
        chars = list(self.text)
        for start, end in self.boilerplate:
            for i in range(start, end):
                if chars[i] not in "\r\n":
                    chars[i] = " "
        return "".join(chars)


class ManifestError(ValueError):
    pass


class NoArticlesError(FileNotFoundError):
    """The input folder holds no article that could be read."""


def no_articles(input_dir: Path, recursive: bool, skipped: list[tuple[str, str]]) -> str:
    """Why a folder gave no article, for the error message."""
    if skipped:
        reasons = "; ".join(f"{doc_id}: {reason}" for doc_id, reason in skipped[:3])
        return f"no readable article in {input_dir}: {len(skipped)} file(s), all skipped ({reasons})"
    hint = "" if recursive or not any(p.is_dir() for p in input_dir.iterdir()) else \
        " (its subfolders are read with --recursive)"
    return f"no readable article in {input_dir}: no .txt, .md, .html or .jsonl file{hint}"


def load_manifest(path: Path) -> dict[str, ManifestEntry]:
    """Read ``doc_id, published, source, title`` (and ``url`` when present); bad rows are logged with their line and skipped."""
    entries: dict[str, ManifestEntry] = {}
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read manifest: {exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "doc_id" not in reader.fieldnames:
            raise ManifestError(f"{path}:1: manifest header must include {', '.join(MANIFEST_COLUMNS)}")
        try:
            for row in reader:
                line = reader.line_num
                doc_id = (row.get("doc_id") or "").strip()
                if not doc_id:
                    log.warning("%s:%d: manifest row without doc_id skipped", path, line)
                    continue
                published = None
                raw = (row.get("published") or "").strip()
                if raw:
                    try:
                        published = dt.date.fromisoformat(raw[:10])
                    except ValueError:
                        log.warning("%s:%d: published %r is not an ISO date; ignored", path, line, raw)
                entries[doc_id] = ManifestEntry(published, (row.get("source") or "").strip(),
                                                (row.get("title") or "").strip(), (row.get("url") or "").strip())
        except csv.Error as exc:
            raise ManifestError(f"{path}:{reader.line_num}: malformed manifest: {exc}") from exc
    return entries


def decode(data: bytes) -> tuple[str | None, str, str]:
    """Return (text, encoding, note). ``text`` is None when the bytes are not text."""
    if not data.strip():
        return None, "", "empty file"
    if b"\x00" in data[:65536]:
        return None, "", "binary file (NUL bytes)"
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig", ""
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8", ""
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    match = from_bytes(data).best()
    if match is None or match.encoding is None:
        return None, "", f"not UTF-8 (first bad byte at {first_bad}) and no other encoding fits"
    text = str(match)
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        return None, "", "binary file (control characters)"
    return text, match.encoding, f"not UTF-8 (first bad byte at {first_bad}); decoded as {match.encoding}"


def first_line(text: str, limit: int = 300) -> str:
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:limit]
    return ""


def read_document(path: Path, lexicon: Lexicon, manifest: dict[str, ManifestEntry],
                  max_bytes: int = DEFAULT_MAX_BYTES, doc_id: str | None = None) -> Document:
    """Read one file (.txt, .md, .html). Problems give a skipped Document with a reason, never an exception."""
    doc = Document(doc_id=doc_id or path.stem, path=str(path))
    entry = manifest.get(doc.doc_id)
    if entry is not None:
        doc.source, doc.url, doc.title = entry.source, entry.url, entry.title
    try:
        size = path.stat().st_size
        if size > max_bytes:
            doc.status, doc.reason = "skipped", f"file too large ({size} bytes > --max-bytes {max_bytes})"
            return doc
        data = path.read_bytes()
    except OSError as exc:
        doc.status, doc.reason = "skipped", f"cannot read: {exc.strerror or exc}"
        return doc
    text, encoding, note = decode(data)
    if text is None:
        doc.status, doc.reason = "skipped", note
        return doc
    title = ""
    if path.suffix.lower() in HTML_SUFFIXES:
        text, title = html_text(text)
        note = "; ".join(n for n in (note, "text extracted from HTML") if n)
    elif path.suffix.lower() == ".md":
        text, title = markdown_text(text)
    doc.encoding, doc.reason = encoding, note
    return _with_text(doc, text, lexicon, entry, title)


def _with_text(doc: Document, text: str, lexicon: Lexicon, entry: ManifestEntry | None, title: str) -> Document:
    doc.text = text
    doc.boilerplate = find_boilerplate(text, lexicon)
    if doc.published is None and entry is not None and entry.published is not None:
        doc.published, doc.published_from = entry.published, "manifest"
    doc.title = doc.title or title or first_line(doc.clean_text)
    if not doc.clean_text.strip():
        doc.status, doc.reason = "skipped", "no text left after removing boilerplate"
    return doc


def jsonl_documents(path: Path, lexicon: Lexicon, manifest: dict[str, ManifestEntry],
                    max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document]:
    """The articles of a .jsonl file; the line's fields come first, the manifest fills the rest."""
    lines = jsonl_lines(path)
    try:
        first = next(lines, None)
    except OSError as exc:
        yield Document(doc_id=path.stem, path=str(path), status="skipped", reason=f"cannot read: {exc.strerror or exc}")
        return
    for line in chain((first,) if first else (), lines):
        doc = Document(doc_id=line.doc_id, path=line.where, encoding="utf-8", reason=line.problem or line.note)
        if line.problem:
            doc.status = "skipped"
            yield doc
            continue
        if len(line.text.encode("utf-8")) > max_bytes:
            doc.status, doc.reason = "skipped", f"text too large (> --max-bytes {max_bytes})"
            yield doc
            continue
        entry = manifest.get(doc.doc_id)
        doc.source, doc.url, doc.title = (line.source or (entry.source if entry else ""),
                                          line.url or (entry.url if entry else ""), line.title)
        if entry is not None and not doc.title:
            doc.title = entry.title
        if line.published is not None:
            doc.published, doc.published_from = line.published, "manifest"
        yield _with_text(doc, line.text, lexicon, entry, "")


def iter_documents(input_dir: Path, lexicon: Lexicon, manifest_path: Path | None = None,
                   max_bytes: int = DEFAULT_MAX_BYTES, recursive: bool = False) -> Iterator[Document]:
    """Every article of ``input_dir`` (see ``formats``), in doc_id order so that runs are deterministic.
    A doc_id met a second time is skipped with a reason naming the first."""
    manifest: dict[str, ManifestEntry] = {}
    manifest_path = manifest_path or (input_dir / "manifest.csv")
    paths = input_files(input_dir, recursive)
    if manifest_path.exists():
        manifest = load_manifest(manifest_path)
        if not any(p.suffix.lower() == ".jsonl" for p in paths):
            unknown = sorted(set(manifest) - {doc_id_of(p, input_dir) for p in paths})
            for doc_id in unknown:
                log.warning("%s: manifest names %r but there is no %s.txt", manifest_path, doc_id, doc_id)
    seen: dict[str, str] = {}
    for path in paths:
        if path.suffix.lower() == ".jsonl":
            documents: Iterable[Document] = jsonl_documents(path, lexicon, manifest, max_bytes)
        else:
            documents = (read_document(path, lexicon, manifest, max_bytes, doc_id_of(path, input_dir)),)
        for doc in documents:
            if doc.doc_id in seen:
                doc = Document(doc_id=f"{doc.doc_id}@{doc.path}", path=doc.path, status="skipped",
                               reason=f"doc_id {doc.doc_id!r} already taken by {seen[doc.doc_id]}")
            seen.setdefault(doc.doc_id, doc.path)
            yield doc
