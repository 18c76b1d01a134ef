# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The web client as a person uses it, for browser tests (Odoo 11 with OCA's web_responsive).

A `WebClient` is one logged-in Chromium session. A test starts from the home page (`home()`),
clicks the menus a person clicks (`menu("Inventory", "Traceability", "Scan")`) and never opens
an action by id or a `/web#model=` URL. Every wait fails at once, with the dialog's text, when
Odoo shows its error dialog; `check()` also fails on browser console errors.
"""
import contextlib
import os
import time

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 60
ARTIFACTS = os.path.join(os.path.dirname(__file__), "artifacts")
DOWNLOADS = os.path.join(ARTIFACTS, "downloads")
PHONE = {"width": 390, "height": 844}
# Odoo 11's crash manager draws a UserError / ValidationError / AccessError as a dialog whose
# body is .o_dialog_warning, a server traceback as .o_dialog_error (web/static/src/xml/base.xml).
ERROR_DIALOG = ".modal .o_dialog_warning, .modal .o_dialog_error, .modal .o_error_detail"
# Console messages that are no error of the page. Each entry says why it is ignored.
IGNORED_CONSOLE = (
    # Chromium asks for /favicon.ico on its own; Odoo 11 serves it at /web/static/src/img.
    "/favicon.ico",
)


class OdooErrorDialog(AssertionError):
    """Odoo showed its error dialog."""


class WebClient(object):
    """One browser session of one user, on desk or phone size."""

    def __init__(self, driver, url, db, phone=False):
        self.driver = driver
        self.url = url.rstrip("/")
        self.db = db
        self.phone = phone
        self.console = []

    # --- waiting -------------------------------------------------------------------------
    def error_dialog(self):
        """The text of Odoo's error dialog if one is shown, else None."""
        for element in self.driver.find_elements(By.CSS_SELECTOR, ERROR_DIALOG):
            try:
                if element.is_displayed() or element.get_attribute("class").find(
                        "o_error_detail") >= 0:
                    modal = self.driver.find_elements(By.CSS_SELECTOR, ".modal.in, .modal")
                    return (modal[0].text if modal else element.text).strip() or "(empty)"
            except StaleElementReferenceException:
                continue
        return None

    def until(self, condition, timeout=TIMEOUT, message=""):
        """Wait for condition(driver) to be truthy; fail at once on Odoo's error dialog."""
        def check(driver):
            error = self.error_dialog()
            if error:
                raise OdooErrorDialog("Odoo's error dialog: %s" % error)
            try:
                return condition(driver)
            except StaleElementReferenceException:
                return False
        return WebDriverWait(self.driver, timeout).until(check, message)

    def visible(self, css, text=None, within=None):
        """The visible elements matching css (and containing text)."""
        root = within or self.driver
        found = []
        for element in root.find_elements(By.CSS_SELECTOR, css):
            if element.is_displayed() and (text is None or text in element.text):
                found.append(element)
        return found

    def wait(self, css, text=None, timeout=TIMEOUT):
        """The first visible element matching css (whose text contains text, if given)."""
        return self.until(lambda d: (self.visible(css, text) or [False])[0], timeout,
                          "no visible %s%s" % (css, " with %r" % text if text else ""))

    def wait_gone(self, css, timeout=TIMEOUT):
        self.until(lambda d: not self.visible(css), timeout, "%s is still shown" % css)

    def wait_idle(self, timeout=TIMEOUT):
        """Wait until the web client has no RPC in flight (its loading indicator is hidden)
        and no screen blocker (the overlay a slow RPC puts over the page) is left."""
        self.until(lambda d: d.execute_script(
            "var el = document.querySelector('.o_loading');"
            "var busy = el && el.style.display !== 'none' && el.offsetParent !== null;"
            "return !busy && !document.querySelector('.blockUI.blockOverlay');"), timeout,
            "the web client stays busy")

    def try_click(self, element):
        """Click element; False when something (a blocker, a redraw) took the click: a
        polling loop then tries again."""
        try:
            element.click()
        except (ElementClickInterceptedException, StaleElementReferenceException):
            return False
        self.wait_idle()
        return True

    def click(self, css, text=None, timeout=TIMEOUT):
        """Click the first visible element matching css (and text), again if it was redrawn."""
        def clicked(driver):
            for element in self.visible(css, text):
                try:
                    element.click()
                    return element
                except ElementClickInterceptedException:
                    return False
            return False
        element = self.until(clicked, timeout, "nothing to click: %s %s" % (css, text or ""))
        self.wait_idle()
        return element

    def button(self, text):
        """Click the button of the current screen whose label is text (header or footer)."""
        css = (".o_control_panel button, .o_form_statusbar button, .o_form_view button, "
               ".modal-footer button")
        return self.click_exact(css, text)

    def click_exact(self, css, text):
        def clicked(driver):
            for element in self.visible(css):
                if element.text.strip() == text:
                    element.click()
                    return element
            return False
        element = self.until(clicked, TIMEOUT, "no button %r" % text)
        self.wait_idle()
        return element

    # --- session and navigation ----------------------------------------------------------
    def login(self, login, password):
        self.credentials = (login, password)
        self.driver.get("%s/web/login?db=%s" % (self.url, self.db))
        self.wait("input[name=login]").send_keys(login)
        self.driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
        self.driver.find_element(By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
        self._wait_client()
        return self

    def _wait_client(self):
        self.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".o_web_client .main-nav"), 90,
                   "the web client did not start")
        # The landing screen (the user's home action, else the first app's) is in the URL once
        # it has loaded: before that, a click races with it.
        self.until(lambda d: d.execute_script("return window.location.hash;"), 90,
                   "the web client opened no first screen")
        self.wait_idle(90)

    def home(self):
        """The web client's home page, as after logging in (a full page load)."""
        self.driver.get(self.url + "/web")
        if self.driver.find_elements(By.CSS_SELECTOR, "form.oe_login_form") \
                and getattr(self, "credentials", None):
            self.login(*self.credentials)  # a story before logged this session out
        self._wait_client()
        self.wait(".o_main_content > *")
        return self

    def menu(self, app, *path):
        """Open app from the app drawer, then each menu of path in the top bar."""
        if not self._app_open(app):
            self._open_app(app)
        if path:
            link = self._menu_path(path)
            self._wait_action(link.get_attribute("data-action-id"))
        return self

    def _open_app(self, app):
        """Open app from the app drawer and wait for its first screen (a new hash, no RPC).

        The drawer slides in for 0.6 s: a click on an app while it moves lands beside the app
        and opens nothing. So the app is clicked once its link stands still, and the drawer is
        opened and the app clicked again while the app has not opened."""
        before = self.driver.execute_script("return window.location.hash;")
        link_css = '#appDrawerApps a[data-menu-name="%s"]' % app

        def settled_link(driver):
            if not driver.execute_script(
                    "return document.body.classList.contains('drawer-open');"):
                self.click(".main-nav .app-drawer-toggle")
                return False
            link = next(iter(self.visible(link_css)), None)
            if link is None:
                return False
            rect = link.rect
            time.sleep(0.1)
            return link if link.rect == rect else False

        def opened(driver):
            return self._app_open(app) and driver.execute_script(
                "return window.location.hash;") != before

        for _attempt in range(3):
            link = self.until(settled_link, TIMEOUT, "the app drawer did not show %s" % app)
            if self.try_click(link):
                try:
                    self.until(opened, 15)
                    self.wait_idle()
                    return
                except TimeoutException:
                    pass
        raise AssertionError("app %s did not open from the app drawer (hash %r, drawer open: %s)"
                             % (app, self.driver.execute_script("return window.location.hash;"),
                                self.driver.execute_script(
                                    "return document.body.classList.contains('drawer-open');")))

    def _app_open(self, app):
        """Whether app's menus are in the top bar (the app is open)."""
        return self.driver.execute_script(
            "var link = document.querySelector('#appDrawerApps a[data-menu-name=\"' + arguments[0]"
            " + '\"]'); if (!link) { return false; }"
            "var menu = document.querySelector('.oe_secondary_menu[data-menu-parent=\"'"
            " + link.dataset.menu + '\"]');"
            "return !!menu && menu.style.display !== 'none' && !!window.location.hash;", app)

    def _wait_action(self, action_id):
        """Wait until the menu's action is open: in the URL's hash, or in a dialog (a wizard
        opened in a dialog leaves the hash alone), and no RPC is in flight."""
        part = "action=%s" % action_id
        self.until(lambda d: part in d.execute_script("return window.location.hash;").replace(
            "&", " ").replace("#", " ").split(" ") or self.visible(".modal .o_form_view"),
            TIMEOUT, "no %s opened" % part)
        self.wait_idle()

    @contextlib.contextmanager
    def navigation(self):
        """Wait until what the block clicked has opened a new screen (the URL's hash changed
        and no RPC is in flight)."""
        before = self.driver.execute_script("return window.location.hash;")
        yield
        self.until(lambda d: d.execute_script("return window.location.hash;") != before,
                   TIMEOUT, "no new screen opened")
        self.wait_idle()

    @contextlib.contextmanager
    def navigation_free(self):
        """Wait until what the block did has finished its RPCs (the screen stays)."""
        yield
        self.wait_idle()

    def _menu_path(self, path):
        """Click the top bar's menu path[0], then path[1:] in its dropdown; the last link."""
        if self.phone:
            self.click("#odooMenuBarToggle")
        section = self.until(lambda d: next(
            (a for a in self.visible(".oe_secondary_menu a.dropdown-toggle")
             if a.text.strip() == path[0]), False), TIMEOUT, "no menu %s" % path[0])
        section.click()
        dropdown = section.find_element(By.XPATH, "following-sibling::ul")
        link = None
        for name in path[1:]:
            link = self.until(lambda d: next((a for a in self.visible("a", within=dropdown)
                                              if a.text.strip() == name), False), TIMEOUT,
                              "no menu %s under %s" % (name, path[0]))
            link.click()
        return link

    def breadcrumb(self, text):
        return self.wait(".o_control_panel .breadcrumb", text)

    def logout(self):
        self.driver.get(self.url + "/web/session/logout")

    # --- input -----------------------------------------------------------------------------
    def field(self, name, within=".o_content"):
        """The input of field name on the current form (edit mode)."""
        return self.wait('%s .o_field_widget[name="%s"] input, %s input.o_field_widget[name="%s"],'
                         ' %s textarea.o_field_widget[name="%s"]' % (
                             within, name, within, name, within, name))

    def choose(self, name, text, within=".o_content"):
        """Type into a many2one and pick the suggestion containing text."""
        field = self.field(name, within)
        field.clear()
        field.send_keys(text)
        self.click("ul.ui-autocomplete li a", text)
        return field

    def scan_keys(self, code):
        """A keyboard-wedge scanner: fast keystrokes ending with Enter, on the page body."""
        # The scanner types into no field (as after a click on the page's background): Odoo's
        # barcode listener leaves keystrokes into an input to that input.
        self.driver.execute_script("document.activeElement && document.activeElement.blur();")
        body = self.driver.find_element(By.TAG_NAME, "body")
        ActionChains(self.driver).move_to_element(body).send_keys(code + Keys.ENTER).perform()
        self.wait_idle()

    # --- checks ----------------------------------------------------------------------------
    def console_errors(self):
        """SEVERE console messages since the last call (get_log drains the browser's log)."""
        entries = self.driver.get_log("browser")
        self.console.extend(entries)
        return [entry["message"] for entry in entries if entry["level"] == "SEVERE"
                and not any(ignored in entry["message"] for ignored in IGNORED_CONSOLE)]

    def check(self):
        """Fail on Odoo's error dialog and on console errors since the last check."""
        error = self.error_dialog()
        if error:
            raise OdooErrorDialog("Odoo's error dialog: %s" % error)
        errors = self.console_errors()
        assert not errors, "browser console errors:\n%s" % "\n".join(errors)

    def in_viewport(self, element):
        """Assert that element is fully inside the viewport (after scrolling it into view)."""
        box = self.driver.execute_script(
            "var el = arguments[0]; el.scrollIntoView({block: 'nearest', inline: 'nearest'});"
            "var r = el.getBoundingClientRect();"
            "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,"
            " width: document.documentElement.clientWidth,"
            " height: document.documentElement.clientHeight};", element)
        assert box["right"] > box["left"] and box["bottom"] > box["top"], \
            "%s has no size: %s" % (self._describe(element), box)
        assert box["left"] >= 0 and box["top"] >= 0 and box["right"] <= box["width"] + 0.5 \
            and box["bottom"] <= box["height"] + 0.5, \
            "%s is not fully inside the %dx%d viewport: %s" % (
                self._describe(element), box["width"], box["height"], box)
        return element

    def assert_phone_layout(self):
        """The page lays out at the phone's width (not a zoomed-out desktop page)."""
        width = self.driver.execute_script("return document.documentElement.clientWidth;")
        assert width <= PHONE["width"], "the page lays out %d px wide on a %d px phone" % (
            width, PHONE["width"])
        scroll = self.driver.execute_script("return document.documentElement.scrollWidth;")
        assert scroll <= PHONE["width"], "the page scrolls sideways: %d px wide" % scroll

    @staticmethod
    def _describe(element):
        return "<%s name=%r class=%r text=%r>" % (
            element.tag_name, element.get_attribute("name"), element.get_attribute("class"),
            element.text[:40])

    @contextlib.contextmanager
    def download(self, timeout=TIMEOUT):
        """Collect the file the block downloads: yields a list that holds its path after."""
        os.makedirs(DOWNLOADS, exist_ok=True)
        # Chromium overwrites a file of the same name: what an earlier run left must go.
        for name in os.listdir(DOWNLOADS):
            os.remove(os.path.join(DOWNLOADS, name))
        before = set()
        self.driver.execute_cdp_cmd("Page.setDownloadBehavior", {
            "behavior": "allow", "downloadPath": DOWNLOADS})
        result = []
        yield result

        def done(driver):
            new = [name for name in set(os.listdir(DOWNLOADS)) - before
                   if not name.endswith(".crdownload")]
            return new and os.path.join(DOWNLOADS, new[0])
        result.append(self.until(done, timeout, "nothing was downloaded"))

    def screenshot(self, name, settle=True):
        """Save the screen as tests/artifacts/<name>.png (once no RPC is in flight)."""
        if settle:
            self.wait_idle()
        os.makedirs(ARTIFACTS, exist_ok=True)
        self.driver.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))
