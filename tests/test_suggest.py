"""Suggestion scanning skips the sentences that cannot hold a designation, with the same candidates."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.knowledge import suggest

words = st.sampled_from(["FTC-2000G", "J-10CE", "KF-21", "Shahed-136", "COVID-19", "Army-2021", "2021", "Hunter", "drones",
                         "Sky", "Sword", "II", "missiles", "cruise", "missile", "the", "bought", "F-16s", "Su-30", "x9"])
texts = st.lists(st.tuples(words, st.sampled_from([" ", " ", ". ", ".\n", ", ", "\n\n", "-"])), max_size=40).map(
    lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, cuts=st.lists(st.integers(0, 400), max_size=6))
def test_sentences_without_a_digit_are_skipped_with_the_same_candidates(small_gaz, monkeypatch, text, cuts):
    scanner = suggest.Scanner(small_gaz)
    starts = sorted({0} | {c for c in cuts if c < len(text)})
    entities = [{"start_char": 0, "end_char": 3, "entity_id": "x", "matcher": "exact", "entity_type": "WEAPON"}]
    found = scanner.scan(text, starts, entities, [])
    with monkeypatch.context() as patch:
        patch.setattr(suggest, "_DIGIT", re.compile(""))  # every sentence scanned
        assert scanner.scan(text, starts, entities, []) == found
