# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stock made over JSON-RPC, as an integrator's script makes it, for the system tests."""


def transfer(client, kind, partner_id, product_id, lot_id, qty, origin=False, context=None):
    """A done receipt (kind "in") or delivery ("out") of ``qty`` of the lot, in the product's
    unit, through Odoo's own transfer: returns its id. ``context``: the context the caller
    sends with the last call (Validate)."""
    stock = client.ref("stock.stock_location_stock")
    other = client.ref("stock.stock_location_suppliers" if kind == "in"
                       else "stock.stock_location_customers")
    source, dest = (other, stock) if kind == "in" else (stock, other)
    uom_id = client.execute("product.product", "read", [product_id], ["uom_id"])[0]["uom_id"][0]
    picking_id = client.execute("stock.picking", "create", {
        "picking_type_id": client.ref("stock.picking_type_%s" % kind), "partner_id": partner_id,
        "location_id": source, "location_dest_id": dest, "origin": origin,
        "move_lines": [(0, 0, {"name": "system test", "product_id": product_id,
                               "product_uom": uom_id, "product_uom_qty": qty,
                               "location_id": source, "location_dest_id": dest})]})
    client.execute("stock.picking", "action_confirm", [picking_id])
    picking = client.execute("stock.picking", "read", [picking_id],
                             ["move_lines", "move_line_ids"])[0]
    if picking["move_line_ids"]:
        client.execute("stock.move.line", "unlink", picking["move_line_ids"])
    client.execute("stock.move.line", "create", {
        "move_id": picking["move_lines"][0], "picking_id": picking_id,
        "product_id": product_id, "product_uom_id": uom_id, "lot_id": lot_id,
        "qty_done": qty, "location_id": source, "location_dest_id": dest})
    client.execute("stock.picking", "action_done", [picking_id],
                   **({"context": context} if context else {}))
    return picking_id
