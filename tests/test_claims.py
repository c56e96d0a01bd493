"""Claim rules: positive and negative cases for every frame, on texts that are not the seeds."""

from __future__ import annotations

import datetime as dt

import pytest


def one(rows):
    assert len(rows) == 1, rows
    return rows[0]


# --------------------------------------------------------------------------- transfer

def test_transfer_slots(claims_of):
    row = one(claims_of("Egypt ordered 30 Rafale jets from France in a deal worth about $4.5 billion in May 2021.",
                        "transfer"))
    assert (row["supplier"], row["recipient"], row["weapon_id"], row["status"], row["quantity"], row["value_usd"],
            row["date_value"], row["polarity"]) == ("France", "Egypt", "rafale", "ordered", 30, "4500000000",
                                                   "2021-05", "asserted")
    assert row["rule_id"] == "transfer.named" and "status from 'ordered'" in row["basis"]


def test_one_claim_per_system_in_a_list(claims_of):
    rows = claims_of("Russia's last sales to Myanmar had radar systems, Pantsir-S1 air defence systems and "
                     "Su-30SME fighters.", "transfer")
    assert [(r["weapon"], r["weapon_id"], r["status"]) for r in rows] == [
        ("radar systems", "", "ordered"), ("Pantsir-S1", "pantsir-s1", "ordered"), ("Su-30SME", "su-30sme", "ordered")]
    assert {(r["supplier"], r["recipient"]) for r in rows} == {("Russia", "Myanmar")}


@pytest.mark.parametrize("text, status", [
    ("South Korea delivered 10 K2 tanks to Poland.", "delivered"),
    ("The first 10 K2 tanks arrived in Poland from South Korea.", "delivered"),
    ("Poland signed a contract for 180 K2 tanks.", "ordered"),
    ("Washington approved a possible sale of 66 F-16 fighters to Taiwan.", "offered"),
    ("Poland is in talks with Seoul on a second batch of K2 tanks.", "negotiating"),
    ("Russia will repair four Su-30SME jets of the Myanmar Air Force.", "repair"),
    ("A contract for the delivery of six Su-30SME fighter jets was signed in 2022.", "ordered"),
])
def test_status(claims_of, text, status):
    assert one(claims_of(text, "transfer"))["status"] == status


@pytest.mark.parametrize("text, polarity", [
    ("Russia has not delivered the Pantsir-S1 systems to Myanmar.", "negated"),
    ("France could supply Rafale jets to Egypt.", "hypothetical"),
    ("France supplied Rafale jets to Egypt.", "asserted"),
])
def test_polarity(claims_of, text, polarity):
    assert one(claims_of(text, "transfer"))["polarity"] == polarity


def test_relative_clause_status_stays_with_its_system(claims_of):
    rows = claims_of("The general will inspect Su-30 fighters which Russia is yet to deliver to Myanmar, "
                     "and the Pantsir-S1 systems.", "transfer")
    assert [(r["weapon"], r["status"]) for r in rows] == [("Su-30", "inspected"), ("Pantsir-S1", "inspected")]


def test_supplier_and_recipient_from_the_document(claims_of):
    rows = claims_of("Russia sold Su-30SME jets to Myanmar. In 2022 a contract for Pantsir-S1 systems was signed.",
                     "transfer")
    second = rows[1]
    assert (second["supplier"], second["recipient"]) == ("Russia", "Myanmar")
    assert "document" in second["basis"]


def test_generic_category_without_designation(claims_of):
    row = one(claims_of("Officials indicated ongoing discussions with Myanmar about the potential delivery of new "
                        "weapons, including armored vehicles, from Russia.", "transfer"))
    assert (row["weapon"], row["weapon_id"], row["status"]) == ("armored vehicles", "", "negotiating")


def test_bare_arms_needs_a_detail(claims_of):
    assert claims_of("Russia increased arms sales to Myanmar's military.", "transfer") == []
    row = one(claims_of("Russia has shipped at least $406 million USD of arms to the Myanmar military.", "transfer"))
    assert row["value_usd"] == "406000000"


def test_anaphor_resolves_to_the_named_system(claims_of):
    rows = claims_of("Egypt ordered 24 Rafale jets from France in 2015. The first three jets were handed over "
                     "that July.", "transfer")
    assert [(r["weapon"], r["status"], r["quantity"]) for r in rows] == [("Rafale", "ordered", 24),
                                                                        ("Rafale", "delivered", 3)]
    assert "anaphor" in rows[1]["basis"] and rows[1]["date_value"] == "2015-07"


def test_no_transfer_without_system_or_trigger(claims_of):
    assert claims_of("Analysts say Russia primarily wants a market for its weapons.", "transfer") == []
    assert claims_of("Rafale jets flew over Cairo during the parade.", "transfer") == []


def test_since_date_is_not_the_claim_date(claims_of):
    row = claims_of("Since 2001, Myanmar has received Su-30SME fighters from Russia.", "transfer")[0]
    assert row["date_value"] == ""


# --------------------------------------------------------------------------- meeting

def test_meeting(claims_of):
    row = one(claims_of("Deputy Defence Minister Alexander Fomin met Senior General Min Aung Hlaing in Moscow on "
                        "16 August 2021.", "meeting"))
    assert (row["people"], row["place"], row["date_value"]) == ("Alexander Fomin;Min Aung Hlaing", "Moscow",
                                                                  "2021-08-16")


def test_meeting_per_coordinated_date(claims_of):
    rows = claims_of("In 1955 and 1960, Sergei Shoigu visited Myanmar.", "meeting")
    assert [r["date_value"] for r in rows] == ["1955", "1960"]


def test_no_meeting_without_people_or_inside_a_quote(claims_of):
    assert claims_of("Delegations have visited Russia many times.", "meeting") == []
    assert claims_of('"We will meet again soon," Alexander Fomin said.', "meeting") == []


# --------------------------------------------------------------------------- statement

def test_quote_over_two_sentences_is_one_statement(claims_of):
    rows = claims_of("“Relations are deeper now. Russia plays the central part in our air defence,” said the "
                     "spokesman Maj-Gen Zaw Min Tun.", "statement")
    row = one(rows)
    assert row["speaker"] == "Zaw Min Tun" and row["quote"].startswith("Relations are deeper now.")
    assert row["rule_id"] == "statement.quote"


def test_reported_statement_and_pronoun(claims_of):
    rows = claims_of("Alexander Fomin said Myanmar was a reliable ally. Relations will grow, he added.", "statement")
    assert [r["speaker"] for r in rows] == ["Alexander Fomin", "Alexander Fomin"]
    assert "pronoun" in rows[1]["basis"]


@pytest.mark.parametrize("text, speaker", [
    ("The Russian Foreign Ministry has described cooperation with Myanmar as broad.", "Russian Foreign Ministry"),
    ("Russia promises to continue cooperation with Myanmar.", "Russia"),
    ("According to Sergei Shoigu, the deal is near.", "Sergei Shoigu"),
    ("Russian officials have never confirmed the deal publicly.", "Russian officials"),
])
def test_speakers(claims_of, text, speaker):
    assert one(claims_of(text, "statement"))["speaker"] == speaker


def test_attribution_to_an_outlet(claims_of):
    row = one(claims_of("“We intend to strengthen relations with Myanmar,” Alexander Fomin told Russia's Tass news "
                        "agency.", "statement"))
    assert row["attributed_to"] == "TASS"


def test_no_statement_without_speaker(claims_of):
    assert claims_of("Analysts point to the implications for regional security.", "statement") == []


# --------------------------------------------------------------------------- agreement

def test_named_agreements_each_a_claim(claims_of):
    rows = claims_of("Russia and Myanmar signed an Agreement on Cultural Cooperation, a Declaration on the "
                     "Foundations of Friendly Relations and an Agreement on Military-Technical Cooperation.",
                     "agreement")
    assert [r["name"] for r in rows] == ["Agreement on Cultural Cooperation",
                                         "Declaration on the Foundations of Friendly Relations",
                                         "Agreement on Military-Technical Cooperation"]
    assert all(r["parties"] == "Russia;Myanmar" for r in rows)


def test_signed_agreement_and_treaty_name(claims_of):
    assert one(claims_of("In June 2016 the defence ministries of Russia and Myanmar signed an agreement in Moscow.",
                         "agreement"))["date_value"] == "2016-06"
    assert one(claims_of("The two leaders reaffirmed the 1951 Mutual Defense Treaty between the United States and "
                         "Poland.", "agreement"))["name"] == "Mutual Defense Treaty"


def test_no_agreement_from_mere_mention(claims_of):
    assert claims_of("The agreements relate to the naval area.", "agreement") == []


def test_agreement_for_one_system_is_the_transfer(claims_of):
    """A signed agreement that procures a named system is that transfer, and "the agreement"
    afterwards refers back to it: no agreement claim (single-system agreements are transfers)."""
    text = ("Egypt and France signed an agreement for the purchase of 30 Rafale jets on Tuesday. "
            "The defence ministers of both countries signed the agreement in Cairo.")
    assert claims_of(text, "agreement") == []
    assert [r["weapon_id"] for r in claims_of(text, "transfer")] == ["rafale"]


def test_offset_agreement_beside_a_contract_is_an_agreement(claims_of):
    rows = claims_of("Poland ordered 48 F-16 jets from the United States. Alongside the contract, the maker and the "
                     "Polish government signed three offset agreements.", "agreement")
    assert one(rows)["rule_id"] == "agreement.signed"


def test_indefinite_kind_is_no_name(claims_of):
    row = one(claims_of("Last year, the shipyard signed a Memorandum of Understanding with the ministry of Egypt.",
                        "agreement"))
    assert (row["name"], row["rule_id"]) == ("", "agreement.signed")


@pytest.mark.parametrize("text", [
    "The missile is a joint venture between Taiwan and the United States.",
    "The shipyard created a joint venture with Egypt's state arms maker last year.",
    "The howitzer is built under a co-production arrangement between Poland and South Korea.",
])
def test_arrangement_is_an_agreement_without_a_signing_verb(claims_of, text):
    assert one(claims_of(text, "agreement"))["rule_id"] == "agreement.arrangement"


@pytest.mark.parametrize("text", [
    "Kongsberg Maritime said it hopes to set up a joint venture with Egypt for the missiles.",
    "The shipyard is expected to sign up for co-production of the frigates with Poland next year.",
    "Taiwan and Poland discussed a possible joint venture for drones.",
])
def test_a_prospective_arrangement_is_no_agreement(claims_of, text):
    assert claims_of(text, "agreement") == []


def test_a_prospect_in_another_clause_leaves_the_arrangement(claims_of):
    text = "The missile is a joint venture between Taiwan and the United States, while Poland may buy it."
    assert one(claims_of(text, "agreement"))["rule_id"] == "agreement.arrangement"


def test_definite_arrangement_refers_back(claims_of):
    rows = claims_of("The missile is a joint venture between Taiwan and the United States. Poland became the first "
                     "export customer of the joint venture missile.", "agreement")
    assert [r["rule_id"] for r in rows] == ["agreement.arrangement"]


# --------------------------------------------------------------------------- combat use

def test_combat_use(claims_of):
    rows = claims_of("Su-30 jets were used in attacks in Sagaing Region on 16 September 2022.", "combat_use")
    row = one(rows)
    assert (row["weapon_id"], row["place"], row["date_value"]) == ("su-30", "Sagaing Region", "2022-09-16")


def test_target_and_capability_are_not_combat_use(claims_of):
    rows = claims_of("A Rafale jet destroyed a Pantsir-S1 battery.", "combat_use")
    assert [r["weapon_id"] for r in rows] == ["rafale"]
    assert claims_of("The Rafale has given us a long-range strike capability.", "combat_use") == []


def test_one_combat_use_per_named_target(claims_of):
    rows = claims_of("Ukraine flew Su-30 jets. In March, the same jets were used to strike the frigate Admiral Essen "
                     "and the landing ship Yamal.", "combat_use")
    assert len(rows) == 2 and len({r["mention_id"] for r in rows}) == 2
    assert ["Admiral Essen" in rows[0]["basis"], "Yamal" in rows[1]["basis"]] == [True, True]
    assert len(claims_of("Su-30 jets struck schools, clinics and homes in Sagaing.", "combat_use")) == 1


def test_each_clause_of_a_combat_sentence_has_its_weapon_and_actor(claims_of):
    rows = claims_of("Russian forces hit the port with Su-30 jets, and Ukrainian Patriot batteries destroyed two "
                     "Pantsir launchers.", "combat_use")
    assert [(r["weapon_id"], r["parties"]) for r in rows] == [("su-30", "Russia"), ("mim-104-patriot", "Ukraine")]


def test_a_country_before_the_system_is_its_user_unless_its_maker(claims_of):
    assert one(claims_of("Polish F-16 jets were used to attack the depots.", "combat_use"))["parties"] == "Poland"
    assert one(claims_of("The Russian Su-30 was used to attack the depots.", "combat_use"))["parties"] != "Russia"


@pytest.mark.parametrize("text, n", [
    ("Egyptian F-16 jets hit the convoy near Sirte.", 1),
    ("Su-30 jets downed two drones over the border.", 1),
    ("Two Su-30 jets were downed over the border.", 0),
    ("Pantsir-S1 missiles were fired at the drones.", 1),
    ("Su-30 jets can intercept cruise missiles.", 0),
])
def test_combat_cues_in_the_past_tense(claims_of, text, n):
    assert len(claims_of(text, "combat_use")) == n


# --------------------------------------------------------------------------- exercise

def test_named_exercise(claims_of):
    row = one(claims_of("The First Myanmar-Russia Maritime Security Exercise (MARUMEX) was held in Yangon in "
                        "November 2023.", "exercise"))
    assert (row["name"], row["parties"], row["date_value"]) == ("MARUMEX", "Myanmar;Russia", "2023-11")


def test_exercise_cues_and_guards(claims_of):
    assert one(claims_of("Russia sent coaches to Myanmar to train military athletes.", "exercise"))
    assert claims_of("A first tranche of aircraft, with weapons and training, might follow.", "exercise") == []
    assert claims_of("Col. Ivan Petrov, the exercise spokesman, spoke to reporters.", "exercise") == []


@pytest.mark.parametrize("text", [
    # training stated inside a quotation
    "“Our pilots will finish their training in France by May,” the Egyptian air force chief said.",
    # the trainee is a country right after the cue
    "Taiwan offered training for Poland's use of the new radars.",
])
def test_training_in_a_quote_or_of_a_country(claims_of, text):
    assert one(claims_of(text, "exercise"))


@pytest.mark.parametrize("text", [
    "The contract covers training packages for Egypt's crews.",
    "The jets will improve pilot training outcomes in Egypt.",
    "Training for the frigates begins in May.",
])
def test_training_as_a_modifier_or_without_trainees_is_no_exercise(claims_of, text):
    assert claims_of(text, "exercise") == []


# --------------------------------------------------------------------------- rows

def test_evidence_is_the_source_slice_and_ids_are_stable(annotate_result):
    text = "Headline without a full stop\n\nRussia sold Su-30SME jets to Myanmar in 2020. Fomin said so."
    first = annotate_result(text).mentions
    assert first and all(text[r["start_char"]:r["end_char"]] == r["evidence"] for r in first)
    assert [r["mention_id"] for r in first] == [r["mention_id"] for r in annotate_result(text).mentions]
    assert all("Headline" not in r["evidence"] for r in first)


def test_repeated_paragraph_is_one_mention(claims_of):
    sentence = "Russia has outlined commitments to step up cooperation with Myanmar."
    assert len(claims_of(f"{sentence}\n\n{sentence}", "statement")) == 1


def test_dates_relative_to_publication_reach_claims(claims_of):
    row = one(claims_of("Poland signed a contract for K2 tanks on Monday.", "transfer", published=dt.date(2024, 4, 2)))
    assert row["date_value"] == "2024-04-01"


def test_sentence_without_system_is_about_the_documents_system(claims_of):
    text = ("Poland signed a contract for 180 K2 tanks. The first K2 tanks arrived in Gdynia. "
            "No further contract has been signed yet. Talks continue, officials said.")
    rows = claims_of(text, "transfer")
    topic = [r for r in rows if "main system" in r["basis"]]
    assert [(r["weapon_id"], r["status"], r["polarity"]) for r in topic] == [("k2-black-panther", "ordered", "negated")]


def test_no_topic_when_the_document_has_many_systems(claims_of):
    text = "Russia sold Su-30SME jets and Pantsir-S1 systems to Myanmar. No contract has been signed yet."
    assert not [r for r in claims_of(text, "transfer") if "main system" in r["basis"]]


def test_combat_anaphor_and_purpose(claims_of):
    rows = claims_of("Egypt bought Rafale jets in 2015. The jets struck targets in Libya in 2017.", "combat_use")
    assert [r["weapon_id"] for r in rows] == ["rafale"]
    assert claims_of("Taiwan ordered missiles to be fired from the new Rafale jets.", "combat_use") == []


def test_meeting_clauses_each_with_their_people(claims_of):
    rows = claims_of("Senior General Min Aung Hlaing has visited Russia three times and also met with Sergei "
                     "Shoigu. Alexander Fomin visited Myanmar in March 2021 and Win Myint attended a conference in "
                     "Moscow.", "meeting")
    assert [(r["people"], r["place"]) for r in rows] == [
        ("Min Aung Hlaing", "Russia"), ("Min Aung Hlaing;Sergei Shoigu", ""), ("Alexander Fomin", "Myanmar"),
        ("Win Myint", "Moscow")]


def test_meeting_agent_and_carried_subject(claims_of):
    rows = claims_of("The visit to Myanmar in November 2014 of Secretary Nikolai Patrushev, his talks with "
                     "Win Myint in Moscow in June 2015 and a visit by Sergei Shoigu in March 2013 were noted.",
                     "meeting")
    assert [(r["people"], r["date_value"]) for r in rows] == [
        ("Nikolai Patrushev", "2014-11"), ("Nikolai Patrushev;Win Myint", "2015-06"), ("Sergei Shoigu", "2013-03")]


def test_clauses_keep_cues_values_and_subjects_apart(claims_of):
    rows = claims_of("Egypt agreed to buy 30 Rafale jets from France for about $4.5 billion, as Cairo modernises an "
                     "air force that still flies F-16 fighters.", "transfer")
    by_weapon = {r["weapon"]: r for r in rows}
    assert (by_weapon["Rafale"]["status"], by_weapon["Rafale"]["value_usd"]) == ("ordered", "4500000000")
    assert (by_weapon["F-16"]["status"], by_weapon["F-16"]["value_usd"], by_weapon["F-16"]["recipient"]) == \
        ("in_service", "", "Egypt")


def test_relative_clause_subject_and_demonym_modifier(claims_of):
    rows = claims_of("Poland, which bought Russian Pantsir-S1 systems in 2019, has ordered 40 F-16 jets.", "transfer")
    by_weapon = {r["weapon"]: r for r in rows}
    assert (by_weapon["Pantsir-S1"]["supplier"], by_weapon["Pantsir-S1"]["recipient"]) == ("Russia", "Poland")
    assert (by_weapon["F-16"]["recipient"], by_weapon["F-16"]["quantity"]) == ("Poland", 40)


def test_anaphor_prefers_the_salient_system(claims_of):
    rows = claims_of("Egypt ordered 30 Rafale jets from France, as its air force still flies F-16 jets. "
                     "The first jets arrived in 2023.", "transfer")
    assert any(r["weapon"] == "Rafale" and r["status"] == "delivered" and "anaphor" in r["basis"] for r in rows)


# --------------------------------------------------------------------------- transfer: the clause decides roles and status

@pytest.mark.parametrize("text, supplier, recipient, basis", [
    ("The F-16 jets were delivered to Taiwan by the United States in 2023.", "United States", "Taiwan",
     "agent 'by United States' of passive 'delivered'"),
    ("Poland will be supplied with 180 K2 tanks by Seoul.", "South Korea", "Poland", "subject of passive 'supplied'"),
    ("Egypt's purchase of France's Rafale jets was completed in 2021.", "France", "Egypt",
     "possessive 'Egypt's' before 'purchase of'"),
    ("Egypt and France signed a deal to procure 30 Rafale jets.", "France", "Egypt", "of the pair 'Egypt and France'"),
    ("Egypt signed a contract with France to buy 30 Rafale jets.", "France", "Egypt", "'with France', the other party"),
    ("France will supply Egypt with 30 Rafale jets.", "France", "Egypt", "object of 'supply'"),
    ("The French Rafale jets were selected by Egypt.", "France", "Egypt", "agent 'by Egypt'"),
    ("Myanmar bought Su-30 jets from Russia.", "Russia", "Myanmar", "supplier: 'from Russia'"),
])
def test_roles_from_the_clause(claims_of, text, supplier, recipient, basis):
    row = one(claims_of(text, "transfer"))
    assert (row["supplier"], row["recipient"]) == (supplier, recipient)
    assert basis in row["basis"]


def test_a_country_before_someone_elses_system_is_its_owner(claims_of):
    """"Poland's K2 tanks": Poland is not the maker (weapons.csv: South Korea), so it is the recipient."""
    row = one(claims_of("Poland's K2 tanks arrived last year.", "transfer"))
    assert (row["supplier"], row["recipient"]) == ("South Korea", "Poland")


@pytest.mark.parametrize("text, status, polarity", [
    ("Seoul will deliver 180 K2 tanks to Poland.", "offered", "asserted"),
    ("Egypt plans to buy 30 Rafale jets.", "negotiating", "hypothetical"),
    ("Taiwan is expected to buy more F-16 jets.", "negotiating", "asserted"),
    ("France could supply Rafale jets to Egypt.", "offered", "hypothetical"),
    ("Washington approved the proposed sale of 40 F-16 jets to Taiwan.", "offered", "hypothetical"),
    ("Moscow refused to deliver the Pantsir-S1 systems to Myanmar.", "delivered", "negated"),
])
def test_status_from_tense_and_modality(claims_of, text, status, polarity):
    row = one(claims_of(text, "transfer"))
    assert (row["status"], row["polarity"]) == (status, polarity)


def test_a_future_delivery_of_an_ordered_system_is_the_order(claims_of):
    rows = claims_of("Egypt ordered 30 Rafale jets from France in 2021. France will deliver the 30 Rafale jets by 2026.",
                     "transfer")
    assert [(r["status"], r["quantity"], r["date_value"], r["other_spans"] != "") for r in rows] == [
        ("ordered", 30, "2021", True)]


def test_a_report_is_flagged_in_basis(claims_of):
    row = one(claims_of("Patriot batteries reportedly arrived in Ukraine from the United States.", "transfer"))
    assert "reported ('reportedly')" in row["basis"]


def test_passive_cue_after_its_system(claims_of):
    row = one(claims_of("The deal comes weeks after the French Rafale jets were selected by Egypt.", "transfer"))
    assert (row["supplier"], row["recipient"], row["status"]) == ("France", "Egypt", "negotiating")


def test_owner_phrase_belongs_to_the_system_only(claims_of):
    row = one(claims_of("Russia will repair four Su-30 jets of the Myanmar Air Force.", "transfer"))
    assert row["recipient"] == "Myanmar"
    row = one(claims_of("France delivered Rafale jets to Egypt on aircraft of the Ukrainian Air Force.", "transfer"))
    assert (row["supplier"], row["recipient"]) == ("France", "Egypt")


@pytest.mark.parametrize("text, expected", [
    ("Egypt is a major buyer of French weapons.", [("France", "Egypt", "weapons")]),
    ("France is a major supplier of arms to many countries.", []),
    ("France's arms sales rose last year.", []),
])
def test_role_nouns_state_a_supplier_relation(claims_of, text, expected):
    assert [(r["supplier"], r["recipient"], r["weapon"]) for r in claims_of(text, "transfer")] == expected


def test_a_category_listed_after_named_systems(claims_of):
    rows = claims_of("Egypt received two Rafale jets, F-16 fighters and ammunition from France.", "transfer")
    assert [r["weapon"] for r in rows] == ["Rafale", "F-16", "ammunition"]
    rows = claims_of("Poland will be supplied with 180 K2 tanks and 81 support vehicles under the contract.", "transfer")
    assert [(r["weapon"], r["quantity"], r["status"]) for r in rows] == [
        ("K2 Black Panther", 180, "ordered"), ("support vehicles", 81, "ordered")]


def test_a_generic_summary_gives_the_list_its_supplier_and_date(claims_of):
    rows = claims_of("Egypt received several fighter jets from France on 9 August 2022. "
                     "Egypt received F-16 jets and Rafale fighters.", "transfer")
    assert [(r["weapon"], r["supplier"], r["date_value"], r["other_spans"]) for r in rows] == [
        ("F-16", "France", "2022-08-09", "0-65"), ("Rafale", "France", "2022-08-09", "0-65")]
    assert "supplier from the restatement at 0-65" in rows[0]["basis"]


def test_technology_transfer_moves_no_weapon(claims_of):
    assert claims_of("Polish officials expect a technology transfer for the K2 tanks by 2030.", "transfer") == []


@pytest.mark.parametrize("text, date", [
    ("Egypt has signed a contract to buy 30 Rafale jets from France, the ministry said on 4 May 2021.", ""),
    ("Egypt signed a contract in May 2021 to buy 30 Rafale jets from France, the ministry said on 4 June 2021.",
     "2021-05"),
])
def test_a_report_date_is_not_the_claim_date(claims_of, text, date):
    assert one(claims_of(text, "transfer"))["date_value"] == date


@pytest.mark.parametrize("text, statuses", [
    ("Russia will repair four Su-30 jets of the Myanmar Air Force.", ["repair"]),
    ("The deal with Egypt includes training and repair packages for the Rafale jets.", ["ordered"]),
])
def test_a_repair_needs_the_system_as_its_object(claims_of, text, statuses):
    assert [r["status"] for r in claims_of(text, "transfer")] == statuses


def test_a_nominal_delivery_with_a_future_verb_is_the_orders_schedule(claims_of):
    rows = claims_of("Egypt ordered 30 Rafale jets from France in 2021. The delivery of the jets will begin in 2026.",
                     "transfer")
    assert [(r["status"], r["date_value"], r["other_spans"]) for r in rows] == [("ordered", "2021", "50-94")]


def test_a_supplying_verb_takes_the_system_as_object(claims_of):
    assert claims_of("A new engine and gearbox provide high mobility for the K2 tanks.", "transfer") == []
    assert [r["weapon"] for r in claims_of("France supplied Egypt with 30 Rafale jets.", "transfer")] == ["Rafale"]


def test_an_agreement_for_one_system_is_a_transfer(claims_of):
    rows = claims_of("Egypt and France on Monday signed an agreement sealing a deal to procure 30 Rafale jets.")
    assert [r["claim_type"] for r in rows] == ["transfer"]
    rows = claims_of("Egypt and France signed an agreement on defence cooperation in May 2021.")
    assert [r["claim_type"] for r in rows] == ["agreement"]


def test_a_prospective_modifier_within_the_noun_phrase(claims_of):
    row = one(claims_of("The State Department approved a possible Foreign Military Sale of 40 F-16 jets to Taiwan.",
                        "transfer"))
    assert (row["status"], row["polarity"]) == ("offered", "hypothetical")


@pytest.mark.parametrize("text, recipient, quantity", [
    ("Egypt’s 2020 order for 12 Rafale fighters was its second.", "Egypt", 12),
    ("Taiwan's acquisition of 60 F-16 jets took three years.", "Taiwan", 60),
    ("The Egyptian procurement of 24 Rafale jets was paid in instalments.", "Egypt", 24),
])
def test_order_noun_takes_its_possessive_as_recipient(claims_of, text, recipient, quantity):
    row = one(claims_of(text, "transfer"))
    assert (row["recipient"], row["status"], row["quantity"]) == (recipient, "ordered", quantity)
    assert "recipient:" in row["basis"] and "document" not in row["basis"].split("recipient:")[1][:30]


def test_plural_short_designation_named_elsewhere_in_the_document(claims_of):
    """ "K2s" needs no cue word when the document names the K2 with one; alone it stays unmatched."""
    text = "Ukraine received its first K2 tanks in May. Ukraine’s 2024 order for 40 K2s was financed by loans."
    rows = claims_of(text, "transfer")
    assert [(r["weapon_id"], r["quantity"]) for r in rows if r["quantity"]] == [("k2-black-panther", 40)]
    assert claims_of("Ukraine’s 2024 order for 40 K2s was financed by loans.", "transfer") == []


def test_an_export_variant_is_no_export_and_an_unconfirmed_receipt_no_denial(claims_of):
    row = one(claims_of("It is not yet officially confirmed that Egypt received the export variant of France’s "
                        "Rafale fighter.", "transfer"))
    assert (row["supplier"], row["recipient"], row["polarity"]) == ("France", "Egypt", "asserted")
    assert "reported" in row["basis"]
    assert one(claims_of("Egypt did not receive Rafale jets from France.", "transfer"))["polarity"] == "negated"


def test_a_date_in_what_was_said_is_not_the_claims(claims_of):
    row = one(claims_of("Egypt received Rafale jets from France, the minister told reporters that more would "
                        "arrive in March 2026.", "transfer"))
    assert row["date_value"] == ""
    assert one(claims_of("Egypt received Rafale jets from France in March 2024.", "transfer"))["date_value"] == "2024-03"


def test_a_countrys_own_system_is_not_transferred(claims_of):
    rows = claims_of("Taiwan wants to buy 40 F-16 jets to bridge the gap until its own Rafale jets enter service.",
                     "transfer")
    assert [r["weapon_id"] for r in rows] == ["f-16"]


def test_a_repair_package_beside_a_system_repairs_nothing(claims_of):
    text = "Russia sold Myanmar a package that covers training, repair packages, Su-30 jets and spare parts."
    assert not [r for r in claims_of(text, "transfer") if r["status"] == "repair"]


def test_the_carrier_of_a_delivery_is_not_delivered(claims_of):
    rows = claims_of("Four Su-30 transports landed in Naypyidaw on Monday, delivering Pantsir-S1 systems to Myanmar.",
                     "transfer")
    assert [(r["weapon_id"], r["status"]) for r in rows] == [("pantsir-s1", "delivered")]


def test_a_rules_based_order_is_no_order(claims_of):
    text = ("Egypt ordered Rafale jets from France. The first Rafale jets arrived in May. During his visit to "
            "Cairo, the French minister in a meeting with the Egyptian minister reaffirmed France’s commitment "
            "to a rules-based international order.")
    rows = claims_of(text, "transfer")
    third = text.index("During")
    assert rows and all(int(r["start_char"]) < third and str(third) not in str(r["other_spans"]) for r in rows)
