"""Provenance: how each value was obtained (date_basis, '?' flags), and the manifest's outlet, url
and title in every table."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from conftest import write_gazetteers
from extract.engine.runner import run
from extract.reconcile.cluster import Reconciler, merged_uncertainty
from extract.schema import MENTION_COLUMNS


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_stated_date_and_supplier_from_the_system_origin(claims_of):
    (row,) = claims_of("Egypt received six Su-30SME fighter jets in March 2023.", "transfer")
    assert row["date_basis"] == "explicit"
    assert row["uncertain"] == "supplier: inferred"  # weapons.csv origin, not the sentence


def test_inferred_date_is_flagged(claims_of):
    text = ("The ministry published its review on 4 June 2021. "
            "Egypt received six Su-30SME fighter jets from Russia last year.")
    (row,) = claims_of(text, "transfer")
    assert row["date_value"] == "2020" and row["date_basis"] == "inferred"
    assert row["uncertain"] == "date: inferred"
    (dated,) = claims_of(text, "transfer", published=dt.date(2021, 6, 10))
    assert dated["date_basis"] == "published" and dated["uncertain"] == ""


def mention(mid: str, doc: str, **slots: object) -> dict[str, object]:
    row: dict[str, object] = {c: "" for c in MENTION_COLUMNS}
    row.update(mention_id=mid, doc_id=doc, claim_type="transfer", polarity="asserted", supplier="France",
               recipient="Egypt", weapon="Rafale", family="Rafale", weapon_id="rafale", status="ordered",
               quantity=30, start_char=0, end_char=10)
    row.update(slots)
    return row


def test_claim_flags_lifted_by_one_stating_source_and_disputed_values():
    rows = [mention("m1", "a", uncertain="supplier: inferred", date_value="2015"),
            mention("m2", "b", uncertain="", date_value="2016")]
    claim = {"supplier": "France", "date_value": "2015"}
    assert merged_uncertainty(rows, claim, ["date: 2015 [a] vs 2016 [b]"]) == "date: disputed"
    rows[1]["uncertain"] = "supplier: context"
    assert merged_uncertainty(rows, claim, []) == "supplier: context"


def test_independent_sources_count_outlets():
    texts = ["Egypt has ordered 30 more Rafale fighter jets from France, officials said on Tuesday.",
             "France will build another 30 Rafale jets for the Egyptian air force under the new order."]
    same = [mention("m1", "a", evidence=texts[0], source="Agence X"),
            mention("m2", "b", evidence=texts[1], source="Agence X")]
    other = [mention("m1", "a", evidence=texts[0], source="Agence X"),
             mention("m2", "b", evidence=texts[1], source="Daily Y")]
    reconciler = Reconciler()
    (claim,) = reconciler.reconcile(same)
    assert (claim["n_sources"], claim["n_independent"], claim["outlets"]) == (2, 1, "Agence X")
    (claim,) = reconciler.reconcile(other)
    assert (claim["n_sources"], claim["n_independent"], claim["outlets"]) == (2, 2, "Agence X;Daily Y")


def test_manifest_source_url_and_title_reach_documents_mentions_and_claims(tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "a1.txt").write_text("Paris, 3 May 2024\n\nEgypt ordered 30 Rafale fighter jets from France "
                                     "in May 2024, the ministry said.\n", encoding="utf-8")
    (articles / "a2.txt").write_text("Cairo\n\nEgypt received six Su-30SME fighter jets from Russia in 2023.\n",
                                     encoding="utf-8")
    (articles / "manifest.csv").write_text(
        "doc_id,published,source,title,url\n"
        "a1,2024-05-03,Agence X,Egypt orders Rafales,https://example.org/a1\n"
        "a2,2024-05-04,Daily Y,,\n", encoding="utf-8")
    out = tmp_path / "out"
    run(articles, out, write_gazetteers(tmp_path / "gaz"))
    docs = {d["doc_id"]: d for d in read(out / "documents.csv")}
    assert (docs["a1"]["source"], docs["a1"]["url"], docs["a1"]["title"]) == \
        ("Agence X", "https://example.org/a1", "Egypt orders Rafales")
    assert (docs["a2"]["source"], docs["a2"]["url"]) == ("Daily Y", "")
    mentions = {m["doc_id"]: m for m in read(out / "mentions.csv") if m["claim_type"] == "transfer"}
    assert (mentions["a1"]["source"], mentions["a1"]["url"], mentions["a1"]["title"]) == \
        ("Agence X", "https://example.org/a1", "Egypt orders Rafales")
    claims = {c["weapon"]: c for c in read(out / "claims.csv") if c["claim_type"] == "transfer"}
    assert (claims["Rafale"]["outlets"], claims["Rafale"]["urls"], claims["Rafale"]["titles"]) == \
        ("Agence X", "https://example.org/a1", "Egypt orders Rafales")
    assert claims["Su-30SME"]["outlets"] == "Daily Y" and claims["Su-30SME"]["date_basis"] == "explicit"


def test_flags_from_basis_words():
    from extract.claims.mention import uncertainty

    def flags(basis: str, **slots: object) -> str:
        row = {"basis": basis, "supplier": "Chile", "recipient": "Peru", "speaker": "the minister",
               "parties": "Peru", "weapon": "Rafale"}
        row.update(slots)
        return uncertainty(row)

    assert flags("supplier: origin of the system (weapons.csv)") == "supplier: inferred"
    assert flags("recipient: the country the document names most") == "recipient: context"
    assert flags("speaker: pronoun -> last person who spoke") == "speaker: context"
    assert flags("actor from the document (the recipient of its transfers)") == "parties: context"
    assert flags("anaphor 'the jets' -> Rafale") == "weapon: context"
    assert flags("recipient from the restatement at 10-40") == ""          # stated by the claim's other sentence
    assert flags("recipient: subject of 'bought'; supplier 'from Chile'") == ""
    assert flags("date from the restatement at 10-40", date_value="2020", _date_outside=True) == ""
    assert flags("", date_value="2020", _date_outside=True) == "date: context"
    assert flags("", date_value="2020", date_basis="inferred") == "date: inferred"
