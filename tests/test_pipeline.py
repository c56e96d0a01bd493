"""The pipeline's sentence splitter (token attribute arrays) sets the starts spaCy's sentencizer sets;
pool workers forked from a process that built the pipeline use that one."""

from __future__ import annotations

import multiprocessing
import os

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.pipeline import Sentencizer

from extract.corpus.files import Document
from extract.entities import pipeline
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


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are spawned")
def test_forked_workers_use_the_pipeline_their_parent_built(small_gazetteer_dir, tmp_path, monkeypatch):
    from extract.engine import runner

    built = tmp_path / "built"
    build = pipeline.build

    def counted(gazetteer_dir=None):  # type: ignore[no-untyped-def]
        with built.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return build(gazetteer_dir)

    monkeypatch.setattr(pipeline, "build", counted)
    pipeline._shared.cache_clear()
    documents = [Document(f"d{i}", f"d{i}.txt", "Russia delivered Su-30 jets to India in May 2021.", "utf-8")
                 for i in range(4)]
    results = list(runner.process(iter(documents), small_gazetteer_dir, jobs=2))
    assert [r.document["doc_id"] for r in results] == ["d0", "d1", "d2", "d3"] and results[0].entities
    assert built.read_text().split() == [str(os.getpid())]  # once, in this process
    assert pipeline.shared(small_gazetteer_dir) is pipeline.shared(str(small_gazetteer_dir))
    pipeline._shared.cache_clear()
