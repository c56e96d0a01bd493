"""Check gold.jsonl against the article texts and the gold schema.

Usage: python validate_gold.py [gold.jsonl]   (run from any directory)
Checks: every line parses; required fields per kind/type; every evidence and
every surface string is an exact substring of its document; claim ids unique
and of the form <doc>:cN; cluster/nonmerge members exist; manifest rows refer
to existing documents; each document has 120-350 words.
"""
import csv, json, pathlib, re, sys

HERE = pathlib.Path(__file__).resolve().parent
GOLD = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "gold.jsonl"
STATUS = {"negotiating", "offered", "ordered", "delivered", "in_service", "inspected", "repair", "other"}
POLARITY = {"asserted", "negated", "hypothetical"}
CLAIM_FIELDS = {
    "transfer": ["supplier", "recipient", "weapon", "family", "status", "quantity", "value_usd"],
    "meeting": ["people", "place"],
    "statement": ["speaker"],
    "agreement": ["parties", "name"],
    "combat_use": ["weapon", "family", "place", "actor"],
    "exercise": ["parties", "name"],
}
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

docs = {p.stem: p.read_text(encoding="utf-8") for p in HERE.glob("*.txt")}
errors, ids, members = [], set(), []
counts = {}

def err(n, msg):
    errors.append(f"line {n}: {msg}")

for n, raw in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
    if not raw.strip():
        err(n, "blank line"); continue
    try:
        o = json.loads(raw)
    except json.JSONDecodeError as e:
        err(n, f"JSON error {e}"); continue
    kind, doc = o.get("kind"), o.get("doc")
    if kind in ("cluster", "nonmerge"):
        if doc != "*" or not isinstance(o.get("members"), list) or len(o["members"]) < 2 or not o.get("note"):
            err(n, f"bad {kind} line")
        members.extend((n, m) for m in o.get("members", []))
        continue
    if doc not in docs:
        err(n, f"unknown doc {doc!r}"); continue
    text = docs[doc]
    counts.setdefault(doc, {"entity": 0, "claim": 0})
    if kind == "entity":
        counts[doc]["entity"] += 1
        t = o.get("type")
        if t not in ("WEAPON", "PERSON", "DATE"):
            err(n, f"bad entity type {t}")
        if not o.get("canonical") or not o.get("surface"):
            err(n, "entity without canonical/surface")
        for s in o.get("surface", []):
            if s not in text:
                err(n, f"surface {s!r} not in {doc}")
        if t == "WEAPON" and not o.get("family"):
            err(n, "WEAPON without family")
        if t == "DATE":
            if "value" not in o:
                err(n, "DATE without value")
            elif o["value"] is not None and not ISO.match(o["value"]):
                err(n, f"bad DATE value {o['value']}")
    elif kind == "claim":
        counts[doc]["claim"] += 1
        cid = o.get("id", "")
        if not re.fullmatch(re.escape(doc) + r":c\d+", cid):
            err(n, f"bad id {cid!r}")
        if cid in ids:
            err(n, f"duplicate id {cid}")
        ids.add(cid)
        t = o.get("type")
        if t not in CLAIM_FIELDS:
            err(n, f"bad claim type {t}"); continue
        for k in ["date", "evidence", "polarity"] + CLAIM_FIELDS[t]:
            if k not in o:
                err(n, f"{cid}: missing field {k}")
        if o.get("evidence", "") not in text or not o.get("evidence"):
            err(n, f"{cid}: evidence not an exact substring of {doc}: {o.get('evidence')!r}")
        if o.get("date") is not None and not ISO.match(o["date"]):
            err(n, f"{cid}: bad date {o['date']}")
        if o.get("polarity") not in POLARITY:
            err(n, f"{cid}: bad polarity {o.get('polarity')}")
        if t == "transfer":
            if o.get("status") not in STATUS:
                err(n, f"{cid}: bad status {o.get('status')}")
            if o.get("quantity") is not None and not isinstance(o["quantity"], int):
                err(n, f"{cid}: quantity not int")
            if o.get("value_usd") is not None and not isinstance(o["value_usd"], (int, float)):
                err(n, f"{cid}: value_usd not a number")
    else:
        err(n, f"unknown kind {kind!r}")

for n, m in members:
    if m not in ids:
        err(n, f"cluster/nonmerge member {m} is not a claim id")
for doc in docs:
    if doc not in counts:
        errors.append(f"{doc}: no gold lines")
    w = len(docs[doc].split())
    if not 120 <= w <= 350:
        errors.append(f"{doc}: {w} words (want 120-350)")
man = HERE / "manifest.csv"
if man.exists():
    with man.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and list(rows[0].keys()) != ["doc_id", "published", "source", "title"]:
        errors.append("manifest header wrong")
    for r in rows:
        if r["doc_id"] not in docs:
            errors.append(f"manifest: unknown doc {r['doc_id']}")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["published"]):
            errors.append(f"manifest: bad date {r['published']}")

for doc in sorted(counts):
    print(f"{doc:28s} entities={counts[doc]['entity']:3d} claims={counts[doc]['claim']:3d}")
if errors:
    print("\n".join(errors)); sys.exit(1)
print(f"OK: {len(ids)} claims, {len(docs)} documents")
