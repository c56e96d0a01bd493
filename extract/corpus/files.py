"""Read a folder of articles: files, encodings, the manifest, boilerplate and titles.

Offsets everywhere in the outputs refer to ``Document.text``: the file's bytes decoded
(a UTF-8 byte-order mark is dropped, line endings are kept as they are). Boilerplate is
never cut out of the text; it is blanked in ``Document.clean_text`` (same length, newlines
kept), so matchers see no boilerplate and every offset still points into the original.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import errno
import logging
import os
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
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LONE_CR = re.compile(r"\r(?!\n)")


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
        """The text the matchers see: boilerplate characters blanked (newlines kept) and a lone CR
        (old Mac line ending) read as a newline. Same length, same offsets as ``text``."""
        text = _LONE_CR.sub("\n", self.text) if "\r" in self.text else self.text
        if not self.boilerplate:
            return text
        chars = list(text)
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


def _manifest_lines(path: Path) -> list[str]:
    """The manifest's lines, decoded like an article (UTF-8, else a spreadsheet's cp1252 or UTF-16)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read manifest: {exc.strerror or exc}") from exc
    text, encoding, note = decode(data)
    if text is None:
        raise ManifestError(f"{path}: cannot read manifest: {note}")
    if note:
        log.warning("%s: %s", path, note)
    return text.splitlines()


def load_manifest(path: Path) -> dict[str, ManifestEntry]:
    """Read ``doc_id, published, source, title`` (and ``url`` when present), one row per line. A malformed row (an unclosed
    quote, say) is logged with its line and skipped, and never swallows the rows after it; a
    doc_id given twice is warned about (the later row is used)."""
    lines = _manifest_lines(path)
    header = next(csv.reader(lines[:1]), [])
    columns = [c.strip().lower() for c in header]
    if "doc_id" not in columns:
        raise ManifestError(f"{path}:1: manifest header must include {', '.join(MANIFEST_COLUMNS)}")
    entries: dict[str, ManifestEntry] = {}
    first_line: dict[str, int] = {}
    for line, body in enumerate(lines[1:], start=2):
        if not body.strip():
            continue
        try:
            cells = next(csv.reader([body], strict=True))
        except csv.Error as exc:
            log.warning("%s:%d: malformed manifest row skipped (%s)", path, line, exc)
            continue
        row = dict(zip(columns, (c.strip() for c in cells)))
        if len(cells) > len(columns):
            log.warning("%s:%d: manifest row has %d cells for %d columns; extra cells ignored", path, line,
                        len(cells), len(columns))
        doc_id = row.get("doc_id", "")
        if not doc_id:
            log.warning("%s:%d: manifest row without doc_id skipped", path, line)
            continue
        published = None
        raw = row.get("published", "")
        if raw:
            try:
                published = dt.date.fromisoformat(raw[:10])
            except ValueError:
                log.warning("%s:%d: published %r is not an ISO date; ignored", path, line, raw)
        if doc_id in first_line:
            log.warning("%s:%d: doc_id %r is also on line %d; the later row is used", path, line, doc_id,
                        first_line[doc_id])
        first_line.setdefault(doc_id, line)
        entries[doc_id] = ManifestEntry(published, row.get("source", ""), row.get("title", ""), row.get("url", ""))
    return entries


BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Languages whose legacy files are cp1250/ISO-8859-2 rather than Western European cp1252.
CENTRAL_EUROPEAN = frozenset({"Czech", "Polish", "Slovak", "Hungarian", "Croatian", "Slovene", "Romanian",
                              "Serbian", "Bosnian", "Albanian"})


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` when the NUL bytes of the first 4 KB fall on one parity, as in
    ASCII-heavy text saved as UTF-16 without a byte-order mark."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.4 * len(head[1::2]) and even <= 0.02 * len(head[0::2]):
        return "utf-16-le"
    if even > 0.4 * len(head[0::2]) and odd <= 0.02 * len(head[1::2]):
        return "utf-16-be"
    return None


def _binary(text: str) -> bool:
    """More than 1 in 100 characters are control characters (NUL aside: see ``decode``)."""
    return len(_CONTROL.findall(text.replace("\x00", ""))) > max(8, len(text) // 100)


def _unicode(data: bytes) -> tuple[str, str, str] | None:
    """A byte-order mark, or UTF-16 without one: decode with replacement, noting bad bytes."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            body, label = data[len(bom):], encoding + ("-sig" if encoding == "utf-8" else "")
            break
    else:
        encoding = _utf16_without_bom(data) or ""
        if not encoding:
            return None
        body, label = data, encoding
    text = body.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - body.decode(encoding, errors="ignore").count("\ufffd")
    note = f"{bad} undecodable byte sequence(s) replaced by U+FFFD" if bad else ""
    return text, label, note


def _mostly_utf8(data: bytes, error: UnicodeDecodeError) -> tuple[str, str, str] | None:
    """UTF-8 with a few stray bytes (at least twice as many valid multi-byte characters as bad
    bytes) is UTF-8: the bad bytes become U+FFFD rather than the whole text mojibake."""
    valid = len(_UTF8_SEQUENCE.findall(data))
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - len(re.findall(rb"\xef\xbf\xbd", data))
    if valid < 2 * bad:
        return None
    return text, "utf-8", (f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD "
                           f"(first at byte {error.start})")


def _without_nuls(text: str) -> tuple[str, str]:
    """Stray NUL characters become spaces (same length: offsets hold); the note says how many."""
    count = text.count("\x00")
    return (text.replace("\x00", " "), f"{count} NUL byte(s) read as spaces") if count else (text, "")


def decode(data: bytes) -> tuple[str | None, str, str]:
    """Return (text, encoding, note). ``text`` is None when the bytes are not text.

    Order: byte-order marks and BOM-less UTF-16 first (their NUL bytes are not binary), then
    binary detection, UTF-8 (with replacement when only a few bytes are bad), Western European
    cp1252, then charset-normalizer's guess. A few stray NULs in a text are read as spaces.
    """
    if not data.strip():
        return None, "", "empty file"
    decoded = _unicode(data)
    if decoded is None:
        if data.count(0) > len(data) // 200:  # a stray NUL or two in an article is not a binary file
            return None, "", "binary file (NUL bytes)"
        try:
            decoded = data.decode("utf-8"), "utf-8", ""
        except UnicodeDecodeError as exc:
            decoded = _mostly_utf8(data, exc) or _legacy(data, exc.start)
    if decoded[0] is None:
        return decoded
    text, encoding, note = decoded
    if not text.strip("\x00 \t\r\n\ufeff"):
        return None, "", "empty file"
    if _binary(text):
        return None, "", "binary file (control characters)"
    text, nuls = _without_nuls(text)
    return text, encoding, "; ".join(n for n in (note, nuls) if n)


def _legacy(data: bytes, first_bad: int) -> tuple[str | None, str, str]:
    """A file that is not UTF-8: charset-normalizer's guess, except that Western European cp1252
    (a superset of Latin-1) wins a tie. charset-normalizer ranks cp1250 first among equals, which
    turns a Latin-1 "naïve" into "naďve"; cp1250 keeps its place only when it reads better or
    its text is in a Central European language."""
    results = from_bytes(data)
    best = results.best()
    if best is None or best.encoding is None:
        return None, "", f"not UTF-8 (first bad byte at {first_bad}) and no other encoding fits"
    text, encoding = str(best), best.encoding
    if encoding != "cp1252":
        try:
            western = data.decode("cp1252")
        except UnicodeDecodeError:
            western = None
        rival = next((m for m in results if m.encoding == "cp1252"), None)
        central = bool(best.languages) and best.languages[0] in CENTRAL_EUROPEAN and (
            rival is None or not rival.languages or rival.languages[0] != best.languages[0])
        if western is not None and (western == text or (rival is not None and rival.chaos <= best.chaos
                                                        and not central)):
            text, encoding = western, "cp1252"
    return text, encoding, f"not UTF-8 (first bad byte at {first_bad}); decoded as {encoding}"


def first_line(text: str, limit: int = 300) -> str:
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:limit]
    return ""


def printable_name(name: str) -> str:
    """A file name as printable text: bytes that are not UTF-8 as ``\\xNN``, control characters
    (a CR or a newline in a name) as ``\\r``, ``\\n``, ``\\xNN``. doc_id and path are written
    this way, so a name never breaks a CSV row or the UTF-8 encoding of the outputs."""
    text = os.fsencode(name).decode("utf-8", errors="backslashreplace")
    return _NAME_CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _unreadable(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if path.is_symlink() and not path.exists():
        return f"dangling symbolic link (to {printable_name(os.readlink(path))})"
    return f"cannot read: {exc.strerror or exc}"


def read_document(path: Path, lexicon: Lexicon, manifest: dict[str, ManifestEntry],
                  max_bytes: int = DEFAULT_MAX_BYTES, doc_id: str | None = None) -> Document:
    """Read one file (.txt, .md, .html). Problems give a skipped Document with a reason, never an exception."""
    doc = Document(doc_id=printable_name(doc_id or path.stem), path=printable_name(str(path)))
    try:
        return _read(doc, path, lexicon, manifest, max_bytes)
    except Exception as exc:  # noqa: BLE001  one unreadable file must not end the run
        log.debug("%s", doc.path, exc_info=True)
        doc.status, doc.reason = "skipped", f"cannot read: {type(exc).__name__}: {exc}"
        doc.text, doc.boilerplate = "", []
        return doc


def _read(doc: Document, path: Path, lexicon: Lexicon, manifest: dict[str, ManifestEntry],
          max_bytes: int) -> Document:
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
        doc.status, doc.reason = "skipped", _unreadable(path, exc)
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
    A doc_id met a second time is skipped with a reason naming the first. The folder and the manifest
    are read at once (errors raise here), the files as iterated; a manifest named with
    ``manifest_path`` must exist."""
    manifest: dict[str, ManifestEntry] = {}
    if manifest_path is not None and not manifest_path.is_file():
        raise ManifestError(f"{manifest_path}: manifest not found")
    manifest_path = manifest_path or (input_dir / "manifest.csv")
    paths = input_files(input_dir, recursive)
    if manifest_path.exists():
        manifest = load_manifest(manifest_path)
        if not any(p.suffix.lower() == ".jsonl" for p in paths):
            unknown = sorted(set(manifest) - {printable_name(doc_id_of(p, input_dir)) for p in paths})
            for doc_id in unknown:
                log.warning("%s: manifest names %r but there is no %s.txt", manifest_path, doc_id, doc_id)
    seen: dict[str, str] = {}
    for path in paths:
        for doc in documents_in(path, doc_id_of(path, input_dir), lexicon, manifest, max_bytes):
            yield taken(doc.doc_id, doc.path, seen) or doc


def documents_in(path: Path, doc_id: str, lexicon: Lexicon, manifest: dict[str, ManifestEntry],
                 max_bytes: int) -> Iterable[Document]:
    """The documents of one input file: a .jsonl file holds several, any other file one (``doc_id``)."""
    if path.suffix.lower() == ".jsonl":
        return jsonl_documents(path, lexicon, manifest, max_bytes)
    return (read_document(path, lexicon, manifest, max_bytes, doc_id),)


def taken(doc_id: str, path: str, seen: dict[str, str]) -> Document | None:
    """A skipped document when ``doc_id`` was already taken by an earlier file of the run, else None;
    ``seen`` (doc_id -> the path that took it) records this one either way."""
    duplicate = None
    if doc_id in seen:
        duplicate = Document(doc_id=f"{doc_id}@{path}", path=path, status="skipped",
                             reason=f"doc_id {doc_id!r} already taken by {seen[doc_id]}")
        doc_id = duplicate.doc_id
    seen.setdefault(doc_id, path)
    return duplicate
