# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Recall notices delivered for real: an SMTP server (aiosmtpd) on 127.0.0.1 started by the
test, Odoo's ir.mail_server pointed at it, the mail queue processed by the live server; the
messages read back, the acknowledge link followed over HTTP without a login, and the recall's
figures checked over JSON-RPC. Then the manager's story in the browser: Notify Customers."""
import email
import re
import socket
import threading
import time
from email import policy

import pytest
import requests

from .stock_steps import transfer
from .test_recall_evidence import _open_recall

ACK_LINK = re.compile(r"https?://[^\s\"'<>]+(/recall/notice/[A-Za-z0-9_-]+)")


class _Inbox(object):
    """The aiosmtpd handler: every message the server accepts, parsed."""

    def __init__(self):
        self.messages, self.lock = [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def to(self, address, timeout=30):
        """The message sent to ``address``, waiting for the mail queue."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                for rcpt_tos, message in self.messages:
                    if address in rcpt_tos:
                        return message
            time.sleep(0.2)
        raise AssertionError("no message to %s" % address)


@pytest.fixture
def smtp_inbox(admin, unique_name):
    """A real SMTP server on a free port of 127.0.0.1, and the outgoing mail server of the
    live Odoo pointed at it (removed afterwards)."""
    from aiosmtpd.controller import Controller
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    server_id = admin.execute("ir.mail_server", "create", {
        "name": unique_name("Test SMTP"), "smtp_host": "127.0.0.1", "smtp_port": port,
        "smtp_encryption": "none", "sequence": 0})
    try:
        yield inbox
    finally:
        admin.execute("ir.mail_server", "unlink", [server_id])
        controller.stop()


@pytest.fixture
def shipped_recall(admin, unique_name):
    """Two customers, each with an e-mail, each sent a different lot of smoked salmon; an
    open (not yet notified) recall of both lots. Returns its id, the lots and the e-mails."""
    product_id = admin.execute("product.product", "create", {
        "name": unique_name("Smoked Salmon"), "type": "product", "tracking": "lot"})
    lots, emails = [], []
    for index in (1, 2):
        lot_id = admin.execute("stock.production.lot", "create", {
            "product_id": product_id, "name": unique_name("SAL%d" % index)})
        address = "%s@customers.example.com" % unique_name("buyer").lower()
        partner_id = admin.execute("res.partner", "create", {
            "name": unique_name("Fishmonger"), "customer": True, "is_company": True,
            "email": address})
        transfer(admin, "in", False, product_id, lot_id, 10)
        transfer(admin, "out", partner_id, product_id, lot_id, 4 + index)
        lots.append(admin.execute("stock.production.lot", "read", [lot_id], ["name"])[0]["name"])
        emails.append(address)
    recall_id = admin.execute("stock.lot.recall", "create", {
        "lot_ids": [(6, 0, admin.execute("stock.production.lot", "search",
                                         [("name", "in", lots)]))],
        "reason": unique_name("Listeria monocytogenes found in the smoking room")})
    admin.execute("stock.lot.recall", "action_open", [recall_id])
    return recall_id, lots, emails


def _html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def test_notices_reach_customers_and_acknowledge(admin, odoo_url, smtp_inbox, shipped_recall):
    """Notify Customers, the mail queue delivers to the SMTP server: one message per
    customer with that customer's lot and quantity, the reason and the acknowledge link; the
    link opens without a login, shows only that customer's lot, refuses a quantity above
    what they received (400, nothing recorded) and records the answer; the recall counts
    every customer notified and half of them acknowledged."""
    recall_id, lots, emails = shipped_recall
    reason = admin.execute("stock.lot.recall", "read", [recall_id], ["reason"])[0]["reason"]
    admin.execute("stock.lot.recall", "action_notify_customers", [recall_id])
    admin.execute("mail.mail", "process_email_queue")
    first, second = smtp_inbox.to(emails[0]), smtp_inbox.to(emails[1])
    body = _html_of(first)
    assert reason in body and lots[0] in body and "5 Unit(s)" in body
    assert lots[1] not in body
    assert lots[1] in _html_of(second) and "6 Unit(s)" in _html_of(second)
    assert first["Subject"].startswith("Product recall")
    path = ACK_LINK.search(body).group(1)

    customer = requests.Session()  # no login
    page = customer.get(odoo_url + path, timeout=60)
    assert page.status_code == 200
    assert lots[0] in page.text and lots[1] not in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    line = re.search(r'name="(qty_\d+)"', page.text).group(1)
    refused = customer.post(odoo_url + path, data={
        "csrf_token": csrf, line: "99", "action": "quarantined"}, timeout=60)
    assert refused.status_code == 400 and "not between 0 and 5" in refused.text
    done = customer.post(odoo_url + path, data={
        "csrf_token": csrf, line: "2", "action": "quarantined", "comment": "In the cold room"},
        timeout=60)
    assert done.status_code == 200 and "Thank you" in done.text
    assert customer.get(odoo_url + "/recall/notice/" + "x" * 43, timeout=60).status_code == 400

    recall = admin.execute("stock.lot.recall", "read", [recall_id], [
        "date_notified", "notice_count", "notice_sent_count", "notice_ack_count",
        "notice_ack_percent"])[0]
    assert recall["date_notified"]
    assert (recall["notice_count"], recall["notice_sent_count"], recall["notice_ack_count"],
            recall["notice_ack_percent"]) == (2, 2, 1, 50.0)
    notice = admin.execute("stock.lot.recall.notice", "search_read", [
        ("recall_id", "=", recall_id), ("email", "=", emails[0])],
        ["state", "ack_action", "ack_comment", "qty_held_display"])[0]
    assert (notice["state"], notice["ack_action"], notice["ack_comment"]) == (
        "sent", "quarantined", "In the cold room")
    assert notice["qty_held_display"].startswith("2")

    # once the recall is closed, the page says so, shows no form and records nothing
    admin.execute("stock.lot.recall", "action_close", [recall_id])
    closed = customer.get(odoo_url + path, timeout=60)
    assert closed.status_code == 200 and "This recall is closed" in closed.text
    assert "<form" not in closed.text
    late = customer.post(odoo_url + path, data={
        "csrf_token": csrf, line: "0", "action": "destroyed"}, timeout=60)
    assert late.status_code == 400 and "This recall is closed" in late.text
    assert admin.execute("stock.lot.recall.notice", "read", [notice["id"]],
                         ["ack_action"])[0]["ack_action"] == "quarantined"


def test_notify_customers_in_the_browser(admin_desk, admin, smtp_inbox, shipped_recall):
    """The manager opens the recall from the menus, clicks Notify Customers and confirms:
    the Notices tab lists one queued notice per customer; screenshots for the docs."""
    recall_id, lots, emails = shipped_recall
    name = admin.execute("stock.lot.recall", "read", [recall_id], ["name"])[0]["name"]
    client = admin_desk
    _open_recall(client, name)
    client.click(".o_form_statusbar button", "Notify Customers")
    client.click(".modal-footer .btn-primary", "Ok")
    client.wait(".o_notebook .nav-tabs a", "Notices")
    client.click(".o_notebook .nav-tabs a", "Notices")
    notices = client.wait(".o_notebook .tab-pane.active .o_list_view", emails[0])
    assert emails[1] in notices.text and "Queued" in notices.text
    client.driver.execute_script("arguments[0].scrollIntoView(false);", notices)
    client.screenshot("recall_notices")
    admin.execute("mail.mail", "process_email_queue")
    path = ACK_LINK.search(_html_of(smtp_inbox.to(emails[0]))).group(1)
    client.driver.get(client.url + path)
    client.wait("form .o_lt_notice_line", lots[0])
    client.screenshot("recall_notice_acknowledge")
    client.home()
