"""Countries: names, demonyms, capitals (metonymy: "Moscow said") and armed-force names
("Tatmadaw") from ``countries.csv``, matched case-sensitively so that "US" is not "us".

Candidates come from the folded token norms (diacritics and invisible format characters such as
a soft hyphen or zero-width joiner dropped), then the span's folded text must equal a surface's
folded form as written, case included."""

from __future__ import annotations

from typing import NamedTuple

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ...knowledge.gazetteer import Gazetteers, fold
from .base import Match, cached_gazetteers, doc_text, longest_first, pattern_docs, set_match, set_spans

LABEL = "COUNTRY"


class CountryMatcher:
    def __init__(self, nlp: Language, gaz: Gazetteers) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.entries: dict[int, tuple[str, str, str]] = {}
        self.surfaces: dict[int, set[str]] = {}
        for country in gaz.countries.values():
            for surface, form in country.forms():
                key = f"C:{country.id}:{form}"
                key_id = nlp.vocab.strings.add(key)
                self.entries[key_id] = (country.id, country.canonical, form)
                variants = {surface, surface.upper()} if form == "name" else {surface}
                self.surfaces.setdefault(key_id, set()).update(fold(v) for v in variants)
                self.matcher.add(key, pattern_docs(nlp, sorted(variants)))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        idx, length = doc.to_array([IDX, LENGTH]).T.tolist() if len(doc) else ([], [])
        found = []
        for match_id, start, end in self.matcher(doc):
            start_char, end_char = idx[start], idx[end - 1] + length[end - 1]
            surface = text[start_char:end_char]  # the span's text
            if fold(surface) not in self.surfaces[match_id]:
                continue  # same letters, other case: "us" is not "US"
            country_id, canonical, form = self.entries[match_id]
            set_match(doc, start_char, end_char, Match(country_id, canonical, "", form, "exact",
                                                       f"{form} {surface!r} of {country_id}"))
            found.append(_Found(start_char, end_char, start, end))
        # Span objects only for the matches kept: making one costs more than the rest of a match
        set_spans(doc, LABEL, [Span(doc, f.start, f.end, label=LABEL) for f in longest_first(found)])
        return doc


class _Found(NamedTuple):
    start_char: int
    end_char: int
    start: int  # tokens
    end: int


@Language.factory("country_matcher", default_config={"gazetteer_dir": ""})
def make_country_matcher(nlp: Language, name: str, gazetteer_dir: str) -> CountryMatcher:
    return CountryMatcher(nlp, cached_gazetteers(gazetteer_dir))
