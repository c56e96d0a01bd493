"""The output columns are a contract: pinned here and documented in the README."""

from __future__ import annotations

from conftest import ROOT
from extract.schema import (CLAIM_COLUMNS, DOCUMENT_COLUMNS, ENTITY_COLUMNS, MENTION_COLUMNS,
                            REGISTER_CHECK_COLUMNS, REVIEW_COLUMNS, REVIEW_LOG_COLUMNS, SUGGESTION_COLUMNS,
                            TRANSFER_COLUMNS)


def test_document_columns():
    assert DOCUMENT_COLUMNS == ("doc_id", "path", "title", "source", "url", "published", "published_from", "encoding", "n_chars",
                                "n_sentences", "boilerplate", "status", "reason")


def test_entity_columns():
    assert ENTITY_COLUMNS == ("doc_id", "entity_type", "entity_id", "canonical", "family", "subtype", "text",
                              "start_char", "end_char", "sentence_index", "matcher", "basis", "value", "timex",
                              "date_start", "date_end", "granularity", "date_basis")


def test_mention_columns():
    assert MENTION_COLUMNS == ("mention_id", "doc_id", "claim_type", "supplier", "recipient", "weapon_id", "weapon",
                               "family", "status", "quantity", "value_usd", "people", "speaker", "quote", "place",
                               "parties", "name", "polarity", "attributed_to", "date_text", "date_value", "date_start",
                               "date_end", "date_basis", "uncertain", "evidence", "start_char", "end_char",
                               "other_spans", "rule_id", "basis", "source", "url", "title", "date_weak")


def test_claim_transfer_review_columns():
    slots = MENTION_COLUMNS[MENTION_COLUMNS.index("supplier"):MENTION_COLUMNS.index("evidence")]
    assert CLAIM_COLUMNS == ("claim_id", "claim_type", *slots, "supplier_iso3", "recipient_iso3", "parties_iso3",
                             "n_sources", "n_independent", "doc_ids", "outlets", "urls", "titles",
                             "mention_ids", "first_published", "conflicts", "evidence", "review_status", "review_note")
    assert TRANSFER_COLUMNS == ("recipient", "supplier", "recipient_iso3", "supplier_iso3", "year_of_order", "number_ordered", "weapon_designation",
                                "weapon_description", "number_delivered", "years_of_delivery", "deliveries", "status",
                                "uncertain", "review", "direction", "comments", "claim_ids", "doc_ids")
    assert REGISTER_CHECK_COLUMNS == (
        "recipient", "supplier", "weapon_designation", "status", "year_of_order", "number_ordered", "number_delivered",
        "years_of_delivery", "claim_ids", "verdict", "differences", "n_sipri", "sipri_designation", "sipri_order_year",
        "sipri_number_ordered", "sipri_number_delivered", "sipri_delivery_years", "sipri_lines")
    assert REVIEW_COLUMNS == ("claim_id", "review_status", "review_note", "reviewer", "reviewed_at")
    assert REVIEW_LOG_COLUMNS == ("seq", *REVIEW_COLUMNS, "action", "source", "mention_ids", "extra")
    assert SUGGESTION_COLUMNS == ("rank", "kind", "text", "count", "n_docs", "doc_ids", "example", "proposed_row",
                                  "reason")


def test_readme_documents_every_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for column in DOCUMENT_COLUMNS + ENTITY_COLUMNS + MENTION_COLUMNS + CLAIM_COLUMNS + TRANSFER_COLUMNS + \
            REVIEW_COLUMNS + REVIEW_LOG_COLUMNS + SUGGESTION_COLUMNS + REGISTER_CHECK_COLUMNS:
        assert f"`{column}`" in readme, column
