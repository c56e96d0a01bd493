"""Every regular expression of the pipeline runs in linear time on adversarial text (issue 9 item 10).

A pattern such as ``(?:[A-Z][\\w-]*\\s+){0,6}Exercise`` backtracks over a long run of word
characters from every capital inside it: quadratic, so one 64 KB run of hex digits held a run
for minutes. Each pattern is run over texts built to provoke that; a linear pattern takes
milliseconds on them, a quadratic one seconds.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import re
import time

import pytest

import extract

SIZE = 20_000
LIMIT_SECONDS = 0.25


def _adversarial(size: int) -> dict[str, str]:
    rng = random.Random(9)
    return {
        "hex digits": "".join(rng.choice("0123456789ABCDEF") for _ in range(size)),
        "one long capitalised word": "Alpha" * (size // 5),
        "hyphenated run": "A-" * (size // 2),
        "whitespace run": "A" + " " * size + "x",
        "newline run": "A\n" * (size // 2),
        "capitalised words": "Alpha " * (size // 6) + "x",
        "lower-case words": "alpha " * (size // 6) + "x",
        "initials": "A." * (size // 2),
        "digits": "1" * size,
        "apostrophes": "'" * size,
        "quotes": "“A ” " * (size // 5),
        "by": "by " * (size // 3) + "x y z",
        "the": "the " * (size // 4),
        "commas": "Alpha, " * (size // 7),
    }


def _walk(obj: object, seen: set[int], found: dict[str, re.Pattern[str]], depth: int = 0) -> None:
    if id(obj) in seen or depth > 6:
        return
    seen.add(id(obj))
    if isinstance(obj, re.Pattern):
        if isinstance(obj.pattern, str):
            found.setdefault(obj.pattern, obj)
        return
    if isinstance(obj, dict):
        children = list(obj.values())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        children = list(obj)[:2000]
    elif hasattr(obj, "__dict__") and type(obj).__module__.startswith("extract"):
        children = list(vars(obj).values())
    else:
        return
    for child in children:
        _walk(child, seen, found, depth + 1)


def _patterns(small_nlp, annotator) -> dict[str, re.Pattern[str]]:
    """Module-level patterns of every extract module, and those the components build at run time."""
    found: dict[str, re.Pattern[str]] = {}
    seen: set[int] = set()
    for info in pkgutil.walk_packages(extract.__path__, "extract."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            _walk(value, seen, found)
    _walk(annotator, seen, found)
    for _name, component in small_nlp.pipeline:
        _walk(component, seen, found)
    return found


def test_every_pattern_is_linear_on_adversarial_text(small_nlp, annotator, small_gaz):
    patterns = _patterns(small_nlp, annotator)
    assert len(patterns) > 50  # the walk reaches the claim rules' and the matchers' patterns
    line_patterns = {p.pattern for p, *_ in small_gaz.lexicon.boilerplate}  # used with fullmatch on one line
    slow = []
    for size, limit in ((500, 0.05), (SIZE, LIMIT_SECONDS)):  # a cubic pattern would hang the suite at SIZE
        for text_name, text in _adversarial(size).items():
            for key, pattern in list(patterns.items()):
                seconds = _cpu_seconds(pattern, text, fullmatch=pattern.pattern in line_patterns)
                if seconds > limit:
                    slow.append(f"{seconds:.2f}s on {len(text)} characters of {text_name}: {pattern.pattern[:120]}")
                    del patterns[key]
    assert not slow, "\n".join(slow)


def _cpu_seconds(pattern: re.Pattern[str], text: str, fullmatch: bool) -> float:
    started = time.process_time()
    if fullmatch:
        pattern.fullmatch(text)
    else:
        for _ in pattern.finditer(text):
            pass
        pattern.search(text + "!")
    return time.process_time() - started


def test_many_short_lines_split_sentences_in_linear_time(small_nlp):
    """line_breaks set Token.is_sent_start one token at a time, and spaCy rescans the Doc on each set."""
    from extract.entities.pipeline import make_doc

    text = "A\n" * 20_000
    started = time.process_time()
    doc = small_nlp(make_doc(small_nlp, text))
    assert time.process_time() - started < 8
    assert sum(1 for _ in doc.sents) == 20_000


def test_longest_first_is_not_quadratic_in_spans():
    from extract.entities.matchers.base import longest_first

    class Span:
        def __init__(self, start: int, end: int) -> None:
            self.start_char, self.end_char = start, end

    spans = [Span(i * 3, i * 3 + 2) for i in range(40_000)] + [Span(1, 5)]
    started = time.process_time()
    kept = longest_first(spans)
    assert time.process_time() - started < 3
    assert kept[0].start_char == 1 and len(kept) == 40_000 - 1  # the longer span displaced two short ones
