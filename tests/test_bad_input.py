"""Property tests: no input file, however broken, crashes a run or corrupts the outputs."""

from __future__ import annotations

import csv
import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.corpus.files import decode
from extract.knowledge.gazetteer import load

FILES = st.dictionaries(
    keys=st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8),
    values=st.one_of(st.binary(max_size=400),
                     st.text(max_size=400).map(lambda t: t.encode("utf-8")),
                     st.text(max_size=200).map(lambda t: t.encode("utf-16"))),
    min_size=1, max_size=4)
GOOD = "Poland received the first K2 tanks from South Korea in December 2022.".encode("utf-8")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=FILES)
def test_any_bytes_give_a_row_per_file_and_true_offsets(small_gazetteer_dir, files):
    from extract.engine.runner import run

    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in", Path(tmp) / "out"
        inp.mkdir()
        files = {**files, "good-one": GOOD}  # a folder with no readable article is an error (test_formats.py)
        for name, data in files.items():
            (inp / f"{name}.txt").write_bytes(data)
        summary = run(inp, out, small_gazetteer_dir, progress=False)
        assert summary.documents == len(files)
        with (out / "documents.csv").open(encoding="utf-8", newline="") as handle:
            docs = {r["doc_id"]: r for r in csv.DictReader(handle)}
        assert set(docs) == set(files) and docs["good-one"]["status"] == "ok"
        for doc_id, row in docs.items():
            assert row["status"] in ("ok", "skipped")
            assert row["status"] == "ok" or row["reason"]
        with (out / "entities.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text, _, _ = decode(files[row["doc_id"]])
                assert text is not None
                assert text[int(row["start_char"]):int(row["end_char"])] == row["text"]


@given(st.binary(max_size=300))
def test_decode_never_raises(data):
    text, encoding, note = decode(data)
    assert (text is None) == (encoding == "") and (text is not None or note)


ROW_CELL = st.text(alphabet=string.printable.replace("\n", "").replace("\r", "").replace("\x0b", "")
                   .replace("\x0c", ""), max_size=12)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(ROW_CELL, min_size=0, max_size=10), max_size=6))
def test_malformed_gazetteer_rows_never_crash(rows):
    from conftest import write_gazetteers

    with tempfile.TemporaryDirectory() as tmp:
        body = "id,canonical,family,category,origin,aliases,source,added\n" + \
               "\n".join(",".join(r) for r in rows) + "\n"
        gaz = load(write_gazetteers(Path(tmp), weapons=body))
        for problem in gaz.problems:
            assert problem.file == "weapons.csv" and problem.line >= 1
        for weapon in gaz.weapons.values():
            assert weapon.id and weapon.canonical


def _sentences() -> list[str]:
    from conftest import ROOT

    found = []
    for folder in (ROOT / "seeds", ROOT / "tests" / "articles"):
        for path in sorted(folder.glob("*.txt")):
            found += [s.strip() for s in path.read_text(encoding="utf-8").replace("\n", " ").split(". ") if s.strip()]
    return found


SENTENCES = _sentences()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.integers(min_value=0, max_value=len(SENTENCES) - 1), min_size=1, max_size=12),
       breaks=st.lists(st.sampled_from([". ", ".\n\n", "\n", " “", "” ", ", he said. "]), min_size=12, max_size=12))
def test_recombined_articles_never_break_the_rules(annotate_result, picks, breaks):
    """Sentences of the seeds and our articles, shuffled and joined oddly (as the benchmark does):
    every mention's evidence is still its source slice."""
    text = "".join(SENTENCES[i] + breaks[n] for n, i in enumerate(picks))
    result = annotate_result(text)
    for row in result.mentions + result.entities:
        key = "evidence" if "evidence" in row else "text"
        assert text[row["start_char"]:row["end_char"]] == row[key]
