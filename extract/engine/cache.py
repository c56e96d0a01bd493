"""Incremental runs: a per-document cache of extraction results.

A document's result (its documents.csv row, entities, mentions, suggestions and text) depends
only on the document as read (its bytes decoded, boilerplate found, manifest fields joined:
every field of :class:`~extract.corpus.files.Document`), on the gazetteers and on the code. The
cache keeps one folder per code version and, inside it, one folder per gazetteer fingerprint::

    CACHE/v-<code version>/g-<gazetteer fingerprint>/<ab>/<sha256 of the document>

so a rerun processes only new or changed documents, then reconciles everything as a full run
would: the outputs are the same bytes. Editing a gazetteer or lexicon file gives a new
fingerprint, hence a new (empty) folder; the folders of the last ``KEEP_GAZETTEERS``
fingerprints are kept, so going back to an earlier gazetteer reuses its results. A new code
version (any source file of the package, or the version of a library that shapes results)
drops every older version's folder. Entries of documents no longer in the input are removed
after a run.

Entries are written atomically (a temporary file, then ``os.replace``) and carry a sha256 of
their payload: an entry that is torn, truncated or unreadable is ignored and recomputed, never
fatal. Only documents processed without error are cached, so a document that failed (an
exception, a time budget) is tried again by the next run. Entries are pickles: keep the cache
folder as private as the outputs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import pickle
import shutil
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import metadata
from itertools import chain
from pathlib import Path

from .. import __version__
from ..corpus.files import Document
from ..entities.annotate import DocumentResult

log = logging.getLogger(__name__)

CACHE_DIR = ".cache"  # inside the output folder unless --cache-dir says otherwise
MAGIC = b"extract-cache-1\n"
KEEP_GAZETTEERS = 3  # gazetteer fingerprints whose results are kept
# Libraries whose version can change a result for the same document and code.
LIBRARIES = ("spacy", "dateparser", "rapidfuzz", "regex", "pycountry", "python-dateutil", "numpy", "pandas")
PACKAGE = Path(__file__).resolve().parent.parent

Engine = Callable[[Iterable[Document]], Iterator[DocumentResult]]


@lru_cache(maxsize=1)
def code_version() -> str:
    """sha256 over the package's source files and the versions of the libraries that shape results."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()[:16]


def document_key(document: Document) -> str:
    """sha256 over every field of the document as read: text, path, manifest fields, status."""
    fields = dataclasses.asdict(document)
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


class DocumentCache:
    """Results of earlier runs for one code version and one gazetteer fingerprint."""

    def __init__(self, root: Path, gazetteer_fingerprint: str, code: str | None = None) -> None:
        self.root = root
        self.version_dir = root / f"v-{code or code_version()}"
        self.folder = self.version_dir / f"g-{gazetteer_fingerprint}"
        self.reused = 0
        self.computed = 0
        self._writable = True

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def _payload(self, key: str) -> bytes | None:
        """The entry's pickled bytes when the entry is whole, else None."""
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        head = len(MAGIC)
        if data[:head] != MAGIC or hashlib.sha256(data[head + 32:]).digest() != data[head:head + 32]:
            log.info("cache entry %s is damaged; recomputing", self.path(key))
            return None
        return data[head + 32:]

    def valid(self, key: str) -> bool:
        return self._payload(key) is not None

    def load(self, key: str) -> DocumentResult | None:
        payload = self._payload(key)
        if payload is None:
            return None
        try:
            result = pickle.loads(zlib.decompress(payload))
        except Exception:  # noqa: BLE001 - any undecodable entry is a miss, never fatal
            log.info("cache entry %s cannot be read; recomputing", self.path(key))
            return None
        return result if isinstance(result, DocumentResult) else None

    def store(self, key: str, result: DocumentResult) -> None:
        """Write an entry atomically; a failure (disk full, permissions) only disables the cache."""
        if not self._writable:
            return
        payload = zlib.compress(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), 1)
        path = self.path(key)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(temp, path)
        except OSError as exc:
            log.warning("cache not written (%s); this run goes on without it", exc)
            self._writable = False
            temp.unlink(missing_ok=True)

    def run(self, documents: Iterable[Document], engine: Engine,
            reread: Callable[[str], Document]) -> Iterator[DocumentResult]:
        """Results of ``documents`` in input order: cached ones loaded, the others computed by ``engine``
        (which sees only those) and stored. ``reread(doc_id)`` reads a document again should its
        entry be damaged between the check and its use."""
        keys: list[str] = []
        doc_ids: list[str] = []
        computed: list[int] = []  # positions of the documents given to the engine, in its order
        held: dict[int, DocumentResult] = {}  # results not cached: skipped or failed documents, cache unwritable

        def misses() -> Iterator[Document]:
            for document in documents:
                key = document_key(document)
                keys.append(key)
                doc_ids.append(document.doc_id)
                if not self.valid(key):
                    computed.append(len(keys) - 1)
                    yield document

        stream = misses()
        first = next(stream, None)  # no engine (no pipeline to build) when every document is cached
        for n, result in enumerate(engine(chain([first], stream)) if first is not None else ()):
            position = computed[n]
            if result.document.get("status") == "ok":
                self.store(keys[position], result)
            if result.document.get("status") != "ok" or not self._writable:
                held[position] = result
        self.computed, self.reused = len(computed), len(keys) - len(computed)
        for position, key in enumerate(keys):
            result = held.pop(position, None) or self.load(key)
            if result is None:  # damaged since it was checked: compute it again
                result = next(engine([reread(doc_ids[position])]))
            yield result
        self.prune(set(keys))

    def prune(self, keep: set[str]) -> None:
        """Drop entries not in ``keep``, older code versions and all but the last gazetteer folders."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for shard in self.folder.iterdir():
                for entry in shard.iterdir():
                    if shard.name + entry.name not in keep:
                        entry.unlink(missing_ok=True)
            os.utime(self.folder)
            for other in self.root.glob("v-*"):
                if other != self.version_dir:
                    shutil.rmtree(other, ignore_errors=True)
            folders = sorted(self.version_dir.glob("g-*"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in folders[KEEP_GAZETTEERS:]:
                shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            log.warning("cache not pruned (%s)", exc)
