"""Exercises: joint exercises, drills, training and joint military activities.

The name is an acronym in brackets after the exercise ("Maritime Security Exercise
(MARUMEX)"), else a Capitalised name ending in Exercise/Drill, else a Capitalised word
before "exercise(s)" ("Balikatan exercise"). A name already claimed in the document is not
claimed again, nor is "the drills" once an exercise has been named. A weak cue ("training")
needs trainees (``claim_cues.csv`` exercise/trainee: personnel, soldiers, pilots ...) in
its sentence, or a country right after it ("training for Poland's crews"); a cue followed
by a role ("the exercise spokesman") or by what the training is for ("training packages",
"pilot training outcomes") is not an exercise. A cue inside a quotation counts: a speaker
may state the training ("'Our crews will train in France,' the minister said").
"""

from __future__ import annotations

import re

from .context import DocContext, Hit, Sentence
from .mention import new_mention, set_date
from .slots import attributed_to, nearest_date, polarity

# Words start at a word boundary, are bounded ({0,40}) and possessive (++): a long run of word characters would otherwise be
# rescanned from every capital inside it (quadratic; issue 9 item 10).
ACRONYM = re.compile(r"(?P<long>(?:(?<![\w-])[A-Z][\w-]{0,40}+\s++){0,6}(?:Exercise|Exercises|Drill|Drills))\s*\((?P<short>[A-Z][A-Z0-9-]{2,})\)")
LONG = re.compile(r"(?P<long>(?:(?<![\w-])[A-Z][\w-]{0,40}+\s++){1,6}(?:Exercise|Exercises|Drill|Drills))\b")
BEFORE = re.compile(r"\b(?P<long>[A-Z][\w-]{1,40}+(?:[ -]\d{2,4})?)\s+(?:joint\s+)?(?:exercise|exercises|drills|war games)\b")
DEFINITE = re.compile(r"\b(?:the|this|these|that)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
YEARED = re.compile(r"\b(?P<long>[A-Z][\w]+(?:\s[A-Z][\w]+){0,2}[- ](?:19|20)\d\d)\b")  # "Joint Sea-2022"
TRAINED = re.compile(r"\s{1,3}(?:for|of)\s{1,3}(?:the\s{1,3})?")  # "training for [a country]"; bounded: linear
NOT_NAMES = frozenset({"The", "This", "That", "A", "An", "Joint", "Military", "Naval", "First", "Annual", "Major"})


def _name(text: str, months: frozenset[str]) -> tuple[str, str]:
    for m in YEARED.finditer(text):
        words = m.group("long").replace("-", " ").split()
        if words[0] not in NOT_NAMES and words[-2].lower() not in months:
            return m.group("long"), ""
    m = ACRONYM.search(text)
    if m:
        words = m.group("long").split()
        while words and words[0] in NOT_NAMES:
            words.pop(0)
        return m.group("short"), " ".join(words)
    m = LONG.search(text)
    if m:
        words = m.group("long").split()
        while words and words[0] in NOT_NAMES:
            words.pop(0)
        if len(words) > 1:
            return " ".join(words), ""
    m = BEFORE.search(text)
    if m and m.group("long").split()[0] not in NOT_NAMES:
        return m.group("long"), ""
    return "", ""


def _country_trained(ctx: DocContext, sentence: Sentence, trigger: Hit) -> bool:
    """A weak cue whose trainee is a country: "training for Poland's crews", "training of
    Egyptian forces"."""
    m = TRAINED.match(ctx.text, trigger.end)
    return m is not None and any(c.start == m.end() for c in sentence.of("COUNTRY"))


def extract(ctx: DocContext, parties: list[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    named: set[str] = set()
    for sentence in ctx.sentences:
        triggers = [t for t in ctx.find("exercise", "trigger", sentence)
                    if not ctx.cues.is_form("exercise", "blocker", (ctx.text[t.end:t.end + 20].split() or [""])[0].strip(".,;:"))
                    and (t.value != "weak" or ctx.find("exercise", "trainee", sentence) or _country_trained(ctx, sentence, t))]
        if not triggers:
            continue  # before the name regexes, which cost more than the cue look-up
        name, long_name = _name(sentence.text, ctx.cues.months)
        if not name and named:  # "the drills", "the exercise": the one already named
            triggers = [t for t in triggers if not DEFINITE.search(ctx.text[max(sentence.start, t.start - 12):t.start])]
        if not triggers:
            continue
        if (name and name.casefold() in named) or (not name and any(n in sentence.text.casefold() for n in named)):
            continue
        named.update(n.casefold() for n in (name, long_name) if n)
        countries = list(dict.fromkeys(c.canonical for c in sentence.of("COUNTRY")))
        trigger = triggers[0]
        row = new_mention(ctx, "exercise", [sentence], "exercise.trigger", name=name,
                          parties=countries if len(countries) >= 2 else parties,
                          polarity=polarity(ctx, sentence, trigger.start), attributed_to=attributed_to(ctx, sentence))
        set_date(row, nearest_date(sentence, trigger.start))
        row["basis"] = f"cue {trigger.phrase!r}; parties " + ("named in the sentence" if len(countries) >= 2
                                                              else "from the document")
        rows.append(row)
    return rows
