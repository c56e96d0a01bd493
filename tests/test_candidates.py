"""Candidate-position phrase scans give exactly the matches of a whole-text ``finditer``."""

import re

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.entities.candidates import PhraseScan, WordIndex, guarded

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


pieces = st.sampled_from([r"(?<![\w$])", r"(?:Mon|Tue),?\s+", r"(Jan(?:uary)?|Feb)", r"\d{1,2}", r"[ab]?",
                          r"(?:early|mid)[\s-]+", r"(?:x|)", r"\b", r"(?=\s)", r"[0-3Q]", r"(?:the\s+)?", r"-"])
optional = pieces.map(lambda p: f"(?:{p})?")
guard_texts = st.lists(st.sampled_from(["Mon, ", "Jan", "January", "Feb", "12", "3", "a", "b", "early ", "mid-",
                                        "x", "the ", "Q", "$", " ", "-", "٣", "\n"]), max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.one_of(pieces, optional), min_size=1, max_size=5), alternative=st.booleans(),
       text=guard_texts)
def test_guarded_pattern_matches_as_the_pattern(parts, alternative, text):  # type: ignore[no-untyped-def]
    source = "".join(parts) + (r"|\d" if alternative else "")
    pattern = re.compile(source)
    guard = guarded(pattern)
    assert [(m.span(), m.groups()) for m in guard.finditer(text)] == [(m.span(), m.groups()) for m in pattern.finditer(text)]
    for pos in range(len(text)):
        plain, fast = pattern.match(text, pos), guard.match(text, pos)
        assert (plain and (plain.span(), plain.groupdict())) == (fast and (fast.span(), fast.groupdict()))


def test_guard_lists_the_first_characters():
    assert guarded(re.compile(r"(?<!\w)(?:(?:Mon|Tue),?\s+)?(?:Jan|feb)\d")).pattern.startswith("(?=[JMTf])")
    assert guarded(re.compile(r"x|\d")).pattern == r"(?=[\dx])(?:x|\d)"
    for opaque in (r"a?", r"[^a]b", r"\w+", r"(?i)abc", r"(?i:a)b", r"(a)?\1b", r".x"):
        assert guarded(re.compile(opaque)).pattern == opaque  # cannot be listed: left as it is
