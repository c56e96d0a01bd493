"""Boilerplate by structure and by lexicon wording (extract/corpus/boilerplate.py), on pages of our own."""

from __future__ import annotations

from extract.corpus.boilerplate import find_boilerplate
from extract.knowledge.gazetteer import load


def stripped(text: str) -> list[str]:
    return [text[s:e] for s, e in find_boilerplate(text, load().lexicon)]


def test_captions_with_credits_and_their_labels():
    text = ("Chile receives its first frigate\n\nType 23\n"
            "The frigate at Valparaiso. Photo: Armada de Chile\n\n"
            "Chile took delivery of the frigate on Monday.\n\n"
            "The crew on deck (Picture: Navy press office)\n\n"
            "Sailors trained for six months.\n")
    assert stripped(text) == ["Type 23\nThe frigate at Valparaiso. Photo: Armada de Chile",
                              "The crew on deck (Picture: Navy press office)"]


def test_a_caption_shown_twice():
    text = ("Kenya buys patrol boats\n\nThe boats arrived in Mombasa on Friday\n"
            "The boats arrived in Mombasa on Friday | Photo Credit: Special Arrangement\n\n"
            "Kenya bought two patrol boats from Spain.\n")
    assert stripped(text) == ["The boats arrived in Mombasa on Friday\n"
                              "The boats arrived in Mombasa on Friday | Photo Credit: Special Arrangement"]


def test_a_caption_with_a_trailing_credit_keeps_the_article():
    text = "Saab will deliver jets to Peru. Credit: Saab AB.\n\nPeru ordered 12 jets from Sweden.\n"
    assert stripped(text) == ["Saab will deliver jets to Peru. Credit: Saab AB."]


def test_breadcrumb_repeating_the_headline_and_a_bare_byline():
    text = ("Home Defence Peru orders trainer jets from Italy\nPeru orders trainer jets from Italy\n"
            "Marta Kowalska in Lima\n\nPeru ordered ten trainer jets from Italy on Monday.\n")
    assert stripped(text) == ["Home Defence Peru orders trainer jets from Italy", "Marta Kowalska in Lima"]


def test_page_controls_and_video_notice():
    text = ("Follow Us :\nText Size:\n\nTo view this video please enable JavaScript, and consider upgrading.\n\n"
            "Ghana bought four helicopters.\n\n(Reporting by Ama Mensah; editing by John Doe)\n")
    assert stripped(text) == ["Follow Us :\nText Size:",
                              "To view this video please enable JavaScript, and consider upgrading.",
                              "(Reporting by Ama Mensah; editing by John Doe)"]


def test_article_lines_are_kept():
    text = ("Peru orders trainer jets\n\nPeru ordered ten trainer jets from Italy, the ministry said.\n"
            "The photo of the signing was released by the ministry.\n")
    assert stripped(text) == []


def test_bulleted_lines_under_a_heading_are_sentences(claims_of):
    rows = claims_of("Deliveries this year:\n\n• Egypt received 30 Rafale jets from France.\n"
                     "• Poland received 10 K2 tanks from South Korea\n", "transfer")
    assert [(r["recipient"], r["weapon"]) for r in rows] == [("Egypt", "Rafale"), ("Poland", "K2 Black Panther")]
