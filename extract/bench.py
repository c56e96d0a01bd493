"""``make bench``: throughput and peak memory on a generated corpus of a million words or more.

The corpus recombines sentences of the seeds and of the test articles in ``tests/articles``
into documents of about 600 words, with years, months, small numbers, weapon designations
and people's names swapped at random (from the gazetteers) so that caches do not flatter the
figures. The figures of issue 11's table, each from one run (``PARTS``; ``extract bench --parts``):

- ``pipeline``: the pipeline alone in this process (matchers, dates, rows), against bare
  ``spacy.blank("en")`` tokenisation + sentencizer on the same texts (the floor);
- ``single``: ``extract run --jobs 1 --no-cache`` end to end in a child process;
- ``default``: ``extract run`` with the default options (a worker per CPU, the cache filled);
- ``dask``: the same with ``--engine dask`` (a LocalCluster), and whether its outputs are the
  local engine's bytes;
- ``incremental``: a rerun of the default run after adding ``added`` documents;
- ``memory``: the default run's peak RSS on ``scale`` times the corpus against the 1x corpus;
- ``reconcile``: the reconciler on synthetic mention files (``reconcile_bench``), run first.

Throughput is words per CPU second (the process and every process it waited for: pool and
Dask workers), and its ratio to the baseline's is given in CPU time and in wall time (where
parallel workers count, and a machine shared with other jobs adds noise).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .knowledge import gazetteer
from .entities import pipeline
from .corpus.files import Document, find_boilerplate
from .engine.cache import CACHE_DIR
from .engine.dask_engine import STAGING
from .schema import MENTION_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "seeds", ROOT / "tests" / "articles")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def source_sentences() -> list[str]:
    nlp = pipeline.blank()
    gaz = gazetteer.load()
    sentences: list[str] = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            document = Document(path.stem, str(path), path.read_text(encoding="utf-8"))
            document.boilerplate = find_boilerplate(document.text, gaz.lexicon)
            for sent in nlp(document.clean_text).sents:
                text = " ".join(sent.text.split())
                if len(text.split()) >= 5:
                    sentences.append(text)
    return sentences


def make_corpus(words: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    gaz = gazetteer.load()
    sentences = source_sentences()
    weapons = sorted(w.canonical for w in gaz.weapons.values())
    people = sorted(p.canonical for p in gaz.people.values())
    weapon_re = re.compile("|".join(re.escape(w) for w in sorted(weapons, key=len, reverse=True)))
    people_re = re.compile("|".join(re.escape(p) for p in sorted(people, key=len, reverse=True)))
    docs: list[str] = []
    total = 0
    while total < words:
        paragraphs = []
        length = 0
        while length < 600:
            para = []
            for _ in range(rng.randint(3, 5)):
                s = rng.choice(sentences)
                s = re.sub(r"\b(19[5-9]\d|20[0-2]\d)\b", lambda _: str(rng.randint(1990, 2025)), s)
                s = re.sub(r"\b(" + "|".join(MONTHS) + r")\b", lambda _: rng.choice(MONTHS), s)
                s = re.sub(r"(?<![\w-])\d{1,3}(?![\w-])", lambda _: str(rng.randint(1, 400)), s)
                s = weapon_re.sub(lambda _: rng.choice(weapons), s)
                s = people_re.sub(lambda _: rng.choice(people), s)
                para.append(s)
                length += len(s.split())
            paragraphs.append(" ".join(para))
        docs.append("\n\n".join(paragraphs))
        total += length
    return docs


# ---------------------------------------------------------------- synthetic mentions (reconciler bench)

HOT_SPEAKER = "Hot Spokesperson"
_STATUSES = ("delivered", "ordered", "negotiating", "offered", "in_service")


class _Zipf:
    """Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1) ** exponent."""

    def __init__(self, rng: random.Random, n: int, exponent: float) -> None:
        self.rng = rng
        self.cumulative = list(accumulate(1.0 / (r + 1) ** exponent for r in range(n)))

    def __call__(self) -> int:
        return bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])


def synthetic_mentions(n: int, seed: int = 7, hot: int = 20_000) -> Iterator[dict[str, object]]:
    """``n`` mention rows for the reconciler bench: block keys (systems, recipients, speakers,
    people, parties) drawn from Zipf distributions, 15% syndicated copies (same slots and words,
    another document), 10% paraphrased copies (two words changed), and one hot block: ``hot``
    statements of one speaker. About five mentions per document; dates over ten years."""
    rng = random.Random(seed)
    vocabulary = [f"w{k}" for k in range(4000)]
    countries = [f"Country{k}" for k in range(80)]
    families = _Zipf(rng, 600, 0.9)
    recipients = _Zipf(rng, len(countries), 1.0)
    speakers = _Zipf(rng, 5000, 0.8)
    people = _Zipf(rng, 5000, 0.7)
    kinds = ("transfer",) * 8 + ("statement",) * 5 + ("meeting",) * 4 + ("agreement", "combat_use", "exercise")
    made: list[dict[str, object]] = []   # recent rows, for copies
    hot_left = min(hot, n)

    def words(k: int) -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(k))

    def date(row: dict[str, object]) -> None:
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
        grain = rng.random()
        if grain < 0.6:
            row.update(date_value=day.isoformat(), date_start=day.isoformat(), date_end=day.isoformat())
        elif grain < 0.85:
            first = day.replace(day=1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            row.update(date_value=first.isoformat()[:7], date_start=first.isoformat(), date_end=last.isoformat())
        row["date_text"] = str(row["date_value"])

    for i in range(n):
        doc = f"d{i // 5:07d}"
        if made and rng.random() < 0.25:  # a copy of a recent mention in another document
            row = dict(rng.choice(made[-500:]))
            if rng.random() < 0.4:  # paraphrased
                for slot in ("evidence", "quote"):
                    text = str(row[slot]).split()
                    for _ in range(2 if text else 0):
                        text[rng.randrange(len(text))] = rng.choice(vocabulary)
                    row[slot] = " ".join(text)
        else:
            row = {c: "" for c in MENTION_COLUMNS}
            is_hot = hot_left > 0 and rng.random() < hot / n  # with its copies, about ``hot`` rows
            kind = "statement" if is_hot else rng.choice(kinds)
            row.update(claim_type=kind, polarity="negated" if rng.random() < 0.05 else "asserted")
            if kind == "statement":
                speaker = HOT_SPEAKER if is_hot else f"Speaker {speakers()}"
                hot_left -= is_hot
                quote = words(rng.randint(10, 25))
                row.update(speaker=speaker, quote=quote, evidence=f'{speaker} said "{quote}"')
            elif kind == "transfer":
                family = f"X-{families()}"
                variant = family + rng.choice(("", "", "A", "B"))
                row.update(supplier=rng.choice(("", countries[hash(family) % 80])), recipient=countries[recipients()],
                           family=family, weapon=variant, weapon_id=variant.lower(), status=rng.choice(_STATUSES),
                           quantity=rng.choice(("", "", str(rng.randint(2, 60)))))
                row["evidence"] = f"{row['recipient']} {row['status']} {row['quantity']} {variant} {words(12)}"
            elif kind == "meeting":
                met = sorted({f"Person {people()}", f"Person {people()}"})
                row.update(people=";".join(met), place=rng.choice(("", rng.choice(countries))),
                           evidence=f"{' and '.join(met)} met {words(10)}")
            else:
                parties = sorted({countries[recipients()], countries[recipients()]})
                row.update(parties=";".join(parties), evidence=f"{' and '.join(parties)} {kind} {words(12)}")
                if kind == "combat_use":
                    row.update(family=f"X-{families()}", weapon=f"X-{families()}")
            date(row)
        row.update(mention_id=f"m{i:08d}", doc_id=doc)
        made.append(row)
        if len(made) > 1000:
            del made[:500]
        yield row


_RECONCILE_CHILD = """
import resource, sys, time
from pathlib import Path
from extract.outputs.writers import read_rows
from extract.reconcile.cluster import MentionTable, Reconciler
rows = MentionTable(read_rows(Path(sys.argv[1])))
t = time.process_time()
reconciler = Reconciler()
claims = reconciler.reconcile(rows)
print(time.process_time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, reconciler.judged, len(claims))
"""


def _child_reconcile(mentions: Path) -> tuple[float, float, int, int]:
    """CPU seconds of ``Reconciler.reconcile`` (clusters, merged claims, ids) on a mentions file in
    a fresh process, its peak RSS (MiB, rows included, held as ``extract reconcile`` holds them),
    pairs judged and claims."""
    result = subprocess.run([sys.executable, "-c", _RECONCILE_CHILD, str(mentions)], cwd=ROOT, check=True,
                            capture_output=True, text=True)
    seconds, rss_kib, judged, claims = result.stdout.split()
    return float(seconds), int(rss_kib) / 1024, int(judged), int(claims)


def reconcile_bench(sizes: Sequence[int], seed: int = 7) -> None:
    """Reconcile synthetic mention files of each size in a child process."""
    print("reconciler on synthetic mentions (Zipf keys, 25% copies, a hot block of 20,000 statements):")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"mentions-{size}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, MENTION_COLUMNS, lineterminator="\n")
                writer.writeheader()
                writer.writerows(synthetic_mentions(size, seed))
            seconds, rss, judged, claims = _child_reconcile(path)
            print(f"  {size:>9,} mentions: {judged:>11,} pairs judged, {seconds:7.1f} s CPU, peak RSS {rss:6,.0f} MiB "
                  f"-> {claims:,} claims", flush=True)
            path.unlink()


PARTS = ("pipeline", "single", "default", "dask", "incremental", "memory", "reconcile")


@dataclass(frozen=True)
class Measured:
    """One child process: wall seconds, CPU seconds (it and every process it waited for) and the
    largest peak RSS among them (MiB)."""
    wall: float
    cpu: float
    rss: float


_RUN_CHILD = """
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run([sys.executable, '-m', 'extract', 'run', '--quiet', '--no-progress', *sys.argv[1:]], check=True)
wall = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def child_run(folder: Path, out: Path, *options: str) -> Measured:
    """``python -m extract run`` on ``folder`` in a fresh process, with ``options``."""
    result = subprocess.run([sys.executable, "-c", _RUN_CHILD, "--input", str(folder), "--output", str(out), *options],
                            cwd=ROOT, check=True, capture_output=True, text=True)
    wall, cpu, rss_kib = result.stdout.split()
    return Measured(float(wall), float(cpu), int(rss_kib) / 1024)


def same_outputs(a: Path, b: Path) -> list[str]:
    """Output files (the cache and staging folders aside) whose bytes differ, or that only one folder has."""
    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and not any(part == CACHE_DIR or part.startswith(STAGING)
                                           for part in p.relative_to(folder).parts)}
    left, right = files(a), files(b)
    return sorted(name for name in left.keys() | right.keys() if left.get(name) != right.get(name))


def write_corpus(texts: Sequence[str], folder: Path, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts, start):
        (folder / f"doc{i:06d}.txt").write_text(text, encoding="utf-8")
    return folder


def _words(texts: Sequence[str]) -> int:
    return sum(len(t.split()) for t in texts)


def _cpu(work: Callable[[], object]) -> tuple[float, float, object]:
    """CPU and wall seconds of ``work()`` in this process, and its value."""
    cpu, wall = time.process_time(), time.perf_counter()
    value = work()
    return time.process_time() - cpu, time.perf_counter() - wall, value


class Bench:
    """The figures of issue 11's table on one generated corpus, each measured in one run. The
    1x corpus is ``words`` words; the memory figure runs ``scale`` times as many."""

    def __init__(self, words: int, seed: int, scale: int, added: int, tmp: Path) -> None:
        print(f"generating a corpus of {words:,} words (and {scale}x for the memory figure; seed {seed}) ...",
              flush=True)
        self.all_texts = make_corpus(words * scale, seed)
        self.texts = self.all_texts[: next(i + 1 for i, n in enumerate(accumulate(len(t.split()) for t in self.all_texts))
                                           if n >= words)]
        self.words, self.scale, self.added, self.seed, self.tmp = _words(self.texts), scale, added, seed, tmp
        self.folder = write_corpus(self.texts, tmp / "corpus")
        print(f"corpus: {len(self.texts):,} documents, {self.words:,} words")

    @cached_property
    def baseline(self) -> Measured:
        """``spacy.blank("en")`` + sentencizer over the 1x corpus in this process: the floor."""
        nlp = pipeline.blank()
        cpu, wall, sentences = _cpu(lambda: sum(1 for doc in nlp.pipe(self.texts, batch_size=256) for _ in doc.sents))
        print(f"{'baseline, spacy.blank(en) + sentencizer':<46}: {self.words / cpu:>10,.0f} words/s CPU "
              f"({cpu:.1f} s CPU, {wall:.1f} s wall, {sentences:,} sentences)")
        return Measured(wall, cpu, 0.0)

    def line(self, label: str, m: Measured, detail: str = "") -> None:
        """A throughput line: words per CPU second, and the baseline's time over this one's
        (CPU: the work done; wall: what the user waits, where parallel workers count)."""
        rss = f", peak RSS {m.rss:,.0f} MiB" if m.rss else ""
        print(f"{label:<46}: {self.words / m.cpu:>10,.0f} words/s CPU, ratio {self.baseline.cpu / m.cpu:.3f} CPU, "
              f"{self.baseline.wall / m.wall:.3f} wall ({m.cpu:.1f} s CPU, {m.wall:.1f} s wall{rss})"
              + (f"; {detail}" if detail else ""), flush=True)

    @cached_property
    def local(self) -> Measured:
        """``extract run`` with the default options on the 1x corpus, in a new output folder (the
        cache is filled)."""
        measured = child_run(self.folder, self.tmp / "out-local")
        self.line("end to end, default options (--jobs per CPU)", measured)
        return measured

    def pipeline(self) -> None:
        from .engine.runner import process  # here: the command line imports this module for PARTS

        documents = [Document(f"doc{i:06d}", f"doc{i:06d}.txt", t, "utf-8") for i, t in enumerate(self.texts)]
        cpu, wall, entities = _cpu(lambda: sum(len(r.entities) for r in process(iter(documents), None, 1)))
        self.line("pipeline alone, in this process", Measured(wall, cpu, 0.0), f"{entities:,} entities")

    def single(self) -> None:
        self.line("end to end, one process (--jobs 1)",
                  child_run(self.folder, self.tmp / "out-one", "--jobs", "1", "--no-cache"))

    def default(self) -> None:
        assert self.local

    def dask(self) -> None:
        local = self.local
        m = child_run(self.folder, self.tmp / "out-dask", "--engine", "dask")
        differ = same_outputs(self.tmp / "out-local", self.tmp / "out-dask")
        self.line("end to end, --engine dask (LocalCluster)", m,
                  f"{local.wall / m.wall:.2f}x the local engine's wall throughput, outputs "
                  + ("byte-identical" if not differ else f"DIFFER: {', '.join(differ)}"))

    def incremental(self) -> None:
        full = self.local
        extra = make_corpus(self.added * 700, self.seed + 1)[: self.added]
        write_corpus(extra, self.folder, start=len(self.texts))
        rerun = child_run(self.folder, self.tmp / "out-local")
        print(f"{f'rerun after adding {self.added} documents to {len(self.texts):,}':<46}: {rerun.cpu:.1f} s CPU, "
              f"{rerun.wall:.1f} s wall vs {full.cpu:.1f} s CPU, {full.wall:.1f} s wall for the full run "
              f"({rerun.cpu / full.cpu:.2f} of its CPU)", flush=True)
        for path in sorted(self.folder.glob("*.txt"))[len(self.texts):]:
            path.unlink()

    def memory(self) -> None:
        one = self.local
        folder = write_corpus(self.all_texts, self.tmp / "corpus-x")
        many = child_run(folder, self.tmp / "out-x")
        print(f"{f'peak RSS, {self.scale}x corpus vs 1x':<46}: {many.rss:,.0f} MiB vs {one.rss:,.0f} MiB, ratio "
              f"{many.rss / one.rss:.2f} ({_words(self.all_texts):,} words, default options; {many.cpu:.1f} s CPU, "
              f"{many.wall:.1f} s wall)", flush=True)
        shutil.rmtree(folder)


def main(words: int = 1_000_000, seed: int = 12345, reconcile_sizes: Sequence[int] = (100_000, 300_000, 1_000_000),
         parts: Sequence[str] = PARTS, scale: int = 4, added: int = 10) -> int:
    """Print the figures of ``parts`` (all by default); the reconciler's first, while this process
    is small: a child forked from it reports at least this process's peak RSS (Linux keeps the
    high-water mark across fork and exec), and the corpus would inflate the reconciler's figure."""
    if "reconcile" in parts and reconcile_sizes:
        reconcile_bench(reconcile_sizes)
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(words, seed, scale if "memory" in parts else 1, added, Path(tmp)) \
            if set(parts) - {"reconcile"} else None
        if bench is not None:
            steps = {"pipeline": bench.pipeline, "single": bench.single, "default": bench.default,
                     "dask": bench.dask, "incremental": bench.incremental, "memory": bench.memory}
            for part in PARTS[:-1]:
                if part in parts:
                    steps[part]()
    print(f"this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB "
          f"(holds the generated corpus)")
    return 0
