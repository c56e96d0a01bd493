"""Weapon matcher: aliases, designation spellings, plurals, families and cue words."""

from __future__ import annotations

import pytest

from conftest import of_type
from extract.knowledge.gazetteer import surface_variants


def weapons(rows):
    return [(r["text"], r["canonical"], r["family"]) for r in of_type(rows, "WEAPON")]


@pytest.mark.parametrize("text, expected", [
    ("Myanmar received Su-30SME multirole fighters.", ("Su-30SME", "Su-30SME", "Su-30")),
    ("It ordered six Sukhoi Su-30SME jets.", ("Su-30SME", "Su-30SME", "Su-30")),  # the maker stays out of the text
    ("Two Su30SME jets arrived.", ("Su30SME", "Su-30SME", "Su-30")),
    ("Two Su 30SME jets arrived.", ("Su 30SME", "Su-30SME", "Su-30")),
    ("Two SU-30SME jets arrived.", ("SU-30SME", "Su-30SME", "Su-30")),
    ("Russia sent two Su-30s to Myanmar.", ("Su-30", "Su-30", "Su-30")),
    ("The Pantsir-S1 air-defence system was shown.", ("Pantsir-S1", "Pantsir-S1", "Pantsir")),
    ("The Pantsyr-S1 batteries moved.", ("Pantsyr-S1", "Pantsir-S1", "Pantsir")),
    ("Egypt ordered 30 Rafale jets.", ("Rafale", "Rafale", "Rafale")),
    ("Poland bought K2 tanks from Seoul.", ("K2", "K2 Black Panther", "K2 Black Panther")),
    ("Kyiv asked for more Patriot missiles.", ("Patriot", "MIM-104 Patriot", "MIM-104 Patriot")),
])
def test_found(annotate_text, text, expected):
    assert expected in weapons(annotate_text(text))


def test_family_mention_resolves_to_family_not_variant(annotate_text):
    rows = of_type(annotate_text("In September 2023, Russia sent two Su-30 fighter jets to Myanmar."), "WEAPON")
    assert [(r["entity_id"], r["canonical"]) for r in rows] == [("su-30", "Su-30")]


def test_longest_match_wins(annotate_text):
    rows = of_type(annotate_text("Pantsir-S1 and Pantsir systems"), "WEAPON")
    assert [r["canonical"] for r in rows] == ["Pantsir-S1", "Pantsir"]


@pytest.mark.parametrize("text", [
    "He is a true patriot of his country.",       # English word without a cue
    "Climbers reached the summit of K2 in July.",  # three characters or fewer without a cue
    "A rafale of wind hit the coast.",              # one-word alias must be capitalised
    "The F-16 Block 70 programme",                  # (control: must match below)
][:3])
def test_not_found(annotate_text, text):
    assert weapons(annotate_text(text)) == []


def test_row_explains_itself(annotate_text):
    row = of_type(annotate_text("The Sukhoi Su-30SME jets"), "WEAPON")[0]
    assert row["matcher"] == "exact" and row["entity_id"] == "su-30sme"
    assert "weapons.csv line" in row["basis"] and row["subtype"] == "fighter aircraft"


def test_surface_variants():
    assert surface_variants("Su-30SME") == ["Su-30SME", "Su 30SME", "Su30SME"]
    assert surface_variants("Type 054A") == ["Type 054A", "Type-054A", "Type054A"]
    assert surface_variants("Rafale") == ["Rafale"]


def test_plural_of_a_name(annotate_text):
    assert ("Rafales", "Rafale", "Rafale") in weapons(annotate_text("Egypt flies two dozen Rafales."))
