"""``--engine dask``: documents -> result rows on a Dask cluster.

The documents become a ``dask.bag`` of ``PARTITION`` documents per partition; each partition is
annotated by ``process_partition`` on a worker, which builds its pipeline once (cached per worker
thread, keyed by the gazetteer folder) and returns the partition's results. The driver takes the
partitions back in input order, at most ``IN_FLIGHT`` per worker ahead of the one it is writing,
so the outputs are written exactly as the local engine writes them: the same bytes.

Each partition also returns the worker's gazetteer fingerprint and code version: a worker whose
gazetteer files or code differ from the driver's would give other rows, so the run stops with an
error naming the worker instead. Without a scheduler address a ``LocalCluster`` is started (one
single-threaded worker process per CPU, as ``LOCAL_CLUSTER`` says) and closed after the run.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from ..corpus.files import Document
from ..entities import pipeline
from ..entities.annotate import DEFAULT_TIME_BUDGET, Annotator, DocumentResult
from ..entities.matchers.base import cached_gazetteers
from .cache import code_version

PARTITION = 32      # documents per bag partition (one worker task)
IN_FLIGHT = 4       # partitions per worker computed ahead of the driver
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
    (``Annotator.process``; in a worker thread the budget is kept by a watchdog, not a signal)."""
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


def _partitions(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while part := list(islice(iterator, size)):
        yield part


def process(documents: Iterable[Document], gazetteer_dir: Path | None, scheduler: str | None = None,
            budget: float = DEFAULT_TIME_BUDGET) -> Iterator[DocumentResult]:
    """Results in input order, computed on the cluster partition by partition."""
    import dask.bag as db

    folder = str(gazetteer_dir or "")
    expected = (cached_gazetteers(folder).fingerprint, code_version())
    with connect(scheduler) as client:
        ahead = IN_FLIGHT * max(1, len(client.scheduler_info().get("workers", {})))
        pending: deque[Any] = deque()
        for part in _partitions(documents, PARTITION * ahead):
            bag = db.from_sequence(part, partition_size=PARTITION).map_partitions(process_partition, folder, budget)
            pending.extend(client.compute(bag.to_delayed()))
            while len(pending) > ahead:
                yield from _gather(pending.popleft(), expected)
        while pending:
            yield from _gather(pending.popleft(), expected)


def _gather(future: Any, expected: tuple[str, str]) -> list[DocumentResult]:
    [(fingerprint, code, results)] = future.result()
    future.release()
    if (fingerprint, code) != expected:
        raise WorkerMismatch(f"a Dask worker has gazetteer fingerprint {fingerprint} and code version {code}, "
                             f"the driver {expected[0]} and {expected[1]}: give every worker the same "
                             f"extract version and gazetteer folder (see README, Dask)")
    return results
