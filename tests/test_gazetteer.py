"""Gazetteer loading: every problem is reported with its file and line; bad rows are skipped."""

from __future__ import annotations

from pathlib import Path

from conftest import SMALL_COUNTRIES, SMALL_PEOPLE, SMALL_WEAPONS, write_gazetteers
from extract.knowledge.gazetteer import load, split_list

HEADER = "id,canonical,family,category,origin,aliases,source,added\n"


def problems_for(tmp_path: Path, weapons: str = SMALL_WEAPONS, people: str = SMALL_PEOPLE,
                 countries: str = SMALL_COUNTRIES):
    gaz = load(write_gazetteers(tmp_path, weapons, people, countries))
    return gaz, [str(p) for p in gaz.problems]


def test_real_gazetteers_load_cleanly():
    gaz = load()
    assert gaz.errors == [], "\n".join(map(str, gaz.errors[:20]))
    assert len(gaz.weapons) >= 300 and len(gaz.people) >= 150 and len(gaz.countries) >= 190


def test_small_gazetteers_load_cleanly(tmp_path):
    gaz, problems = problems_for(tmp_path)
    assert problems == [] and len(gaz.weapons) == 8


def test_malformed_row_reported_with_line(tmp_path):
    weapons = HEADER + 'su-30,Su-30,Su-30,fighter aircraft,Russia,,x,y\n"broken,row\nt-90,T-90,T-90,main battle tank,Russia\n'
    gaz, problems = problems_for(tmp_path, weapons)
    assert any(p.startswith("weapons.csv:3: error: malformed CSV row") for p in problems)
    assert any(p.startswith("weapons.csv:4: error: row has 5 cells") for p in problems)
    assert list(gaz.weapons) == ["su-30"]


def test_duplicate_id(tmp_path):
    weapons = HEADER + "su-30,Su-30,Su-30,fighter aircraft,Russia,,x,y\nsu-30,Su-30 again,Su-30,fighter aircraft,Russia,,x,y\n"
    gaz, problems = problems_for(tmp_path, weapons)
    assert any("weapons.csv:3: error: duplicate id 'su-30' (first on line 2)" in p for p in problems)
    assert gaz.weapons["su-30"].canonical == "Su-30"


def test_alias_claimed_twice(tmp_path):
    weapons = HEADER + ("su-30,Su-30,Su-30,fighter aircraft,Russia,Flanker,x,y\n"
                        "su-27,Su-27,Su-27,fighter aircraft,Russia,Flanker,x,y\n")
    gaz, problems = problems_for(tmp_path, weapons)
    assert any("weapons.csv:3: error: alias 'Flanker' of 'su-27' already names 'su-30' (line 2)" in p for p in problems)
    assert gaz.weapons["su-27"].aliases == ()


def test_alias_collision_through_spelling_variants(tmp_path):
    weapons = HEADER + ("su-30,Su-30,Su-30,fighter aircraft,Russia,,x,y\n"
                        "su30,Su30,Su30,fighter aircraft,Russia,,x,y\n")
    _, problems = problems_for(tmp_path, weapons)
    assert any("weapons.csv:3" in p and "already names 'su-30'" in p for p in problems)


def test_unknown_family_and_empty_cells(tmp_path):
    weapons = HEADER + ("su-30sme,Su-30SME,Su-30,fighter aircraft,Russia,,x,y\n"
                        "bad,,Su-30,fighter aircraft,Russia,,x,y\n"
                        "Bad Id,X,X,radar,Russia,,x,y\n")
    _, problems = problems_for(tmp_path, weapons)
    assert any("weapons.csv:2" in p and "family 'Su-30'" in p and "names no entry" in p for p in problems)
    assert any("weapons.csv:3: error: empty canonical" in p for p in problems)
    assert any("weapons.csv:4" in p and "lower-case letters" in p for p in problems)


def test_missing_columns_and_empty_file(tmp_path):
    _, problems = problems_for(tmp_path, "id,canonical\nx,X\n", "")
    assert any(p.startswith("weapons.csv:1: error: header lacks column(s) family") for p in problems)
    assert any(p.startswith("people.csv:1: error: file is empty") for p in problems)


def test_comments_and_blank_lines_keep_line_numbers(tmp_path):
    weapons = HEADER + "# a comment\n\nsu-30,Su-30,Su-30,fighter aircraft,Russia,,x,y\nsu-30,Dup,Su-30,radar,Russia,,x,y\n"
    _, problems = problems_for(tmp_path, weapons)
    assert any("weapons.csv:5: error: duplicate id" in p for p in problems)


def test_people_alias_collision(tmp_path):
    people = SMALL_PEOPLE + "other,Other Person,Fomin,,,Russia,x,y\n"
    _, problems = problems_for(tmp_path, people=people)
    assert any("people.csv:10" in p and "'Fomin'" in p for p in problems)


def test_split_list():
    assert split_list(" a | b||a |  c  d ") == ("a", "b", "c d")
    assert split_list("") == ()


def test_fingerprint_changes_with_content(tmp_path):
    first = load(write_gazetteers(tmp_path / "a")).fingerprint
    second = load(write_gazetteers(tmp_path / "b", SMALL_WEAPONS + "x-1,X-1,X-1,radar,Russia,,x,y\n")).fingerprint
    assert first != second and first == load(write_gazetteers(tmp_path / "c")).fingerprint
