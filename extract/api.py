"""Python API: run the pipeline, or read a finished run back, as pandas DataFrames.

    >>> import extract
    >>> result = extract.run("seeds", "outputs")          # same files as `extract run`
    >>> result.claims[result.claims.claim_type == "transfer"]
    >>> again = extract.load("outputs")                    # the same tables, read from the files

Every table has the columns of ``extract.schema`` in that order, with dtypes from the schema:
counts and offsets are nullable integers (``Int64``), dates (``published``, ``first_published``,
``date_start``, ``date_end``) are ``datetime64``, everything else is pandas' ``string`` dtype;
an empty cell is ``<NA>`` / ``NaT``. The apostrophe the CSV writer puts before a cell that would
run as a spreadsheet formula is dropped again, so values are the source characters.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .corpus.files import DEFAULT_MAX_BYTES
from .engine.runner import RunSummary
from .engine.runner import run as run_pipeline
from .outputs.writers import unescape_cell
from .schema import DATE_COLUMNS, INTEGER_COLUMNS, OUTPUT_FILES, REGISTER_CHECK_COLUMNS

TABLES = {name.removesuffix(".csv"): columns for name, columns in OUTPUT_FILES.items()}
OPTIONAL_TABLES = {"register_check": REGISTER_CHECK_COLUMNS}  # written only with a SIPRI register


@dataclass
class Result:
    """The tables of one run, one DataFrame each; ``summary`` is set by ``run``."""

    output: Path
    documents: pd.DataFrame
    entities: pd.DataFrame
    mentions: pd.DataFrame
    claims: pd.DataFrame
    transfers: pd.DataFrame
    reviews: pd.DataFrame
    review_log: pd.DataFrame
    suggestions: pd.DataFrame
    register_check: pd.DataFrame | None = None
    summary: RunSummary | None = field(default=None, compare=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        tables = {name: getattr(self, name) for name in TABLES}
        if self.register_check is not None:
            tables["register_check"] = self.register_check
        return tables


def read_table(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """One output CSV with the schema's dtypes (see the module docstring)."""
    with path.open(encoding="utf-8", newline="") as handle:  # the csv module keeps a quoted "\r" as it is
        reader = csv.reader(handle)
        header = next(reader, [])
        missing = [c for c in columns if c not in header]
        if missing:
            raise ValueError(f"{path}: columns {', '.join(missing)} missing (written by another version?)")
        frame = pd.DataFrame(list(reader), columns=header, dtype=object)[list(columns)]
    for column in columns:
        text = frame[column].map(unescape_cell).replace("", None)
        if column in INTEGER_COLUMNS:
            frame[column] = pd.to_numeric(text).astype("Int64")
        elif column in DATE_COLUMNS:
            frame[column] = pd.to_datetime(text, format="%Y-%m-%d")
        else:
            frame[column] = text.astype("string")
    return frame


def load(output_dir: str | Path) -> Result:
    """Read the tables of a finished run from ``output_dir``."""
    output = Path(output_dir)
    if not (output / "claims.csv").is_file():
        raise FileNotFoundError(f"{output} holds no claims.csv: not the output folder of a run")
    tables = {name: read_table(output / f"{name}.csv", columns) for name, columns in TABLES.items()}
    optional = {name: read_table(output / f"{name}.csv", columns) for name, columns in OPTIONAL_TABLES.items()
                if (output / f"{name}.csv").is_file()}
    return Result(output, **tables, **optional)


def run(input_dir: str | Path, output_dir: str | Path, *, gazetteers: str | Path | None = None,
        manifest: str | Path | None = None, jobs: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
        sipri_register: str | Path | None = None, recursive: bool = False, progress: bool = False,
        cache: bool = True, cache_dir: str | Path | None = None, engine: str = "local",
        scheduler: str | None = None) -> Result:
    """Run the pipeline on ``input_dir`` (as ``extract run`` does, writing every output file into
    ``output_dir``) and return its tables. Raises FileNotFoundError, ManifestError, GazetteerError,
    SheetError (a review file it cannot understand) or LockedError (another run on ``output_dir``)
    where the command line prints ``error:``. ``cache``, ``cache_dir``, ``engine`` and ``scheduler``
    are the options ``--no-cache``, ``--cache-dir``, ``--engine`` and ``--scheduler``."""
    path = lambda p: None if p is None else Path(p)  # noqa: E731
    summary = run_pipeline(Path(input_dir), Path(output_dir), path(gazetteers), path(manifest), max_bytes, jobs,
                           progress, path(sipri_register), recursive, cache, path(cache_dir), engine, scheduler)
    result = load(output_dir)
    result.summary = summary
    return result
