"""Speakers of statements: bodies, anaphors, subjects, clauses (extract/claims/statement.py).

Sentences of our own, about other countries and in other words than the articles."""

from __future__ import annotations

import pytest


def speakers(claims_of, text):
    return [r["speaker"] for r in claims_of(text, "statement")]


@pytest.mark.parametrize("text, speaker", [
    # a body of a named country, normalised: the owner's demonym and "Ministry of" its field
    ("Poland's defence ministry said the tanks had arrived.", "Polish Ministry of Defence"),
    ("Egypt’s foreign ministry welcomed the talks.", "Egyptian Ministry of Foreign Affairs"),
    ("Taiwan's permanent mission to the United Nations rejected the claim.",
     "Taiwanese Permanent Mission to the United Nations"),
    # a proper name is kept as the text writes it
    ("The French Ministry of the Armed Forces said the jets were ready.", "French Ministry of the Armed Forces"),
    # a company that is the subject of the verb, with or without an apposition
    ("Kongsberg Maritime said it expected more orders from Poland.", "Kongsberg Maritime"),
    ("Thales Nederland, the radar maker, said the order was signed.", "Thales Nederland"),
    # the subject is not a person inside a prepositional phrase, nor a possessive
    ("Alexander Fomin in a meeting with Defence Minister Sergei Shoigu reaffirmed his support.", "Alexander Fomin"),
    ("Tomasz Wrzesniak, Sergei Shoigu's adviser, said the talks had ended.", "Tomasz Wrzesniak"),
    ("The visit was announced by Alexander Fomin, who confirmed that the frigates were ready.", "Alexander Fomin"),
    # coordinated countries with an adverb: the first is the speaker
    ("Poland and Egypt have repeatedly denied the reports.", "Poland"),
])
def test_speaker(claims_of, text, speaker):
    assert speakers(claims_of, text) == [speaker]


def test_the_ministry_refers_to_the_body_named_before(claims_of):
    assert speakers(claims_of, "Egypt's foreign ministry welcomed the talks. The ministry said relations were "
                               "strong.") == ["Egyptian Ministry of Foreign Affairs"] * 2


def test_an_unowned_ministry_is_the_documents_countrys(claims_of):
    rows = claims_of("Taiwan hosted the drills in May.\n\nThe ministry of defence said: ‘The drills have ended.", "statement")
    assert [r["speaker"] for r in rows] == ["Taiwanese Ministry of Defence"]
    assert "document's country" in rows[0]["basis"]


def test_it_is_the_last_organisation_that_spoke(claims_of):
    assert speakers(claims_of, "Kongsberg Maritime said the order was large. The radars will be built in "
                               "Poland, it said.") == ["Kongsberg Maritime"] * 2


def test_a_pronoun_is_the_subject_of_the_sentence_before(claims_of):
    rows = claims_of("Alexander Fomin said the frigates were ready. Ingrid Solheim visited Warsaw on Monday. "
                     "Relations are strong, she said.", "statement")
    assert [r["speaker"] for r in rows] == ["Alexander Fomin", "Ingrid Solheim"]


def test_a_trailing_participle_is_the_same_statement(claims_of):
    assert speakers(claims_of, "The frigates arrived, Alexander Fomin said, adding that more would follow.") == \
        ["Alexander Fomin"]


def test_each_clause_with_its_own_speaker(claims_of):
    assert speakers(claims_of, "Warsaw criticised the sale, while Moscow dismissed the reports.") == \
        ["Poland", "Russia"]


def test_a_quote_and_another_clause(claims_of):
    assert speakers(claims_of, "The Polish Ministry of Defence described the move as “the largest order in our "
                               "history”, while Alexander Fomin praised it.") == \
        ["Polish Ministry of Defence", "Alexander Fomin"]


def test_said_colon_introduces_the_next_paragraph(claims_of):
    text = "Frigates for Poland\n\nAlexander Fomin said:\n\nThe frigates will arrive in June. The crews are ready.\n\nOther news follows."
    row = claims_of(text, "statement")[0]
    assert row["speaker"] == "Alexander Fomin" and "The crews are ready." in row["evidence"]
    assert "Other news" not in row["evidence"]


def test_an_unattributed_quote_continues_the_last_statement(claims_of):
    rows = claims_of("Alexander Fomin said the talks went well.\n\n"
                     "“We will deliver the frigates on time and in full.”", "statement")
    assert [(r["speaker"], r["rule_id"]) for r in rows] == [("Alexander Fomin", "statement.reported"),
                                                           ("Alexander Fomin", "statement.quote")]


def test_a_role_acronym_the_text_defines(claims_of):
    rows = claims_of("The Chief of Defence Staff (CDS), General Ivan Petrov, visited Cairo. The CDS said the visit "
                     "was useful.", "statement")
    assert [r["speaker"] for r in rows] == ["Ivan Petrov"]


@pytest.mark.parametrize("text, polarity", [
    ("Egypt denied the reports.", "asserted"),
    ("Alexander Fomin refused to confirm the delivery.", "asserted"),
    ("Alexander Fomin did not say when the jets would arrive.", "negated"),
])
def test_statement_polarity(claims_of, text, polarity):
    assert [r["polarity"] for r in claims_of(text, "statement")] == [polarity]


def test_according_to_a_transfer_is_its_source(claims_of):
    assert claims_of("Egypt ordered 30 Rafale jets from France, according to Alexander Fomin.", "statement") == []


def test_an_outlet_relays_rather_than_speaks(claims_of):
    assert claims_of("Reuters said the jets had arrived in Cairo.", "statement") == []


# --------------------------------------------------------------------------- meetings (object cues, calls)

@pytest.mark.parametrize("text, people", [
    ("Sergei Shoigu received Defence Minister Ivan Petrov in Cairo.", ["Sergei Shoigu", "Ivan Petrov"]),
    ("Alexander Fomin was hosted by the President of Egypt, Ingrid Solheim, in Cairo.",
     ["Alexander Fomin", "Ingrid Solheim"]),
    ("Alexander Fomin and Sergei Shoigu met in Warsaw on Monday.", ["Alexander Fomin", "Sergei Shoigu"]),
    ("Sergei Shoigu has spoken to his Polish counterpart Tomasz Wrzesniak.", ["Sergei Shoigu", "Tomasz Wrzesniak"]),
    ("Alexander Fomin told Ivan Petrov in a phone conversation that the jets were ready.",
     ["Alexander Fomin", "Ivan Petrov"]),
])
def test_meeting_cues(claims_of, text, people):
    rows = claims_of(text, "meeting")
    assert len(rows) == 1 and sorted(rows[0]["people"].split(";")) == sorted(people)


@pytest.mark.parametrize("text", [
    "Egypt received the missiles, Alexander Fomin said.",
    "The jets meet the requirements of the air force, according to Alexander Fomin.",
    "Speaking to reporters in Cairo, Alexander Fomin praised the deal.",
])
def test_an_object_cue_without_a_person_is_no_meeting(claims_of, text):
    assert claims_of(text, "meeting") == []


@pytest.mark.parametrize("text", [
    "Sergei Shoigu hosted his Egyptian counterpart in Cairo on Monday.",
    "Alexander Fomin received a delegation of Polish officers in Moscow.",
    "Alexander Fomin invited his Polish counterpart to Moscow.",
    "Sergei Shoigu attended talks with the Egyptian minister in Cairo.",
])
def test_a_visitor_named_by_role_is_an_object(claims_of, text):
    assert len(claims_of(text, "meeting")) == 1


@pytest.mark.parametrize("text", [
    "Alexander Fomin invited bids for the frigates.",
    "Sergei Shoigu attended a flag-raising ceremony in Cairo.",
    "After attending the naval exercise near Cairo, Alexander Fomin praised the crews.",
])
def test_no_meeting_without_a_visitor_or_at_an_event(claims_of, text):
    assert claims_of(text, "meeting") == []


def test_a_middle_initial_is_left_out(annotate_text):
    rows = [r for r in annotate_text("Alexander F. Fomin arrived in Cairo.") if r["entity_type"] == "PERSON"]
    assert [(r["canonical"], r["text"]) for r in rows] == [("Alexander Fomin", "Alexander F. Fomin")]


# --------------------------------------------------------------------------- combat use

def test_the_weapon_after_with_is_used_the_other_is_hit(claims_of):
    rows = claims_of("Ukraine said it destroyed a Pantsir-S1 battery with K2 tanks near Kupiansk.", "combat_use")
    assert [(r["weapon"], r["parties"]) for r in rows] == [("K2 Black Panther", "Ukraine")]


def test_an_arsenal_anaphor_and_the_previous_actor(claims_of):
    rows = claims_of("Ukraine struck a depot with Su-30SME jets in May.\n\nIn June, the same arsenal was used to "
                     "strike a bridge near Kherson.", "combat_use")
    assert [(r["weapon"], r["parties"]) for r in rows] == [("Su-30SME", "Ukraine"), ("Su-30SME", "Ukraine")]
    assert "previous combat use" in rows[1]["basis"]


@pytest.mark.parametrize("text", [
    "The Rafale jets will enhance precision strike operations for Egypt.",
    "The F-16 engines are also used in Egyptian trainers.",
])
def test_capability_and_component_are_not_combat_use(claims_of, text):
    assert claims_of(text, "combat_use") == []



def test_a_delegation_visit_names_its_leader(claims_of):
    rows = claims_of("A Polish delegation led by Tomasz Wrzesniak visited Seoul in May 2024.", "meeting")
    assert [r["people"] for r in rows] == ["Tomasz Wrzesniak"]


# --------------------------------------------------------------------------- a cited source is no statement

@pytest.mark.parametrize("text", [
    # a body reports a transfer the sentence states in full (system, supplier, recipient)
    "Egypt has signed a contract for 30 Rafale jets from France, the Egyptian defence ministry said.",
    # a country confirms it
    "Last spring Egypt confirmed a deal with France for 30 Rafale jets.",
    # a country confirms a combat use it made
    "Ukraine confirmed the raid, saying it had destroyed the depot with Su-30 jets.",
])
def test_a_body_reporting_a_claim_stated_in_full_only_cites_it(claims_of, text):
    assert claims_of(text, "statement") == []
    assert claims_of(text, "transfer") or claims_of(text, "combat_use")


@pytest.mark.parametrize("text", [
    # a person's report is a statement of its own
    "Egypt has signed a contract for 30 Rafale jets from France, Alexander Fomin said.",
    # the supplier is not named in the sentence: the body says more than the claim
    "Egypt has signed a contract for 30 Rafale jets, the Egyptian defence ministry said.",
    # a prospect is the body's own position
    "Egypt will sign a contract for 30 Rafale jets from France, the Egyptian defence ministry said.",
    # a denial stays a statement
    "The Egyptian defence ministry denied that Egypt had bought 30 Rafale jets from France.",
    # a quotation is the body's own words
    "“We are proud of this contract with France for 30 Rafale jets,” the Egyptian defence ministry said of "
    "Egypt's order.",
])
def test_a_statement_that_says_more_than_the_claim_stays(claims_of, text):
    assert len(claims_of(text, "statement")) == 1


def test_according_to_a_source_of_a_transfer_cue_with_a_system(claims_of):
    assert claims_of("The first Rafale jets are due to arrive in Cairo in 2027, according to Alexander Fomin.",
                     "statement") == []
    assert len(claims_of("Talks will cover the navy and the air force, according to Alexander Fomin.",
                         "statement")) == 1


# --------------------------------------------------------------------------- quotations over paragraphs, cut off

@pytest.mark.parametrize("mark, close", [("“", "”"), ('"', '"')])
def test_a_quotation_of_several_paragraphs_is_one(mark, close):
    from extract.claims.context import quotes
    text = f"{mark}The radars are ready for the navy and the crews.\n\n{mark}We will ship them in May to Taipei,{close} " \
           "Ingrid Solheim said."
    assert [(q.start, q.end, q.closed) for q in quotes(text)] == [(0, text.index(close, 60) + 1, True)]


def test_an_inch_mark_opens_no_quotation():
    from extract.claims.context import quotes
    assert quotes('The 12" guns and the radars were fitted to the frigate by the yard in May.') == []


def test_a_multi_paragraph_quotation_is_one_statement(claims_of):
    text = "Ingrid Solheim said: “The radars are ready for the navy and its crews.\n\n" \
           "“We will ship them to Taipei in May and train the operators there.”"
    assert speakers(claims_of, text) == ["Ingrid Solheim"]


def test_a_cut_off_quotation_speaks_for_whom_it_names(claims_of):
    text = "Alexander Fomin said the talks were useful.\n\nThe frigates are large.\n\n" \
           "“On behalf of Kongsberg Maritime and its partners, I thank the Polish navy for its trust and"
    assert speakers(claims_of, text) == ["Alexander Fomin", "Kongsberg Maritime"]


def test_a_cut_off_quotation_does_not_continue_the_last_speaker(claims_of):
    text = "Alexander Fomin said the talks were useful.\n\n“We will deliver the frigates on time and we will train"
    assert speakers(claims_of, text) == ["Alexander Fomin"]


@pytest.mark.parametrize("text, speaker", [
    ("GlobalData's Egypt Defence Market report projects that spending will reach $9bn by 2030.", "GlobalData"),
    ("A SIPRI study found that Poland doubled its arms imports.", "SIPRI"),
])
def test_a_publication_speaks_for_its_owner(claims_of, text, speaker):
    assert speakers(claims_of, text) == [speaker]


@pytest.mark.parametrize("text", [
    "The new radar shows promise, engineers in Taipei believe.",
    "Poland projects strength across the Baltic with its new frigates.",
])
def test_a_publication_verb_without_a_publication_is_no_statement(claims_of, text):
    assert claims_of(text, "statement") == []


@pytest.mark.parametrize("text, meetings, statements", [
    ("Alexander Fomin paid a courtesy call on Sergei Shoigu in Cairo.", 1, 0),
    ("Alexander Fomin called on Sergei Shoigu in Cairo.", 1, 0),
    ("Alexander Fomin called on Poland to buy the jets.", 0, 1),
    ("Alexander Fomin spoke by phone with Sergei Shoigu.", 1, 0),
    ("Alexander Fomin called the jets the best in the world.", 0, 1),
])
def test_calls_visits_and_phone_talks(claims_of, text, meetings, statements):
    assert (len(claims_of(text, "meeting")), len(claims_of(text, "statement"))) == (meetings, statements)


@pytest.mark.parametrize("text, found", [
    ("Polish officials expect full production of the tanks by 2029.", ["Polish officials"]),
    ("Alexander Fomin believes the frigates will be ready in May.", ["Alexander Fomin"]),
    ("The jets are expected to arrive in Cairo in May.", []),
    ("Poland expects the first tanks next year.", []),
    ("Delivery of the radars is widely expected next year.", []),
])
def test_expectation_is_a_statement_of_a_person_or_group(claims_of, text, found):
    assert speakers(claims_of, text) == found


@pytest.mark.parametrize("text, found", [
    ("A source familiar with the matter said the frigates would sail in May.", ["unnamed source"]),
    ("Two people briefed on the talks said Egypt wanted more jets.", ["unnamed sources"]),
    ("A senior Polish official said the tanks were ready.", ["unnamed senior Polish official"]),
    # a definite role noun refers back to a named person, it is not an unnamed source
    ("Sergei Shoigu visited Cairo. The official said the talks went well.", []),
])
def test_an_unnamed_source_speaks(claims_of, text, found):
    assert speakers(claims_of, text) == found


def test_the_agency_is_the_last_agency_named(claims_of):
    text = "The Norwegian Defence Materiel Agency signed the order in May. The agency said deliveries start in 2027."
    assert speakers(claims_of, text) == ["Norwegian Defence Materiel Agency"]
