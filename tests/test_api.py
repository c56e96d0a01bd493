"""The Python API: extract.run and extract.load give typed DataFrames; CSV cells round-trip."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import extract
from conftest import SEEDS
from extract.api import TABLES, read_table
from extract.outputs.writers import CsvStream


@pytest.fixture(scope="module")
def api_run(tmp_path_factory) -> extract.Result:
    return extract.run(SEEDS, tmp_path_factory.mktemp("api"))


def test_run_returns_typed_dataframes(api_run):
    claims = api_run.claims
    assert isinstance(claims, pd.DataFrame) and len(claims) == api_run.summary.reconciled
    assert str(claims["n_sources"].dtype) == "Int64" and str(claims["quantity"].dtype) == "Int64"
    assert str(claims["claim_id"].dtype) == "string" and str(claims["evidence"].dtype) == "string"
    assert pd.api.types.is_datetime64_any_dtype(claims["first_published"])
    assert pd.api.types.is_datetime64_any_dtype(api_run.documents["published"])
    assert str(api_run.entities["start_char"].dtype) == "Int64"
    assert claims["quantity"].isna().any() and not (claims["speaker"] == "").any()  # missing is <NA>, never ""
    su30 = claims[(claims.weapon == "Su-30SME") & (claims.status == "ordered")].iloc[0]
    assert su30.quantity == 6 and su30.supplier == "Russia"
    # Offsets index the text: the DataFrame is usable as it is.
    entity = api_run.entities.iloc[0]
    text = (SEEDS / f"{entity.doc_id}.txt").read_text(encoding="utf-8")
    assert text[entity.start_char:entity.end_char] == entity.text


def test_load_reads_a_finished_run_back_the_same_way(api_run):
    loaded = extract.load(api_run.output)
    assert set(loaded.tables()) == set(TABLES)
    for name, table in api_run.tables().items():
        pd.testing.assert_frame_equal(table, loaded.tables()[name], obj=name)


def test_load_names_a_folder_that_is_not_a_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="no claims.csv"):
        extract.load(tmp_path)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), min_size=1, max_size=5))
def test_csv_cells_round_trip_through_the_formula_guard(tmp_path_factory, values):
    path = Path(tmp_path_factory.mktemp("csv")) / "t.csv"
    stream = CsvStream(path, ("doc_id",))
    stream.write_all({"doc_id": v} for v in values)
    stream.close()
    back = read_table(path, ("doc_id",))["doc_id"].tolist()
    assert back == [v if v != "" else pd.NA for v in values]
