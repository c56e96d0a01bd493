"""Dates: the rule grammar of ``extract.entities.temporal`` run as a spaCy component.

The component only finds and parses date expressions; giving relative ones a value needs
the document's publication date and anchors, which ``extract.entities.annotate`` supplies.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..temporal import DateGrammar
from .base import Match, cached_gazetteers, doc_text, make_span

LABEL = "DATE"
MENTIONS = "extract.date_mentions"  # doc.user_data key: the DateMention of each DATE span, in order


class DateFinder:
    def __init__(self, grammar: DateGrammar) -> None:
        self.grammar = grammar

    def __call__(self, doc: Doc) -> Doc:
        spans, mentions = [], []
        for mention in self.grammar.find(doc_text(doc)):
            span = make_span(doc, mention.start, mention.end, LABEL,
                             Match("", mention.text, "", mention.kind, "rule", f"date rule {mention.kind}"))
            if span is not None:
                spans.append(span)
                mentions.append(mention)
        doc.spans[LABEL] = spans
        # Kept beside the spans, not in a span extension: two dates inside one token ("2028–2030")
        # expand to the same span, whose extension values would be shared.
        doc.user_data[MENTIONS] = mentions
        return doc


@Language.factory("date_finder", default_config={"gazetteer_dir": ""})
def make_date_finder(nlp: Language, name: str, gazetteer_dir: str) -> DateFinder:
    return DateFinder(DateGrammar(cached_gazetteers(gazetteer_dir).lexicon))
