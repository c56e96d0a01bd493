"""Incremental runs: the per-document cache reuses unchanged documents and gives a full run's bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import SEEDS, snapshot
from extract.cli import main
from extract.corpus.files import Document
from extract.engine import cache as cache_module
from extract.engine.cache import DocumentCache, document_key
from extract.engine.runner import run
from extract.entities.annotate import DocumentResult
from extract.knowledge.gazetteer import DEFAULT_DIR

# An article of our own (not from any outlet), added to the corpus between runs.
NEW_ARTICLE = """Norway to buy K9 howitzers from South Korea

OSLO, March 3, 2024 - Norway signed a contract to buy 24 K9 Thunder self-propelled howitzers from
South Korea, the Norwegian defence ministry said on Tuesday. Deliveries are planned for 2026.
"""


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:4]:
        shutil.copy(path, folder / path.name)
    return folder


def full_run(folder: Path, out: Path, **kwargs) -> dict[str, bytes]:
    run(folder, out, cache=False, **kwargs)
    return snapshot(out)


def test_rerun_after_adding_changing_and_removing_documents_equals_a_full_run(tmp_path):
    folder = corpus(tmp_path)
    out = tmp_path / "out"
    first = run(folder, out)
    assert first.cache_reused == 0
    assert snapshot(out) == full_run(folder, tmp_path / "full0")

    docs = sorted(folder.glob("*.txt"))
    (folder / "zz_norway_k9.txt").write_text(NEW_ARTICLE, encoding="utf-8")              # added
    docs[0].write_text(docs[0].read_text(encoding="utf-8") + "\nThe minister left on Friday.\n",
                       encoding="utf-8")                                                     # changed
    docs[1].unlink()                                                                         # removed
    (folder / "manifest.csv").write_text(f"doc_id,published,source\n{docs[2].stem},2023-05-01,Example Wire\n",
                                         encoding="utf-8")                                   # manifest row
    # the full run starts from the same previous outputs: claim ids carry over from them (issue 9)
    shutil.copytree(out, tmp_path / "full1", ignore=shutil.ignore_patterns(".cache"))
    second = run(folder, out)
    assert (second.documents, second.cache_reused) == (4, 1)  # only docs[3] is unchanged
    assert snapshot(out) == full_run(folder, tmp_path / "full1")

    third = run(folder, out)
    assert third.cache_reused == 4
    assert snapshot(out) == full_run(folder, tmp_path / "full1")
    entries = [p for p in (out / ".cache").rglob("*") if p.is_file()]
    assert len(entries) == 4  # the entries of removed or changed documents are gone


def test_a_gazetteer_change_invalidates_its_own_cache_only(tmp_path):
    folder = corpus(tmp_path)
    gazetteers = tmp_path / "gaz"
    shutil.copytree(DEFAULT_DIR, gazetteers)
    out = tmp_path / "out"
    run(folder, out, gazetteer_dir=gazetteers)
    weapons = gazetteers / "weapons.csv"
    original = weapons.read_bytes()
    weapons.write_bytes(original + b"k9-thunder-test,K9 Thunder Test,K9 Thunder Test,self-propelled howitzer,"
                                   b"South Korea,,test,2026-12-02\n")
    changed = run(folder, out, gazetteer_dir=gazetteers)
    assert changed.cache_reused == 0
    assert snapshot(out) == full_run(folder, tmp_path / "full", gazetteer_dir=gazetteers)
    weapons.write_bytes(original)  # back to the first gazetteer: its cache is still there
    back = run(folder, out, gazetteer_dir=gazetteers)
    assert back.cache_reused == 4
    assert len(list((out / ".cache").glob("v-*/g-*"))) == 2


def test_damaged_entries_are_recomputed_and_no_cache_forces_a_full_run(tmp_path, capsys):
    folder = corpus(tmp_path)
    out = tmp_path / "out"
    run(folder, out)
    expected = snapshot(out)
    entries = sorted(p for p in (out / ".cache").rglob("*") if p.is_file())
    entries[0].write_bytes(entries[0].read_bytes()[:-10])    # truncated
    entries[1].write_bytes(b"not an entry")                   # garbage
    rerun = run(folder, out)
    assert rerun.cache_reused == 2
    assert snapshot(out) == expected
    assert main(["run", "--input", str(folder), "--output", str(out), "--no-cache"]) == 0
    assert "cache:" not in capsys.readouterr().out
    assert snapshot(out) == expected


def test_cache_dir_option_and_an_unwritable_cache(tmp_path, monkeypatch):
    folder = corpus(tmp_path)
    out, elsewhere = tmp_path / "out", tmp_path / "cache"
    assert main(["run", "--input", str(folder), "--output", str(out), "--cache-dir", str(elsewhere), "--quiet"]) == 0
    assert not (out / ".cache").exists() and len([p for p in elsewhere.rglob("*") if p.is_file()]) == 4
    expected = snapshot(out)

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    summary = run(folder, tmp_path / "out2", cache_dir=tmp_path / "cache2")  # goes on without the cache
    monkeypatch.undo()
    assert summary.cache_reused == 0
    assert snapshot(tmp_path / "out2") == expected


def test_the_key_covers_every_field_of_the_document():
    base = Document("d1", "in/d1.txt", text="Text.", source="Wire")
    assert document_key(base) == document_key(Document("d1", "in/d1.txt", text="Text.", source="Wire"))
    for other in (Document("d2", "in/d1.txt", text="Text.", source="Wire"),
                  Document("d1", "in/d1.txt", text="Text!", source="Wire"),
                  Document("d1", "in/d1.txt", text="Text.", source="Post"),
                  Document("d1", "in/d1.txt", text="Text.", source="Wire", boilerplate=[(0, 1)])):
        assert document_key(other) != document_key(base)


def test_a_new_code_version_drops_the_old_cache(tmp_path):
    result = DocumentResult({"doc_id": "d1", "status": "ok"}, text="Text.")
    old = DocumentCache(tmp_path, "gaz", code="old")
    old.store("ab" * 32, result)
    assert old.load("ab" * 32) == result
    new = DocumentCache(tmp_path, "gaz", code="new")
    assert new.load("ab" * 32) is None
    new.prune(set())
    assert [p.name for p in tmp_path.iterdir()] == ["v-new"]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=300))
def test_any_damaged_entry_is_a_miss_never_an_error(tmp_path_factory, garbage, cut):
    root = tmp_path_factory.mktemp("c")
    store = DocumentCache(root, "gaz", code="v")
    key = "cd" * 32
    store.store(key, DocumentResult({"doc_id": "d", "status": "ok"}, text="x" * 50))
    whole = store.path(key).read_bytes()
    for damaged in (whole[:cut] if cut < len(whole) else whole[:-1], garbage,
                    cache_module.MAGIC + garbage, whole[:len(cache_module.MAGIC) + 32] + garbage):
        store.path(key).write_bytes(damaged)
        assert store.load(key) is None and not store.valid(key)
