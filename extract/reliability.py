"""``make reliability``: a battery of bad input, faults and spreadsheet round-trips against the CLI.

Three families of cases, each run through ``python -m extract run`` (a subprocess, as a user
runs it; the round-trips call the same ``cli.main`` in this process to save start-up time):

* bad files beside good ones: every kind of file that once sank a run (too long for spaCy,
  adversarial text for the patterns, UTF-16, NULs, stray bytes, Latin-1, names that are not
  UTF-8 or hold a CR, symlinks that dangle or loop, formula text and bare CRs, ...), all in one
  folder with good articles. The run must succeed, give every file a documents.csv row (a
  reason when skipped), process the good articles, and write CSVs that parse back;
* faults during a run: SIGKILL, SIGTERM and Ctrl-C at several moments, and a full disk (a
  small tmpfs, when root may mount one; otherwise skipped with a note). Afterwards the output
  folder must hold one run's complete set, and every review decision must still be there and
  applied by the next run;
* spreadsheet round-trips: reviews.csv and claims.csv saved back by a spreadsheet in every
  separator, encoding, line ending and quoting style; the decisions typed must come back.

It prints the cases tried, the crashes (a traceback, an unexpected exit code, a file without
its row, a CSV that does not parse, a half-written output set) and the decisions lost; exit
status 1 when either is not 0.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .outputs.writers import JOURNAL, TEMP_PREFIX, unescape_cell

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
OUTPUT_CSVS = ("documents.csv", "entities.csv", "mentions.csv", "claims.csv", "transfers.csv", "reviews.csv",
               "suggestions.csv")
# Fault runs go without the cache: with it a rerun takes a second and a signal lands after it.
FAULT_RUN = ("--quiet", "--no-progress", "--jobs", "1", "--no-cache")
GOOD = "Russia delivered six Su-30SME fighter jets to Myanmar in 2022, the Defence Ministry said.\n"


@dataclass
class Tally:
    cases: int = 0
    crashes: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def case(self, name: str, problems: list[str], lost: list[str] | None = None) -> None:
        lost = lost or []
        self.cases += 1
        self.crashes += [f"{name}: {p}" for p in problems]
        self.lost += [f"{name}: {d}" for d in lost]
        mark = "ok" if not problems and not lost else "FAIL"
        print(f"  {mark:4s} {name}" + "".join(f"\n         {p}" for p in [*problems, *lost]), flush=True)


# --- helpers ---------------------------------------------------------------------------------------

def extract_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "extract", *args]


def run_cli(args: list[str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(extract_command("run", *args), cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    width = len(reader.fieldnames or [])
    for n, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()) or len(row) != width:
            raise ValueError(f"{path.name}: row {n} does not have {width} cells")
    return rows


def set_problems(out: Path, swept: bool = True) -> list[str]:
    """An output folder must hold one complete run: every file parses, run.json agrees with
    documents.csv; after a run that ended normally (``swept``), no temporary or journal is left
    (a killed run leaves them, for the next run to sweep or complete)."""
    problems = []
    try:
        for name in OUTPUT_CSVS:
            read_csv(out / name)
        documents = read_csv(out / "documents.csv")
        count = json.loads((out / "run.json").read_text(encoding="utf-8"))["documents"]
        if count != len(documents):
            problems.append(f"run.json says {count} documents, documents.csv has {len(documents)}: mixed sets")
    except (OSError, ValueError, KeyError) as exc:
        problems.append(f"output set unreadable: {exc}")
    leftovers = [p.name for p in out.glob(".tmp-*")] + [p.name for p in out.glob(".commit-journal*")]
    if swept and leftovers:
        problems.append(f"left behind: {', '.join(sorted(leftovers))}")
    return problems


def process_problems(proc: subprocess.CompletedProcess[str], expected: tuple[int, ...] = (0,)) -> list[str]:
    problems = []
    if "Traceback" in proc.stderr:
        problems.append("traceback: " + proc.stderr.strip().splitlines()[-1][:200])
    if proc.returncode not in expected:
        problems.append(f"exit {proc.returncode} (expected {'/'.join(map(str, expected))}): "
                        f"{(proc.stderr.strip().splitlines() or [''])[-1][:200]}")
    return problems


# --- 1. bad files beside good ones -------------------------------------------------------------------

def _long_article() -> bytes:
    """1.2 million characters: over spaCy's max_length (1,000,000), under --max-bytes."""
    paragraph = ("The ministry published a long report on procurement, logistics and training. " * 10 + "\n\n")
    return (paragraph * (1_200_000 // len(paragraph) + 1) + GOOD).encode()


@dataclass(frozen=True)
class BadFile:
    """One case: the file name (bytes: it need not be UTF-8), what to write, and whether the
    article must be read (True), skipped with a reason (False), or give no row (None: a folder)."""
    name: bytes
    make: Callable[[Path], None]
    readable: bool | None


def bad_files(rng: random.Random) -> dict[str, BadFile]:
    article = (SEEDS / "002_f52c2b5e55cb2488.txt").read_text(encoding="utf-8")

    def data(name: str, content: bytes, readable: bool = True) -> BadFile:
        return BadFile(name.encode(), lambda path: path.write_bytes(content), readable)

    def named(raw: bytes) -> BadFile:
        return BadFile(raw, lambda path: path.write_bytes(GOOD.encode()), True)

    def link(name: str, target: str) -> BadFile:
        return BadFile(name.encode(), lambda path: path.symlink_to(path.parent / target), False)

    hex_run = "".join(rng.choice("0123456789ABCDEF") for _ in range(65_536))
    return {
        "empty file": data("bad_empty.txt", b"", False),
        "binary file": data("bad_binary.txt", bytes(rng.randrange(256) for _ in range(5000)), False),
        "text over spaCy max_length": data("bad_long.txt", _long_article()),
        "file over --max-bytes": data("bad_huge.txt", b"word " * 1_100_000, False),
        "64 KB run of hex digits": data("bad_hex.txt", (GOOD + hex_run + "\n" + GOOD).encode()),
        "hyphenated run": data("bad_hyphens.txt", ("A-" * 40_000 + " Exercise (ABC)").encode()),
        "run of spaces before a force name": data("bad_spaces.txt", ("Russia" + " " * 60_000 + "Army").encode()),
        "thousands of short lines": data("bad_lines.txt", ("A\n" * 40_000).encode()),
        "thousands of country names": data("bad_countries.txt", ("Russia Myanmar " * 8000).encode()),
        "UTF-16 with BOM": data("bad_utf16.txt", article.encode("utf-16")),
        "UTF-16 without BOM": data("bad_utf16be.txt", article.encode("utf-16-be")),
        "UTF-32": data("bad_utf32.txt", article.encode("utf-32")),
        "early NUL byte": data("bad_nul.txt", b"\x00" + article.encode()),
        "stray byte in UTF-8": data("bad_stray.txt", article.encode()[:500] + b"\xff" + article.encode()[500:]),
        "Latin-1": data("bad_latin1.txt", ("La naïveté du général. " + GOOD).encode("latin-1")),
        "cp1250": data("bad_cp1250.txt", ("Minister Błaszczak powiedział. " + GOOD).encode("cp1250")),
        "lone CR line endings": data("bad_mac.txt", article.replace("\n", "\r").encode()),
        "formula text and bare CRs": data("bad_formula.txt", ("=cmd|' /C calc'!A0\r=HYPERLINK(\"x\")\n@SUM(1)\r"
                                                              "+1\t-2\n" + GOOD).encode()),
        "format characters in names": data("bad_format.txt", "Su\u00ad-30SME jets went from Rus\u200dsia to "
                                           "\u202bMyanmar\u202c, Sergei Sho\u2060igu said.\n".encode()),
        "control characters": data("bad_controls.txt", ("\x1b[31m" + GOOD + "\x07\x08").encode()),
        "file name not UTF-8": named(b"bad_caf\xe9.txt"),
        "file name with a CR": named(b"bad_line\rbreak.txt"),
        "file name with a newline and a quote": named(b'bad_"quoted"\nname.txt'),
        "dangling symlink": link("bad_dangling.txt", "nowhere"),
        "symlink loop": link("bad_loop.txt", "bad_loop.txt"),
        "folder named .txt": BadFile(b"bad_folder.txt", lambda path: path.mkdir(), None),
    }


def _offsets_problems(out: Path, paths: dict[str, Path]) -> dict[str, list[str]]:
    """doc_id -> entity rows whose text is not the decoded file's characters at their offsets."""
    from .corpus.files import decode

    texts: dict[str, str] = {}
    wrong: dict[str, list[str]] = {}
    for row in read_csv(out / "entities.csv"):
        doc_id = row["doc_id"]
        if doc_id not in paths:
            continue
        if doc_id not in texts:
            texts[doc_id] = decode(paths[doc_id].read_bytes())[0] or ""
        if texts[doc_id][int(row["start_char"]):int(row["end_char"])] != row["text"]:
            wrong.setdefault(doc_id, []).append(f"entity {row['text']!r} at {row['start_char']} is not the text there")
    return wrong


def battery_bad_files(tally: Tally, work: Path, rng: random.Random) -> None:
    """All the bad files in one folder with the seeds: one run must survive them all."""
    from .corpus.files import printable_name

    print("bad files beside good ones", flush=True)
    inp, out = work / "bad-in", work / "bad-out"
    inp.mkdir()
    goods = sorted(SEEDS.glob("*.txt"))
    for seed in goods:
        shutil.copy(seed, inp / seed.name)
    cases = bad_files(rng)
    for case in cases.values():
        case.make(inp / os.fsdecode(case.name))
    proc = run_cli(["--input", str(inp), "--output", str(out), "--quiet", "--no-progress"])
    run_problems = process_problems(proc) + (set_problems(out) if proc.returncode == 0 else [])
    if run_problems:
        for name in [*cases, *(g.stem for g in goods)]:
            tally.case(f"bad files: {name}", run_problems)
        return
    rows = {r["doc_id"]: r for r in read_csv(out / "documents.csv")}
    ids = {name: printable_name(os.fsdecode(case.name)[:-4]) for name, case in cases.items()}
    wrong = _offsets_problems(out, {ids[n]: inp / os.fsdecode(c.name) for n, c in cases.items() if c.readable})
    for name, case in cases.items():
        row, problems = rows.get(ids[name]), []
        if case.readable is None:
            problems += [f"a row for what is not a file: {row}"] if row else []
        elif row is None:
            problems.append(f"no documents.csv row for {ids[name]!r}")
        elif case.readable and row["status"] != "ok":
            problems.append(f"not read: {row['reason']}")
        elif not case.readable and (row["status"] == "ok" or not row["reason"]):
            problems.append(f"expected a skip with a reason, got {row['status']!r} {row['reason']!r}")
        tally.case(f"bad file: {name}", problems + wrong.get(ids[name], []))
    for seed in goods:
        row = rows.get(seed.stem)
        tally.case(f"good article beside them: {seed.stem}",
                   [] if row and row["status"] == "ok" else [f"not processed: {row and row['reason']}"])


# --- 2. faults during a run --------------------------------------------------------------------------

def _corpus(folder: Path, copies: int) -> None:
    folder.mkdir()
    for i in range(copies):
        for seed in sorted(SEEDS.glob("*.txt")):
            (folder / f"{i:03d}_{seed.name}").write_bytes(seed.read_bytes())


def _decide(out: Path, count: int = 3) -> dict[str, tuple[str, str]]:
    """Record decisions for the first claims in reviews.csv; return claim_id -> (status, note)."""
    claims = read_csv(out / "claims.csv")[:count]
    decisions = {c["claim_id"]: (status, f"checked by the battery ({n})")
                 for n, (c, status) in enumerate(zip(claims, ("accepted", "rejected", "needs_check")))}
    with (out / "reviews.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["claim_id", "review_status", "review_note", "reviewer", "reviewed_at"])
        for claim_id, (status, note) in decisions.items():
            writer.writerow([claim_id, status, note, "battery", "2026-12-01"])
    return decisions


def lost_decisions(out: Path, decisions: dict[str, tuple[str, str]], applied: bool = True) -> list[str]:
    """Decisions gone from reviews.csv, or (``applied``: after a completed run) not on their claim
    in claims.csv (its note read back as a spreadsheet shows it: formula guard removed)."""
    try:
        claims = {c["claim_id"]: c for c in read_csv(out / "claims.csv")}
        reviews = {r.get("claim_id", ""): r for r in read_csv(out / "reviews.csv")}
    except (OSError, ValueError) as exc:
        return [f"outputs unreadable: {exc}"]
    lost = []
    for claim_id, (status, note) in decisions.items():
        claim, review = claims.get(claim_id), reviews.get(claim_id)
        if applied and (claim is None or claim["review_status"] != status or unescape_cell(claim["review_note"]) != note):
            lost.append(f"{claim_id} {status!r} not on its claim in claims.csv")
        elif review is None or review.get("review_status") != status:
            lost.append(f"{claim_id} {status!r} missing from reviews.csv")
    return lost


def progress(out: Path, pid: int) -> tuple[str, int]:
    """Where the run ``pid`` stands, read from its files in the output folder: the stage and the
    documents whose rows it has written so far (entities.csv grows one document at a time)."""
    def temp(name: str) -> Path | None:
        return next(out.glob(f"{TEMP_PREFIX}{name}.{pid}.*"), None)

    if (out / JOURNAL).exists() or temp("journal"):
        return "committing", -1
    if temp("claims.csv"):
        return "writing claims", -1
    entities = temp("entities.csv")
    if entities is None:
        return "start-up", 0
    try:
        lines = entities.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    except OSError:
        return "processing documents", 0
    return "processing documents", len({line.split(",", 1)[0] for line in lines[:-1]})  # the last may be partial


@dataclass(frozen=True)
class Moment:
    """When to send the signal: once ``when(stage, documents written, seconds)`` holds."""
    name: str
    when: Callable[[str, int, float], bool]


def fault_moments(documents: int) -> tuple[Moment, ...]:
    return (Moment("at start-up", lambda stage, done, seconds: seconds >= 0.3),
            Moment("after the first document", lambda stage, done, seconds: done >= 1),
            Moment("half way", lambda stage, done, seconds: done >= documents // 2),
            Moment("while writing claims", lambda stage, done, seconds: stage in ("writing claims", "committing")))


def landing(stage: str, done: int, documents: int) -> str:
    return f"{stage}, {done} of {documents} documents written" if stage == "processing documents" else stage


def _interrupt(inp: Path, out: Path, sig: int, moment: Moment,
               documents: int) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run on ``inp`` without the cache (so every document is processed and the signal lands
    mid-run) and send ``sig`` at ``moment``; returns the ended process and where the signal landed."""
    proc = subprocess.Popen(extract_command("run", *FAULT_RUN, "--input", str(inp), "--output", str(out)),
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started, landed = time.monotonic(), "after the run ended"
    while proc.poll() is None:
        stage, done = progress(out, proc.pid)
        if moment.when(stage, done, time.monotonic() - started):
            landed = landing(stage, done, documents)
            proc.send_signal(sig)
            break
        time.sleep(0.01)
    stdout, stderr = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), landed


def battery_faults(tally: Tally, work: Path, _rng: random.Random) -> None:
    print("faults during a run", flush=True)
    inp, out = work / "fault-in", work / "fault-out"
    _corpus(inp, 12)
    documents = len(list(inp.glob("*.txt")))
    first = run_cli([*FAULT_RUN, "--input", str(inp), "--output", str(out)])
    if process_problems(first):
        tally.case("first run", process_problems(first))
        return
    decisions = _decide(out)
    rerun = run_cli([*FAULT_RUN, "--input", str(inp), "--output", str(out)])
    tally.case("rerun with decisions", process_problems(rerun) + set_problems(out), lost_decisions(out, decisions))
    # A signal that arrives after the run has finished its work (the handler is gone) ends the
    # process as the system does: -SIGTERM / -SIGINT, with the new outputs complete.
    for sig, name, codes in ((signal.SIGKILL, "kill -9", (-signal.SIGKILL, 0)),
                             (signal.SIGTERM, "SIGTERM", (143, -signal.SIGTERM, 0)),
                             (signal.SIGINT, "Ctrl-C", (130, -signal.SIGINT, 0))):
        mid_run = 0
        for moment in fault_moments(documents):
            proc, landed = _interrupt(inp, out, sig, moment, documents)
            mid_run += landed.startswith("processing documents")
            problems = process_problems(proc, codes) + set_problems(out, swept=sig != signal.SIGKILL)
            if proc.returncode in (130, 143) and "error:" not in proc.stderr:
                problems.append("no error: line")
            lost = lost_decisions(out, decisions, applied=False)
            after = run_cli([*FAULT_RUN, "--input", str(inp), "--output", str(out)])
            problems += process_problems(after) + set_problems(out)
            tally.case(f"{name} {moment.name} (landed: {landed}), then a rerun", problems,
                       lost + lost_decisions(out, decisions))
        tally.case(f"{name}: a signal landed while documents were processed",
                   [] if mid_run else ["every signal landed at start-up or after the documents: no fault mid-run"])
    battery_full_disk(tally, work, decisions)


def battery_full_disk(tally: Tally, work: Path, decisions: dict[str, tuple[str, str]]) -> None:
    mount = work / "small-disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        tally.notes.append("full disk: skipped (mounting a small tmpfs needs root)")
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        tally.notes.append(f"full disk: skipped (cannot mount a tmpfs here: {mounted.stderr.decode().strip()})")
        return
    try:
        small, big, out = work / "disk-small", work / "disk-big", mount / "out"
        small.mkdir()
        shutil.copy(SEEDS / "002_f52c2b5e55cb2488.txt", small)
        _corpus(big, 6)
        first = run_cli(["--input", str(small), "--output", str(out), "--quiet", "--no-progress"])
        problems = process_problems(first)
        if not problems:
            decided = _decide(out, 1)
            before = {n: (out / n).read_bytes() for n in OUTPUT_CSVS}
            full = run_cli(["--input", str(big), "--output", str(out), "--quiet", "--no-progress"])
            problems = process_problems(full, (2,))
            if full.returncode == 2 and "error:" not in full.stderr:
                problems.append("no error: line")
            after = {n: (out / n).read_bytes() for n in OUTPUT_CSVS if (out / n).exists()}
            if full.returncode != 0 and after != before:
                problems.append("the previous outputs changed")
            problems += set_problems(out)
            tally.case("disk full during a run", problems, lost_decisions(out, decided, applied=False))
            again = run_cli(["--input", str(small), "--output", str(out), "--quiet", "--no-progress"])
            tally.case("run after a full disk", process_problems(again) + set_problems(out),
                       lost_decisions(out, decided))
        else:
            tally.case("disk full: first run", problems)
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)
    del decisions


# --- 3. spreadsheet round-trips ----------------------------------------------------------------------

@dataclass(frozen=True)
class Dialect:
    """How a spreadsheet saves a CSV."""
    delimiter: str
    encoding: str
    newline: str
    quoting: int

    def __str__(self) -> str:
        quoting = "all quoted" if self.quoting == csv.QUOTE_ALL else "minimal quoting"
        return f"{self.delimiter!r} {self.encoding} {self.newline!r} {quoting}"

    def render(self, rows: list[list[str]]) -> bytes:
        """The bytes a spreadsheet saving these rows writes."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline, quoting=self.quoting)
        writer.writerows(rows)
        return buffer.getvalue().encode(self.encoding)

    def write(self, path: Path, header: list[str], rows: list[list[str]]) -> None:
        path.write_bytes(self.render([header, *rows]))


def spreadsheet_dialects() -> Iterator[Dialect]:
    """Every combination a spreadsheet may save: separators of English and European locales,
    UTF-8 with and without BOM, Windows-1252 and UTF-16 ("Unicode text"), both line endings,
    minimal and full quoting."""
    for delimiter in (",", ";", "\t"):
        for encoding in ("utf-8", "utf-8-sig", "cp1252", "utf-16"):
            for newline in ("\n", "\r\n"):
                for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_ALL):
                    yield Dialect(delimiter, encoding, newline, quoting)


NOTES = ("matches the register (2022)", "-2 units: see SIPRI", "=checked against Janes", "'quoted' by the outlet",
         "Défense: vérifié")


def _in_process(args: list[str]) -> tuple[int, str]:
    from .cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(["run", *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        except Exception as exc:  # noqa: BLE001  a crash is what the battery counts
            return -1, f"Traceback: {type(exc).__name__}: {exc}"
    return code, err.getvalue()


def battery_round_trips(tally: Tally, work: Path) -> None:
    print("spreadsheet round-trips of reviews.csv and claims.csv", flush=True)
    inp = work / "rt-in"
    inp.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, inp / seed.name)
    base = work / "rt-base"
    code, err = _in_process(["--input", str(inp), "--output", str(base), "--quiet", "--no-progress"])
    if code != 0:
        tally.case("round-trip base run", [f"exit {code}: {err.strip()[-200:]}"])
        return
    claims = read_csv(base / "claims.csv")
    chosen = claims[:len(NOTES)]
    statuses = ("accepted", "rejected", "needs_check", "accepted", "rejected")
    decisions = {c["claim_id"]: (s, n) for c, s, n in zip(chosen, statuses, NOTES)}
    for n, dialect in enumerate(spreadsheet_dialects()):
        for target in ("reviews.csv", "claims.csv"):
            if dialect.encoding == "cp1252" and any(not encodable(v, "cp1252") for c in claims for v in c.values()):
                continue
            out = work / f"rt-{n}-{target}"
            shutil.copytree(base, out)
            if target == "reviews.csv":
                dialect.write(out / "reviews.csv", ["claim_id", "review_status", "review_note", "reviewer",
                                                    "reviewed_at"],
                              [[cid, s, note, "ana", "2026-12-01"] for cid, (s, note) in decisions.items()])
            else:
                header = list(claims[0])
                rows = []
                for claim in claims:
                    row = dict(claim)
                    if claim["claim_id"] in decisions:
                        row["review_status"], row["review_note"] = decisions[claim["claim_id"]]
                    rows.append([row[c] for c in header])
                dialect.write(out / "claims.csv", header, rows)
            code, err = _in_process(["--input", str(inp), "--output", str(out), "--quiet", "--no-progress"])
            problems = [] if code in (0, 2) and "Traceback" not in err else [f"exit {code}: {err.strip()[-200:]}"]
            if code == 2:  # refused with a message: the file is kept, nothing is lost yet
                problems += [] if "error:" in err else ["exit 2 without an error: line"]
                tally.case(f"{target} saved as {dialect} (refused with a message)", problems)
                continue
            tally.case(f"{target} saved as {dialect}", problems, lost_decisions(out, decisions))
            shutil.rmtree(out, ignore_errors=True)


def encodable(text: str, encoding: str) -> bool:
    """Whether a spreadsheet saving in ``encoding`` can hold ``text`` so that it reads back.

    A legacy single-byte save whose bytes also happen to be valid UTF-8 meaning something else
    ('Â\xa0' in cp1252 is the UTF-8 of a no-break space) cannot be told from a UTF-8 file by
    any reader: such text does not round-trip through that save, whatever the reader does.
    """
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return False
    if encoding.replace("_", "-").lower() in ("cp1252", "windows-1252", "latin-1", "iso-8859-1", "cp1250"):
        try:
            return data.decode("utf-8") == text
        except UnicodeDecodeError:
            return True
    return True


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    families = {"bad-files": battery_bad_files, "faults": battery_faults, "round-trips": battery_round_trips}
    chosen = [a for a in args if a in families] or list(families)
    rng = random.Random(20261202)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="extract-reliability-") as tmp:
        for name in chosen:
            work = Path(tmp) / name
            work.mkdir()
            if name == "round-trips":
                battery_round_trips(tally, work)
            else:
                families[name](tally, work, rng)  # type: ignore[operator]
    print()
    for note in tally.notes:
        print(f"note: {note}")
    print(f"cases tried: {tally.cases}")
    print(f"crashes: {len(tally.crashes)}")
    print(f"decisions lost: {len(tally.lost)}")
    return 1 if tally.crashes or tally.lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
