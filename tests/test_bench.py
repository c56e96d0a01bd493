"""The bench's own mechanics (its figures are measured by `make bench`, not asserted here)."""

from __future__ import annotations

from pathlib import Path

from extract import bench
from extract.cli import main


def test_same_outputs_names_what_differs_and_ignores_the_cache_and_staging(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, cached in ((a, b"one"), (b, b"two")):
        (folder / "report").mkdir(parents=True)
        (folder / "claims.csv").write_text("claim_id\nc1\n", encoding="utf-8")
        (folder / "report" / "index.html").write_text("<p>", encoding="utf-8")
        (folder / ".cache").mkdir()
        (folder / ".cache" / "entry").write_bytes(cached)
        (folder / ".staging-run").mkdir()
        (folder / ".staging-run" / "x.part").write_bytes(cached)
    assert bench.same_outputs(a, b) == []
    (b / "report" / "index.html").write_text("<p>changed", encoding="utf-8")
    (a / "mentions.csv").write_text("mention_id\n", encoding="utf-8")
    assert bench.same_outputs(a, b) == ["mentions.csv", "report/index.html"]


def test_an_unknown_part_is_an_error_line(capsys) -> None:
    assert main(["bench", "--parts", "default,warp"]) == 2
    assert "error: --parts: unknown warp" in capsys.readouterr().err


def test_only_the_reconciler_part_generates_no_corpus(capsys) -> None:
    assert main(["bench", "--parts", "reconcile", "--reconcile-sizes", "300"]) == 0
    out = capsys.readouterr().out
    assert "generating a corpus" not in out and "300 mentions" in out
