"""Agreements that are not a single weapon deal: named agreements, declarations, memoranda,
and agreements the text says were signed.

Every name in a list ("an Agreement on Cultural Cooperation, a Declaration on the
Foundations of Friendly Relations, ...") is its own claim, as is a name that ends in its
kind ("the 1951 Mutual Defense Treaty"). Contracts and deals for weapon systems are
transfers: "contract" and "deal" are not agreement cues (and ``claims/__init__.py`` drops an
unnamed agreement whose sentence states a transfer). A joint venture the text says was created
is an agreement.
"""

from __future__ import annotations

import re

from .context import DocContext
from .mention import new_mention, set_date
from .slots import attributed_to, nearest_date, polarity

NAME_TAIL = r"(?:\s+(?:on|of|for|between|to|the|and|in)\b|\s+[A-Z][\w’'-]*)*"
NAME_BEFORE = r"(?:[A-Z][\w’'-]*\s+){1,5}"  # "Mutual Defense Treaty", "Enhanced Defense Cooperation Agreement"
SIGNED = re.compile(r"\b(?:signed|sign|concluded|inked|reached|agreed|entered into|created|formed|established|set up)\b",
                    re.IGNORECASE)


def _names(ctx: DocContext, sentence_text: str, heads: list[str]) -> list[tuple[int, str]]:
    names = []
    for head in heads:
        for m in re.finditer(rf"\b{re.escape(head)}\s+(?:on|of|for|between)\b{NAME_TAIL}", sentence_text):
            words = m.group().split()
            while words and words[-1] in ("on", "of", "for", "between", "to", "the", "and", "in"):
                words.pop()
            if len(words) >= 3:
                names.append((m.start(), " ".join(words)))
        for m in re.finditer(rf"\b{NAME_BEFORE}{re.escape(head)}\b", sentence_text):
            words = m.group().split()
            while words and words[0] in ("The", "A", "An", "This", "That", "In", "Under"):
                words.pop(0)
            if len(words) >= 2:
                names.append((m.start() + m.group().index(words[0]), " ".join(words)))
    kept: list[tuple[int, str]] = []
    for start, name in sorted(names):  # overlapping readings of one name: the one that starts first
        if not kept or start >= kept[-1][0] + len(kept[-1][1]):
            kept.append((start, name))
    return kept


def extract(ctx: DocContext, parties: list[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    heads = ctx.cues.phrases("agreement", "name_head")
    for sentence in ctx.sentences:
        triggers = ctx.find("agreement", "trigger", sentence)
        if not triggers:
            continue
        countries = [c.canonical for c in sentence.of("COUNTRY") if c.subtype in ("name", "forces")]
        sides = list(dict.fromkeys(countries)) if len(set(countries)) >= 2 else parties
        names = _names(ctx, sentence.text, heads)
        named_spans = [(sentence.start + start, sentence.start + start + len(name)) for start, name in names]
        unnamed = [t for t in triggers if t.phrase.islower() and not any(s <= t.start < e for s, e in named_spans)
                   and (SIGNED.search(sentence.text) or re.match(r"\s+(?:on|between)\b", ctx.text[t.end:t.end + 10]))]
        found = [(sentence.start + start, name) for start, name in names] + [(t.start, "") for t in unnamed[:1]]
        for anchor, name in found:
            row = new_mention(ctx, "agreement", [sentence], "agreement.named" if name else "agreement.signed", anchor=anchor,
                              parties=sides, name=name, polarity=polarity(ctx, sentence, anchor),
                              attributed_to=attributed_to(ctx, sentence))
            set_date(row, nearest_date(sentence, anchor))
            row["basis"] = ("name from the text" if name else "agreement the text says was signed") + \
                ("; parties named in the sentence" if len(set(countries)) >= 2 else "; parties from the document")
            rows.append(row)
    return rows
