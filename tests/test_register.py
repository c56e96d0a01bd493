"""The transfer register does not mislead: reviews count, batches stay apart, reversed directions show."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from extract.reconcile.register import _Claim, _designation, register
from extract.schema import CLAIM_COLUMNS

WEAPONS = {"s-400": ("surface-to-air missile system", "Russia"), "k9": ("self-propelled artillery", "South Korea"),
           "leopard-2a4": ("main battle tank", "Germany")}


def claim(cid: str, **slots: object) -> dict[str, object]:
    row: dict[str, object] = {c: "" for c in CLAIM_COLUMNS}
    row.update(claim_id=cid, claim_type="transfer", polarity="asserted", supplier="South Korea", recipient="Norway",
               weapon_id="k9", weapon="K9", family="K9", status="delivered", doc_ids=f"doc-{cid}",
               outlets=f"Outlet {cid}")
    row.update(slots)
    return row


def test_rejected_claims_feed_no_row_and_needs_check_is_flagged():
    claims = [claim("a", status="ordered", quantity=24, date_value="2021", review_status="rejected"),
              claim("b", status="delivered", quantity=4, date_value="2022-05", review_status="needs_check",
                    review_note="which batch?")]
    (row,) = register(claims, WEAPONS)
    assert row["number_ordered"] == "" and row["year_of_order"] == ""
    assert "a" not in row["claim_ids"].split(";")
    assert row["review"] == "needs_check b (which batch?)"
    only_rejected = [claim("a", review_status="rejected")]
    assert register(only_rejected, WEAPONS) == []


def test_delivery_batches_keep_their_own_year_number_and_sources():
    # "two in 2022", "two more in 2023", "four in 2025": three batches, none absorbed by another
    claims = [claim("a", quantity=2, date_value="2022-03"), claim("b", quantity=2, date_value="2023"),
              claim("c", quantity=4, date_value="2025-01", status="in_service"),
              claim("d", quantity=2, date_value="2022", outlets="Outlet d")]  # the 2022 batch again
    (row,) = register(claims, WEAPONS)
    assert row["deliveries"] == "2022: 2 [Outlet a, Outlet d]; 2023: 2 [Outlet b]; 2025: 4 [Outlet c]"
    assert row["years_of_delivery"] == "2022; 2023; 2025"
    assert row["number_delivered"] == "8"


def test_undated_batch_and_batch_without_number():
    claims = [claim("a", date_value="2024"), claim("b", quantity=3)]
    (row,) = register(claims, WEAPONS)
    assert row["deliveries"] == "2024: ? [Outlet a]; undated: 3 [Outlet b]"
    assert row["years_of_delivery"] == "2024" and row["number_delivered"] == "3"


def test_reversed_direction_is_visible_on_the_row():
    claims = [claim("a", supplier="India", recipient="Russia", weapon_id="s-400", weapon="S-400", family="S-400"),
              claim("b", supplier="Russia", recipient="India", weapon_id="s-400", weapon="S-400", family="S-400",
                    status="ordered")]
    rows = {(r["supplier"], r["recipient"]): r for r in register(claims, WEAPONS)}
    wrong = rows[("India", "Russia")]["direction"]
    assert "recipient Russia is the origin of S-400: reversed?" in wrong
    assert "other claims give Russia -> India for S-400" in wrong
    assert rows[("Russia", "India")]["direction"] == "other claims give India -> Russia for S-400"
    resold = register([claim("c", supplier="Poland", recipient="Ukraine", weapon_id="leopard-2a4",
                             weapon="Leopard 2A4", family="Leopard 2")], WEAPONS)[0]
    assert resold["direction"].startswith("supplier Poland is not the origin of Leopard 2A4 (Germany)")


def test_uncertain_flags_of_the_claims_reach_the_row():
    claims = [claim("a", uncertain="supplier: inferred"), claim("b", date_value="2020", uncertain="date: disputed")]
    (row,) = register(claims, WEAPONS)
    assert row["uncertain"] == "date: disputed; supplier: inferred"



def test_family_level_claim_joins_the_one_variant_named_and_only_then():
    joined = register([claim("a", weapon="K9A1", status="ordered", quantity=24, date_value="2021"),
                       claim("b", quantity=4, date_value="2022")], WEAPONS)
    assert [(r["weapon_designation"], r["claim_ids"]) for r in joined] == [("K9A1", "a;b")]
    two_variants = register([claim("a", weapon="K9A1"), claim("b"), claim("c", weapon="K9A2")], WEAPONS)
    assert [(r["weapon_designation"], r["claim_ids"]) for r in two_variants] == [("K9", "b"), ("K9A1", "a"),
                                                                                 ("K9A2", "c")]
    other_recipient = register([claim("a", weapon="K9A1", recipient="Poland"), claim("b")], WEAPONS)
    assert [(r["recipient"], r["weapon_designation"]) for r in other_recipient] == [("Norway", "K9"), ("Poland", "K9A1")]


def test_rows_are_sorted_by_supplier_recipient_and_designation():
    claims = [claim("a", supplier="Russia", recipient="India", weapon="S-400", family="S-400", weapon_id="s-400"),
              claim("b", recipient="Poland"), claim("c"), claim("d", supplier="")]
    assert [(r["supplier"], r["recipient"], r["claim_ids"]) for r in register(claims, WEAPONS)] == [
        ("", "Norway", "d"), ("Russia", "India", "a"), ("South Korea", "Norway", "c"), ("South Korea", "Poland", "b")]


def test_orders_are_listed_by_year_then_claim_id():
    claims = [claim("c", status="ordered", quantity=10, date_value="2023-02"),
              claim("b", status="ordered", quantity=6, date_value="2021"),
              claim("a", status="ordered", quantity=6, date_value="2021-07"), claim("d", status="ordered", quantity=3)]
    (row,) = register(claims, WEAPONS)
    assert row["year_of_order"] == "2021; 2023" and row["number_ordered"] == "3; 6; 10"
    assert row["status"] == "ordered"


def test_negated_and_hypothetical_claims_give_no_figures_but_are_named():
    claims = [claim("a", polarity="negated", quantity=10, date_value="2022"),
              claim("b", polarity="hypothetical", status="ordered", quantity=5, doc_ids="doc-x;doc-y")]
    (row,) = register(claims, WEAPONS)
    assert row["number_delivered"] == row["number_ordered"] == row["deliveries"] == ""
    assert row["status"] == "delivered; ordered"  # no asserted stage: the statuses as stated
    assert row["comments"] == "negated delivered claim (doc-a) | hypothetical ordered claim (doc-x;doc-y)"
    assert row["doc_ids"] == "doc-a;doc-x;doc-y"


def test_designation_is_the_most_named_variant_and_ties_take_the_first_in_sorted_order():
    def claims(*weapons: str) -> list[_Claim]:
        return [_Claim(*[""] * len(_Claim._fields))._replace(weapon=w, family="K9") for w in weapons]
    assert _designation(claims("K9A2", "K9A1")) == "K9A1"
    assert _designation(claims("K9", "K9B", "K9A", "K9B")) == "K9B"
    assert _designation(claims("K9", "", "K9A")) == "K9A"
    assert _designation(claims("K9", "")) == "K9"  # no variant named: the first claim's weapon

@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "2021", "2022-03", "2023"]), st.sampled_from(["", 1, 2, 4]),
                          st.sampled_from(["delivered", "in_service", "ordered", "offered"]),
                          st.sampled_from(["", "", "rejected", "needs_check"])), max_size=8))
def test_any_claims_give_consistent_rows(items):
    claims = [claim(f"c{i}", date_value=d, quantity=q, status=s, review_status=r) for i, (d, q, s, r) in enumerate(items)]
    rows = register(claims, WEAPONS)
    live = [c for c in claims if c["review_status"] != "rejected"]
    assert len(rows) == (1 if live else 0)
    for row in rows:
        batches = [b for b in row["deliveries"].split("; ") if b]
        numbers = [int(b.split(": ")[1].split(" ")[0]) for b in batches if b.split(": ")[1][0].isdigit()]
        assert row["number_delivered"] == (str(sum(numbers)) if numbers else "")
        years = [b.split(":")[0] for b in batches if not b.startswith("undated")]
        assert row["years_of_delivery"] == "; ".join(dict.fromkeys(years))
        assert all(c["claim_id"] not in row["claim_ids"].split(";") for c in claims if c["review_status"] == "rejected")
