"""Packaging: `pip install .` gives a working `extract` command anywhere; make handles odd paths and old Pythons."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from setuptools import find_packages

from conftest import ROOT, SEEDS

SEED = "004_4ab999952ab3537c.txt"


def test_pyproject_lists_every_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    assert listed == set(find_packages(str(ROOT), include=["extract*"])) | {"extract.gazetteers"}
    assert all(">=" in d or "<" in d for d in config["project"]["dependencies"])  # ranges; the lock file pins


def test_pip_install_gives_a_working_command_from_any_directory(tmp_path):
    source, target = tmp_path / "source", tmp_path / "site"  # a copy: the build leaves files in its source tree
    for name in ("extract", "gazetteers"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--target", str(target), str(source)], check=True, capture_output=True)
    assert (target / "extract" / "gazetteers" / "weapons.csv").is_file()
    assert (target / "extract" / "outputs" / "report_assets" / "report.js").is_file()
    work = tmp_path / "elsewhere"
    (work / "articles").mkdir(parents=True)
    shutil.copy(SEEDS / SEED, work / "articles")
    env = {**os.environ, "PYTHONPATH": str(target)}  # the installed copy, not this checkout
    done = subprocess.run([str(target / "bin" / "extract"), "run", "--input", "articles", "--output", "out",
                           "--quiet"], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Su-30" in (work / "out" / "claims.csv").read_text(encoding="utf-8")
    assert (work / "out" / "report" / "claims.html").is_file()


def _make(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args], capture_output=True, text=True,
                          **kwargs)


@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists() or shutil.which("make") is None,
                    reason="needs make and the project's .venv")
def test_make_extract_takes_a_path_with_a_space(tmp_path):
    articles = tmp_path / "my articles"
    articles.mkdir()
    shutil.copy(SEEDS / SEED, articles)
    done = _make("extract", f"INPUT={articles}", f"OUTPUT={tmp_path / 'my outputs'}", "ARGS=--quiet")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "my outputs" / "claims.csv").is_file()


def _old_python(tmp_path: Path) -> Path:
    """A python3 that reports version 3.9 (through a sitecustomize), to test the version checks."""
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "sitecustomize.py").write_text("import sys\nsys.version_info = (3, 9, 18, 'final', 0)\n"
                                           "sys.version = '3.9.18 (fake)'\n", encoding="utf-8")
    python = tmp_path / "python3.9"
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{fake}:{ROOT}" exec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    return python


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_unsupported_python_gets_a_clear_message(tmp_path):
    python = _old_python(tmp_path)
    done = _make("extract", f"PYTHON={python}", f"VENV={tmp_path / 'venv'}")
    assert done.returncode != 0 and "extract needs Python 3.11 or newer" in done.stderr
    assert "3.9.18" in done.stderr and not (tmp_path / "venv").exists()
    done = subprocess.run([str(python), "-m", "extract", "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1 and done.stderr.strip() == "error: extract needs Python 3.11 or newer; this is Python 3.9.18"
