"""Candidate-position phrase scans give exactly the matches of a whole-text ``finditer``."""

import re

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.entities.candidates import PhraseScan, WordIndex

WORDS = ["sign", "signed", "deal", "co", "operation", "F", "16", "Su", "30", "ſign", "Kelvin", "İstanbul", "ı"]
text_chars = st.sampled_from(list("sSiIkK- .,'\n\tſı") + ["\u212a", "\u0301", "²", "é"])
texts = st.lists(st.one_of(st.sampled_from(WORDS), text_chars), max_size=40).map("".join)
phrase = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).flatmap(
    lambda words: st.sampled_from([" ", "-"]).map(lambda sep: sep.join(words)))


def _pattern(engine, phrases, flags):  # type: ignore[no-untyped-def]
    alternation = "|".join(engine.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
    return engine.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", flags)


@settings(max_examples=300, deadline=None)
@given(phrases=st.lists(phrase, min_size=1, max_size=6), text=texts, ignore_case=st.booleans(),
       engine=st.sampled_from([re, regex]))
def test_same_matches_as_finditer(phrases, text, ignore_case, engine):  # type: ignore[no-untyped-def]
    pattern = _pattern(engine, phrases, engine.IGNORECASE if ignore_case else 0)
    expected = [m.span() for m in pattern.finditer(text)]
    scan = PhraseScan(pattern, phrases, engine)
    assert [m.span() for m in scan.finditer(text * 60)] == [m.span() for m in pattern.finditer(text * 60)]
    assert [m.span() for m in scan.finditer(text, WordIndex(text, engine))] == expected


def test_words_are_looked_up_not_scanned():
    scan = PhraseScan(_pattern(re, ["signed", "co-operation"], re.IGNORECASE), ["signed", "co-operation"], re)
    assert scan.firsts == frozenset({"signed", "co"})
    text = "They SIGNED a co-operation deal; co-signed and resigned do not count."
    assert [m.group() for m in scan.finditer(text, WordIndex(text, re))] == ["SIGNED", "co-operation"]


def test_non_ascii_phrases_fall_back_to_the_whole_scan():
    scan = PhraseScan(_pattern(re, ["négociations"], re.IGNORECASE), ["négociations"], re)
    assert scan.firsts is None
    assert [m.group() for m in scan.finditer("les Négociations")] == ["Négociations"]


name_words = st.sampled_from(["Ab", "Ab'Ab", "Ab-Ab", "Abé", "Ab’"])
name_texts = st.lists(st.one_of(name_words, st.sampled_from(list("Ab -_'’.é1\u0301 "))), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(word=name_words, text=name_texts, begin=st.integers(0, 10))
def test_whole_word_search_equals_the_pattern_on_the_slice(word, text, begin):  # type: ignore[no-untyped-def]
    from extract.entities.matchers.people import _whole_word_at
    pattern = regex.compile(rf"(?<![\w-]){regex.escape(word)}(?![\w-])")
    begin = min(begin, len(text))
    assert list(_whole_word_at(text, word, begin)) == [begin + m.start() for m in pattern.finditer(text[begin:])]
