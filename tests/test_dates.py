"""Date grammar and resolution: explicit, published, text_anchor, inferred and unresolved."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import of_type

PUB = dt.date(2024, 4, 2)  # a Tuesday


def dates(rows):
    return [(r["text"], r["value"], r["date_basis"]) for r in of_type(rows, "DATE")]


@pytest.mark.parametrize("text, expected", [
    ("The deal was signed on Sep 7, 2021, in Moscow.", ("Sep 7, 2021", "2021-09-07", "explicit")),
    ("The attack on 16 September 2022 killed six.", ("16 September 2022", "2022-09-16", "explicit")),
    ("It happened on 01 March 2021.", ("01 March 2021", "2021-03-01", "explicit")),
    ("Relations were established on February 18, 1948.", ("February 18, 1948", "1948-02-18", "explicit")),
    ("The visit took place in July 2022.", ("July 2022", "2022-07", "explicit")),
    ("They signed in early June 2016 in Moscow.", ("early June 2016", "2016-06", "explicit")),
    ("Since 2001, it has bought jets.", ("2001", "2001", "explicit")),
    ("It ordered six jets in 2020.", ("2020", "2020", "explicit")),
    ("Deliveries began on Jan. 5, 2023.", ("Jan. 5, 2023", "2023-01-05", "explicit")),
    ("The order is dated 2023-11-05.", ("2023-11-05", "2023-11-05", "explicit")),
])
def test_explicit_dates(annotate_text, text, expected):
    assert expected in dates(annotate_text(text))


def test_explicit_ranges(annotate_text):
    rows = of_type(annotate_text("He served in 2009-2012. It began in early June 2016."), "DATE")
    by_text = {r["text"]: r for r in rows}
    assert by_text["2009"]["date_start"] == "2009-01-01" and by_text["2012"]["date_end"] == "2012-12-31"
    early = by_text["early June 2016"]
    assert (early["date_start"], early["date_end"], early["granularity"]) == ("2016-06-01", "2016-06-10", "month")


@pytest.mark.parametrize("text, expected", [
    ("The general met the minister on Monday.", ("Monday", "2024-04-01", "published")),
    ("Talks were held on Thursday.", ("Thursday", "2024-03-28", "published")),
    ("This year, more than 50 events are planned.", ("This year", "2024", "published")),
    ("A contract was signed in January of last year.", ("January of last year", "2023-01", "published")),
    ("The jets arrived late last year.", ("late last year", "2023", "published")),
    ("Shugayev said in August that contracts were on track.", ("August", "2023-08", "published")),
    ("The coup in February changed everything.", ("February", "2024-02", "published")),
    ("The deal was agreed two weeks ago.", ("two weeks ago", "2024-03", "published")),
    ("Talks were held last week.", ("last week", "2024-03", "published")),
    ("Talks were held on Tuesday.", ("Tuesday", "2024-04-02", "published")),
    ("Talks were held last Tuesday.", ("last Tuesday", "2024-03-26", "published")),
    ("The minister will visit on Friday.", ("Friday", "2024-04-05", "published")),
    ("Deliveries are expected by the end of June.", ("the end of June", "2024-06", "published")),
    ("Deliveries ended in June.", ("June", "2023-06", "published")),
    ("The exercise ran from 11 to 28 March.", ("11 to 28 March", "2024-03", "published")),
    ("The drills ran 21 to 27 December last year.", ("21 to 27 December last year", "2023-12", "published")),
    ("Officials spoke yesterday.", ("yesterday", "2024-04-01", "published")),
    ("A meeting is planned for next month.", ("next month", "2024-05", "published")),
])
def test_relative_to_publication(annotate_text, text, expected):
    assert expected in dates(annotate_text(text, published=PUB))


def test_month_takes_year_from_same_sentence(annotate_text):
    rows = annotate_text("In 2016 the ministry signed a deal, and in March the first jets arrived.", published=PUB)
    assert ("March", "2016-03", "text_anchor") in dates(rows)


def test_event_anchor(annotate_text):
    text = ("After the 01 March 2021 military coup, arms sales rose. "
            "Shoigu had visited a week before the coup.")
    assert ("a week before the coup", "2021-02", "text_anchor") in dates(annotate_text(text))


def test_event_without_date_stays_unresolved(annotate_text):
    rows = annotate_text("Shoigu had visited a week before the coup.")
    assert ("a week before the coup", "", "unresolved") in dates(rows)


def test_inferred_without_publication_date(annotate_text):
    rows = annotate_text("The jets were delivered in November 2023. A contract was signed in January of last year.")
    assert ("January of last year", "2022-01", "inferred") in dates(rows)
    row = [r for r in of_type(rows, "DATE") if r["text"] == "January of last year"][0]
    assert "latest explicit date" in row["basis"]


def test_unresolved_without_any_anchor(annotate_text):
    rows = annotate_text("The general met the minister on Monday and will return next year.")
    assert ("Monday", "", "unresolved") in dates(rows)
    assert ("next year", "", "unresolved") in dates(rows)


def test_weekday_needs_day_level_reference(annotate_text):
    rows = annotate_text("Myanmar ordered jets in 2020. The general met the minister on Monday.")
    assert ("Monday", "", "unresolved") in dates(rows)


def test_today_never_leaks(annotate_text):
    """Without any anchor nothing relative gets a value, whatever the wall clock says."""
    rows = annotate_text("Officials said yesterday that talks held last week and on Friday went well.")
    assert all(r["value"] == "" and r["date_basis"] == "unresolved" for r in of_type(rows, "DATE"))
    assert len(of_type(rows, "DATE")) == 3


def test_dateline_gives_publication(annotate_text):
    text = "Title line\n\nby A Reporter Sep 7, 2021, 14:25 PM\n\nThe contracts were on track in August.\n"
    assert ("August", "2021-08", "published") in dates(annotate_text(text))


def test_dateline_without_year_is_inferred(annotate_text):
    text = ("Myanmar, Russia ramp up cooperation\n\nNP News - April 2\n\n"
            "Talks were held on Thursday. Two Su-30 jets arrived in September 2023.\n")
    got = dates(annotate_text(text))
    assert ("April 2", "2024-04-02", "inferred") in got
    assert ("Thursday", "2024-03-28", "inferred") in got


@pytest.mark.parametrize("text", [
    "The International Military Technical Forum Army 2021 opened.",
    "It fielded 2000 troops and 1500 km of roads.",
    "Analysts paid $2000 for the report.",
    "They may march on the capital.",
    "The MAKS-2021 air show.",
])
def test_not_dates(annotate_text, text):
    assert dates(annotate_text(text)) == []


def test_invalid_day_is_not_a_date(annotate_text):
    assert not [d for d in dates(annotate_text("It was signed on February 30, 2021.")) if d[1] == "2021-02-30"]


def test_decade_and_fiscal_year(annotate_text):
    rows = {r["text"]: r for r in of_type(annotate_text("Tanks bought in the 1990s serve in FY2024 and the "
                                                        "2023-24 financial year."), "DATE")}
    decade = rows["1990s"]
    assert (decade["value"], decade["date_start"], decade["date_end"], decade["granularity"], decade["date_basis"]) == \
        ("", "1990-01-01", "1999-12-31", "decade", "explicit")
    for text in ("FY2024", "2023-24 financial year"):
        assert (rows[text]["value"], rows[text]["date_basis"]) == ("", "unresolved")
        assert "fiscal" in rows[text]["basis"]


@pytest.mark.parametrize("text, expected", [
    ("Egypt ordered 24 jets in February 2015. The first three arrived that July.", ("July", "2015-07")),
    ("Talks opened on 14 March 2019. The minister left the following day.", ("the following day", "2019-03-15")),
    ("Talks opened on 14 March 2019. A deal came two years later.", ("two years later", "2021")),
    ("The war began in 2020. The previous year saw a build-up.", ("The previous year", "2019")),
    ("Talks opened on 14 March 2019. The jets left the day before.", ("the day before", "2019-03-13")),
])
def test_anaphoric_dates(annotate_text, text, expected):
    assert (*expected, "text_anchor") in dates(annotate_text(text, published=PUB))


def test_anaphoric_without_earlier_date(annotate_text):
    assert ("the following day", "", "unresolved") in dates(annotate_text("He left the following day."))


def test_wire_dateline_at_paragraph_start(annotate_text):
    text = ("Poland takes delivery of tanks\n\nGDYNIA, Poland, Dec 7, 2022 (NordWire) - The first tanks arrived "
            "on Tuesday, less than five months after the deal was agreed in a long paragraph of wire copy.\n")
    assert ("Tuesday", "2022-12-06", "published") in dates(annotate_text(text))


FRAGMENTS = ["in 2020", "FY2024", "the third quarter of 2019", "Q2 2021", "summer 2018", "mid-2017", "late 2016",
             "the first half of 2015", "12/03/2014", "25/03/2014", "4 and 5 May 2013", "the 2023-24 financial year", "the 1990s", "in March", "on Monday", "last year",
             "that July", "the following day", "two weeks ago", "a week before the coup", "16 September 2022",
             "April 2", "early June", "the coup on 01 March 2021", "11 to 28 April", "yesterday", "next month",
             "three years later", "Army 2021", "Sep 7, 2021"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8),
       published=st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))))
def test_any_mix_of_date_expressions_resolves_without_error(annotate_text, parts, published):
    text = ". ".join(f"Talks were held {p}" for p in parts) + "."
    for row in of_type(annotate_text(text, published=published), "DATE"):
        assert row["date_basis"] in ("explicit", "published", "text_anchor", "inferred", "unresolved")
        assert (row["value"] == "") == (row["date_basis"] == "unresolved" or row["granularity"] == "decade")
        if row["value"]:  # the TIMEX3 value says the same period: the ISO partial or a week, quarter, half, season
            assert row["timex"] == row["value"] or row["timex"][:5] in (row["value"][:4] + "-", row["value"][:5]), row
        if row["date_start"]:
            assert row["date_start"] <= row["date_end"]


def test_a_lexicon_without_some_kinds_still_works(tmp_path):
    from conftest import write_gazetteers
    from extract.knowledge.gazetteer import load
    from extract.entities.temporal import DateGrammar

    directory = write_gazetteers(tmp_path)
    words = directory / "lexicon" / "time_words.csv"
    kept = [ln for ln in words.read_text(encoding="utf-8").splitlines()
            if not ln.startswith(("relative,", "number,", "event,", "deictic_day,"))]
    words.write_text("\n".join(kept) + "\n", encoding="utf-8")
    grammar = DateGrammar(load(directory).lexicon)
    assert [m.text for m in grammar.find("Signed on 16 September 2022, not last year.")] == ["16 September 2022"]


def timex(rows):
    return {r["text"]: (r["value"], r["timex"], r["date_start"], r["date_end"], r["granularity"])
            for r in of_type(rows, "DATE")}


def test_timex3_values_for_weeks_quarters_halves_seasons_fiscal_years_and_decades(annotate_text):
    text = ("Chile took the first corvette in the third quarter of 2019 and the second in Q2 2021. "
            "Trials ran in summer 2018 and in the winter of 2020. Output doubles in the first half of 2025. "
            "Argentina retired its 1980s jets in FY2023. Inspectors arrived last week.")
    got = timex(annotate_text(text, published=PUB))
    assert got["the third quarter of 2019"] == ("2019", "2019-Q3", "2019-07-01", "2019-09-30", "quarter")
    assert got["Q2 2021"] == ("2021", "2021-Q2", "2021-04-01", "2021-06-30", "quarter")
    assert got["summer 2018"] == ("2018", "2018-SU", "2018-06-01", "2018-08-31", "season")
    assert got["the winter of 2020"] == ("2020", "2020-WI", "2020-12-01", "2021-02-28", "season")
    assert got["the first half of 2025"] == ("2025", "2025-H1", "2025-01-01", "2025-06-30", "year")
    assert got["1980s"][:2] == ("", "198X")
    assert got["FY2023"][:2] == ("", "FY2023")
    assert got["last week"] == ("2024-03", "2024-W13", "2024-03-25", "2024-03-31", "week")


def test_modified_years(annotate_text):
    got = timex(annotate_text("Chile expects the frigates by mid-2027; Peru ordered patrol boats in late 2019 "
                              "and paid by the end of 2020."))
    assert got["mid-2027"][:2] == ("2027", "2027") and got["mid-2027"][2] > "2027-04"
    assert got["late 2019"] == ("2019", "2019", "2019-09-01", "2019-12-31", "year")
    assert got["the end of 2020"][:2] == ("2020", "2020")


@pytest.mark.parametrize("text, source, url, expected", [
    ("Kenya signed on 23/09/2021.", "", "", ("23/09/2021", "2021-09-23", "explicit")),   # a day above 12
    ("Kenya signed on 09/23/2021.", "", "", ("09/23/2021", "2021-09-23", "explicit")),
    ("Kenya signed on 07.07.2021.", "", "", ("07.07.2021", "2021-07-07", "explicit")),   # either way
    ("Kenya signed on 04/09/2021.", "", "", ("04/09/2021", "", "unresolved")),          # ambiguous
    ("Kenya signed on 04/09/2021.", "", "https://www.nation.co.ke/x", ("04/09/2021", "2021-09-04", "inferred")),
    ("Kenya signed on 04/09/2021.", "Defense News", "", ("04/09/2021", "2021-04-09", "inferred")),
    ("Kenya signed on 04/09/2021 and paid on 28/09/2021.", "", "", ("04/09/2021", "2021-09-04", "inferred")),
])
def test_numeric_dates_by_locale(small_nlp, small_gaz, annotator, text, source, url, expected):
    from extract.corpus.files import Document
    from extract.entities import pipeline

    document = Document("n", "n.txt", text, "utf-8")
    document.source, document.url = source, url
    rows = annotator(document, small_nlp(pipeline.make_doc(small_nlp, text))).entities
    assert expected in dates(rows)


def test_two_days_joined_by_and_are_two_dates(annotate_text):
    got = dates(annotate_text("The Ghanaian delegation toured the yard on 4 and 5 May 2023."))
    assert ("4", "2023-05-04", "explicit") in got and ("5 May 2023", "2023-05-05", "explicit") in got


def test_years_joined_in_one_token_are_both_found(annotate_text):
    got = dates(annotate_text("Serial output is planned for 2031–2033 at the Lodz plant."))
    assert ("2031", "2031", "explicit") in got and ("2033", "2033", "explicit") in got


def test_year_after_a_possessive(annotate_text):
    assert ("2019", "2019", "explicit") in dates(annotate_text("It follows Greece’s 2019 purchase of Rafales."))


def test_weekday_inside_a_name_and_today(annotate_text):
    got = dates(annotate_text("Group Captain Monday Okafor met the Ghanaian delegation in Accra today.",
                              published=PUB))
    assert ("today", "2024-04-02", "published") in got
    assert not [d for d in got if d[0] == "Monday"]
    assert not dates(annotate_text("The minister told India Today that talks went well."))


def test_past_month_takes_no_future_year_from_its_sentence(annotate_text):
    got = dates(annotate_text("The order, first reported in May, covers tanks to be built between 2027 and 2029.",
                              published=PUB))
    assert ("May", "2023-05", "published") in got


# ------------------------------------------------------------- where the patterns are tried

DATE_WORDS = ["January", "Jan", "Sep.", "Sept", "MAY", "May", "March", "Mar", "Monday", "Friday", "early", "mid", "Late",
              "the end of", "the first half of", "The", "the", "that", "same", "of", "in", "since", "by", "1", "3", "12",
              "19", "31", "2021", "1999", "2023-24", "2023-11-05", "12/03/2024", "5.4.2021", "Q1", "H2", "FY2024",
              "FY", "fiscal", "fiscal year", "budget year", "first", "quarter", "summer", "day", "weeks", "month",
              "year", "years", "ago", "later", "earlier", "before", "after", "last", "next", "this", "today",
              "yesterday", "coup", "two", "a few", "and", "&", "to", "until", "Army", "$", "No.", "st", "th"]
DATE_PHRASES = ["Monday, May 12, 2021", "Friday 3 March 2021", "Tuesday 4 May", "Friday, 5 of May", "the end of June 2016",
                "mid-May", "19 and 20 January 2025", "3-5 May", "May 3 to 5, 2021", "the first quarter of 2022",
                "late summer 2021", "Q1 2022", "FY2025", "2023-24 financial year", "that same May", "the day before",
                "the year after", "two weeks later", "three years ago", "a week before the coup", "last Monday",
                "next month", "earlier this year", "since May", "in early March", "the 2010s", "early 2020",
                "March of next year", "the middle of 2019", "Sep. 7, 2021", "7 September, 2021"]
date_texts = st.lists(st.tuples(st.sampled_from(DATE_WORDS) | st.sampled_from(DATE_PHRASES), st.sampled_from([" ", " ", "", ",", "-", "–", ".", "\n", "  "])),
                      max_size=30).map(lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=date_texts, pad=st.integers(0, 80))
def test_patterns_tried_at_marks_match_as_the_window_scans(text, pad):
    """Each pattern tried only where its marks show a match can be gives the matches of its scan of every window."""
    from extract.entities.matchers.base import cached_gazetteers
    from extract.entities.temporal import DateGrammar, _Windows

    grammar = DateGrammar(cached_gazetteers("").lexicon)
    text = "x " * pad + text + " and " + text  # several windows, some apart
    windows = _Windows(text, grammar.windows(text), grammar.marks)
    for _kind, plan, pattern in grammar.patterns:
        expected = [(w, m.span(), m.groupdict()) for w, (start, end) in enumerate(windows.spans)
                    for m in pattern.finditer(text, start, end)]
        assert [(w, m.span(), m.groupdict()) for w, m in grammar._matches(pattern, plan, windows)] == expected


def test_digit_runs_and_whole_windows_are_marked():
    from extract.entities.matchers.base import cached_gazetteers
    from extract.entities.temporal import DateGrammar, _Windows

    grammar = DateGrammar(cached_gazetteers("").lexicon)
    text = "On 12 May 2021 the 2024-25 budget year began" + " filler" * 30 + " mid-2022"
    windows = _Windows(text, grammar.windows(text), grammar.marks)
    assert len(windows.spans) == 2
    assert [text[p:p + 4] for p, _ in windows.at(("digits",))] == ["12 M", "2021", "2024", "25 b", "2022"]
    assert windows.at(("modifier", "month")) == sorted(windows.at(("modifier",)) + windows.at(("month",)))
    assert [w for _, w in windows.at(("modifier",))] == [1]
