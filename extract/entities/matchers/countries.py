"""Countries: names, demonyms, capitals (metonymy: "Moscow said") and armed-force names
("Tatmadaw") from ``countries.csv``, matched case-sensitively so that "US" is not "us"."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ...knowledge.gazetteer import Gazetteers
from .base import Match, cached_gazetteers, longest_first

LABEL = "COUNTRY"


class CountryMatcher:
    def __init__(self, nlp: Language, gaz: Gazetteers) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[int, tuple[str, str, str]] = {}
        for country in gaz.countries.values():
            for surface, form in country.forms():
                key = f"C:{country.id}:{form}"
                self.entries[nlp.vocab.strings.add(key)] = (country.id, country.canonical, form)
                variants = {surface, surface.upper()} if form == "name" else {surface}
                self.matcher.add(key, list(nlp.tokenizer.pipe(sorted(variants))))

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            country_id, canonical, form = self.entries[match_id]
            span = Span(doc, start, end, label=LABEL)
            span._.match = Match(country_id, canonical, "", form, "exact", f"{form} {span.text!r} of {country_id}")
            spans.append(span)
        doc.spans[LABEL] = longest_first(spans)
        return doc


@Language.factory("country_matcher", default_config={"gazetteer_dir": ""})
def make_country_matcher(nlp: Language, name: str, gazetteer_dir: str) -> CountryMatcher:
    return CountryMatcher(nlp, cached_gazetteers(gazetteer_dir))
