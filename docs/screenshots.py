"""Regenerate the README's report screenshots: `.venv/bin/python docs/screenshots.py` (needs chromium).

Runs extract on seeds/ into a temporary folder and photographs the three views with the
headless Chromium the tests use.
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import browser  # noqa: E402
from extract.engine.runner import run  # noqa: E402


def main() -> None:
    out = Path(tempfile.mkdtemp(prefix="extract-shots-"))
    run(ROOT / "seeds", out)
    with (out / "claims.csv").open(encoding="utf-8", newline="") as handle:
        claim = next(c for c in csv.DictReader(handle) if c["weapon"] == "Su-30SME" and c["status"] == "ordered")
    driver = browser.chromium()
    try:
        for page, fragment in (("claims", claim["claim_id"]), ("articles", "004_4ab999952ab3537c"), ("register", "")):
            driver.get((out / "report" / f"{page}.html").as_uri() + (f"#{fragment}" if fragment else ""))
            time.sleep(1.5)
            driver.save_screenshot(str(ROOT / "docs" / f"report-{page}.png"))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
