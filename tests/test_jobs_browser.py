# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo user applies 5,000 serial numbers: the work goes to the background, the job's
progress bar moves, the user leaves and comes back, and finds the serials and the
notification (the live server's queue_job runner does the work)."""
import time

from .stories import open_menu, open_row


def _progress(desk):
    """The progress bar's text, read in one script: the form re-renders the bar while the
    job runs, so an element found first and read after may be gone."""
    return desk.driver.execute_script(
        "var bar = document.querySelector("
        "'.o_form_view .o_lot_job_progress .o_progressbar_value');"
        "return bar && bar.offsetParent ? bar.textContent.trim() : null;")


def test_large_apply_in_background(demo_desk, admin, unique_name):
    product = unique_name("Data Logger")
    admin.execute("product.product", "create", {
        "name": product, "type": "product", "tracking": "serial"})
    prefix = unique_name("BG")
    open_menu(demo_desk, "Bulk Serial Entry")
    demo_desk.choose("product_id", product)
    demo_desk.choose("partner_id", "ToolPro")
    for name, value in (("range_prefix", prefix + "-"), ("range_count", "5000"),
                        ("range_padding", "4")):
        field = demo_desk.field(name)
        field.clear()
        field.send_keys(value)
    demo_desk.button("Add Range")
    demo_desk.wait('.o_form_view .o_field_widget[name="serial_count"]', "5,000")
    with demo_desk.navigation():
        demo_desk.click('.o_form_view button[name="action_apply"]')

    # The job's form: its progress bar reloads by itself while the job waits or runs.
    demo_desk.wait(".o_form_view .o_lot_job_progress")
    seen = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and "100%" not in seen[-1:]:
        value = _progress(demo_desk)
        if value and value not in seen:
            seen.append(value)
        if len(seen) >= 2:
            break
        time.sleep(0.2)
    demo_desk.screenshot("background_job_progress", settle=False)
    assert len(seen) >= 2, "the progress bar did not move: %s" % seen

    # Leave for another screen, then come back through Background Jobs.
    open_menu(demo_desk, "Assets")
    open_menu(demo_desk, "Background Jobs")
    open_row(demo_desk, "Bulk Serial Entry: 5000 serial numbers of %s" % product)
    demo_desk.wait(".o_form_view .o_statusbar_status .btn-primary", "Done", timeout=900)
    assert _progress(demo_desk) == "100%"
    demo_desk.wait(".o_notification", "Open the result", timeout=60)
    demo_desk.screenshot("background_job_done")
    with demo_desk.navigation():
        demo_desk.button("Open Result")
    demo_desk.wait(".o_list_view", prefix + "-0001")
    assert admin.execute("stock.production.lot", "search_count",
                         [("name", "=like", prefix + "-%")]) == 5000
