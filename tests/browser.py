"""Headless Chromium from Debian's packages, driven by Selenium with Debian's chromedriver.

Nothing is downloaded: the browser and the driver are the system's (`.ci/run` installs the
`chromium` and `chromium-driver` packages where missing). Without them the browser tests are
skipped, unless ``EXTRACT_REQUIRE_BROWSER=1`` (set by `.ci/run`) makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000")


def executables() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def chromium(profile: Path | None = None):  # type: ignore[no-untyped-def]
    """A headless Chromium session with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = executables()
    if found is None:
        raise RuntimeError("chromium and chromedriver not found: apt-get install -y chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile or tempfile.mkdtemp(prefix='chromium-profile-')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(found[1]), options=options)


def required() -> bool:
    return os.environ.get("EXTRACT_REQUIRE_BROWSER") == "1"
