"""Properties of the review round-trip (hypothesis), without the NLP pipeline:

* a decision typed into either file and re-saved by any spreadsheet (separator, encoding,
  retyped header) comes back exactly, and a re-save alone is never a new decision;
* claim ids stay put and every decision stays on its content when documents are added,
  removed or reordered.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spreadsheet
from extract.engine.runner import RunSummary, _write_reviewed
from extract.outputs.writers import OutputSet
from extract.reconcile import reviews
from extract.reconcile.cluster import Reconciler
from extract.reconcile.ids import mention_ids
from extract.schema import CLAIM_COLUMNS, MENTION_COLUMNS

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def commit(out: Path, claims: list[dict[str, object]], previous: dict[str, list[str]]) -> RunSummary:
    """What a run does with the review files at its end."""
    summary = RunSummary()
    with OutputSet(out) as outputs:
        _write_reviewed(outputs, claims, previous, summary)
        outputs.csv("claims.csv", CLAIM_COLUMNS).write_all(claims)
    return summary


def synthetic_claims(n: int) -> list[dict[str, object]]:
    claims = []
    for i in range(n):
        claim: dict[str, object] = {c: "" for c in CLAIM_COLUMNS}
        claim.update(claim_id=f"c-{i:012x}", claim_type="transfer", mention_ids=f"m-{i:04d}", n_sources=1)
        claims.append(claim)
    return claims


notes = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00") | st.sampled_from(
    list("=+-@'\t\n;,\"")), max_size=30)
typed_status = st.sampled_from(["accepted", "rejected", "needs_check", "Accepted", " REJECTED ", "Needs check",
                                "needs-check"])


@PROPERTY
@given(decided=st.lists(st.tuples(typed_status, notes), min_size=1, max_size=6),
       how=st.sampled_from(sorted(spreadsheet.SAVES)), into=st.sampled_from(["reviews.csv", "claims.csv"]),
       resave_as=st.sampled_from(sorted(spreadsheet.SAVES)))
def test_decisions_round_trip_through_every_spreadsheet_save(decided, how, into, resave_as):
    decided = [(s, n) for s, n in decided if spreadsheet.encodable(n, how) and spreadsheet.encodable(n, resave_as)]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        claims = synthetic_claims(len(decided) + 2)
        previous = {str(c["claim_id"]): mention_ids(c) for c in claims}
        commit(out, claims, previous)
        wanted = {str(c["claim_id"]): (reviews.normal_status(s), n) for c, (s, n) in zip(claims, decided)}
        spreadsheet.decide(out, into, {k: (s, n) for k, (s, n) in zip(wanted, decided)})
        spreadsheet.resave(out / into, how)
        commit(out, claims, previous)
        assert spreadsheet.shown(out) == wanted
        log_before = (out / reviews.LOG).read_bytes()
        for name in ("reviews.csv", "claims.csv"):
            spreadsheet.resave(out / name, resave_as)
        commit(out, claims, previous)
        assert spreadsheet.shown(out) == wanted
        assert (out / reviews.LOG).read_bytes() == log_before  # a re-save is not a decision


# ---------------------------------------------------------------- claim ids and content

SPEAKERS = ("Sergei Shoigu", "Lloyd Austin", "Rajnath Singh")
QUOTES = ("we will deliver the systems on time", "no contract has been signed with anyone",
          "the fighters arrive next spring as agreed", "our cooperation grows every single year",
          "talks on submarines continue in good faith", "the navy needs more patrol boats soon")
DEALS = (("Russia", "Myanmar", "Su-30"), ("France", "India", "Rafale"), ("United States", "Poland", "F-16"),
         ("South Korea", "Poland", "K2 Black Panther"))


def mention_row(doc: str, k: int, kind: int) -> dict[str, object]:
    row: dict[str, object] = {c: "" for c in MENTION_COLUMNS}
    row.update(mention_id=f"m-{doc}-{k}", doc_id=doc, polarity="asserted", start_char=0, end_char=10)
    if kind < len(SPEAKERS) * len(QUOTES):
        speaker, quote = SPEAKERS[kind % len(SPEAKERS)], QUOTES[kind // len(SPEAKERS)]
        row.update(claim_type="statement", speaker=speaker, quote=quote, evidence=f'{speaker} said "{quote}".',
                   date_value="2024-05", date_start="2024-05-01", date_end="2024-05-31")
    else:
        supplier, recipient, weapon = DEALS[kind % len(DEALS)]
        row.update(claim_type="transfer", supplier=supplier, recipient=recipient, weapon=weapon, family=weapon,
                   status="ordered", evidence=f"{recipient} ordered {weapon} from {supplier}.")
    return row


def corpus(docs: dict[str, list[int]]) -> list[dict[str, object]]:
    return [mention_row(doc, k, kind) for doc, kinds in docs.items() for k, kind in enumerate(kinds)]


kinds = st.integers(0, len(SPEAKERS) * len(QUOTES) + len(DEALS) - 1)
documents = st.dictionaries(st.from_regex(r"d[0-9]{2}", fullmatch=True), st.lists(kinds, min_size=1, max_size=3),
                            min_size=1, max_size=6)


@PROPERTY
@given(base=documents, added=documents, removed=st.sets(st.from_regex(r"d[0-9]{2}", fullmatch=True), max_size=3),
       seed=st.integers(0, 1000))
def test_every_decision_stays_on_its_content_when_documents_change(base, added, removed, seed):
    reconciler = Reconciler()
    before = reconciler.reconcile(corpus(base))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        commit(out, before, {})
        previous = reviews.check(out)
        # a decision on every claim; its note names the mentions it was made on
        spreadsheet.decide(out, "reviews.csv", {str(c["claim_id"]): ("accepted", str(c["mention_ids"]))
                                                for c in before})
        commit(out, before, previous)
        docs = {d: k for d, k in {**added, **base}.items() if d not in removed}
        mentions = corpus(docs)
        random.Random(seed).shuffle(mentions)
        previous = reviews.check(out)
        after = reconciler.reconcile(mentions, previous)
        summary = commit(out, after, previous)
    owner = {m: str(c["claim_id"]) for c in before for m in mention_ids(c)}
    for claim in after:
        if claim["review_status"]:  # on its content: it holds a mention the decision was made on
            assert set(str(claim["review_note"]).split(";")) & set(mention_ids(claim))
        olds = {owner[m] for m in mention_ids(claim) if m in owner}
        if len(olds) == 1:  # grew by supporting mentions or lost some: the same claim, the same id
            (old,) = olds
            whole = set(next(mention_ids(c) for c in before if c["claim_id"] == old))
            if whole <= set(mention_ids(claim)):
                assert claim["claim_id"] == old
    for old in before:  # every decision is shown on its content, or reported
        old_id, note = str(old["claim_id"]), str(old["mention_ids"])
        shown_on = [c for c in after if c["review_note"] == note]
        assert shown_on or old_id in summary.orphaned_reviews, old_id
