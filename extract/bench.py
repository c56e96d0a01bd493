"""``make bench``: throughput and peak memory on a generated corpus of a million words or more.

The corpus recombines sentences of the seeds and of the test articles in ``tests/articles``
into documents of about 600 words, with years, months, small numbers, weapon designations
and people's names swapped at random (from the gazetteers) so that caches do not flatter the
figures. The same corpus is then run through

1. bare ``spacy.blank("en")`` tokenisation + sentencizer (the floor),
2. the full pipeline in this process (matchers, date resolution, row building), and
3. ``python -m extract run`` end to end in a child process (reading, writing), at a quarter
   of the corpus and at the whole, to show that peak memory does not grow with corpus size.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from itertools import accumulate
from pathlib import Path
from typing import Iterator, Sequence

from .knowledge import gazetteer
from .entities import pipeline
from .corpus.files import Document, find_boilerplate
from .engine.runner import process
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


def _child_run(folder: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``python -m extract run`` in a fresh process."""
    code = ("import resource, subprocess, sys, time;"
            "t = time.perf_counter();"
            f"subprocess.run([sys.executable, '-m', 'extract', 'run', '--input', {str(folder)!r}, "
            f"'--output', {str(out)!r}, '--quiet', '--no-progress', '--jobs', '{jobs}'], check=True);"
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    seconds, rss_kib = result.stdout.split()
    return float(seconds), int(rss_kib) / 1024


def main(words: int = 1_000_000, jobs: int = 1, seed: int = 12345,
         reconcile_sizes: Sequence[int] = (100_000, 300_000, 1_000_000)) -> int:
    print(f"generating a corpus of {words:,} words (seed {seed}) ...", flush=True)
    texts = make_corpus(words, seed)
    n_words = sum(len(t.split()) for t in texts)
    print(f"corpus: {len(texts):,} documents, {n_words:,} words")

    nlp = pipeline.blank()
    t0 = time.perf_counter()
    n_sents = sum(1 for doc in nlp.pipe(texts, batch_size=256) for _ in doc.sents)
    base_s = time.perf_counter() - t0
    print(f"baseline  spacy.blank('en') + sentencizer : {n_words / base_s:>12,.0f} words/s  "
          f"({base_s:.1f} s, {n_sents:,} sentences)")

    documents = [Document(f"doc{i:06d}", f"doc{i:06d}.txt", t, "utf-8") for i, t in enumerate(texts)]
    t0 = time.perf_counter()
    entities = sum(len(r.entities) for r in process(iter(documents), None, jobs))
    full_s = time.perf_counter() - t0
    print(f"pipeline  matchers + dates + rows (jobs={jobs}): {n_words / full_s:>12,.0f} words/s  "
          f"({full_s:.1f} s, {entities:,} entities)")
    print(f"ratio     pipeline / baseline throughput   : {base_s / full_s:12.3f}")
    workers = os.cpu_count() or 1
    if jobs == 1 and workers > 1:
        t0 = time.perf_counter()
        sum(len(r.entities) for r in process(iter(documents), None, workers))
        pool_s = time.perf_counter() - t0
        print(f"pipeline  with a pool of {workers} processes (--jobs {workers}): {n_words / pool_s:>10,.0f} words/s  "
              f"({pool_s:.1f} s, {full_s / pool_s:.2f}x one process)")
    del documents

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"doc{i:06d}.txt").write_text(text, encoding="utf-8")
        quarter = Path(tmp) / "quarter"
        quarter.mkdir()
        for path in sorted(folder.glob("*.txt"))[: len(texts) // 4]:
            (quarter / path.name).write_bytes(path.read_bytes())
        for name, src in (("1/4 corpus", quarter), ("whole corpus", folder)):
            seconds, rss = _child_run(src, Path(tmp) / f"out-{name[0]}", jobs)
            src_words = n_words if src is folder else sum(len(p.read_text().split()) for p in src.glob("*.txt"))
            print(f"end-to-end `extract run` on {name:<12}: {src_words / seconds:>10,.0f} words/s  "
                  f"({seconds:.1f} s incl. start-up), peak RSS {rss:,.0f} MiB")
    print(f"this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB "
          f"(holds the generated corpus)")
    if reconcile_sizes:
        reconcile_bench(reconcile_sizes)
    return 0
