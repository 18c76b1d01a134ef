"""Page helper for browser tests on the Odoo 11 web client."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 30


class WebPage(object):

    def __init__(self, driver, url, db):
        self.driver = driver
        self.url = url.rstrip("/")
        self.db = db

    def wait(self, css, timeout=TIMEOUT, visible=True):
        condition = EC.visibility_of_element_located if visible else EC.presence_of_element_located
        return WebDriverWait(self.driver, timeout).until(condition((By.CSS_SELECTOR, css)))

    def wait_text(self, css, text, timeout=TIMEOUT):
        WebDriverWait(self.driver, timeout).until(
            EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def click(self, css, timeout=TIMEOUT):
        element = WebDriverWait(self.driver, timeout).until(
            EC.element_to_be_clickable((By.CSS_SELECTOR, css)))
        element.click()
        return element

    def click_text(self, css, text, timeout=TIMEOUT):
        """Click the first visible element matching css whose text contains text."""
        def find(driver):
            for element in driver.find_elements(By.CSS_SELECTOR, css):
                if element.is_displayed() and text in element.text:
                    return element
            return False
        element = WebDriverWait(self.driver, timeout).until(find)
        element.click()
        return element

    def wait_idle(self, timeout=TIMEOUT):
        """Wait until the web client has no RPC in flight (its loading indicator is hidden)."""
        WebDriverWait(self.driver, timeout).until(lambda d: d.execute_script(
            "var el = document.querySelector('.o_loading');"
            "return !el || el.style.display === 'none' || el.offsetParent === null;"))

    def login(self, login="admin", password="admin"):
        self.driver.get("%s/web/login?db=%s" % (self.url, self.db))
        self.wait("input[name=login]").send_keys(login)
        self.driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
        self.driver.find_element(By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
        self.wait("#oe_main_menu_navbar", timeout=60)
        return self

    def open(self, path):
        # From /web, going to /web#... only changes the hash: a web client still starting may
        # ignore it and land on its default app. A blank page first forces a full load.
        self.driver.get("about:blank")
        self.driver.get(self.url + path)
        self.wait(".o_web_client", timeout=60, visible=False)
        self.wait_idle()

    def logout(self):
        self.driver.get(self.url + "/web/session/logout")
