"""Statements: attributed quotes and reported assertions, with their speaker.

* A direct quotation of five words or more is one claim, however many sentences it spans;
  its speaker is found around it (``Fomin told Tass``, ``said the spokesman``, ``he added``).
* A sentence outside quotations with a verb of saying ("said", "noted", "according to",
  "promises") and a speaker is a reported statement.

The speaker is, in order: a person named next to the verb; "he"/"she" -> the last speaker
(or the last person named); a role noun ("the spokesman", "the deputy minister") -> the last
person named whose gazetteer titles hold that role, else the last person named; an
organisation named before the verb ("the Russian Foreign Ministry", "Russian Helicopters",
"the company" -> the last organisation); a country that is the subject of the verb
("Russia promises ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import DocContext, Ent, Hit, Sentence
from .mention import new_mention, set_date
from .context import Quote
from .slots import attributed_to, nearest_date, polarity

PRONOUN = re.compile(r"\b(?:he|she)\s+(?:also\s+)?$", re.IGNORECASE)
PRONOUN_AFTER = re.compile(r"^\s+(?:he|she)\b", re.IGNORECASE)
# Words are bounded ({1,40}) and possessive (++), so that no pattern rescans a long run of word
# characters from every position inside it (quadratic; issue 9 item 10).
ROLE = re.compile(r"\b(?:the\s+)?(?:[\w’'-]{1,40}+\s++){0,3}?(?P<role>spokes(?:man|woman|person)|minister|general|director|"
                  r"official|officer|analyst|ambassador|commander|chief|president|secretary|envoy|head)\s*(?:also\s+)?$",
                  re.IGNORECASE)
ROLE_AFTER = re.compile(r"^\s+(?:the\s+)?(?:[\w’'-]{1,40}+\s++){0,3}?(?P<role>spokes(?:man|woman|person)|minister|general|"
                        r"director|official|analyst|ambassador|commander|chief|president|secretary|envoy)\b", re.IGNORECASE)
ORG = re.compile(r"(?:[Tt]he\s+)?(?P<org>(?:[A-Z][\w’'-]{1,40}+\s++){0,4}(?:Ministry|Department|Office|Agency|Service|"
                 r"Corporation|Company|Council|Commission|Holding|Helicopters|Group|Institute|Embassy|Government|"
                 r"White House|Kremlin|Pentagon|Armed Forces|Rostec|Rosoboronexport)"
                 r"(?:\s+of(?:\s+the)?(?:\s+[A-Z][\w’'-]{1,40}+){1,4})?)")
# "Russian officials", "Indian defence officials", "Ukraine's armed forces", "Officials in Manila"
GROUP = re.compile(r"(?P<org>(?:[A-Z][\w’'-]{1,40}+\s++){1,2}(?:[a-z]{1,40}+\s++){0,2}(?:officials|official|authorities|diplomats|"
                   r"sources|armed forces|military|government)|[Oo]fficials\s+in\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)"
                   r"(?:\s+(?:on|in)\s+\w+)?\s+(?:have\s+|has\s+|had\s+|also\s+|never\s+|again\s+)*$")
ORG_ANAPHOR = re.compile(r"\b[Tt]he\s+(?:company|ministry|corporation|agency|holding|firm|manufacturer)\s+(?:also\s+)?$")
APPOSITION = re.compile(r"^,[^,;.]{3,140},\s*(?:also\s+)?$")
COUNTRY_SUBJECT = re.compile(r"^\s*(?:has\s+|have\s+|also\s+|again\s+)*$")


@dataclass
class Speaker:
    name: str
    how: str

    @property
    def is_person(self) -> bool:
        return "person" in self.how


class SpeakerTracker:
    """Remembers who spoke and which people and organisations were named, in text order."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.last_speaker: str = ""  # the last person who spoke (for "he said")
        self.last_org: str = ""

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
            if any(word.search(t) for t in titles) or word.search(person.subtype.lower()):
                return Speaker(person.canonical, f"{role!r} -> last person with that title")
        return None

    def find(self, sentence: Sentence, verb: Hit, outside: list[Quote]) -> Speaker | None:
        text = self.ctx.text
        people = [p for p in sentence.of("PERSON") if not any(q.start <= p.start < q.end for q in outside)]
        if verb.phrase.lower() == "according to":
            after = [p for p in people if p.start >= verb.end and p.start - verb.end <= 120]
            if after:
                return Speaker(after[0].canonical, "person after 'according to'")
            org = ORG.match(text, verb.end + 1) or ORG.search(text[verb.end:verb.end + 80])
            return Speaker(" ".join(org.group("org").split()), "organisation after 'according to'") if org else None
        before = text[sentence.start:verb.start]
        if PRONOUN.search(before) or PRONOUN_AFTER.match(text[verb.end:verb.end + 10]):
            if self.last_speaker:
                return Speaker(self.last_speaker, "pronoun -> last person who spoke")
            named = self.people_before(verb.start)
            return Speaker(named[-1].canonical, "pronoun -> last person named") if named else None
        near_before = [p for p in people if p.end <= verb.start and len(text[p.end:verb.start].split()) <= 6
                       and '"' not in text[p.end:verb.start] and "”" not in text[p.end:verb.start]]
        if near_before:
            return Speaker(near_before[-1].canonical, "person before the verb")
        for person in people:  # "Dmitry Shugayev, head of Russia's Federal Service ..., indicated"
            if person.end <= verb.start and APPOSITION.match(text[person.end:verb.start]):
                return Speaker(person.canonical, "person before the verb, with an apposition")
        after = [p for p in people if p.start >= verb.end and len(text[verb.end:p.start].split()) <= 8]
        if after:
            return Speaker(after[0].canonical, "person after the verb")
        role = ROLE.search(before[-60:]) or ROLE_AFTER.match(text[verb.end:verb.end + 60])
        if role:
            return self.by_role(role.group("role"), sentence)
        if ORG_ANAPHOR.search(before) and self.last_org:
            return Speaker(self.last_org, "'the company' -> last organisation")
        group = GROUP.search(before)
        if group:
            return Speaker(" ".join(group.group("org").split()), "group named before the verb")
        orgs = [m for m in ORG.finditer(before) if len(before[m.end():].split()) <= 4]
        if orgs:
            name = " ".join(orgs[-1].group("org").split())
            self.last_org = name
            return Speaker(name, "organisation before the verb")
        for country in reversed(sentence.of("COUNTRY")):
            if country.end <= verb.start and COUNTRY_SUBJECT.match(text[country.end:verb.start]) \
                    and not re.search(r"\b(?:from|of|in|to|by)\s+(?:the\s+)?$", text[sentence.start:country.start]):
                return Speaker(country.canonical, "country as the subject of the verb")
        return None

    def spoke(self, speaker: Speaker) -> None:
        if speaker.is_person:
            self.last_speaker = speaker.name

    def note_orgs(self, sentence: Sentence) -> None:
        found = list(ORG.finditer(sentence.text))
        if found:
            self.last_org = " ".join(found[0].group("org").split())  # the subject, not an apposition


def _quote_text(text: str, quote: Quote) -> str:
    return " ".join(text[quote.start + 1:quote.end - 1].split())


def extract(ctx: DocContext) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    all_quotes = ctx.quotes
    tracker = SpeakerTracker(ctx)
    covered: set[int] = set()
    for i, sentence in enumerate(ctx.sentences):
        if sentence.index in covered:
            tracker.note_orgs(sentence)
            continue
        verbs = ctx.find("statement", "speech", sentence)
        starting = [q for q in all_quotes if sentence.start <= q.start + 1 < sentence.end]
        if starting:
            quote = starting[0]
            span = [s for s in ctx.sentences[i:] if s.start < quote.end]
            last = span[-1]
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
                    break
            if speaker:
                covered.update(s.index for s in region)
                row = new_mention(ctx, "statement", region, "statement.quote", speaker=speaker.name,
                                  quote=_quote_text(ctx.text, quote), polarity="asserted",
                                  attributed_to=" ".join(attributed_to(ctx, s) for s in region).strip())
                set_date(row, next((nearest_date(s, quote.start) for s in region if nearest_date(s, quote.start)), None))
                row["basis"] = f"quotation; speaker: {speaker.how}"
                rows.append(row)
                tracker.spoke(speaker)
                continue
            if last is not sentence:
                continue
        for verb in verbs:
            if any(q.start <= verb.start < q.end for q in all_quotes):
                continue
            speaker = tracker.find(sentence, verb, all_quotes)
            if speaker is None:
                continue
            row = new_mention(ctx, "statement", [sentence], "statement.reported", speaker=speaker.name,
                              polarity=polarity(ctx, sentence, verb.start) if verb.phrase != "denied" else "asserted",
                              attributed_to=attributed_to(ctx, sentence))
            set_date(row, nearest_date(sentence, verb.start))
            row["basis"] = f"verb {verb.phrase!r}; speaker: {speaker.how}"
            rows.append(row)
            tracker.spoke(speaker)
            break
        tracker.note_orgs(sentence)
    return rows
