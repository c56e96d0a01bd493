"""Weapon systems: gazetteer designations however they are written, unknown variants of known
families, and unknown systems named next to a weapon noun.

* **Exact** (``matcher=exact``): a run of tokens whose letters and digits, joined and lower-cased,
  equal those of a gazetteer name ("Su-30SME", "Su 30SME", "Su30SME", "K-9 Thunder", "Project
  22350"); a plural "s" may follow ("Su-30s", "Harops"). Lookups go through a dictionary of these
  keys and a set of their prefixes, so matching costs the same with 1,000 or 50,000 systems and
  start-up builds no pattern documents.
* **Unknown variant** (``matcher=family``): a known designation followed by a variant suffix the
  gazetteer lacks, attached ("K2GF", "T-90MS" when only "T-90" is known, "AL-41F1") or after a
  space ("M1A2 SEPv3", "F-16 Block 70"), resolves to the family's entry; the canonical is the name
  as written and the basis says it is an unknown variant of that family.
* **Unknown system** (``matcher=rule``): a designation-shaped name ("TK-4") or a capitalised word
  that is no English word, country or known name ("Pralay") right before a weapon noun
  ("missile", "interceptors"; ``cue_words.txt``) is a WEAPON with an empty entity_id.
* A name that is an ordinary English word ("Patriot"), very short ("K2", "Tor"), or an imported name
  without a digit ("Hunter" of SIPRI) matches only with a cue word close by. A one-word name without
  digits must be capitalised. A match followed by a company word ("BrahMos Aerospace") names the
  maker and is dropped. A trailing weapon noun that a name carries ("K2 tank") stays out of the span.
* One name may stand for systems of different categories ("Lynx": armoured car, helicopter, rocket
  launcher). The category words around the mention choose (``claim_cues.csv`` anaphora nouns and
  the category names themselves); without such words a hand-curated entry is preferred to imported
  ones, and otherwise the mention is kept with an empty entity_id and the candidates in its basis.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ...knowledge.gazetteer import Gazetteers, Weapon, fold
from .base import Match, cached_gazetteers, longest_first

LABEL = "WEAPON"
CUE_AFTER, CUE_BEFORE = 3, 2   # words (punctuation not counted) after / before a match searched for a cue
CATEGORY_WINDOW = 8            # tokens either side searched for category words (homonyms)
MAX_TOKENS = 8                 # tokens one name may span
JOINERS = frozenset({"-", "/", "‐", "–"})  # tokens that may sit inside a name
VARIANT_WORDS = frozenset({"block", "batch", "flight", "tranche", "increment", "lot"})
IMPORT_CREDITS = ("Information from the SIPRI", "Reprinted with permission from SISO", "Oryx equipment lists")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_VARIANT_TOKEN = re.compile(r"^(?:[A-Z]{1,4}v?\d{0,2}[A-Z]?|\d[A-Z]\d{0,2}|[A-Z]{0,3}\d{1,3}[A-Za-z]{0,3}|Mk\.?\d+)$")
_DESIGNATION = re.compile(r"^[A-Z][A-Za-z]{0,9}-?\d{1,4}[A-Za-z]{0,4}(?:-[A-Z0-9]{1,4})?$")


def compact(text: str) -> str:
    """Letters and digits only, lower case, diacritics folded: the key a name is looked up by."""
    return _NON_ALNUM.sub("", fold(text).casefold())


def needs_cue(alias: str, english_words: frozenset[str]) -> bool:
    """Short or word-like aliases ("K2", "Tor", "Patriot") need a cue word next to them;
    a three-character designation with a digit ("TB2", "J10") does not."""
    compact_form = alias.replace("-", "").replace(" ", "")
    return len(compact_form) <= 2 or (len(compact_form) == 3 and compact_form.isalpha()) \
        or alias.lower() in english_words


def _joint_prefixes(key: str) -> list[str]:
    """Prefixes of a key cut where letters meet digits, longest first ("al41f1" -> "al41f", "al41", "al")."""
    cuts = [k for k in range(1, len(key)) if key[k - 1].isdigit() != key[k].isdigit()]
    return [key[:k] for k in reversed(cuts)]


class WeaponIndex:
    """Every gazetteer name by its compact key, the prefixes of those keys, and which names need a cue."""

    def __init__(self, gaz: Gazetteers, curated: set[str]) -> None:
        english = gaz.lexicon.english_words
        self.keys: dict[str, list[str]] = {}          # key -> weapon ids
        self.cue_keys: set[str] = set()               # keys that match only next to a cue word
        self.bare_keys: set[str] = set()              # one-word names without digits (must be capitalised)
        for weapon in gaz.weapons.values():
            for form in (weapon.canonical, *weapon.aliases):
                key = compact(form)
                if not key:
                    continue
                ids = self.keys.setdefault(key, [])
                if weapon.id not in ids:
                    ids.append(weapon.id)
                digitless = not any(c.isdigit() for c in key)
                if needs_cue(form, english) or (digitless and weapon.id not in curated):
                    self.cue_keys.add(key)
                if digitless and " " not in form.strip():
                    self.bare_keys.add(key)
        self.prefixes = {key[:k] for key in self.keys for k in range(1, len(key) + 1)}


class WeaponMatcher:
    def __init__(self, nlp: Language, gaz: Gazetteers) -> None:
        self.weapons = gaz.weapons
        curated = {w.id for w in gaz.weapons.values() if not w.source.startswith(IMPORT_CREDITS)}
        self.curated = curated
        self.index = WeaponIndex(gaz, curated)
        lex = gaz.lexicon
        self.cue_words = lex.cue_words
        self.company_words = lex.company_words
        self.makers = lex.makers
        self.english = lex.english_words
        self.not_names = {f.casefold() for c in gaz.countries.values() for f, _ in c.forms()} \
            | {f.split()[-1].casefold() for c in gaz.countries.values() for f, _ in c.forms()} \
            | {w.casefold() for w in lex.name_stopwords} | {w.casefold() for w in lex.titles} \
            | {w.casefold() for kind in ("month", "weekday") for w in lex.time_words.get(kind, {})}
        self.category_nouns = {noun.lower(): tuple(v.lower() for v in value.split("|"))
                               for noun, value in lex.cues("anaphora", "noun").items() if value != "*"}
        self.by_family = {w.canonical: w for w in gaz.weapons.values() if w.family == w.canonical}
        self.rule_nouns = frozenset(w for w in self.cue_words if w not in {"system", "systems", "platform",
                                                                          "platforms", "variant", "version", "class",
                                                                          "vessel", "vessels", "gun", "guns"})

    # -- helpers ---------------------------------------------------------------------------------
    def _has_cue(self, doc: Doc, start: int, end: int, ids: list[str] | None = None) -> bool:
        """A cue word close by, or (given the candidate entries) a word naming one's category nearby."""
        after = [t for t in doc[end:min(len(doc), end + 3 * CUE_AFTER)] if not t.is_punct][:CUE_AFTER]
        before = [t for t in doc[max(0, start - 3 * CUE_BEFORE):start] if not t.is_punct][-CUE_BEFORE:]
        if any(t.lower_ in self.cue_words or t.lower_.rstrip("s") in self.cue_words for t in after + before):
            return True
        return bool(ids) and self._nearest_fit(doc, start, end, ids)[0] is not None

    def _nearest_fit(self, doc: Doc, start: int, end: int, ids: list[str]) -> tuple[str | None, str]:
        """The one entry whose category the nearest category word fits ("Lynx helicopters"), with that word."""
        categories = {i: self.weapons[i].category.lower() for i in ids}
        for distance in range(CATEGORY_WINDOW):
            for k in (end + distance, start - 1 - distance):
                if 0 <= k < len(doc) and doc[k].is_alpha:
                    fit = [i for i in ids if self._fits(doc[k].lower_, categories[i])]
                    if len(fit) == 1:
                        return fit[0], doc[k].text
                    if fit:
                        return None, doc[k].text
        return None, ""

    def _fits(self, word: str, category: str) -> bool:
        """Does ``word`` ("helicopters", "jets") name something of ``category``?"""
        singular = word[:-1] if word.endswith("s") else word
        if len(singular) >= 3 and singular in category.split():
            return True
        return any(v in category for v in self.category_nouns.get(word, ()))

    def _resolve(self, doc: Doc, start: int, end: int, ids: list[str]) -> tuple[Weapon | None, str]:
        """The entry a name stands for; with several (homonyms), the one the nearest category word fits."""
        if len(ids) == 1:
            return self.weapons[ids[0]], ""
        chosen, word = self._nearest_fit(doc, start, end, ids)
        if chosen is not None:
            return self.weapons[chosen], f"; chosen among {len(ids)} systems of this name by the word {word!r}"
        curated = [i for i in ids if i in self.curated]
        if len(curated) == 1:
            return self.weapons[curated[0]], f"; {len(ids)} systems of this name, no category words: the curated one"
        return None, "; ambiguous: " + "|".join(sorted(ids))

    @staticmethod
    def _token_keys(doc: Doc) -> list[str]:
        cache: dict[str, str] = {}
        keys = []
        for t in doc:
            text = t.text
            key = cache.get(text)
            if key is None:
                key = cache[text] = "" if text in JOINERS else compact(text)
            keys.append(key)
        return keys

    def _exact_at(self, doc: Doc, keys: list[str], i: int) -> tuple[int, str] | None:
        """The longest gazetteer name starting at token i: (end token, key)."""
        prefixes, index = self.index.prefixes, self.index.keys
        acc, best, j = keys[i], None, i
        while True:
            if acc in index:
                best = (j + 1, acc)
            elif acc.endswith("s") and acc[:-1] in index and len(acc) >= 5 and acc[-2:-1].isalpha():
                best = (j + 1, acc[:-1])  # "Harops", "Rafales"
            j += 1
            if j >= len(doc) or j - i >= MAX_TOKENS or "\n" in doc[j - 1].whitespace_:
                break
            token = doc[j]
            nxt = keys[j]
            if not nxt and token.text not in JOINERS:
                break
            if token.text == "s" and not doc[j - 1].whitespace_:
                break  # "Su-30" "s": a plural, not part of the name
            if acc + nxt not in prefixes:
                if nxt.endswith("s") and token.text[:1].isalnum() and acc + nxt[:-1] in index:
                    best = (j + 1, acc + nxt[:-1])  # "Type 26 frigates"
                break
            acc += nxt
        return best

    def _variant_end(self, doc: Doc, end: int) -> int:
        """Where an unknown variant suffix after a known name ends (== end when there is none)."""
        if end >= len(doc):
            return end
        prev, nxt = doc[end - 1], doc[end]
        if not prev.whitespace_ and nxt.text[:1].isalnum() and compact(nxt.text) != "s":
            return end + 1  # attached: "FTC-2000" "G"
        if nxt.lower_ == "class" or nxt.text == "-" and end + 1 < len(doc) and doc[end + 1].lower_ == "class":
            return end  # "Gowind-class": the class itself, handled by the caller
        if nxt.lower_ in VARIANT_WORDS and end + 1 < len(doc) and doc[end + 1].text[:1].isdigit():
            return end + 2  # "F-16 Block 70"
        if prev.whitespace_ == " " and _VARIANT_TOKEN.match(nxt.text) and nxt.lower_ not in self.english \
                and nxt.text.casefold() not in self.not_names and len(nxt.text) >= 2 \
                and any(c.isdigit() for c in prev.text + nxt.text):
            return end + 1  # "M1A2 SEPv3", "Magura V5"
        return end

    # -- matching --------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        keys = self._token_keys(doc)
        spans: list[Span] = []
        covered = [False] * len(doc)
        for i, key in enumerate(keys):
            if not key or not doc[i].text[:1].isalnum() or key not in self.index.prefixes \
                    and not (key.endswith("s") and key[:-1] in self.index.keys):
                continue
            if i > 0 and not doc[i - 1].whitespace_ and keys[i - 1] and doc[i - 1].text not in JOINERS:
                continue  # starts inside a word
            found = self._exact_at(doc, keys, i)
            if found is None:
                continue
            end, name_key = found
            span = self._exact(doc, i, end, name_key)
            if span is not None:
                spans.append(span)
                covered[i:span.end] = [True] * (span.end - i)
        for i, token in enumerate(doc):  # designations the exact pass did not cover
            if covered[i] or not any(c.isdigit() for c in token.text) or not token.text[:1].isalpha():
                continue
            span = self._family_in_token(doc, i, keys[i]) or self._unknown(doc, i)
            if span is not None:
                spans.append(span)
        for i, token in enumerate(doc):  # capitalised unknown names before a weapon noun
            if not covered[i] and token.text[:1].isupper() and token.is_alpha:
                span = self._unknown(doc, i)
                if span is not None:
                    spans.append(span)
        doc.spans[LABEL] = longest_first(spans)
        return doc

    def _exact(self, doc: Doc, start: int, end: int, key: str) -> Span | None:
        surface = doc[start:end].text
        if key in self.index.cue_keys and not self._has_cue(doc, start, end, self.index.keys[key]):
            return None
        if key in self.index.bare_keys and end - start <= 2 and not doc[start].text[:1].isupper():
            return None
        if end < len(doc) and doc[end].text in self.company_words or surface.casefold() in self.makers:
            return None  # "BrahMos Aerospace", "Rotem": the maker, not the system
        if key in self.index.bare_keys and end - start == 1 and end < len(doc) and doc[end].is_alpha \
                and doc[end].text[:1].isupper() and compact(doc[end].text) not in self.index.prefixes:
            return None  # "Caesar Kunikov": part of a longer proper name
        end = self._name_end(doc, start, end, key)
        end = self._class_end(doc, end)
        weapon, note = self._resolve(doc, start, end, self.index.keys[key])
        variant_end = self._variant_end(doc, end)
        if weapon is not None and variant_end > end:
            return self._family_span(doc, start, variant_end, weapon, "")
        span = Span(doc, start, end, label=LABEL)
        if weapon is None:
            span._.match = Match("", span.text, "", "", "rule", f"name {surface!r}{note}")
            return span
        form = "canonical" if span.text == weapon.canonical else "alias"
        span._.match = Match(weapon.id, weapon.canonical, weapon.family, weapon.category, "exact",
                             f"{form} {span.text!r} of {weapon.id} (weapons.csv line {weapon.line}){note}")
        return span

    def _name_end(self, doc: Doc, start: int, end: int, key: str) -> int:
        """Trailing lower-case words a name carries ("K2 tank", "K9 self-propelled howitzers", "Type 26
        frigates") stay out of the span when the rest names the same system or ends in a digit."""
        last = doc[end - 1].lower_
        if end - start < 2 or not (last in self.cue_words or last.rstrip("s") in self.cue_words):
            return end
        for k in range(end - 1, start, -1):
            if not (doc[k].text.islower() or doc[k].text in JOINERS):
                break
            shorter = compact(doc[start:k].text)
            if self.index.keys.get(shorter) == self.index.keys[key] or (len(shorter) >= 3 and shorter[-1].isdigit()):
                return k
        return end

    @staticmethod
    def _class_end(doc: Doc, end: int) -> int:
        """ "Gowind-class", "Gowind class": the word "class" belongs to the name of a ship class."""
        if end < len(doc) and doc[end].lower_ == "class":
            return end + 1
        if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ == "class":
            return end + 2
        return end

    def _family_span(self, doc: Doc, start: int, end: int, weapon: Weapon, note: str) -> Span:
        """A known family with a variant suffix the gazetteer lacks: the family entry, flagged."""
        family = self.by_family.get(weapon.family, weapon)
        span = Span(doc, start, end, label=LABEL)
        name = " ".join(span.text.split())
        span._.match = Match(family.id, name, family.canonical, family.category, "family",
                             f"unknown variant {name!r} of {weapon.canonical!r}, family {family.canonical} "
                             f"(weapons.csv line {family.line}){note}")
        return span

    def _family_in_token(self, doc: Doc, i: int, key: str) -> Span | None:
        """ "K2GF", "T-90MS", "AL-41F1": a known designation cut where letters meet digits."""
        for prefix in _joint_prefixes(key):
            ids = self.index.keys.get(prefix)
            if ids and any(c.isdigit() for c in prefix) and len(prefix) >= 2:
                weapon, note = self._resolve(doc, i, i + 1, ids)
                if weapon is None:
                    return None
                if needs_cue(doc[i].text, self.english) and not self._has_cue(doc, i, i + 1):
                    return None
                return self._family_span(doc, i, self._variant_end(doc, i + 1), weapon, note)
        return None

    def _unknown(self, doc: Doc, i: int) -> Span | None:
        """A designation or an unknown capitalised name right before a weapon noun."""
        token = doc[i]
        end = i + 1
        if end < len(doc) and doc[end].whitespace_ is not None and _VARIANT_TOKEN.match(doc[end].text) \
                and any(c.isdigit() for c in doc[end].text) and doc[i].is_alpha:
            end += 1  # "Magura V5"
        noun = next((k for k in range(end, min(len(doc), end + 3)) if doc[k].lower_ in self.rule_nouns), None)
        if noun is None or not doc[noun].text.islower() \
                or any(not doc[k].is_alpha or not doc[k].text.islower() for k in range(end, noun)):
            return None
        text = token.text
        if not (_DESIGNATION.match(text) or (text.isalpha() and len(text) >= 4 and text.lower() not in self.english)):
            return None
        if text.casefold() in self.not_names or text.casefold() in self.makers or re.fullmatch(r"(?:19|20)\d\d", text):
            return None
        if i > 0 and doc[i - 1].text[:1].isupper() and not doc[i - 1].is_sent_start and doc[i - 1].is_alpha:
            return None  # part of a longer name ("Sky Sword missiles"): left to suggestions
        if doc[end - 1].text in self.company_words or doc[noun].lower_ in self.company_words:
            return None
        span = Span(doc, i, end, label=LABEL)
        name = span.text
        span._.match = Match("", name, name, "", "rule",
                             f"unknown system: {name!r} before the weapon noun {doc[noun].text!r}")
        return span


@Language.factory("weapon_matcher", default_config={"gazetteer_dir": ""})
def make_weapon_matcher(nlp: Language, name: str, gazetteer_dir: str) -> WeaponMatcher:
    return WeaponMatcher(nlp, cached_gazetteers(gazetteer_dir))
