# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError

from .lot_traceability_input import check_arguments


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.multi
    def _get_fsma_tlcs(self):
        """Per lot id of the done lines' foods on the Food Traceability List, the TLC and
        TLC source the delivery slip prints (21 CFR 1.1340(b))."""
        return self.mapped("move_line_ids.lot_id")._get_fsma_tlcs()

    @api.model
    def _prepare_transfer_vals(self, picking_type, partner, location=None, location_dest=None,
                               origin=False):
        # Receipt types have no default source and delivery types no default destination:
        # those come from the partner, as in Odoo's own picking onchange.
        location = (location or picking_type.default_location_src_id
                    or (partner or self.env["res.partner"]).property_stock_supplier
                    or self.env.ref("stock.stock_location_suppliers"))
        location_dest = (location_dest or picking_type.default_location_dest_id
                         or (partner or self.env["res.partner"]).property_stock_customer
                         or self.env.ref("stock.stock_location_customers"))
        return {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id if partner else False,
            "location_id": location.id,
            "location_dest_id": location_dest.id,
            "origin": origin,
        }

    @api.model
    def _create_done_transfer(self, picking_type, partner, lines, location=None,
                              location_dest=None, origin=False):
        """Create a transfer and process it whole: one move per product, one move line per lot.

        ``lines`` is a list of ``(product, quantity, lot)`` where ``lot`` is a
        ``stock.production.lot`` record or an empty recordset. Quantities are in the
        product's unit. Used by the test factories; user flows go through
        the wizards, which validate their input first.
        """
        picking = self.create(self._prepare_transfer_vals(
            picking_type, partner, location, location_dest, origin))
        moves = {}
        for product, quantity, _lot in lines:
            move = moves.get(product)
            if not move:
                move = moves[product] = self.env["stock.move"].create({
                    "name": product.display_name,
                    "picking_id": picking.id,
                    "picking_type_id": picking_type.id,
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": 0.0,
                    "location_id": picking.location_id.id,
                    "location_dest_id": picking.location_dest_id.id,
                })
            move.product_uom_qty += quantity
        picking.action_confirm()
        picking.move_lines._write_lot_lines([
            {"move": moves[product], "lot": lot, "qty": quantity}
            for product, quantity, lot in lines])
        picking.action_done()
        return picking

    @api.multi
    @check_arguments()
    def action_print_lot_labels(self):
        """Print the QR labels (A4 sheet) of every lot/serial on these transfers."""
        self._check_traceability_access()
        lots = self.mapped("move_line_ids.lot_id")
        if not lots:
            raise UserError(_("The transfers %(names)s have no lots or serial numbers.") % {
                "names": ", ".join(self.mapped("name"))})
        report = self.env.ref("lot_traceability.action_report_lot_label_sheet")
        return report._lot_report_action(lots)
