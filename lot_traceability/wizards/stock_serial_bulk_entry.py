# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bulk serial entry: the shared data once, then paste, scan or generate the serial numbers.

The wizard only collects and previews; ``stock.serial.intake`` checks again and writes.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.lot_traceability_input import OfType, Text, check_arguments
from ..tools.serials import SerialError, generate_range, parse_serials

#: How many serials each preview list names.
PREVIEW_NAMED = 50
EXPIRY_FIELDS = ("life_date", "use_date", "removal_date", "alert_date")


class StockSerialBulkEntry(models.TransientModel):
    _name = "stock.serial.bulk.entry"
    _inherit = ["barcodes.barcode_events_mixin", "lot.traceability.input"]
    _description = "Bulk serial number entry"
    _rec_name = "product_id"

    move_id = fields.Many2one(
        "stock.move", string="Receipt Line", readonly=True,
        help="Set when opened from a receipt's operation line: Apply fills that line's serials.")
    product_id = fields.Many2one(
        "product.product", string="Product", required=True,
        domain=[("tracking", "=", "serial"), ("type", "=", "product")])
    location_dest_id = fields.Many2one(
        "stock.location", string="Destination", required=True,
        domain=[("usage", "=", "internal")],
        default=lambda self: self.env.ref("stock.stock_location_stock", False))
    partner_id = fields.Many2one(
        "res.partner", string="Vendor", domain=[("supplier", "=", True)],
        help="With a vendor, Apply makes a receipt from it; without one, an inventory "
             "adjustment (which records no vendor).")
    origin = fields.Char(string="Receipt Reference",
                         help="The vendor's delivery or order reference, kept on the receipt.")
    life_date = fields.Datetime(string="End of Life Date")
    use_date = fields.Datetime(string="Best before Date")
    removal_date = fields.Datetime()
    alert_date = fields.Datetime()
    warranty_date = fields.Date(string="Warranty End Date")
    serials_text = fields.Text(
        string="Serial Numbers",
        help="One per line, or separated by commas, semicolons or tabs. Spaces around each "
             "are trimmed, case is kept.")
    scan_code = fields.Char(string="Scan", help="Each scan adds one serial number.")
    range_prefix = fields.Char(string="Prefix", lot_code="affix")
    range_first = fields.Integer(string="First Number", default=1)
    range_count = fields.Integer(string="How Many", default=1)
    range_padding = fields.Integer(string="Digits", help="Zero padding, e.g. 6 gives 000001.")
    range_suffix = fields.Char(string="Suffix", lot_code="affix")
    operation = fields.Char(compute="_compute_operation")
    serial_count = fields.Integer(string="Count", compute="_compute_preview")
    input_error = fields.Text(compute="_compute_preview")
    duplicate_text = fields.Text(string="Duplicates", compute="_compute_preview")
    in_stock_text = fields.Text(string="Already in Stock", compute="_compute_preview")
    restock_text = fields.Text(string="Received Again", compute="_compute_preview")

    @api.model
    @check_arguments(field_names=OfType(list, tuple))
    def default_get(self, field_names):
        values = super(StockSerialBulkEntry, self).default_get(field_names)
        context = self.env.context
        if context.get("active_model") == "stock.move" and context.get("active_id"):
            move = self.env["stock.move"].browse(context["active_id"])
            values.update(move_id=move.id, product_id=move.product_id.id,
                          location_dest_id=move.location_dest_id.id,
                          partner_id=move.picking_id.partner_id.id,
                          origin=move.picking_id.origin)
            values.update(self._get_expiry_dates(move.product_id))
        return values

    @api.constrains("location_dest_id")
    def _check_location_dest(self):
        self._check_internal_location("location_dest_id")

    @api.model
    def _get_expiry_dates(self, product):
        dates = self.env["stock.production.lot"]._get_dates(product.id) if product else {}
        return {name: dates.get(name) or False for name in EXPIRY_FIELDS}

    @api.onchange("product_id")
    def _onchange_product_id(self):
        for name, value in self._get_expiry_dates(self.product_id).items():
            self[name] = value

    @api.onchange("scan_code")
    def _onchange_scan_code(self):
        if self.scan_code:
            self._append(self._scanned_serial(self.scan_code))
            self.scan_code = False

    @check_arguments(barcode=Text())
    def on_barcode_scanned(self, barcode):
        self._append(self._scanned_serial(barcode))

    def _scanned_serial(self, code):
        """The serial of a scanned code: its GS1 serial (AI 21) if it has one, else the code
        (without the scanner's symbology identifier)."""
        result = self.env["stock.lot.scan"]._match(code, self.product_id or None)
        parsed = result.get("gs1")
        return parsed.serial if parsed is not None and parsed.serial else result["data"]

    def _append(self, text):
        current = (self.serials_text or "").rstrip("\n")
        self.serials_text = (current + "\n" if current else "") + text

    @api.depends("partner_id", "move_id", "location_dest_id")
    def _compute_operation(self):
        for wizard in self:
            if wizard.move_id:
                wizard.operation = _("Fills the serial numbers of the line of %(picking)s; "
                                     "validate the receipt afterwards.") % {
                    "picking": wizard.move_id.picking_id.name}
            elif wizard.partner_id:
                wizard.operation = _("A receipt from %(vendor)s is made and validated.") % {
                    "vendor": wizard.partner_id.display_name}
            else:
                wizard.operation = _("No vendor: an inventory adjustment is made and validated; "
                                     "it records no vendor nor reference.")

    @api.depends("serials_text", "product_id")
    def _compute_preview(self):
        for wizard in self:
            wizard.update({"serial_count": 0, "input_error": False, "duplicate_text": False,
                           "in_stock_text": False, "restock_text": False})
            try:
                serials = parse_serials(wizard.serials_text)
            except SerialError as error:
                wizard.input_error = str(error)
                continue
            wizard.serial_count = len(serials)
            if not wizard.product_id or not serials:
                continue
            preview = self.env["stock.serial.intake"]._preview(wizard.product_id, serials)
            wizard.duplicate_text = self._preview_text(
                ["%s (x%d)" % dup for dup in preview["duplicates"]])
            wizard.in_stock_text = self._preview_text(
                ["%s: %s" % pair for pair in preview["in_stock"]])
            wizard.restock_text = self._preview_text(preview["restock"])

    @api.model
    def _preview_text(self, entries):
        if not entries:
            return False
        text = "\n".join(entries[:PREVIEW_NAMED])
        if len(entries) > PREVIEW_NAMED:
            text += "\n" + _("... and %(count)d more") % {"count": len(entries) - PREVIEW_NAMED}
        return text

    @api.multi
    @check_arguments()
    def action_generate_range(self):
        """Add prefix + number + suffix serials to the list, then show the wizard again."""
        self.ensure_one()
        self._check_traceability_access()
        try:
            serials = generate_range(self.range_prefix or "", self.range_first,
                                     self.range_count, self.range_padding,
                                     self.range_suffix or "")
        except SerialError as error:
            raise UserError(_("Cannot generate the range: %(error)s") % {"error": str(error)})
        self._append("\n".join(serials))
        # The wizard is a full page (pasting thousands of serials): False reloads it.
        return False

    def _get_serials(self):
        try:
            return parse_serials(self.serials_text)
        except SerialError as error:
            raise UserError(_("Invalid serial numbers: %(error)s") % {"error": str(error)})

    def _prepare_lot_vals(self):
        """Values every serial's lot gets (a hook: attribute values are added here)."""
        vals = {name: self[name] for name in EXPIRY_FIELDS if self[name]}
        if self.warranty_date:
            vals["warranty_date"] = self.warranty_date
        return vals

    @api.multi
    @check_arguments()
    def action_apply(self):
        """Put one unit of each serial into stock (or on the receipt line); all or nothing.
        From the ``serial_apply`` threshold on, in a background job."""
        self.ensure_one()
        self._check_traceability_access(
            records=self.location_dest_id | self.move_id.location_dest_id)
        serials = self._get_serials()
        return self.env["lot.traceability.job"]._start(
            self, "_apply", "serial_apply", len(serials),
            _("Bulk Serial Entry: %(count)d serial numbers of %(product)s") % {
                "count": len(serials), "product": self.product_id.display_name},
            check="_check_apply")

    @api.multi
    def _check_apply(self):
        """What Apply refuses, checked in the request before a background job is made."""
        self.env["stock.serial.intake"]._checked_preview(self.product_id, self._get_serials())

    @api.multi
    def _apply(self):
        self.ensure_one()
        serials = self._get_serials()
        intake = self.env["stock.serial.intake"]
        if self.move_id:
            picking = intake._fill_move(self.move_id, serials, self._prepare_lot_vals()).picking_id
            return {"type": "ir.actions.act_window", "res_model": picking._name,
                    "res_id": picking.id, "view_mode": "form", "views": [(False, "form")],
                    "target": "current", "name": picking.name}
        if self.partner_id:
            picking = intake._receive(self.product_id, serials, self.location_dest_id,
                                      self.partner_id, self._prepare_lot_vals(), self.origin)
            return self._action_move_lines(picking.move_lines)
        inventory = intake._adjust(self.product_id, serials, self.location_dest_id,
                                   self._prepare_lot_vals())
        return self._action_move_lines(inventory.move_ids)

    def _action_move_lines(self, moves):
        """The move lines just done, as a list: a receipt of 10,000 lines stays browsable."""
        tree = self.env.ref("lot_traceability.stock_move_line_serial_view_tree")
        return self._get_window_action(
            "stock.stock_move_line_action", domain=[("move_id", "in", moves.ids)], context={},
            name=_("Serial numbers received"), view_mode="tree,form",
            views=[(tree.id, "tree"), (False, "form")])
