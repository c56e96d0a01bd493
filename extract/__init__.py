"""extract: turn news articles about arms transfers into a reviewed, provenance-tagged table of claims."""

import sys

if sys.version_info < (3, 11):  # checked before anything that needs a newer Python is imported
    raise SystemExit("error: extract needs Python 3.11 or newer; this is Python " + sys.version.split()[0])

__version__ = "0.1.0"
