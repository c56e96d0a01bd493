"""Input formats besides plain text: HTML, Markdown and JSON Lines, and the listing of an input folder.

* ``.txt``: the text as it is.
* ``.html`` / ``.htm``: the text a browser would show (scripts, styles and the head dropped, a
  line break after each block element, whitespace collapsed as HTML does); every offset in the
  outputs refers to this extracted text, which the report shows. The ``<title>`` (else the first
  ``<h1>``) is the title unless the manifest gives one.
* ``.md``: the text with Markdown's markup taken out (link targets, emphasis marks, heading and
  quote markers), offsets against that text; the first heading is the title.
* ``.jsonl``: one article per line, an object with ``id`` and ``text`` and optionally
  ``published`` (ISO date), ``source``, ``url`` and ``title``. A bad line is a skipped document
  whose reason names the file and line.

A document's ``doc_id`` is its file name without the extension; with ``recursive`` subfolders
are read too and their documents are named by their path under the input folder
(``2024/reuters-1``). Two documents with one ``doc_id`` keep the first; the second is skipped
with a reason naming both.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
HTML_SUFFIXES = (".html", ".htm")

_SKIPPED = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
_BLOCKS = {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
           "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
           "section", "table", "tbody", "td", "th", "thead", "tr", "ul", "caption", "summary", "details"}


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.pre = 0
        self.title: list[str] = []
        self.h1: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("title", "h1") and self._in is None:
            self._in = tag
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            self.pre += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            self.pre -= tag == "pre" and self.pre > 0

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title.append(data)
        elif self._in == "h1":
            self.h1.append(data)
        if not self.skipping:
            self.parts.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_text(html: str) -> tuple[str, str]:
    """(the text a reader sees, the page's title) of an HTML document."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    title = " ".join("".join(parser.title).split()) or " ".join("".join(parser.h1).split())
    return text, title


_MD_RULES = (
    (re.compile(r"^```.*$", re.M), ""),                          # code fences
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),              # images: their alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),               # links: their text
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M), ""),          # heading markers
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),               # quote markers
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),       # strong
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
)


def markdown_text(markdown: str) -> tuple[str, str]:
    """(the text with Markdown's markup taken out, the first heading)."""
    heading = re.search(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", markdown, re.M)
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text, heading.group(1).strip() if heading else ""


def doc_id_of(path: Path, root: Path) -> str:
    """The file's path under the input folder, without its extension ('/' between folders)."""
    return path.relative_to(root).with_suffix("").as_posix()


class InputError(OSError):
    """The input folder cannot be read."""


def input_files(root: Path, recursive: bool = False) -> list[Path]:
    """The article files of a folder (and of its subfolders with ``recursive``), in doc_id order.
    ``manifest.csv`` and hidden files are not articles. Dangling symbolic links and link loops
    are kept: they get a documents.csv row saying so. An unreadable folder raises ``InputError``."""
    try:
        os.scandir(root).close()  # glob() would take an unreadable folder for an empty one
    except OSError as exc:
        raise InputError(f"cannot read input folder {root}: {exc.strerror or exc}") from exc
    pattern = "**/*" if recursive else "*"
    found = [p for p in root.glob(pattern) if p.suffix.lower() in SUFFIXES and not p.is_dir()
             and not any(part.startswith(".") for part in p.relative_to(root).parts)]
    return sorted(found, key=lambda p: (doc_id_of(p, root), p.suffix))


class JsonlLine:
    """One article of a .jsonl file, or the reason the line is not one."""

    def __init__(self, path: Path, number: int, line: str) -> None:
        self.where = f"{path}:{number}"
        self.doc_id, self.text, self.source, self.url, self.title = f"{path.stem}:{number}", "", "", "", ""
        self.published: dt.date | None = None
        self.problem = ""  # why the line is no article
        self.note = ""     # a problem with an optional field
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            self.problem = f"{self.where}: not JSON ({exc.msg} at column {exc.colno})"
            return
        if not isinstance(record, dict):
            self.problem = f"{self.where}: a line must be a JSON object with id and text"
            return
        doc_id, text = record.get("id"), record.get("text")
        if not isinstance(doc_id, (str, int)) or str(doc_id).strip() == "":
            self.problem = f"{self.where}: no id"
            return
        self.doc_id = str(doc_id).strip()
        if not isinstance(text, str) or not text.strip():
            self.problem = f"{self.where}: no text"
            return
        self.text = text
        self.source, self.url, self.title = (str(record.get(k) or "").strip() for k in ("source", "url", "title"))
        published = str(record.get("published") or "").strip()
        if published:
            try:
                self.published = dt.date.fromisoformat(published[:10])
            except ValueError:
                self.note = f"published {published!r} is not an ISO date; ignored"


def jsonl_lines(path: Path) -> Iterator[JsonlLine]:
    """The non-blank lines of a .jsonl file, read one at a time (UTF-8, a bad byte replaced)."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="\n") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield JsonlLine(path, number, line)
