"""System tests: a live Odoo server on the end-to-end database, started by `make test`.

LT_URL and LT_DB name it. Data these tests make is committed on that server, so every name
they create is unique (`unique_name`). Browser tests drive Debian's headless Chromium.
"""
import os
import shutil
import uuid

import pytest

from .odoo_client import OdooClient

ARTIFACTS = os.path.join(os.path.dirname(__file__), "artifacts")


@pytest.fixture(scope="session")
def odoo_url():
    url = os.environ.get("LT_URL")
    if not url:
        pytest.fail("LT_URL is not set: run the system tests through `make test`")
    return url


@pytest.fixture(scope="session")
def odoo_db():
    return os.environ.get("LT_DB", "lot_e2e")


@pytest.fixture
def admin(odoo_url, odoo_db):
    return OdooClient(odoo_url, odoo_db).login("admin", "admin")


@pytest.fixture
def unique_name():
    def make(prefix):
        return "%s-%s" % (prefix, uuid.uuid4().hex[:8].upper())
    return make


def _chrome_options():
    from selenium.webdriver.chrome.options import Options
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                "--lang=en-US"):
        options.add_argument(arg)
    return options


@pytest.fixture(scope="session")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    service = Service(executable_path=driver_path)
    driver = webdriver.Chrome(service=service, options=_chrome_options())
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


@pytest.fixture
def web(browser, odoo_url, odoo_db, request):
    """A browser page helper: log in, wait for elements, screenshot on failure."""
    from .browser import WebPage
    page = WebPage(browser, odoo_url, odoo_db)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        os.makedirs(ARTIFACTS, exist_ok=True)
        browser.save_screenshot(os.path.join(ARTIFACTS, request.node.name + ".png"))
    page.logout()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
