# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Check Out / Check In: scan serials and the employee's badge, then Apply.

The barcode listener is an onchange: a scan fills the employee (a badge) or adds a serial
(the addon's one matcher, ``stock.lot.scan``), or says why not; it writes nothing. Apply hands
the work to ``stock.asset.custody`` (check_out / check_in), which checks everything again.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.lot_traceability.models.lot_traceability_input import Ids, Text, check_arguments


class StockAssetCheckout(models.TransientModel):
    _name = "stock.asset.checkout"
    _inherit = ["barcodes.barcode_events_mixin", "lot.traceability.input"]
    _description = "Check out or check in serialized assets"

    mode = fields.Selection([("out", "Check Out"), ("in", "Check In")], default="out",
                            required=True)
    code = fields.Char("Scan", help="Scan a serial number or an employee's badge (or type "
                                    "them), then press Tab.")
    message = fields.Char(readonly=True)
    employee_id = fields.Many2one("hr.employee", "Employee",
                                  help="Who takes the assets: pick them or scan their badge.")
    expected_return_date = fields.Date("Expected Return")
    location_id = fields.Many2one(
        "stock.location", "Return To", domain=[("usage", "=", "internal")],
        help="Where the assets go back to; empty: where each was taken from.")
    lot_ids = fields.Many2many("stock.production.lot", string="Serial Numbers",
                               domain=[("product_id.tracking", "=", "serial")])

    @api.model
    @check_arguments(lot_ids=Ids("stock.production.lot"))
    def get_action(self, lot_ids=None):
        """The screen, with these serials (checked out ones: a check-in)."""
        lots = self.env["stock.production.lot"].browse(lot_ids or [])
        held = lots.filtered("holder_id")
        mode = "in" if lots and held == lots else "out"
        return {
            "type": "ir.actions.act_window", "name": _("Check Out / Check In"),
            "res_model": self._name, "view_mode": "form", "target": "inline",
            "context": {"default_mode": mode,
                        "default_lot_ids": [(6, 0, (held if mode == "in" else lots).ids)]},
        }

    @api.model
    def create(self, vals):
        return super(StockAssetCheckout, self).create(self._link_lots_only(vals))

    @api.multi
    def write(self, vals):
        return super(StockAssetCheckout, self).write(self._link_lots_only(vals))

    @api.model
    def _link_lots_only(self, vals):
        """The screen picks serials, it never writes them: the web client sends the lots an
        onchange added as (1, id, values) commands, which would rewrite the lots. Only the
        set of ids is kept (a lot to create, (0, 0, values), is dropped)."""
        if not isinstance(vals, dict) or not isinstance(vals.get("lot_ids"), (list, tuple)):
            return vals
        ids = []
        for command in vals["lot_ids"]:
            if not isinstance(command, (list, tuple)) or not command:
                return vals  # the input check names what is wrong
            if command[0] == 6 and len(command) > 2:
                ids = list(command[2] or [])
            elif command[0] in (1, 4) and len(command) > 1:
                ids.append(command[1])
            elif command[0] in (2, 3) and len(command) > 1:
                ids = [i for i in ids if i != command[1]]
            elif command[0] == 5:
                ids = []
        return dict(vals, lot_ids=[(6, 0, ids)])

    @api.onchange("code")
    def _onchange_code(self):
        if (self.code or "").strip():
            self._apply_scan(self.code)
            self.code = False

    @api.multi
    @check_arguments(barcode=Text())
    def on_barcode_scanned(self, barcode):
        self._apply_scan(barcode)

    @api.multi
    def _apply_scan(self, code):
        """A badge sets the employee; a serial number is added to the list."""
        code = code.strip()
        employee = self.env["hr.employee"].sudo().search([("barcode", "=", code)], limit=1)
        if employee:
            self.employee_id = employee.sudo(self.env.uid)
            self.message = _("Employee: %(employee)s") % {"employee": employee.name}
            return
        result = self.env["stock.lot.scan"].match_code(code)
        lots = self.env["stock.production.lot"].browse(result["lot_ids"])
        if result["status"] != "lot":
            self.message = result["message"] or _(
                "%(code)s is not a serial number nor a badge.") % {"code": code}
        elif lots.product_id.tracking != "serial":
            self.message = _("%(lot)s is a lot of %(product)s, not a serial number.") % {
                "lot": lots.name, "product": lots.product_id.display_name}
        else:
            self.lot_ids |= lots
            self.message = _("%(lot)s added (%(count)s serial numbers).") % {
                "lot": lots.name, "count": len(self.lot_ids)}

    @api.multi
    @check_arguments()
    def action_apply(self):
        """Check the serials out to the employee, or in; then show their custody records."""
        self.ensure_one()
        self._check_traceability_access()
        Custody = self.env["stock.asset.custody"]
        if self.mode == "out":
            if not self.employee_id:
                raise UserError(_("Employee: choose the employee or scan their badge."))
            custody_ids = Custody.check_out(self.lot_ids.ids, self.employee_id.id,
                                            self.expected_return_date or None)
        else:
            custody_ids = Custody.check_in(self.lot_ids.ids, self.location_id.id)
        return self._get_window_action(
            "lot_traceability_hr.stock_asset_custody_action", domain=[("id", "in", custody_ids)],
            context={}, target=self._get_result_target())
