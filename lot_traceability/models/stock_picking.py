# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from .lot_traceability_input import check_arguments, named_first


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
                "names": named_first(self.mapped("name"))})
        report = self.env.ref("lot_traceability.action_report_lot_label_sheet")
        return report._lot_report_action(lots)

    # --- EPCIS: the document of a delivery, for its customer --------------------------------
    @api.multi
    @check_arguments()
    def action_attach_epcis(self):
        """Attach the GS1 EPCIS 2.0 document of this done delivery to its chatter (see
        ``stock.lot.epcis.export_picking_attachment``)."""
        self.ensure_one()
        self._attach_epcis()
        return True

    @api.multi
    @check_arguments()
    def action_send_epcis(self):
        """E-mail the delivery slip with the delivery's EPCIS document (the last one
        attached, else a new one): Odoo's e-mail composer on the delivery, to its partner."""
        self.ensure_one()
        document = self._get_epcis_attachment() or self._attach_epcis()
        slip = self._render_delivery_slip()
        partner = self.partner_id
        return {
            "type": "ir.actions.act_window", "res_model": "mail.compose.message",
            "name": _("Send Slip and EPCIS"),
            "view_mode": "form", "views": [(False, "form")], "target": "new",
            "context": {
                "default_model": self._name, "default_res_id": self.id,
                "default_composition_mode": "comment",
                "default_partner_ids": partner.ids,
                "default_body": _("<p>Dear %(partner)s,</p><p>Please find the delivery slip "
                                  "of %(name)s and its traceability events (GS1 EPCIS 2.0) "
                                  "attached.</p>") % {
                    "partner": html_escape(partner.name or ""), "name": html_escape(self.name)},
                "default_attachment_ids": [(6, 0, [slip.id, document.id])],
            },
        }

    @api.multi
    def _attach_epcis(self):
        result = self.env["stock.lot.epcis"].export_picking_attachment(self)
        document = self.env["ir.attachment"].browse(result["attachment_id"])
        self.message_post(
            body=_("GS1 EPCIS 2.0 document of this delivery attached. Events: %(count)s.") % {
                "count": result["event_count"]},
            attachment_ids=document.ids, subtype="mail.mt_note")
        return document

    @api.multi
    def _get_epcis_attachment(self):
        return self.env["ir.attachment"].search([
            ("res_model", "=", self._name), ("res_id", "=", self.id),
            ("mimetype", "=", "application/ld+json")], order="id desc", limit=1)

    @api.multi
    def _render_delivery_slip(self):
        """The delivery slip (Odoo's report) as an attachment of the delivery: whoever may
        read the delivery may read its slip, and no one else (an attachment of no record,
        as a composer's draft is, is open to every employee of every company)."""
        report = self.env.ref("stock.action_report_delivery")
        content, kind = report.render_qweb_pdf(self.ids)
        name = "%s.%s" % (self.name.replace("/", "-"), kind)
        return self.env["ir.attachment"].create({
            "name": name, "datas_fname": name, "datas": base64.b64encode(content),
            "res_model": self._name, "res_id": self.id, "type": "binary"})
