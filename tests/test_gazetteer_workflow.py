"""Extending the gazetteers: check, suggest, add, and the effect on the next run."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import SMALL_PEOPLE, SMALL_WEAPONS, write_gazetteers
from extract.cli import main
from extract.knowledge.gazetteer import DEFAULT_DIR
from extract.knowledge.add import AddError, NewRow, add
from extract.knowledge.check import check
from extract.engine.runner import run

HEADER = "id,canonical,family,category,origin,aliases,source,added\n"


def findings(tmp_path: Path, weapons: str = SMALL_WEAPONS, people: str = SMALL_PEOPLE) -> list[str]:
    directory = write_gazetteers(tmp_path / "gaz", weapons, people)
    (directory / "lexicon" / "categories.txt").write_text("fighter aircraft\nsurface-to-air missile system\n"
                                                         "main battle tank\nradar\n", encoding="utf-8")
    problems, _ = check(directory)
    return [str(p) for p in problems]


def test_real_gazetteers_have_no_errors():
    problems, _ = check()
    assert [p for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize("row, expected", [
    ("x-1,X-1,X-1,spaceship,Russia,,s,a", "error: category 'spaceship' of 'x-1' is not in lexicon/categories.txt"),
    ("x-1,X-1,X-1,radar,Atlantis,,s,a", "error: origin 'Atlantis' of 'x-1' is not a country of countries.csv"),
    ("x-1,X-1,X-2,radar,Russia,,s,a", "error: family 'X-2' of 'x-1' names no entry"),
    ("x-1,X-1,X-1,radar,Russia,Hammer,s,a", "warning: alias 'Hammer' of 'x-1' is an English word"),
    ("x-1,X-1,X-1,radar,Russia,Q9,s,a", "warning: alias 'Q9' of 'x-1' is very short"),
])
def test_weapon_findings(tmp_path, row, expected):
    found = findings(tmp_path, SMALL_WEAPONS + row + "\n")
    assert any(expected in f and "weapons.csv:10:" in f for f in found), found


def test_person_findings(tmp_path):
    people = SMALL_PEOPLE + ("x-y,Ivan Petrovsky,Bob,,,Narnia,s,a\n"
                             "x-z,Ivan Petrovskiy,,,,Russia,s,a\n")
    found = findings(tmp_path, people=people)
    assert any("people.csv:10: error: country 'Narnia'" in f for f in found)
    assert any("people.csv:10: warning: one-word alias 'Bob'" in f for f in found)
    assert any("within the fuzzy threshold" in f and "ivan petrovsky" in f for f in found)


def test_check_command_exit_codes(tmp_path, capsys):
    good = write_gazetteers(tmp_path / "good")
    shutil.copy(DEFAULT_DIR / "lexicon" / "categories.txt", good / "lexicon" / "categories.txt")
    assert main(["gazetteer", "check", str(good)]) == 0
    bad = write_gazetteers(tmp_path / "bad", SMALL_WEAPONS + "su-30,Dup,Su-30,radar,Russia,,s,a\n")
    assert main(["gazetteer", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "weapons.csv:10: error: duplicate id 'su-30'" in out and "fix: give the row a new id" in out


def test_add_keeps_the_file_and_refuses_bad_rows(tmp_path):
    directory = tmp_path / "gaz"
    shutil.copytree(DEFAULT_DIR, directory)
    before = (directory / "weapons.csv").read_text(encoding="utf-8")
    line = add(NewRow("weapon", "QX-2000G", family="JL-9", category="light combat aircraft", origin="China",
                      aliases=("QX-2000G Mountain Eagle",)), directory, dt.date(2026, 11, 28))
    after = (directory / "weapons.csv").read_text(encoding="utf-8")
    assert after == before + line
    assert line.startswith("qx-2000g,QX-2000G,JL-9,light combat aircraft,China,QX-2000G Mountain Eagle,")
    assert line.rstrip().endswith(",2026-11-28")
    with pytest.raises(AddError, match="already names"):
        add(NewRow("weapon", "Sukhoi Su-30SME", family="Su-30", category="fighter aircraft", origin="Russia"),
            directory)
    with pytest.raises(AddError, match="not in lexicon/categories.txt"):
        add(NewRow("weapon", "Zeta-9", category="spaceship", origin="Russia"), directory)
    with pytest.raises(AddError, match="--category"):
        add(NewRow("weapon", "Zeta-9", origin="Russia"), directory)
    assert (directory / "weapons.csv").read_text(encoding="utf-8") == after


ARTICLE = """China delivers trainers to Myanmar

Myanmar received six QX-2000G light attack aircraft from China in December 2022, the state media said.
Deputy Defence Minister Ivan Petrovsky attended the handover ceremony.
"""


def test_suggest_add_rerun(tmp_path, capsys):
    gazetteers = tmp_path / "gaz"
    shutil.copytree(DEFAULT_DIR, gazetteers)
    articles, out = tmp_path / "articles", tmp_path / "out"
    articles.mkdir()
    (articles / "ftc.txt").write_text(ARTICLE, encoding="utf-8")
    run(articles, out, gazetteers)
    with (out / "suggestions.csv").open(encoding="utf-8", newline="") as handle:
        suggestions = {r["text"]: r for r in csv.DictReader(handle)}
    weapon, person = suggestions["QX-2000G"], suggestions["Ivan Petrovsky"]
    assert weapon["kind"] == "weapon" and "QX-2000G light attack aircraft" in weapon["example"]
    assert person["kind"] == "person" and weapon["proposed_row"].startswith("qx-2000g,QX-2000G,")

    assert main(["gazetteer", "add", "weapon", "--from-suggestions", weapon["rank"], "--suggestions",
                 str(out / "suggestions.csv"), "--gazetteers", str(gazetteers), "--family", "JL-9",
                 "--category", "light combat aircraft", "--origin", "China"]) == 0
    assert main(["gazetteer", "add", "person", "--from-suggestions", person["rank"], "--suggestions",
                 str(out / "suggestions.csv"), "--gazetteers", str(gazetteers), "--title",
                 "Deputy Defence Minister", "--country", "Russia"]) == 0
    assert "added to weapons.csv: qx-2000g,QX-2000G,JL-9" in capsys.readouterr().out

    run(articles, out, gazetteers)
    with (out / "entities.csv").open(encoding="utf-8", newline="") as handle:
        entities = list(csv.DictReader(handle))
    with (out / "mentions.csv").open(encoding="utf-8", newline="") as handle:
        mentions = list(csv.DictReader(handle))
    assert any(e["entity_id"] == "qx-2000g" and e["matcher"] == "exact" for e in entities)
    assert any(e["entity_id"] == "ivan-petrovsky" for e in entities)
    transfer = next(m for m in mentions if m["claim_type"] == "transfer")
    assert (transfer["weapon_id"], transfer["supplier"], transfer["recipient"], transfer["status"],
            transfer["quantity"]) == ("qx-2000g", "China", "Myanmar", "delivered", "6")
    with (out / "suggestions.csv").open(encoding="utf-8", newline="") as handle:
        assert "QX-2000G" not in {r["text"] for r in csv.DictReader(handle)}


def test_run_records_the_knowledge_used(tmp_path):
    import json

    gazetteers = tmp_path / "gaz"
    shutil.copytree(DEFAULT_DIR, gazetteers)
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(ARTICLE, encoding="utf-8")
    run(articles, tmp_path / "o1", gazetteers)
    add(NewRow("person", "Ivan Petrovsky", country="Russia"), gazetteers)
    run(articles, tmp_path / "o2", gazetteers)
    first = json.loads((tmp_path / "o1" / "run.json").read_text())["gazetteer_fingerprint"]
    second = json.loads((tmp_path / "o2" / "run.json").read_text())["gazetteer_fingerprint"]
    assert first != second
