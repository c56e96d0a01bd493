"""English inflections generated from a lemma: the cue lexicons match every form of a word.

Regular endings (-s/-es/-ies, -ed/-d/-ied, -ing, a doubled final consonant) are generated;
irregular forms come from ``lexicon/irregular_verbs.csv``. The result is a superset: a made-up
form ("dealed") never occurs in text, so it never matches anything.
"""

from __future__ import annotations

from typing import Iterable, Mapping

_VOWELS = frozenset("aeiou")
# Closed-class words are never the lemma of an inflected cue word: "noted" is not a form of "not".
FUNCTION_WORDS = frozenset("""a an the and or but if so as at by for from in into of off on onto out over to up
with not no nor yet is am are was were be been being do does did has have had he she it its we us they them
you i me my our his her their this that these those there here than then too very""".split())


class Inflector:
    """Every form of a word: its candidate lemmas (the word undone of a regular ending or an
    irregular form) and all their inflections."""

    def __init__(self, irregular: Mapping[str, Iterable[str]]) -> None:
        self.irregular = {lemma.lower(): frozenset(f.lower() for f in forms) for lemma, forms in irregular.items()}
        self.lemma_of: dict[str, set[str]] = {}
        for lemma, forms in self.irregular.items():
            for form in forms:
                self.lemma_of.setdefault(form, set()).add(lemma)

    def lemmas(self, word: str) -> set[str]:
        """The word itself and the base forms it may be an inflection of."""
        w = word.lower()
        found = {w} | self.lemma_of.get(w, set())
        for suffix, replacements in (("ies", ("y",)), ("ied", ("y",)), ("es", ("", "e")), ("s", ("",)),
                                     ("ed", ("", "e")), ("ing", ("", "e"))):
            if w.endswith(suffix) and len(w) - len(suffix) >= 2:
                stem = w[:-len(suffix)]
                found.update(stem + r for r in replacements)
                if suffix in ("ed", "ing") and len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
                    found.add(stem[:-1])  # "shipped" -> "ship"
        return {c for c in found if c == w or c not in FUNCTION_WORDS}

    def inflect(self, lemma: str) -> set[str]:
        """Regular and irregular inflections of ``lemma`` (a superset: some are not English)."""
        forms = {lemma} | set(self.irregular.get(lemma, ()))
        last = lemma[-1]
        if len(lemma) >= 2 and last == "y" and lemma[-2] not in _VOWELS:
            forms.update((lemma[:-1] + "ies", lemma[:-1] + "ied"))
        forms.add(lemma + "s")
        if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
            forms.add(lemma + "es")
        if last == "e":
            forms.update((lemma + "d", lemma[:-1] + "ing"))
            if lemma.endswith("ie"):
                forms.add(lemma[:-2] + "ying")
        else:
            forms.update((lemma + "ed", lemma + "ing"))
            if last not in _VOWELS and last not in "wxy" and len(lemma) >= 3 and lemma[-2] in _VOWELS:
                forms.update((lemma + last + "ed", lemma + last + "ing"))  # "ship" -> "shipped"
        return forms

    def forms(self, word: str) -> frozenset[str]:
        """Every form of every lemma ``word`` may stand for."""
        found: set[str] = set()
        for lemma in self.lemmas(word):
            found |= self.inflect(lemma)
        return frozenset(found)
