"""The SIPRI register reader, ISO codes and `compare-register` (tests/data/sipri_excerpt_raw.csv:
a few deals of the register; Information from the SIPRI Arms Transfers Database)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT, SEEDS
from extract.cli import main
from extract.engine.runner import run
from extract.knowledge.gazetteer import load
from extract.knowledge.iso import CountryCodes
from extract.knowledge.sipri import Deal, RegisterError, parse_register, read_register
from extract.reconcile.register_check import RegisterChecker, names
from extract.schema import CLAIM_COLUMNS, REGISTER_CHECK_COLUMNS, TRANSFER_COLUMNS

EXCERPT = ROOT / "tests" / "data" / "sipri_excerpt_raw.csv"
CLEAN_HEADER = ("recipient,supplier,order_year,order_year_uncertain,number_ordered,number_ordered_uncertain,"
                "designation,description,number_delivered,number_delivered_uncertain,delivery_years,status,"
                "comments,tiv_per_unit,tiv_total_order,tiv_delivered")


@pytest.fixture(scope="module")
def gaz():
    return load()


@pytest.fixture(scope="module")
def checker(gaz):
    return RegisterChecker(read_register(EXCERPT), gaz.weapons.values(), CountryCodes(gaz.countries.values()))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_raw_export_latin1_preamble_flags_and_split_record():
    deals = read_register(EXCERPT)
    assert len(deals) == 6
    by_designation = {d.designation: d for d in deals}
    assert "Türkiye" in by_designation["vehicle engine"].comments  # Latin-1 decoded
    su30 = by_designation["Su-30MK"]
    assert (su30.recipient, su30.supplier, su30.order_year, su30.number_ordered) == ("Myanmar", "Russia", "2018", "6")
    assert su30.delivery_years == ("2022", "2023", "2024") and su30.line == 15
    assert by_designation["vehicle engine"].order_year_uncertain and by_designation["vehicle engine"].number_ordered_uncertain
    assert not su30.order_year_uncertain
    btr = by_designation["BTR-3"]  # its record is split over two lines
    assert btr.comments.endswith("redesign for other engines") and btr.status == "New"


def test_clean_form_reads_the_same(tmp_path):
    raw = read_register(EXCERPT)
    rows = [CLEAN_HEADER] + [
        ",".join([d.recipient, d.supplier, d.order_year, "1" if d.order_year_uncertain else "", d.number_ordered,
                  "1" if d.number_ordered_uncertain else "", d.designation, d.description, d.number_delivered,
                  "1" if d.number_delivered_uncertain else "", "; ".join(d.delivery_years), d.status,
                  f'"{d.comments}"', "", "", ""]) for d in raw]
    clean = tmp_path / "clean.csv"
    clean.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert [(d.designation, d.order_year_uncertain, d.delivery_years, d.comments) for d in read_register(clean)] == \
        [(d.designation, d.order_year_uncertain, d.delivery_years, d.comments) for d in raw]


def test_not_a_register_is_a_clear_error(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(RegisterError, match="other.csv: no SIPRI trade-register header"):
        read_register(other)
    with pytest.raises(RegisterError, match="cannot read"):
        read_register(tmp_path / "missing.csv")


def test_truncated_record_names_its_line():
    text = EXCERPT.read_bytes().decode("latin-1").rstrip().rsplit("\n", 1)[0]  # drop the last line
    text += "\nUkraine,Turkiye,2022,,7"
    with pytest.raises(RegisterError, match=r"register:19: incomplete record"):
        parse_register(text)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_deals_or_a_register_error(text):
    try:
        parse_register(text)
    except RegisterError:
        pass


def test_iso_codes_from_pycountry(gaz):
    codes = CountryCodes(gaz.countries.values())
    assert codes.code("Russia") == "RUS"
    assert codes.code("Türkiye") == codes.code("Turkiye") == codes.code("Turkey") == "TUR"
    assert codes.code("Democratic Republic of the Congo") == "COD"
    assert codes.code("Soviet Union") == "SUN"   # ISO 3166-3, a former country
    assert codes.code("Kosovo") == ""            # not in ISO 3166: no guess
    assert codes.code("Hezbollah (Lebanon)*") == ""
    assert codes.codes("France;India") == "FRA;IND"


def test_designation_names():
    assert {"pj10", "brahmos", "pj10brahmos"} <= names("PJ-10 BrahMos")
    assert {"stormshadow", "scalpeg"} <= names("Storm Shadow/SCALP-EG")


def transfer(**values: str) -> dict[str, str]:
    row = {c: "" for c in TRANSFER_COLUMNS}
    row.update(values)
    return row


def test_known_when_every_figure_agrees(checker):
    row = transfer(recipient="Myanmar", supplier="Russia", weapon_designation="Su-30SME", status="delivered",
                   year_of_order="2018", number_ordered="6", years_of_delivery="2022")
    result = checker.check(row)
    assert result["verdict"] == "known", result
    assert result["sipri_designation"] == "Su-30MK" and result["sipri_delivery_years"] == "2022; 2023; 2024"


def test_differs_names_the_field_and_both_values(checker):
    row = transfer(recipient="Poland", supplier="South Korea", weapon_designation="K2", status="ordered",
                   year_of_order="2023", number_ordered="180")
    result = checker.check(row)
    assert result["verdict"] == "differs"
    assert result["differences"] == "year_of_order: 2023 vs SIPRI 2022"


def test_uncertain_sipri_values_keep_their_flag_and_later_years_are_outside_coverage(checker):
    row = transfer(recipient="Ukraine", supplier="Turkey", weapon_designation="Bayraktar TB2", status="delivered",
                   number_delivered="9", years_of_delivery="2026")
    result = checker.check(row)
    assert result["verdict"] == "differs"
    assert "number_delivered: 9 vs SIPRI 7" in result["differences"]
    assert "after the register's last year, 2024" in result["differences"]


def test_not_in_register_and_no_designation(checker):
    other_pair = transfer(recipient="Philippines", supplier="Russia", weapon_designation="Su-30SME", status="ordered")
    assert checker.check(other_pair)["verdict"] == "not_in_register"
    other_system = transfer(recipient="Myanmar", supplier="Russia", weapon_designation="Su-25", status="ordered")
    assert checker.check(other_system)["verdict"] == "not_in_register"
    category = transfer(recipient="Myanmar", supplier="Russia", weapon_designation="fighter jets", status="ordered")
    assert checker.check(category)["verdict"] == "no_designation"


def test_run_with_register_writes_register_check_and_counts(tmp_path, capsys):
    out = tmp_path / "out"
    summary = run(SEEDS, out, sipri_register=EXCERPT)
    rows = read_csv(out / "register_check.csv")
    with (out / "register_check.csv").open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == REGISTER_CHECK_COLUMNS
    assert len(rows) == len(read_csv(out / "transfers.csv"))
    su30 = [r for r in rows if r["weapon_designation"].startswith("Su-30")]
    assert su30 and all(r["sipri_designation"] == "Su-30MK" for r in su30)
    assert summary.register_verdicts is not None and sum(summary.register_verdicts.values()) == len(rows)
    assert "register: known" in summary.render(out)
    claims = read_csv(out / "claims.csv")
    assert tuple(claims[0]) == CLAIM_COLUMNS
    assert {(c["supplier"], c["supplier_iso3"]) for c in claims if c["supplier"] == "Russia"} == {("Russia", "RUS")}
    transfers = read_csv(out / "transfers.csv")
    assert all(t["recipient_iso3"] == "MMR" for t in transfers if t["recipient"] == "Myanmar")
    # the standalone command gives the same file
    before = (out / "register_check.csv").read_bytes()
    (out / "register_check.csv").unlink()
    assert main(["compare-register", "--register", str(EXCERPT), "--output", str(out)]) == 0
    assert "register: known" in capsys.readouterr().out
    assert (out / "register_check.csv").read_bytes() == before


def test_compare_register_errors(tmp_path, capsys):
    assert main(["compare-register", "--register", str(EXCERPT), "--output", str(tmp_path)]) == 2
    assert "transfers.csv not found" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("x\n", encoding="utf-8")
    assert main(["run", "--input", str(SEEDS), "--output", str(tmp_path / "o"), "--register", str(bad), "--quiet"]) == 2
    assert "no SIPRI trade-register header" in capsys.readouterr().err
    assert not (tmp_path / "o" / "claims.csv").exists()


def deal(designation: str, supplier: str, recipient: str, order_year: str = "2010", ordered: str = "10",
         delivered: str = "10", years: tuple[str, ...] = ("2012",)) -> Deal:
    return Deal(line=1, recipient=recipient, supplier=supplier, designation=designation, description="",
                order_year=order_year, order_year_uncertain=False, number_ordered=ordered,
                number_ordered_uncertain=False, number_delivered=delivered, number_delivered_uncertain=False,
                delivery_years=years, status="New", comments="")


def test_a_maker_prefixed_name_matches_the_numbered_variants_only(gaz):
    codes = CountryCodes(gaz.countries.values())
    checker = RegisterChecker([deal("Hawk-100", "United Kingdom", "Oman"), deal("Sea Hawk", "United Kingdom", "Oman")],
                              gaz.weapons.values(), codes)
    result = checker.check(transfer(recipient="Oman", supplier="United Kingdom", weapon_designation="BAE Hawk",
                                    status="ordered", year_of_order="2010"))
    assert (result["verdict"], result["sipri_designation"]) == ("known", "Hawk-100")


def test_a_digit_after_a_numbered_family_is_another_system(gaz):
    codes = CountryCodes(gaz.countries.values())
    checker = RegisterChecker([deal("M-1117 Guardian", "United States", "Kenya")], gaz.weapons.values(), codes)
    row = transfer(recipient="Kenya", supplier="United States", weapon_designation="M1 Abrams", status="ordered")
    assert checker.check(row)["verdict"] == "not_in_register"


def test_a_row_without_supplier_says_it_cannot_be_looked_up(checker):
    result = checker.check(transfer(recipient="Myanmar", weapon_designation="Su-30SME", status="ordered"))
    assert (result["verdict"], result["differences"]) == ("not_in_register", "no supplier: cannot be looked up")


def test_a_repair_is_not_a_known_transfer(checker):
    row = transfer(recipient="Myanmar", supplier="Russia", weapon_designation="Su-30SME", status="repair")
    result = checker.check(row)
    assert (result["verdict"], result["differences"]) == ("differs", "status: repair (SIPRI records transfers, not repair)")


def test_a_row_gathering_several_sipri_deals_is_compared_with_their_sum(gaz):
    codes = CountryCodes(gaz.countries.values())
    deals = [deal("Rafale", "France", "Qatar", "2015", "24", "24", ("2019", "2020")),
             deal("Rafale", "France", "Qatar", "2017", "12", "12", ("2021", "2022"))]
    checker = RegisterChecker(deals, gaz.weapons.values(), codes)
    row = transfer(recipient="Qatar", supplier="France", weapon_designation="Rafale", status="delivered",
                   number_delivered="36", years_of_delivery="2019; 2022")
    assert checker.check(row)["verdict"] == "known"
    row["number_delivered"] = "40"
    assert checker.check(row)["differences"] == "number_delivered: 40 vs SIPRI 36 (all 2 deals together)"
