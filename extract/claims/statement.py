"""Statements: attributed quotes and reported assertions, with their speaker.

* A direct quotation of five words or more is one claim, however many sentences (or
  paragraphs that each open with the mark) it spans; its speaker is found around it (``Fomin
  told Tass``, ``said the spokesman``, ``he added``), else it names whom it speaks for ("On
  behalf of X, I ..."). A quotation with no verb of saying around it, right after a
  statement, continues that speaker's words, unless the text is cut off inside it (its
  attribution would follow the lost closing mark); a line ending "X said:" introduces the
  paragraph after it.
* A sentence outside quotations with a verb of saying ("said", "noted", "according to",
  "hailed" ... every inflection, see ``lemmas.py``) and a speaker is a reported statement, as
  is a verb of expectation (``belief`` rows: "officials expect") with a person, a group or a
  body as its active subject (not "is expected to", nor "Poland expects"); a
  sentence whose clauses have different speakers ("Tehran criticised ..., while Moscow
  dismissed ...") makes one statement per speaker. "according to X" in a sentence that
  states a transfer (or has a transfer cue and names a system) only cites the transfer's
  source: it is no statement of its own. Nor is a body or a country that reports, without
  quoting, a transfer or combat use the same sentence states in full (system and both
  parties, or system and actor, named there): "Egypt has bought 30 jets from France, the
  Egyptian ministry said" is the transfer, its source cited. A denial, a quotation and a
  prospect ("will", "plans to": ``clause,future`` rows) stay statements.

The speaker is, in order:

1. a publication named right before the verb -> its owner ("GlobalData's defence market report
   projects ...": such verbs, ``publication_verb`` rows, say only after a publication);
2. for a participle after a comma (", saying ...", ", adding ..."), the speaker of the clause before;
3. "he"/"she" -> the last person who spoke (or was named); "it" -> the last organisation that spoke;
4. the person who is the subject of the verb: the last person before it in its clause who is
   not inside a prepositional phrase ("in a meeting with X"), not a possessive ("X's chief of
   staff") and not inside an apposition after another name; or a person right after the verb
   ("said Defence Minister X");
5. an unnamed source ("a source familiar with the matter", "two people briefed on the talks",
   "several diplomats") -> "unnamed source(s)", "unnamed diplomats"; a role noun ("the
   spokesman", "the CAS") -> the person named with that role or acronym;
6. an organisation: "the ministry", "the mission", "the company" -> the last organisation with
   that head noun, else that body of the document's country; a body of a named country
   ("Iran's permanent mission to the United Nations", "Turkey's defence ministry"); a group
   ("Russian officials"); a Capitalised body ("the Turkish Ministry of Defence"); a
   Capitalised name that is the clause's subject ("Hyundai Rotem said", "Dassault Aviation,
   the manufacturer ..., said");
7. a country that is the subject of the verb ("Moscow has dismissed", "Iran and Russia have denied").

Body names are normalised: the owner's demonym, then the body ("Indian Ministry of Defence",
"Iranian Permanent Mission to the United Nations"); the head nouns and the names of ministries
("defence" -> Ministry of Defence, "foreign" -> Ministry of Foreign Affairs) are lexicon rows
(``claim_cues.csv``, frame ``statement``, kinds ``org_head`` and ``ministry``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .context import Cues, DocContext, Ent, Hit, Quote, Sentence
from .words import first_parts
from .meeting import has_object
from .mention import new_mention, set_date, spans_of
from .slots import attributed_to, nearest_date

WORD = r"[\w’'.-]+"
NAME_WORD = r"[A-Z][\w’'.&-]{0,40}+"  # bounded and possessive: linear on a long run of word characters
PRONOUN = re.compile(r"\b(?:he|she)\s+(?:also\s+)?$", re.IGNORECASE)
PRONOUN_AFTER = re.compile(r"^\s+(?:he|she)\s*[.,;]", re.IGNORECASE)  # "“...,” said he."
IT = re.compile(r"(?:^|[,;]\s*|\band\s+)it\s+(?:also\s+)?$")
ROLE_WORDS = r"spokes(?:man|woman|person)|minister|general|director|official|officer|analyst|ambassador|" \
             r"commander|chief|president|secretary|envoy|head|premier"
# Words are bounded ({1,40}) and possessive (++), so that no pattern rescans a long run of word
# characters from every position inside it (quadratic; issue 9 item 10).
ROLE = re.compile(rf"\b(?:the\s+)?(?:[\w’'-]{{1,40}}+\s++){{0,3}}?(?P<role>{ROLE_WORDS})\s*(?:also\s+)?$", re.IGNORECASE)
ROLE_AFTER = re.compile(rf"^\s+(?:the\s+)?(?:[\w’'-]{{1,40}}+\s++){{0,3}}?(?P<role>{ROLE_WORDS})\b", re.IGNORECASE)
ACRONYM_ROLE = re.compile(r"\b[Tt]he\s+(?P<acronym>[A-Z]{2,6})\s+(?:also\s+)?$")
ACRONYM_DEFINED = re.compile(r"\((?P<acronym>[A-Z]{2,6})\)")
ORG = re.compile(r"(?:[Tt]he\s+)?(?P<org>(?:[A-Z][\w’'-]{1,40}+\s++){0,4}(?:Ministry|Department|Office|Agency|Service|"
                 r"Corporation|Company|Council|Commission|Holding|Helicopters|Group|Institute|Embassy|Government|"
                 r"Mission|White House|Kremlin|Pentagon|Armed Forces|Rostec|Rosoboronexport)"
                 r"(?:\s+of(?:\s+the)?(?:\s+[A-Z][\w’'-]{1,40}+){1,4})?)")
# "Russian officials", "Indian defence officials", "Ukraine's armed forces", "Officials in Manila"
GROUP = re.compile(r"(?P<org>(?:[A-Z][\w’'-]{1,40}+\s++){1,2}(?:[a-z]{1,40}+\s++){0,2}(?:officials|official|authorities|diplomats|"
                   r"sources|armed forces|military|government)|[Oo]fficials\s+in\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)"
                   r"(?:\s+(?:on|in)\s+\w+)?\s+(?:have\s+|has\s+|had\s+|also\s+|never\s+|again\s+)*$")
FILLER = r"(?:(?:has|have|had|also|again|never|once|further|\w+ly)\s+)*"
APPOSITION = re.compile(r"^,[^,;.]{3,140},\s*" + FILLER + "$")
COUNTRY_SUBJECT = re.compile(r"^\s*(?:(?:and|,)\s+(?:the\s+)?(?:[A-Z][\w’'.-]*\s+){1,3})?" + FILLER + "$")
# A Capitalised name that is the clause's subject: "Hyundai Rotem said", "Dassault Aviation, the maker ..., said"
NAME_SUBJECT = re.compile(rf"(?:^|[,;:–—-]\s+|\bwhile\s+|\band\s+)(?:[Tt]he\s+)?(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}})"
                          rf"(?:,[^,;.]{{3,140}},)?\s*{FILLER}$")
NOT_SUBJECT = frozenset({"The", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "A", "An",
                         "In", "On", "At", "After", "Before", "During", "But", "And", "As", "Last", "Earlier",
                         "Later", "Meanwhile", "However", "Also", "Speaking", "According"})
PREPOSITION_BEFORE = re.compile(r"\b(?:with|to|from|by|between|against|about|under|over|told)\s+"
                                r"(?:[\w’'.-]+\s+){0,10}$", re.IGNORECASE)
PARTICIPLE = re.compile(r",\s*(?:and\s+)?$")
NEGATED = re.compile(r"\b(?:not|never|n’t|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)
HYPOTHETICAL = re.compile(r"\b(?:could|would|may|might|will)\s+(?:\w+\s+)?$", re.IGNORECASE)
# "“On behalf of Dassault Aviation and its partners, I ...": the quotation names whom it speaks for
ON_BEHALF = re.compile(r"\s{0,3}[Oo]n\s{1,3}behalf\s{1,3}of\s{1,3}(?:the\s{1,3})?"
                       r"(?P<org>[A-Z][\w’'&.-]{0,40}(?:\s{1,3}[A-Z][\w’'&.-]{0,40}){0,4})")  # bounded: linear
# "a source familiar with the matter said", "two people briefed on the talks said", "several Western diplomats
# told": an indefinite source (a definite one, "the official", is a role noun that refers back). Bounded: linear.
ANONYMOUS = re.compile(r"(?:^|,\s{1,3}|\band\s{1,3})(?:[Aa]n?|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome)\s{1,3}"
                       r"(?P<who>(?:[\w-]{1,30}\s{1,3}){0,2}?(?P<head>sources?|insiders?|person|people|officials?|"
                       r"diplomats?))(?:\s{1,3}(?:familiar|close|briefed|knowledgeable|with|who|in|at)\b[^,;.]{0,80}?)?"
                       r",?\s{0,3}(?:(?:has|have|had|also)\s{1,3})?$")
# Where ``owned`` and ``definite`` matches can begin: a character of these, in the chunks of text before a head
# noun (an owner of up to three words and three modifiers; "the" and two modifiers)
CAPITAL, THE = re.compile("[A-Z]"), re.compile("[Tt]")
OWNED_BEFORE, DEFINITE_BEFORE = 6, 3
PASSIVE_BELIEF = re.compile(r"\b(?:is|are|was|were|be|been|being|widely|generally)\s{1,3}$", re.IGNORECASE)
MAX_SUBJECT_WORDS = 6    # a subject this close to its verb needs no other evidence
MAX_PP_WORDS = 30        # a subject separated from its verb by a prepositional phrase ("X in a meeting with Y reaffirmed")
CONTINUED_QUOTE = 3      # sentences after a statement within which an unattributed quotation continues it


@dataclass
class Speaker:
    name: str
    how: str
    kind: str = "person"  # person | org | country

    @property
    def is_person(self) -> bool:
        return self.kind == "person"


@dataclass(frozen=True)
class _Bodies:
    """The lexicon's patterns of organisations and publications, built once per cue lexicon."""

    head_of: dict[str, str]  # a head noun's forms -> its key ("ministries" -> "ministry")
    private: frozenset[str]  # keys of private bodies (no country's: "the company")
    owned: re.Pattern[str]
    definite: re.Pattern[str]
    publication: re.Pattern[str]
    firsts: frozenset[str] | None  # the first parts of the head nouns (``Words.starting``); None: unknown


@lru_cache(maxsize=4)
def _bodies(cues: Cues) -> _Bodies:
    rows = dict(cues.forms("statement", "org_head"))  # every form of a one-word head -> "key" or "key:private"
    rows.update({p: v for p, v in cues.rows.get(("statement", "org_head"), {}).items() if " " in p})
    head_of = {form: (value or form).split(":")[0] for form, value in rows.items()}
    private = frozenset(head_of[form] for form, value in rows.items() if value.endswith(":private"))
    head = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(rows, key=len, reverse=True)) or "(?!)"
    tail = r"(?P<tail>\s+(?:of|to|for|in|at)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|the|and))*" \
           r"|\s+of\s+(?:the\s+)?[a-z]+(?:\s+(?:affairs|security|defen[cs]e))?)?"
    # "Iran's permanent mission to the United Nations", "the Turkish Ministry of Defence", "Seoul's defense ministry"
    owned = re.compile(rf"(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){{0,2}})(?:’s|'s)?\s+"
                       rf"(?P<mods>(?:[A-Za-z][\w-]*\s+){{0,3}}?)(?P<head>(?i:{head}))\b{tail}")
    # "the ministry", "the defence ministry", "the ministry of defence", "the company"
    definite = re.compile(rf"\b[Tt]he\s+(?P<mods>(?:[a-z][\w-]*\s+){{0,2}}?)(?P<head>(?i:{head}))\b{tail}")
    heads = "|".join(sorted(cues.forms("statement", "publication"), key=len, reverse=True)) or "(?!)"
    # "GlobalData's Colombia Defense Market report projects", "a SIPRI study found": bounded, so linear
    publication = re.compile(
        rf"(?:(?P<owner>[A-Z][\w&.-]{{0,40}}(?:\s{{1,3}}[A-Z][\w&.-]{{0,40}}){{0,2}})(?:’s|'s)|\b(?:[Aa]n?|[Tt]he)\s{{1,3}}"
        rf"(?P<named>[A-Z][\w&.-]{{0,40}}))\s{{1,3}}(?:[\w’'.-]{{1,40}}\s{{1,3}}){{0,6}}?(?i:{heads})\s{{1,3}}"
        rf"(?:\w{{1,20}}ly\s{{1,3}})?$")
    # both patterns match a head noun after white space, so only at a word that can begin one
    return _Bodies(head_of, private, owned, definite, publication, first_parts(rows))


class SpeakerTracker:
    """Remembers who spoke and which organisations were named, in text order."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.last_speaker: str = ""  # the last person who spoke (for "he said")
        self.last_org: str = ""      # the last organisation that spoke (for "it said")
        self.last: Speaker | None = None
        self.last_position = -10
        self.orgs: dict[str, str] = {}  # head noun -> the last organisation named with it
        cues = ctx.cues
        bodies = _bodies(cues)
        self.head_of, self.private = bodies.head_of, bodies.private
        self.owned, self.definite, self.publication = bodies.owned, bodies.definite, bodies.publication
        self.firsts = bodies.firsts
        self.ministries = cues.forms("statement", "ministry")
        self.demonym = cues.demonyms
        self.english = cues.english_words
        body = [c for s in ctx.sentences for c in s.of("COUNTRY")]
        self.home = body[0].canonical if body else ""
        self.acronyms = self._acronyms()

    def _bodies(self, pattern: re.Pattern[str], start: int, end: int) -> list[re.Match[str]]:
        """The matches of ``owned`` or ``definite`` in text[start:end], tried only in the few chunks
        of text before a head noun."""
        before, first = (OWNED_BEFORE, CAPITAL) if pattern is self.owned else (DEFINITE_BEFORE, THE)
        return self.ctx.near(pattern, start, end, self.firsts, before, first)

    def _acronyms(self) -> dict[str, str]:
        """Role acronyms the text defines next to a person: "the Chief of Air Staff (CAS), Air Marshal X"."""
        found: dict[str, str] = {}
        for sentence in self.ctx.sentences:
            for m in ACRONYM_DEFINED.finditer(sentence.text):
                at = sentence.start + m.end()
                people = [p for p in sentence.of("PERSON") if 0 <= p.start - at <= 60]
                if people:
                    found.setdefault(m.group("acronym"), people[0].canonical)
        return found

    def people_before(self, offset: int) -> list[Ent]:
        return [e for s in self.ctx.sentences for e in s.of("PERSON") if e.end <= offset]

    def by_role(self, role: str, sentence: Sentence) -> Speaker | None:
        """The person a role noun stands for: named with that role right after ("..., the director
        told reporters. X Y, director of ..."), else the last person named who holds it."""
        role = role.lower()
        position = self.ctx.position(sentence)
        if position + 1 < len(self.ctx.sentences):
            nxt = self.ctx.sentences[position + 1]
            people = nxt.of("PERSON")
            if people and people[0].start - nxt.start <= 3 and role in self.ctx.text[people[0].end:people[0].end + 40].lower():
                return Speaker(people[0].canonical, f"{role!r} -> person named with that role next")
        word = re.compile(rf"\b{re.escape(role)}\b")
        for person in reversed(self.people_before(sentence.start)):
            titles = self.ctx.cues.person_titles.get(person.id, ())
            if any(word.search(t) for t in titles) or word.search(person.subtype.lower()) \
                    or word.search(self.ctx.text[max(0, person.start - 60):person.start].lower()):
                return Speaker(person.canonical, f"{role!r} -> last person with that title")
        return None

    # ------------------------------------------------------------------ organisations

    def _body(self, owner: str, mods: str, head: str, tail: str) -> str:
        """A body's normalised name: "Indian Ministry of Defence", "Iranian Permanent Mission to the United Nations"."""
        head_key = self.head_of.get(head.lower(), head.lower())
        mods_words = mods.split()
        demonym = self.demonym.get(owner, owner)
        tail = " ".join(tail.split())
        if head_key == "ministry":
            if tail.lower().startswith("of "):
                name = "Ministry of " + " ".join(w if w in ("of", "the", "and") else w.capitalize()
                                                 for w in tail.split()[1:])
            else:
                field_words = [self.ministries.get(w.lower()) or w.capitalize() for w in mods_words]
                name = "Ministry of " + " ".join(field_words) if field_words else "Ministry"
            return f"{demonym} {name}".strip()
        words = [w.capitalize() if w.islower() else w for w in mods_words + [head]]
        return " ".join([demonym] + words + ([tail] if tail else [])).strip()

    def _named_body(self, sentence: Sentence, m: re.Match[str]) -> str:
        """The name of the body ``m`` (an ``owned`` match in ``sentence``) when a country owns it:
        as written when the text gives its proper name ("the Russian Foreign Ministry", "the UK's
        Ministry of Defence", "the Russian Helicopters holding"), else normalised ("Turkey's defence
        ministry" -> "Turkish Ministry of Defence"); "" when no country owns it."""
        text = self.ctx.text
        start, end = sentence.start + m.start("owner"), sentence.start + m.end("owner")
        owner = next((c for c in sentence.of("COUNTRY") if start <= c.start and c.end <= end), None)
        if owner is None:
            return ""
        head_start = sentence.start + m.start("head")
        extra = re.sub(r"^(?:’s|'s)", "", text[owner.end:head_start]).split()
        head, tail = m.group("head"), " ".join((m.group("tail") or "").split())
        if head[:1].isupper() or any(w[:1].isupper() for w in extra):
            words = [owner.text] + extra + ([head] if head[:1].isupper() else [])
            return " ".join(words + ([tail] if tail and head[:1].isupper() else []))
        return self._body(owner.canonical, " ".join(extra), head, tail)

    def org_before(self, sentence: Sentence, verb: Hit) -> Speaker | None:
        """A body named as the subject before the verb, or "the ministry" standing for one."""
        text = self.ctx.text
        region = text[sentence.start:verb.start]
        for m in reversed(self._bodies(self.owned, sentence.start, verb.start)):
            if not re.fullmatch(r"\s*(?:,[^,;.]{3,140},\s*)?" + FILLER + r"\s*", region[m.end():]):
                continue
            name = self._named_body(sentence, m)
            if name:
                return self._org(name, m.group("head"), "body of a country named before the verb")
        m = next(reversed(self._bodies(self.definite, sentence.start, verb.start)), None)
        if m is not None and re.fullmatch(r"\s*(?:,[^,;.]{3,140},\s*)?" + FILLER + r"\s*", region[m.end():]):
            return self._anaphor(m.group("mods"), m.group("head"), m.group("tail") or "")
        return None

    def _anaphor(self, mods: str, head: str, tail: str) -> Speaker | None:
        key = self.head_of.get(head.lower(), head.lower())
        if key in self.orgs:
            return Speaker(self.orgs[key], f"'the {head.lower()}' -> last {key} named", "org")
        if self.home and key not in self.private:
            name = self._body(self.home, mods, head, tail)
            return self._org(name, head, f"'the {head.lower()}' -> that body of the document's country ({self.home})")
        return None

    def _org(self, name: str, head: str, how: str) -> Speaker:
        self.orgs[self.head_of.get(head.lower(), head.lower())] = name
        return Speaker(name, how, "org")

    def note_orgs(self, sentence: Sentence) -> None:
        """Bodies named in a sentence become antecedents of "the ministry", "the agency", "the
        company": a Capitalised body by the head noun of its name ("the Defense Security
        Cooperation Agency" for "the agency"), a body of a country by its normalised name."""
        capitalised = [h for h in self.ctx.find("statement", "org_head", sentence) if h.phrase[:1].isupper()]
        for m in ORG.finditer(sentence.text) if capitalised else ():  # the scan only where a body's head stands
            name = " ".join(m.group("org").split())
            head = name.split(" of ")[0].split()[-1].lower()
            if head in self.head_of:
                self.orgs[self.head_of[head]] = name
        for m in self._bodies(self.owned, sentence.start, sentence.end):
            name = self._named_body(sentence, m)
            if name:
                self._org(name, m.group("head"), "")
        for m in self._bodies(self.definite, sentence.start, sentence.end):  # "the defence ministry": the document country's
            key = self.head_of.get(m.group("head").lower(), m.group("head").lower())
            if (m.group("mods") or m.group("tail")) and key not in self.orgs:
                self._anaphor(m.group("mods"), m.group("head"), m.group("tail") or "")

    # ------------------------------------------------------------------ people

    def subject(self, sentence: Sentence, verb: Hit, people: list[Ent]) -> Speaker | None:
        """The person who is the subject of ``verb`` (see the module docstring, rule 3)."""
        text = self.ctx.text
        clause_start = sentence.start
        for person in reversed([p for p in people if p.end <= verb.start]):
            between = text[person.end:verb.start]
            if '"' in between or "”" in between or re.match(r"\s*(?:’s|'s)\b", between) \
                    or person.text.endswith(("’s", "'s")):
                continue  # inside a quotation, or a possessive ("X's chief of staff")
            relative = re.match(r"\s*,\s*who\b", between)  # "... by X, who confirmed": X is the subject
            if not relative and PREPOSITION_BEFORE.search(text[max(clause_start, person.start - 80):person.start]):
                continue  # "in a meeting with X": not the subject
            words = len(between.split())
            if words <= MAX_SUBJECT_WORDS or relative:
                return Speaker(person.canonical, "person before the verb")
            if APPOSITION.match(between):
                return Speaker(person.canonical, "person before the verb, with an apposition")
            if words <= MAX_PP_WORDS and re.match(r"\s*(?:in|at|during|on|after|before|with|while)\b", between):
                return Speaker(person.canonical, "person before the verb and a prepositional phrase")
        after = [p for p in people if p.start >= verb.end and len(text[verb.end:p.start].split()) <= MAX_SUBJECT_WORDS
                 and not re.search(r"\b(?:during|of|with|to|by|for|from|in|at|that)\b", text[verb.end:p.start])]
        if after:
            return Speaker(after[0].canonical, "person after the verb")
        return None

    def pronoun(self, sentence: Sentence, verb: Hit, outside: list[Quote]) -> Speaker | None:
        """"he"/"she": the subject of the nearest sentence (this one before the verb, or one of the two
        before) that names a person outside quotations, else the last person who spoke."""
        position = self.ctx.position(sentence)
        for back, earlier in enumerate(reversed(self.ctx.sentences[max(0, position - 2):position + 1])):
            people = [p for p in earlier.of("PERSON") if p.end <= verb.start and not any(q.start <= p.start < q.end
                                                                                        for q in outside)]
            subjects = [p for p in people if not PREPOSITION_BEFORE.search(
                self.ctx.text[max(earlier.start, p.start - 80):p.start]) and not p.text.endswith(("’s", "'s"))]
            if subjects:
                where = "this sentence" if back == 0 else "the sentence before" if back == 1 else "two sentences back"
                return Speaker(subjects[0].canonical, f"pronoun -> the person named first in {where}")
        if self.last_speaker:
            return Speaker(self.last_speaker, "pronoun -> last person who spoke")
        return None

    def find(self, sentence: Sentence, verb: Hit, outside: list[Quote],
             earlier: Speaker | None = None) -> Speaker | None:
        text = self.ctx.text
        people = [p for p in sentence.of("PERSON") if not any(q.start <= p.start < q.end for q in outside)]
        if verb.lemma.lower() == "according to":
            after = [p for p in people if p.start >= verb.end and p.start - verb.end <= 120]
            if after:
                return Speaker(after[0].canonical, "person after 'according to'")
            org = ORG.match(text, verb.end + 1) or ORG.search(text[verb.end:verb.end + 80])
            return Speaker(" ".join(org.group("org").split()), "organisation after 'according to'", "org") if org else None
        before = text[sentence.start:verb.start]
        publication = self.publication.search(before[-200:])
        if publication:
            return Speaker(publication.group("owner") or publication.group("named"), "the publication of it before "
                           "the verb", "org")
        if earlier is not None and PARTICIPLE.search(before) and verb.phrase.lower().endswith("ing"):
            return Speaker(earlier.name, f"{verb.phrase!r} continues the clause before ({earlier.how})", earlier.kind)
        if PRONOUN.search(before) or PRONOUN_AFTER.match(text[verb.end:verb.end + 10]):
            return self.pronoun(sentence, verb, outside)
        if IT.search(before) and self.last_org:
            return Speaker(self.last_org, "'it' -> last organisation that spoke", "org")
        person = self.subject(sentence, verb, people)
        if person is not None:
            return person
        anonymous = ANONYMOUS.search(before[-160:])
        if anonymous:
            who = " ".join(anonymous.group("who").split())
            head = anonymous.group("head")
            who = who[:-len(head)] + {"person": "source", "people": "sources"}.get(head.lower(), head)
            return Speaker(f"unnamed {who}", f"an unnamed source: {anonymous.group('who')!r}", "org")
        acronym = ACRONYM_ROLE.search(before)
        if acronym and acronym.group("acronym") in self.acronyms:
            return Speaker(self.acronyms[acronym.group("acronym")], f"'the {acronym.group('acronym')}' -> the person "
                                                                    "the text names with that title")
        role = ROLE.search(before[-60:]) or ROLE_AFTER.match(text[verb.end:verb.end + 60])
        if role:
            return self.by_role(role.group("role"), sentence)
        group = GROUP.search(before)
        if group:
            return Speaker(" ".join(group.group("org").split()), "group named before the verb", "org")
        org = self.org_before(sentence, verb)
        if org is not None:
            return org
        orgs = [m for m in ORG.finditer(before) if len(before[m.end():].split()) <= 4]
        if orgs:
            return Speaker(" ".join(orgs[-1].group("org").split()), "organisation before the verb", "org")
        for country in reversed(sentence.of("COUNTRY")):
            if country.end <= verb.start and COUNTRY_SUBJECT.match(text[country.end:verb.start]) \
                    and not re.search(r"\b(?:from|of|in|to|by|with|against)\s+(?:the\s+)?$",
                                      text[sentence.start:country.start]) \
                    and not re.match(r"(?:’s|'s|-)", text[country.end:country.end + 2]):
                subjects = [c for c in sentence.of("COUNTRY") if c.end <= country.start
                            and re.fullmatch(r"\s*(?:and|,)\s*(?:the\s+)?", text[c.end:country.start])]
                first = subjects[0] if subjects else country
                return Speaker(first.canonical, "country as the subject of the verb", "country")
        name = NAME_SUBJECT.search(before)
        if name and name.group("name").split()[0] not in NOT_SUBJECT \
                and any(w.lower().strip("’'") not in self.english for w in name.group("name").split()) \
                and not self.ctx.cues.sources.find(name.group("name")) \
                and not any(e.start < sentence.start + name.end("name") and sentence.start + name.start("name") < e.end
                            for e in sentence.entities if e.type in ("COUNTRY", "DATE", "WEAPON")):
            return Speaker(name.group("name"), "Capitalised name as the subject of the verb", "org")
        return None

    def spoke(self, speaker: Speaker, position: int) -> None:
        self.last, self.last_position = speaker, position
        if speaker.is_person:
            self.last_speaker = speaker.name
        elif speaker.kind == "org":
            self.last_org = speaker.name


def _quote_text(text: str, quote: Quote) -> str:
    return " ".join(text[quote.start + 1:quote.end - (1 if quote.closed else 0)].split())


def _polarity(text: str, sentence: Sentence, verb: Hit) -> str:
    """A statement is asserted: what a speaker denies is what the statement says. Only "did not
    say", "has never confirmed" negate it, and "could say" makes it hypothetical."""
    before = text[max(sentence.start, verb.start - 30):verb.start]
    if NEGATED.search(before):
        return "negated"
    return "hypothetical" if HYPOTHETICAL.search(before) else "asserted"


def _paragraph_after(ctx: DocContext, i: int) -> list[Sentence]:
    """The sentences of the paragraph that follows sentence ``i`` (up to the next blank line)."""
    found: list[Sentence] = []
    for sentence in ctx.sentences[i + 1:]:
        gap = ctx.text[(found[-1].end if found else ctx.sentences[i].end):sentence.start]
        if found and "\n\n" in gap.replace("\r", "") or not found and gap.count("\n") > 3:
            break
        found.append(sentence)
    return found


def _states_in_full(sentence: Sentence, claim: dict[str, object]) -> bool:
    """Does ``sentence`` state ``claim`` (a transfer or combat use, not negated) in full: its
    system named there, and both parties (a transfer) or the actor (a combat use)?"""
    if claim["polarity"] == "negated" or not sentence.of("WEAPON") or \
            not any(s < sentence.end and sentence.start < e for s, e in spans_of(claim)):
        return False
    named = {c.canonical for c in sentence.of("COUNTRY")}
    parties = [claim["supplier"], claim["recipient"]] if claim["claim_type"] == "transfer" else [claim["parties"]]
    return all(p and p in named for p in parties)


def _cites_source(ctx: DocContext, sentence: Sentence, verb: Hit, speaker: Speaker,
                  claims: list[dict[str, object]]) -> bool:
    """Is ``verb`` only the source of a claim of another type the sentence states (see the
    module docstring)?"""
    if verb.lemma.lower() == "according to":
        return any(s <= verb.start < e for c in claims for s, e in spans_of(c)) or \
            bool(sentence.of("WEAPON") and ctx.find("transfer", "trigger", sentence))
    if speaker.is_person or any(sentence.start <= q.start < sentence.end for q in ctx.quotes) or \
            ctx.find_between("polarity", "negation", verb.start, verb.end) or ctx.find("clause", "future", sentence):
        return False  # a quotation, a denial, or what will or may happen: the speaker's own statement
    return any(_states_in_full(sentence, c) for c in claims)


def extract(ctx: DocContext, claims: list[dict[str, object]] | None = None) -> list[dict[str, object]]:
    """Statements of a document; ``claims``: its transfers and combat uses, whose sources a
    sentence may only cite."""
    rows: list[dict[str, object]] = []
    all_quotes = ctx.quotes
    tracker = SpeakerTracker(ctx)
    others = claims or []
    covered: set[int] = set()

    def add(region: list[Sentence], rule: str, speaker: Speaker, basis: str, position: int, verb: Hit | None,
            quote: Quote | None = None, date_at: int = 0) -> None:
        row = new_mention(ctx, "statement", region, rule, anchor=verb.start if verb else date_at, speaker=speaker.name,
                          quote=_quote_text(ctx.text, quote) if quote else "",
                          polarity=_polarity(ctx.text, region[0], verb) if verb and not quote else "asserted",
                          attributed_to=" ".join(attributed_to(ctx, s) for s in region).strip())
        set_date(row, next((d for d in (nearest_date(s, date_at) for s in region) if d), None))
        row["basis"] = f"{basis}; speaker: {speaker.how}"
        rows.append(row)
        covered.update(s.index for s in region)
        tracker.spoke(speaker, position)

    for i, sentence in enumerate(ctx.sentences):
        if sentence.index in covered:
            tracker.note_orgs(sentence)
            continue
        verbs = ctx.find("statement", "speech", sentence)
        verbs = sorted(verbs + [v for v in ctx.find("statement", "publication_verb", sentence)
                                if not any(h.start <= v.start < h.end for h in verbs)
                                and tracker.publication.search(ctx.text[max(sentence.start, v.start - 200):v.start])]
                       + [v for v in ctx.find("statement", "belief", sentence)
                          if not PASSIVE_BELIEF.search(ctx.text[max(sentence.start, v.start - 20):v.start])],
                       key=lambda v: v.start)
        starting = [q for q in all_quotes if sentence.start <= q.start + 1 < sentence.end]
        done: list[Speaker] = []
        attributing: Hit | None = None  # the verb that attributed a quotation of this sentence
        if starting:
            quote = starting[0]
            span = [s for s in ctx.sentences[i:] if s.start < quote.end]
            region_verbs = [v for s in span for v in ctx.find("statement", "speech", s)
                            if not (quote.start <= v.start < quote.end)]
            region = span
            if not region_verbs and i + len(span) < len(ctx.sentences):  # ' “...” \n He said.' style
                nxt = ctx.sentences[i + len(span)]
                if len(nxt.text.split()) <= 12:
                    region_verbs = ctx.find("statement", "speech", nxt)
                    region = span + [nxt]
            speaker = None
            for verb in region_verbs:
                owner = next(s for s in region if s.start <= verb.start < s.end + 1)
                speaker = tracker.find(owner, verb, all_quotes)
                if speaker:
                    attributing = verb
                    break
            behalf = ON_BEHALF.match(ctx.text, quote.start + 1)
            if speaker is None and not region_verbs and behalf:
                speaker = Speaker(behalf.group("org"), "the quotation speaks on behalf of it", "org")
                region = span
            elif speaker is None and not region_verbs and tracker.last is not None and quote.closed \
                    and i - tracker.last_position <= CONTINUED_QUOTE and quote.start - sentence.start <= 2:
                speaker = Speaker(tracker.last.name, "a quotation without a verb of saying continues the last "
                                  f"statement ({tracker.last.name})", tracker.last.kind)
                region = span
            if speaker:
                add(region, "statement.quote", speaker, "quotation", i + len(region) - 1, None, quote, quote.start)
                if len(region) > 1 or attributing is None:
                    continue
                done = [speaker]  # another clause of the sentence may have its own speaker
            elif span[-1] is not sentence:
                continue
        for verb in verbs:
            if any(q.start <= verb.start < q.end for q in all_quotes) or verb is attributing:
                continue
            if attributing is not None and sentence.region(verb.start) == sentence.region(attributing.start):
                continue
            if any(hit.start == verb.start and hit.value == "object" and has_object(ctx, sentence, hit)
                   for hit in ctx.find_between("meeting", "trigger", verb.start, sentence.end)):
                continue  # "called on Defence Minister X": a visit, not words
            speaker = tracker.find(sentence, verb, all_quotes, done[-1] if done else None)
            if speaker is None or any(d.name == speaker.name for d in done):
                continue
            if (speaker.kind == "country" or speaker.how.startswith("Capitalised")) and \
                    ctx.find_between("statement", "belief", verb.start, verb.end):
                continue  # "Poland expects", "Hyundai expects": a plan, not words; "officials expect": words
            if _cites_source(ctx, sentence, verb, speaker, others):
                continue  # the source of a claim the sentence states, not a statement of its own
            if done and attributing is None and sentence.region(verb.start) == sentence.region(verbs[0].start):
                continue  # one statement per clause
            region = [sentence]
            if ctx.text[verb.end:sentence.end].strip() == ":":  # "X said:" introduces the next paragraph
                region += _paragraph_after(ctx, i)
            add(region, "statement.reported", speaker, f"verb {verb.phrase!r}", i + len(region) - 1, verb,
                date_at=verb.start)
            done.append(speaker)
        tracker.note_orgs(sentence)
    return rows
