"""The output contract: every column of every output file, defined once.

The README documents these columns; ``tests/test_schema.py`` pins them. Writers take
their headers from here and nowhere else.
"""

from __future__ import annotations

from typing import Final

DOCUMENT_COLUMNS: Final = (
    "doc_id",          # file name without .txt
    "path",            # path of the file as given on the command line
    "title",           # manifest title, else the first non-boilerplate line
    "source",          # the outlet, from the manifest ("Reuters", "Korea JoongAng Daily")
    "url",             # the article's address, from the manifest
    "published",       # ISO date (YYYY-MM-DD) or empty
    "published_from",  # manifest | text | inferred | none
    "encoding",        # encoding the file was decoded with
    "n_chars",         # characters of the decoded text (offsets refer to this text)
    "n_sentences",
    "boilerplate",     # stripped character ranges, "start-end;start-end"
    "status",          # ok | skipped
    "reason",          # why skipped, or a note on decoding
)

ENTITY_COLUMNS: Final = (
    "doc_id",
    "entity_type",     # WEAPON | PERSON | COUNTRY | DATE
    "entity_id",       # gazetteer id; empty for rule-found entities and dates
    "canonical",       # gazetteer canonical name, rule-found name, or the date text
    "family",          # WEAPON: family canonical
    "subtype",         # WEAPON: category; PERSON: role; COUNTRY: name|demonym|capital|forces; DATE: kind
    "text",            # exact source text == file text[start_char:end_char]
    "start_char",
    "end_char",
    "sentence_index",
    "matcher",         # exact | fuzzy | rule
    "basis",           # how the match was made: alias, fuzzy score, title rule, context ...
    "value",           # DATE: ISO partial (YYYY, YYYY-MM, YYYY-MM-DD) or empty
    "timex",           # DATE: TIMEX3-style value: the ISO partial, or 2024-W13, 2022-Q1, 2023-H1, 2021-SU, FY2025, 199X
    "date_start",      # DATE: first day of the range the value covers
    "date_end",        # DATE: last day of that range
    "granularity",     # DATE: year | half | quarter | season | month | week | day | decade
    "date_basis",      # DATE: explicit | published | text_anchor | inferred | unresolved
)

MENTION_COLUMNS: Final = (
    "mention_id",      # stable: hash of doc_id, claim type, key slots and span
    "doc_id",
    "claim_type",      # transfer | meeting | statement | agreement | combat_use | exercise
    "supplier",        # transfer: country
    "recipient",       # transfer: country
    "weapon_id",       # transfer, combat_use: gazetteer id; empty for a generic category
    "weapon",          # canonical designation, or the generic category the text gives
    "family",
    "status",          # transfer: negotiating | offered | ordered | delivered | in_service | inspected | repair | other
    "quantity",        # transfer: number of units
    "value_usd",       # transfer: value in US dollars (only amounts stated in dollars)
    "people",          # meeting: people (canonical names, ';'-separated)
    "speaker",         # statement: person or organisation
    "quote",           # statement: the quoted words, when the text quotes them
    "place",           # meeting, combat_use: where
    "parties",         # agreement, exercise: countries (';'-separated); combat_use: the actor
    "name",            # agreement, exercise: its name when the text gives one
    "polarity",        # asserted | negated | hypothetical
    "attributed_to",   # the outlet or source the article relays ("TASS", "The Irrawaddy")
    "date_text",       # the date expression the claim's date comes from
    "date_value",
    "date_start",
    "date_end",
    "date_basis",      # how the date was obtained: explicit | text_anchor | published | inferred | unresolved
    "uncertain",       # SIPRI-style '?' flags: "slot: inferred|context|disputed", ';'-separated
    "evidence",        # the sentence(s) stating the claim == file text[start_char:end_char]
    "start_char",
    "end_char",
    "other_spans",     # the other sentences of the document restating the claim: "start-end;start-end"
    "rule_id",         # which rule made the row
    "basis",           # where each slot came from (sentence, document context, gazetteer)
    "source",          # the document's outlet, url and title (documents.csv)
    "url",
    "title",
    "date_weak",       # "yes": the date is inferred or borrowed from the previous sentence (merging compares its month)
)

CLAIM_SLOTS: Final = MENTION_COLUMNS[MENTION_COLUMNS.index("supplier"):MENTION_COLUMNS.index("evidence")]

CLAIM_COLUMNS: Final = (
    "claim_id",        # stable: derived from the claim's content (type and key slots)
    "claim_type",
    *CLAIM_SLOTS,      # the same slot columns as mentions.csv, each holding the merged value
    "supplier_iso3",   # ISO 3166 alpha-3 codes of the country columns (pycountry); empty where ISO has none
    "recipient_iso3",
    "parties_iso3",    # ';'-separated, in the order of parties
    "n_sources",       # distinct documents stating the claim
    "n_independent",   # distinct origins: one relayed outlet, one quote or one syndicated text counts once
    "doc_ids",
    "outlets",         # the documents' outlets by name (manifest source; the doc_id when none), ';'-separated
    "urls",            # the documents' addresses, ';'-separated
    "titles",          # the documents' titles, ' | '-separated
    "mention_ids",     # the mentions merged here (mentions.csv holds their spans)
    "first_published",
    "conflicts",       # every alternative value with the documents giving it: "date: 2020 [a] vs 2022 [b]"
    "evidence",        # the clearest sentence among the mentions
    "review_status",   # accepted | rejected | needs_check (from reviews.csv), empty when not reviewed
    "review_note",
)

TRANSFER_COLUMNS: Final = (
    "recipient", "supplier",
    "recipient_iso3", "supplier_iso3",  # ISO 3166 alpha-3 codes (pycountry)
    "year_of_order",       # year(s) of the order claims
    "number_ordered",
    "weapon_designation",  # the most specific designation the sources give
    "weapon_description",  # category from weapons.csv, or the generic category of the text
    "number_delivered",    # the delivery batches added up
    "years_of_delivery",
    "deliveries",          # each batch with its year, number and outlets: "2022: 2 [A]; 2023: 2 [B]"
    "status",              # the furthest status reached: delivered > ordered > offered > negotiating ...
    "uncertain",           # the claims' '?' flags: "supplier: inferred; date: disputed"
    "review",              # claims an analyst marked needs_check (rejected claims feed no row)
    "direction",           # warnings that supplier and recipient may be reversed
    "comments",            # conflicts, other statuses (repair, inspected), negated or hypothetical reports
    "claim_ids", "doc_ids",
)

SUGGESTION_COLUMNS: Final = (
    "rank",          # 1 = found in the most documents, then most often
    "kind",          # weapon | person | source
    "text",          # the name as written
    "count",         # sentences it was found in
    "n_docs",
    "doc_ids",
    "example",       # a sentence holding it
    "proposed_row",  # a gazetteer row to complete and paste (or: gazetteer add --from-suggestions RANK)
    "reason",        # which rule found it
)

REGISTER_CHECK_COLUMNS: Final = (
    # our row of transfers.csv
    "recipient", "supplier", "weapon_designation", "status", "year_of_order", "number_ordered",
    "number_delivered", "years_of_delivery", "claim_ids",
    "verdict",                 # known | differs | not_in_register | no_designation
    "differences",             # differs: each field with both values, "year_of_order: 2023 vs SIPRI 2022?"
    "n_sipri",                 # SIPRI deals of the same supplier, recipient and system
    # the matching SIPRI deals, best first, ' | ' between deals; '?' marks SIPRI's uncertain values
    "sipri_designation", "sipri_order_year", "sipri_number_ordered", "sipri_number_delivered",
    "sipri_delivery_years",
    "sipri_lines",             # line of each deal in the register file
)
REGISTER_VERDICTS: Final = ("known", "differs", "not_in_register", "no_designation")

REVIEW_COLUMNS: Final = ("claim_id", "review_status", "review_note", "reviewer", "reviewed_at")
REVIEW_STATUSES: Final = ("accepted", "rejected", "needs_check")

REVIEW_LOG_COLUMNS: Final = (  # review_log.csv: every decision ever read, append-only
    "seq",             # 1, 2, 3 ... in the order the decisions were read
    *REVIEW_COLUMNS,   # as written (an unknown status verbatim); claim_id is where the decision applies
    "action",          # set | undo | not_applied | overridden | moved
    "source",          # reviews.csv:LINE or claims.csv:LINE it was read from; for moved: the claim it came from
    "mention_ids",     # the mentions of the claim the decision was made on (it follows them)
    "extra",           # the analyst's own columns of reviews.csv, as JSON
)
REVIEW_ACTIONS: Final = ("set", "undo", "not_applied", "overridden", "moved")

CLAIM_TYPES: Final = ("transfer", "meeting", "statement", "agreement", "combat_use", "exercise")
STATUSES: Final = ("negotiating", "offered", "ordered", "delivered", "in_service", "inspected", "repair", "other")
POLARITIES: Final = ("asserted", "negated", "hypothetical")

ENTITY_TYPES: Final = ("WEAPON", "PERSON", "COUNTRY", "DATE")
MATCHERS: Final = ("exact", "fuzzy", "rule")
DATE_BASES: Final = ("explicit", "published", "text_anchor", "inferred", "unresolved")
PUBLISHED_FROM: Final = ("manifest", "text", "inferred", "none")
DOC_STATUSES: Final = ("ok", "skipped")

OUTPUT_FILES: Final = {
    "documents.csv": DOCUMENT_COLUMNS,
    "entities.csv": ENTITY_COLUMNS,
    "mentions.csv": MENTION_COLUMNS,
    "claims.csv": CLAIM_COLUMNS,
    "transfers.csv": TRANSFER_COLUMNS,
    "reviews.csv": REVIEW_COLUMNS,
    "review_log.csv": REVIEW_LOG_COLUMNS,
    "suggestions.csv": SUGGESTION_COLUMNS,
}

# ---------------------------------------------------------------------------------------------
# Column meanings and types, for claims.sqlite, its Datasette metadata.json and the Python API
# (extract.run / extract.load). A column's description is looked up as "table.column", then
# "column"; tests/test_sqlite.py checks that every column of OUTPUT_FILES has one.

DESCRIPTIONS: Final[dict[str, str]] = {
    "doc_id": "the document: file name without extension (a .jsonl line: its id)",
    "path": "path of the file as given on the command line",
    "title": "manifest title, else the first non-boilerplate line",
    "source": "the outlet, from the manifest or the .jsonl line",
    "url": "the article's address, from the manifest or the .jsonl line",
    "published": "publication date (YYYY-MM-DD)",
    "published_from": "where the publication date comes from: manifest | text | inferred | none",
    "encoding": "encoding the file was decoded with",
    "n_chars": "characters of the decoded text (offsets refer to this text)",
    "n_sentences": "sentences found",
    "boilerplate": "stripped character ranges, start-end;start-end",
    "documents.status": "ok | skipped",
    "documents.reason": "why the file was skipped, or a note on its decoding",
    "entity_type": "WEAPON | PERSON | COUNTRY | DATE",
    "entity_id": "gazetteer id; empty for rule-found people and for dates",
    "canonical": "gazetteer canonical name, rule-found name, or the date's value",
    "family": "WEAPON: the family designation (Su-30 for Su-30SME)",
    "subtype": "WEAPON: category; PERSON: role; COUNTRY: name|demonym|capital|forces; DATE: the rule's kind",
    "entities.text": "the exact source text: the file's characters [start_char:end_char]",
    "start_char": "start offset (characters) into the decoded file text",
    "end_char": "end offset (characters, exclusive) into the decoded file text",
    "sentence_index": "0-based sentence number in the document",
    "matcher": "exact | fuzzy | rule",
    "entities.basis": "how the match was made: alias and gazetteer line, fuzzy score, title rule, date rule",
    "value": "DATE: ISO partial value (YYYY, YYYY-MM, YYYY-MM-DD)",
    "timex": "DATE: TIMEX3-style value (2024-W13, 2022-Q1, 2021-SU, FY2025, 199X ...)",
    "date_start": "first day of the range the date covers",
    "date_end": "last day of the range the date covers",
    "granularity": "DATE: year | half | quarter | season | month | week | day | decade",
    "date_basis": "how the date was obtained: explicit | text_anchor | published | inferred | unresolved",
    "date_weak": "yes when the date is inferred or borrowed from the previous sentence (merging compares its month)",
    "mention_id": "stable id of one claim as one document states it",
    "claim_type": "transfer | meeting | statement | agreement | combat_use | exercise",
    "supplier": "transfer: supplying country",
    "recipient": "transfer: receiving country",
    "weapon_id": "transfer, combat_use: gazetteer id; empty for a generic category",
    "weapon": "canonical designation, or the generic category the text gives",
    "mentions.status": "transfer: negotiating | offered | ordered | delivered | in_service | inspected | repair | other",
    "claims.status": "transfer: negotiating | offered | ordered | delivered | in_service | inspected | repair | other",
    "quantity": "transfer: number of units",
    "value_usd": "transfer: value in US dollars (only amounts stated in dollars)",
    "people": "meeting: the people named, ;-separated",
    "speaker": "statement: person, organisation, group or country",
    "quote": "statement: the quoted words, when quoted",
    "place": "meeting, combat_use: where",
    "parties": "agreement, exercise: the countries (;-separated); combat_use: the actor",
    "name": "agreement, exercise: its name when the text gives one",
    "polarity": "asserted | negated | hypothetical",
    "attributed_to": "the outlet or source the article relays (TASS, The Irrawaddy)",
    "date_text": "the date expression the claim's date comes from",
    "date_value": "the claim's date: ISO partial value",
    "uncertain": "SIPRI-style '?' flags: slot: inferred|context|disputed, ;-separated",
    "mentions.evidence": "the sentence(s) stating the claim: the file's characters [start_char:end_char]",
    "other_spans": "other sentences of the document restating the claim: start-end;start-end",
    "rule_id": "the rule that made the row",
    "mentions.basis": "where each slot came from (sentence, document context, gazetteer)",
    "claim_id": "stable id derived from the claim's content (type and key slots)",
    "supplier_iso3": "ISO 3166 alpha-3 code of the supplier",
    "recipient_iso3": "ISO 3166 alpha-3 code of the recipient",
    "parties_iso3": "ISO 3166 alpha-3 codes of the parties, ;-separated",
    "n_sources": "distinct documents stating the claim",
    "n_independent": "distinct origins: one outlet, relayed source, quote or syndicated text counts once",
    "doc_ids": "the documents behind the row, ;-separated",
    "outlets": "the documents' outlets by name, ;-separated",
    "urls": "the documents' addresses, ;-separated",
    "titles": "the documents' titles, |-separated",
    "mention_ids": "the mentions merged into the claim, ;-separated (see claim_mentions)",
    "first_published": "the earliest publication date among the claim's documents",
    "conflicts": "every value the sources disagree on, each with its documents",
    "claims.evidence": "the clearest sentence among the claim's mentions",
    "review_status": "the analyst's decision: accepted | rejected | needs_check",
    "review_note": "the analyst's note",
    "year_of_order": "year(s) of the order claims",
    "number_ordered": "units ordered",
    "weapon_designation": "the most specific designation the sources give",
    "weapon_description": "category from weapons.csv, or the generic category of the text",
    "number_delivered": "the delivery batches added up",
    "years_of_delivery": "years of the deliveries",
    "deliveries": "each delivery batch with its year, number and outlets",
    "transfers.status": "the furthest status reached: delivered > ordered > offered > negotiating",
    "review": "claims an analyst marked needs_check (rejected claims feed no row)",
    "direction": "warnings that supplier and recipient may be reversed",
    "comments": "conflicts, other statuses, negated or hypothetical reports",
    "claim_ids": "the claims behind the row, ;-separated",
    "reviewer": "who decided",
    "reviewed_at": "when",
    "rank": "1 = found in the most documents, then most often",
    "kind": "weapon | person | source",
    "suggestions.text": "the name as written",
    "count": "sentences it was found in",
    "n_docs": "documents it was found in",
    "example": "a sentence holding it",
    "proposed_row": "a gazetteer row to complete and paste",
    "suggestions.reason": "which rule found it",
    "review_log.seq": "1, 2, 3 ... in the order the decisions were read",
    "review_log.action": "set | undo | not_applied | overridden | moved",
    "review_log.source": "reviews.csv:LINE or claims.csv:LINE it was read from; for moved: the claim it came from",
    "review_log.mention_ids": "the mentions of the claim the decision was made on (it follows them)",
    "review_log.extra": "the analyst's own columns of reviews.csv, as JSON",
}

INTEGER_COLUMNS: Final = frozenset({
    "n_chars", "n_sentences", "start_char", "end_char", "sentence_index", "quantity", "value_usd",
    "n_sources", "n_independent", "rank", "count", "n_docs",
})
DATE_COLUMNS: Final = frozenset({"published", "first_published", "date_start", "date_end"})  # YYYY-MM-DD

# claims.sqlite: the tables of OUTPUT_FILES (but suggestions), their keys, and a link table for joins.
CLAIM_MENTION_COLUMNS: Final = ("claim_id", "mention_id")
SQLITE_TABLES: Final = {
    "documents": DOCUMENT_COLUMNS, "entities": ENTITY_COLUMNS, "mentions": MENTION_COLUMNS,
    "claims": CLAIM_COLUMNS, "claim_mentions": CLAIM_MENTION_COLUMNS, "transfers": TRANSFER_COLUMNS,
    "reviews": REVIEW_COLUMNS,
}
PRIMARY_KEYS: Final = {
    "documents": ("doc_id",), "mentions": ("mention_id",), "claims": ("claim_id",),
    "claim_mentions": ("claim_id", "mention_id"), "reviews": ("claim_id",),
}
FOREIGN_KEYS: Final = {  # (table, column) -> referenced table
    ("entities", "doc_id"): "documents", ("mentions", "doc_id"): "documents",
    ("claim_mentions", "claim_id"): "claims", ("claim_mentions", "mention_id"): "mentions",
}
INDEXED: Final = (("entities", "doc_id"), ("entities", "entity_id"), ("mentions", "doc_id"),
                  ("claim_mentions", "mention_id"), ("claims", "claim_type"), ("transfers", "supplier"),
                  ("transfers", "recipient"))
FULL_TEXT: Final = {"claims": ("evidence",), "mentions": ("evidence",)}
TABLE_DESCRIPTIONS: Final = {
    "documents": "one row per input document", "entities": "one row per entity mention",
    "mentions": "one row per claim per source document", "claims": "one row per real-world claim, across sources",
    "claim_mentions": "which mentions each claim merges (join claims to mentions and documents)",
    "transfers": "a SIPRI-style trade register built from the transfer claims",
    "reviews": "the analysts' decisions", "review_log": "every decision ever read, append-only", "suggestions": "names the gazetteers do not know",
}


def describe(table: str, column: str) -> str:
    """The meaning of ``table.column`` (KeyError when undocumented)."""
    return DESCRIPTIONS.get(f"{table}.{column}") or DESCRIPTIONS[column]
