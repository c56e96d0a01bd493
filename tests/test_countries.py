"""Country matcher: names, demonyms, possessives, capitals and armed forces."""

from __future__ import annotations

from conftest import of_type


def countries(rows):
    return [(r["text"], r["canonical"], r["subtype"]) for r in of_type(rows, "COUNTRY")]


def test_forms(annotate_text):
    got = countries(annotate_text("Myanmar’s Tatmadaw bought Russian jets, Moscow said, and the Russian Federation agreed."))
    assert ("Myanmar", "Myanmar", "name") in got
    assert ("Tatmadaw", "Myanmar", "forces") in got
    assert ("Russian", "Russia", "demonym") in got
    assert ("Moscow", "Russia", "capital") in got
    assert ("Russian Federation", "Russia", "name") in got
    assert ("Russian", "Russia", "demonym") in got


def test_possessive_and_hyphenated(annotate_text):
    got = countries(annotate_text("Myanmar's ties and the Myanmar-Russia exercise"))
    assert [t for t, _, _ in got] == ["Myanmar", "Myanmar", "Russia"]


def test_case_sensitive_abbreviations(annotate_text):
    assert countries(annotate_text("Let us go.")) == []
    assert countries(annotate_text("The US approved it.")) == [("US", "United States", "name")]


def test_format_characters_inside_a_country_name(annotate_text):
    """A soft hyphen, zero-width joiner or word joiner inside a name is invisible: the name still matches,
    with the text and offsets of the article."""
    for mark in ("\u00ad", "\u200d", "\u2060"):
        text = f"My\u200banmar ordered jets from Rus{mark}sia."
        rows = [r for r in annotate_text(text) if r["entity_type"] == "COUNTRY"]
        assert [r["canonical"] for r in rows] == ["Myanmar", "Russia"]
        assert [text[r["start_char"]:r["end_char"]] for r in rows] == [r["text"] for r in rows] == \
            ["My\u200banmar", f"Rus{mark}sia"]


def test_country_case_still_matters(annotate_text):
    rows = [r for r in annotate_text("Give us the US jets.") if r["entity_type"] == "COUNTRY"]
    assert [r["text"] for r in rows] == ["US"]


def test_offsets_kept_beside_the_spans_give_what_the_spans_give(small_nlp):
    """Entity rows read the offsets matchers.base.set_spans keeps and the match spaCy keeps per character
    range, instead of making Span objects again: the same values as reading doc.spans."""
    from extract.entities.matchers.base import span_matches
    from extract.entities.pipeline import make_doc

    text = ("The US and the United States, not us: Russia's Su-30 jets, Moscow said. "
            "Defence Minister Sergei Shoigu met the Russian envoy on 3 May 2021 in Russia.")
    doc = small_nlp(make_doc(small_nlp, text))
    for label in ("WEAPON", "PERSON", "COUNTRY"):
        assert list(span_matches(doc, label)) == [(s.start_char, s.end_char, s._.match) for s in doc.spans[label]]
    assert [m for *_, m in span_matches(doc, "COUNTRY")] and all(m.entity_id for *_, m in span_matches(doc, "COUNTRY"))
    assert "us" not in [text[s:e] for s, e, _ in span_matches(doc, "COUNTRY")]
