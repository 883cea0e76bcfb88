"""
The built documentation site, served on localhost and read in headless
Chromium: what a visitor sees, not only what the Markdown says.

Needs Debian's ``chromium`` and ``chromium-driver`` packages and selenium;
the tests are skipped, saying why, when the browser or its driver is not
installed.  Run them alone with ``pytest -m browser``.  The screenshot of
the R2 page is kept in ``artifacts/r2-page.png``.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

import denialkit

from .test_docs import ROOT, build_site

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
WAIT = 30

# The machine has no network: these flags keep Chromium from trying to
# reach update, sync and telemetry hosts.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
)

needs_browser = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Debian's chromium and chromium-driver packages are not"
    " installed (apt-get install chromium chromium-driver)",
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    """
    The built site, served from an ephemeral port on 127.0.0.1.
    """
    site = build_site()
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    yield f"http://127.0.0.1:{server.server_address[1]}"

    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """
    Headless Chromium with a fresh profile, driven by chromedriver.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMIUM is not None and CHROMEDRIVER is not None
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tmp_path_factory.mktemp("chromium-profile")
    options.add_argument(f"--user-data-dir={profile}")
    # Giving the driver's path keeps selenium from looking for one online.
    driver = webdriver.Chrome(
        service=Service(executable_path=CHROMEDRIVER), options=options
    )
    driver.set_page_load_timeout(WAIT)

    yield driver

    driver.quit()


def _foreign_requests(driver: Any, site_url: str) -> list[str]:
    # Every file the page loaded, by URL; the site must load nothing from
    # another host (no web fonts, no CDN scripts).
    loaded = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )

    return [url for url in loaded if not url.startswith(site_url)]


def _wait(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(condition)


@needs_browser
def test_the_r2_page_shows_its_sections_and_letter(
    browser: Any, site_url: str
) -> None:
    """
    R2's page renders its title, every section and the draft letter; its
    screenshot is kept as an artifact.
    """
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/codes/specialty/R2/")
    title = browser.find_element(By.CSS_SELECTOR, "article h1").text
    headings = [
        element.text.strip()
        for element in browser.find_elements(By.CSS_SELECTOR, "article h2")
    ]
    letter = browser.find_element(By.CSS_SELECTOR, ".dk-letter")
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "r2-page.png"))
    browser.execute_script("arguments[0].scrollIntoView()", letter)
    browser.save_screenshot(str(ARTIFACTS / "r2-letter.png"))

    assert title.startswith("R2:")
    for heading in (
        "On a remittance",
        "What it means",
        "Common causes",
        "Prevention checklist",
        "Appeal guidance",
        "Related codes",
        "Sample letter",
        "Sources",
        "Revision history",
    ):
        assert heading in headings, heading
    assert _foreign_requests(browser, site_url) == []
    assert letter.is_displayed()
    assert "DRAFT" in letter.text
    assert "[Patient Name]" in letter.text
    assert "Dear Appeals Reviewer" in letter.text


@needs_browser
def test_the_carc_index_lists_every_carc(browser: Any, site_url: str) -> None:
    """
    The CARC index page shows one table row per CARC of the newest
    release: 407 in release 2026.1.
    """
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/codes/carc/")
    rows = browser.find_elements(By.CSS_SELECTOR, ".dk-code-index tbody tr")
    links = {
        row.find_element(By.CSS_SELECTOR, "td a").text for row in rows[:3]
    }

    assert len(rows) == len(denialkit.load().codes("carc"))
    assert len(denialkit.load("2026.1").codes("carc")) == 407
    assert links == {"1", "2", "3"}


@needs_browser
def test_search_for_timely_filing_offers_carc_29(
    browser: Any, site_url: str
) -> None:
    """
    Typing "timely filing" into the search box lists CARC 29's page.
    """
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/")
    box = _wait(
        browser,
        lambda driver: driver.find_element(
            By.CSS_SELECTOR, "input.md-search__input"
        ),
    )
    box.click()
    box.send_keys("timely filing")

    seen: list[str] = []

    def offered(driver: Any) -> bool:
        links = driver.find_elements(
            By.CSS_SELECTOR, ".md-search-result__item > a"
        )
        seen[:] = [
            urllib.parse.urlsplit(link.get_attribute("href") or "").path
            for link in links
        ]
        return "/codes/carc/29/" in seen

    try:
        _wait(browser, offered)
    except TimeoutException:
        pytest.fail(f"Search offered no CARC 29 page; it offered {seen}")

    assert "/codes/carc/29/" in seen[:5], seen
    assert _foreign_requests(browser, site_url) == []


@needs_browser
def test_the_api_reference_documents_appeal_template(
    browser: Any, site_url: str
) -> None:
    """
    The API reference page of denialkit.appeals has AppealTemplate.
    """
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/reference/api/appeals/")
    heading = browser.find_element(By.ID, "denialkit.appeals.AppealTemplate")

    assert "AppealTemplate" in heading.text
    assert browser.find_elements(
        By.ID, "denialkit.appeals.AppealTemplate.insert"
    )
