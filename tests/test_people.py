"""Person matcher: exact names, initials, titles, context, fuzzy threshold and its guards."""

from __future__ import annotations

import pytest

from conftest import of_type


def people(rows):
    return [(r["text"], r["canonical"], r["matcher"]) for r in of_type(rows, "PERSON")]


def test_exact_and_surname_alias(annotate_text):
    got = people(annotate_text("Alexander Fomin met Min Aung Hlaing. Fomin said talks went well."))
    assert ("Alexander Fomin", "Alexander Fomin", "exact") in got
    assert ("Min Aung Hlaing", "Min Aung Hlaing", "exact") in got
    assert ("Fomin", "Alexander Fomin", "exact") in got


@pytest.mark.parametrize("surface", ["S.K.Shoigu", "S.K. Shoigu", "S. Shoigu", "N.P. Patrushev"])
def test_initials(annotate_text, surface):
    got = people(annotate_text(f"In March 2013, {surface} paid a visit to Myanmar."))
    assert got and got[0][0] == surface and got[0][2] == "exact"


def test_initials_must_agree_with_first_name(annotate_text):
    assert people(annotate_text("In 2013, K.P. Shoigu visited.")) == []


def test_fuzzy_misspelling(annotate_text):
    rows = of_type(annotate_text("Senior General Min Aung Hline took part in Moscow."), "PERSON")
    assert [(r["canonical"], r["matcher"]) for r in rows] == [("Min Aung Hlaing", "fuzzy")]
    assert "ratio" in rows[0]["basis"]


def test_short_names_do_not_fuzzy_match(annotate_text):
    # "Win Myant" is within edit distance of "Win Myint" but too short to trust.
    assert people(annotate_text("Officials named Win Myant and Aung Min were present.")) == []


def test_partial_name_resolved_by_context(annotate_text):
    text = ("The delegation, led by General Maung Aye, chief of the general staff, was in Moscow. "
            "Gen. Maung Aye will inspect the jets.")
    got = people(annotate_text(text))
    assert [c for _, c, _ in got] == ["Maung Maung Aye", "Maung Maung Aye"]


def test_exact_name_kept_when_context_fits_it(annotate_text):
    text = "Vice Senior General Maung Aye, the deputy commander-in-chief, visited Beijing."
    assert [c for _, c, _ in people(annotate_text(text))] == ["Maung Aye"]


def test_title_and_one_name_part(annotate_text):
    got = people(annotate_text("Myanmar will become a pariah, like under Senior General Shwe, he said."))
    assert got == [("Shwe", "Than Shwe", "fuzzy")]


@pytest.mark.parametrize("text, name", [
    ("Deputy Defence Minister Ivan Petrov arrived.", "Ivan Petrov"),
    ("Maj-Gen Zaw Min Tun said relations were good.", "Zaw Min Tun"),
    ("Political analyst Dr. Khin Zaw Win said so.", "Khin Zaw Win"),
    ("the government's spokesman Major General Zaw Min Tun", "Zaw Min Tun"),
    ("Lt. Gen. Park Ji-hoon of the ROK Army visited.", "Park Ji-hoon"),
])
def test_titled_names_not_in_gazetteer(annotate_text, text, name):
    rows = of_type(annotate_text(text), "PERSON")
    assert [(r["text"], r["entity_id"], r["matcher"]) for r in rows] == [(name, "", "rule")]
    assert "title" in rows[0]["basis"]


def test_rule_found_surname_reused(annotate_text):
    rows = of_type(annotate_text("Deputy Defence Minister Ivan Petrov arrived. Petrov said the deal was near."),
                   "PERSON")
    assert [r["canonical"] for r in rows] == ["Ivan Petrov", "Ivan Petrov"]


def test_title_stops_at_institution_words(annotate_text):
    rows = of_type(annotate_text("General Staff officers met President Win Myint."), "PERSON")
    assert [r["canonical"] for r in rows] == ["Win Myint"]


def test_lowercase_name_words_are_not_people(annotate_text):
    assert people(annotate_text("the general met the minister")) == []


def test_byline(annotate_text):
    rows = of_type(annotate_text("Indonesia moves closer\n\nBy Rizal Pratama\nPublished: 12 March 2024\n\n"
                                 "Talks were supplied by Russia."), "PERSON")
    assert [(r["text"], r["matcher"], r["basis"]) for r in rows] == [("Rizal Pratama", "rule", 'byline "By <name>"')]


def test_diacritics_do_not_matter(tmp_path):
    from conftest import SMALL_PEOPLE, SMALL_WEAPONS, write_gazetteers
    from extract.entities import pipeline

    people = SMALL_PEOPLE + "mevlut-cavusoglu,Mevlüt Çavuşoğlu,,Foreign Minister,Foreign Minister,Turkey,t,a\n"
    weapons = SMALL_WEAPONS + "t-155-firtina,T-155 Fırtına,T-155 Fırtına,self-propelled artillery,Turkey,,t,a\n"
    nlp = pipeline.build(write_gazetteers(tmp_path, weapons, people))
    for text, label, canonical in (("Mevlut Cavusoglu said so.", "PERSON", "Mevlüt Çavuşoğlu"),
                                   ("MEVLÜT ÇAVUŞOĞLU said so.", "PERSON", "Mevlüt Çavuşoğlu"),
                                   ("The T-155 Firtina guns fired.", "WEAPON", "T-155 Fırtına")):
        doc = nlp(pipeline.make_doc(nlp, text))
        assert [s._.match.canonical for s in doc.spans[label]] == [canonical], text


@pytest.mark.parametrize("text, name", [
    ("Ingrid Solheim told reporters in Oslo that the frigates would arrive in May.", "Ingrid Solheim"),
    ("The contract was praised by Tomasz Wrzesniak, a procurement official.", "Tomasz Wrzesniak"),
    ("Oleksandr Kovalenko, an analyst at the Kyiv institute, expects more drones.", "Oleksandr Kovalenko"),
])
def test_untitled_person_with_a_known_first_name(annotate_text, text, name):
    rows = of_type(annotate_text(text), "PERSON")
    assert [(r["canonical"], r["matcher"]) for r in rows] == [(name, "rule")]
    assert "first name" in rows[0]["basis"]


def test_english_surname_needs_a_cue_next_to_it(annotate_text):
    assert people(annotate_text("Ingrid Baker said the order was signed.")) == [("Ingrid Baker", "Ingrid Baker", "rule")]
    assert people(annotate_text("The Ingrid Baker Trophy was awarded in Oslo.")) == []


@pytest.mark.parametrize("text", [
    "The patrol ship Pavel Derzhavin was hit near Sevastopol.",
    "Explosions were reported on the ‘Pavel Derzhavin’ near the port.",
    "Drones struck the Ivan Khurs intelligence ship.",
    "Rafael Advanced Defense Systems will build the radars.",
    "Leonardo Helicopters delivered the aircraft.",
    "Brazil was named a Major Non-NATO Ally in 2019.",
])
def test_ships_companies_and_acronyms_are_not_people(annotate_text, text):
    assert people(annotate_text(text)) == []


def test_a_word_of_a_name_named_earlier_is_that_person(annotate_text):
    rows = annotate_text("Defence spokesperson Lestari Wulandari Putri spoke on Monday. Later, Lestari said the "
                         "frigates had arrived, and Alexander Fomin agreed. Fomin and Putri left.")
    assert [(c, t) for t, c, _ in people(rows)] == [
        ("Lestari Wulandari Putri", "Lestari Wulandari Putri"), ("Lestari Wulandari Putri", "Lestari"),
        ("Alexander Fomin", "Alexander Fomin"), ("Alexander Fomin", "Fomin"),
        ("Lestari Wulandari Putri", "Putri")]


def test_remembered_fuzzy_and_partial_lookups_equal_fresh_ones(small_nlp):
    matcher = small_nlp.get_pipe("person_matcher")
    names = ["Min Aung Hline", "Min Aung Hlaing", "Aung", "Nobody Here At All", "Shoigu", "Sergei Shoygu"]
    for _ in range(2):  # the second round is answered from the caches
        for name in names:
            assert matcher._fuzzy(name) == matcher._fuzzy_match(name)
            assert matcher._containing(name.split()) == matcher._containing_run(name.split())
    assert set(names) <= set(matcher._fuzzy_cache)
