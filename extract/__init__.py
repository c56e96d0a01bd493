"""extract: turn news articles about arms transfers into a reviewed, provenance-tagged table of claims."""

__version__ = "0.1.0"
