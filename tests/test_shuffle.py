"""Reconciliation as a shuffle by unit (engine/shuffle.py): units packed in order, never split, and
``--jobs N`` reconciling on a process pool gives the claims the reconciler gives alone."""

from __future__ import annotations

import os
from pathlib import Path

from extract.engine import shuffle
from extract.outputs.writers import read_rows
from extract.reconcile.cluster import MentionTable, Reconciler


def test_units_are_grouped_in_order_and_never_split():
    found = [[0, 4], [1], [2, 3, 5, 6], [7], [8]]
    assert list(shuffle.groups(found, 3)) == [[[0, 4], [1]], [[2, 3, 5, 6]], [[7], [8]]]
    assert list(shuffle.groups(found, 100)) == [found]
    assert list(shuffle.groups([], 3)) == []


def test_one_job_starts_no_pool():
    assert shuffle.pool_reconcile(1) is None


def test_a_pool_gives_the_claims_of_the_reconciler_alone(seed_outputs, tmp_path: Path, monkeypatch):
    mentions = MentionTable(read_rows(seed_outputs / "mentions.csv"))
    published = {str(r["doc_id"]): str(r["published"]) for r in read_rows(seed_outputs / "documents.csv")}
    alone = Reconciler(published=published).reconcile(mentions)

    unit_claims, calls = Reconciler.unit_claims, tmp_path / "calls"

    def in_a_worker(self, rows):  # forked workers inherit the patch; each says where it ran
        with calls.open("a") as handle:
            handle.write(f"{os.getpid()} {len(rows)}\n")
        return unit_claims(self, rows)

    monkeypatch.setattr(Reconciler, "unit_claims", in_a_worker)
    monkeypatch.setattr(shuffle, "POOL_ROWS", 3)  # many small tasks over both processes
    reconcile = shuffle.pool_reconcile(2)
    assert reconcile is not None
    assert reconcile(Reconciler(published=published), mentions, {}) == alone
    done = [line.split() for line in calls.read_text().splitlines()]
    assert sum(int(rows) for _, rows in done) == len(mentions)  # every unit once
    assert str(os.getpid()) not in {pid for pid, _ in done}  # none in this process
