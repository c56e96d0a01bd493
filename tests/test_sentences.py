"""The pipeline's sentence splitter (token attribute arrays) sets the starts spaCy's sentencizer sets."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.pipeline import Sentencizer

from extract.entities.pipeline import PunctSentencizer, line_breaks, make_doc

pieces = st.sampled_from(["Word", "word", "U.S.", "No.", "3.5", ".", "!", "?", "…", "。", "!!", "\"", "'", ")", "(",
                          "-", ",", ";", ":", "’", "”", " ", " ", " ", "\n", "\n\n", "\t"])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(pieces, max_size=40), with_line_breaks=st.booleans())
def test_same_sentence_starts_as_spacy(parts, with_line_breaks):  # type: ignore[no-untyped-def]
    nlp = spacy.blank("en")
    text = "".join(parts)
    ours, theirs = make_doc(nlp, text), make_doc(nlp, text)
    if with_line_breaks:  # starts decided before the splitter runs are kept
        ours, theirs = line_breaks(ours), line_breaks(theirs)
    PunctSentencizer(nlp)(ours)
    Sentencizer()(theirs)
    assert ours.to_array("SENT_START").tolist() == theirs.to_array("SENT_START").tolist()
    assert [s.start for s in ours.sents] == [s.start for s in theirs.sents]


def test_the_next_word_after_a_final_character_starts_a_sentence():
    nlp = spacy.blank("en")
    doc = PunctSentencizer(nlp)(make_doc(nlp, 'He left. "Then," she said! (OK)'))
    assert [s.text for s in doc.sents] == ['He left. "', 'Then," she said! (', "OK)"]  # as spaCy's: punctuation stays behind
