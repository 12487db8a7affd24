"""Headless Chromium against a real `diplograph serve` process: the query UI runs an example
query and shows rows, an entity page shows its facts, markup in evidence stays text, and the
page loads nothing from other origins.

Skips when Debian's chromium/chromedriver are missing, except under CI (env CI set), where a
missing browser is a failure so the test cannot be skipped silently.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests import server_fixtures
from tests.server_fixtures import LiveServer

sample_store = server_fixtures.sample_store
live_server = server_fixtures.live_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture()
def driver(tmp_path: Path):  # type: ignore[no-untyped-def]
    if not (CHROMIUM and CHROMEDRIVER):
        message = "chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message + " -- CI is set, so this test must run")
        pytest.skip(message)
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


def _requested_urls(drv) -> list[str]:  # type: ignore[no-untyped-def]
    urls = []
    for entry in drv.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _csp_violations(drv) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        e["message"]
        for e in drv.get_log("browser")
        if "Content Security Policy" in e["message"] or "Refused to" in e["message"]
    ]


def test_query_ui_runs_an_example_and_shows_rows(driver, live_server: LiveServer, tmp_path: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(live_server.url + "/")
    wait = WebDriverWait(driver, 20)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    button = driver.find_element(By.CSS_SELECTOR, 'button.example[data-name="02-severed-ties"]')
    button.click()
    wait.until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".yasr table.dataTable tbody tr td")) > 1
    )
    table_text = driver.find_element(By.CSS_SELECTOR, ".yasr table.dataTable").text
    driver.save_screenshot(str(tmp_path / "query-ui.png"))
    assert "Bolivia" in table_text and "Israel" in table_text
    assert "announced it had severed diplomatic relations" in table_text
    origin = live_server.url
    network = [u for u in _requested_urls(driver) if u.startswith(("http:", "https:", "ws"))]
    assert any(u.startswith(origin + "/sparql") for u in network)
    off_origin = [u for u in network if not u.startswith(origin + "/")]
    assert off_origin == []
    assert _csp_violations(driver) == []
    assert (tmp_path / "query-ui.png").stat().st_size > 10_000


def test_entity_page_shows_facts_and_escapes_evidence(
    driver, live_server: LiveServer, tmp_path: Path
):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    driver.get(live_server.url + "/id/entity/Q750")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Bolivia"
    rows = driver.find_elements(By.CSS_SELECTOR, "table.facts tbody tr.fact")
    assert len(rows) == 2
    evidence = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "td.evidence")]
    assert "Bolivia accused Israel of <script>alert('xss')</script> crimes & \"abuses\"" in evidence
    assert driver.find_elements(By.CSS_SELECTOR, "td.evidence script") == []
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - an alert would mean the script ran
    dots = driver.find_elements(By.CSS_SELECTOR, "svg.timeline circle")
    assert len(dots) == 2
    wikidata = driver.find_element(By.CSS_SELECTOR, "a.external").get_attribute("href")
    assert wikidata == "http://www.wikidata.org/entity/Q750"
    driver.save_screenshot(str(tmp_path / "entity.png"))
    # The fact links to its event page, which links to the source article.
    driver.find_element(By.LINK_TEXT, "relations severed").click()
    driver.find_element(By.LINK_TEXT, "Bolivia cuts ties with Israel").click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "Bolivia cuts ties with Israel"
    driver.save_screenshot(str(tmp_path / "article.png"))
    assert _csp_violations(driver) == []


def test_network_page_links_to_entity_pages(driver, live_server: LiveServer, tmp_path: Path):
    from selenium.webdriver.common.by import By

    driver.get(live_server.url + "/")
    driver.find_element(By.LINK_TEXT, "Network").click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "Relation network"
    nodes = driver.find_elements(By.CSS_SELECTOR, "svg.network a")
    assert len(nodes) >= 5
    driver.save_screenshot(str(tmp_path / "network.png"))
    bolivia = next(a for a in nodes if a.find_element(By.TAG_NAME, "text").text == "Bolivia")
    bolivia.find_element(By.TAG_NAME, "circle").click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "Bolivia"
    # the entity's own picture, with a node per counterpart linking back out
    assert driver.find_elements(By.CSS_SELECTOR, "svg.network circle.centre")
    assert _csp_violations(driver) == []
