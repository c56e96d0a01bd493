"""``--engine dask``: documents -> result rows on a Dask cluster.

The driver (``FileRun``) only lists the input files and reads the manifest. The files become a
``dask.bag`` of ``PARTITION`` files per partition; on a worker, ``stage_partition`` reads its
files itself (local paths or fsspec URLs), takes unchanged documents from the incremental cache
when there is one, annotates the others with a pipeline built once per worker thread
(``process_partition``), and writes the partition's results to a staging folder (under the
output folder unless told otherwise; a local path or an fsspec URL the workers and the driver
share). It returns only where that partition file is. The driver takes the partitions back in
input order, at most ``IN_FLIGHT`` per worker ahead of the one it is writing, reads each file,
deletes it, and writes the outputs exactly as the local engine does: the same bytes. The final
outputs stay on the driver (SQLite, the review files, atomic renames).

Reconciliation is a shuffle by block key (``FileRun.reconcile``, see engine/shuffle.py): the
driver groups the mentions into units (``cluster.units``: union-find over block keys only), sends
the rows of consecutive units, about ``SHUFFLE_ROWS`` mentions per task, to the workers, which
merge each unit (``Reconciler.unit_claims``, needing no other unit), and gives the ids and the
order to the claims it gathers back in unit order (``Reconciler.finish``): the claims the local
engine gives.

Each partition also returns the worker's gazetteer fingerprint and code version: a worker whose
gazetteer files or code differ from the driver's would give other rows, so the run stops with an
error naming the worker instead. Without a scheduler address a ``LocalCluster`` is started (one
single-threaded worker process per CPU, as ``LOCAL_CLUSTER`` says) and closed after the run.
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
import uuid
import zlib
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

from ..corpus.files import Document, ManifestEntry, ManifestError, documents_in, load_manifest, taken
from ..corpus.formats import SUFFIXES, InputError, doc_id_of, input_files
from ..entities import pipeline
from ..entities.annotate import DEFAULT_TIME_BUDGET, Annotator, DocumentResult, document_row
from ..entities.matchers.base import cached_gazetteers
from ..knowledge.gazetteer import Lexicon
from ..reconcile.cluster import Reconciler, Row
from .cache import DocumentCache, code_version, document_key
from .shuffle import group_claims, unit_groups

PARTITION = 32      # documents per bag partition (one worker task)
IN_FLIGHT = 4       # partitions (or reconciliation tasks) per worker computed ahead of the driver
SHUFFLE_ROWS = 20_000  # mentions per reconciliation task (a larger unit is a task alone)
STAGING = ".staging"  # the workers' partition files: OUTPUT/.staging-RUN by default, else STAGING_URL/RUN
CONNECT_TIMEOUT = "30s"  # to reach a scheduler given by --scheduler
# Options of the LocalCluster started when no scheduler is given (tests use fewer, in-process workers).
LOCAL_CLUSTER: dict[str, Any] = {"n_workers": os.cpu_count() or 1, "threads_per_worker": 1, "processes": True}

_local = threading.local()


class ClusterError(RuntimeError):
    """The cluster cannot be reached, or cannot give this run's rows."""


class WorkerMismatch(ClusterError):
    """A worker's gazetteers or code differ from the driver's."""


def _worker_pipeline(gazetteer_dir: str) -> tuple[Any, Annotator]:
    """This worker thread's pipeline, built on first use (spaCy pipelines are not shared across threads)."""
    built: dict[str, tuple[Any, Annotator]] = _local.__dict__.setdefault("pipelines", {})
    if gazetteer_dir not in built:
        built[gazetteer_dir] = (pipeline.build(gazetteer_dir or None), Annotator(cached_gazetteers(gazetteer_dir)))
    return built[gazetteer_dir]


def process_partition(documents: Iterable[Document], gazetteer_dir: str,
                      budget: float = DEFAULT_TIME_BUDGET) -> list[tuple[str, str, list[DocumentResult]]]:
    """One bag partition: ``[(gazetteer fingerprint, code version, results in order)]``. A document
    that fails or exceeds ``budget`` CPU seconds is skipped with its reason, as the local engine does
    (``Annotator.process``, which keeps the budget where it can: see ``annotate.time_budget``)."""
    nlp, annotator = _worker_pipeline(gazetteer_dir)
    results = [annotator.process(nlp, d, budget) for d in documents]
    return [(cached_gazetteers(gazetteer_dir).fingerprint, code_version(), results)]


@contextmanager
def connect(scheduler: str | None) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a LocalCluster started for the run."""
    from dask.distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO lines would bury the run's summary
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"no Dask scheduler answers at {scheduler} ({exc})") from exc
        with client:
            yield client
        return
    with LocalCluster(**LOCAL_CLUSTER) as cluster, Client(cluster) as client:
        yield client


class RemotePath:
    """The few ``Path`` methods the document readers use, on an fsspec URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = PurePosixPath(url).name
        self.suffix = PurePosixPath(url).suffix
        self.stem = PurePosixPath(url).stem

    def __str__(self) -> str:
        return self.url

    def _fs(self) -> tuple[Any, str]:
        from fsspec.core import url_to_fs

        return url_to_fs(self.url)

    def stat(self) -> SimpleNamespace:
        fs, path = self._fs()
        return SimpleNamespace(st_size=fs.size(path))

    def read_bytes(self) -> bytes:
        fs, path = self._fs()
        return bytes(fs.cat_file(path))

    def open(self, mode: str = "r", **text: Any) -> Any:
        import fsspec

        return fsspec.open(self.url, mode if "b" in mode else mode.replace("t", "") + "t", **text).open()

    def exists(self) -> bool:
        fs, path = self._fs()
        return bool(fs.exists(path))

    def is_symlink(self) -> bool:
        return False


def as_path(place: Path | str) -> Path | RemotePath:
    """A local path as a ``Path``, a URL (``protocol://...``) as a ``RemotePath``."""
    if isinstance(place, Path) or "://" not in place:
        return Path(place)
    return RemotePath(place)


def list_files(input_dir: Path | str, recursive: bool) -> list[tuple[str, str]]:
    """``(location, doc_id)`` of every article file, in doc_id order (``formats.input_files`` on a URL)."""
    if isinstance(input_dir, Path):
        return [(str(p), doc_id_of(p, input_dir)) for p in input_files(input_dir, recursive)]
    from fsspec.core import url_to_fs

    fs, root = url_to_fs(input_dir)
    if not fs.isdir(root):
        raise InputError(f"cannot read input folder {input_dir}: no such folder")
    found = []
    for name in fs.find(root, maxdepth=None if recursive else 1):
        relative = PurePosixPath(name).relative_to(root)
        if relative.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in relative.parts):
            found.append((relative.with_suffix("").as_posix(), relative.suffix, fs.unstrip_protocol(name)))
    return [(url, doc_id) for doc_id, _, url in sorted(found)]


def read_files(files: Iterable[tuple[str, str]], lexicon: Lexicon, manifest: dict[str, ManifestEntry],
               max_bytes: int) -> list[Document]:
    """The documents of ``files`` as ``iter_documents`` reads them (a .jsonl file holds several)."""
    return [doc for place, doc_id in files
            for doc in documents_in(as_path(place), doc_id, lexicon, manifest, max_bytes)]  # type: ignore[arg-type]


@dataclass(frozen=True)
class Job:
    """What a worker needs besides its files: the gazetteer folder, the file size limit, the cache
    folder (shared with the driver; None: no cache), the staging folder (path or URL) and the
    time budget per document."""
    gazetteer_dir: str
    max_bytes: int
    cache_dir: str | None
    staging: str
    budget: float = DEFAULT_TIME_BUDGET


@dataclass
class Staged:
    """What a worker returns for one partition: who computed it, where the results are, the
    cache keys of its documents and how many of them came from the cache."""
    fingerprint: str
    code: str
    url: str
    keys: list[str] = field(default_factory=list)
    reused: int = 0


def stage_partition(items: Iterable[tuple[str, str, dict[str, ManifestEntry]]], job: Job) -> list[Staged]:
    """One bag partition on a worker: read the files, take cached results, annotate the others,
    store them in the cache, and write the results in order to one file in the staging folder."""
    items = list(items)
    gaz = cached_gazetteers(job.gazetteer_dir)
    manifest = {doc_id: entry for _, _, entries in items for doc_id, entry in entries.items()}
    documents = read_files([(place, doc_id) for place, doc_id, _ in items], gaz.lexicon, manifest, job.max_bytes)
    cache = DocumentCache(Path(job.cache_dir), gaz.fingerprint) if job.cache_dir else None
    keys = [document_key(d) for d in documents] if cache else []
    cached = [cache.load(key) for key in keys] if cache else [None] * len(documents)
    misses = [d for d, result in zip(documents, cached) if result is None]
    fingerprint, code = gaz.fingerprint, code_version()
    computed: list[DocumentResult] = []
    if misses:  # no pipeline to build when every document is cached
        [(fingerprint, code, computed)] = process_partition(misses, job.gazetteer_dir, job.budget)
    fresh = iter(computed)
    results = [result if result is not None else next(fresh) for result in cached]
    if cache:
        for key, result, hit in zip(keys, results, cached):
            if hit is None and result.document.get("status") == "ok":
                cache.store(key, result)
    url = f"{job.staging}/{uuid.uuid4().hex}.part"
    _write(url, zlib.compress(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL), 1))
    return [Staged(fingerprint, code, url, keys, len(documents) - len(misses))]


def _write(url: str, data: bytes) -> None:
    """Write a file atomically where the filesystem allows it (a temporary name, then a move)."""
    from fsspec.core import url_to_fs

    fs, path = url_to_fs(url)
    fs.makedirs(str(PurePosixPath(path).parent), exist_ok=True)
    fs.pipe_file(path + ".tmp", data)
    fs.mv(path + ".tmp", path)


def _take(staged: Staged) -> list[DocumentResult]:
    """The results a worker staged; the file is deleted once read."""
    from fsspec.core import url_to_fs

    fs, path = url_to_fs(staged.url)
    results: list[DocumentResult] = pickle.loads(zlib.decompress(fs.cat_file(path)))
    fs.rm_file(path)
    return results


class FileRun:
    """An ``--engine dask`` run as the driver sees it: the files to give out, and the results back
    in input order (``results``). ``reused``: documents taken from the cache (None: no cache)."""

    def __init__(self, input_dir: Path | str, output_dir: Path, gazetteer_dir: Path | None,
                 manifest_path: Path | str | None, max_bytes: int, recursive: bool,
                 cache_dir: Path | None, staging: str | None = None, budget: float = DEFAULT_TIME_BUDGET) -> None:
        self.files = list_files(input_dir, recursive)
        self.manifest = _manifest(input_dir, manifest_path)
        folder = str(gazetteer_dir or "")
        self.expected = (cached_gazetteers(folder).fingerprint, code_version())
        run = uuid.uuid4().hex  # the cache and staging folders as absolute paths: workers may run elsewhere
        self.job = Job(folder, max_bytes, str(cache_dir.absolute()) if cache_dir else None,
                       f"{staging}/{run}" if staging else f"{output_dir.absolute() / STAGING}-{run}", budget)
        self.reused: int | None = 0 if cache_dir else None
        self.client: Any = None  # while ``connected``

    @property
    def total(self) -> int:
        return len(self.files)

    def _items(self) -> Iterator[tuple[str, str, dict[str, ManifestEntry]]]:
        for place, doc_id in self.files:
            jsonl = place.lower().endswith(".jsonl")
            yield place, doc_id, self.manifest if jsonl else {k: self.manifest[k] for k in (doc_id,) if k in self.manifest}

    def results(self) -> Iterator[DocumentResult]:
        """Results in input order (a doc_id met again is skipped, as ``iter_documents`` does), inside
        ``connected``; the cache is pruned to this input's documents at the end, the staging folder
        always removed."""
        keys: list[str] = []
        seen: dict[str, str] = {}
        try:
            for staged in self._staged():
                if self.reused is not None:
                    self.reused += staged.reused
                keys += staged.keys
                for result in _take(staged):
                    yield _unique(result, seen)
        finally:
            self._clean()
        if self.job.cache_dir:
            DocumentCache(Path(self.job.cache_dir), self.expected[0]).prune(set(keys))

    @contextmanager
    def connected(self, scheduler: str | None) -> Iterator[None]:
        """The run's cluster (``connect``), kept for ``results`` and ``reconcile``."""
        with connect(scheduler) as self.client:
            yield

    def _ahead(self) -> int:
        return IN_FLIGHT * max(1, len(self.client.scheduler_info().get("workers", {})))

    def _staged(self) -> Iterator[Staged]:
        import dask.bag as db

        def partitions() -> Iterator[Any]:
            for chunk in _chunks(self._items(), PARTITION * ahead):
                bag = db.from_sequence(chunk, partition_size=PARTITION).map_partitions(stage_partition, self.job)
                yield from self.client.compute(bag.to_delayed())

        ahead = self._ahead()
        for future in _in_order(partitions(), ahead):
            yield _checked(future, self.expected)

    def reconcile(self, reconciler: Reconciler, mentions: Sequence[Row],
                  previous: Mapping[str, Sequence[str]] | None = None) -> list[dict[str, object]]:
        """``reconciler.reconcile(mentions, previous)`` as a shuffle: the units on the driver, their
        claims on the workers (groups of consecutive units, at most ``IN_FLIGHT`` per worker ahead),
        the ids and the order on the driver."""
        shared = self.client.scatter(reconciler, broadcast=True, hash=False)

        def task(group: list[list[Row]]) -> Any:  # the rows go to a worker as data, not inside the task graph
            [rows] = self.client.scatter([group], hash=False)
            return self.client.submit(group_claims, shared, rows, pure=False)

        tasks = (task(group) for group in unit_groups(mentions, SHUFFLE_ROWS))
        claims: list[dict[str, object]] = []
        for future in _in_order(tasks, self._ahead()):
            claims += future.result()
            future.release()
        return reconciler.finish(claims, previous)

    def _clean(self) -> None:
        from fsspec.core import url_to_fs

        fs, path = url_to_fs(self.job.staging)
        if fs.exists(path):
            fs.rm(path, recursive=True)


def _in_order(futures: Iterable[Any], ahead: int) -> Iterator[Any]:
    """``futures`` in order, at most ``ahead`` of them submitted beyond the one being read."""
    pending: deque[Any] = deque()
    for future in futures:
        pending.append(future)
        if len(pending) > ahead:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


def _checked(future: Any, expected: tuple[str, str]) -> Staged:
    """The partition a future holds, once its worker's gazetteers and code are the driver's."""
    [staged] = future.result()
    future.release()
    if (staged.fingerprint, staged.code) != expected:
        raise WorkerMismatch(f"a Dask worker has gazetteer fingerprint {staged.fingerprint} and code version "
                             f"{staged.code}, the driver {expected[0]} and {expected[1]}: give every "
                             f"worker the same extract version and gazetteer folder (see README, Dask)")
    return staged


def _manifest(input_dir: Path | str, manifest_path: Path | str | None) -> dict[str, ManifestEntry]:
    """The manifest as ``iter_documents`` finds it: the one named (which must exist), else the input's."""
    if manifest_path is not None:
        named = as_path(manifest_path)
        if not named.exists():
            raise ManifestError(f"{manifest_path}: manifest not found")
        return load_manifest(named)  # type: ignore[arg-type]
    default = as_path(input_dir / "manifest.csv" if isinstance(input_dir, Path) else f"{input_dir.rstrip('/')}/manifest.csv")
    return load_manifest(default) if default.exists() else {}  # type: ignore[arg-type]


def _unique(result: DocumentResult, seen: dict[str, str]) -> DocumentResult:
    """``result``, or a skipped one when its doc_id was already taken by an earlier file."""
    duplicate = taken(str(result.document["doc_id"]), str(result.document["path"]), seen)
    return DocumentResult(document_row(duplicate)) if duplicate else result


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
