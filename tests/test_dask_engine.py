"""``--engine dask`` gives the local engine's outputs byte for byte (a 2-worker in-process LocalCluster)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, snapshot
from extract.cli import main
from extract.engine import dask_engine
from extract.engine.runner import run

DEV = ROOT.parent / "shared" / "dev"
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


def test_seeds_and_dev_articles_on_a_cluster_equal_the_local_engine(scheduler, tmp_path):
    if not (DEV / "articles").is_dir():
        pytest.skip("../shared/dev/articles is absent: only the seeds are compared")
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
    assert dask_engine._gather(_Future([("gaz", "code", ["r"])]), ("gaz", "code")) == ["r"]
    with pytest.raises(dask_engine.WorkerMismatch, match="gazetteer fingerprint other"):
        dask_engine._gather(_Future([("other", "code", [])]), ("gaz", "code"))


def test_an_unreachable_scheduler_is_an_error_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "1s")
    code = main(["run", "--input", str(SEEDS), "--output", str(tmp_path), "--engine", "dask",
                 "--scheduler", "tcp://127.0.0.1:9", "--no-cache"])
    assert code == 2
    assert "error: no Dask scheduler answers at tcp://127.0.0.1:9" in capsys.readouterr().err
