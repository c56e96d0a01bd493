"""``--engine dask`` gives the local engine's outputs byte for byte (a 2-worker in-process LocalCluster):
the workers read the input files themselves (local paths or fsspec URLs) and stage their rows in
partition files that the driver writes out in input order; they also reconcile the mentions, unit
by unit, and the driver gives the claims their ids and order."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import fsspec
import pytest

from conftest import ROOT, SEEDS, snapshot
from extract.cli import main
from extract.engine import dask_engine, runner
from extract.engine.runner import run
from extract.outputs.writers import read_rows
from extract.reconcile.cluster import Reconciler

DEV = ROOT.parent / "shared" / "dev"
ARTICLES = ROOT / "tests" / "articles"
SMALL_CLUSTER = {"n_workers": 2, "threads_per_worker": 1, "processes": False, "dashboard_address": ":0"}


@pytest.fixture(scope="module")
def scheduler():
    from dask.distributed import LocalCluster

    with LocalCluster(**SMALL_CLUSTER) as cluster:
        yield cluster.scheduler_address


def test_seeds_on_a_cluster_equal_the_local_engine(seed_outputs, scheduler, tmp_path, monkeypatch):
    monkeypatch.setattr(dask_engine, "PARTITION", 2)  # 5 documents: three partitions over two workers
    run(SEEDS, tmp_path, engine="dask", scheduler=scheduler, cache=False)
    assert snapshot(tmp_path) == snapshot(seed_outputs)


def test_seeds_and_dev_articles_on_a_cluster_equal_the_local_engine(scheduler, tmp_path, monkeypatch):
    if not (DEV / "articles").is_dir():
        pytest.skip("../shared/dev/articles is absent: only the seeds are compared")
    monkeypatch.setattr(dask_engine, "SHUFFLE_ROWS", 40)  # the reconciliation in many tasks over both workers
    folder = tmp_path / "in"
    folder.mkdir()
    for path in [*SEEDS.glob("*.txt"), *(DEV / "articles").glob("*.txt")]:
        (folder / path.name).symlink_to(path)
    local, cluster = tmp_path / "local", tmp_path / "dask"
    run(folder, local, manifest=DEV / "manifest.csv", jobs=1)
    run(folder, cluster, manifest=DEV / "manifest.csv", engine="dask", scheduler=scheduler, cache=False)
    assert snapshot(cluster) == snapshot(local)
    rerun = run(folder, cluster, manifest=DEV / "manifest.csv", engine="dask", scheduler=scheduler)
    assert rerun.cache_reused == 0  # the run with --no-cache left no cache; this one fills it
    again = run(folder, cluster, manifest=DEV / "manifest.csv", engine="dask", scheduler=scheduler)
    assert again.cache_reused == again.documents
    assert snapshot(cluster) == snapshot(local)


def test_without_a_scheduler_a_local_cluster_is_started(seed_outputs, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dask_engine, "LOCAL_CLUSTER", SMALL_CLUSTER)
    assert main(["run", "--input", str(SEEDS), "--output", str(tmp_path), "--engine", "dask", "--no-cache"]) == 0
    assert "5 processed" in capsys.readouterr().out
    assert snapshot(tmp_path) == snapshot(seed_outputs)


class _Future:
    def __init__(self, value: object) -> None:
        self.value = value

    def result(self) -> object:
        return self.value

    def release(self) -> None:
        pass


def test_a_worker_with_other_gazetteers_or_code_stops_the_run():
    staged = dask_engine.Staged("gaz", "code", "memory://x")
    assert dask_engine._checked(_Future([staged]), ("gaz", "code")) is staged
    with pytest.raises(dask_engine.WorkerMismatch, match="gazetteer fingerprint other"):
        dask_engine._checked(_Future([dask_engine.Staged("other", "code", "memory://x")]), ("gaz", "code"))


def test_the_workers_read_the_files_not_the_driver(seed_outputs, scheduler, tmp_path, monkeypatch):
    def driver_reads(*args, **kwargs):
        raise AssertionError("the driver read the documents")

    monkeypatch.setattr(runner, "iter_documents", driver_reads)
    monkeypatch.setattr(dask_engine, "PARTITION", 2)
    run(SEEDS, tmp_path, engine="dask", scheduler=scheduler, cache=False)
    assert snapshot(tmp_path) == snapshot(seed_outputs)
    assert not list(tmp_path.glob(".staging*"))  # the partition files are gone once written out


def test_the_workers_reconcile_the_units_and_the_driver_only_finishes(seed_outputs, scheduler, tmp_path,
                                                                     monkeypatch):
    from dask.distributed import get_worker

    def driver_reconciles(*args, **kwargs):
        raise AssertionError("the driver reconciled the mentions")

    unit_claims, workers, units = Reconciler.unit_claims, [], []

    def on_a_worker(self, rows):
        workers.append(get_worker().address)  # ValueError outside a Dask worker
        units.append([r["mention_id"] for r in rows])
        return unit_claims(self, rows)

    monkeypatch.setattr(Reconciler, "reconcile", driver_reconciles)
    monkeypatch.setattr(Reconciler, "unit_claims", on_a_worker)  # the workers run in this process
    monkeypatch.setattr(dask_engine, "SHUFFLE_ROWS", 3)
    run(SEEDS, tmp_path, engine="dask", scheduler=scheduler, cache=False)
    assert snapshot(tmp_path) == snapshot(seed_outputs)
    every_mention = sorted(str(r["mention_id"]) for r in read_rows(seed_outputs / "mentions.csv"))
    assert sorted(m for unit in units for m in unit) == every_mention  # each unit once, on a worker
    assert len(units) > 1 and len(workers) == len(units)


def _mixed_input(folder: Path) -> Path:
    """Test articles with a manifest, a .jsonl file, an .md file and a doc_id given twice."""
    folder.mkdir()
    for path in ARTICLES.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    shutil.copy(ARTICLES / "manifest.csv", folder / "manifest.csv")
    shutil.copy(ARTICLES / "egypt_rafale.txt", folder / "egypt_rafale.md")  # egypt_rafale is taken by the .txt
    lines = [{"id": "wire-1", "text": "Chile received four F-16 fighters from the Netherlands in March 2024."},
             {"id": "wire-2", "text": "Peru said on Monday it had ordered two Rafale jets from France."},
             {"id": "wire-1", "text": "The same identifier again, so this line is skipped."}]
    (folder / "wire.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return folder


def test_mixed_input_with_duplicates_and_jsonl_equals_the_local_engine(scheduler, tmp_path, monkeypatch):
    monkeypatch.setattr(dask_engine, "PARTITION", 3)
    folder = _mixed_input(tmp_path / "in")
    local, cluster = tmp_path / "local", tmp_path / "dask"
    run(folder, local, jobs=1, cache=False)
    run(folder, cluster, engine="dask", scheduler=scheduler, cache=False)
    documents = (local / "documents.csv").read_text(encoding="utf-8")
    assert "already taken by" in documents and "wire-2" in documents  # the case is really exercised
    assert snapshot(cluster) == snapshot(local)


def test_input_and_staging_as_fsspec_urls(seed_outputs, scheduler, tmp_path, monkeypatch):
    """In-process workers share the driver's ``memory://`` filesystem; on a real cluster the URLs
    must name a shared filesystem or object store."""
    monkeypatch.setattr(dask_engine, "PARTITION", 2)
    memory = fsspec.filesystem("memory")
    for path in SEEDS.glob("*.txt"):
        memory.pipe_file(f"/dask-test/in/{path.name}", path.read_bytes())
    staged = tmp_path / "staged"
    run(SEEDS, staged, engine="dask", scheduler=scheduler, cache=False, staging="memory://dask-test/staging")
    assert snapshot(staged) == snapshot(seed_outputs)
    assert not memory.exists("/dask-test/staging") or not memory.find("/dask-test/staging")
    remote = tmp_path / "remote"
    assert main(["run", "--input", "memory://dask-test/in", "--output", str(remote), "--engine", "dask",
                 "--scheduler", scheduler, "--no-cache", "--quiet"]) == 0
    read_locally, read_remotely = snapshot(seed_outputs), snapshot(remote)
    for name in ("entities.csv", "mentions.csv", "claims.csv", "transfers.csv"):  # documents.csv names the URLs
        assert read_remotely[name] == read_locally[name]
    assert "memory:///dask-test/in/000_" in read_remotely["documents.csv"].decode()
    memory.rm("/dask-test", recursive=True)


def test_a_file_url_is_a_local_path(seed_outputs, scheduler, tmp_path):
    assert main(["run", "--input", SEEDS.as_uri(), "--output", str(tmp_path), "--engine", "dask",
                 "--scheduler", scheduler, "--no-cache", "--quiet"]) == 0
    assert snapshot(tmp_path) == snapshot(seed_outputs)


def test_a_url_input_needs_the_dask_engine(tmp_path, capsys):
    assert main(["run", "--input", "memory://nowhere", "--output", str(tmp_path), "--no-cache"]) == 2
    assert "needs --engine dask" in capsys.readouterr().err


def test_a_missing_url_input_is_an_error_line(scheduler, tmp_path, capsys):
    assert main(["run", "--input", "memory://no-such-folder", "--output", str(tmp_path), "--engine", "dask",
                 "--scheduler", scheduler, "--no-cache"]) == 2
    assert "error: cannot read input folder memory://no-such-folder" in capsys.readouterr().err


def test_an_unreachable_scheduler_is_an_error_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "1s")
    code = main(["run", "--input", str(SEEDS), "--output", str(tmp_path), "--engine", "dask",
                 "--scheduler", "tcp://127.0.0.1:9", "--no-cache"])
    assert code == 2
    assert "error: no Dask scheduler answers at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_a_run_that_fails_midway_leaves_no_partition_files_and_the_previous_outputs(seed_outputs, scheduler,
                                                                                    tmp_path, monkeypatch):
    shutil.copytree(seed_outputs, tmp_path, dirs_exist_ok=True)
    before = snapshot(tmp_path)
    monkeypatch.setattr(dask_engine, "PARTITION", 2)
    take, taken = dask_engine._take, []

    def failing_take(staged):
        taken.append(staged)
        if len(taken) == 2:
            raise OSError("the staging store went away")
        return take(staged)

    monkeypatch.setattr(dask_engine, "_take", failing_take)
    with pytest.raises(OSError, match="went away"):
        run(SEEDS, tmp_path, engine="dask", scheduler=scheduler, cache=False)
    assert not list(tmp_path.glob(".staging*"))
    assert snapshot(tmp_path) == before


def test_the_time_budget_reaches_the_workers(scheduler, tmp_path, monkeypatch):
    budgets = []
    process_partition = dask_engine.process_partition

    def recording(documents, gazetteer_dir, budget):
        budgets.append(budget)
        return process_partition(documents, gazetteer_dir, budget)

    monkeypatch.setattr(dask_engine, "process_partition", recording)  # the workers run in this process
    run(SEEDS, tmp_path, engine="dask", scheduler=scheduler, cache=False, time_budget=2.5)
    assert budgets and set(budgets) == {2.5}
