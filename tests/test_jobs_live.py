# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Background jobs through queue_job's real runner, on the live end-to-end server.

The server runs with ``server_wide_modules = base,web,queue_job`` (scripts/setup.sh), so the
runner inside it picks every job up over HTTP (``/queue_job/runjob``), two at a time
(``channels = root:2``): two requests of the server work at once, each in its own
transaction, exactly as two worker processes would; every lock is PostgreSQL's.
"""
import time

import pytest

THRESHOLD = "lot_traceability.job_threshold.%s"


@pytest.fixture
def low_thresholds(admin):
    """Jobs from 50 items on, for this test only (the other system tests run at once)."""
    params = {name: admin.execute("ir.config_parameter", "get_param", THRESHOLD % name)
              for name in ("lot_split", "serial_apply")}
    for name in params:
        admin.execute("ir.config_parameter", "set_param", THRESHOLD % name, "50")
    yield
    for name, value in params.items():
        admin.execute("ir.config_parameter", "set_param", THRESHOLD % name, value or "")


def _batch(admin, unique_name, qty):
    """A new lot-tracked product with ``qty`` units of one batch in WH/Stock."""
    product = admin.execute("product.product", "create", {
        "name": unique_name("Job Sauce"), "type": "product", "tracking": "lot"})
    lot = admin.execute("stock.production.lot", "create", {
        "name": unique_name("JOBB"), "product_id": product})
    stock = admin.ref("stock.stock_location_stock")
    inventory = admin.execute("stock.inventory", "create", {
        "name": unique_name("Job batch"), "filter": "partial", "location_id": stock})
    admin.execute("stock.inventory", "action_start", [inventory])
    admin.execute("stock.inventory", "write", [inventory], {"line_ids": [(0, 0, {
        "product_id": product, "location_id": stock, "prod_lot_id": lot,
        "product_qty": qty})]})
    admin.execute("stock.inventory", "action_done", [inventory])
    return product, lot, stock


def _split_wizard(admin, lot, stock, count):
    context = {"active_model": "stock.production.lot", "active_id": lot}
    return admin.execute("stock.lot.split", "create", {
        "location_id": stock, "unit_count": count}, context=context)


def _wait_ended(admin, job_ids, timeout=300):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        jobs = admin.execute("lot.traceability.job", "read", job_ids,
                             ["status", "progress_done", "size", "failure"])
        seen.append([job["progress_done"] for job in jobs])
        if all(job["status"] in ("done", "failed") for job in jobs):
            return jobs, seen
        time.sleep(0.25)
    pytest.fail("jobs %s did not end in %d s: %s" % (job_ids, timeout, seen[-1]))


def test_two_jobs_split_the_same_batch_one_wins(admin, unique_name, low_thresholds):
    """Two users split the same batch into 400 units each, both as background jobs: one splits
    it, the other is refused and writes nothing. The runner starts them together, but which
    one reaches the batch first, and whether the other then meets the lock ("in use") or the
    emptied batch ("more than the batch has"), is the machine's timing: both are the refusal."""
    product, lot, stock = _batch(admin, unique_name, 400.0)
    wizards = [_split_wizard(admin, lot, stock, 400) for _i in range(2)]
    actions = [admin.execute("stock.lot.split", "action_apply", [wizard])
               for wizard in wizards]
    assert [action["res_model"] for action in actions] == ["lot.traceability.job"] * 2
    jobs, _seen = _wait_ended(admin, [action["res_id"] for action in actions])
    states = sorted(job["status"] for job in jobs)
    assert states == ["done", "failed"], jobs
    failed = next(job for job in jobs if job["status"] == "failed")
    assert ("is in use by someone else" in failed["failure"]
            or "More than the batch has" in failed["failure"]), failed
    units = admin.execute("stock.production.lot", "search_count",
                          [("parent_lot_id", "=", lot)])
    assert units == 400
    quants = admin.execute("stock.quant", "search_read", [
        ("product_id", "=", product), ("location_id", "=", stock)], ["lot_id", "quantity"])
    assert sum(quant["quantity"] for quant in quants) == 400.0


def test_serial_apply_job_progress_and_result(admin, unique_name, low_thresholds):
    """600 serials: the job's progress is readable while it runs, then the result."""
    product = admin.execute("product.product", "create", {
        "name": unique_name("Job Logger"), "type": "product", "tracking": "serial"})
    prefix = unique_name("JS")
    vendor = admin.execute("res.partner", "create", {
        "name": unique_name("Job Vendor"), "supplier": True, "is_company": True})
    wizard = admin.execute("stock.serial.bulk.entry", "create", {
        "product_id": product, "partner_id": vendor,
        "serials_text": "\n".join("%s-%05d" % (prefix, n) for n in range(600))})
    action = admin.execute("stock.serial.bulk.entry", "action_apply", [wizard])
    assert action["res_model"] == "lot.traceability.job"
    jobs, seen = _wait_ended(admin, [action["res_id"]])
    assert jobs[0]["status"] == "done", jobs
    assert seen[-1] == [600]
    progress = admin.execute("lot.traceability.job.progress", "search_read",
                             [("job_id", "=", action["res_id"])], ["done", "total"])
    assert (progress[0]["done"], progress[0]["total"]) == (600, 600)
    result = admin.execute("lot.traceability.job", "action_open_result", [action["res_id"]])
    assert admin.execute(result["res_model"], "search_count", result["domain"]) == 600


def test_a_caller_cannot_forge_running_in_the_request(admin, unique_name, low_thresholds):
    """The context flag lot_traceability_sync runs the work in the request, for tests and
    server-side scripts; sent over JSON-RPC it is ignored: a split over the threshold is
    still a background job."""
    _product, lot, stock = _batch(admin, unique_name, 60.0)
    wizard = _split_wizard(admin, lot, stock, 60)
    action = admin.execute("stock.lot.split", "action_apply", [wizard],
                           context={"lot_traceability_sync": True})
    assert action["res_model"] == "lot.traceability.job"
    jobs, _seen = _wait_ended(admin, [action["res_id"]])
    assert jobs[0]["status"] == "done", jobs
