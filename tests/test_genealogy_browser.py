"""A quality manager reads a lot's traceability page, then runs a recall on the demo chain."""
import os

from .conftest import ARTIFACTS


def _lot_id(admin, name):
    return admin.execute("stock.production.lot", "search", [("name", "=", name)])[0]


def test_lot_page_folds_in_browser(web, admin):
    """APL-0005's page shows both compote batches; folding a tree needs no server call."""
    lot_id = _lot_id(admin, "APL-0005")
    web.login("admin", "admin")
    action = admin.ref("stock.action_production_lot_form")
    web.open("/web#model=stock.production.lot&id=%d&view_type=form&action=%d" % (lot_id, action))
    web.wait_text(".o_lot_trace_down", "CMP-0001")
    page = web.wait(".o_lot_trace_page")
    assert "CMP-0002" in page.text
    assert "Valley Orchards" in page.text, "the apples' supplier"
    os.makedirs(ARTIFACTS, exist_ok=True)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "genealogy_lot_page.png"))
    # Fold the downstream tree: the browser hides the batches at once.
    web.click(".o_lot_trace_down > details > summary")
    assert not web.driver.execute_script(
        "return document.querySelector('.o_lot_trace_down > details').open")
    web.wait_idle()
    assert "CMP-0001" not in web.wait(".o_lot_trace_down").text


def test_run_recall_on_demo_chain(web, admin, unique_name):
    """A draft mock recall on APL-0005 is opened from its form: scope, customers, drill."""
    reason = unique_name("Browser drill")
    recall_id = admin.execute("stock.lot.recall", "create", {
        "lot_ids": [(6, 0, [_lot_id(admin, "APL-0005")])], "is_mock": True, "reason": reason})
    web.login("admin", "admin")
    action = admin.ref("lot_traceability.stock_lot_recall_action")
    web.open("/web#model=stock.lot.recall&id=%d&view_type=form&action=%d" % (recall_id, action))
    web.click_text(".o_form_statusbar button", "Open Recall")
    web.wait_idle()
    web.wait_text(".o_statusbar_status .btn-primary", "In progress")
    web.wait_text(".o_form_view .o_notebook", "Corner Deli Co.")  # the call list comes first
    web.click_text(".o_notebook .nav-tabs a", "Affected Lots")
    web.wait_text(".o_form_view .o_notebook", "CMP-0001")
    web.click_text(".o_notebook .nav-tabs a", "Customers")
    os.makedirs(ARTIFACTS, exist_ok=True)
    web.driver.save_screenshot(os.path.join(ARTIFACTS, "genealogy_recall.png"))
    recall = admin.execute("stock.lot.recall", "read", [recall_id],
                           ["state", "affected_lot_count", "customer_count",
                            "drill_within_target"])[0]
    assert recall["state"] == "in_progress"
    assert recall["affected_lot_count"] == 3, "APL-0005 and both compote batches"
    assert recall["customer_count"] == 2
    assert recall["drill_within_target"]
