"""Cue words by lemma: one lexicon row matches every inflection (extract/claims/lemmas.py)."""

from __future__ import annotations

import pytest

from extract.claims.lemmas import CueIndex, Inflector, Row

IRREGULAR = {"sell": ("sold",), "take": ("took", "taken"), "meet": ("met",), "strike": ("struck",)}


def index(*rows: tuple[str, str, str], case_sensitive: bool = False) -> CueIndex:
    return CueIndex([Row(f, k, p.lstrip("="), "", p.startswith("=")) for f, k, p in rows], Inflector(IRREGULAR),
                    case_sensitive)


def found(idx: CueIndex, text: str) -> list[str]:
    return [text[s:e] for s, e, _ in idx.find(text)]


@pytest.mark.parametrize("word", ["supply", "supplies", "supplied", "supplying"])
def test_one_row_matches_every_inflection(word):
    idx = index(("transfer", "trigger", "supply"))
    assert found(idx, f"Norway {word} air defence radars to Estonia.") == [word]


def test_a_row_written_inflected_matches_its_lemma_forms():
    idx = index(("transfer", "trigger", "supplied"))
    assert found(idx, "Chile supplies trucks.") == ["supplies"]


@pytest.mark.parametrize("text, hit", [
    ("Kenya took delivery of two patrol boats.", "took delivery"),
    ("Kenya is taking delivery of two patrol boats.", "taking delivery"),
    ("Ghana sold three trainers.", "sold"),
    ("The ministers met in Accra.", "met"),
    ("Drones struck a depot near Sumy.", "struck"),
    ("Peru shipped the frigates.", "shipped"),
])
def test_irregular_and_multiword_forms(text, hit):
    idx = index(("transfer", "trigger", "take delivery"), ("transfer", "trigger", "sell"),
                ("meeting", "trigger", "meet"), ("combat_use", "trigger", "strike"), ("transfer", "trigger", "ship"))
    assert found(idx, text) == [hit]


def test_exact_rows_match_only_as_written():
    idx = index(("transfer", "description", "=like"))
    assert found(idx, "Radars like the GM400.") == ["like"]
    assert found(idx, "Officials liked the GM400.") == []


def test_phrase_words_are_separated_by_white_space_only():
    idx = index(("meeting", "trigger", "talks with"))
    assert found(idx, "They held talks with Oslo.") == ["talks with"]
    assert found(idx, "After the talks, with Oslo silent.") == []


def test_longest_phrase_wins_and_whole_words_only():
    idx = index(("meeting", "trigger", "visit"), ("meeting", "trigger", "paid a visit"))
    assert found(idx, "The envoy paid a visit to Lima.") == ["paid a visit"]
    assert found(idx, "The envoy's visitors came.") == []


def test_the_row_written_as_the_text_wins():
    idx = CueIndex([Row("transfer", "trigger", "sell", "offered", False),
                    Row("transfer", "trigger", "sold", "ordered", False)], Inflector(IRREGULAR))
    assert [(r.phrase, r.value) for _, _, r in idx.find("Chile sold two frigates.")] == [("sold", "ordered")]
    assert [(r.phrase, r.value) for _, _, r in idx.find("Chile will sell two frigates.")] == [("sell", "offered")]


def test_case_sensitive_kinds_match_as_written():
    idx = index(("agreement", "name_head", "Accord"), case_sensitive=True)
    assert found(idx, "the Lusaka Accord and an accord") == ["Accord"]


def test_blocker_forms(claims_of):
    # "helicopter" is a blocker row: its plural blocks the cue too ("attack helicopters" are no attack)
    assert claims_of("Egypt bought Su-30SME jets and attack helicopters.", "combat_use") == []


def test_an_inflected_cue_capitalised_inside_a_sentence_is_a_name(claims_of):
    # "stated" is a speech cue; "States" in "Member States" is a noun, not a verb of saying
    assert claims_of("Sixteen suppliers were sanctioned by Member States after the coup.", "statement") == []


def test_lexicon_cue_rows_inflect(claims_of):
    # the lexicon has "hail" and "reaffirm"; their past tenses are verbs of saying
    row = claims_of("Alexander Fomin hailed the deal as historic.", "statement")
    assert [r["speaker"] for r in row] == ["Alexander Fomin"]


@pytest.mark.parametrize("first, second, past", [("operates", "operate", "operated"), ("operate", "operates", "operated"),
                                                  ("trains", "train", "trained"), ("train", "trains", "trained"),
                                                  ("leases", "lease", "leased"), ("lease", "leases", "leased"),
                                                  ("fields", "field", "fielded"), ("field", "fields", "fielded")])
def test_two_rows_matching_the_same_form_go_to_the_first_in_the_file(first, second, past):
    # the past form is written as neither row: the first row wins in every process, whatever the hash
    # seed (the keys of a form were a set, so the winner changed from one run to the next)
    idx = CueIndex([Row("transfer", "trigger", first, "first", False),
                    Row("transfer", "trigger", second, "second", False)], Inflector(IRREGULAR))
    assert [r.value for _, _, r in idx.find(f"The navy {past} the ships.")] == ["first"]
