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

import bisect
import re
from functools import lru_cache
from itertools import compress

from spacy.attrs import IDX, LENGTH, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span

from ...knowledge.gazetteer import Gazetteers, Weapon, fold
from ...knowledge.import_common import group_of
from .base import Match, cached_gazetteers, doc_text, longest_first, set_spans

LABEL = "WEAPON"
CUE_AFTER, CUE_BEFORE = 3, 2   # words (punctuation not counted) after / before a match searched for a cue
CATEGORY_WINDOW = 8            # tokens either side searched for category words (homonyms)
MAX_TOKENS = 8                 # tokens one name may span
RULE_WINDOW = 10               # tokens before a weapon noun where an unknown name may start
RULE_GAP = 2                   # lower-case words ("quasi-ballistic" is one) between an unknown name and its noun
SHIP_NOUNS = frozenset({"ship", "ships", "warship", "warships", "frigate", "frigates", "corvette", "corvettes",
                        "destroyer", "destroyers", "submarine", "submarines", "vessel", "vessels"})
JOINERS = frozenset({"-", "/", "‐", "–"})  # tokens that may sit inside a name
VARIANT_WORDS = frozenset({"block", "batch", "flight", "tranche", "increment", "lot"})
IMPORT_CREDITS = ("Information from the SIPRI", "Reprinted with permission from SISO", "Oryx equipment lists")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"\w")
_VARIANT_TOKEN = re.compile(r"^(?:[A-Z]{1,4}v?\d{0,2}[A-Z]?|\d[A-Z]\d{0,2}|[A-Z]{0,3}\d{1,3}[A-Za-z]{0,3}|Mk\.?\d+)$")
_DESIGNATION_START = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z-]*\d")  # where a designation-shaped word starts
_SUFFIX = re.compile(r"^(?:[A-Z0-9]{1,4}|[A-Z0-9]{1,3}[a-z][0-9]?)$")  # an attached variant suffix: "G", "MS", "SEPv3"
_ROMAN = re.compile(r"^(?:II|III|IV|V|VI|VII|VIII|IX|X)$")
_DESIGNATION = re.compile(r"^[A-Z][A-Za-z]{0,9}-?\d{1,4}[A-Za-z]{0,4}(?:-[A-Z0-9]{1,4})?$")


def compact(text: str) -> str:
    """Letters and digits only, lower case, diacritics folded: the key a name is looked up by."""
    return _NON_ALNUM.sub("", fold(text).casefold())


@lru_cache(maxsize=100_000)
def token_key(text: str) -> str:
    """A token's part of a key: hyphens and slashes inside a name add nothing."""
    return "" if text in JOINERS else compact(text)


def needs_cue(alias: str, english_words: frozenset[str]) -> bool:
    """Short or word-like aliases ("K2", "Tor", "Patriot") need a cue word next to them;
    a three-character designation with a digit ("TB2", "J10") does not."""
    compact_form = alias.replace("-", "").replace(" ", "")
    return len(compact_form) <= 2 or (len(compact_form) == 3 and compact_form.isalpha()) \
        or alias.lower() in english_words


def boundary_prefixes(form: str) -> list[str]:
    """The key of ``form`` cut where a tokenizer may split it: at spaces and punctuation and where
    letters meet digits ("Su-30SME" -> "su", "su30", "su30sme"). A run of tokens can only be
    (the start of) a name while its joined key is one of these."""
    cuts: list[str] = []
    acc, prev = "", ""
    for ch in fold(form).casefold():
        if ch.isalnum():
            if acc and prev.isalnum() and prev.isdigit() != ch.isdigit():
                cuts.append(acc)
            acc += ch
        elif acc and (not cuts or cuts[-1] != acc):
            cuts.append(acc)
        prev = ch
    if acc and (not cuts or cuts[-1] != acc):
        cuts.append(acc)
    return cuts


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
        self.prefixes: set[str] = set()               # keys cut where a tokenizer may split the name
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
                self.prefixes.update(boundary_prefixes(form))



_KEYS: dict[str, str] = {}  # token text -> its key (token texts repeat across documents)


class Tokens:
    """One document's tokens as plain lists (Token objects are slow to make)."""

    def __init__(self, texts: list[str], spaces: list[int], sent_starts: list[int]) -> None:
        self.texts = texts
        self.spaces = spaces            # 1 when whitespace follows the token
        self.sent_starts = sent_starts  # 1 at the first token of a sentence
        keys = _KEYS
        if len(keys) > 200_000:
            keys.clear()
        for t in set(texts).difference(keys):  # only the texts not seen before are keyed in Python
            keys[t] = token_key(t)
        self.keys = list(map(keys.__getitem__, texts))

    def lower(self, k: int) -> str:
        return self.texts[k].lower()

    def __len__(self) -> int:
        return len(self.texts)

    def words(self, start: int, end: int) -> list[str]:
        """The lower-cased tokens of [start, end) that are not punctuation."""
        return [w.lower() for w in self.texts[max(0, start):end] if _WORD.search(w)]

    def text(self, start: int, end: int) -> str:
        return "".join(t + " " * sp for t, sp in zip(self.texts[start:end], self.spaces[start:end])).strip()


class WeaponMatcher:
    def __init__(self, nlp: Language, gaz: Gazetteers) -> None:
        self.weapons = gaz.weapons
        self.curated = {w.id for w in gaz.weapons.values() if not w.source.startswith(IMPORT_CREDITS)}
        self.index = WeaponIndex(gaz, self.curated)
        self.strings = nlp.vocab.strings
        self._eligible: dict[int, bool] = {}  # token ORTH hash -> may it start a name
        lex = gaz.lexicon
        self.cue_words = lex.cue_words
        self.company_words = lex.company_words
        self.makers = lex.makers
        self.english = lex.english_words
        self.not_names = {f.casefold() for c in gaz.countries.values() for f, _ in c.forms()} \
            | {f.split()[-1].casefold() for c in gaz.countries.values() for f, _ in c.forms()} \
            | {w.casefold() for w in lex.name_stopwords} | {w.casefold() for w in lex.titles} \
            | {w.casefold() for kind in ("month", "weekday") for w in lex.time_words.get(kind, {})} \
            | {w.casefold() for p in gaz.people.values() for name in (p.canonical, *p.aliases) for w in name.split()}
        category_nouns = {noun.lower(): tuple(v.lower() for v in value.split("|"))
                          for noun, value in lex.cues("anaphora", "noun").items() if value != "*"}
        fitting: dict[str, frozenset[str]] = {}
        for category in {w.category.lower() for w in gaz.weapons.values()}:
            own = {w for w in category.split() if len(w) >= 3}
            fitting[category] = frozenset(own | {w + "s" for w in own} | {
                noun for noun, values in category_nouns.items() if any(v in category for v in values)})
        self.fitting = {w.id: fitting[w.category.lower()] for w in gaz.weapons.values()}  # words naming its kind
        self.by_family = {w.canonical: w for w in gaz.weapons.values() if w.family == w.canonical}
        self.rule_nouns = frozenset(w for w in self.cue_words if w not in {"system", "systems", "platform",
                                                                          "platforms", "variant", "version", "class",
                                                                          "vessel", "vessels", "gun", "guns"})

    # -- context -----------------------------------------------------------------------------------
    def _is_cue(self, word: str) -> bool:
        return word in self.cue_words or word.rstrip("s") in self.cue_words

    def _has_cue(self, tok: Tokens, start: int, end: int, ids: list[str] | None = None) -> bool:
        """A cue word close by, or (given the candidate entries) a word naming one's category nearby."""
        after = tok.words(end, end + 3 * CUE_AFTER)[:CUE_AFTER]
        before = tok.words(start - 3 * CUE_BEFORE, start)[-CUE_BEFORE:]
        if any(self._is_cue(w) for w in after + before):
            return True
        return bool(ids) and self._nearest_fit(tok, start, end, ids)[0] is not None

    def _nearest_fit(self, tok: Tokens, start: int, end: int, ids: list[str]) -> tuple[str | None, str]:
        """The one entry whose category the nearest category word fits ("Lynx helicopters"), with that word:
        the category's own words ("helicopter", "armoured") or an anaphora noun of claim_cues.csv ("jets")."""
        for distance in range(CATEGORY_WINDOW):
            for k in (end + distance, start - 1 - distance):
                if 0 <= k < len(tok) and tok.texts[k].isalpha():
                    word = tok.lower(k)
                    fit = [i for i in ids if word in self.fitting[i]]
                    if len(fit) == 1:
                        return fit[0], tok.texts[k]
                    if fit:
                        return None, tok.texts[k]
        return None, ""

    def _resolve(self, tok: Tokens, start: int, end: int, ids: list[str]) -> tuple[Weapon | None, str]:
        """The entry a name stands for; with several (homonyms), the one the nearest category word fits."""
        if len(ids) == 1:
            return self.weapons[ids[0]], ""
        chosen, word = self._nearest_fit(tok, start, end, ids)
        if chosen is not None:
            return self.weapons[chosen], f"; chosen among {len(ids)} systems of this name by the word {word!r}"
        curated = [i for i in ids if i in self.curated]
        if len(curated) == 1:
            return self.weapons[curated[0]], f"; {len(ids)} systems of this name, no category words: the curated one"
        return None, "; ambiguous: " + "|".join(sorted(ids))

    # -- matching ----------------------------------------------------------------------------------
    def _starts(self, orth: list[int]) -> list[int]:
        """Token positions whose key may begin a gazetteer name (decided once per distinct token)."""
        eligible = self._eligible
        for h in set(orth).difference(eligible):  # only new token texts are decided in Python
            text = self.strings[h]
            key = token_key(text)
            eligible[h] = bool(key) and text[:1].isalnum() and (
                key in self.index.prefixes or (key[-1] == "s" and key[:-1] in self.index.keys))
        return list(compress(range(len(orth)), map(eligible.__getitem__, orth)))

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            set_spans(doc, LABEL, [])
            return doc
        text = doc_text(doc)
        array = doc.to_array([IDX, LENGTH, SPACY, SENT_START, ORTH])
        array[:, 3] = array[:, 3] == 1  # 1 at a sentence start, else 0 (spaCy writes -1 and 0 for "no")
        idx, length, space, sent, orth = array.T.tolist()
        tok = Tokens([text[a:a + n] for a, n in zip(idx, length)], space, sent)
        spans: list[Span] = []
        covered = [False] * len(doc)

        def keep(found: tuple[int, int, Match] | None) -> None:
            if found is not None and not any(covered[found[0]:found[1]]):
                span = Span(doc, found[0], found[1], label=LABEL)
                span._.match = found[2]
                spans.append(span)
                covered[found[0]:found[1]] = [True] * (found[1] - found[0])

        uncued: list[tuple[int, int, str]] = []
        for i in self._starts(orth):
            if i and not space[i - 1] and tok.keys[i - 1]:
                continue  # a start inside a word
            end_key = self._exact_at(tok, i)
            if end_key is not None:
                found = self._exact(tok, i, *end_key)
                if found is None and end_key[1] in self.index.cue_keys and any(c.isdigit() for c in end_key[1]):
                    uncued.append((i, *end_key))
                keep(found)
        if uncued:  # a short designation ("K2s") the document names elsewhere with a cue is that system
            named = {span._.match.entity_id for span in spans}
            for i, end, key in uncued:
                if named.intersection(self.index.keys[key]):
                    keep(self._exact(tok, i, end, key, cued=True))
        for m in _DESIGNATION_START.finditer(text):  # designations the exact pass did not cover
            i = bisect.bisect_right(idx, m.start()) - 1
            if i >= 0 and idx[i] == m.start() and not covered[i]:
                keep(self._family_in_token(tok, i))
        tried: set[int] = set()
        nouns = self.rule_nouns
        for k in compress(range(len(tok)), map(nouns.__contains__, tok.texts)):  # unknown names before a weapon noun
            for i in range(max(0, k - RULE_WINDOW), k):
                if i not in tried and not covered[i] and (tok.texts[i][:1].isupper()
                                                         or _DESIGNATION.match(tok.texts[i])):
                    tried.add(i)
                    keep(self._unknown(tok, i))
        set_spans(doc, LABEL, self._programmes(tok, longest_first(spans)))
        return doc

    def _programmes(self, tok: Tokens, spans: list[Span]) -> list[Span]:
        """A one-word programme name right before a ship class of the same kind ("MILGEM Istif class",
        "FREMM Bergamini class") is part of the class's name, not a second system."""
        kept: list[Span] = []
        for span in spans:
            prev = kept[-1] if kept else None
            if prev is not None and prev.end == span.start and len(prev) == 1 and tok.spaces[prev.start] \
                    and tok.texts[span.end - 1].lower() == "class" and prev._.match.entity_id \
                    and group_of(prev._.match.subtype) == group_of(span._.match.subtype) and span._.match.entity_id:
                merged = Span(span.doc, prev.start, span.end, label=LABEL)
                m = span._.match
                merged._.match = Match(m.entity_id, m.canonical, m.family, m.subtype, m.matcher,
                                       f"{m.basis}; with the programme name {prev.text!r}")
                kept[-1] = merged
                continue
            kept.append(span)
        return kept

    def _exact_at(self, tok: Tokens, i: int) -> tuple[int, str] | None:
        """The longest gazetteer name starting at token i: (end token, key)."""
        prefixes, index, keys = self.index.prefixes, self.index.keys, tok.keys
        acc, best, j = keys[i], None, i
        while True:
            if not keys[j]:
                pass  # a name does not end on a hyphen or slash
            elif acc in index:
                best = (j + 1, acc)
            elif acc.endswith("s") and acc[:-1] in index and (len(acc) >= 5 and acc[-2:-1].isalpha() or
                                                               acc[-2:-1].isdigit() and tok.texts[j].endswith("s")):
                best = (j + 1, acc[:-1])  # "Harops", "Rafales", "K9s"
            j += 1
            if j >= len(keys) or j - i >= MAX_TOKENS:
                break
            text, nxt = tok.texts[j], keys[j]
            if not nxt and text not in JOINERS:
                break  # punctuation or a line break ends a name
            if nxt == "s" and text[:1] == "s" and not tok.spaces[j - 1]:
                break  # "Su-30" "s" (or "s." at a sentence end): a plural, not part of the name
            if acc + nxt not in prefixes:
                if len(nxt) > 1 and nxt.endswith("s") and text[:1].isalnum() and acc + nxt[:-1] in index:
                    best = (j + 1, acc + nxt[:-1])  # "Type 26 frigates"
                break
            acc += nxt
        return best

    def _exact(self, tok: Tokens, start: int, end: int, key: str,
               cued: bool = False) -> tuple[int, int, Match] | None:
        """The gazetteer name ``key`` over tokens [start, end), unless a rule rejects it; ``cued``: the
        document names the system elsewhere, which stands for a cue word."""
        ids = self.index.keys[key]
        surface = tok.text(start, end)
        if key in self.index.cue_keys and not cued and not self._has_cue(tok, start, end, ids):
            return None
        if key in self.index.bare_keys and end - start <= 2 and not tok.texts[start][:1].isupper():
            return None
        if end < len(tok) and tok.texts[end] in self.company_words or surface.casefold() in self.makers:
            return None  # "BrahMos Aerospace", "Rotem": the maker, not the system
        if key in self.index.bare_keys and end - start == 1 and end < len(tok) and tok.texts[end].isalpha() \
                and tok.texts[end][:1].isupper() and tok.keys[end] not in self.index.prefixes:
            return None  # "Caesar Kunikov": part of a longer proper name
        end = self._class_end(tok, self._name_end(tok, start, end, key))
        start = self._after_maker(tok, start, end)
        weapon, note = self._resolve(tok, start, end, ids)
        variant_end = self._variant_end(tok, end)
        if weapon is not None and variant_end > end:
            return self._family(tok, start, variant_end, weapon, "")
        name = tok.text(start, end)
        if weapon is None:
            return start, end, Match("", name, "", "", "rule", f"name {surface!r}{note}")
        form = "canonical" if name == weapon.canonical else "alias"
        return start, end, Match(weapon.id, weapon.canonical, weapon.family, weapon.category, "exact",
                                 f"{form} {name!r} of {weapon.id} (weapons.csv line {weapon.line}){note}")

    def _name_end(self, tok: Tokens, start: int, end: int, key: str) -> int:
        """Trailing lower-case words a name carries ("K2 tank", "K9 self-propelled howitzers", "Type 26
        frigates", "Istif class frigates") stay out of the span when the rest names the same system, ends
        in a digit or in the word "class"."""
        if end - start < 2 or not self._is_cue(tok.lower(end - 1)):
            return end
        for k in range(end - 1, start, -1):
            if not (tok.texts[k].islower() or tok.texts[k] in JOINERS):
                break
            shorter = "".join(tok.keys[start:k])
            if self.index.keys.get(shorter) == self.index.keys[key] or (len(shorter) >= 3 and shorter[-1].isdigit()) \
                    or (k - start >= 2 and tok.texts[k - 1].lower() == "class"):
                return k  # "K2", "Type 26", "Istif class"
        return end

    def _after_maker(self, tok: Tokens, start: int, end: int) -> int:
        """A maker's name an alias begins with ("BAE Systems Hawk", "Sukhoi Su-30SME") stays out of the
        span, like a trailing noun: the entity's text is the system's name."""
        for n in (2, 1):
            if start + n < end and " ".join(tok.texts[start:start + n]).casefold() in self.makers:
                return start + n
        return start

    @staticmethod
    def _class_end(tok: Tokens, end: int) -> int:
        """ "Gowind-class", "Gowind class": the word "class" belongs to the name of a ship class."""
        if end < len(tok) and tok.lower(end) == "class":
            return end + 1
        if end + 1 < len(tok) and tok.texts[end] == "-" and tok.lower(end + 1) == "class":
            return end + 2
        return end

    def _variant_end(self, tok: Tokens, end: int) -> int:
        """Where an unknown variant suffix after a known name ends (== end when there is none)."""
        if end >= len(tok):
            return end
        prev, nxt = tok.texts[end - 1], tok.texts[end]
        if not tok.spaces[end - 1] and _SUFFIX.match(nxt) and tok.keys[end] != "s":
            return end + 1  # attached: "FTC-2000" "G"
        if tok.lower(end) in VARIANT_WORDS and end + 1 < len(tok) and tok.texts[end + 1][:1].isdigit():
            return end + 2  # "F-16 Block 70"
        if tok.spaces[end - 1] and _VARIANT_TOKEN.match(nxt) and tok.lower(end) not in self.english \
                and nxt.casefold() not in self.not_names and len(nxt) >= 2 \
                and any(c.isdigit() for c in prev + nxt):
            return end + 1  # "M1A2 SEPv3", "Magura V5"
        return end

    def _family(self, tok: Tokens, start: int, end: int, weapon: Weapon, note: str) -> tuple[int, int, Match]:
        """A known family with a variant suffix the gazetteer lacks: the family entry, flagged."""
        family = self.by_family.get(weapon.family, weapon)
        name = tok.text(start, end)
        return start, end, Match(family.id, name, family.canonical, family.category, "family",
                                 f"unknown variant {name!r} of {weapon.canonical!r}, family {family.canonical} "
                                 f"(weapons.csv line {family.line}){note}")

    def _family_in_token(self, tok: Tokens, i: int) -> tuple[int, int, Match] | None:
        """ "K2GF", "T-90MS", "AL-41F1": a known designation cut where letters meet digits."""
        for prefix in _joint_prefixes(tok.keys[i]):
            ids = self.index.keys.get(prefix)
            if ids and any(c.isdigit() for c in prefix) and len(prefix) >= 2:
                weapon, note = self._resolve(tok, i, i + 1, ids)
                if weapon is None or (needs_cue(tok.texts[i], self.english) and not self._has_cue(tok, i, i + 1)):
                    return None
                return self._family(tok, i, self._variant_end(tok, i + 1), weapon, note)
        return None

    def _unknown(self, tok: Tokens, i: int) -> tuple[int, int, Match] | None:
        """An unknown name right before a weapon noun: a designation ("TK-4 interceptors") or up to
        three Capitalised words, one of them no English word or followed by a numeral ("Pralay
        missiles", "Tien Kung IV interceptors", "Magura V5 naval drones")."""
        texts = tok.texts
        if i > 0 and texts[i - 1].isalpha() and texts[i - 1][:1].isupper() and not (
                tok.sent_starts[i - 1] and texts[i - 1].lower() in self.english):
            return None  # inside a longer Capitalised name: it starts earlier
        if tok.sent_starts[i] and texts[i].lower() in self.english:
            return None  # "Two", "The": an ordinary word capitalised at the start of a sentence
        end, words = i, []
        while end < len(tok) and len(words) < 3 and texts[end].isalpha() and texts[end][:1].isupper() \
                and not _ROMAN.match(texts[end]):
            words.append(texts[end])
            end += 1
        numeral = end < len(tok) and bool(_ROMAN.match(texts[end]) or (
            _VARIANT_TOKEN.match(texts[end]) and any(c.isdigit() for c in texts[end])))
        if not words:
            if not _DESIGNATION.match(texts[i]):
                return None
            words, end = [texts[i]], i + 1
        elif numeral:
            end += 1  # "Tien Kung IV", "Magura V5"
        elif not any(len(w) >= 4 and w.lower() not in self.english for w in words):
            return None  # "Strong Bow", "Air Defence": ordinary words
        noun = next((k for k in range(end, min(len(tok), end + 1 + 2 * RULE_GAP)) if texts[k].lower() in self.rule_nouns),
                    None)
        if noun is None or not texts[noun].islower():
            return None
        between = range(end, noun)
        name = tok.text(i, end)
        if any(not (texts[k].isalpha() and texts[k].islower() or texts[k] == "-") for k in between) \
                or sum(1 for k in between if texts[k].isalpha() and texts[k - 1] != "-") > RULE_GAP:
            return None  # "Pralay quasi-ballistic missiles", "Rudram-1 anti-radiation missile"; no verb between
        if texts[noun].lower() in SHIP_NOUNS and not any(c.isdigit() for c in name):
            return None  # "the Ivan Khurs reconnaissance ship": an individual ship; a class has digits
        if any(w.casefold() in self.not_names or w.casefold() in self.makers for w in words) \
                or name.casefold() in self.makers or re.fullmatch(r"(?:19|20)\d\d", name) \
                or texts[end - 1] in self.company_words:
            return None
        return i, end, Match("", name, name, "", "rule", f"unknown system: {name!r} before the weapon noun "
                                                           f"{texts[noun]!r}")


@Language.factory("weapon_matcher", default_config={"gazetteer_dir": ""})
def make_weapon_matcher(nlp: Language, name: str, gazetteer_dir: str) -> WeaponMatcher:
    return WeaponMatcher(nlp, cached_gazetteers(gazetteer_dir))
