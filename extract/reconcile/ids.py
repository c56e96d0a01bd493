"""Claim ids that stay put: an id never changes when unrelated or supporting documents are added.

1. **Carried over.** A claim holding mentions of a claim of the previous run keeps that
   claim's id (mention ids are stable: a hash of document, claim type, key slots and span).
   When several claims share the mentions of one old claim (a split), the one holding the
   most of them keeps the id; when one claim holds the mentions of several old claims (a
   merge), it keeps the id of the one it shares the most mentions with. Ties go to the
   smaller id, so the result does not depend on input order.
2. **New.** Any other claim gets ``c-`` + a hash of its identity (type and key slots) and its
   smallest mention id: its own content, so adding a claim with the same identity elsewhere
   never changes it.

Decisions do not rely on ids alone: the review log keeps the mention ids each decision was
made on and re-attaches by them (``reviews.py``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Callable, Mapping, MutableMapping, Sequence

Claim = MutableMapping[str, object]


def mention_ids(claim: Mapping[str, object]) -> list[str]:
    return [m for m in str(claim["mention_ids"]).split(";") if m]


def new_id(identity: str, first_mention: str, attempt: int = 0) -> str:
    key = f"{identity}|{first_mention}" + (f"|{attempt}" if attempt else "")
    return "c-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def assign(claims: Sequence[Claim], identity: Callable[[Mapping[str, object]], str],
           previous: Mapping[str, Sequence[str]] | None = None) -> None:
    """Set ``claim_id`` on every claim; ``previous`` maps the last run's claim ids to their mention ids."""
    owner = {m: old for old, mentions in (previous or {}).items() for m in mentions}
    held = [mention_ids(claim) for claim in claims]
    first = [min(mentions, default="") for mentions in held]
    order = sorted(range(len(claims)), key=first.__getitem__)
    candidates = []  # (-shared mentions, old id, the claim's first mention, claim index): best first
    for i in order if owner else ():
        shared = Counter(owner[m] for m in held[i] if m in owner)
        candidates += [(-n, old, first[i], i) for old, n in shared.items()]
    taken: set[str] = set()
    done: set[int] = set()
    for _, old, _, i in sorted(candidates):
        if old not in taken and i not in done:
            claims[i]["claim_id"] = old
            taken.add(old)
            done.add(i)
    for i in order:
        if i in done:
            continue
        key = identity(claims[i])
        attempt = 0
        while (claim_id := new_id(key, first[i], attempt)) in taken:
            attempt += 1
        claims[i]["claim_id"] = claim_id
        taken.add(claim_id)
