"""Agreements that are not a single weapon deal: named agreements, declarations, memoranda,
agreements the text says were signed, and standing arrangements (joint ventures,
co-production).

Every name in a list ("an Agreement on Cultural Cooperation, a Declaration on the
Foundations of Friendly Relations, ...") is its own claim, as is a name that ends in its
kind ("the 1951 Mutual Defense Treaty"). The kind alone ("a Memorandum of Understanding", a
trigger of the lexicon) is no name. Contracts and deals for weapon systems are transfers:
"contract" and "deal" are not agreement cues, an unnamed agreement in a sentence that states
a transfer is that transfer, and a definite unnamed one ("the agreement was signed") refers
back to a claim already stated. Arrangements (lexicon value ``arrangement``) are claims
without a signing verb: "a joint venture between X and Y"; one that is only expected, planned
or possible ("expected to form a partnership for joint development") does not stand yet and is
no claim.
"""

from __future__ import annotations

import re

from .context import DocContext, Hit, Sentence
from .mention import new_mention, set_date, spans_of
from .slots import attributed_to, nearest_date, polarity

NAME_TAIL = r"(?:\s+(?:on|of|for|between|to|the|and|in)\b|\s+[A-Z][\w’'-]*)*"
NAME_BEFORE = r"(?:[A-Z][\w’'-]*\s+){1,5}"  # "Mutual Defense Treaty", "Enhanced Defense Cooperation Agreement"
SIGNED = re.compile(r"\b(?:signed|sign|concluded|inked|reached|agreed|entered into)\b", re.IGNORECASE)
# "the agreement", "this corresponding accord": up to two modifiers between determiner and cue.
DEFINITE = re.compile(r"\b(?:the|this|that|these|those|such)\s+(?:[a-z][\w-]*\s+){0,2}$", re.IGNORECASE)
COMPLEMENT = re.compile(r"(?<!\s)\s+(?:on|between)\b")  # "an agreement on ...": the cue names its topic
ARRANGEMENT = "arrangement"  # lexicon value of triggers that are claims without a signing verb


def _names(ctx: DocContext, sentence_text: str, heads: list[str]) -> list[tuple[int, str]]:
    kinds = {phrase.casefold() for phrase in ctx.cues.phrases("agreement", "trigger")}  # "Memorandum of Understanding"
    names = []
    for head in heads:
        for m in re.finditer(rf"\b{re.escape(head)}\s+(?:on|of|for|between)\b{NAME_TAIL}", sentence_text):
            words = m.group().split()
            while words and words[-1] in ("on", "of", "for", "between", "to", "the", "and", "in"):
                words.pop()
            if len(words) >= 3 and " ".join(words).casefold() not in kinds:
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


def _evidence(rows: list[dict[str, object]]) -> list[tuple[int, int]]:
    return [(int(row["start_char"]), int(row["end_char"])) for row in rows]  # type: ignore[call-overload]


def _prospective(ctx: DocContext, sentence: Sentence, hit: Hit) -> bool:
    """An arrangement only expected, planned or possible ("expected to form a partnership for
    joint development", "a possible joint venture"): a ``clause,future`` or ``clause,prospective``
    cue before it in its clause. It does not stand yet, so it is no claim."""
    clause = sentence.region(hit.start)
    return any(sentence.region(cue.start) == clause for kind in ("future", "prospective")
               for cue in ctx.find_between("clause", kind, sentence.start, hit.start))


def _unnamed(ctx: DocContext, sentence: Sentence, hit: Hit, stating: list[tuple[int, int]],
             transfers: list[tuple[int, int]], agreements: list[tuple[int, int]]) -> str:
    """The rule id of an unnamed agreement cue that is a claim of its own, or "" when it is none.
    ``stating``: the evidence spans of the document's transfers; ``transfers``: those and their
    restatements; ``agreements``: the agreements found so far. A definite cue with no topic ("the agreement was signed", "the
    joint venture missile") refers back: to any deal for a signed agreement, to an agreement
    already stated for an arrangement."""
    complement = COMPLEMENT.match(ctx.text, hit.end)
    antecedents = agreements if hit.value == ARRANGEMENT else transfers + agreements
    if DEFINITE.search(ctx.text[sentence.start:hit.start]) and not complement and \
            any(s < sentence.start for s, _ in antecedents):
        return ""
    if hit.value == ARRANGEMENT:
        return "" if _prospective(ctx, sentence, hit) else "agreement.arrangement"
    if not (SIGNED.search(sentence.text) or complement):
        return ""
    if any(s < sentence.end and sentence.start < e for s, e in stating) or \
            (sentence.of("WEAPON") and any(s < sentence.end and sentence.start < e for s, e in transfers)):
        return ""  # the sentence states a transfer (or restates one of a named system): the agreement is that deal
    return "agreement.signed"


BASIS = {"agreement.named": "name from the text", "agreement.signed": "agreement the text says was signed",
         "agreement.arrangement": "a standing arrangement (joint venture, co-production)"}


def extract(ctx: DocContext, parties: list[str], transfers: list[dict[str, object]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    heads = ctx.cues.phrases("agreement", "name_head")
    stating = _evidence(transfers)
    transfer_spans = [span for row in transfers for span in spans_of(row)]
    stated: list[tuple[int, int]] = []  # the agreements found so far
    for sentence in ctx.sentences:
        triggers = ctx.find("agreement", "trigger", sentence)
        if not triggers:
            continue
        countries = [c.canonical for c in sentence.of("COUNTRY") if c.subtype in ("name", "forces", "demonym")]
        sides = list(dict.fromkeys(countries)) if len(set(countries)) >= 2 else parties
        names = _names(ctx, sentence.text, heads)
        named_spans = [(sentence.start + start, sentence.start + start + len(name)) for start, name in names]
        unnamed = [(hit.start, rule) for hit in triggers
                   if not any(s <= hit.start < e for s, e in named_spans)
                   for rule in [_unnamed(ctx, sentence, hit, stating, transfer_spans, stated)] if rule]
        found = [(sentence.start + start, name, "agreement.named") for start, name in names] + \
            [(start, "", rule) for start, rule in unnamed[:1]]
        for anchor, name, rule in found:
            row = new_mention(ctx, "agreement", [sentence], rule, anchor=anchor,
                              parties=sides, name=name, polarity=polarity(ctx, sentence, anchor),
                              attributed_to=attributed_to(ctx, sentence))
            set_date(row, nearest_date(sentence, anchor))
            row["basis"] = BASIS[rule] + \
                ("; parties named in the sentence" if len(set(countries)) >= 2 else "; parties from the document")
            rows.append(row)
            stated.append((sentence.start, sentence.end))
    return rows
