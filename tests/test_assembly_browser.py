# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An operator (the demo user) scans a build to done, then splits a batch into units, from
the Traceability menu (headless Chromium)."""
from .stories import open_lot, open_menu, save


def make_list(admin, unique_name):
    """A composition list of the demo apples and sugar (jam bulk product): the demo's jars,
    which the setup smoke tests count, are left alone."""
    kg = admin.ref("product.product_uom_kgm")
    name = unique_name("Jam list")
    lines = [(admin.ref("lot_traceability_demo.product_apples_demo"), 8.0, "Fruit"),
             (admin.ref("lot_traceability_demo.product_sugar_demo"), 2.0, "Sweetener")]
    list_id = admin.execute("stock.composition", "create", {
        "name": name, "product_id": admin.ref("lot_traceability_demo.product_apple_jam_demo"),
        "product_qty": 10.0, "line_ids": [(0, 0, {
            "product_id": p, "product_qty": q, "role": r, "product_uom_id": kg})
            for p, q, r in lines]})
    return list_id, name


def test_scan_build_to_done(demo_desk, admin, unique_name):
    """Assembly Builds > Create, pick the list, scan the apple and sugar lots, Done."""
    _list_id, list_name = make_list(admin, unique_name)
    lot_name = unique_name("JAM")
    open_menu(demo_desk, "Assembly Builds")
    demo_desk.button("Create")
    demo_desk.choose("composition_id", list_name)
    quantity = demo_desk.field("product_qty")
    quantity.clear()
    quantity.send_keys("5")
    demo_desk.field("lot_name").send_keys(lot_name)
    demo_desk.wait(".o_form_view .o_field_one2many", "Fruit")
    for code in ("APL-0002", "SUG-0001"):
        demo_desk.scan_keys(code)
        demo_desk.wait(".o_form_view .o_field_one2many", code)
    demo_desk.screenshot("assembly_scan")
    save(demo_desk)
    demo_desk.button("Done")
    demo_desk.wait(".o_form_statusbar .o_statusbar_status .btn-primary", "Done")
    demo_desk.wait(".o_form_view", lot_name)
    demo_desk.screenshot("assembly_done")
    build = admin.execute("stock.assembly", "search_read", [("lot_id.name", "=", lot_name)],
                          ["state", "line_ids"])
    assert [b["state"] for b in build] == ["done"]
    # what the list planned for each component is kept with the build (it was read-only in
    # the form and not saved)
    planned = admin.execute("stock.assembly.line", "read", build[0]["line_ids"],
                            ["product_qty", "qty_done"])
    assert all(line["product_qty"] > 0 for line in planned), planned


def _build_batch(admin, unique_name, qty):
    """A fresh jam batch, built and done over JSON-RPC."""
    list_id, _name = make_list(admin, unique_name)
    lot_name = unique_name("JAM")
    build_id = admin.execute("stock.assembly", "create", {
        "composition_id": list_id, "product_qty": qty, "lot_name": lot_name,
        "product_id": admin.ref("lot_traceability_demo.product_apple_jam_demo")})
    for code in ("APL-0002", "SUG-0001"):
        admin.execute("stock.assembly", "action_scan", [build_id], code)
    admin.execute("stock.assembly", "action_done", [build_id])
    return admin.execute("stock.assembly", "read", [build_id], ["lot_id"])[0]["lot_id"]


def test_split_batch_from_lot_page(demo_desk, admin, unique_name):
    """Split Into Units on the batch's page: 4 kg into 4 units, preview, Split."""
    lot_id, lot_name = _build_batch(admin, unique_name, 4.0)
    open_lot(demo_desk, lot_name)
    with demo_desk.navigation():
        demo_desk.button("Split Into Units")
    demo_desk.wait(".o_form_view", "Units Tracked By")
    # A new wizard on a full page: in edit mode, with its Split button and no Save/Discard.
    assert not demo_desk.visible(".o_form_buttons_edit .o_form_button_save")
    count = demo_desk.field("unit_count")
    count.clear()
    count.send_keys("4")
    demo_desk.click(".o_form_view label", "Stays in the Batch")  # leave the field: recompute
    demo_desk.wait(".o_form_view", "%s-004" % lot_name)
    demo_desk.screenshot("split_preview")
    demo_desk.button("Split")
    demo_desk.wait(".o_list_view", "%s-004" % lot_name)
    units = admin.execute("stock.production.lot", "search_read",
                          [("parent_lot_id", "=", lot_id)], ["name"])
    assert sorted(u["name"] for u in units) == ["%s-%03d" % (lot_name, n) for n in range(1, 5)]
