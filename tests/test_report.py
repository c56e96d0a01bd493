"""The HTML report: slot highlighting, file sizes at scale, and the three views in headless Chromium."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest

import browser
from extract.outputs.report import PAGE_SIZE, Report, claim_spans, keyed, slot_highlights
from extract.schema import CLAIM_COLUMNS, MENTION_COLUMNS

COUNTRIES = ("Chile", "Kenya", "Norway", "Vietnam", "Peru")
SYSTEMS = ("Gripen", "Bayraktar TB2", "Piranha", "Leopard 2")
REVIEWS = ("", "accepted", "rejected", "needs_check")


def test_slot_words_are_highlighted_in_the_evidence():
    text = "In March 2019 Chile received four Piranha armoured vehicles from Switzerland, a spokesman said."
    mention = {"start_char": 0, "end_char": len(text), "evidence": text, "supplier": "Switzerland",
               "recipient": "Chile", "weapon": "Piranha", "family": "Piranha", "date_text": "March 2019"}
    entities = [
        {"start_char": 14, "end_char": 19, "entity_type": "COUNTRY", "canonical": "Chile", "family": ""},
        {"start_char": 34, "end_char": 41, "entity_type": "WEAPON", "canonical": "Piranha", "family": "Piranha"},
        {"start_char": 65, "end_char": 76, "entity_type": "COUNTRY", "canonical": "Switzerland", "family": ""},
        {"start_char": 200, "end_char": 205, "entity_type": "COUNTRY", "canonical": "Chile", "family": ""},
    ]
    marks = slot_highlights(mention, keyed(entities))
    assert [(text[s:e], slot) for s, e, slot in marks] == [
        ("March 2019", "date_text"), ("Chile", "recipient"), ("Piranha", "weapon"), ("Switzerland", "supplier")]


def _claim(i: int, n_docs: int) -> tuple[dict[str, object], dict[str, object]]:
    country, system = COUNTRIES[i % len(COUNTRIES)], SYSTEMS[i % len(SYSTEMS)]
    year = 2000 + i % 25
    evidence = f"{country} ordered {i % 9 + 2} {system} in {year}."
    mention = {c: "" for c in MENTION_COLUMNS} | {
        "mention_id": f"m-{i:012x}", "doc_id": f"doc{i % n_docs:04d}", "claim_type": ("transfer", "meeting")[i % 2],
        "supplier": "Sweden", "recipient": country, "weapon": system, "family": system, "status": "ordered",
        "date_text": str(year), "evidence": evidence, "start_char": 0, "end_char": len(evidence),
        "rule_id": "transfer.named", "polarity": "asserted"}
    claim = {c: "" for c in CLAIM_COLUMNS} | {k: v for k, v in mention.items() if k in CLAIM_COLUMNS} | {
        "claim_id": f"c-{i:012x}", "n_sources": 1, "n_independent": 1, "doc_ids": mention["doc_id"],
        "mention_ids": mention["mention_id"], "date_value": str(year), "date_start": f"{year}-01-01",
        "date_end": f"{year}-12-31", "review_status": REVIEWS[i % len(REVIEWS)],
        "status": ("ordered", "delivered", "offered")[i % 3]}
    return claim, mention


def synthetic_report(directory: Path, n_claims: int, n_docs: int = 50) -> list[dict[str, object]]:
    pairs = [_claim(i, n_docs) for i in range(n_claims)]
    report = Report(directory)
    for d in range(n_docs):
        mine = [m for _, m in pairs if m["doc_id"] == f"doc{d:04d}"]
        text = " ".join(str(m["evidence"]) for m in mine[:1]) or "Nothing."
        report.add_document({"doc_id": f"doc{d:04d}", "title": f"Article {d}", "published": "2024-01-02",
                             "status": "ok"}, text, [], mine)
    claims = [c for c, _ in pairs]
    report.finish(claims, [])
    return claims


def test_report_files_stay_small_at_10000_claims(tmp_path):
    synthetic_report(tmp_path / "report", 10_000)
    files = list((tmp_path / "report").rglob("*"))
    sizes = {p.relative_to(tmp_path / "report").as_posix(): p.stat().st_size for p in files if p.is_file()}
    assert len([n for n in sizes if n.startswith("data/claims-") and n != "data/claims-index.js"]) == 10_000 // PAGE_SIZE
    assert max(sizes.values()) < 5_000_000, max(sizes.items(), key=lambda kv: kv[1])
    assert sizes["claims.html"] < 2_000  # the page holds no data; the data files are loaded as needed


# ------------------------------------------------------------------ in a real browser

@pytest.fixture(scope="module")
def chrome(tmp_path_factory):
    if browser.executables() is None:
        if browser.required():
            pytest.fail("EXTRACT_REQUIRE_BROWSER=1 but chromium/chromedriver are missing")
        pytest.skip("chromium and chromedriver not installed (apt-get install -y chromium chromium-driver)")
    driver = browser.chromium(tmp_path_factory.mktemp("profile"))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait(driver, script: str, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    """Poll a JavaScript expression until it is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(f"return {script}")
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {script}; console: {driver.get_log('browser')}")


def open_page(driver, path: Path, fragment: str = "") -> None:  # type: ignore[no-untyped-def]
    driver.get(path.as_uri() + fragment)
    wait(driver, "document.body.getAttribute('data-ready') === '1'")


def shown(driver) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    wait(driver, "document.getElementById('claims').getAttribute('data-rendered')")
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#claims .claim')).map(c => ({id: c.id, type: c.dataset.type,"
        " text: c.innerText}))")


def count(driver) -> int:  # type: ignore[no-untyped-def]
    return int(driver.execute_script("return document.getElementById('count').textContent").split()[0])


def choose(driver, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
    driver.execute_script(
        "const e = document.getElementById('f-' + arguments[0]); e.value = arguments[1];"
        "e.dispatchEvent(new Event('change', {bubbles: true}));", name, value)


def test_filters_change_what_is_shown_at_10000_claims(chrome, tmp_path):
    claims = synthetic_report(tmp_path / "report", 10_000)
    open_page(chrome, tmp_path / "report" / "claims.html")
    assert len(shown(chrome)) == 25 and count(chrome) == 10_000
    choose(chrome, "type", "meeting")
    assert count(chrome) == sum(c["claim_type"] == "meeting" for c in claims)
    assert {c["type"] for c in shown(chrome)} == {"meeting"}
    choose(chrome, "country", "Kenya")
    expected = [c for c in claims if c["claim_type"] == "meeting" and c["recipient"] == "Kenya"]
    assert count(chrome) == len(expected) and shown(chrome)[0]["id"] == expected[0]["claim_id"]
    choose(chrome, "review", "needs_check")
    expected = [c for c in expected if c["review_status"] == "needs_check"]
    assert count(chrome) == len(expected) and all("needs_check" in c["text"] for c in shown(chrome))
    chrome.find_element("id", "f-reset").click()
    wait(chrome, "document.getElementById('count').textContent.startsWith('10000 ')")
    choose(chrome, "from", "2023")
    choose(chrome, "to", "2023-12")
    assert count(chrome) == sum(str(c["date_start"]).startswith("2023") for c in claims)
    choose(chrome, "system", "Gripen")
    choose(chrome, "status", "delivered")
    assert count(chrome) == sum(str(c["date_start"]).startswith("2023") and c["weapon"] == "Gripen"
                                and c["status"] == "delivered" for c in claims)
    # A claim's address opens the page that holds it, whatever the filters were.
    target = claims[7_777]["claim_id"]
    chrome.get((tmp_path / "report" / "claims.html").as_uri() + "#" + str(target))
    wait(chrome, f"document.getElementById('{target}') && document.getElementById('{target}').classList.contains('target')")


@pytest.fixture(scope="module")
def seed_report(seed_outputs) -> Path:
    return seed_outputs / "report"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_known_claim_evidence_is_highlighted(chrome, seed_outputs, seed_report):
    claim = next(c for c in read(seed_outputs / "claims.csv")
                 if c["claim_type"] == "transfer" and c["weapon"] == "Su-30SME" and c["status"] == "delivered")
    open_page(chrome, seed_report / "claims.html", "#" + claim["claim_id"])
    wait(chrome, f"document.getElementById('{claim['claim_id']}')")
    marks = chrome.execute_script(
        "return Array.from(document.getElementById(arguments[0]).querySelectorAll('mark.slot'))"
        ".map(m => [m.dataset.slot, m.firstChild.textContent])", claim["claim_id"])
    assert ["recipient", "Myanmar"] in marks and any(slot == "weapon" and "Su-30" in text for slot, text in marks)
    sources = chrome.execute_script("return document.getElementById(arguments[0]).querySelectorAll('.source').length",
                                    claim["claim_id"])
    assert sources == len(claim["mention_ids"].split(";"))


def test_article_view_highlights_entities_and_links_claims(chrome, seed_outputs, seed_report):
    doc = "004_4ab999952ab3537c"
    open_page(chrome, seed_report / "articles.html", "#" + doc)
    wait(chrome, "document.getElementById('text')")
    kinds = chrome.execute_script("return Array.from(document.querySelectorAll('#text mark.ent'))"
                                  ".map(m => m.className.split('ent-')[1])")
    assert {"WEAPON", "PERSON", "COUNTRY", "DATE"} <= set(kinds)
    links = chrome.execute_script("return Array.from(document.querySelectorAll('#text a.claim-link'))"
                                  ".map(a => a.getAttribute('href'))")
    claims = {c["claim_id"] for c in read(seed_outputs / "claims.csv") if doc in c["doc_ids"]}
    assert links and {href.removeprefix("claims.html#") for href in links} == claims
    chrome.find_element("css selector", "#text a.claim-link").click()
    wait(chrome, "document.querySelector('.claim.target')")


def test_register_view_shows_the_table_and_timeline(chrome, seed_outputs, seed_report):
    open_page(chrome, seed_report / "register.html")
    rows = chrome.execute_script("return document.querySelectorAll('#register tbody tr').length")
    assert rows == len(read(seed_outputs / "transfers.csv"))
    pairs = chrome.execute_script("return Array.from(document.querySelectorAll('#timeline svg'))"
                                  ".map(s => [s.getAttribute('aria-label'), s.querySelectorAll('rect.delivery').length])")
    assert any(pair == "Russia → Myanmar" and deliveries >= 1 for pair, deliveries in pairs), pairs


def test_report_needs_no_network(seed_report):
    for page in ("claims.html", "articles.html", "register.html"):
        html = (seed_report / page).read_text(encoding="utf-8")
        assert "http" not in html.replace('http-equiv', '')
    script = (seed_report / "assets" / "report.js").read_text(encoding="utf-8")
    assert "fetch(" not in script and "XMLHttpRequest" not in script and "//" + "cdn" not in script
    assert json.loads((seed_report / "data" / "claims-index.js").read_text(encoding="utf-8")
                      .removeprefix('EXTRACT.put("claims-index",').removesuffix(");\n"))


DEV = Path(__file__).resolve().parents[2] / "shared" / "dev"


@pytest.mark.skipif(not (DEV / "articles").is_dir(), reason="../shared/dev not present")
def test_three_views_work_on_the_dev_set(chrome, tmp_path):
    from extract.engine.runner import run

    run(DEV / "articles", tmp_path, manifest=DEV / "manifest.csv")
    claims, transfers = read(tmp_path / "claims.csv"), read(tmp_path / "transfers.csv")
    open_page(chrome, tmp_path / "report" / "claims.html")
    assert count(chrome) == len(claims) and shown(chrome)
    choose(chrome, "type", "statement")
    assert count(chrome) == sum(c["claim_type"] == "statement" for c in claims) > 0
    doc = next(d for d in read(tmp_path / "documents.csv") if d["status"] == "ok")
    open_page(chrome, tmp_path / "report" / "articles.html", "#" + doc["doc_id"])
    wait(chrome, "document.querySelectorAll('#text mark.ent').length > 0")
    open_page(chrome, tmp_path / "report" / "register.html")
    assert chrome.execute_script("return document.querySelectorAll('#register tbody tr').length") == len(transfers)
    assert chrome.execute_script("return document.querySelectorAll('#timeline svg').length") > 0
    assert not [e for e in chrome.get_log("browser") if e["level"] == "SEVERE"]


def test_restating_sentences_are_claim_spans_too():
    mention = {"start_char": 10, "end_char": 40, "other_spans": "50-80;x-y;90-95"}
    assert claim_spans(mention) == [(10, 40), (50, 80), (90, 95)]
