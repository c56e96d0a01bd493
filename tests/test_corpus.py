"""Reading articles: encodings, bad files, the manifest and boilerplate."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SEEDS
from extract.corpus.files import decode, iter_documents, load_manifest, read_document


def test_decode_utf8_and_bom():
    assert decode("Myanmar’s".encode()) == ("Myanmar’s", "utf-8", "")
    assert decode(b"\xef\xbb\xbfHello") == ("Hello", "utf-8-sig", "")


def test_decode_other_encoding_is_reported():
    text, encoding, note = decode("Défense: la France livre des Rafale à l'Égypte. " .encode("cp1252") * 5)
    assert text is not None and "Rafale" in text and encoding and "not UTF-8" in note


@pytest.mark.parametrize("data, reason", [(b"", "empty"), (b"  \n\n", "empty"), (b"PK\x03\x04\x00\x00binary", "binary")])
def test_decode_rejects(data, reason):
    text, _, note = decode(data)
    assert text is None and reason in note


def test_bad_files_are_skipped_with_reason(tmp_path, small_gaz):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "big.txt").write_text("word " * 1000)
    (tmp_path / "ok.txt").write_text("Russia delivered Su-30 jets.")
    docs = {d.doc_id: d for d in iter_documents(tmp_path, small_gaz.lexicon, max_bytes=2000)}
    assert docs["ok"].status == "ok"
    assert docs["empty"].status == "skipped" and "empty" in docs["empty"].reason
    assert docs["bin"].status == "skipped" and "binary" in docs["bin"].reason
    assert docs["big"].status == "skipped" and "too large" in docs["big"].reason


def test_manifest(tmp_path, caplog):
    path = tmp_path / "manifest.csv"
    path.write_text("doc_id,published,source,title\na,2021-09-07,Janes,Title A\nb,not-a-date,X,\n,2020-01-01,,\n")
    entries = load_manifest(path)
    assert entries["a"].published == dt.date(2021, 9, 7) and entries["a"].title == "Title A"
    assert entries["b"].published is None
    assert "manifest.csv:3" in caplog.text and "manifest.csv:4" in caplog.text


def test_manifest_sets_published_and_title(tmp_path, small_gaz):
    (tmp_path / "a.txt").write_text("Headline\n\nBody text.")
    (tmp_path / "manifest.csv").write_text("doc_id,published,source,title\na,2021-09-07,Janes,From manifest\n")
    doc = next(iter_documents(tmp_path, small_gaz.lexicon))
    assert (doc.published, doc.published_from, doc.title) == (dt.date(2021, 9, 7), "manifest", "From manifest")


SEED_BOILERPLATE = {
    "000_7ea85127e12bea57": ["No time to read?", "Get a summary", "She-Hulk", "Genshin-Inspired Clone"],
    "001_07f86e086a543867": ["This website uses cookies"],
    "002_f52c2b5e55cb2488": ["Already a Janes subscriber?", "Interested in subscribing"],
    "003_f74c7756d2024aa6": ["UNITED24 - Make a charitable donation", "Join the GlobalSecurity.org mailing list"],
    "004_4ab999952ab3537c": ["Related news", "© 2021. All rights reserved."],
}


@pytest.mark.parametrize("doc_id, phrases", SEED_BOILERPLATE.items())
def test_seed_boilerplate_blanked(small_gaz, doc_id, phrases):
    doc = read_document(SEEDS / f"{doc_id}.txt", small_gaz.lexicon, {})
    clean = doc.clean_text
    assert len(clean) == len(doc.text)
    for phrase in phrases:
        assert phrase in doc.text and phrase not in clean
    for start, end in doc.boilerplate:
        assert doc.text[start:end].strip() and not clean[start:end].strip()


def test_article_body_is_not_boilerplate(small_gaz):
    doc = read_document(SEEDS / "004_4ab999952ab3537c.txt", small_gaz.lexicon, {})
    assert "NP News - April 2" in doc.clean_text
    assert "Su-30SME fighter jets" in doc.clean_text
