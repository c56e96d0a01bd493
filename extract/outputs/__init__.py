"""Output files: atomic CSV and SQLite."""
