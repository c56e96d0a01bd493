"""Input formats (.html, .md, .jsonl), --recursive, and a folder with no readable article."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SEEDS, snapshot
from extract.cli import main
from extract.corpus.files import NoArticlesError, iter_documents
from extract.corpus.formats import html_text, jsonl_lines, markdown_text
from extract.engine.runner import run
from extract.knowledge.gazetteer import load

HTML = """<!doctype html><html><head><title>Chile buys tanks</title><style>p { color: red }</style>
<script>var Leopard = "not text";</script></head>
<body><nav><a href="/">Home</a></nav><h1>Chile &amp; Germany</h1>
<p>Chile received   four Leopard 2
tanks from Germany in March 2019, the ministry said.</p><p>Deliveries end in 2020.</p></body></html>"""

MARKDOWN = """# Kenya orders patrol boats

Kenya **ordered** two [Gripen](https://example.org/gripen) fighters from *Sweden* in May 2021.

> The deal was signed in Nairobi.
"""


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_html_text_is_what_a_reader_sees():
    text, title = html_text(HTML)
    assert title == "Chile buys tanks"
    assert "var Leopard" not in text and "color" not in text
    assert "Chile received four Leopard 2 tanks from Germany in March 2019, the ministry said.\n\n" in text
    assert text.startswith("Home\n\nChile & Germany\n\n")


def test_markdown_markup_is_taken_out():
    text, title = markdown_text(MARKDOWN)
    assert title == "Kenya orders patrol boats"
    assert "Kenya ordered two Gripen fighters from Sweden in May 2021." in text
    assert "https://" not in text and "The deal was signed in Nairobi." in text


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "chile.html").write_text(HTML, encoding="utf-8")
    (folder / "kenya.md").write_text(MARKDOWN, encoding="utf-8")
    lines = [
        {"id": "peru-1", "text": "Peru signed a contract for six KAI KT-1 trainers from South Korea in 2022.",
         "published": "2022-11-03", "source": "Andina", "url": "https://example.org/peru-1"},
        "{not json",
        {"id": "empty", "text": ""},
    ]
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines) + "\n",
                                       encoding="utf-8")
    (folder / "sub").mkdir()
    shutil.copy(SEEDS / "004_4ab999952ab3537c.txt", folder / "sub" / "myanmar.txt")
    (folder / "chile.txt").write_text("A second chile.", encoding="utf-8")
    return folder


def test_folder_listing_formats_recursion_and_duplicates(mixed_folder):
    lexicon = load().lexicon
    flat = {d.doc_id: d for d in iter_documents(mixed_folder, lexicon)}
    assert "sub/myanmar" not in flat
    deep = {d.doc_id: d for d in iter_documents(mixed_folder, lexicon, recursive=True)}
    assert deep["sub/myanmar"].status == "ok"
    peru = deep["peru-1"]
    assert (peru.source, peru.url, str(peru.published), peru.path) == \
        ("Andina", "https://example.org/peru-1", "2022-11-03", f"{mixed_folder / 'feed.jsonl'}:1")
    skipped = {d.path: d.reason for d in deep.values() if d.status == "skipped"}
    assert skipped[f"{mixed_folder / 'feed.jsonl'}:2"].startswith(f"{mixed_folder / 'feed.jsonl'}:2: not JSON")
    assert skipped[f"{mixed_folder / 'feed.jsonl'}:3"].endswith(":3: no text")
    assert deep["chile"].path.endswith("chile.html")  # .html sorts first; the .txt of the same name is skipped
    assert skipped[str(mixed_folder / "chile.txt")] == f"doc_id 'chile' already taken by {mixed_folder / 'chile.html'}"
    assert deep["chile"].title == "Chile buys tanks" and deep["kenya"].title == "Kenya orders patrol boats"


def test_run_on_mixed_formats_keeps_offsets_against_the_extracted_text(mixed_folder, tmp_path):
    summary = run(mixed_folder, tmp_path, recursive=True)
    assert summary.documents == 7 and summary.skipped == 3
    docs = {d.doc_id: d for d in iter_documents(mixed_folder, load().lexicon, recursive=True)}
    entities = read(tmp_path / "entities.csv")
    for entity in entities:
        assert docs[entity["doc_id"]].text[int(entity["start_char"]):int(entity["end_char"])] == entity["text"]
    assert {"chile", "kenya", "peru-1", "sub/myanmar"} <= {e["doc_id"] for e in entities}
    rows = {d["doc_id"]: d for d in read(tmp_path / "documents.csv")}
    assert rows["peru-1"]["source"] == "Andina" and rows["chile"]["reason"] == "text extracted from HTML"
    claims = read(tmp_path / "claims.csv")
    assert any(c["recipient"] == "Chile" and c["supplier"] == "Germany" for c in claims)


def test_a_folder_without_readable_article_is_an_error_and_keeps_the_outputs(tmp_path, capsys):
    out, articles = tmp_path / "out", tmp_path / "in"
    articles.mkdir()
    shutil.copy(SEEDS / "004_4ab999952ab3537c.txt", articles)
    assert main(["run", "--input", str(articles), "--output", str(out), "--quiet"]) == 0
    before = snapshot(out)
    empty = tmp_path / "empty"
    (empty / "2024").mkdir(parents=True)
    assert main(["run", "--input", str(empty), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: no readable article in {empty}") and "--recursive" in err
    (empty / "blank.txt").write_text("   \n", encoding="utf-8")
    (empty / "data.bin.txt").write_bytes(b"\x00\x01\x02" * 10)
    with pytest.raises(NoArticlesError, match="2 file\\(s\\), all skipped"):
        run(empty, out)
    assert snapshot(out) == before  # not replaced by empty tables


@given(st.text(max_size=300))
def test_html_text_never_fails_and_keeps_no_markup_of_a_tag(html):
    text, title = html_text(html)
    assert isinstance(text, str) and isinstance(title, str)
    assert "<script" not in text.lower() or "<script" in html.lower()


@given(st.one_of(st.text(max_size=80), st.dictionaries(st.sampled_from(["id", "text", "published", "source", "url"]),
                                                        st.one_of(st.text(max_size=20), st.integers(), st.none()))))
def test_any_jsonl_line_is_an_article_or_a_reason(tmp_path_factory, record):
    path = tmp_path_factory.mktemp("jsonl") / "feed.jsonl"
    line = record if isinstance(record, str) else json.dumps(record)
    path.write_text(line.replace("\n", " ").replace("\r", " ") + "\n", encoding="utf-8")
    for doc in jsonl_lines(path):
        assert (doc.problem == "") == (bool(doc.text.strip()) and doc.doc_id != "")
        assert not doc.problem or doc.problem.startswith(f"{path}:1: ")
