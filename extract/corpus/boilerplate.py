"""Web boilerplate: the lines of a page that are not the article.

Two kinds of evidence, both giving whole lines:

* wording, from ``gazetteers/lexicon/boilerplate.csv``: a line that fully matches a pattern
  (summary widgets, cookie notices, "Follow Us :", video-player notices, credits). Its scope
  says what else goes: ``next`` the next non-blank line (a teaser), ``rest`` everything after
  (related links), ``caption`` the picture's label or a copy of the caption above it;
* structure, from the page itself: a line that ends with the text of the next line is a
  breadcrumb or a repeated headline ("Home Air Chinese airlifters deliver ..." above
  "Chinese airlifters deliver ..."); a short line above a caption is the picture's label ("Y-20");
  a line above a caption whose text the caption repeats is the caption shown twice; a bare
  name near the top, starting with a known first name ("Linus Aleke in Abuja"), is a byline.

Boilerplate is never cut out: its ranges are blanked in ``Document.clean_text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..knowledge.gazetteer import Lexicon

HEADER_LINES = 6   # non-blank lines at the top where breadcrumbs and bylines stand
LABEL_WORDS = 3    # a line this short right above a caption is the picture's label
# Name words bounded and possessive ({1,40}+): linear on a long run of word characters.
BYLINE = re.compile(r"(?P<first>[A-Z][\w'’-]{1,40}+)(?:\s+[A-Z][\w'’-]{1,40}+){1,3}"
                    r"(?:\s+(?:in|and)\s+[A-Z][\w'’-]{1,40}+(?:\s+[A-Z][\w'’-]{1,40}+)?)?")


@dataclass
class Line:
    start: int  # offset of the first non-blank character
    end: int    # offset after the last non-blank character
    text: str   # the stripped line


def _lines(text: str) -> list[Line]:
    found: list[Line] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            found.append(Line(offset + lead, offset + lead + len(stripped), stripped))
        offset += len(raw)
    return found


def find_boilerplate(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Character ranges of boilerplate lines (see the module docstring)."""
    lines = _lines(text)  # non-blank lines only: "next" and "above" skip blank lines
    marked: set[int] = set()
    rest: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        scope = next((rule_scope for pattern, rule_scope, _note, _line in lexicon.boilerplate
                      if pattern.fullmatch(line.text)), None)
        if scope is None:
            continue
        marked.add(i)
        if scope == "rest":
            rest.append((line.start, len(text.rstrip())))
            break
        if scope == "next" and i + 1 < len(lines):
            marked.add(i + 1)
        if scope == "caption" and i > 0 and i - 1 not in marked:
            above = lines[i - 1].text
            if len(above.split()) <= LABEL_WORDS or line.text.startswith(above.rstrip(".")):
                marked.add(i - 1)
    for i, line in enumerate(lines[:HEADER_LINES]):
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if len(nxt.split()) >= 3 and line.text != nxt and line.text.endswith(nxt):
            marked.add(i)  # a breadcrumb ending with the headline, or the headline repeated
        byline = BYLINE.fullmatch(line.text)
        if byline and byline.group("first") in lexicon.first_names:
            marked.add(i)
    return _merge([(lines[i].start, lines[i].end) for i in sorted(marked)] + rest)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
