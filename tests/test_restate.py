"""One mention per claim per document: restatements merge, distinct claims stay apart."""

from __future__ import annotations

from extract.claims import restate
from extract.schema import MENTION_COLUMNS


def row(claim_type: str, start: int, **slots: object) -> dict[str, object]:
    r: dict[str, object] = {c: "" for c in MENTION_COLUMNS}
    r.update(doc_id="d", claim_type=claim_type, polarity="asserted", start_char=start, end_char=start + 10,
             evidence="x" * 10)
    r.update(slots)
    return r


def test_a_later_sentence_giving_the_quantity_is_the_same_order(claims_of):
    text = "Egypt ordered Rafale jets from France in May 2021. The order covers 30 Rafale jets, officials said."
    rows = claims_of(text, "transfer")
    assert len(rows) == 1
    merged = rows[0]
    assert (merged["quantity"], merged["date_value"], merged["start_char"]) == (30, "2021-05", 0)
    second = text.index("The order")
    assert merged["other_spans"] == f"{second}-{len(text)}"
    assert f"quantity from the restatement at {second}-{len(text)}" in str(merged["basis"])


def test_two_orders_with_different_quantities_and_dates_stay_two(claims_of):
    rows = claims_of("Poland ordered 180 K2 tanks from South Korea in 2022. In 2025 Poland ordered 96 more K2 tanks.",
                     "transfer")
    assert [(r["quantity"], r["date_value"], r["other_spans"]) for r in rows] == [(180, "2022", ""), (96, "2025", "")]


def test_a_restatement_dates_the_claim(claims_of):
    rows = claims_of("Taiwan received the Patriot systems from the United States. "
                     "The Patriot systems arrived in Taiwan on 3 March 2024.", "transfer")
    assert [(r["supplier"], r["recipient"], r["date_value"]) for r in rows] == [("United States", "Taiwan", "2024-03-03")]


def test_items_of_one_sentence_are_never_merged():
    a = row("transfer", 0, weapon_id="su-30", weapon="Su-30", family="Su-30", status="delivered")
    b = row("transfer", 0, weapon_id="su-30sme", weapon="Su-30SME", family="Su-30", status="delivered")
    assert not restate.agree(a, b)
    b["start_char"], b["end_char"] = 50, 60
    assert restate.agree(a, b)  # a family row and its variant in two sentences


def test_different_statuses_variants_or_polarities_are_different_claims():
    a = row("transfer", 0, weapon_id="k2pl", weapon="K2PL", family="K2", status="ordered")
    assert not restate.agree(a, row("transfer", 50, weapon_id="k2gf", weapon="K2GF", family="K2", status="ordered"))
    assert not restate.agree(a, row("transfer", 50, weapon_id="k2pl", weapon="K2PL", family="K2", status="delivered"))
    assert not restate.agree(a, row("transfer", 50, weapon_id="k2pl", weapon="K2PL", family="K2", status="ordered",
                                    polarity="hypothetical"))


def test_dates_agree_when_one_range_holds_the_other():
    a = row("transfer", 0, weapon_id="x", status="ordered", date_value="2025-08", date_start="2025-08-01",
            date_end="2025-08-31")
    b = row("transfer", 50, weapon_id="x", status="ordered", date_value="2025-08-01", date_start="2025-08-01",
            date_end="2025-08-01")
    assert restate.agree(a, b)
    b.update(date_value="2022", date_start="2022-01-01", date_end="2022-12-31")
    assert not restate.agree(a, b)


def test_other_claim_types_need_a_slot_stated_alike():
    """Two unnamed, undated agreements between the same parties may be two agreements."""
    a = row("agreement", 0, parties="Chile;Spain")
    assert not restate.agree(a, row("agreement", 50, parties="Chile;Spain"))
    assert restate.agree(a | {"name": "Defence Cooperation Agreement"},
                         row("agreement", 50, parties="Chile;Spain", name="Defence Cooperation Agreement"))
    met = row("meeting", 0, people="Ana Lopez;Raj Patel", place="Lima")
    assert restate.agree(met, row("meeting", 50, people="Raj Patel", place="Lima"))
    assert not restate.agree(met, row("meeting", 50, people="Raj Patel", place="Quito"))
    assert not restate.agree(met, row("meeting", 50, people="Raj Patel"))


def test_merge_keeps_the_most_explicit_mention_and_the_order():
    bare = row("meeting", 0, people="Raj Patel", place="Lima")
    full = row("meeting", 50, people="Ana Lopez;Raj Patel", place="Lima", date_value="2024-05-02",
               date_start="2024-05-02", date_end="2024-05-02", date_text="2 May 2024")
    other = row("meeting", 100, people="Li Wei", place="Beijing")
    merged = restate.merge([bare, full, other])
    assert [m["start_char"] for m in merged] == [50, 100]
    assert merged[0]["other_spans"] == "0-10"


def test_a_quote_repeated_in_part_is_one_statement():
    a = row("statement", 0, speaker="Raj Patel", quote="We will buy the best tanks we can find for our army")
    b = row("statement", 50, speaker="Raj Patel", quote="the best tanks we can find")
    assert restate.agree(a, b)
    assert not restate.agree(a, b | {"speaker": "Ana Lopez"})
    assert not restate.agree(a, b | {"quote": "an entirely different remark"})


def test_a_variant_in_a_breakdown_is_a_part_not_a_restatement():
    deal = row("transfer", 0, weapon_id="su-30", weapon="Su-30", family="Su-30", status="ordered", value_usd="900")
    part = row("transfer", 50, weapon_id="su-30sme", weapon="Su-30SME", family="Su-30", status="ordered",
               quantity=8, **{restate.PART: restate.VARIANT})
    assert len(restate.merge([deal, part])) == 2
    assert len(restate.merge([deal, {**part, restate.PART: ""}])) == 1  # a variant alone restates the deal


def test_a_restatement_fitting_two_claims_joins_the_one_stated_first():
    main = row("transfer", 0, weapon_id="k2", weapon="K2", family="K2", status="ordered", value_usd="500",
               date_value="2025", date_start="2025-01-01", date_end="2025-12-31")
    background = row("transfer", 200, weapon_id="k2", weapon="K2", family="K2", status="ordered", quantity=40,
                     recipient="Egypt", date_value="2019", date_start="2019-01-01", date_end="2019-12-31")
    again = row("transfer", 100, weapon_id="k2", weapon="K2", family="K2", status="ordered", quantity=40)
    merged = restate.merge([main, again, background])
    assert [(r["start_char"], r["other_spans"]) for r in merged] == [(0, "100-110"), (200, "")]


def test_quantity_before_a_quoted_designation(claims_of):
    row_ = claims_of("Egypt will receive 24 upgraded “Rafale F4” jets from France.", "transfer")[0]
    assert row_["quantity"] == 24


def test_one_of_a_whole_is_its_own_delivery(claims_of):
    """ "The third of four Rafale jets" is one jet: not merged into the order of the four."""
    rows = claims_of("Egypt ordered Rafale jets from France in 2021. The third of four Rafale jets will be "
                     "delivered to Egypt in June.", "transfer")
    assert [r["quantity"] for r in rows] == ["", 1]
