"""Issue 11's flat memory: what a run holds per mention lives on disk until it is needed
(``MentionTable``, the report's staging), and comes back the same."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from extract.bench import synthetic_mentions
from extract.outputs.report import Report, _script
from extract.reconcile import cluster


def test_mention_table_keeps_rows_on_disk_and_shares_short_values(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(cluster.MentionTable, "BUFFER", 4096)  # many writes, and reads across them
    rows = list(synthetic_mentions(3000, seed=5, hot=50))
    tracemalloc.start()
    table = cluster.MentionTable(iter(rows[:1000]), tmp_path)
    table.extend(iter(rows[1000:]))
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert held < 16 * len(rows) + 3 * 4096  # the offsets and one buffer, not the rows
    assert list(tmp_path.iterdir()) == []  # an anonymous file: nothing to clean up
    assert list(table) == rows and table[-1] == rows[-1] and table[1234] == rows[1234]
    with pytest.raises(IndexError):
        table[3000]
    table.extend(rows[:1])  # written after reading
    assert len(table) == 3001 and table[3000] == rows[0]
    assert table[0]["claim_type"] is table[2]["claim_type"]  # one string object for a repeated value


def _data(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8").partition(",")[2].removesuffix(");\n"))


def test_report_reads_its_staged_mentions_back(tmp_path: Path) -> None:
    report = Report(tmp_path / "report")
    entities = [{"start_char": 6, "end_char": 11, "entity_type": "COUNTRY", "canonical": "Chile", "family": "",
                 "entity_id": "e1"}]
    mentions = [{"mention_id": f"m{i}", "doc_id": "d1", "claim_type": "transfer", "recipient": "Chile",
                 "evidence": "Then Chile bought </script> jets.", "start_char": 1, "end_char": 40, "rule_id": "r",
                 "basis": "", "attributed_to": "", "other_spans": ""} for i in range(3)]
    report.add_document({"doc_id": "d1", "status": "ok", "title": "T"}, "x" * 40, entities, mentions)
    report.add_document({"doc_id": "d2", "status": "ok"}, "Nothing.", [], [])
    claims = [{"claim_id": "c1", "claim_type": "transfer", "mention_ids": "m0;m2;gone"},
              {"claim_id": "c2", "claim_type": "transfer", "mention_ids": "m1"}]
    report.finish(claims, [{"claim_id": "c1"}])
    data = tmp_path / "report" / "data"
    assert not (tmp_path / "report" / Report.STAGING).exists()
    assert _data(data / "links-0.js") == {"m0": "c1", "m1": "c2", "m2": "c1"} and _data(data / "links-1.js") == {}
    sources = _data(data / "claims-0.js")[0]["sources"]  # type: ignore[index]
    assert [s["mention"] for s in sources] == ["m0", "m2"]  # an unknown mention is left out
    assert sources[0]["marks"] == [[5, 10, "recipient"]] and sources[0]["evidence"].endswith("</script> jets.")
    assert [e["id"] for e in _data(data / "claims-index.js")] == ["c1", "c2"]  # type: ignore[union-attr]
    for name, key in (("claims-0.js", "claims-0"), ("claims-index.js", "claims-index"), ("docs.js", "docs"),
                      ("register.js", "register")):  # written item by item, the same bytes as at once
        text = (data / name).read_text(encoding="utf-8")
        assert text == _script(key, _data(data / name)) and "</script>" not in text
