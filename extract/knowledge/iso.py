"""ISO 3166 alpha-3 codes for country names, from pycountry (the ISO 3166 tables as Debian's
iso-codes maintains them), so that output rows join with SIPRI, ACLED or GDELT data.

A name is looked up exactly (official, common and short names, case-insensitive) in ISO 3166-1,
through every name the gazetteer gives the country; failing that, the gazetteer id counts only if
ISO 3166-1 or ISO 3166-3 (former countries: SUN for the Soviet Union) confirms it as an alpha-3
code. Nothing is guessed by similarity: "Kosovo", which ISO does not list, gets no code.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Mapping

import pycountry

from .gazetteer import Country, fold


@lru_cache(maxsize=4096)
def lookup(name: str) -> str:
    """The alpha-3 code ISO 3166-1 gives this exact name, else ""."""
    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_3)
    except LookupError:
        return ""


def _confirmed(code: str) -> str:
    code = code.upper()
    if len(code) != 3:
        return ""
    found = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code)
    return code if found is not None else ""


class CountryCodes:
    """Alpha-3 codes for the gazetteer's countries, by any of their names."""

    def __init__(self, countries: Iterable[Country]) -> None:
        self._by_name: dict[str, str] = {}
        for country in countries:
            names = (country.canonical, *country.aliases)
            code = next((c for c in map(lookup, names) if c), "") or _confirmed(country.id)
            for name in names:
                self._by_name.setdefault(fold(name).casefold(), code)

    def code(self, name: str) -> str:
        """The code of a country name (gazetteer name or alias, else ISO's own names); "" if none."""
        key = fold(name).casefold().strip()
        if key in self._by_name:
            return self._by_name[key]
        return lookup(name) if name.strip() else ""

    def codes(self, names: str, sep: str = ";") -> str:
        """Codes of a ``sep``-separated list of names, in the same order ("" for a name without one)."""
        return sep.join(self.code(n) for n in names.split(sep)) if names else ""

    def add_columns(self, rows: Iterable[dict[str, object]], columns: Mapping[str, str]) -> None:
        """Fill each ``code column`` from its ``name column`` (``columns``: code column -> name column)."""
        for row in rows:
            for code_column, name_column in columns.items():
                row[code_column] = self.codes(str(row.get(name_column) or ""))
