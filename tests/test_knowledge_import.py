"""`extract gazetteer import`: SIPRI's export and the cleaned form, merging, conflicts, coverage.

The fixtures are a few rows of each source (the register itself is not shipped); the coverage
test reads the full cleaned register from ../shared when it is there.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import SMALL_WEAPONS
from extract.cli import main
from extract.knowledge.check import check
from extract.knowledge.gazetteer import DEFAULT_DIR, load
from extract.knowledge.import_common import CREDITS, Candidate, Merger, compact, family_base, popular_name, run_import
from extract.knowledge.sipri import read_register

DATA = Path(__file__).parent / "data" / "knowledge"
EXPORT = DATA / "sipri_export_excerpt.csv"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "knowledge"
CLEAN = SHARED / "sipri_trade_register_2025_clean_utf8.csv"


CURATED = SMALL_WEAPONS + (
    "k9-thunder,K9 Thunder,K9 Thunder,self-propelled artillery,South Korea,K9 howitzer|K9,curated,2026-11-28\n"
    "lynx,Lynx,Lynx,naval helicopter,United Kingdom,Westland Lynx,curated,2026-11-28\n")


@pytest.fixture
def gazetteers(tmp_path: Path) -> Path:
    """The real lexicon and countries with a small curated weapons.csv."""
    directory = tmp_path / "gaz"
    shutil.copytree(DEFAULT_DIR, directory)
    (directory / "weapons.csv").write_text(CURATED, encoding="utf-8")
    return directory


def test_reads_sipris_export_as_downloaded():
    deals = read_register(EXPORT)
    assert len(deals) == 7  # the split record is joined, the preamble skipped
    assert any(d.designation == "Bü-181 Bestmann" for d in deals)  # Latin-1 decoded


def test_import_merges_without_overwriting_and_reports_conflicts(gazetteers):
    before = (gazetteers / "weapons.csv").read_text(encoding="utf-8").splitlines()
    report = run_import("sipri", EXPORT, gazetteers, today=dt.date(2031, 1, 1))
    after = (gazetteers / "weapons.csv").read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in before if ln in after]
    changed = [ln for ln in before if ln not in after]
    assert len(kept) + len(changed) == len(before)
    for old in changed:  # a curated row only gains aliases and the credit line at the end of its cells
        new = next(ln for ln in after if ln.split(",")[0] == old.split(",")[0])
        assert new.split(",")[1:5] == old.split(",")[1:5] and CREDITS["sipri"] in new
    rows = {r["id"]: r for r in csv.DictReader(ln for ln in after if not ln.startswith("#"))}

    def named(name: str) -> dict[str, str]:
        return next(r for r in rows.values() if compact(name) in {compact(a) for a in
                                                                  [r["canonical"], *r["aliases"].split("|")]})

    k9 = named("K-9 Thunder 155mm")
    assert k9["category"] == "self-propelled artillery"
    assert named("K-9A1")["family"] == k9["family"]  # a version named in the comments
    assert compact("SA-2") in {compact(a) for a in named("S-75 Dvina")["aliases"].split("|")}
    assert rows["k9-thunder"]["aliases"].startswith("K9 howitzer|K9|")  # curated aliases first, as they were
    new = [r for r in rows.values() if r["added"] == "2031-01-01"]
    assert new and all(r["source"].startswith(CREDITS["sipri"]) for r in new)
    assert any("'Lynx' (armoured vehicle)" in c and "Lynx (naval helicopter)" in c for c in report.conflicts)
    assert not any(r["canonical"] == "Lynx" and r["category"] == "naval helicopter" for r in new)  # merged
    errors = [p for p in check(gazetteers)[0] if p.severity == "error"]
    assert errors == []


def test_import_command_and_dry_run(gazetteers, capsys):
    before = (gazetteers / "weapons.csv").read_bytes()
    assert main(["gazetteer", "import", "sipri", str(EXPORT), "--gazetteers", str(gazetteers), "--dry-run"]) == 0
    assert "candidate systems read" in capsys.readouterr().out
    assert (gazetteers / "weapons.csv").read_bytes() == before
    assert main(["gazetteer", "import", "sipri", str(DATA / "oryx_excerpt.csv"), "--gazetteers",
                 str(gazetteers)]) == 2
    assert "error:" in capsys.readouterr().err


def test_oryx_variants_join_their_parent(gazetteers):
    run_import("sipri", EXPORT, gazetteers)
    report = run_import("oryx", DATA / "oryx_excerpt.csv", gazetteers)
    gaz = load(gazetteers)
    variant = next(w for w in gaz.weapons.values() if w.canonical == "S-75M3")
    dvina = next(w for w in gaz.weapons.values() if "S-75 Dvina" in (w.canonical, *w.aliases))
    assert variant.family == dvina.family
    assert variant.category == "surface-to-air missile system" and "Guideline" in variant.aliases
    assert any("no category" in reason for reason in report.skipped)  # the unknown gadget


@pytest.mark.parametrize("designation,base", [("MiG-21MF", "MiG-21"), ("Su-30MKI", "Su-30"), ("T-90MS", "T-90"),
                                              ("Leopard 2A4", "Leopard 2"), ("AGM-114R Hellfire", "AGM-114"),
                                              ("Rafale", ""), ("F-16", "")])
def test_family_from_the_designations_shape(designation, base):
    assert family_base(designation) == base


@pytest.mark.parametrize("family,split", [("K2 Black Panther", ("K2", "Black Panther")),
                                          ("A-10 Thunderbolt II", ("A-10", "Thunderbolt II")),
                                          ("S-61/H-3A Sea King", ("S-61/H-3A", "Sea King")),
                                          ("120mm Light Mortar", None), ("M16 rifle", None), ("AIM-120 AMRAAM", None),
                                          ("Rafale", None), ("Su-30MKI", None), ("MGK-335MS/Bull Horn", None)])
def test_popular_name_after_a_designation(family, split):
    assert popular_name(family) == split


def test_import_names_new_families_by_their_bare_designation(gazetteers):
    """A new family "XQ-77 Stormcrow" becomes "XQ-77" (the full name an alias) and its variant follows;
    two new families on one designation, and the curated "K9 Thunder", keep their names."""
    merger = Merger(gazetteers, "sipri", dt.date(2031, 1, 1))
    for cand in (Candidate("XQ-77 Stormcrow", "UAV", "Norway", ["Stormcrow"]),
                 Candidate("XQ-77B", "UAV", "Norway", group="XQ-77 Stormcrow"),
                 Candidate("ZR-5 Alder", "light aircraft", "Finland"), Candidate("ZR-5 Birch", "light aircraft", "Finland")):
        merger.add(cand)
    merger.write()
    rows = {r["canonical"]: r for r in csv.DictReader((gazetteers / "weapons.csv").open(encoding="utf-8"))}
    assert rows["XQ-77"]["family"] == "XQ-77" and rows["XQ-77"]["aliases"].split("|")[:2] == ["XQ-77 Stormcrow",
                                                                                              "Stormcrow"]
    assert rows["XQ-77B"]["family"] == "XQ-77"
    assert rows["ZR-5 Alder"]["family"] == "ZR-5 Alder" and rows["ZR-5 Birch"]["family"] == "ZR-5 Birch"
    assert rows["K9 Thunder"]["family"] == "K9 Thunder"
    assert [p for p in check(gazetteers)[0] if p.severity == "error"] == []


def test_check_warns_of_a_family_with_a_popular_name(gazetteers):
    """Curated families such as "K9 Thunder" could be "K9"; "Lynx" and a clashing pair are not reported."""
    extra = ("zr-5-alder,ZR-5 Alder,ZR-5 Alder,light aircraft,Finland,,curated,2031-01-01\n"
             "zr-5-birch,ZR-5 Birch,ZR-5 Birch,light aircraft,Finland,,curated,2031-01-01\n")
    (gazetteers / "weapons.csv").write_text(CURATED + extra, encoding="utf-8")
    found = [p.message for p in check(gazetteers)[0] if "popular name" in p.message]
    assert any("'K9 Thunder'" in f and "make 'K9' the canonical" in f for f in found)
    assert not any("Lynx" in f or "ZR-5" in f for f in found)


def test_sipri_designations_resolve():
    """>= 95% of the designations of deals ordered since 1990 resolve, written as SIPRI writes them."""
    if not CLEAN.exists():
        pytest.skip(f"{CLEAN} not present: the coverage test needs ../shared/knowledge")
    gaz = load()
    keys = {compact(form) for w in gaz.weapons.values() for form in (w.canonical, *w.aliases)}
    designations = {d.designation for d in read_register(CLEAN)
                    if d.order_year.isdigit() and int(d.order_year) >= 1990 and d.designation}
    resolved = [d for d in designations if compact(d) in keys]
    assert len(resolved) / len(designations) >= 0.95, sorted(set(designations) - set(resolved))[:40]


def test_ship_classes_are_named_by_their_class():
    """A ship class is "Istif class" (the gold's form), its category noun only in the aliases."""
    gaz = load()
    noun = ("frigate", "corvette", "destroyer", "submarine", "patrol vessel")
    assert not [w.canonical for w in gaz.weapons.values() if w.canonical.endswith(tuple(f"-class {n}" for n in noun))]
    istif = next(w for w in gaz.weapons.values() if "Istif-class frigate" in w.aliases)
    assert (istif.canonical, istif.family) == ("Istif class", "Istif class")


def test_a_makers_name_is_no_part_of_the_family():
    """"BAE Hawk" is the Hawk (the maker's name stays out of matches, so it stays out of the family)."""
    gaz = load()
    hawk = next(w for w in gaz.weapons.values() if "BAE Hawk" in w.aliases)
    assert (hawk.canonical, hawk.family, hawk.category) == ("Hawk", "Hawk", "trainer aircraft")
