"""Weapon systems: gazetteer aliases (and their designation spellings) via a PhraseMatcher.

* Matching is case-insensitive, over every alias and the spellings ``surface_variants``
  derives from it ("Su-30SME", "Su 30SME", "Su30SME"); the tokenizer splits a plural "s"
  off designations ("Su-30s"), and names ending in a letter also match with an "s"
  ("Harops", "Rafales").
* An alias that is an ordinary English word ("Patriot", "Grad"), has at most two characters
  ("K2") or is three letters ("Tor") matches only with a cue word (``cue_words.txt``) close by.
* A match followed by a company word ("BrahMos Aerospace", ``company_words.txt``) names the
  maker, not the system, and is dropped.
* A one-word alias written without digits must be capitalised in the text ("Rafale", not
  "rafale").
* A family-only mention ("Su-30 fighters") resolves to the family row itself, never to a
  guessed variant; a match that stops inside a word ("FTC-2000" of "FTC-2000G") is dropped,
  so an unknown variant is suggested rather than mistaken for a known one.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ...knowledge.gazetteer import Gazetteers, surface_variants
from .base import Match, cached_gazetteers, longest_first, pattern_docs

LABEL = "WEAPON"
CUE_AFTER, CUE_BEFORE = 3, 2  # words (punctuation not counted) after / before a match searched for a cue


def needs_cue(alias: str, english_words: frozenset[str]) -> bool:
    """Short or word-like aliases ("K2", "Tor", "Patriot") need a cue word next to them;
    a three-character designation with a digit ("TB2", "J10") does not."""
    compact = alias.replace("-", "").replace(" ", "")
    return len(compact) <= 2 or (len(compact) == 3 and compact.isalpha()) or alias.lower() in english_words


class WeaponMatcher:
    def __init__(self, nlp: Language, gaz: Gazetteers) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.cue_words = gaz.lexicon.cue_words
        self.company_words = gaz.lexicon.company_words
        self.entries = {}
        self.needs_cue: set[str] = set()
        for weapon in gaz.weapons.values():
            key = f"W:{weapon.id}"
            self.entries[nlp.vocab.strings.add(key)] = weapon
            forms = [v for alias in (weapon.canonical, *weapon.aliases) for v in surface_variants(alias)]
            forms += [f + "s" for f in forms if f[-1:].isalpha() and f[-1:] != "s" and len(f) >= 4]  # "Harops"
            self.matcher.add(key, pattern_docs(nlp, forms))
            self.needs_cue.update(f.lower() for f in forms if needs_cue(f, gaz.lexicon.english_words))

    def _has_cue(self, span: Span) -> bool:
        doc = span.doc
        after = [t for t in doc[span.end:min(len(doc), span.end + 3 * CUE_AFTER)] if not t.is_punct][:CUE_AFTER]
        before = [t for t in doc[max(0, span.start - 3 * CUE_BEFORE):span.start] if not t.is_punct][-CUE_BEFORE:]
        return any(t.lower_ in self.cue_words or t.lower_.rstrip("s") in self.cue_words for t in after + before)

    @staticmethod
    def _cut_short(span: Span) -> bool:
        """A match that stops inside a word ("FTC-2000" of "FTC-2000G") names another system.
        The tokenizer splits unit-like letters off numbers, so they need this check; a plural
        "s" is not another system."""
        if span.end >= len(span.doc) or span[-1].whitespace_:
            return False
        nxt = span.doc[span.end]
        return nxt.text[:1].isalnum() and nxt.text != "s"

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            span = Span(doc, start, end, label=LABEL)
            weapon = self.entries[match_id]
            surface = span.text
            if surface.lower() in self.needs_cue and not self._has_cue(span):
                continue
            if len(span) == 1 and surface.isalpha() and not surface[:1].isupper():
                continue
            if span.end < len(doc) and doc[span.end].text in self.company_words:
                continue
            if self._cut_short(span):
                continue
            form = "canonical" if surface == weapon.canonical else "alias"
            span._.match = Match(weapon.id, weapon.canonical, weapon.family, weapon.category, "exact",
                                 f"{form} {surface!r} of {weapon.id} (weapons.csv line {weapon.line})")
            spans.append(span)
        doc.spans[LABEL] = longest_first(spans)
        return doc


@Language.factory("weapon_matcher", default_config={"gazetteer_dir": ""})
def make_weapon_matcher(nlp: Language, name: str, gazetteer_dir: str) -> WeaponMatcher:
    return WeaponMatcher(nlp, cached_gazetteers(gazetteer_dir))
