# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.lot_traceability_input import OfType, Text, check_arguments, named_first


class StockLotReceive(models.TransientModel):
    _name = "stock.lot.receive"
    _inherit = ["barcodes.barcode_events_mixin", "lot.traceability.input",
                "lot.traceability.system.write"]
    _description = "Receive Lots"
    # what an Apply received: set by the Apply only (a caller who cleared it could receive
    # the same rows twice)
    _system_fields = ("received_picking_id", "received_lot_ids")

    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", domain=[("picking_type_code", "=", "incoming")])
    product_id = fields.Many2one("product.product", string="Product",
                                 domain=[("tracking", "=", "lot")])
    partner_id = fields.Many2one("res.partner", string="Vendor",
                                 domain=[("supplier", "=", True)])
    warehouse_id = fields.Many2one(
        "stock.warehouse", default=lambda self: self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.user.company_id.id)], limit=1))
    picking_type_id = fields.Many2one("stock.picking.type", string="Operation Type",
                                      compute="_compute_picking_type_id")
    line_ids = fields.One2many("stock.lot.receive.line", "wizard_id", string="Lots")
    scan = fields.Char(help="Scan or type a lot code, a product barcode or a GS1 code here.")
    scan_message = fields.Char(readonly=True)
    validate_now = fields.Boolean(
        help="Validate the transfer right after receiving the lots; what is not received "
             "goes to a backorder.")
    # What Apply received: a wizard receives once (a second Apply, a double click or an RPC
    # call again, is refused before anything is written).
    received_picking_id = fields.Many2one("stock.picking", string="Received On", readonly=True,
                                          copy=False)
    received_lot_ids = fields.Many2many("stock.production.lot", string="Received Lots",
                                        readonly=True, copy=False)

    @api.depends("picking_id", "warehouse_id")
    def _compute_picking_type_id(self):
        for wizard in self:
            wizard.picking_type_id = wizard.picking_id.picking_type_id or \
                wizard.warehouse_id.in_type_id

    @api.model
    @check_arguments(fields_list=OfType(list, tuple))
    def default_get(self, fields_list):
        res = super(StockLotReceive, self).default_get(fields_list)
        context = self.env.context
        model, active_id = context.get("active_model"), context.get("active_id")
        if model == "stock.picking" and active_id:
            res["picking_id"] = active_id
        elif model == "stock.move" and active_id:
            move = self.env["stock.move"].browse(active_id)
            res["picking_id"] = move.picking_id.id
            res["line_ids"] = [(0, 0, self.env["stock.lot.receive.line"]._prepare_line_vals(
                move.product_id, max(move.product_uom_qty - move.quantity_done, 0.0),
                move.product_uom))]
        elif model in ("product.product", "product.template") and active_id:
            product = self.env[model].browse(active_id)
            product = product.product_variant_id if model == "product.template" else product
            res["product_id"] = product.id
        return res

    @api.multi
    def _allowed_products(self):
        self.ensure_one()
        if self.picking_id:
            return self.picking_id.move_lines.mapped("product_id")
        return self.product_id

    # --- scanning ----------------------------------------------------------------------
    @api.multi
    def _add_scan(self, code):
        """Fill a row from a scanned code (GS1, product barcode or a known lot code)."""
        products = self._allowed_products() or None
        result = self.env["stock.lot.scan"]._match(code, products)
        if not result.found:
            self.scan_message = result["message"]
            return False
        vals = self.env["stock.lot.receive.line"]._prepare_scan_vals(result)
        if not vals.get("product_id") and self.product_id:
            vals["product_id"] = self.product_id.id
        row = self._get_empty_row(vals.get("product_id"))
        if row:
            if not (result["gs1"] and result["gs1"].quantity):
                # the row keeps the quantity (and unit) it expects
                vals.pop("quantity", None)
                vals.pop("uom_id", None)
            if row.value_ids:
                vals.pop("value_ids", None)
            row.update(vals)
            self.scan_message = _("Scanned %(code)s: row filled.") % {"code": code}
        else:
            self.line_ids |= self.line_ids.new(vals)
            self.scan_message = _("Scanned %(code)s: row added.") % {"code": code}
        return True

    @api.multi
    def _get_empty_row(self, product_id):
        """The first row of the product still without a lot code: a scan fills it."""
        return self.line_ids.filtered(lambda line: line.product_id.id == product_id
                                      and not line.lot_name and not line.lot_id)[:1]

    @api.onchange("scan")
    def _onchange_scan(self):
        if self.scan:
            self._add_scan(self.scan)
            self.scan = False

    @check_arguments(barcode=Text())
    def on_barcode_scanned(self, barcode):
        self._add_scan(barcode)

    # --- apply -------------------------------------------------------------------------
    @api.multi
    def _prepare_rows(self):
        return [line._prepare_row() for line in self.line_ids]

    @api.multi
    def _check_header(self):
        if self.picking_id:
            return
        errors = [] if self.partner_id else [_("Choose the vendor the lots come from.")]
        errors += [_("Row %(row)s: %(product)s is not the product being received; several "
                     "products go through Receive Lots on a transfer.") % {
            "row": index, "product": line.product_id.display_name}
            for index, line in enumerate(self.line_ids, 1)
            if self.product_id and line.product_id != self.product_id]
        if errors:
            raise UserError("\n".join(errors))

    @api.multi
    def _check_not_received(self):
        """A wizard receives its rows once: a second Apply would receive them again."""
        if self.received_picking_id:
            raise UserError(_("These lots were already received: %(lots)s (%(picking)s). "
                              "Open Receive Lots again to receive more.") % {
                "lots": named_first(self.received_lot_ids.mapped("name")) or "-",
                "picking": self.received_picking_id.name})

    @api.multi
    def _record_received(self, picking, lines_before):
        """Remember the transfer and the lots received (lines not on it before)."""
        lines = self.env["stock.move.line"].search([
            ("picking_id", "=", picking.id), ("id", "not in", lines_before.ids),
            ("lot_id", "!=", False)])
        self._write_system({"received_picking_id": picking.id,
                            "received_lot_ids": [(6, 0, lines.mapped("lot_id").ids)]})

    @api.multi
    @check_arguments()
    def action_apply(self):
        """Receive the rows (all or nothing, once) and show the transfer: opened from the
        transfer, close and let its form reload (no second breadcrumb of the same name)."""
        self.ensure_one()
        self._check_traceability_access(records=self.picking_id)
        self._check_not_received()
        self._check_header()
        lines_before = self.picking_id.move_line_ids
        picking = self.env["stock.lot.receipt"].receive(
            self.picking_type_id, self._prepare_rows(), picking=self.picking_id,
            partner=self.partner_id, validate=self.validate_now)
        self._record_received(picking, lines_before)
        if self.env.context.get("active_model") in ("stock.picking", "stock.move"):
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": picking.id,
            "view_mode": "form",
            "target": "current",
        }
