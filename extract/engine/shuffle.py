"""Reconciliation as a shuffle by unit, for both engines: the mentions' units (``cluster.units``:
union-find over block keys) are packed in order into groups of about so many mentions
(``unit_groups``; a unit is never split), each group's claims are made apart from every other
group (``group_claims``: ``Reconciler.unit_claims`` unit after unit), and ``Reconciler.finish``
gives the ids and the order to the claims gathered back in unit order: the claims of
``Reconciler.reconcile``, byte for byte. ``--engine dask`` sends the groups to its workers
(``dask_engine.FileRun.reconcile``); ``--jobs N`` to a pool of N processes (``pool_reconcile``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial

from ..reconcile.cluster import Reconciler, Row, units
from . import pool

POOL_ROWS = 2_000  # mentions per task of the local pool: small, so both processes stay busy to the end

Claims = list[dict[str, object]]


def groups(found: list[list[int]], rows: int) -> Iterator[list[list[int]]]:
    """Consecutive units, about ``rows`` mentions together (a unit is never split)."""
    group: list[list[int]] = []
    size = 0
    for unit in found:
        group.append(unit)
        size += len(unit)
        if size >= rows:
            yield group
            group, size = [], 0
    if group:
        yield group


def unit_groups(mentions: Sequence[Row], rows: int) -> Iterator[list[list[Row]]]:
    """The mention rows of the units (``groups``), unit by unit, made as they are taken."""
    for group in groups(units(mentions), rows):
        yield [[mentions[i] for i in unit] for unit in group]


def group_claims(reconciler: Reconciler, group: list[list[Row]]) -> Claims:
    """On a worker: the claims of a group of units, unit after unit (``Reconciler.unit_claims``)."""
    return [claim for rows in group for claim in reconciler.unit_claims(rows)]


_RECONCILER: Reconciler | None = None  # a pool worker's


def _init_worker(reconciler: Reconciler) -> None:
    global _RECONCILER
    pool.worker_signals()
    _RECONCILER = reconciler


def _pool_claims(group: list[list[Row]]) -> Claims:
    assert _RECONCILER is not None
    return group_claims(_RECONCILER, group)


def _reconcile_on(jobs: int, reconciler: Reconciler, mentions: Sequence[Row],
                  previous: Mapping[str, Sequence[str]] | None = None) -> Claims:
    with pool.context().Pool(jobs, initializer=_init_worker, initargs=(reconciler,)) as workers:
        claims = [claim for part in workers.imap(_pool_claims, unit_groups(mentions, POOL_ROWS)) for claim in part]
    return reconciler.finish(claims, previous)


def pool_reconcile(jobs: int) -> Callable[[Reconciler, Sequence[Row], Mapping[str, Sequence[str]]], Claims] | None:
    """``reconciler.reconcile(mentions, previous)`` on ``jobs`` processes (a ``runner.Shuffle``);
    None for one process: the reconciler alone, with no pool to start."""
    return partial(_reconcile_on, jobs) if jobs > 1 else None
