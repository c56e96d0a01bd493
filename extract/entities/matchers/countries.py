"""Countries: names, demonyms, capitals (metonymy: "Moscow said") and armed-force names
("Tatmadaw") from ``countries.csv``, matched case-sensitively so that "US" is not "us".

Candidates come from the folded token norms (diacritics and invisible format characters such as
a soft hyphen or zero-width joiner dropped), then the span's folded text must equal a surface's
folded form as written, case included."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ...knowledge.gazetteer import Gazetteers, fold
from .base import Match, cached_gazetteers, longest_first, pattern_docs, set_spans

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
        spans = []
        for match_id, start, end in self.matcher(doc):
            country_id, canonical, form = self.entries[match_id]
            span = Span(doc, start, end, label=LABEL)
            if fold(span.text) not in self.surfaces[match_id]:
                continue  # same letters, other case: "us" is not "US"
            span._.match = Match(country_id, canonical, "", form, "exact", f"{form} {span.text!r} of {country_id}")
            spans.append(span)
        set_spans(doc, LABEL, longest_first(spans))
        return doc


@Language.factory("country_matcher", default_config={"gazetteer_dir": ""})
def make_country_matcher(nlp: Language, name: str, gazetteer_dir: str) -> CountryMatcher:
    return CountryMatcher(nlp, cached_gazetteers(gazetteer_dir))
