"""The claim rules' word-level searches give exactly the hits of the scans they replace
(extract/claims/words.py, lemmas.py, statement.py)."""

from __future__ import annotations

import re
from itertools import accumulate, chain, compress
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from extract.claims.anaphora import _pattern as _phrases
from extract.claims.context import LISTED, Cues, DocContext, Sentence
from extract.claims.lemmas import CueIndex, Inflector, Row
from extract.claims.slots import MONEY, amounts
from extract.claims.statement import CAPITAL, DEFINITE_BEFORE, OWNED_BEFORE, THE, _bodies
from extract.claims.words import WORD, Words, first_part, first_parts, matches_near

IRREGULAR = {"sell": ("sold",), "take": ("took", "taken"), "meet": ("met",)}
VOCABULARY = ["sell", "sold", "selling", "take", "took", "delivery", "deliveries", "paid", "a", "visit", "visits",
              "the", "The", "Ministry", "ministry's", "air", "force", "Air", "Force", "of", "Defence", "co-op", "ſold",
              "\u212aelvin", "İstanbul", "talks", "with", "Talks", "U.S.", "Army", "army", "Iran's", "military", "x"]
SEPARATORS = [" ", "  ", "\n", ", ", "-", "’", "'", ". ", " (", "_"]
texts = st.lists(st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SEPARATORS)), max_size=30).map(
    lambda parts: "".join(w + s for w, s in parts))
rows = st.lists(st.tuples(st.sampled_from(["trigger", "speech", "name_head"]),
                          st.lists(st.sampled_from(["sell", "sold", "take", "delivery", "paid", "a", "visit", "the",
                                                    "talks", "with", "air", "force", "Ministry"]), min_size=1, max_size=3),
                          st.booleans()), min_size=1, max_size=8)


@pytest.fixture(scope="module")
def cues(small_gaz):  # type: ignore[no-untyped-def]
    return Cues(small_gaz)


def _reference_find(index: CueIndex, text: str) -> list[tuple[int, int, Row]]:
    """The word-by-word trie walk ``CueIndex.find`` replaced (main@e1e8025), as the oracle."""
    fold = (lambda w: w) if index.case_sensitive else str.lower
    raw, gaps = WORD.findall(text), WORD.split(text)
    words = raw if index.case_sensitive else list(map(str.lower, raw))
    offsets = list(accumulate(chain.from_iterable(zip(map(len, gaps), map(len, raw)))))
    firsts = frozenset(f for f, keys in index.by_form.items() if any(k in index.root.next for k in keys))
    found, busy, n = [], {}, len(words)
    for i in compress(range(n), map(firsts.__contains__, words)):
        start, best, frontier, j = offsets[2 * i], {}, [index.root], i
        while j < n:
            if j > i and gaps[j].strip():
                break
            keys = index.by_form.get(words[j], ())
            frontier = [node.next[key] for node in frontier for key in keys if key in node.next]
            if not frontier:
                break
            if any(node.entries for node in frontier):
                end = offsets[2 * j + 1]
                surface = words[i] if j == i else fold(" ".join(text[start:end].split()))
                for node in frontier:
                    for row, phrase, kind in node.entries:
                        written, current = surface == phrase, best.get(kind)
                        if current is None or end > current[0] or (end == current[0] and written and not current[1]):
                            best[kind] = (end, written, row)
            j += 1
        for kind, (end, _, row) in best.items():
            if start >= busy.get(kind, 0):
                found.append((start, end, row))
                busy[kind] = end
    return found


@settings(max_examples=300, deadline=None)
@given(spec=rows, text=texts, case_sensitive=st.booleans())
@example(spec=[("trigger", ["sell"], False), ("trigger", ["sold"], False)], text="They sold it.", case_sensitive=False)
@example(spec=[("speech", ["paid", "a", "visit"], False), ("speech", ["visit"], False), ("trigger", ["paid"], False)],
         text="He paid  a visit, paid a visits.", case_sensitive=False)
def test_cue_index_finds_what_the_word_by_word_walk_found(spec, text, case_sensitive):  # type: ignore[no-untyped-def]
    index = CueIndex([Row("f", kind, " ".join(words), str(i), exact) for i, (kind, words, exact) in enumerate(spec)],
                     Inflector(IRREGULAR), case_sensitive)
    assert index.find(text) == _reference_find(index, text)
    assert index.find(text, Words(text)) == _reference_find(index, text)  # twice: the frontiers are memoised


def test_cue_index_on_the_lexicon_and_the_test_articles(cues):  # type: ignore[no-untyped-def]
    for path in sorted(Path(__file__).parent.joinpath("articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        words = Words(text)
        for index in (cues.index, cues.case_index, cues.lists):
            assert index.find(text, words) == _reference_find(index, text), path.name


HEADS = ["ministry", "ministries", "air force", "army", "u.s. army", "co-op", "mission"]
starts_ignoring_case = re.compile(r"(?<=\s)(?i:" + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in HEADS) + r")\b")


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_starting_holds_every_start_of_a_match_ignoring_case(text):  # type: ignore[no-untyped-def]
    # "ſ" and the Kelvin sign match "s" and "k" ignoring case: a word that is not ASCII is always tried
    starts = set(Words(text).starting(frozenset(first_part(h) for h in HEADS)))
    assert {m.start() for m in starts_ignoring_case.finditer(text)} <= starts


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_starting_is_the_word_by_word_definition(text):  # type: ignore[no-untyped-def]
    words, firsts = Words(text), frozenset(first_part(h) for h in HEADS)
    expected = [words.offsets[2 * i] for i, word in enumerate(words.raw)
                if first_part(word.lower()) in firsts or not word.isascii()]
    assert words.starting(firsts) == expected
    assert words.starting(frozenset({"x"})) == [words.offsets[2 * i] for i, word in enumerate(words.raw)
                                                if first_part(word.lower()) == "x" or not word.isascii()]


def test_starting_lists_the_words_whose_first_part_is_a_head():
    text = "The Ministry's army, the U.S. Army and a co-op; ministryx and armies"
    starts = Words(text).starting(frozenset({"ministry", "army", "u", "co"}))
    assert [text[s:s + 8] for s in starts] == ["Ministry", "army, th", "U.S. Arm", "Army and", "co-op; m"]


body_texts = st.lists(st.tuples(st.sampled_from(["Iran", "Turkey's", "The", "the", "U.S.", "defence", "Foreign",
                                                 "ministry", "Ministry", "MINISTRY", "of", "Defence", "company",
                                                 "permanent", "mission", "to", "United", "Nations", "ſtate", "said",
                                                 "Russian", "Helicopters", "holding", "x-ray", "K\u212a"]),
                                st.sampled_from([" ", "  ", ", ", ". ", "\n", "-", "’s "])), max_size=25).map(
    lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=300, deadline=None)
@given(text=body_texts)
@example(text="x Russian United Helicopters permanent defence foreign ministry said")  # owner of three, three mods
def test_bodies_near_head_nouns_are_those_of_the_whole_scan(cues, text):  # type: ignore[no-untyped-def]
    bodies = _bodies(cues)
    assert bodies.firsts is not None
    heads = Words(text).starting(bodies.firsts)
    for pattern, before, first in ((bodies.owned, OWNED_BEFORE, CAPITAL), (bodies.definite, DEFINITE_BEFORE, THE)):
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in matches_near(pattern, text, heads, before, first)] == expected


phrase_texts = st.lists(st.tuples(st.sampled_from(["the", "The", "its", "of", "Of", "those", "first", "six", "new",
                                                   "jets", "Jets", "jet's", "aircraft", "system-wide", "ſystems", "\u212a", "x"]),
                                  st.sampled_from([" "] * 8 + ["  ", ", ", "\n", "-", "(", "’"])), max_size=16).map(
    lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=600, deadline=None)
@given(text=phrase_texts, start=st.integers(0, 30))
@example(text="Of the first six new jets ", start=0)  # the longest determiner and three words: five chunks
def test_definite_phrases_near_their_nouns_are_those_of_the_whole_scan(cues, text, start):  # type: ignore[no-untyped-def]
    phrases = _phrases(cues)
    assert phrases is not None and phrases.nouns is not None
    ctx = DocContext("d", text, text, [], cues)
    end = len(text) - start // 2
    near = ctx.near(phrases.pattern, start, end, phrases.nouns, phrases.before, phrases.first)
    assert [(m.span(), m.group("noun")) for m in near] == \
        [(m.span(), m.group("noun")) for m in phrases.pattern.finditer(text[start:end])]


def test_matches_near_tries_only_the_chunks_before_a_head():
    pattern = re.compile(r"[A-Z]\w*\s+(?:\w+\s+)?head")
    text = "Alpha Beta gamma head and Delta head, Epsilon Zeta Eta head"
    heads = [m.start() for m in re.finditer("head", text)]
    assert [m.group() for m in matches_near(pattern, text, heads, 2, CAPITAL)] == \
        [m.group() for m in pattern.finditer(text)] == ["Beta gamma head", "Delta head", "Zeta Eta head"]
    assert matches_near(pattern, text, [], 2, CAPITAL) == []  # no head, no match tried


money_texts = st.lists(st.sampled_from(["US$", "US $", "USD", "usd ", "$", "€", "EUR ", "£", "GBP", "Rs.", "rs ", "INR", "₹",
                                        "¥", "RMB ", "1", "23", "4,500", ",000", ".5", "2024", " ", "  ", "million", "bn",
                                        "m", "k", "dollars", "euros", "crore", "s", "x", "_", "-", "ſ", "\u212a"]),
                       max_size=20).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=money_texts)
def test_amounts_are_the_matches_of_the_whole_scan(text):  # type: ignore[no-untyped-def]
    assert [m.span() for m in amounts(text)] == [m.span() for m in MONEY.finditer(text)]


def test_listed_kinds_are_never_searched_for(cues):  # type: ignore[no-untyped-def]
    # the search leaves out the word-list kinds: no rule may ask for their hits
    asked = set()
    for path in Path(__file__).parents[1].joinpath("extract", "claims").glob("*.py"):
        asked |= set(re.findall(r"\bfind(?:_between)?\(\s*\"(\w+)\",\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
    assert ("transfer", "trigger") in asked and not asked & LISTED
    assert LISTED <= set(cues.rows)  # each names a lexicon kind
    ctx = DocContext("d", "The jets.", "The jets.", [Sentence(0, 0, 9, "The jets.")], cues)
    with pytest.raises(KeyError, match="word list"):
        ctx.find("anaphora", "determiner", ctx.sentences[0])
    assert [h.phrase for h in ctx.find_between("transfer", "trigger", 0, 9)] == []


def test_first_parts_are_unknown_for_a_head_not_ascii_or_without_letters():
    assert first_parts(["Ministry", "U.S. Army", "ministry's"]) == frozenset({"ministry", "u"})
    assert first_parts(["ministère"]) is None and first_parts(["ministry", "--"]) is None
