"""Issue 9 items 9-16: no file sinks a run. Each test reproduces a defect of the old code."""

from __future__ import annotations

import codecs
import csv
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from extract.corpus.files import decode
from extract.engine.runner import run
from extract.entities import annotate, pipeline

GOOD = "Russia delivered six Su-30SME fighter jets to Myanmar in 2022, the Defence Ministry said.\n"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def documents(out: Path) -> dict[str, dict[str, str]]:
    return {r["doc_id"]: r for r in read_rows(out / "documents.csv")}


def write_inputs(folder: Path, files: dict[str, bytes | str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return folder


# --- item 9: long files and failures in per-document work -------------------------------------------

def test_a_document_longer_than_spacy_max_length_is_processed_whole(tmp_path, small_gazetteer_dir, monkeypatch):
    build = pipeline.build

    def small_limit(*args, **kwargs):  # spaCy's max_length (1,000,000) scaled down to keep the test fast
        nlp = build(*args, **kwargs)
        nlp.max_length = 500
        return nlp

    monkeypatch.setattr(pipeline, "build", small_limit)
    long_text = "Filler sentence about nothing in particular.\n" * 40 + GOOD
    inp = write_inputs(tmp_path / "in", {"a_long.txt": long_text, "b_good.txt": GOOD})
    run(inp, tmp_path / "out", small_gazetteer_dir, progress=False)
    docs = documents(tmp_path / "out")
    assert docs["a_long"]["status"] == "ok" and docs["b_good"]["status"] == "ok"
    spans = [(int(m["start_char"]), m["evidence"]) for m in read_rows(tmp_path / "out" / "mentions.csv")
             if m["doc_id"] == "a_long"]
    assert spans and all(long_text[start:start + len(evidence)] == evidence for start, evidence in spans)
    assert min(start for start, _ in spans) > 500  # found beyond the old limit, offsets kept


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_in_one_document_is_recorded_and_the_run_goes_on(tmp_path, small_gazetteer_dir, monkeypatch,
                                                                        jobs):
    real = annotate.Annotator.__call__

    def fragile(self, document, doc):
        if document.doc_id == "b_bad":
            raise RuntimeError("rule blew up")
        return real(self, document, doc)

    monkeypatch.setattr(annotate.Annotator, "__call__", fragile)
    inp = write_inputs(tmp_path / "in", {"a_good.txt": GOOD, "b_bad.txt": GOOD, "c_good.txt": GOOD})
    summary = run(inp, tmp_path / "out", small_gazetteer_dir, jobs=jobs, progress=False)
    docs = documents(tmp_path / "out")
    assert docs["b_bad"]["status"] == "skipped"
    assert "RuntimeError: rule blew up" in docs["b_bad"]["reason"] and "annotate" not in docs["b_bad"]["reason"][:8]
    assert docs["a_good"]["status"] == docs["c_good"]["status"] == "ok"
    assert {m["doc_id"] for m in read_rows(tmp_path / "out" / "mentions.csv")} == {"a_good", "c_good"}
    assert summary.skipped == 1


# Documents of our own, each opening with its number (the matchers, which see no doc_id, key on it).
FAILING_CORPUS = {f"d{i}": f"Report number {i}.\n{text}\n" for i, text in enumerate((
    GOOD,
    "South Korea will deliver 18 K2 tanks to Poland next year, Seoul said on Monday.",
    "France sold 12 Rafale jets to Egypt in 2021, the ministry in Cairo said.",
    "The United States approved the sale of Patriot systems to Taiwan, the Pentagon said.",
    "Sergei Shoigu said Russia would send more Pantsir-S1 systems to Myanmar.",
    "Egypt received its first Rafale fighters from France, officials in Paris said.",
))}


def _inject(monkeypatch, site: str, failing: set[str]) -> None:
    """Make a claim rule or a matcher raise on the ``failing`` documents."""
    from extract.claims import statement, transfer
    from extract.entities.matchers.dates import DateFinder
    from extract.entities.matchers.weapons import WeaponMatcher

    def failing_text(text: str) -> bool:
        return any(text.startswith(f"Report number {doc_id[1:]}.") for doc_id in failing)

    rules = {"transfer rule": transfer, "statement rule": statement}
    if site in rules:
        module = rules[site]
        real_rule = module.extract

        def rule(ctx, *args):
            if ctx.doc_id in failing:
                raise ValueError(f"injected into the {site}")
            return real_rule(ctx, *args)

        monkeypatch.setattr(module, "extract", rule)
        return
    matcher = {"weapon matcher": WeaponMatcher, "date finder": DateFinder}[site]
    real_call = matcher.__call__

    def call(self, doc):
        if failing_text(doc.user_data.get("text", doc.text)):
            raise KeyError(f"injected into the {site}")  # spaCy wraps a KeyError in its own error
        return real_call(self, doc)

    monkeypatch.setattr(matcher, "__call__", call)


def _rows_by_document(out: Path) -> dict[str, list[tuple[str, ...]]]:
    """Every per-document row of a run (documents, entities, mentions), by doc_id."""
    rows: dict[str, list[tuple[str, ...]]] = {}
    for name in ("documents.csv", "entities.csv", "mentions.csv"):
        for row in read_rows(out / name):
            rows.setdefault(row["doc_id"], []).append((name, *row.values()))
    return rows


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory, small_gazetteer_dir):
    folder = tmp_path_factory.mktemp("failing")
    inp = write_inputs(folder / "in", {f"{doc_id}.txt": text for doc_id, text in FAILING_CORPUS.items()})
    run(inp, folder / "clean", small_gazetteer_dir, progress=False, cache=False, jobs=1)
    return inp, _rows_by_document(folder / "clean")


@pytest.mark.parametrize("jobs", [1, 2])
@settings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no slow shrinking
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(site=st.sampled_from(["transfer rule", "statement rule", "weapon matcher", "date finder"]),
       failing=st.sets(st.sampled_from(sorted(FAILING_CORPUS)), min_size=1, max_size=3))
@example(site="weapon matcher", failing={"d1", "d4"})  # a matcher and a rule, whatever is drawn
@example(site="transfer rule", failing={"d0"})
def test_exceptions_in_rules_and_matchers_skip_only_their_documents(clean_run, small_gazetteer_dir, tmp_path_factory,
                                                                    jobs, site, failing):
    inp, clean = clean_run
    out = tmp_path_factory.mktemp("injected")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _inject(monkeypatch, site, failing)
        summary = run(inp, out, small_gazetteer_dir, progress=False, cache=False, jobs=jobs)
    assert summary.skipped == len(failing)
    docs = documents(out)
    assert set(docs) == set(FAILING_CORPUS)
    for doc_id in failing:
        assert docs[doc_id]["status"] == "skipped"
        assert docs[doc_id]["reason"].startswith("failed: ") and f"injected into the {site}" in docs[doc_id]["reason"]
    rows = _rows_by_document(out)
    assert {d: rows[d] for d in FAILING_CORPUS if d not in failing} == \
        {d: clean[d] for d in FAILING_CORPUS if d not in failing}


def _spin() -> None:
    """Spin the CPU for a minute, unless stopped earlier (a rule that never ends, for a test)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pass


def _spin_on(doc_id: str, monkeypatch) -> None:
    """Make the rules spin on ``doc_id``."""
    real = annotate.Annotator.__call__

    def slow(self, document, doc):
        if document.doc_id == doc_id:
            _spin()
        return real(self, document, doc)

    monkeypatch.setattr(annotate.Annotator, "__call__", slow)


def test_a_document_over_its_time_budget_is_skipped_with_a_reason(tmp_path, small_gazetteer_dir, monkeypatch):
    _spin_on("b_slow", monkeypatch)
    inp = write_inputs(tmp_path / "in", {"a_good.txt": GOOD, "b_slow.txt": GOOD})
    run(inp, tmp_path / "out", small_gazetteer_dir, progress=False, time_budget=1)
    docs = documents(tmp_path / "out")
    assert docs["b_slow"]["status"] == "skipped" and "time budget" in docs["b_slow"]["reason"]
    assert docs["a_good"]["status"] == "ok"


def test_the_time_budget_holds_in_a_thread_that_cannot_take_signals():
    caught: list[BaseException] = []

    def work() -> None:
        try:
            with annotate.time_budget(0.3):
                _spin()
        except annotate.DocumentTimeout as exc:
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert len(caught) == 1


def test_a_document_over_budget_is_skipped_alike_by_the_local_and_the_dask_engine(tmp_path, small_gazetteer_dir,
                                                                                  monkeypatch):
    from extract.engine import dask_engine

    monkeypatch.setattr(dask_engine, "LOCAL_CLUSTER", {"n_workers": 1, "threads_per_worker": 1, "processes": False,
                                                       "dashboard_address": ":0"})  # threads: no signals there
    _spin_on("b_slow", monkeypatch)
    inp = write_inputs(tmp_path / "in", {"a_good.txt": GOOD, "b_slow.txt": GOOD})
    for engine in ("local", "dask"):
        run(inp, tmp_path / engine, small_gazetteer_dir, progress=False, time_budget=1, cache=False, engine=engine)
    docs = documents(tmp_path / "dask")
    assert docs["b_slow"]["status"] == "skipped"
    assert docs["b_slow"]["reason"] == "time budget exceeded (1 s per document, --time-budget)"
    assert docs["a_good"]["status"] == "ok"
    assert (tmp_path / "dask" / "documents.csv").read_bytes() == (tmp_path / "local" / "documents.csv").read_bytes()


# --- item 11: file names ------------------------------------------------------------------------------

def test_file_names_that_are_not_utf8_or_hold_a_cr_keep_the_run_and_the_csvs_whole(tmp_path, small_gazetteer_dir):
    inp = write_inputs(tmp_path / "in", {"ok.txt": GOOD})
    (inp / os.fsdecode(b"caf\xe9.txt")).write_text(GOOD, encoding="utf-8")
    (inp / "line\rbreak.txt").write_text(GOOD, encoding="utf-8")
    run(inp, tmp_path / "out", small_gazetteer_dir, progress=False)
    docs = documents(tmp_path / "out")
    assert set(docs) == {"ok", "caf\\xe9", "line\\rbreak"}
    assert all(d["status"] == "ok" for d in docs.values())
    mentions = read_rows(tmp_path / "out" / "mentions.csv")
    assert {m["doc_id"] for m in mentions} == set(docs)
    assert len({m["mention_id"] for m in mentions}) == len(mentions)


# --- item 12: encodings -----------------------------------------------------------------------------

ARTICLE = "Le général a dit: la naïveté coûte cher. Russia delivered Su-30SME jets to Myanmar.\n" * 4


@pytest.mark.parametrize("data, encoding", [
    (ARTICLE.encode("utf-16"), "utf-16-le"),                       # Windows "Unicode" save, with a BOM
    (ARTICLE.encode("utf-16-be"), "utf-16-be"),                    # no BOM
    (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16-be"),
    (ARTICLE.encode("latin-1"), "cp1252"),                         # not cp1250: ï stays ï
])
def test_unicode_and_latin1_articles_are_read(data, encoding):
    text, found, _note = decode(data)
    assert text == ARTICLE and found == encoding


def test_one_early_nul_does_not_drop_a_good_article():
    text, encoding, note = decode(b"\x00" + ARTICLE.encode())
    assert text == " " + ARTICLE and encoding == "utf-8" and "NUL" in note


def test_one_stray_byte_does_not_turn_utf8_into_mojibake():
    data = ARTICLE.encode() + b"\xff" + ARTICLE.encode()
    text, encoding, note = decode(data)
    assert encoding == "utf-8" and text == ARTICLE + "\ufffd" + ARTICLE
    assert "1 invalid UTF-8" in note and str(len(ARTICLE.encode())) in note


def test_central_european_cp1250_keeps_its_letters():
    polish = "Minister Błaszczak powiedział, że Polska kupi czołgi K2. Żołnierze ćwiczą na poligonie."
    assert decode(polish.encode("cp1250"))[0] == polish


# --- item 13: a bare CR inside a cell -----------------------------------------------------------------

def test_a_cell_holding_a_bare_cr_is_quoted_and_reads_back_whole(tmp_path):
    from extract.outputs.writers import OutputSet

    nasty = "before\r=cmd|' /C calc'!A0"
    with OutputSet(tmp_path) as outputs:
        outputs.csv("t.csv", ("a", "b")).write_all([{"a": nasty, "b": "x"}, {"a": "plain", "b": "y"}])
    raw = (tmp_path / "t.csv").read_bytes()
    assert b'"before\r=cmd' in raw
    assert read_rows(tmp_path / "t.csv") == [{"a": nasty, "b": "x"}, {"a": "plain", "b": "y"}]


def test_lone_cr_line_endings_split_lines_and_evidence_reads_back(tmp_path, small_gazetteer_dir):
    text = ("Headline without a stop\rRussia delivered six Su-30SME fighter jets to Myanmar in 2022.\r"
            "Officials said more would follow.\r")
    inp = write_inputs(tmp_path / "in", {"mac.txt": text.encode()})
    run(inp, tmp_path / "out", small_gazetteer_dir, progress=False)
    docs = documents(tmp_path / "out")
    assert docs["mac"]["title"] == "Headline without a stop" and int(docs["mac"]["n_sentences"]) >= 3
    for row in read_rows(tmp_path / "out" / "mentions.csv"):
        assert text[int(row["start_char"]):int(row["end_char"])] == row["evidence"]
        assert "Headline" not in row["evidence"]  # the headline is its own line, not part of the claim


# --- item 14: the output set commits atomically ----------------------------------------------------

def _set_is_one_run(out: Path) -> int:
    """The files of ``out`` describe one run: run.json's count is documents.csv's rows."""
    import json

    count = json.loads((out / "run.json").read_text(encoding="utf-8"))["documents"]
    assert len(read_rows(out / "documents.csv")) == count
    return count


def test_a_failure_while_moving_files_into_place_is_completed_by_the_next_run(tmp_path, small_gazetteer_dir,
                                                                              monkeypatch):
    from extract.outputs import writers

    out = tmp_path / "out"
    run(write_inputs(tmp_path / "one", {"a.txt": GOOD}), out, small_gazetteer_dir, progress=False)
    many = write_inputs(tmp_path / "three", {"a.txt": GOOD, "b.txt": GOOD, "c.txt": GOOD})
    real, moves = os.replace, []

    def failing(src, dst):
        if Path(dst).parent == out and not str(dst).endswith(writers.JOURNAL):  # the output set's moves only
            moves.append(dst)
            if len(moves) == 3:
                raise OSError(5, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(writers.os, "replace", failing)
    with pytest.raises(OSError):
        run(many, out, small_gazetteer_dir, progress=False)
    monkeypatch.setattr(writers.os, "replace", real)
    assert (out / writers.JOURNAL).exists()       # the set was committed, the moves not finished
    writers.recover(out)                          # what the next run does first
    assert _set_is_one_run(out) == 3
    assert not list(out.glob(".tmp-*")) and not (out / writers.JOURNAL).exists()


def test_stale_temporaries_of_dead_runs_are_swept(tmp_path, small_gazetteer_dir):
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".tmp-claims.csv.999999999.x1y2", out / ".tmp-entities.csv.abcd1234"]  # a dead pid; the old naming
    for path in stale:
        path.write_bytes(b"x" * 1000)
    live = out / f".tmp-mentions.csv.{os.getppid()}.zz"  # a live process's temporary is left alone
    live.write_bytes(b"x")
    run(write_inputs(tmp_path / "in", {"a.txt": GOOD}), out, small_gazetteer_dir, progress=False)
    assert not any(p.exists() for p in stale) and live.exists()


def test_ctrl_c_between_creating_a_temporary_and_recording_it_leaves_nothing(tmp_path, small_gazetteer_dir,
                                                                            monkeypatch):
    from extract.outputs import writers

    real = writers.tempfile.mkstemp

    def interrupted(*args, **kwargs):  # the file exists, the output set has not yet listed it
        made = real(*args, **kwargs)
        if kwargs.get("prefix", "").startswith(".tmp-claims.csv."):
            raise KeyboardInterrupt
        return made

    monkeypatch.setattr(writers.tempfile, "mkstemp", interrupted)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run(write_inputs(tmp_path / "in", {"a.txt": GOOD}), out, small_gazetteer_dir, progress=False)
    assert not list(out.glob(".tmp-*"))


def test_outputs_respect_the_umask(tmp_path, small_gazetteer_dir):
    old = os.umask(0o022)
    try:
        run(write_inputs(tmp_path / "in", {"a.txt": GOOD}), tmp_path / "out", small_gazetteer_dir, progress=False)
    finally:
        os.umask(old)
    modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "out").rglob("*")}
    assert {m for name, m in modes.items() if (tmp_path / "out" / name).is_file()} == {0o644}, modes
    assert {m for name, m in modes.items() if (tmp_path / "out" / name).is_dir()} <= {0o755}, modes


def test_sigterm_ends_a_run_with_an_error_line_and_no_traceback(tmp_path):
    import signal
    import subprocess
    import sys

    from conftest import ROOT, SEEDS

    inp = tmp_path / "in"
    inp.mkdir()
    for i in range(30):
        for seed in sorted(SEEDS.glob("*.txt")):
            (inp / f"{i:02d}_{seed.name}").write_bytes(seed.read_bytes())
    proc = subprocess.Popen([sys.executable, "-m", "extract", "run", "--input", str(inp), "--output",
                             str(tmp_path / "out"), "--jobs", "1", "--no-progress"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not list((tmp_path / "out").glob(".tmp-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)  # until the run writes its temporaries: documents under way
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert "error: terminated" in err and "Traceback" not in err
    assert not list((tmp_path / "out").glob(".tmp-*"))


# --- item 15: clear errors ----------------------------------------------------------------------------

def cli(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    from extract.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return code, err.getvalue()


def test_an_output_path_that_is_a_file_is_an_error(tmp_path):
    inp = write_inputs(tmp_path / "in", {"a.txt": GOOD})
    (tmp_path / "out").write_text("not a folder")
    code, err = cli("run", "--input", str(inp), "--output", str(tmp_path / "out"), "--quiet")
    assert code == 2 and "error: output path" in err and "Traceback" not in err


def test_an_unreadable_input_folder_is_an_error(tmp_path, monkeypatch):
    from extract.corpus import formats

    inp = write_inputs(tmp_path / "in", {"a.txt": GOOD})

    def denied(_path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(formats.os, "scandir", denied)  # chmod 000 does not stop root, who runs CI
    code, err = cli("run", "--input", str(inp), "--output", str(tmp_path / "out"), "--quiet")
    assert code == 2 and "error: cannot read input folder" in err and "Permission denied" in err


def test_a_missing_manifest_is_an_error(tmp_path):
    inp = write_inputs(tmp_path / "in", {"a.txt": GOOD})
    code, err = cli("run", "--input", str(inp), "--output", str(tmp_path / "out"), "--manifest",
                    str(tmp_path / "missing.csv"), "--quiet")
    assert code == 2 and "missing.csv: manifest not found" in err


@pytest.mark.parametrize("option, value", [("--max-bytes", "0"), ("--max-bytes", "-5"), ("--jobs", "0"),
                                           ("--time-budget", "-1")])
def test_numbers_out_of_range_are_errors(tmp_path, option, value):
    code, err = cli("run", "--input", str(tmp_path), "--output", str(tmp_path / "out"), option, value)
    assert code == 2 and "error:" in err and option in err


def test_jobs_are_capped_at_the_cpu_count(tmp_path, small_gazetteer_dir, caplog, monkeypatch):
    from extract.engine import runner

    asked = []
    real = runner.process
    monkeypatch.setattr(runner, "process", lambda docs, gaz, jobs, budget: asked.append(jobs) or real(docs, gaz, 1, budget))
    run(write_inputs(tmp_path / "in", {"a.txt": GOOD}), tmp_path / "out", small_gazetteer_dir, jobs=10_000,
        progress=False)
    assert asked == [os.cpu_count()] and "more than the" in caplog.text


def test_manifest_problems_are_reported_by_line_and_swallow_nothing(tmp_path, caplog):
    from extract.corpus.files import load_manifest

    path = tmp_path / "manifest.csv"
    path.write_bytes("doc_id,published,source,title\n"
                     'a,2021-01-02,Outlet,"unclosed title\n'
                     "b,2021-02-03,Outlet,Title B\n"
                     "c,2021-03-04,Défense Presse,Title C\n"
                     "b,2021-02-05,Outlet,Title B again\n".encode("cp1252"))
    entries = load_manifest(path)
    assert set(entries) == {"b", "c"} and entries["c"].source == "Défense Presse"
    assert "manifest.csv:2: malformed manifest row" in caplog.text
    assert "manifest.csv:5: doc_id 'b' is also on line 3" in caplog.text


def test_dangling_symlinks_and_loops_get_a_row_with_a_reason(tmp_path, small_gazetteer_dir):
    inp = write_inputs(tmp_path / "in", {"good.txt": GOOD})
    (inp / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (inp / "loop.txt").symlink_to(inp / "loop.txt")
    (inp / "folder.txt").mkdir()
    run(inp, tmp_path / "out", small_gazetteer_dir, progress=False)
    docs = documents(tmp_path / "out")
    assert set(docs) == {"good", "dangling", "loop"}
    assert "dangling symbolic link" in docs["dangling"]["reason"] and docs["dangling"]["status"] == "skipped"
    assert docs["loop"]["reason"] == "symbolic link loop" and docs["good"]["status"] == "ok"


# --- item 16: other defects ---------------------------------------------------------------------------

@pytest.mark.parametrize("mark", ["\u00ad", "\u200d", "\u2060", "\u200e"])  # soft hyphen, ZWJ, word joiner, LRM
def test_format_characters_inside_a_name_still_match_with_offsets_kept(annotate_text, mark):
    text = f"Sho{mark}igu said Russia would sell Pants{mark}ir-S1 systems to Min Aung Hl{mark}aing and Ma{mark}ung Aye."
    rows = annotate_text(text)
    found = {r["entity_id"]: r for r in rows}
    for person in ("sergei-shoigu", "min-aung-hlaing", "maung-aye"):
        assert found[person]["matcher"] == "exact" and mark in found[person]["text"], [r["text"] for r in rows]
    assert "pantsir-s1" in found
    for row in rows:
        assert text[row["start_char"]:row["end_char"]] == row["text"]


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+Su-35", "@Tor", "Tor\r=1+1", "Bad\x1bName"])
def test_gazetteer_add_refuses_formula_and_control_character_values(tmp_path, name):
    from conftest import write_gazetteers
    from extract.knowledge.add import AddError, NewRow, add

    gaz = write_gazetteers(tmp_path / "g")
    before = (gaz / "weapons.csv").read_bytes()
    with pytest.raises(AddError):
        add(NewRow("weapon", "Safe Name", category="fighter aircraft", origin="Russia", aliases=(name,)), gaz)
    with pytest.raises(AddError):
        add(NewRow("weapon", name, category="fighter aircraft", origin="Russia"), gaz)
    assert (gaz / "weapons.csv").read_bytes() == before


def test_gazetteer_check_is_linear_on_near_identical_names(tmp_path):
    from conftest import SMALL_PEOPLE, write_gazetteers
    from extract.knowledge.check import fuzzy_collisions
    from extract.knowledge.gazetteer import load

    rows = "".join(f"p-{i:05d},Ivan Petrovsky {i:05d},,,,Russia,s,a\n" for i in range(1500))
    gaz = load(write_gazetteers(tmp_path / "g", people=SMALL_PEOPLE + rows))
    started = time.process_time()
    found = fuzzy_collisions(gaz)
    assert time.process_time() - started < 20
    assert len(found) == 1 and "and so are 1498 more people" in found[0].message
