# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""System tests: a live Odoo server on the end-to-end database, started by `make test`.

LT_URL and LT_DB name it. Data these tests make is committed on that server, so every name
they create is unique (`unique_name`). Browser tests drive Debian's headless Chromium.
"""
import os
import shutil
import uuid

import pytest

from .browser import ARTIFACTS  # noqa: F401 (the folder of screenshots)
from .odoo_client import OdooClient


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


def _chrome_options(phone):
    from selenium.webdriver.chrome.options import Options

    from .browser import PHONE
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                "--lang=en-US"):
        options.add_argument(arg)
    if phone:
        # A phone: its screen size, pixel ratio and touch; the page decides its layout width
        # through its viewport meta tag, as on a real phone.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": dict(
            PHONE, pixelRatio=2.0, touch=True, mobile=True)})
    # Keep every console message: the tests fail on errors (browser.WebClient.check).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


def _start_chromium(phone):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=_chrome_options(phone))
    driver.set_page_load_timeout(120)
    return driver


USERS = {"admin": "admin", "demo": "demo"}


@pytest.fixture(scope="session")
def _sessions(odoo_url, odoo_db):
    """One logged-in Chromium per (user, phone), shared by the whole run."""
    from .browser import WebClient
    sessions = {}

    def get(login, phone=False):
        key = (login, phone)
        if key not in sessions:
            client = WebClient(_start_chromium(phone), odoo_url, odoo_db, phone=phone)
            sessions[key] = client.login(login, USERS[login])
        return sessions[key]
    yield get
    for client in sessions.values():
        client.driver.quit()


def _client(request, sessions, login, phone=False):
    """The user's session at the web client's home; after the test, a screenshot if it failed,
    then no error dialog and no console error allowed."""
    client = sessions(login, phone)
    client.console_errors()  # what an earlier test left is that test's business
    client.home()
    yield client
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        client.screenshot("failed-" + request.node.name, settle=False)
    client.check()


@pytest.fixture
def demo_desk(request, _sessions):
    """The demo user (Traceability user) on a desktop browser."""
    yield from _client(request, _sessions, "demo")


@pytest.fixture
def admin_desk(request, _sessions):
    """The administrator (Traceability manager) on a desktop browser."""
    yield from _client(request, _sessions, "admin")


@pytest.fixture
def demo_phone(request, _sessions):
    """The demo user on a 390x844 phone."""
    yield from _client(request, _sessions, "demo", phone=True)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
