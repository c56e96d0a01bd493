"""extract: turn news articles about arms transfers into a reviewed, provenance-tagged table of claims."""

import sys

if sys.version_info < (3, 11):  # checked before anything that needs a newer Python is imported
    raise SystemExit("error: extract needs Python 3.11 or newer; this is Python " + sys.version.split()[0])

__version__ = "0.1.0"

__all__ = ["Result", "load", "run"]


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    """``extract.run``, ``extract.load`` and ``extract.Result`` (extract/api.py), imported on first use so that
    the command line starts without pandas."""
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
