"""Designations however they are written, unknown variants, class names, homonyms, unknown systems.

Sentences are made up for these tests (no dev-set text); the gazetteer is a small one written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SMALL_PEOPLE, write_gazetteers
from extract.entities import pipeline

SIPRI = "Information from the SIPRI Arms Transfers Database"
WEAPONS = f"""id,canonical,family,category,origin,aliases,source,added
t-90,T-90,T-90,main battle tank,Russia,,curated,2026-11-28
t-90ms,T-90MS,T-90,main battle tank,Russia,,curated,2026-11-28
m1a2,M1A2,M1A2,main battle tank,United States,M1A2 Abrams,curated,2026-11-28
k2,K2 Black Panther,K2 Black Panther,main battle tank,South Korea,K2|K2 tank,curated,2026-11-28
f-16,F-16,F-16,fighter aircraft,United States,Fighting Falcon,curated,2026-11-28
al-41f,AL-41F,AL-41F,engine,Russia,,{SIPRI}; SIPRI: turbofan,2026-12-02
gowind,Gowind,Gowind,corvette,France,,{SIPRI}; SIPRI: corvette,2026-12-02
project-22350,Project-22350,Project-22350,frigate,Russia,Admiral Gorshkov,{SIPRI}; SIPRI: frigate,2026-12-02
lynx-helicopter,Lynx,Lynx,naval helicopter,United Kingdom,Westland Lynx,curated,2026-11-28
lynx-car,Lynx,Lynx,armoured vehicle,Germany,,{SIPRI}; SIPRI: armoured car,2026-12-02
hunter-uav,Hunter,Hunter,UAV,Israel,,{SIPRI}; SIPRI: UAV,2026-12-02
hunter-frigate,Hunter,Hunter,frigate,United Kingdom,,{SIPRI}; SIPRI: frigate,2026-12-02
brooklyn,Brooklyn,Brooklyn,warship,United States,,{SIPRI}; SIPRI: cruiser,2026-12-02
rotem,ROTEM,ROTEM,loitering munition,Israel,,{SIPRI}; SIPRI: loitering munition,2026-12-02
hawk-trainer,BAE Hawk,BAE Hawk,trainer aircraft,United Kingdom,BAE Systems Hawk|Hawk trainer,curated,2026-11-28
milgem,Ada class,Ada class,corvette,Turkey,MILGEM,curated,2026-11-28
istif,Istif-class frigate,Istif-class frigate,frigate,Turkey,Istif class,curated,2026-11-28
"""
COUNTRIES = """id,canonical,aliases,demonyms,capitals,forces,source,added
rus,Russia,,Russian,Moscow,,t,2026-11-28
usa,United States,US,American,Washington,,t,2026-11-28
kor,South Korea,,South Korean,Seoul,,t,2026-11-28
gbr,United Kingdom,UK,British,London,,t,2026-11-28
deu,Germany,,German,Berlin,,t,2026-11-28
fra,France,,French,Paris,,t,2026-11-28
isr,Israel,,Israeli,Jerusalem,,t,2026-11-28
ind,India,,Indian,New Delhi,,t,2026-11-28
pol,Poland,,Polish,Warsaw,,t,2026-11-28
tur,Turkey,,Turkish,Ankara,,t,2026-11-28
"""


@pytest.fixture(scope="module")
def nlp(tmp_path_factory: pytest.TempPathFactory):
    directory = write_gazetteers(tmp_path_factory.mktemp("designations"), WEAPONS, SMALL_PEOPLE, COUNTRIES)
    return pipeline.build(Path(directory))


def found(nlp, text: str) -> list[tuple[str, str, str, str]]:
    doc = nlp(text)
    return [(s.text, s._.match.entity_id, s._.match.canonical, s._.match.matcher) for s in doc.spans["WEAPON"]]


@pytest.mark.parametrize("text, expected", [
    ("Algeria ordered T-90MS tanks.", ("T-90MS", "t-90ms", "T-90MS", "exact")),
    ("Algeria ordered T 90MS tanks.", ("T 90MS", "t-90ms", "T-90MS", "exact")),
    ("Algeria ordered T90MS tanks.", ("T90MS", "t-90ms", "T-90MS", "exact")),
    ("Two Gowind-class corvettes were laid down.", ("Gowind-class", "gowind", "Gowind", "exact")),
    ("Two Gowind class corvettes were laid down.", ("Gowind class", "gowind", "Gowind", "exact")),
    ("Russia builds Project 22350 frigates.", ("Project 22350", "project-22350", "Project-22350", "exact")),
    ("Russia builds Project22350 frigates.", ("Project22350", "project-22350", "Project-22350", "exact")),
    ("Seoul delivered K2 tanks.", ("K2", "k2", "K2 Black Panther", "exact")),  # the noun stays out of the name
])
def test_designation_spellings(nlp, text, expected):
    assert expected in found(nlp, text)


@pytest.mark.parametrize("text, expected", [
    ("Algeria ordered T-90SA tanks.", ("T-90SA", "t-90", "T-90SA", "family")),
    ("Warsaw wants M1A2 SEPv3 tanks.", ("M1A2 SEPv3", "m1a2", "M1A2 SEPv3", "family")),
    ("Poland ordered K2PL tanks.", ("K2PL", "k2", "K2PL", "family")),
    ("Taipei flies F-16 Block 70 jets.", ("F-16 Block 70", "f-16", "F-16 Block 70", "family")),
    ("The Su-57 uses the AL-41F1 engine.", ("AL-41F1", "al-41f", "AL-41F1", "family")),
])
def test_unknown_variants_resolve_to_the_family(nlp, text, expected):
    assert expected in found(nlp, text)


def test_unknown_variant_basis_names_the_family(nlp):
    doc = nlp("Algeria ordered T-90SA tanks.")
    span = doc.spans["WEAPON"][0]
    assert "unknown variant 'T-90SA'" in span._.match.basis and "family T-90" in span._.match.basis


@pytest.mark.parametrize("text, expected_id", [
    ("Two Lynx helicopters landed on the frigate.", "lynx-helicopter"),
    ("Germany sold Lynx armoured cars to Portugal.", "lynx-car"),
    ("The Navy lost a Lynx in 1990, a helicopter of its frigate flight.", "lynx-helicopter"),
    ("Israel exported Hunter drones.", "hunter-uav"),
    ("The Royal Navy's Hunter frigates sailed.", "hunter-frigate"),
])
def test_homonyms_are_chosen_by_the_nearest_category_word(nlp, text, expected_id):
    assert [f[1] for f in found(nlp, text)] == [expected_id]


def test_a_homonym_without_category_words_prefers_the_curated_entry(nlp):
    doc = nlp("The Lynx was retired after 30 years of service, the ministry said on Monday.")
    assert [s._.match.entity_id for s in doc.spans["WEAPON"]] in ([], ["lynx-helicopter"])


@pytest.mark.parametrize("text", [
    "He grew up in Brooklyn before joining the ministry.",    # an imported name without a digit needs a cue
    "Hyundai Rotem's shares rose on Monday.",                 # a maker, not the system
    "Analysts at Raytheon missiles division declined to comment.",
])
def test_no_weapon(nlp, text):
    assert found(nlp, text) == []


@pytest.mark.parametrize("text, expected", [
    ("India tested the new Agnipath missile on Friday.", ("Agnipath", "", "Agnipath", "rule")),
    ("The army received TK-4 interceptors.", ("TK-4", "", "TK-4", "rule")),
    ("Kyiv used Sova V7 naval drones.", ("Sova V7", "", "Sova V7", "rule")),
])
def test_unknown_systems_before_a_weapon_noun(nlp, text, expected):
    assert expected in found(nlp, text)


@pytest.mark.parametrize("text", [
    "Poland bought Korean missiles.",            # a demonym is no name
    "Lockheed Martin jets were shown.",          # a maker
    "The Monday missile test failed.",           # a weekday
    "Air Defence Forces received new systems.",  # capitalised noun phrase, no designation
])
def test_no_unknown_system(nlp, text):
    assert not [f for f in found(nlp, text) if f[3] == "rule"]


@pytest.mark.parametrize("text", [
    "Kowalski said further batches of tanks would follow.",  # a verb between: no name-noun phrase
    "Drones struck the Ivan Khurs reconnaissance ship.",      # an individual ship
])
def test_no_unknown_system_across_a_clause_or_for_a_ship(nlp, text):
    assert not [f for f in found(nlp, text) if f[3] == "rule"]


def test_unknown_system_after_a_hyphenated_modifier(nlp):
    assert ("Agnipath", "", "Agnipath", "rule") in found(nlp, "It ordered Agnipath quasi-ballistic missiles.")


def test_a_makers_name_stays_out_of_the_text(nlp):
    assert found(nlp, "India may buy more BAE Systems Hawk trainer jets.") == [
        ("Hawk", "hawk-trainer", "BAE Hawk", "exact")]


def test_a_programme_name_before_a_class_is_part_of_it(nlp):
    assert found(nlp, "Jakarta signed for two MILGEM Istif class frigates.") == [
        ("MILGEM Istif class", "istif", "Istif-class frigate", "exact")]
    assert [f[1] for f in found(nlp, "Ankara launched another MILGEM corvette.")] == ["milgem"]


@pytest.mark.parametrize("text, expected", [
    ("Iran showed Fateh-110/Zolfaghar missiles.", []),            # a slash joins two names, no variant
    ("The BrahMos–Philippines deal was signed.", []),            # a dash before a country is no variant
    ("Russia sent two T-90s.", [("T-90", "t-90", "T-90", "exact")]),  # the plural and the full stop stay out
])
def test_no_variant_across_punctuation(nlp, text, expected):
    assert [f for f in found(nlp, text) if f[3] == "family"] == [] and \
        all(f in found(nlp, text) for f in expected)
