"""Definite noun phrases that refer back to a named system: "the jets", "the system", "its
first six aircraft". The antecedent is a system named before the phrase (within ``WINDOW`` sentences) whose
category fits the noun (``claim_cues.csv``, frame ``anaphora``): of the family named most often
there, the first named in the latest sentence that names one (the most salient, as in
centering theory: "Greece bought F-35A jets ... still flies Mirage 2000-5 and F-4 Phantom
aircraft. The first jets arrive in 2028" -> F-35A).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .context import Cues, DocContext, Ent, Sentence
from .words import first_parts

WINDOW = 5  # sentences back that an antecedent may stand


@dataclass(frozen=True)
class _Phrases:
    """The pattern of definite phrases, and where its matches can be (``DocContext.near``)."""

    pattern: re.Pattern[str]
    nouns: frozenset[str] | None  # the first parts of the nouns (None: unknown, the pattern runs everywhere)
    before: int                   # chunks before the noun: the longest determiner and three words
    first: re.Pattern[str]        # the first characters of the determiners


@lru_cache(maxsize=4)
def _pattern(cues: Cues) -> _Phrases | None:
    """A determiner, up to three words and a noun of the lexicon; built once per lexicon, not per document."""
    nouns = list(cues.forms("anaphora", "noun"))
    determiners = cues.phrases("anaphora", "determiner")
    if not (nouns and determiners):
        return None
    det = "|".join(re.escape(d) for d in sorted(determiners, key=len, reverse=True))
    noun = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{det})\s+(?:[\w’'-]+\s+){{0,3}}?(?P<noun>{noun})\b", re.IGNORECASE)
    firsts = first_parts(nouns) if all(d[:1].strip() for d in determiners) else None
    return _Phrases(pattern, firsts,
                    max(len(d.split()) for d in determiners) + 3,
                    re.compile("[" + "".join(sorted({re.escape(d[0]) for d in determiners})) + "]", re.IGNORECASE))


class Anaphora:
    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.fits = ctx.cues.forms("anaphora", "noun")  # every form of the nouns ("jet", "jets") -> categories
        self.phrases = _pattern(ctx.cues)

    def _fits(self, noun: str, category: str) -> bool:
        wanted = self.fits.get(noun.lower(), "*")
        return wanted == "*" or any(w.lower() in category.lower() for w in wanted.split("|"))

    def in_sentence(self, sentence: Sentence) -> list[Ent]:
        """Synthetic WEAPON entities for the resolved definite phrases of ``sentence``."""
        if self.phrases is None:
            return []
        found = []
        position = self.ctx.position(sentence)
        earlier = [w for s in self.ctx.sentences[max(0, position - WINDOW):position] for w in s.of("WEAPON")]
        phrases = self.phrases
        for m in self.ctx.near(phrases.pattern, sentence.start, sentence.end, phrases.nouns, phrases.before,
                               phrases.first):
            start = sentence.start + m.start("noun")
            antecedents = [w for w in earlier + [w for w in sentence.of("WEAPON") if w.end <= start]
                           if self._fits(m.group("noun"), w.subtype)]
            if not antecedents:
                continue
            # the family the passage speaks of most ("the jets" after "F-35 ... F-35A ... F-4"),
            # then its most recent system
            counts = {w.family: sum(1 for x in antecedents if x.family == w.family) for w in antecedents}
            top = [w for w in antecedents if counts[w.family] == max(counts.values())]
            # among those, the latest sentence's first-named system (the most salient one)
            latest = max(self.ctx.sentence_at(w.start).index for w in top)  # type: ignore[union-attr]
            a = next(w for w in top if self.ctx.sentence_at(w.start).index == latest)  # type: ignore[union-attr]
            found.append(Ent("WEAPON", a.id, a.canonical, a.family, a.subtype, m.group(), sentence.start + m.start(),
                             sentence.start + m.end(), value=f"anaphor {m.group()!r} -> {a.canonical}"))
        return found
