"""Build the spaCy pipeline: a blank English tokenizer, sentence splitting and the rule matchers.

No statistical model is loaded or downloaded. The tokenizer gets one extra suffix rule so
that a plural "s" after a designation is split off ("Su-30s" -> "Su-30" "s", "F-16Vs").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

import spacy
from spacy.attrs import IS_PUNCT, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex

from .matchers import countries, dates, people, weapons  # noqa: F401  (registers the factories)
from .matchers.base import cached_gazetteers, doc_text, set_folded_norms

PLURAL_AFTER_DESIGNATION = (r"(?<=[0-9])s$", r"(?<=[0-9][A-Z])s$", r"(?<=[0-9][A-Z]{2})s$", r"(?<=[0-9][A-Z]{3})s$")
MATCHERS = ("country_matcher", "weapon_matcher", "person_matcher", "date_finder")


_LINE_BREAK = re.compile(r"\n[ \t\r\n]*")


@Language.component("fold_norms")
def fold_norms(doc: Doc) -> Doc:
    """Tokens with diacritics get a folded NORM ("Çavuşoğlu" -> "cavusoglu"), which the gazetteer
    matchers compare on; only those tokens are touched."""
    set_folded_norms(doc, doc_text(doc))
    return doc


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: titles, datelines and list items carry no full stop."""
    starts = doc.to_array("IDX")
    sent_starts = doc.to_array([SENT_START])
    for m in _LINE_BREAK.finditer(doc_text(doc)):
        i = int(np.searchsorted(starts, m.end()))
        if 0 < i < len(doc) and starts[i] == m.end():
            sent_starts[i] = 1
    if sent_starts.any():  # one array write: setting Token.is_sent_start scans the whole Doc each time
        doc.from_array([SENT_START], sent_starts.reshape(-1, 1))
    return doc


class PunctSentencizer:
    """spaCy's ``sentencizer`` on token attribute arrays: the same sentence starts, without making a
    Token object per token. A token that is neither punctuation nor one of the sentence-final
    characters starts a sentence when one of those characters stands between it and the previous
    such token (or the document's start); the first token starts one too. As with spaCy's, a
    token whose start an earlier component decided (``line_breaks``) keeps it."""

    def __init__(self, nlp: Language) -> None:
        self.final = np.array(sorted(nlp.vocab.strings.add(c) for c in Sentencizer.default_punct_chars), dtype=np.uint64)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        orth, punct, decided = doc.to_array([ORTH, IS_PUNCT, SENT_START]).T
        at = np.minimum(np.searchsorted(self.final, orth), len(self.final) - 1)
        final = self.final[at] == orth  # np.isin sorts the document's tokens: slower
        word = np.flatnonzero(~final & (punct == 0))
        finals_before = np.cumsum(final)[word] - final[word]  # sentence-final characters before each word
        starts = np.zeros(len(doc), dtype=bool)
        starts[word[np.diff(finals_before, prepend=0) > 0]] = True
        starts[0] = True
        sent_starts = np.where(decided != 0, decided, np.where(starts, 1, -1).astype(np.uint64))  # -1 as spaCy stores it
        doc.from_array([SENT_START], sent_starts.reshape(-1, 1))
        return doc


@Language.factory("punct_sentencizer")
def make_punct_sentencizer(nlp: Language, name: str) -> PunctSentencizer:
    return PunctSentencizer(nlp)


def make_doc(nlp: Language, text: str) -> Doc:
    """Tokenise ``text`` and keep it on the Doc, so components need not rebuild it from tokens."""
    doc = nlp.make_doc(text)
    doc.user_data["text"] = text
    return doc


def blank() -> Language:
    """The tokenizer and sentencizer alone (the benchmark's baseline)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def build(gazetteer_dir: Path | str | None = None) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("fold_norms")
    nlp.add_pipe("line_breaks")
    nlp.add_pipe("punct_sentencizer")
    suffixes = list(nlp.Defaults.suffixes) + list(PLURAL_AFTER_DESIGNATION)
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    config = {"gazetteer_dir": str(gazetteer_dir or "")}
    for name in MATCHERS:
        nlp.add_pipe(name, config=config)
    # The matchers tokenised ~15,000 pattern strings, which filled the tokenizer's cache (10,000
    # entries) before the first document: no document word would ever be cached. Empty it.
    nlp.tokenizer.rules = nlp.tokenizer.rules  # the setter starts a new cache
    return nlp


def shared(gazetteer_dir: Path | str | None = None) -> Language:
    """``build(gazetteer_dir)``, made once per process while the gazetteers read the same: pool
    workers forked after their parent called this inherit its pipeline instead of each building one."""
    directory = str(gazetteer_dir or "")
    return _shared(directory, cached_gazetteers(directory).fingerprint)


@lru_cache(maxsize=1)
def _shared(directory: str, fingerprint: str) -> Language:
    return build(directory or None)
