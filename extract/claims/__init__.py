"""Claim rules: one module per frame, each turning a document's sentences and entities into
mention rows (one claim as one document states it). ``Extractor`` runs them all."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping

from ..knowledge.gazetteer import Gazetteers
from . import agreement, combat, exercise, meeting, restate, statement, transfer
from .context import Cues, DocContext
from .mention import ANCHOR, ITEM, KEY_SLOTS, mention_id, uncertainty

FRAME_ORDER = {t: i for i, t in enumerate(("transfer", "meeting", "statement", "agreement", "combat_use", "exercise"))}


class Extractor:
    """Built once per process (it compiles the cue lexicon); ``extract`` runs per document."""

    def __init__(self, gaz: Gazetteers) -> None:
        self.cues = Cues(gaz)
        lex = gaz.lexicon
        self.place_stop = frozenset(("The", "This", "That", "These", "A", "An")) | frozenset(
            w.capitalize() for kind in ("month", "weekday") for w in lex.time_words.get(kind, {}))

    def extract(self, doc_id: str, text: str, source: str, sentence_starts: list[int],
                entity_rows: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
        """Mentions of one document: ``text`` has boilerplate blanked, ``source`` is the file text."""
        ctx = DocContext.build(doc_id, text, source, sentence_starts, entity_rows, self.cues)
        transfers = transfer.extract(ctx)
        pair = _document_pair(ctx, transfers)
        combats = combat.extract(ctx, self.place_stop, pair[1] if len(pair) > 1 else "")
        others = meeting.extract(ctx, self.place_stop) + statement.extract(ctx, transfers + combats) + \
            agreement.extract(ctx, pair, transfers) + combats + exercise.extract(ctx, pair)
        return _finish(transfers + restate.merge(others))


def _document_pair(ctx: DocContext, transfers: list[dict[str, object]]) -> list[str]:
    """The document's supplier and recipient: from its transfers, else its two most named countries."""
    suppliers = Counter(str(r["supplier"]) for r in transfers if r["supplier"])
    recipients = Counter(str(r["recipient"]) for r in transfers if r["recipient"])
    if suppliers and recipients:
        pair = [suppliers.most_common(1)[0][0], recipients.most_common(1)[0][0]]
        if pair[0] != pair[1]:
            return pair
    return [c for c, _ in ctx.countries.most_common(2)]


def _finish(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Drop repeats (a paragraph printed twice), give stable ids, sort."""
    seen: set[tuple[object, ...]] = set()
    kept = []
    for row in rows:
        key = (row["claim_type"], " ".join(str(row["evidence"]).split()), row.get(ITEM, "")) + tuple(row[k] for k in KEY_SLOTS)
        if key in seen:
            continue
        seen.add(key)
        row["mention_id"] = mention_id(row)
        row["uncertain"] = uncertainty(row)
        kept.append(row)
    kept.sort(key=lambda r: (r["start_char"], FRAME_ORDER[str(r["claim_type"])], r["end_char"], r.get(ANCHOR, 0),
                             r["mention_id"]))
    return kept
