# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The phone's camera on Traceability > Scan: Chromium's fake camera plays a video made from the
QR code of a label the addon renders, the camera widget decodes it and the lot is found through
the same matcher as a hardware scanner."""
import base64
import io
import re
import shutil
from urllib.parse import urlsplit

import pytest
from PIL import Image
from selenium.webdriver.common.by import By

from .browser import WebClient
from .conftest import _chrome_options
from .stories import open_menu
from .test_lot_labels_live import make_lot, random_gtin13

FRAME = (640, 480)


def label_qr(admin, lot_id):
    """The QR code PNG of the lot's label, as the label report renders it."""
    html = admin.get("/report/html/lot_traceability.report_lot_label_small/%d" % lot_id).text
    data = re.search(r'class="o_lot_label_qr"[^>]*src="data:image/png;base64,([^"]+)"', html) \
        or re.search(r'src="data:image/png;base64,([^"]+)"[^>]*class="o_lot_label_qr"', html)
    return Image.open(io.BytesIO(base64.b64decode(data.group(1))))


def write_y4m(image, path, frames=20):
    """A 4:2:0 YUV4MPEG2 video of ``image`` centred on a white frame (what Chromium's
    --use-file-for-fake-video-capture plays, looping)."""
    frame = Image.new("RGB", FRAME, "white")
    side = min(FRAME) - 80
    qr = image.convert("RGB").resize((side, side), Image.NEAREST)
    frame.paste(qr, ((FRAME[0] - side) // 2, (FRAME[1] - side) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (FRAME[0] // 2, FRAME[1] // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n" % FRAME)
        for _frame in range(frames):
            video.write(b"FRAME\n" + planes)


@pytest.fixture
def chromium(odoo_url, odoo_db, request):
    """start(args, url=odoo_url, phone=True): the demo user logged in on a Chromium of its own
    (a 390x844 phone by default) with extra command-line ``args``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    def start(args, url=odoo_url, phone=True):
        options = _chrome_options(phone)
        for arg in args:
            options.add_argument(arg)
        service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(120)
        client = WebClient(driver, url, odoo_db, phone=phone)

        def finish():
            report = getattr(request.node, "rep_call", None)
            if report is None or report.failed:
                client.screenshot("failed-" + request.node.name, settle=False)
            driver.quit()
        request.addfinalizer(finish)
        return client.login("demo", "demo")
    return start


def test_camera_reads_a_label_and_finds_the_lot(admin, unique_name, chromium, tmp_path):
    _product_id, lot_id = make_lot(admin, unique_name, barcode=random_gtin13())
    lot = admin.execute("stock.production.lot", "read", [lot_id], ["name"])[0]
    video = str(tmp_path / "label.y4m")
    write_y4m(label_qr(admin, lot_id), video)
    phone = chromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                      "--use-file-for-fake-video-capture=%s" % video])
    open_menu(phone, "Scan")
    button = phone.wait(".o_lot_camera .o_lot_camera_start")
    assert button.size["width"] <= 390 and button.size["height"] >= 40
    button.click()
    phone.wait(".o_lot_scanner_message", lot["name"], timeout=90)
    assert "Lot found" in phone.driver.find_element(By.CSS_SELECTOR,
                                                    ".o_lot_scanner_message").text
    phone.screenshot("feature-camera-scan")
    # The form was rendered again by the scan: the new camera widget kept the camera running.
    phone.wait(".o_lot_camera video.o_lot_camera_video")
    phone.click(".o_lot_camera .o_lot_camera_stop")
    phone.wait(".o_lot_camera .o_lot_camera_start")
    assert not phone.driver.find_elements(By.CSS_SELECTOR, ".o_lot_camera video")
    phone.check()


def test_insecure_page_shows_a_message_instead_of_the_button(chromium, odoo_url):
    """Plain HTTP on a host name other than localhost is not a secure page: the browser gives
    no camera, and the widget says how to get one instead of offering the button."""
    port = urlsplit(odoo_url).port
    phone = chromium(["--host-resolver-rules=MAP scan.example.test 127.0.0.1"],
                     url="http://scan.example.test:%d" % port)
    open_menu(phone, "Scan")
    assert phone.driver.execute_script("return window.isSecureContext") is False
    message = phone.wait(".o_lot_camera .o_lot_camera_insecure")
    assert "HTTPS" in message.text
    assert not phone.driver.find_elements(By.CSS_SELECTOR, ".o_lot_camera .o_lot_camera_start")
    phone.check()
